"""What crosses the API boundary for employment spells."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import Fen, LenientDate, LocalId


class SpellIn(Schema):
    employer_id = LocalId(required=True)
    start_date = LenientDate(required=True)
    end_date = LenientDate(load_default=None, allow_none=True)
    monthly_wage_fen = Fen(load_default=None, allow_none=True)


class SpellsIn(Schema):
    spells = fields.List(fields.Nested(SpellIn), required=True, validate=validate.Length(max=200))


class SpellOut(Schema):
    id = fields.Integer()
    employer_id = fields.Integer()
    employer_name = fields.String(attribute="employer.name")
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    monthly_wage_fen = fields.Integer(allow_none=True)


class SpellsOut(Schema):
    seeker_id = fields.Integer(required=True)
    spells = fields.List(fields.Nested(SpellOut), required=True)
