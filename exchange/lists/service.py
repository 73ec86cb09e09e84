"""Round 1: building and publishing seeker lists (sending) and supply lists (receiving)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import RECEIVING_STAFF, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.bulk import insert_rows
from exchange.core.errors import Conflict, Invalid
from exchange.core.pagination import Page
from exchange.core.scoping import get_in_pairing, get_visible, not_found, page_in_pairing, scoped
from exchange.employers.events import posting_payload
from exchange.employers.models import APPROVED, OPEN, Posting
from exchange.employers.places import places_left
from exchange.extensions import db
from exchange.lists.models import DRAFT, PUBLISHED, SeekerList, SeekerListItem, SupplyList, SupplyListItem
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker
from exchange.registry.profile import profile_payload

CHUNK = 5000


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- seeker lists ----------------------------------------------------------------------------------

def create_seeker_list(ctx, actor: Actor, pairing_id: str, title: str, seeker_ids: list[int]) -> SeekerList:
    pairing = require_pairing_member(ctx, actor, pairing_id)
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
                             created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(seeker_list)
    db.session.flush()
    insert_rows(SeekerListItem.__table__, [{"list_id": seeker_list.id, "seeker_id": i} for i in ids])
    audit.record(actor, "seeker_list.created", "seeker_list", seeker_list.id, at=seeker_list.created_at, seekers=len(ids))
    db.session.commit()
    return seeker_list


def publish_seeker_list(ctx, actor: Actor, pairing_id: str, list_id: int) -> SeekerList:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    seeker_list = get_in_pairing(SeekerList, list_id, actor, pairing, for_update=True)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    if seeker_list.region != actor.region:
        raise not_found(SeekerList, list_id)
    if seeker_list.status != DRAFT:
        raise Conflict("already_published", _("This seeker list is already published"))
    today = ctx.clock.today()
    seekers = db.session.scalars(select(Seeker).join(SeekerListItem, SeekerListItem.seeker_id == Seeker.id)
                                 .where(SeekerListItem.list_id == seeker_list.id).order_by(SeekerListItem.id))
    seeker_list.status, seeker_list.published_at = PUBLISHED, ctx.clock.now()
    # Round 1 carries each person's profile only (registry.profile): no name, ID number or phone.
    emit(pairing, actor.region, "seeker_list.published",
         {"list_ref": seeker_list.ref, "title": seeker_list.title,
          "seekers": [profile_payload(s, today) for s in seekers]}, ctx.clock)
    audit.record(actor, "seeker_list.published", "seeker_list", seeker_list.id, at=seeker_list.published_at)
    db.session.commit()
    return seeker_list


def list_seeker_lists(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(SeekerList, actor, require_pairing_member(ctx, actor, pairing_id), query, ("ref", "status"))


def get_seeker_list(ctx, actor: Actor, pairing_id: str, list_id: int) -> SeekerList:
    return get_in_pairing(SeekerList, list_id, actor, require_pairing_member(ctx, actor, pairing_id))


def count_received(viewer: Actor, pairing, kind: str) -> int:
    """The partner's published lists the viewer's region received in this pairing ("seeker" or "supply")."""
    model = SeekerList if kind == "seeker" else SupplyList
    return db.session.scalar(select(func.count()).select_from(
        scoped(model, viewer).where(model.pairing_id == pairing.id, model.region != viewer.region).subquery())) or 0


def seekers_of_list(seeker_list: SeekerList) -> list[Seeker]:
    return list(db.session.scalars(select(Seeker).join(SeekerListItem, SeekerListItem.seeker_id == Seeker.id)
                                   .where(SeekerListItem.list_id == seeker_list.id).order_by(Seeker.id)))


# --- supply lists ----------------------------------------------------------------------------------

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
    places = places_left(list(postings.values()))
    result, full = {}, []
    for index, posting_id in enumerate(ids):
        left = places[posting_id]
        if left <= 0:
            full.append({"field": f"posting_ids[{index}]", "code": "no_places",
                         "message": _("Posting %(id)s has no places left", id=posting_id)})
        result[posting_id] = (postings[posting_id], max(left, 0))
    if full:
        raise Invalid(message=_("%(n)s posting(s) have no places left", n=len(full)), details=full)
    return result


def create_supply_list(ctx, actor: Actor, pairing_id: str, in_reply_to: int, posting_ids: list[int],
                       title: str | None = None) -> SupplyList:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "receiving", RECEIVING_STAFF)
    seeker_list = get_visible(SeekerList, in_reply_to, actor)
    if seeker_list.pairing_id != pairing.id or seeker_list.status != PUBLISHED or seeker_list.region == actor.region:
        raise Invalid.field("in_reply_to", "not_found", _("No published seeker list %(id)s of the partner in this pairing", id=in_reply_to))
    offer = _offerable_postings(actor, posting_ids)
    supply_list = SupplyList(pairing_id=pairing.id, region=actor.region, seeker_list_id=seeker_list.id,
                             title=(title or "").strip() or None, status=DRAFT, created_by=actor.user_id,
                             created_at=ctx.clock.now())
    db.session.add(supply_list)
    db.session.flush()
    insert_rows(SupplyListItem.__table__, [{"list_id": supply_list.id, "posting_id": posting_id, "headcount": left}
                                           for posting_id, (_posting, left) in offer.items()])
    audit.record(actor, "supply_list.created", "supply_list", supply_list.id, at=supply_list.created_at, postings=len(offer))
    db.session.commit()
    return supply_list


def publish_supply_list(ctx, actor: Actor, pairing_id: str, list_id: int) -> SupplyList:
    pairing = require_pairing_member(ctx, actor, pairing_id)
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
    supply_list.status, supply_list.published_at = PUBLISHED, ctx.clock.now()
    event = emit(pairing, actor.region, "supply_list.published",
                 {"list_ref": supply_list.ref, "in_reply_to": supply_list.seeker_list.ref,
                  "postings": [posting_payload(offer[item.posting_id][0], item.headcount) for item in supply_list.items]},
                 ctx.clock)
    supply_list.published_seq = event.seq
    audit.record(actor, "supply_list.published", "supply_list", supply_list.id, at=supply_list.published_at)
    db.session.commit()
    return supply_list


def list_supply_lists(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(SupplyList, actor, require_pairing_member(ctx, actor, pairing_id), query, ("ref", "status"))


def get_supply_list(ctx, actor: Actor, pairing_id: str, list_id: int) -> SupplyList:
    return get_in_pairing(SupplyList, list_id, actor, require_pairing_member(ctx, actor, pairing_id))


def offered_postings(supply_list: SupplyList) -> dict[int, Posting]:
    ids = [item.posting_id for item in supply_list.items]
    return {p.id: p for p in db.session.scalars(select(Posting).where(Posting.id.in_(ids)))} if ids else {}
