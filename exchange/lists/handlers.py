"""Applying round 1's events on the partner's side."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from exchange.core.bulk import insert_rows
from exchange.core.disclosure import PROFILE, disclose
from exchange.core.models import utcnow
from exchange.employers.models import APPROVED, OPEN, Employer, Posting
from exchange.extensions import db
from exchange.lists.models import PUBLISHED, SeekerList, SeekerListItem, SupplyList, SupplyListItem
from exchange.matching.taxonomy import taxonomy
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.protocol.upsert import ids_by_ref, upsert_by_ref
from exchange.registry.models import Seeker

PROFILE_FIELDS = ("gender", "age_reported", "education", "skills", "occupations_wanted", "wage_expectation_fen",
                  "work_type", "available_from", "household_status")


def _published_list(model, ref: str, ctx: ApplyContext, **fields: Any):
    """The list with this ref, created as the partner's published list when it is not here yet."""
    obj = db.session.scalar(select(model).where(model.ref == ref))
    if obj is None:
        obj = model(ref=ref, pairing_id=ctx.pairing.id, region=ctx.source_region, status=PUBLISHED,
                    published_at=ctx.occurred_at, **fields)
        db.session.add(obj)
        db.session.flush()
    elif obj.pairing_id != ctx.pairing.id:
        raise ApplyProblem(f"{model.__tablename__} {ref} belongs to another pairing")
    return obj


def _add_items(model, list_id: int, column: str, ids: list[int], extra: dict[int, dict] | None = None) -> None:
    have = set(db.session.scalars(select(getattr(model, column)).where(model.list_id == list_id)))
    insert_rows(model.__table__, [{"list_id": list_id, column: i, **(extra or {}).get(i, {})}
                                  for i in dict.fromkeys(ids) if i not in have])


@handles("seeker_list.published", author="sending")
def seeker_list_published(data: dict[str, Any], ctx: ApplyContext) -> None:
    rows = [{"ref": s["seeker_ref"], "region": ctx.source_region, "gender": s["gender"], "age_reported": s["age"],
             "education": s["education"], "skills": s["skills"], "occupations_wanted": s["occupations_wanted"],
             "wage_expectation_fen": s["wage_expectation_fen"], "work_type": s["work_type"],
             "available_from": s["available_from"], "household_status": s["household_status"],
             "consent_to_share": False, "created_at": utcnow()} for s in data["seekers"]]
    seeker_ids = upsert_by_ref(Seeker, rows, region=ctx.source_region, update_fields=PROFILE_FIELDS)
    seeker_list = _published_list(SeekerList, data["list_ref"], ctx, title=data["title"])
    ordered = [seeker_ids[s["seeker_ref"]] for s in data["seekers"]]
    _add_items(SeekerListItem, seeker_list.id, "seeker_id", ordered)
    disclose("seeker", ordered, ctx.consumer_region, ctx.pairing.id, PROFILE)
    disclose("seeker_list", [seeker_list.id], ctx.consumer_region, ctx.pairing.id, PROFILE)


@handles("supply_list.published", author="receiving")
def supply_list_published(data: dict[str, Any], ctx: ApplyContext) -> None:
    seeker_list_id = ids_by_ref(SeekerList, [data["in_reply_to"]]).get(data["in_reply_to"])
    if seeker_list_id is None:
        raise ApplyProblem(f"supply list {data['list_ref']} answers an unknown seeker list {data['in_reply_to']}")
    employers = {p["employer"]["employer_ref"]: p["employer"] for p in data["postings"]}
    employer_ids = upsert_by_ref(Employer, [
        {"ref": ref, "region": ctx.source_region, "name": e["name"], "uscc": e["uscc"], "status": APPROVED,
         "created_at": utcnow()} for ref, e in employers.items()], region=ctx.source_region, update_fields=("name",))
    posting_rows = []
    for p in data["postings"]:
        req = p["requirements"]
        posting_rows.append({
            "ref": p["posting_ref"], "region": ctx.source_region, "employer_id": employer_ids[p["employer"]["employer_ref"]],
            "title": p["title"], "occupation": p["occupation"], "occupation_code": taxonomy().resolve(p["occupation"]),
            "headcount": p["headcount"], "wage_min_fen": p["wage_min_fen"], "wage_max_fen": p["wage_max_fen"],
            "req_gender": req["gender"], "req_age_min": req["age_min"], "req_age_max": req["age_max"],
            "req_education_min": req["education_min"], "req_skills": req["skills"], "work_type": p["work_type"],
            "location_region": p["location_region"], "address": p["address"], "housing": p["housing"],
            "meals": p["meals"], "contract_months": p["contract_months"], "start_date": p["start_date"],
            "interview_mode": p["interview_mode"], "status": OPEN, "created_at": utcnow()})
    posting_ids = upsert_by_ref(Posting, posting_rows, region=ctx.source_region, update_fields=(
        "title", "occupation", "occupation_code", "headcount", "wage_min_fen", "wage_max_fen", "req_gender",
        "req_age_min", "req_age_max", "req_education_min", "req_skills", "work_type", "address", "housing",
        "meals", "contract_months", "start_date", "interview_mode"))
    supply_list = _published_list(SupplyList, data["list_ref"], ctx, seeker_list_id=seeker_list_id)
    supply_list.published_seq = ctx.envelope["seq"]
    ordered = [posting_ids[p["posting_ref"]] for p in data["postings"]]
    headcounts = {posting_ids[p["posting_ref"]]: {"headcount": p["headcount"]} for p in data["postings"]}
    _add_items(SupplyListItem, supply_list.id, "posting_id", ordered, headcounts)
    disclose("posting", ordered, ctx.consumer_region, ctx.pairing.id, PROFILE)
    disclose("employer", list(employer_ids.values()), ctx.consumer_region, ctx.pairing.id, PROFILE)
    disclose("supply_list", [supply_list.id], ctx.consumer_region, ctx.pairing.id, PROFILE)

