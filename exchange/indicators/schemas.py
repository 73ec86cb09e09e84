"""What crosses the API boundary for the indicators."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class IndicatorQuery(Schema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))


class IndicatorOut(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    target = fields.Integer(allow_none=True)
    actual = fields.Integer(required=True)
    last_year_same_date = fields.Integer(required=True)


class IndicatorsOut(Schema):
    year = fields.Integer(required=True)
    as_of = fields.Date()
    indicators = fields.List(fields.Nested(IndicatorOut), required=True)
    money = fields.Dict()
