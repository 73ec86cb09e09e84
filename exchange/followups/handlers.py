"""Applying the follow-up events: cases both ways, and the sending side's request that the
receiving side check a person's employment (a task, never a spell)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from exchange.accounts.roles import RECEIVING_STAFF
from exchange.core.clock import iso_local
from exchange.core.i18n import _l
from exchange.extensions import db
from exchange.followups.events import CaseEvent, EmploymentCheckRequested
from exchange.followups.models import Case, CaseNote
from exchange.notifications.service import notify
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.protocol.reconciliation import digest, digest_kind
from exchange.registry.models import Seeker


def _seeker_id(ref: str) -> int:
    seeker_id = db.session.scalar(select(Seeker.id).where(Seeker.ref == ref))
    if seeker_id is None:
        raise ApplyProblem(f"unknown seeker {ref}")
    return seeker_id


def _upsert_case(data: dict[str, Any], ctx: ApplyContext) -> None:
    if ctx.authored_here and db.session.scalar(select(Case.id).where(Case.ref == data["case_ref"])):
        return   # one instance: the case row is shared
    case = db.session.scalar(select(Case).where(Case.ref == data["case_ref"]))
    if case is None:
        case = Case(ref=data["case_ref"], pairing_id=ctx.pairing.id, region=ctx.pairing.sending.code,
                    seeker_id=_seeker_id(data["seeker_ref"]), kind=data["kind"], summary=data["summary"],
                    amount_fen=data["amount_fen"], status=data["status"], opened_at=data["opened_at"])
        db.session.add(case)
        db.session.flush()
    elif case.status != data["status"]:
        db.session.add(CaseNote(case_id=case.id, at=data["resolved_at"] or ctx.envelope["occurred_at"],
                                status=data["status"], note=None, by_region=ctx.source_region))
    case.status, case.resolved_at, case.amount_fen = data["status"], data["resolved_at"], data["amount_fen"]


@handles("case.opened", author="sending", payload=CaseEvent)
def case_opened(data: dict[str, Any], ctx: ApplyContext) -> None:
    _upsert_case(data, ctx)


@handles("case.updated", author="receiving", payload=CaseEvent)
def case_updated(data: dict[str, Any], ctx: ApplyContext) -> None:
    _upsert_case(data, ctx)


@handles("employment.check_requested", author="sending", payload=EmploymentCheckRequested)
def employment_check_requested(data: dict[str, Any], ctx: ApplyContext) -> None:
    seeker_id = _seeker_id(data["seeker_ref"])
    status = {"changed_job": _l("changed job"), "unemployed": _l("unemployed")}.get(data["reported_status"], data["reported_status"])
    notify(at=ctx.clock.now(), region=ctx.consumer_region, role=RECEIVING_STAFF, pairing_id=ctx.pairing.id, kind="task_employment",
           is_task=True, object_type="seeker", object_id=seeker_id,
           message=str(_l("The liaison station reports seeker %(id)s %(status)s on %(date)s: please update the employment spells",
                          id=seeker_id, status=status, date=data["contacted_on"])),
           dedupe_key=f"task_employment:{ctx.envelope['id']}")


@digest_kind("cases")
def cases(pairing) -> dict[str, str]:
    rows = db.session.execute(select(Case.ref, Seeker.ref, Case.kind, Case.summary, Case.amount_fen, Case.status,
                                     Case.opened_at, Case.resolved_at)
                              .join(Seeker, Seeker.id == Case.seeker_id).where(Case.pairing_id == pairing.id)).all()
    return {ref: digest([seeker, kind, summary, amount, status, iso_local(opened), iso_local(resolved)])
            for ref, seeker, kind, summary, amount, status, opened, resolved in rows}
