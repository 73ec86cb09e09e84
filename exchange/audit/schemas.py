"""What crosses the API edge for the audit trail and a person's access record."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from exchange.core.fields import MAX_ID, Day, Instant
from exchange.core.pagination import ListQuery


class TrailQuery(ListQuery):
    user = fields.String(load_default=None, validate=validate.Length(max=64), metadata={"description": "a user name"})
    action = fields.String(load_default=None, validate=validate.Length(max=64),
                           metadata={"description": "an action (`login.failed`), or a family (`login` for every `login.*`)"})
    object_type = fields.String(load_default=None, validate=validate.Length(max=32))
    object_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))
    from_ = Day(data_key="from", attribute="from", load_default=None,
                metadata={"description": "first day, Asia/Shanghai"})
    to = Day(load_default=None, metadata={"description": "last day, Asia/Shanghai (inclusive)"})


class EntryOut(Schema):
    id = fields.Integer(required=True)
    at = Instant(required=True)
    region = fields.String(required=True, metadata={"description": "empty for a failed login under an unknown name"})
    user_id = fields.Integer(allow_none=True)
    username = fields.String(required=True)
    action = fields.String(required=True)
    object_type = fields.String(required=True)
    object_id = fields.Integer(allow_none=True)
    details = fields.Dict(metadata={"description": "what the action adds: a reason, a count, a format …"})
    seal_seq = fields.Integer(allow_none=True, metadata={"description": "place in the hash chain; empty until sealed (within a minute)"})
    hash = fields.String(allow_none=True)


class AccessOut(Schema):
    id = fields.Integer(required=True, metadata={"description": "the audit entry"})
    at = Instant(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["revealed", "exported", "printed", "disclosed"]))
    action = fields.String(required=True)
    username = fields.String(required=True, metadata={"description": "who did it"})
    display_name = fields.String(allow_none=True)
    region = fields.String(required=True)
    object_type = fields.String(required=True)
    object_id = fields.Integer(allow_none=True)
    why = fields.String(required=True, metadata={"description": "the reason given, or what the identity was handled for"})
    recipient = fields.String(allow_none=True, metadata={"description": "for a disclosure: the region it went to"})
