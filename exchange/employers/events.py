"""What the partner county learns of an employer and of a posting (protocol.md: the postings of
`supply_list.published`, the employers of spells): declared once, here — the payload schemas,
how our rows become them, and the columns of the partner's copies they fill."""
from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import fields, validate

from exchange.employers.schemas import GENDER_REQUIREMENTS, INTERVIEW_MODES
from exchange.pairings.programmes import EMPLOYER_KINDS
from exchange.protocol.schemas import Day, Fen, Payload, Ref
from exchange.registry.vocab import EDUCATION_LEVELS, WORK_TYPES


class EmployerRef(Payload):
    employer_ref = Ref(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 128))
    uscc = fields.String(required=True, validate=validate.Length(1, 18))
    # An older partner names no kind: an enterprise.
    kind = fields.String(load_default="enterprise", validate=validate.OneOf(EMPLOYER_KINDS))


class AgencyRef(Payload):
    """The agency a match names (spec/programmes.md), as its own region registered and vetted it."""
    agency_ref = Ref(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 128))
    uscc = fields.String(required=True, validate=validate.Length(1, 18))


def agency_payload(agency) -> dict[str, Any] | None:
    return {"agency_ref": agency.ref, "name": agency.name, "uscc": agency.uscc} if agency is not None else None


class Requirements(Payload):
    gender = fields.String(load_default="any", validate=validate.OneOf(GENDER_REQUIREMENTS))
    age_min = fields.Integer(load_default=16, strict=True)
    age_max = fields.Integer(load_default=65, strict=True)
    education_min = fields.String(load_default="primary", validate=validate.OneOf(EDUCATION_LEVELS))
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
    work_type = fields.String(required=True, validate=validate.OneOf(WORK_TYPES))
    location_region = fields.String(required=True)
    address = fields.String(allow_none=True, load_default=None)
    housing = fields.Boolean(load_default=False)
    meals = fields.Boolean(load_default=False)
    contract_months = fields.Integer(load_default=0, strict=True)
    start_date = Day(required=True)
    interview_mode = fields.String(load_default="onsite", validate=validate.OneOf(INTERVIEW_MODES))


# A posting's columns the payload carries as they are; the partner's copy refreshes these.
POSTING_COLUMNS = ("title", "occupation", "headcount", "wage_min_fen", "wage_max_fen", "work_type", "location_region",
                   "address", "housing", "meals", "contract_months", "start_date", "interview_mode")
REQUIREMENT_COLUMNS = {"gender": "req_gender", "age_min": "req_age_min", "age_max": "req_age_max",
                       "education_min": "req_education_min", "skills": "req_skills"}
POSTING_COPY_COLUMNS = tuple(c for c in POSTING_COLUMNS if c != "location_region") + ("occupation_code",
                                                                                     *REQUIREMENT_COLUMNS.values())


def employer_payload(employer) -> dict[str, Any]:
    return {"employer_ref": employer.ref, "name": employer.name, "uscc": employer.uscc, "kind": employer.kind}


def posting_payload(posting, headcount: int) -> dict[str, Any]:
    """A posting as a supply list offers it, with the places offered in that list."""
    values = {name: getattr(posting, name) for name in POSTING_COLUMNS}
    values.update(headcount=headcount, start_date=posting.start_date.isoformat() if isinstance(posting.start_date, date)
                  else posting.start_date)
    return {"posting_ref": posting.ref, "employer": employer_payload(posting.employer), **values,
            "requirements": posting.requirements}


def posting_copy_row(item: dict[str, Any]) -> dict[str, Any]:
    """A loaded posting payload → the columns of the partner's copy (without region, employer, times)."""
    return {"ref": item["posting_ref"], **{name: item[name] for name in POSTING_COLUMNS},
            **{column: item["requirements"][key] for key, column in REQUIREMENT_COLUMNS.items()}}
