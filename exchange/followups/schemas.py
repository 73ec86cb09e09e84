"""What crosses the API boundary for follow-ups, the worklist and cases."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import Choice, Fen, Instant, LenientDate, LocalId, MAX_ID
from exchange.core.pagination import ListQuery
from exchange.followups.models import CASE_KINDS, ISSUES, METHODS, STATUSES


class FollowUpIn(Schema):
    seeker_id = LocalId(required=True)
    method = Choice(METHODS, required=True)
    contacted_at = Instant(required=True, metadata={"description": "when the contact happened (a late entry keeps it)"})
    status = Choice(STATUSES, required=True)
    issues = fields.List(Choice(ISSUES), load_default=list, validate=validate.Length(max=10))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    next_due = LenientDate(load_default=None, allow_none=True)
    corrects_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, MAX_ID),
                                 metadata={"description": "the log this one corrects (logs are never edited)"})


class FollowUpOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    seeker_id = fields.Integer()
    method = fields.String()
    contacted_at = Instant()
    status = fields.String()
    issues = fields.List(fields.String())
    note = fields.String(allow_none=True)
    next_due = fields.Date(allow_none=True)
    corrects_id = fields.Integer(allow_none=True)
    created_by = fields.Integer(allow_none=True)
    created_at = Instant()


class DueQuery(Schema):
    as_of = LenientDate(load_default=None, metadata={"description": "default today (Asia/Shanghai)"})
    sort = fields.String(load_default="overdue", validate=validate.OneOf(["overdue", "risk"]))


class DueItem(Schema):
    seeker_id = fields.Integer(required=True)
    due_on = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)
    last_status = fields.String(allow_none=True)
    last_contact_on = fields.Date(allow_none=True)
    at_risk = fields.Boolean(required=True)
    risk_reasons = fields.List(fields.String(), required=True,
                               metadata={"description": "overdue | unemployed | unreachable | no_current_employment"})
    risk_labels = fields.List(fields.String())


class DueOut(Schema):
    as_of = fields.Date()
    items = fields.List(fields.Nested(DueItem), required=True)


class FollowUpQuery(ListQuery):
    seeker_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))


class CaseIn(Schema):
    seeker_id = LocalId(required=True)
    kind = Choice(CASE_KINDS, required=True)
    summary = fields.String(required=True, validate=validate.Length(1, 1000))
    amount_fen = Fen(load_default=None, allow_none=True)


class CasePatch(Schema):
    status = Choice(("open", "in_progress", "resolved"), required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class CaseNoteOut(Schema):
    at = Instant()
    status = fields.String()
    note = fields.String(allow_none=True)
    by_region = fields.String()


class CaseOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    seeker_id = fields.Integer()
    kind = fields.String()
    summary = fields.String()
    amount_fen = fields.Integer(allow_none=True)
    status = fields.String(metadata={"enum": ["open", "in_progress", "resolved"]})
    opened_at = Instant()
    resolved_at = Instant(allow_none=True)
    overdue = fields.Boolean()
    notes = fields.List(fields.Nested(CaseNoteOut))


class CaseQuery(ListQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(["open", "in_progress", "resolved"]))
    kind = fields.String(load_default=None, validate=validate.OneOf(CASE_KINDS))
    seeker_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))
    overdue = fields.Boolean(load_default=False)
