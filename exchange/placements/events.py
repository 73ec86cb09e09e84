"""The payloads of rounds 2 and 3's events (protocol.md): a proposed batch (which discloses the
identities of its consenting people), recruitment results, a departure, arrivals."""
from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from exchange.core.clock import iso_local
from exchange.employers.events import AgencyRef
from exchange.protocol.schemas import Day, Fen, Payload, Ref, Stamp

OUTCOMES = ("hired", "rejected", "withdrawn")
MODES = ("train", "bus", "air", "other")


class Identity(Payload):
    name = fields.String(required=True, validate=validate.Length(1, 64))
    national_id = fields.String(required=True, validate=validate.Length(1, 32))
    phone = fields.String(required=True, validate=validate.Length(1, 32))


class MatchPayload(Payload):
    match_ref = Ref(required=True)
    seeker_ref = Ref(required=True)
    posting_ref = Ref(required=True)
    score = fields.Float(load_default=None, allow_none=True)
    reasons = fields.List(fields.String(), load_default=list)
    identity = fields.Nested(Identity, required=True)
    agency = fields.Nested(AgencyRef, allow_none=True, load_default=None)    # who brought the person; older partners: none


class BatchProposed(Payload):
    batch_ref = Ref(required=True)
    supply_list_ref = Ref(required=True)
    matches = fields.List(fields.Nested(MatchPayload), required=True)


class ResultPayload(Payload):
    match_ref = Ref(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    reason = fields.String(allow_none=True, load_default=None)
    start_date = Day(allow_none=True, load_default=None)
    monthly_wage_fen = Fen(allow_none=True, load_default=None)


class RecruitmentResults(Payload):
    batch_ref = Ref(required=True)
    results = fields.List(fields.Nested(ResultPayload), required=True)


class Escort(Payload):
    name = fields.String(required=True)
    phone = fields.String(required=True)


class TravellerPayload(Payload):
    match_ref = Ref(required=True)


class DispatchDeparted(Payload):
    dispatch_ref = Ref(required=True)
    batch_ref = Ref(required=True)
    departed_at = Stamp(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    escort = fields.Nested(Escort, required=True)
    expected_arrival = Day(allow_none=True, load_default=None)
    travellers = fields.List(fields.Nested(TravellerPayload), required=True)


class ArrivalPayload(Payload):
    match_ref = Ref(required=True)
    arrived = fields.Boolean(required=True)
    arrived_at = Stamp(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)


class DispatchArrived(Payload):
    dispatch_ref = Ref(required=True)
    arrivals = fields.List(fields.Nested(ArrivalPayload), required=True)


def result_payload(match) -> dict[str, Any]:
    return {"match_ref": match.ref, "outcome": match.outcome, "reason": match.reason,
            "start_date": match.start_date.isoformat() if match.start_date else None,
            "monthly_wage_fen": match.monthly_wage_fen}


def departed_payload(dispatch, batch_ref: str, match_refs: list[str]) -> dict[str, Any]:
    return {"dispatch_ref": dispatch.ref, "batch_ref": batch_ref, "departed_at": iso_local(dispatch.departed_at),
            "mode": dispatch.mode, "escort": {"name": dispatch.escort_name, "phone": dispatch.escort_phone},
            "expected_arrival": dispatch.expected_arrival.isoformat() if dispatch.expected_arrival else None,
            "travellers": [{"match_ref": ref} for ref in match_refs]}


def arrival_payload(traveller) -> dict[str, Any]:
    return {"match_ref": traveller.match.ref, "arrived": traveller.arrived, "arrived_at": iso_local(traveller.arrived_at),
            "note": traveller.note}
