"""What crosses the API edge for households."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import Day, LocalId
from exchange.core.pagination import ListQuery
from exchange.registry.vocab import HOUSEHOLD_STATUSES


class HouseholdIn(Schema):
    household_no = fields.String(required=True, validate=validate.Length(1, 32),
                                 metadata={"description": "the number in the poverty registry, unique in the region"})
    status = fields.String(required=True, validate=validate.OneOf(HOUSEHOLD_STATUSES))
    township = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    village = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    official_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64),
                                  metadata={"description": "帮扶责任人"})
    official_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    member_ids = fields.List(LocalId(), load_default=list, validate=validate.Length(max=50),
                             metadata={"description": "seekers of the region who belong to the household"})


class HouseholdQuery(ListQuery):
    zero_employment = fields.Boolean(load_default=None, metadata={"description": "true: only zero-employment households"})
    as_of = Day(load_default=None, metadata={"description": "the day counted (default today, Asia/Shanghai)"})
    status = fields.String(load_default=None, validate=validate.OneOf(HOUSEHOLD_STATUSES))


class MemberOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(allow_none=True)
    gender = fields.String(allow_none=True)
    age = fields.Integer(allow_none=True)
    working_age = fields.Boolean(required=True, metadata={"description": "16–60 on the day counted"})
    employed = fields.Boolean(required=True, metadata={"description": "a spell covers the day counted"})


class HouseholdOut(Schema):
    id = fields.Integer(required=True)
    household_no = fields.String(required=True)
    status = fields.String(required=True)
    township = fields.String(allow_none=True)
    village = fields.String(allow_none=True)
    official_name = fields.String(allow_none=True)
    official_phone = fields.String(allow_none=True)
    as_of = fields.Date(required=True)
    members = fields.Integer(required=True, metadata={"description": "how many"})
    working_age = fields.Integer(required=True)
    employed = fields.Integer(required=True)
    zero_employment = fields.Boolean(required=True, metadata={"description": "working-age members, none employed"})
    zero_employment_a_month_before = fields.Boolean(required=True)


class HouseholdDetail(HouseholdOut):
    people = fields.List(fields.Nested(MemberOut), required=True)
