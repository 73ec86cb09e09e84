"""What crosses the API boundary for claims, payments, income and training."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import Fen, Instant, LenientDate, LocalId, MAX_FEN, MAX_ID
from exchange.core.pagination import ListQuery
from exchange.pairings.programmes import PROGRAMME_KEY
from exchange.subsidies.models import PAYEE_TYPES

STATUSES = ("pending", "approved", "rejected", "paid")


class ClaimIn(Schema):
    """multipart/form-data: these fields, and the files in `receipts`."""
    kind = fields.String(required=True, validate=validate.Regexp(PROGRAMME_KEY, error="a programme's key"),
                         metadata={"description": "transport, or the key of another transport programme of the pairing"})
    seeker_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    amount_fen = fields.Integer(required=True, validate=validate.Range(1, MAX_FEN, error="the amount must be more than 0"))
    travel_date = LenientDate(load_default=None, allow_none=True)
    dispatch_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, MAX_ID))


class ReceiptOut(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    sha256 = fields.String()
    size = fields.Integer()


class PayeeOut(Schema):
    type = fields.String(required=True, metadata={"enum": list(PAYEE_TYPES)})
    id = fields.Integer(required=True, metadata={"description": "the seeker, employer or agency (local id)"})
    name = fields.String(allow_none=True)


class ClaimOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    pairing = fields.String(attribute="pairing_id")
    payer_region = fields.String(attribute="region")
    filed_region = fields.String()
    kind = fields.String(required=True, metadata={"description": "the programme's key"})
    programme_name = fields.String(metadata={"description": "the programme's name in the pairing file"})
    payee = fields.Nested(PayeeOut)
    seeker_id = fields.Integer(required=True)
    amount_fen = fields.Integer(required=True, metadata={"description": "claimed"})
    approved_amount_fen = fields.Integer(allow_none=True, metadata={"description": "capped; set when created, shown while pending"})
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    reason = fields.String(allow_none=True)
    milestone_months = fields.Integer(allow_none=True)
    milestone_date = fields.Date(allow_none=True)
    year = fields.Integer(allow_none=True)
    travel_date = fields.Date(allow_none=True)
    dispatch_id = fields.Integer(allow_none=True)
    created_by = fields.Integer(allow_none=True)
    verified_by = fields.Integer(allow_none=True)
    decided_by = fields.Integer(allow_none=True)
    decided_at = Instant(allow_none=True)
    payment_batch_id = fields.Integer(allow_none=True)
    paid_at = Instant(allow_none=True)
    paid_reference = fields.String(allow_none=True)
    created_at = Instant(allow_none=True)
    receipts = fields.List(fields.Nested(ReceiptOut))


class ClaimQuery(ListQuery):
    kind = fields.String(load_default=None, validate=validate.Regexp(PROGRAMME_KEY, error="a programme's key"),
                         metadata={"description": "a programme's key (transport, retention, income, training, …)"})
    payee_type = fields.String(load_default=None, validate=validate.OneOf(PAYEE_TYPES))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    seeker_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))
    payment_batch_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))
    month = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="a month as YYYY-MM"),
                          metadata={"description": "the month filed (Asia/Shanghai), YYYY-MM"})
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100),
                          metadata={"description": "the year filed (Asia/Shanghai)"})


class RejectIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 500))


class PaymentBatchIn(Schema):
    claim_ids = fields.List(LocalId(), required=True, validate=validate.Length(1, 100_000))


class PaidIn(Schema):
    reference = fields.String(required=True, validate=validate.Length(1, 100))


class LineOut(Schema):
    id = fields.Integer()
    claim_id = fields.Integer()
    amount_fen = fields.Integer()
    status = fields.String(metadata={"enum": ["pending", "paid", "failed"]})
    bank_reference = fields.String(allow_none=True)
    failure_reason = fields.String(allow_none=True)


class GroupOut(Schema):
    key = fields.String()
    count = fields.Integer()
    amount_fen = fields.Integer()


class BreakdownOut(Schema):
    kind = fields.List(fields.Nested(GroupOut))
    payee_type = fields.List(fields.Nested(GroupOut), metadata={"description": "worker, employer or agency"})
    township = fields.List(fields.Nested(GroupOut))
    bank = fields.List(fields.Nested(GroupOut))
    total_fen = fields.Integer()
    count = fields.Integer()


class PaymentBatchOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    pairing = fields.String(attribute="pairing_id")
    status = fields.String(metadata={"enum": ["open", "paid", "settled"]})
    reference = fields.String(allow_none=True)
    paid_at = Instant(allow_none=True)
    created_at = Instant(allow_none=True)
    created_by = fields.Integer(allow_none=True, metadata={"description": "the finance approver who prepared it"})
    released_by = fields.Integer(allow_none=True, metadata={
        "description": "the other finance approver who marked it paid (or read the bank's result)"})
    lines = fields.List(fields.Nested(LineOut))
    breakdown = fields.Nested(BreakdownOut)


class BankProblem(Schema):
    row = fields.Integer()
    code = fields.String()
    message = fields.String()


class BankResultOut(Schema):
    paid = fields.Integer()
    failed = fields.Integer()
    problems = fields.List(fields.Nested(BankProblem))
    batch_status = fields.String()


class IncomeIn(Schema):
    seeker_id = LocalId(required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100))
    amount_fen = Fen(required=True)


class IncomeOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    seeker_id = fields.Integer()
    year = fields.Integer()
    amount_fen = fields.Integer()
    status = fields.String(metadata={"enum": ["declared", "verified"]})
    declared_by = fields.Integer(allow_none=True)
    verified_by = fields.Integer(allow_none=True)
    verified_at = Instant(allow_none=True)


class TrainingIn(Schema):
    seeker_id = LocalId(required=True)
    course = fields.String(required=True, validate=validate.Length(1, 200))
    days = fields.Integer(required=True, strict=True, validate=validate.Range(1, 366))
    hours = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, 9000),
                           metadata={"description": "Class hours, when the course counts them (a programme's min_hours)"})
    start_date = LenientDate(required=True)
    end_date = LenientDate(required=True)


class TrainingOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    seeker_id = fields.Integer()
    course = fields.String()
    days = fields.Integer()
    hours = fields.Integer(allow_none=True)
    start_date = fields.Date()
    end_date = fields.Date()


class SeekerFilter(ListQuery):
    seeker_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))


class LedgerRow(Schema):
    kind = fields.String()
    month = fields.String()
    claims = fields.Integer()
    claimed_fen = fields.Integer()
    approved_fen = fields.Integer()
    paid_fen = fields.Integer()


class LedgerOut(Schema):
    pairing = fields.String()
    year = fields.Integer(allow_none=True)
    rows = fields.List(fields.Nested(LedgerRow))
    totals = fields.Dict()


class YearQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100))
