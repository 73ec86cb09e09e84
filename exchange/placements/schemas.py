"""What crosses the API boundary for proposals, batches, results, dispatches and arrivals."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import Choice, Fen, Instant, LenientBool, LenientDate, LocalId


class MatchIn(Schema):
    seeker_id = LocalId(required=True)
    posting_id = LocalId(required=True)
    agency_id = LocalId(load_default=None, allow_none=True,
                        metadata={"description": "The approved agency of your region that brought the person, if one did"})


class BatchIn(Schema):
    supply_list_id = LocalId(required=True)
    matches = fields.List(fields.Nested(MatchIn), required=True, validate=validate.Length(max=100_000))


class MatchOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    seeker_id = fields.Integer(required=True)
    posting_id = fields.Integer(required=True)
    agency_id = fields.Integer(allow_none=True)
    score = fields.Float(allow_none=True)
    reasons = fields.List(fields.String())
    outcome = fields.String(required=True, metadata={"enum": ["pending", "hired", "rejected", "withdrawn"]})
    reason = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    monthly_wage_fen = fields.Integer(allow_none=True)


class BatchOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    pairing = fields.String(required=True, attribute="pairing_id")
    region = fields.String(required=True)
    supply_list_id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": ["draft", "proposed"]})
    proposed_at = Instant(allow_none=True)
    created_at = Instant(allow_none=True)
    matches = fields.List(fields.Nested(MatchOut), required=True)


class ResultIn(Schema):
    match_id = LocalId(required=True)
    outcome = Choice(("hired", "rejected", "withdrawn"), required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    start_date = LenientDate(load_default=None, allow_none=True)
    monthly_wage_fen = Fen(load_default=None, allow_none=True)


class ResultsIn(Schema):
    results = fields.List(fields.Nested(ResultIn), required=True, validate=validate.Length(max=100_000))


class EscortIn(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 64))
    phone = fields.String(required=True, validate=validate.Length(5, 20))


class DispatchIn(Schema):
    batch_id = LocalId(required=True)
    match_ids = fields.List(LocalId(), required=True, validate=validate.Length(max=10_000))
    departed_at = Instant(required=True)
    mode = Choice(("train", "bus", "air", "other"), required=True)
    escort = fields.Nested(EscortIn, required=True)
    expected_arrival = LenientDate(load_default=None, allow_none=True)


class TravellerOut(Schema):
    id = fields.Integer(required=True)
    match_id = fields.Integer(required=True)
    seeker_id = fields.Integer(required=True)
    arrived = fields.Boolean(allow_none=True)
    arrived_at = Instant(allow_none=True)
    note = fields.String(allow_none=True)


class EscortOut(Schema):
    name = fields.String()
    phone = fields.String(metadata={"description": "masked"})


class DispatchOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    pairing = fields.String(required=True, attribute="pairing_id")
    region = fields.String(required=True)
    batch_id = fields.Integer(required=True)
    departed_at = Instant(required=True)
    mode = fields.String(required=True)
    escort = fields.Nested(EscortOut)
    expected_arrival = fields.Date(allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["departed", "arrived"]})
    travellers = fields.List(fields.Nested(TravellerOut), required=True)
    created_at = Instant(allow_none=True)


class ArrivalIn(Schema):
    match_id = LocalId(required=True)
    arrived = LenientBool(required=True)
    arrived_at = Instant(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class ArrivalsIn(Schema):
    arrivals = fields.List(fields.Nested(ArrivalIn), required=True, validate=validate.Length(max=10_000))


class ProposedMatch(Schema):
    seeker_id = fields.Integer(required=True)
    posting_id = fields.Integer(required=True)
    score = fields.Integer(required=True)
    reasons = fields.List(fields.String(), required=True)


class UnmatchedSeeker(Schema):
    seeker_id = fields.Integer(required=True)
    reasons = fields.List(fields.String(), required=True)


class ProposalOut(Schema):
    matches = fields.List(fields.Nested(ProposedMatch), required=True)
    unmatched = fields.List(fields.Nested(UnmatchedSeeker), required=True)


class Recommendation(Schema):
    posting_id = fields.Integer(required=True)
    score = fields.Integer(required=True)
    reasons = fields.List(fields.String(), required=True)


class RecommendationsOut(Schema):
    items = fields.List(fields.Nested(Recommendation), required=True)
