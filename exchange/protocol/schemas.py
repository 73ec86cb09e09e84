"""The payload of every event type of protocol version 1, as marshmallow schemas. An event whose
data does not load is quarantined; fields a newer partner adds are ignored."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

PROTOCOL_VERSION = 1

GENDER = validate.OneOf(["M", "F"])
EDUCATION = validate.OneOf(["primary", "junior", "senior", "college"])
WORK_TYPE = validate.OneOf(["long_term", "seasonal"])
HOUSEHOLD = validate.OneOf(["registered_poor", "monitored", "other"])
OUTCOME = validate.OneOf(["hired", "rejected", "withdrawn"])
CLAIM_KIND = validate.OneOf(["transport", "retention", "income", "training"])
CLAIM_STATUS = validate.OneOf(["pending", "approved", "rejected", "paid"])
CASE_KIND = validate.OneOf(["wage_arrears", "contract", "safety", "other"])
CASE_STATUS = validate.OneOf(["open", "in_progress", "resolved"])
Ref = lambda **kw: fields.String(validate=validate.Length(1, 64), **kw)  # noqa: E731
Fen = lambda **kw: fields.Integer(strict=True, validate=validate.Range(0, 2_000_000_000), **kw)  # noqa: E731


class Payload(Schema):
    class Meta:
        unknown = EXCLUDE


class Envelope(Payload):
    id = fields.String(required=True, validate=validate.Length(1, 64))
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    pairing = fields.String(required=True)
    type = fields.String(required=True)
    source_region = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$"))
    protocol_version = fields.Integer(required=True, strict=True)
    occurred_at = fields.AwareDateTime(required=True)
    data = fields.Dict(required=True)


class SeekerProfile(Payload):
    seeker_ref = Ref(required=True)
    gender = fields.String(required=True, validate=GENDER)
    age = fields.Integer(required=True, strict=True, validate=validate.Range(0, 120))
    education = fields.String(required=True, validate=EDUCATION)
    skills = fields.List(fields.String(), load_default=list)
    occupations_wanted = fields.List(fields.String(), load_default=list)
    wage_expectation_fen = Fen(allow_none=True, load_default=None)
    work_type = fields.String(required=True, validate=WORK_TYPE)
    available_from = fields.Date(allow_none=True, load_default=None)
    household_status = fields.String(required=True, validate=HOUSEHOLD)


class SeekerListPublished(Payload):
    list_ref = Ref(required=True)
    title = fields.String(required=True, validate=validate.Length(max=200))
    seekers = fields.List(fields.Nested(SeekerProfile), required=True)


class EmployerRef(Payload):
    employer_ref = Ref(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 128))
    uscc = fields.String(required=True, validate=validate.Length(1, 18))


class Requirements(Payload):
    gender = fields.String(load_default="any", validate=validate.OneOf(["any", "M", "F"]))
    age_min = fields.Integer(load_default=16, strict=True)
    age_max = fields.Integer(load_default=65, strict=True)
    education_min = fields.String(load_default="primary", validate=EDUCATION)
    skills = fields.List(fields.String(), load_default=list)


class PostingPayload(Payload):
    posting_ref = Ref(required=True)
    employer = fields.Nested(EmployerRef, required=True)
    title = fields.String(required=True, validate=validate.Length(1, 128))
    occupation = fields.String(required=True, validate=validate.Length(1, 64))
    headcount = fields.Integer(required=True, strict=True, validate=validate.Range(0, 1_000_000))
    wage_min_fen = Fen(required=True)
    wage_max_fen = Fen(required=True)
    requirements = fields.Nested(Requirements, required=True)
    work_type = fields.String(required=True, validate=WORK_TYPE)
    location_region = fields.String(required=True)
    address = fields.String(allow_none=True, load_default=None)
    housing = fields.Boolean(load_default=False)
    meals = fields.Boolean(load_default=False)
    contract_months = fields.Integer(load_default=0, strict=True)
    start_date = fields.Date(required=True)
    interview_mode = fields.String(load_default="onsite", validate=validate.OneOf(["onsite", "remote"]))


class SupplyListPublished(Payload):
    list_ref = Ref(required=True)
    in_reply_to = Ref(required=True)
    postings = fields.List(fields.Nested(PostingPayload), required=True)


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


class BatchProposed(Payload):
    batch_ref = Ref(required=True)
    supply_list_ref = Ref(required=True)
    matches = fields.List(fields.Nested(MatchPayload), required=True)


class ResultPayload(Payload):
    match_ref = Ref(required=True)
    outcome = fields.String(required=True, validate=OUTCOME)
    reason = fields.String(allow_none=True, load_default=None)
    start_date = fields.Date(allow_none=True, load_default=None)
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
    departed_at = fields.AwareDateTime(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(["train", "bus", "air", "other"]))
    escort = fields.Nested(Escort, required=True)
    expected_arrival = fields.Date(allow_none=True, load_default=None)
    travellers = fields.List(fields.Nested(TravellerPayload), required=True)


class ArrivalPayload(Payload):
    match_ref = Ref(required=True)
    arrived = fields.Boolean(required=True)
    arrived_at = fields.AwareDateTime(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)


class DispatchArrived(Payload):
    dispatch_ref = Ref(required=True)
    arrivals = fields.List(fields.Nested(ArrivalPayload), required=True)


class Spell(Payload):
    employer = fields.Nested(EmployerRef, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, load_default=None)
    monthly_wage_fen = Fen(allow_none=True, load_default=None)


class EmploymentUpdated(Payload):
    seeker_ref = Ref(required=True)
    spells = fields.List(fields.Nested(Spell), required=True)


class Receipt(Payload):
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    data_base64 = fields.String(required=True)


class SubsidyClaimed(Payload):
    claim_ref = Ref(required=True)
    kind = fields.String(required=True, validate=CLAIM_KIND)
    seeker_ref = Ref(required=True)
    amount_fen = Fen(required=True)
    travel_date = fields.Date(allow_none=True, load_default=None)
    dispatch_ref = Ref(allow_none=True, load_default=None)
    receipts = fields.List(fields.Nested(Receipt), load_default=list)


class SubsidyUpdated(Payload):
    claim_ref = Ref(required=True)
    kind = fields.String(required=True, validate=CLAIM_KIND)
    seeker_ref = Ref(required=True)
    milestone_months = fields.Integer(allow_none=True, load_default=None)
    amount_fen = Fen(required=True)
    approved_amount_fen = Fen(allow_none=True, load_default=None)
    status = fields.String(required=True, validate=CLAIM_STATUS)
    reason = fields.String(allow_none=True, load_default=None)
    decided_at = fields.AwareDateTime(allow_none=True, load_default=None)


class IncomeVerified(Payload):
    declaration_ref = Ref(required=True)
    seeker_ref = Ref(required=True)
    year = fields.Integer(required=True, strict=True)
    amount_fen = Fen(required=True)
    verified_at = fields.AwareDateTime(required=True)


class TrainingRecorded(Payload):
    record_ref = Ref(required=True)
    seeker_ref = Ref(required=True)
    course = fields.String(required=True)
    days = fields.Integer(required=True, strict=True, validate=validate.Range(0, 366))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)


class CaseEvent(Payload):
    case_ref = Ref(required=True)
    seeker_ref = Ref(required=True)
    kind = fields.String(required=True, validate=CASE_KIND)
    summary = fields.String(required=True)
    amount_fen = Fen(allow_none=True, load_default=None)
    status = fields.String(required=True, validate=CASE_STATUS)
    opened_at = fields.AwareDateTime(required=True)
    resolved_at = fields.AwareDateTime(allow_none=True, load_default=None)


class EmploymentCheckRequested(Payload):
    """An extension of this project (S→R): a follow-up found the person changed job or out of
    work; the receiving side gets a task to update the spells. A partner that does not know it
    records it as unsupported and goes on."""
    seeker_ref = Ref(required=True)
    reported_status = fields.String(required=True, validate=validate.OneOf(["changed_job", "unemployed"]))
    contacted_on = fields.Date(required=True)
    note = fields.String(allow_none=True, load_default=None)


PAYLOADS: dict[str, type[Payload]] = {
    "seeker_list.published": SeekerListPublished,
    "supply_list.published": SupplyListPublished,
    "placement_batch.proposed": BatchProposed,
    "recruitment.results": RecruitmentResults,
    "dispatch.departed": DispatchDeparted,
    "dispatch.arrived": DispatchArrived,
    "employment.updated": EmploymentUpdated,
    "subsidy.claimed": SubsidyClaimed,
    "subsidy.updated": SubsidyUpdated,
    "income.verified": IncomeVerified,
    "training.recorded": TrainingRecorded,
    "case.opened": CaseEvent,
    "case.updated": CaseEvent,
    "employment.check_requested": EmploymentCheckRequested,
}
