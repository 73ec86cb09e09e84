"""Cases (wage arrears, contract, safety, other) opened by the sending side for the receiving
county to act on, moved by the receiving side to in progress and resolved; still open 48 hours
after opening (by the clock the service is handed), a case is overdue."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import LIAISON_OFFICER, RECEIVING_STAFF, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.clock import iso_local
from exchange.core.errors import Conflict, Invalid
from exchange.core.i18n import _l
from exchange.core.pagination import Page
from exchange.core.scoping import get_in_pairing, get_visible, page_in_pairing, scoped
from exchange.extensions import db
from exchange.followups.models import IN_PROGRESS, OPEN, RESOLVED, Case, CaseNote
from exchange.notifications.service import notify
from exchange.placements.models import Match
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker

OVERDUE_AFTER = timedelta(hours=48)
MOVES = {OPEN: {IN_PROGRESS, RESOLVED}, IN_PROGRESS: {RESOLVED}, RESOLVED: set()}


def is_overdue(case: Case, now: datetime) -> bool:
    return case.status == OPEN and now - case.opened_at > OVERDUE_AFTER


def case_payload(case: Case) -> dict[str, Any]:
    seeker_ref = db.session.scalar(select(Seeker.ref).where(Seeker.id == case.seeker_id))
    return {"case_ref": case.ref, "seeker_ref": seeker_ref, "kind": case.kind, "summary": case.summary,
            "amount_fen": case.amount_fen, "status": case.status, "opened_at": iso_local(case.opened_at),
            "resolved_at": iso_local(case.resolved_at)}


def open_case(ctx, actor: Actor, pairing_id: str, data: dict[str, Any]) -> Case:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", LIAISON_OFFICER, SENDING_STAFF)
    seeker = get_visible(Seeker, data["seeker_id"], actor)
    if seeker.region != actor.region:
        raise Invalid.field("seeker_id", "not_found", _("No seeker %(id)s in your region", id=seeker.id))
    # The receiving county acts on a case about someone it knows: a person proposed to it.
    if db.session.scalar(select(Match.id).where(Match.pairing_id == pairing.id, Match.seeker_id == seeker.id).limit(1)) is None:
        raise Invalid.field("seeker_id", "not_in_pairing", _("Seeker %(id)s was never proposed to the receiving county of this pairing", id=seeker.id))
    case = Case(pairing_id=pairing.id, region=actor.region, seeker_id=seeker.id, kind=data["kind"],
                summary=data["summary"].strip(), amount_fen=data.get("amount_fen"), status=OPEN, opened_at=ctx.clock.now(),
                opened_by=actor.user_id)
    db.session.add(case)
    db.session.flush()
    db.session.add(CaseNote(case_id=case.id, at=case.opened_at, status=OPEN, note=case.summary, by_region=actor.region,
                            by_user=actor.user_id))
    emit(pairing, actor.region, "case.opened", case_payload(case), ctx.clock)
    audit.record(actor, "case.opened", "case", case.id, at=case.opened_at, kind=case.kind)
    db.session.commit()
    return case


def update_case(ctx, actor: Actor, pairing_id: str, case_id: int, status: str, note: str | None) -> Case:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "receiving", RECEIVING_STAFF)
    case = get_in_pairing(Case, case_id, actor, pairing, for_update=True)
    if status == case.status or status not in MOVES[case.status]:
        raise Conflict("bad_transition", _("A case moves open → in progress → resolved; it is %(status)s", status=case.status))
    now = ctx.clock.now()
    case.status = status
    if status == RESOLVED:
        case.resolved_at = now
    db.session.add(CaseNote(case_id=case.id, at=now, status=status, note=note, by_region=actor.region, by_user=actor.user_id))
    emit(pairing, actor.region, "case.updated", case_payload(case), ctx.clock)
    audit.record(actor, "case.updated", "case", case.id, at=now, status=status)
    db.session.commit()
    return case


def list_cases(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    overdue = (Case.status == OPEN, Case.opened_at < ctx.clock.now() - OVERDUE_AFTER) if query.get("overdue") else ()
    return page_in_pairing(Case, actor, pairing, query, ("status", "kind", "seeker_id", "ref"), *overdue)


def count_open(viewer: Actor, pairing) -> int:
    """Cases of the pairing not yet resolved."""
    return db.session.scalar(select(func.count()).select_from(scoped(Case, viewer).where(
        Case.pairing_id == pairing.id, Case.status != RESOLVED).subquery())) or 0


def get_case(ctx, actor: Actor, pairing_id: str, case_id: int) -> Case:
    return get_in_pairing(Case, case_id, actor, require_pairing_member(ctx, actor, pairing_id))


def remind_overdue_cases(ctx, pairing) -> int:
    """Overdue cases: a reminder to the receiving county's staff and to the liaison station, once."""
    count = 0
    now = ctx.clock.now()
    cutoff = now - OVERDUE_AFTER
    for case in db.session.scalars(select(Case).where(Case.pairing_id == pairing.id, Case.status == OPEN,
                                                      Case.opened_at < cutoff)):
        message = str(_l("Case %(id)s (%(kind)s) is still open 48 hours after it was opened", id=case.id, kind=case.kind))
        for region, role in ((pairing.receiving.code, RECEIVING_STAFF), (pairing.sending.code, LIAISON_OFFICER)):
            if not ctx.hosts(region):
                continue
            count += notify(at=now, region=region, role=role, pairing_id=pairing.id, kind="case_overdue", object_type="case",
                            object_id=case.id, message=message, dedupe_key=f"case_overdue:{region}:{case.ref}") is not None
    db.session.commit()
    return count
