"""Replacing a seeker's employment spells (the whole current list, state not delta). Each region
keeps its own: the receiving county the jobs with its employers (sent to the sending county as
employment.updated), the sending county its local jobs (kept at home)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import RECEIVING_STAFF, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.errors import Invalid
from exchange.core.scoping import get_visible
from exchange.employers.models import Employer
from exchange.employment.events import spells_payload
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker


def spells_of(pairing_id: str, seeker_id: int) -> list[EmploymentSpell]:
    return list(db.session.scalars(select(EmploymentSpell).where(
        EmploymentSpell.pairing_id == pairing_id, EmploymentSpell.seeker_id == seeker_id)
        .order_by(EmploymentSpell.start_date, EmploymentSpell.id)))


def replace_spells(seeker_id: int, pairing_id: str, region: str, spells: list[dict[str, Any]], at) -> list[EmploymentSpell]:
    """`region`'s spells of the seeker become `spells`; the other region's stay as they are."""
    db.session.execute(delete(EmploymentSpell).where(EmploymentSpell.pairing_id == pairing_id,
                                                     EmploymentSpell.seeker_id == seeker_id,
                                                     EmploymentSpell.region == region))
    rows = [EmploymentSpell(pairing_id=pairing_id, region=region, seeker_id=seeker_id, employer_id=s.get("employer_id"),
                            work_type=s.get("work_type") or "long_term",
                            description=(s.get("description") or "").strip() or None,
                            start_date=s["start_date"], end_date=s.get("end_date"),
                            monthly_wage_fen=s.get("monthly_wage_fen"), created_at=at) for s in spells]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def put_spells(ctx, actor: Actor, pairing_id: str, seeker_id: int, spells: list[dict[str, Any]]) -> list[EmploymentSpell]:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    side = pairing.side_of(actor.region)
    require_side(actor, pairing, side or "receiving", RECEIVING_STAFF if side == "receiving" else SENDING_STAFF)
    seeker = get_visible(Seeker, seeker_id, actor)
    if side == "sending" and seeker.region != actor.region:
        raise Invalid.field("seeker_id", "not_found", _("No seeker %(id)s in your region", id=seeker_id))
    details = []
    employers = {e.id: e for e in db.session.scalars(select(Employer).where(
        Employer.id.in_([s["employer_id"] for s in spells if s.get("employer_id")]), Employer.region == actor.region))}
    for k, spell in enumerate(spells):
        if spell.get("employer_id") is not None and spell["employer_id"] not in employers:
            details.append({"field": f"spells[{k}].employer_id", "code": "not_found",
                            "message": _("No employer %(id)s in your region", id=spell["employer_id"])})
        if spell.get("end_date") and spell["end_date"] < spell["start_date"]:
            details.append({"field": f"spells[{k}].end_date", "code": "bad_value",
                            "message": _("A spell ends on or after the day it starts")})
    if details:
        raise Invalid(message=_("%(n)s spell(s) are not valid", n=len(details)), details=details)
    now = ctx.clock.now()
    rows = replace_spells(seeker.id, pairing.id, actor.region, spells, now)
    for row in rows:
        row.employer = employers.get(row.employer_id)
    if side == "receiving":     # local jobs are the sending county's own record: nothing to send
        emit(pairing, actor.region, "employment.updated", spells_payload(seeker, rows), ctx.clock)
    audit.record(actor, "employment.updated", "seeker", seeker.id, at=now, spells=len(rows))
    db.session.commit()
    return spells_of(pairing.id, seeker.id)


def get_spells(ctx, actor: Actor, pairing_id: str, seeker_id: int) -> list[EmploymentSpell]:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    seeker = get_visible(Seeker, seeker_id, actor)
    return spells_of(pairing.id, seeker.id)
