"""The payloads of the money events (protocol.md): a claim filed on the other side, the payer's
claim as it stands, a verified income, a training record."""
from __future__ import annotations

from marshmallow import fields, validate

from exchange.pairings.programmes import PROGRAMME_KEY
from exchange.protocol.schemas import Day, Fen, Payload, Ref, Stamp
from exchange.subsidies.models import PAYEE_TYPES

CLAIM_STATUSES = ("pending", "approved", "rejected", "paid")


class Receipt(Payload):
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    data_base64 = fields.String(required=True)


class PayeeRef(Payload):
    """Whom a claim pays: the worker (ref: the seeker's), an employer or an agency (their refs)."""
    type = fields.String(required=True, validate=validate.OneOf(PAYEE_TYPES))
    ref = Ref(required=True)


def _kind():
    return fields.String(required=True, validate=validate.Regexp(PROGRAMME_KEY, error="not a programme key"))


class SubsidyClaimed(Payload):
    claim_ref = Ref(required=True)
    kind = _kind()
    # An older partner sends no payee: the claim pays the worker.
    payee = fields.Nested(PayeeRef, allow_none=True, load_default=None)
    seeker_ref = Ref(required=True)
    amount_fen = Fen(required=True)
    travel_date = Day(allow_none=True, load_default=None)
    dispatch_ref = Ref(allow_none=True, load_default=None)
    receipts = fields.List(fields.Nested(Receipt), load_default=list)


class SubsidyUpdated(Payload):
    claim_ref = Ref(required=True)
    kind = _kind()
    payee = fields.Nested(PayeeRef, allow_none=True, load_default=None)
    seeker_ref = Ref(required=True)
    milestone_months = fields.Integer(allow_none=True, load_default=None)
    milestone_date = Day(allow_none=True, load_default=None)     # the day it arose (a monthly claim: the month's last)
    amount_fen = Fen(required=True)
    approved_amount_fen = Fen(allow_none=True, load_default=None)
    status = fields.String(required=True, validate=validate.OneOf(CLAIM_STATUSES))
    reason = fields.String(allow_none=True, load_default=None)
    decided_at = Stamp(allow_none=True, load_default=None)


class IncomeVerified(Payload):
    declaration_ref = Ref(required=True)
    seeker_ref = Ref(required=True)
    year = fields.Integer(required=True, strict=True)
    amount_fen = Fen(required=True)
    verified_at = Stamp(required=True)


class TrainingRecorded(Payload):
    record_ref = Ref(required=True)
    seeker_ref = Ref(required=True)
    course = fields.String(required=True)
    days = fields.Integer(required=True, strict=True, validate=validate.Range(0, 366))
    hours = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(0, 9000))
    start_date = Day(required=True)
    end_date = Day(required=True)
