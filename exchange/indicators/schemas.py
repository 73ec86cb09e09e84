"""What crosses the API boundary for the indicators."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from exchange.core.fields import LenientDate

MAX_SPAN_DAYS = 366 * 5


class IndicatorQuery(Schema):
    """A calendar year (to today when it is the current one, or to `as_of` within it), or any span
    `from`–`to` (a month, a quarter)."""
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100))
    as_of = LenientDate(load_default=None, metadata={"description": "the figures at the end of this day (within year)"})
    from_ = LenientDate(data_key="from", load_default=None)
    to = LenientDate(load_default=None)

    @validates_schema
    def _one_period(self, data, **kwargs):
        span = data.get("from_") is not None or data.get("to") is not None
        if span and data.get("year") is not None:
            raise ValidationError("give a year or a span from–to, not both", "year")
        if span:
            if data.get("from_") is None or data.get("to") is None:
                raise ValidationError("a span needs both from and to", "from" if data.get("from_") is None else "to")
            if data["from_"] > data["to"]:
                raise ValidationError("from must not be after to", "from")
            if (data["to"] - data["from_"]).days > MAX_SPAN_DAYS:
                raise ValidationError("a span is at most five years", "to")
            if data.get("as_of") is not None:
                raise ValidationError("as_of goes with a year; a span ends on to", "as_of")
            return
        if data.get("year") is None:
            raise ValidationError("give a year, or a span from and to", "year")
        if data.get("as_of") is not None and data["as_of"].year != data["year"]:
            raise ValidationError("as_of must lie within the year", "as_of")


class IndicatorOut(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    target = fields.Integer(allow_none=True, metadata={"description": "the basic target (基本任务) of the year"})
    stretch_target = fields.Integer(allow_none=True, metadata={"description": "the stretch target (奋斗目标) of the year"})
    completion = fields.Float(allow_none=True, metadata={"description": "actual / basic target; null without one"})
    actual = fields.Integer(required=True)
    last_year_same_date = fields.Integer(required=True)


class IndicatorsOut(Schema):
    year = fields.Integer(allow_none=True)
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    as_of = fields.Date()
    indicators = fields.List(fields.Nested(IndicatorOut), required=True)
    money = fields.Dict()
