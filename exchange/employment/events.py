"""employment.updated (protocol.md): the whole current list of a person's spells, state not delta."""
from __future__ import annotations

from typing import Any

from marshmallow import fields

from exchange.employers.events import EmployerRef, employer_payload
from exchange.protocol.schemas import Day, Fen, Payload, Ref


class Spell(Payload):
    employer = fields.Nested(EmployerRef, required=True, allow_none=True)    # null: flexible work, described
    work_type = fields.String(load_default="long_term")     # long_term | seasonal | flexible; older partners send none
    description = fields.String(allow_none=True, load_default=None)
    start_date = Day(required=True)
    end_date = Day(allow_none=True, load_default=None)
    monthly_wage_fen = Fen(allow_none=True, load_default=None)


class EmploymentUpdated(Payload):
    seeker_ref = Ref(required=True)
    spells = fields.List(fields.Nested(Spell), required=True)


def spells_payload(seeker, spells) -> dict[str, Any]:
    return {"seeker_ref": seeker.ref, "spells": [
        {"employer": employer_payload(s.employer) if s.employer is not None else None, "work_type": s.work_type,
         "description": s.description, "start_date": s.start_date.isoformat(),
         "end_date": s.end_date.isoformat() if s.end_date else None, "monthly_wage_fen": s.monthly_wage_fen}
        for s in spells]}
