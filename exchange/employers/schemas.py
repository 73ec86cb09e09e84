"""What crosses the API boundary for employers and postings."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from exchange.core.fields import Choice, Fen, Instant, LenientBool, LenientDate, LocalId, StrList
from exchange.core.pagination import ListQuery
from exchange.employers.models import APPROVED, CLOSED, OPEN, PENDING, REJECTED
from exchange.pairings.programmes import EMPLOYER_KINDS
from exchange.registry import vocab

REGION = validate.Regexp(r"^\d{6}$", error="a 6-digit region code")
GENDER_REQUIREMENTS = ("any", "M", "F")
INTERVIEW_MODES = ("onsite", "remote")


ACCOUNT = r"^[0-9 -]{6,40}$"
VET_STATUSES = [PENDING, APPROVED, REJECTED]


class AgencyIn(Schema):
    """An organisation of the caller's region: an employment agency as it is; an employer adds its
    kind and address (EmployerIn)."""
    name = fields.String(required=True, validate=validate.Length(2, 128))
    uscc = fields.String(required=True, metadata={"description": "统一社会信用代码, 18 characters"})
    contact_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    bank_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40),
                              metadata={"description": "开户银行, for programmes that pay the organisation"})
    bank_account = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(ACCOUNT))


class EmployerIn(AgencyIn):
    kind = fields.String(load_default="enterprise", validate=validate.OneOf(EMPLOYER_KINDS),
                         metadata={"description": "enterprise, workshop (就业帮扶车间), base (就业帮扶基地) or public_post (公益性岗位)"})
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))


class AgencyOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    region = fields.String(required=True)
    name = fields.String(required=True)
    uscc = fields.String(required=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    bank_name = fields.String(allow_none=True)
    bank_account = fields.String(allow_none=True)
    status = fields.String(required=True, metadata={"enum": VET_STATUSES})
    vet_reason = fields.String(allow_none=True)
    vetted_at = Instant(allow_none=True)
    created_at = Instant(allow_none=True)


class EmployerOut(AgencyOut):
    kind = fields.String(required=True, metadata={"enum": list(EMPLOYER_KINDS)})
    address = fields.String(allow_none=True)


class AgencyQuery(ListQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(VET_STATUSES))
    q = fields.String(load_default=None, validate=validate.Length(max=64), metadata={"description": "name contains"})


class EmployerQuery(AgencyQuery):
    kind = fields.String(load_default=None, validate=validate.OneOf(EMPLOYER_KINDS))
    uscc = fields.String(load_default=None, validate=validate.Length(max=18))


class OrganisationPatch(Schema):
    """Contact and bank details of an employer or agency; only the fields sent change."""
    contact_name = fields.String(allow_none=True, validate=validate.Length(max=64))
    contact_phone = fields.String(allow_none=True, validate=validate.Length(max=20))
    bank_name = fields.String(allow_none=True, validate=validate.Length(max=40))
    bank_account = fields.String(allow_none=True, validate=validate.Regexp(ACCOUNT))


class EmployerPatch(OrganisationPatch):
    address = fields.String(allow_none=True, validate=validate.Length(max=255))


class VetIn(Schema):
    decision = fields.String(required=True, validate=validate.OneOf([APPROVED, REJECTED]))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class RequirementsSchema(Schema):
    gender = Choice(GENDER_REQUIREMENTS, load_default="any")
    age_min = fields.Integer(load_default=16, validate=validate.Range(16, 70))
    age_max = fields.Integer(load_default=60, validate=validate.Range(16, 70))
    education_min = Choice(vocab.EDUCATION_LEVELS, vocab.parse_education, load_default="primary")
    skills = StrList(load_default=list)

    @validates_schema
    def ages_in_order(self, data, **kwargs):
        if data.get("age_min") is not None and data.get("age_max") is not None and data["age_min"] > data["age_max"]:
            raise ValidationError("age_min must not exceed age_max", "age_min")


class PostingIn(Schema):
    employer_id = LocalId(required=True)
    title = fields.String(required=True, validate=validate.Length(1, 128))
    occupation = fields.String(required=True, validate=validate.Length(1, 64),
                               metadata={"description": "a name, an alias or a GB/T 6565 code"})
    headcount = fields.Integer(required=True, strict=True, validate=validate.Range(1, 100000))
    wage_min_fen = Fen(required=True)
    wage_max_fen = Fen(required=True)
    requirements = fields.Nested(RequirementsSchema, load_default=lambda: RequirementsSchema().load({}))
    work_type = Choice(vocab.WORK_TYPES, vocab.parse_work_type, load_default="long_term")
    location_region = fields.String(required=True, validate=REGION)
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))
    housing = LenientBool(load_default=False)
    meals = LenientBool(load_default=False)
    contract_months = fields.Integer(load_default=12, strict=True, validate=validate.Range(0, 120))
    start_date = LenientDate(required=True)
    interview_mode = Choice(INTERVIEW_MODES, load_default="onsite")

    @validates_schema
    def wages_in_order(self, data, **kwargs):
        if data.get("wage_min_fen") is not None and data.get("wage_max_fen") is not None \
                and data["wage_min_fen"] > data["wage_max_fen"]:
            raise ValidationError("wage_min_fen must not exceed wage_max_fen", "wage_min_fen")


class RequirementsOut(Schema):
    gender = fields.String()
    age_min = fields.Integer()
    age_max = fields.Integer()
    education_min = fields.String()
    skills = fields.List(fields.String())


class PostingOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    region = fields.String(required=True)
    employer_id = fields.Integer(required=True)
    employer = fields.Nested(EmployerOut(only=("id", "ref", "name", "uscc", "status")))
    title = fields.String(required=True)
    occupation = fields.String(required=True)
    occupation_code = fields.String(allow_none=True)
    headcount = fields.Integer(required=True)
    wage_min_fen = fields.Integer(required=True)
    wage_max_fen = fields.Integer(required=True)
    requirements = fields.Nested(RequirementsOut)
    work_type = fields.String()
    location_region = fields.String()
    address = fields.String(allow_none=True)
    housing = fields.Boolean()
    meals = fields.Boolean()
    contract_months = fields.Integer()
    start_date = fields.Date()
    interview_mode = fields.String()
    status = fields.String(metadata={"enum": [OPEN, CLOSED]})
    created_at = Instant(allow_none=True)


class PostingQuery(ListQuery):
    employer_id = fields.Integer(load_default=None, validate=validate.Range(1, 2_147_483_647))
    status = fields.String(load_default=None, validate=validate.OneOf([OPEN, CLOSED]))
