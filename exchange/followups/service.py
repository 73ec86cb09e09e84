"""Recording follow-ups and the officer's worklist: who is due or overdue on a date, with what
happened last time and whether they are at risk — computed by one SQL query per request."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import LIAISON_OFFICER, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.clock import local_date
from exchange.core.errors import Invalid
from exchange.core.i18n import _l
from exchange.core.pagination import Page
from exchange.core.scoping import get_in_pairing, get_visible, page_in_pairing
from exchange.core.sqldates import DaysBetween, LocalDate
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.followups.models import FollowUp
from exchange.followups.schedule import at_risk_sql, due_on_sql, risk_reasons
from exchange.notifications.service import notify
from exchange.placements.models import Dispatch, Traveller
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker
from exchange.registry.service import returnee_since

RISK_LABELS = {"overdue": _l("overdue by more than 7 days"), "unemployed": _l("last status: unemployed"),
               "unreachable": _l("last status: unreachable"), "no_current_employment": _l("no current employment spell")}


def record_followup(ctx, actor: Actor, pairing_id: str, data: dict[str, Any]) -> FollowUp:
    """A log is never edited: a correction is a new log (`corrects_id`), and the schedule counts
    from the latest contacted_at, so a late entry of an offline visit counts from the visit."""
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", LIAISON_OFFICER, SENDING_STAFF)
    seeker = get_visible(Seeker, data["seeker_id"], actor)
    if seeker.region != actor.region:
        raise Invalid.field("seeker_id", "not_found", _("No seeker %(id)s in your region", id=seeker.id))
    if data.get("corrects_id"):
        corrected = get_in_pairing(FollowUp, data["corrects_id"], actor, pairing)
        if corrected.seeker_id != seeker.id:
            raise Invalid.field("corrects_id", "bad_value", _("A correction is about the same person as the log it corrects"))
    log = FollowUp(pairing_id=pairing.id, region=actor.region, seeker_id=seeker.id, method=data["method"],
                   contacted_at=data["contacted_at"], status=data["status"], issues=data.get("issues") or [],
                   note=data.get("note"), next_due=data.get("next_due"), corrects_id=data.get("corrects_id"),
                   created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(log)
    db.session.flush()
    contacted_on = local_date(log.contacted_at)
    refresh_returnee(seeker, pairing.id)
    if log.status in ("changed_job", "unemployed"):
        # Spells are the receiving side's to author: ask it to update them.
        emit(pairing, actor.region, "employment.check_requested", {
            "seeker_ref": seeker.ref, "reported_status": log.status, "contacted_on": contacted_on.isoformat(),
            "note": log.note}, ctx.clock)
    audit.record(actor, "followup.recorded", "followup", log.id, at=log.created_at, status=log.status)
    db.session.commit()
    return log


def effective_logs(pairing_id: str):
    """The follow-ups that stand: a log some later log corrects (`corrects_id`) is replaced by it,
    for the schedule, the returnees and the indicators alike (both stay in the history)."""
    correction = aliased(FollowUp)
    return select(FollowUp).where(FollowUp.pairing_id == pairing_id, ~select(correction.id).where(
        correction.corrects_id == FollowUp.id).exists())


def refresh_returnee(seeker: Seeker, pairing_id: str) -> None:
    """返乡回流 follows the latest standing log (by contacted_at, so a visit entered late takes its
    place in time): the registry's rule (registry.service.returnee_since) over the day it says
    returned_home and the person's latest arrival."""
    standing = effective_logs(pairing_id).where(FollowUp.seeker_id == seeker.id).subquery()
    latest = db.session.execute(select(standing.c.status, standing.c.contacted_at)
                                .order_by(standing.c.contacted_at.desc(), standing.c.id.desc()).limit(1)).first()
    came_home = local_date(latest.contacted_at) if latest is not None and latest.status == "returned_home" else None
    last_arrived = db.session.scalar(select(func.max(LocalDate(Traveller.arrived_at))).join(
        Dispatch, Dispatch.id == Traveller.dispatch_id).where(
        Dispatch.pairing_id == pairing_id, Traveller.seeker_id == seeker.id, Traveller.arrived.is_(True)))
    seeker.returned_home_on = returnee_since(came_home, _as_date(last_arrived))


def list_followups(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(FollowUp, actor, require_pairing_member(ctx, actor, pairing_id), query, ("seeker_id", "ref"))


def get_followup(ctx, actor: Actor, pairing_id: str, followup_id: int) -> FollowUp:
    return get_in_pairing(FollowUp, followup_id, actor, require_pairing_member(ctx, actor, pairing_id))


def worklist_query(pairing, as_of: date):
    """Every labourer of the pairing whose arrival is confirmed and who has not returned home,
    with the due date of followups.schedule, when due on or before as_of. Only standing logs count
    (a corrected one is replaced by its correction)."""
    arrived = (select(Traveller.seeker_id, func.max(LocalDate(Traveller.arrived_at)).label("arrived_on"))
               .join(Dispatch, Dispatch.id == Traveller.dispatch_id)
               .where(Dispatch.pairing_id == pairing.id, Traveller.arrived.is_(True))
               .group_by(Traveller.seeker_id).subquery())
    standing = effective_logs(pairing.id).subquery()
    ranked = select(standing.c.seeker_id, standing.c.status, standing.c.next_due,
                    LocalDate(standing.c.contacted_at).label("on"),
                    func.row_number().over(partition_by=standing.c.seeker_id,
                                           order_by=(standing.c.contacted_at.desc(), standing.c.id.desc())).label("rank")
                    ).subquery()
    last = select(ranked).where(ranked.c.rank == 1).subquery()
    due = due_on_sql(arrived.c.arrived_on, last.c.on, last.c.status, last.c.next_due, pairing.followup)
    employed = (select(EmploymentSpell.id).where(
        EmploymentSpell.pairing_id == pairing.id, EmploymentSpell.seeker_id == arrived.c.seeker_id,
        EmploymentSpell.start_date <= as_of,
        (EmploymentSpell.end_date.is_(None)) | (EmploymentSpell.end_date >= as_of)).exists())
    rows = (select(arrived.c.seeker_id, due.label("due_on"), last.c.status.label("last_status"),
                   last.c.on.label("last_contact_on"), employed.label("employed_now"))
            .select_from(arrived).outerjoin(last, last.c.seeker_id == arrived.c.seeker_id)
            .subquery())
    overdue = DaysBetween(rows.c.due_on, literal(as_of))
    return (select(rows, overdue.label("days_overdue")).where(rows.c.due_on <= as_of)
            .order_by(overdue.desc(), rows.c.due_on, rows.c.seeker_id))


def worklist_counts(ctx, actor: Actor, pairing_id: str, as_of: date) -> tuple[int, int]:
    """(due, at risk) on as_of, counted in the database by the same rules as the worklist."""
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", LIAISON_OFFICER, SENDING_STAFF)
    rows = worklist_query(pairing, as_of).subquery()
    at_risk = at_risk_sql(rows.c.days_overdue, rows.c.last_status, rows.c.employed_now)
    due, risky = db.session.execute(select(func.count(), func.coalesce(func.sum(case((at_risk, 1), else_=0)), 0))
                                    .select_from(rows)).one()
    db.session.commit()
    return int(due or 0), int(risky or 0)


def worklist(ctx, actor: Actor, pairing_id: str, as_of: date, *, sort: str = "overdue") -> dict[str, Any]:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", LIAISON_OFFICER, SENDING_STAFF)
    items = []
    for row in db.session.execute(worklist_query(pairing, as_of)):
        reasons = risk_reasons(int(row.days_overdue), row.last_status, bool(row.employed_now))
        items.append({"seeker_id": row.seeker_id, "due_on": _as_date(row.due_on), "days_overdue": int(row.days_overdue),
                      "last_status": row.last_status, "last_contact_on": _as_date(row.last_contact_on),
                      "at_risk": bool(reasons), "risk_reasons": reasons,
                      "risk_labels": [str(RISK_LABELS[r]) for r in reasons]})
    if sort == "risk":   # the portal's option; the API's default order is rules.md's
        items.sort(key=lambda i: (-len(i["risk_reasons"]), -i["days_overdue"], i["due_on"], i["seeker_id"]))
    db.session.commit()
    return {"as_of": as_of, "items": items}


def remind_overdue(ctx, pairing, as_of: date) -> int:
    """The scheduler's reminder: one notification per labourer and due date once overdue."""
    count = 0
    now = ctx.clock.now()
    for row in db.session.execute(worklist_query(pairing, as_of)):
        if row.days_overdue < 1:
            continue
        due = _as_date(row.due_on)
        note = notify(at=now, region=pairing.sending.code, role=LIAISON_OFFICER, pairing_id=pairing.id, kind="followup_overdue",
                      object_type="seeker", object_id=row.seeker_id,
                      message=str(_l("Follow-up overdue since %(due)s (%(days)s days)", due=due.isoformat(), days=row.days_overdue)),
                      dedupe_key=f"followup_overdue:{pairing.id}:{row.seeker_id}:{due.isoformat()}")
        count += note is not None
    db.session.commit()
    return count


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


