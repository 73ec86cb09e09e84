"""What crosses the API boundary for the indicators."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from exchange.core.fields import Fen, Instant, LenientDate
from exchange.core.pagination import ListQuery
from exchange.indicators.models import PURPOSES

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
    # People (an integer) — or yuan with two decimals for a pairing's paid_yuan / funds_yuan indicators.
    actual = fields.Raw(required=True, metadata={"type": "number"})
    last_year_same_date = fields.Raw(required=True, metadata={"type": "number"})
    unit = fields.String(metadata={"enum": ["persons", "person_times", "yuan"]})


class IndicatorsOut(Schema):
    year = fields.Integer(allow_none=True)
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    as_of = fields.Date()
    indicators = fields.List(fields.Nested(IndicatorOut), required=True)
    money = fields.Dict()


class FundIn(Schema):
    date = LenientDate(required=True)
    amount_fen = Fen(required=True)
    source = fields.String(required=True, validate=validate.Length(1, 128), metadata={"description": "who gave it"})
    purpose = fields.String(required=True, validate=validate.Length(1, 64),
                            metadata={"description": "free text; common ones: " + "、".join(PURPOSES)})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class FundOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    region = fields.String(required=True)
    date = fields.Date(required=True)
    amount_fen = fields.Integer(required=True)
    source = fields.String(required=True)
    purpose = fields.String(required=True)
    note = fields.String(allow_none=True)
    created_at = Instant(allow_none=True)


class FundQuery(ListQuery):
    purpose = fields.String(load_default=None, validate=validate.Length(max=64))
    from_ = LenientDate(data_key="from", load_default=None)
    to = LenientDate(load_default=None)
