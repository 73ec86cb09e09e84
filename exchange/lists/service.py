"""Round 1: building and publishing seeker lists (sending) and supply lists (receiving)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import RECEIVING_STAFF, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.bulk import insert_rows
from exchange.core.clock import Clock, age_on
from exchange.core.errors import Conflict, Invalid
from exchange.core.models import utcnow
from exchange.core.pagination import Page, paginate
from exchange.core.scoping import get_in_pairing, get_visible, not_found, scoped
from exchange.employers.models import APPROVED, OPEN, Posting
from exchange.extensions import db
from exchange.lists.models import DRAFT, PUBLISHED, SeekerList, SeekerListItem, SupplyList, SupplyListItem
from exchange.placements.models import HIRED, Match
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker

CHUNK = 5000


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- seeker lists ----------------------------------------------------------------------------------

def create_seeker_list(actor: Actor, pairing_id: str, title: str, seeker_ids: list[int]) -> SeekerList:
    pairing = require_pairing_member(actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    ids = list(dict.fromkeys(seeker_ids))
    found: set[int] = set()
    for chunk in _chunks(ids):
        found |= set(db.session.scalars(select(Seeker.id).where(Seeker.id.in_(chunk), Seeker.region == actor.region)))
    missing = [index for index, seeker_id in enumerate(seeker_ids) if seeker_id not in found]
    if missing:
        raise Invalid(message=_("%(n)s seeker(s) are not registered in your region", n=len(missing)),
                      details=[{"field": f"seeker_ids[{index}]", "code": "not_found",
                                "message": _("No seeker %(id)s in your region", id=seeker_ids[index])} for index in missing[:50]])
    seeker_list = SeekerList(pairing_id=pairing.id, region=actor.region, title=title.strip(), status=DRAFT,
                             created_by=actor.user_id)
    db.session.add(seeker_list)
    db.session.flush()
    insert_rows(SeekerListItem.__table__, [{"list_id": seeker_list.id, "seeker_id": i} for i in ids])
    audit.record(actor, "seeker_list.created", "seeker_list", seeker_list.id, seekers=len(ids))
    db.session.commit()
    return seeker_list


def seeker_profile(seeker: Seeker, today) -> dict[str, Any]:
    """What round 1 carries of a seeker: no name, ID number or phone."""
    return {
        "seeker_ref": seeker.ref, "gender": seeker.gender,
        "age": age_on(seeker.birth_date, today) if seeker.birth_date else seeker.age_reported,
        "education": seeker.education, "skills": list(seeker.skills or []),
        "occupations_wanted": list(seeker.occupations_wanted or []),
        "wage_expectation_fen": seeker.wage_expectation_fen, "work_type": seeker.work_type,
        "available_from": seeker.available_from.isoformat() if seeker.available_from else None,
        "household_status": seeker.household_status,
    }


def publish_seeker_list(actor: Actor, pairing_id: str, list_id: int, clock: Clock) -> SeekerList:
    pairing = require_pairing_member(actor, pairing_id)
    seeker_list = get_in_pairing(SeekerList, list_id, actor, pairing, for_update=True)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    if seeker_list.region != actor.region:
        raise not_found(SeekerList, list_id)
    if seeker_list.status != DRAFT:
        raise Conflict("already_published", _("This seeker list is already published"))
    today = clock.today()
    seekers = db.session.scalars(select(Seeker).join(SeekerListItem, SeekerListItem.seeker_id == Seeker.id)
                                 .where(SeekerListItem.list_id == seeker_list.id).order_by(SeekerListItem.id))
    seeker_list.status, seeker_list.published_at = PUBLISHED, utcnow()
    emit(pairing, actor.region, "seeker_list.published",
         {"list_ref": seeker_list.ref, "title": seeker_list.title,
          "seekers": [seeker_profile(s, today) for s in seekers]}, clock)
    audit.record(actor, "seeker_list.published", "seeker_list", seeker_list.id)
    db.session.commit()
    return seeker_list


def list_seeker_lists(actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    pairing = require_pairing_member(actor, pairing_id)
    stmt = scoped(SeekerList, actor).where(SeekerList.pairing_id == pairing.id)
    if query.get("ref"):
        stmt = stmt.where(SeekerList.ref == query["ref"])
    if query.get("status"):
        stmt = stmt.where(SeekerList.status == query["status"])
    return paginate(stmt, SeekerList, limit=query["limit"], cursor=query["cursor"])


def get_seeker_list(actor: Actor, pairing_id: str, list_id: int) -> SeekerList:
    return get_in_pairing(SeekerList, list_id, actor, require_pairing_member(actor, pairing_id))


def seekers_of_list(seeker_list: SeekerList) -> list[Seeker]:
    return list(db.session.scalars(select(Seeker).join(SeekerListItem, SeekerListItem.seeker_id == Seeker.id)
                                   .where(SeekerListItem.list_id == seeker_list.id).order_by(Seeker.id)))


# --- supply lists ----------------------------------------------------------------------------------

def hired_counts(posting_ids: list[int]) -> dict[int, int]:
    """Hired matches per posting."""
    stmt = select(Match.posting_id, func.count()).where(Match.posting_id.in_(posting_ids), Match.outcome == HIRED)
    return dict(db.session.execute(stmt.group_by(Match.posting_id)).all())


def _offerable_postings(actor: Actor, posting_ids: list[int]) -> dict[int, tuple[Posting, int]]:
    """Each posting with the places it has left; refuses postings that cannot be offered."""
    ids = list(dict.fromkeys(posting_ids))
    postings = {p.id: p for p in db.session.scalars(scoped(Posting, actor).where(Posting.id.in_(ids),
                                                                                Posting.region == actor.region))}
    details = []
    for index, posting_id in enumerate(posting_ids):
        posting = postings.get(posting_id)
        if posting is None:
            details.append({"field": f"posting_ids[{index}]", "code": "not_found",
                            "message": _("No posting %(id)s of your region", id=posting_id)})
        elif posting.employer.status != APPROVED:
            details.append({"field": f"posting_ids[{index}]", "code": "employer_not_approved",
                            "message": _("The employer of posting %(id)s is not approved", id=posting_id)})
        elif posting.status != OPEN:
            details.append({"field": f"posting_ids[{index}]", "code": "posting_closed",
                            "message": _("Posting %(id)s is closed", id=posting_id)})
    if details:
        raise Invalid(message=_("%(n)s posting(s) cannot be offered", n=len(details)), details=details)
    hired = hired_counts(ids)
    result, full = {}, []
    for index, posting_id in enumerate(ids):
        left = postings[posting_id].headcount - hired.get(posting_id, 0)
        if left <= 0:
            full.append({"field": f"posting_ids[{index}]", "code": "no_places",
                         "message": _("Posting %(id)s has no places left", id=posting_id)})
        result[posting_id] = (postings[posting_id], max(left, 0))
    if full:
        raise Invalid(message=_("%(n)s posting(s) have no places left", n=len(full)), details=full)
    return result


def create_supply_list(actor: Actor, pairing_id: str, in_reply_to: int, posting_ids: list[int],
                       title: str | None = None) -> SupplyList:
    pairing = require_pairing_member(actor, pairing_id)
    require_side(actor, pairing, "receiving", RECEIVING_STAFF)
    seeker_list = get_visible(SeekerList, in_reply_to, actor)
    if seeker_list.pairing_id != pairing.id or seeker_list.status != PUBLISHED or seeker_list.region == actor.region:
        raise Invalid.field("in_reply_to", "not_found", _("No published seeker list %(id)s of the partner in this pairing", id=in_reply_to))
    offer = _offerable_postings(actor, posting_ids)
    supply_list = SupplyList(pairing_id=pairing.id, region=actor.region, seeker_list_id=seeker_list.id,
                             title=(title or "").strip() or None, status=DRAFT, created_by=actor.user_id)
    db.session.add(supply_list)
    db.session.flush()
    insert_rows(SupplyListItem.__table__, [{"list_id": supply_list.id, "posting_id": posting_id, "headcount": left}
                                           for posting_id, (_posting, left) in offer.items()])
    audit.record(actor, "supply_list.created", "supply_list", supply_list.id, postings=len(offer))
    db.session.commit()
    return supply_list


def posting_payload(posting: Posting, headcount: int) -> dict[str, Any]:
    employer = posting.employer
    return {
        "posting_ref": posting.ref,
        "employer": {"employer_ref": employer.ref, "name": employer.name, "uscc": employer.uscc},
        "title": posting.title, "occupation": posting.occupation, "headcount": headcount,
        "wage_min_fen": posting.wage_min_fen, "wage_max_fen": posting.wage_max_fen,
        "requirements": posting.requirements, "work_type": posting.work_type,
        "location_region": posting.location_region, "address": posting.address, "housing": posting.housing,
        "meals": posting.meals, "contract_months": posting.contract_months,
        "start_date": posting.start_date.isoformat(), "interview_mode": posting.interview_mode,
    }


def publish_supply_list(actor: Actor, pairing_id: str, list_id: int, clock: Clock) -> SupplyList:
    pairing = require_pairing_member(actor, pairing_id)
    supply_list = get_in_pairing(SupplyList, list_id, actor, pairing, for_update=True)
    require_side(actor, pairing, "receiving", RECEIVING_STAFF)
    if supply_list.region != actor.region:
        raise not_found(SupplyList, list_id)
    if supply_list.status != DRAFT:
        raise Conflict("already_published", _("This supply list is already published"))
    # Places are counted again now: hires since the draft was made are not offered twice.
    offer = _offerable_postings(actor, [item.posting_id for item in supply_list.items])
    for item in supply_list.items:
        item.headcount = min(item.headcount, offer[item.posting_id][1])
    supply_list.status, supply_list.published_at = PUBLISHED, utcnow()
    event = emit(pairing, actor.region, "supply_list.published",
                 {"list_ref": supply_list.ref, "in_reply_to": supply_list.seeker_list.ref,
                  "postings": [posting_payload(offer[item.posting_id][0], item.headcount) for item in supply_list.items]},
                 clock)
    supply_list.published_seq = event.seq
    audit.record(actor, "supply_list.published", "supply_list", supply_list.id)
    db.session.commit()
    return supply_list


def list_supply_lists(actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    pairing = require_pairing_member(actor, pairing_id)
    stmt = scoped(SupplyList, actor).where(SupplyList.pairing_id == pairing.id)
    if query.get("ref"):
        stmt = stmt.where(SupplyList.ref == query["ref"])
    if query.get("status"):
        stmt = stmt.where(SupplyList.status == query["status"])
    return paginate(stmt, SupplyList, limit=query["limit"], cursor=query["cursor"])


def get_supply_list(actor: Actor, pairing_id: str, list_id: int) -> SupplyList:
    return get_in_pairing(SupplyList, list_id, actor, require_pairing_member(actor, pairing_id))


def offered_postings(supply_list: SupplyList) -> dict[int, Posting]:
    ids = [item.posting_id for item in supply_list.items]
    return {p.id: p for p in db.session.scalars(select(Posting).where(Posting.id.in_(ids)))} if ids else {}
