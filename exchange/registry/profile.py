"""Round 1's profile of a seeker (protocol.md, `seeker_list.published`): what the partner county
learns of a person before a proposed batch names them — no name, ID number or phone.

Declared once, here: the payload's schema; the seeker's columns it is made of; the row of the
partner's copy it fills; and (registry.service.present_seekers) what the partner's region is
shown of a person it knows only from a list."""
from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import fields, validate

from exchange.core.clock import age_on
from exchange.protocol.schemas import Day, Fen, Payload, Ref
from exchange.registry.vocab import EDUCATION_LEVELS, GENDERS, HOUSEHOLD_STATUSES, WORK_TYPES


class SeekerProfile(Payload):
    seeker_ref = Ref(required=True)
    gender = fields.String(required=True, validate=validate.OneOf(GENDERS))
    age = fields.Integer(required=True, strict=True, validate=validate.Range(0, 120))
    education = fields.String(required=True, validate=validate.OneOf(EDUCATION_LEVELS))
    skills = fields.List(fields.String(), load_default=list)
    occupations_wanted = fields.List(fields.String(), load_default=list)
    wage_expectation_fen = Fen(allow_none=True, load_default=None)
    work_type = fields.String(required=True, validate=validate.OneOf(WORK_TYPES))
    available_from = Day(allow_none=True, load_default=None)
    household_status = fields.String(required=True, validate=validate.OneOf(HOUSEHOLD_STATUSES))


# The profile's fields that are the seeker's columns as they are; the other two are the ref
# (seeker_ref) and the age, which the partner's copy keeps as age_reported.
COLUMNS = tuple(name for name in SeekerProfile._declared_fields if name not in ("seeker_ref", "age"))
# What a later list refreshes on the partner's copy of a seeker.
COPY_COLUMNS = ("age_reported", *COLUMNS)
_LISTS = {name for name, field in SeekerProfile._declared_fields.items() if isinstance(field, fields.List)}
_DATES = {name for name, field in SeekerProfile._declared_fields.items() if isinstance(field, fields.Date)}


def age_of(seeker, today: date) -> int | None:
    """Completed years today; a partner's copy knows only the age it was told."""
    return age_on(seeker.birth_date, today) if seeker.birth_date else seeker.age_reported


def profile(seeker, today: date) -> dict[str, Any]:
    """The profile as Python values, keyed as the payload is."""
    values = {name: getattr(seeker, name) for name in COLUMNS}
    values.update({name: list(values[name] or []) for name in _LISTS})
    return {"seeker_ref": seeker.ref, "age": age_of(seeker, today), **values}


def profile_payload(seeker, today: date) -> dict[str, Any]:
    """The profile as the event carries it (JSON values): the schema's dump, done by hand because
    a list of a hundred thousand people is published in one request."""
    values = profile(seeker, today)
    values.update({name: values[name].isoformat() for name in _DATES if values[name] is not None})
    return values


def copy_row(item: dict[str, Any]) -> dict[str, Any]:
    """A loaded profile → the columns of the partner's copy of the seeker."""
    return {"ref": item["seeker_ref"], "age_reported": item["age"], **{name: item[name] for name in COLUMNS}}
