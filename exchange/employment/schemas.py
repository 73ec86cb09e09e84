"""What crosses the API boundary for employment spells."""
from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from exchange.core.fields import Fen, LenientDate, LocalId
from exchange.pairings.programmes import WORK_TYPES


class SpellIn(Schema):
    """One job: with an employer of the caller's region, or — flexible work — described instead."""
    employer_id = LocalId(load_default=None, allow_none=True)
    work_type = fields.String(load_default="long_term", validate=validate.OneOf(WORK_TYPES))
    description = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    start_date = LenientDate(required=True)
    end_date = LenientDate(load_default=None, allow_none=True)
    monthly_wage_fen = Fen(load_default=None, allow_none=True)

    @validates_schema
    def _employer_or_description(self, data, **kwargs):
        if data.get("employer_id") is None and data.get("work_type") != "flexible":
            raise ValidationError(_("Choose the employer (only flexible work has none)"), "employer_id")
        if data.get("employer_id") is None and not (data.get("description") or "").strip():
            raise ValidationError(_("Say what the flexible work is"), "description")


class SpellsIn(Schema):
    spells = fields.List(fields.Nested(SpellIn), required=True, validate=validate.Length(max=200))


class SpellOut(Schema):
    id = fields.Integer()
    region = fields.String(metadata={"description": "The region that records the spell: its employer's (local work "
                                                    "is the sending region's)"})
    employer_id = fields.Integer(allow_none=True)
    employer_name = fields.String(attribute="employer.name", allow_none=True)
    employer_kind = fields.String(attribute="employer.kind", allow_none=True)
    work_type = fields.String()
    description = fields.String(allow_none=True)
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    monthly_wage_fen = fields.Integer(allow_none=True)


class SpellsOut(Schema):
    seeker_id = fields.Integer(required=True)
    spells = fields.List(fields.Nested(SpellOut), required=True)
