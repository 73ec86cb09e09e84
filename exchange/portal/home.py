"""The home page of each role: the few numbers that say what waits, and the open tasks."""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from exchange.accounts.roles import FINANCE_APPROVER, LIAISON_OFFICER, RECEIVING_STAFF, SENDING_STAFF
from exchange.core.runtime import runtime
from exchange.core.scoping import scoped
from exchange.extensions import db
from exchange.notifications.service import list_notifications
from exchange.portal.common import current_pairing


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def home_cards(actor) -> list[dict[str, Any]]:
    from exchange.employers.models import Employer
    from exchange.followups.models import Case
    from exchange.followups.service import worklist_counts
    from exchange.lists.models import SeekerList, SupplyList
    from exchange.placements.models import PENDING, PROPOSED, Batch, Dispatch, Match, Traveller
    from exchange.registry.models import Seeker
    from exchange.subsidies.models import Claim

    pairing = current_pairing(actor)
    if pairing is None:
        return []
    side = pairing.side_of(actor.region)
    cards = []
    if side == "sending" and actor.role == SENDING_STAFF:
        cards.append({"label": _("Registered seekers"), "value": _count(scoped(Seeker, actor).where(Seeker.region == actor.region)),
                      "url": url_for("pages.seekers")})
        cards.append({"label": _("Supply lists received"), "value": _count(scoped(SupplyList, actor).where(
            SupplyList.pairing_id == pairing.id, SupplyList.region != actor.region)), "url": url_for("pages.supply_lists")})
    if side == "sending" and actor.role in (LIAISON_OFFICER, SENDING_STAFF):
        due, at_risk = worklist_counts(actor, pairing.id, runtime().clock.today())
        cards.append({"label": _("Due for a follow-up today"), "value": due,
                      "sub": _("%(n)s at risk", n=at_risk), "url": url_for("pages.station")})
    if side == "receiving" and actor.role == RECEIVING_STAFF:
        cards.append({"label": _("Employers waiting for vetting"), "value": _count(scoped(Employer, actor).where(
            Employer.region == actor.region, Employer.status == "pending")), "url": url_for("pages.employers", status="pending")})
        cards.append({"label": _("Seeker lists received"), "value": _count(scoped(SeekerList, actor).where(
            SeekerList.pairing_id == pairing.id, SeekerList.region != actor.region)), "url": url_for("pages.seeker_lists")})
        # What waits for this clerk: results to record, arrivals to confirm.
        waiting = select(Match.id).where(Match.batch_id == Batch.id, Match.outcome == PENDING).exists()
        cards.append({"label": _("Batches waiting for results"), "value": _count(scoped(Batch, actor).where(
            Batch.pairing_id == pairing.id, Batch.region != actor.region, Batch.status == PROPOSED, waiting)),
            "url": url_for("pages.batches")})
        unconfirmed = select(Traveller.id).where(Traveller.dispatch_id == Dispatch.id, Traveller.arrived.is_(None)).exists()
        cards.append({"label": _("Dispatches with arrivals to confirm"), "value": _count(scoped(Dispatch, actor).where(
            Dispatch.pairing_id == pairing.id, Dispatch.region != actor.region, unconfirmed)), "url": url_for("pages.dispatches")})
    if actor.role in (RECEIVING_STAFF, LIAISON_OFFICER, SENDING_STAFF):
        cards.append({"label": _("Open cases"), "value": _count(scoped(Case, actor).where(
            Case.pairing_id == pairing.id, Case.status != "resolved")), "url": url_for("pages.cases")})
    if actor.role == FINANCE_APPROVER:
        cards.append({"label": _("Claims waiting for a decision"), "value": _count(scoped(Claim, actor).where(
            Claim.pairing_id == pairing.id, Claim.status == "pending")), "url": url_for("pages.claims")})
        cards.append({"label": _("Approved, not yet paid"), "value": _count(scoped(Claim, actor).where(
            Claim.pairing_id == pairing.id, Claim.status == "approved")),
            "url": url_for("pages.payments" if pairing.payer_region == actor.region else "pages.claims", status="approved")})
    return cards


def open_items(actor) -> list:
    page = list_notifications(actor, {"limit": 10, "cursor": None, "unread": True, "ref": None})
    return page.items
