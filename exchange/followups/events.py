"""The payloads of the liaison station's events (protocol.md): cases both ways, and this project's
extension asking the receiving side to check a person's employment."""
from __future__ import annotations

from marshmallow import fields, validate

from exchange.followups.models import CASE_KINDS
from exchange.protocol.schemas import Day, Fen, Payload, Ref, Stamp

CASE_STATUSES = ("open", "in_progress", "resolved")


class CaseEvent(Payload):
    case_ref = Ref(required=True)
    seeker_ref = Ref(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(CASE_KINDS))
    summary = fields.String(required=True)
    amount_fen = Fen(allow_none=True, load_default=None)
    status = fields.String(required=True, validate=validate.OneOf(CASE_STATUSES))
    opened_at = Stamp(required=True)
    resolved_at = Stamp(allow_none=True, load_default=None)


class EmploymentCheckRequested(Payload):
    """An extension of this project (S→R): a follow-up found the person changed job or out of
    work; the receiving side gets a task to update the spells. A partner that does not know it
    records it as unsupported and goes on."""
    seeker_ref = Ref(required=True)
    reported_status = fields.String(required=True, validate=validate.OneOf(["changed_job", "unemployed"]))
    contacted_on = Day(required=True)
    note = fields.String(allow_none=True, load_default=None)
