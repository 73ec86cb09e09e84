"""What crosses the API boundary for seekers, imports and a person's timeline."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import Choice, Fen, Instant, LenientBool, LenientDate, StrList
from exchange.core.pagination import ListQuery
from exchange.registry import vocab


class SeekerIn(Schema):
    """One seeker. Choices also accept what clerks type (男/女, 初中, 长期, 建档立卡, 是/否)."""
    name = fields.String(required=True, validate=validate.Length(1, 64))
    national_id = fields.String(required=True, metadata={"description": "18-character resident ID"})
    phone = fields.String(required=True, metadata={"description": "11-digit mobile number"})
    gender = Choice(vocab.GENDERS, vocab.parse_gender, load_default=None,
                    metadata={"description": "taken from the ID number when omitted"})
    education = Choice(vocab.EDUCATION_LEVELS, vocab.parse_education, required=True)
    skills = StrList(load_default=list)
    occupations_wanted = StrList(load_default=list, metadata={"description": "names, aliases or GB/T 6565 codes"})
    wage_expectation_fen = Fen(load_default=None, allow_none=True)
    work_type = Choice(vocab.WORK_TYPES, vocab.parse_work_type, load_default="long_term")
    available_from = LenientDate(load_default=None, allow_none=True)
    household_status = Choice(vocab.HOUSEHOLD_STATUSES, vocab.parse_household_status, load_default="other")
    consent_to_share = LenientBool(load_default=False)
    bank_account = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    bank_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40),
                              metadata={"description": "the bank of the account (开户银行)"})
    township = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    household_no = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32),
                                 metadata={"description": "户编号: the person's household (registered on first mention)"})
    emergency_contact_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    emergency_contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class Warning_(Schema):
    field = fields.String()
    code = fields.String()
    message = fields.String()


class SeekerOut(Schema):
    """A seeker as the caller's region may see it: ID and phone always masked; the partner
    region sees no name, ID or phone until a proposed batch disclosed them."""
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    region = fields.String(required=True)
    disclosure = fields.String(required=True, metadata={"enum": ["owner", "profile", "identity"]})
    name = fields.String(allow_none=True)
    national_id = fields.String(allow_none=True, metadata={"description": "masked: 510524********1236"})
    phone = fields.String(allow_none=True, metadata={"description": "masked: 138****5678"})
    gender = fields.String(allow_none=True)
    age = fields.Integer(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    education = fields.String(allow_none=True)
    skills = fields.List(fields.String())
    occupations_wanted = fields.List(fields.String())
    wage_expectation_fen = fields.Integer(allow_none=True)
    work_type = fields.String(allow_none=True)
    available_from = fields.Date(allow_none=True)
    household_status = fields.String(allow_none=True)
    consent_to_share = fields.Boolean(allow_none=True)
    bank_account = fields.String(allow_none=True)
    bank_name = fields.String(allow_none=True)
    township = fields.String(allow_none=True)
    emergency_contact_name = fields.String(allow_none=True)
    emergency_contact_phone = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    created_at = Instant(allow_none=True)
    warnings = fields.List(fields.Nested(Warning_))


class SeekerQuery(ListQuery):
    q = fields.String(load_default=None, validate=validate.Length(max=64), metadata={"description": "name starts with"})
    national_id = fields.String(load_default=None, validate=validate.Length(max=30), metadata={"description": "exact, full number"})
    phone = fields.String(load_default=None, validate=validate.Length(max=20), metadata={"description": "exact, full number"})
    household_status = fields.String(load_default=None, validate=validate.OneOf(vocab.HOUSEHOLD_STATUSES))
    township = fields.String(load_default=None, validate=validate.Length(max=32))


class RevealIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(2, 200))


class RevealOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    name = fields.String(allow_none=True)
    national_id = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    bank_account = fields.String(allow_none=True)
    emergency_contact_phone = fields.String(allow_none=True)


class ImportQuery(Schema):
    dry_run = LenientBool(load_default=False)


class RowReport(Schema):
    row = fields.Integer(required=True)
    field = fields.String(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)


class ImportOut(Schema):
    id = fields.Integer(required=True, metadata={"description": "the import run; its error report is at /api/v1/seekers/imports/{id}/errors.xlsx"})
    dry_run = fields.Boolean(required=True)
    total = fields.Integer(required=True)
    accepted = fields.Integer(required=True)
    duplicates = fields.Integer(required=True)
    rejected = fields.List(fields.Nested(RowReport), required=True)
    warnings = fields.List(fields.Nested(RowReport), required=True)
    file_type = fields.String()
    filename = fields.String()
    created_at = Instant()


class TimelineEntry(Schema):
    at = Instant(required=True)
    kind = fields.String(required=True)
    summary = fields.String(required=True)
    object_type = fields.String(allow_none=True)
    object_id = fields.Integer(allow_none=True)
    ref = fields.String(allow_none=True)


class TimelineOut(Schema):
    seeker_id = fields.Integer(required=True)
    items = fields.List(fields.Nested(TimelineEntry), required=True)
