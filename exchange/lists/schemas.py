"""What crosses the API boundary for seeker lists and supply lists."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import Instant, LocalId
from exchange.core.pagination import ListQuery
from exchange.employers.schemas import PostingOut
from exchange.registry.schemas import SeekerOut


class SeekerListIn(Schema):
    title = fields.String(required=True, validate=validate.Length(1, 200))
    seeker_ids = fields.List(LocalId(), required=True, validate=validate.Length(1, 100_000))


class SeekerListOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    pairing = fields.String(required=True, attribute="pairing_id")
    region = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["draft", "published"]})
    published_at = Instant(allow_none=True)
    created_at = Instant(allow_none=True)
    seeker_count = fields.Integer()
    seeker_ids = fields.List(fields.Integer())
    seekers = fields.List(fields.Nested(SeekerOut), metadata={"description": "as the caller's region may see them"})


class ListStatusQuery(ListQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(["draft", "published"]))


class SupplyListIn(Schema):
    in_reply_to = LocalId(required=True, metadata={"description": "local id of the seeker list answered"})
    posting_ids = fields.List(LocalId(), required=True, validate=validate.Length(1, 10_000))
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class OfferedPosting(Schema):
    posting_id = fields.Integer(required=True)
    headcount = fields.Integer(required=True, metadata={"description": "places offered in this list"})
    posting = fields.Nested(PostingOut)


class SupplyListOut(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    pairing = fields.String(required=True, attribute="pairing_id")
    region = fields.String(required=True)
    title = fields.String(allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["draft", "published"]})
    in_reply_to = fields.Integer(required=True, attribute="seeker_list_id")
    in_reply_to_ref = fields.String()
    published_at = Instant(allow_none=True)
    created_at = Instant(allow_none=True)
    posting_ids = fields.List(fields.Integer())
    postings = fields.List(fields.Nested(OfferedPosting))
