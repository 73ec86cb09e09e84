"""Applying round 1's events on the partner's side, and the digests both sides compare."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from exchange.core.bulk import insert_rows
from exchange.core.disclosure import PROFILE, disclose
from exchange.employers.models import Posting
from exchange.employers.service import save_partner_postings
from exchange.extensions import db
from exchange.lists.events import SeekerListPublished, SupplyListPublished
from exchange.lists.models import DRAFT, PUBLISHED, SeekerList, SeekerListItem, SupplyList, SupplyListItem
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.protocol.reconciliation import digest, digest_kind
from exchange.protocol.upsert import ids_by_ref, upsert_by_ref
from exchange.registry.models import Seeker
from exchange.registry.profile import COPY_COLUMNS, copy_row


def _published_list(model, ref: str, ctx: ApplyContext, **fields: Any):
    """The list with this ref, created as the partner's published list when it is not here yet."""
    obj = db.session.scalar(select(model).where(model.ref == ref))
    if obj is None:
        obj = model(ref=ref, pairing_id=ctx.pairing.id, region=ctx.source_region, status=PUBLISHED,
                    published_at=ctx.occurred_at, created_at=ctx.clock.now(), **fields)
        db.session.add(obj)
        db.session.flush()
    elif obj.pairing_id != ctx.pairing.id:
        raise ApplyProblem(f"{model.__tablename__} {ref} belongs to another pairing")
    return obj


def _add_items(model, list_id: int, column: str, ids: list[int], extra: dict[int, dict] | None = None) -> None:
    have = set(db.session.scalars(select(getattr(model, column)).where(model.list_id == list_id)))
    insert_rows(model.__table__, [{"list_id": list_id, column: i, **(extra or {}).get(i, {})}
                                  for i in dict.fromkeys(ids) if i not in have])


@handles("seeker_list.published", author="sending", payload=SeekerListPublished)
def seeker_list_published(data: dict[str, Any], ctx: ApplyContext) -> None:
    now = ctx.clock.now()
    rows = [{**copy_row(s), "region": ctx.source_region, "consent_to_share": False, "created_at": now}
            for s in data["seekers"]]
    seeker_ids = upsert_by_ref(Seeker, rows, refresh=not ctx.authored_here, update_fields=COPY_COLUMNS)
    seeker_list = _published_list(SeekerList, data["list_ref"], ctx, title=data["title"])
    ordered = [seeker_ids[s["seeker_ref"]] for s in data["seekers"]]
    _add_items(SeekerListItem, seeker_list.id, "seeker_id", ordered)
    disclose("seeker", ordered, ctx.consumer_region, ctx.pairing.id, PROFILE, now)
    disclose("seeker_list", [seeker_list.id], ctx.consumer_region, ctx.pairing.id, PROFILE, now)


@handles("supply_list.published", author="receiving", payload=SupplyListPublished)
def supply_list_published(data: dict[str, Any], ctx: ApplyContext) -> None:
    seeker_list_id = ids_by_ref(SeekerList, [data["in_reply_to"]]).get(data["in_reply_to"])
    if seeker_list_id is None:
        raise ApplyProblem(f"supply list {data['list_ref']} answers an unknown seeker list {data['in_reply_to']}")
    now = ctx.clock.now()
    posting_ids, employer_ids = save_partner_postings(data["postings"], region=ctx.source_region,
                                                      refresh=not ctx.authored_here, at=now)
    supply_list = _published_list(SupplyList, data["list_ref"], ctx, seeker_list_id=seeker_list_id)
    supply_list.published_seq = ctx.envelope["seq"]
    ordered = [posting_ids[p["posting_ref"]] for p in data["postings"]]
    headcounts = {posting_ids[p["posting_ref"]]: {"headcount": p["headcount"]} for p in data["postings"]}
    _add_items(SupplyListItem, supply_list.id, "posting_id", ordered, headcounts)
    disclose("posting", ordered, ctx.consumer_region, ctx.pairing.id, PROFILE, now)
    disclose("employer", list(employer_ids.values()), ctx.consumer_region, ctx.pairing.id, PROFILE, now)
    disclose("supply_list", [supply_list.id], ctx.consumer_region, ctx.pairing.id, PROFILE, now)


@digest_kind("seeker_lists")
def seeker_lists(pairing) -> dict[str, str]:
    rows = db.session.execute(select(SeekerList.ref, SeekerList.title, Seeker.ref)
                              .join(SeekerListItem, SeekerListItem.list_id == SeekerList.id)
                              .join(Seeker, Seeker.id == SeekerListItem.seeker_id)
                              .where(SeekerList.pairing_id == pairing.id, SeekerList.status != DRAFT)).all()
    grouped: dict[str, dict] = {}
    for list_ref, title, seeker_ref in rows:
        grouped.setdefault(list_ref, {"title": title, "seekers": []})["seekers"].append(seeker_ref)
    return {ref: digest({"title": v["title"], "seekers": sorted(v["seekers"])}) for ref, v in grouped.items()}


@digest_kind("supply_lists")
def supply_lists(pairing) -> dict[str, str]:
    rows = db.session.execute(select(SupplyList.ref, SeekerList.ref, Posting.ref, SupplyListItem.headcount)
                              .join(SeekerList, SeekerList.id == SupplyList.seeker_list_id)
                              .join(SupplyListItem, SupplyListItem.list_id == SupplyList.id)
                              .join(Posting, Posting.id == SupplyListItem.posting_id)
                              .where(SupplyList.pairing_id == pairing.id, SupplyList.status != DRAFT)).all()
    grouped: dict[str, dict] = {}
    for ref, reply_ref, posting_ref, headcount in rows:
        grouped.setdefault(ref, {"in_reply_to": reply_ref, "postings": []})["postings"].append([posting_ref, headcount])
    return {ref: digest({"in_reply_to": v["in_reply_to"], "postings": sorted(v["postings"])}) for ref, v in grouped.items()}
