"""What crosses the API boundary for notifications and tasks."""
from __future__ import annotations

from marshmallow import Schema, fields

from exchange.core.fields import Instant
from exchange.core.pagination import ListQuery


class NotificationOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String()
    is_task = fields.Boolean()
    pairing = fields.String(attribute="pairing_id", allow_none=True)
    object_type = fields.String(allow_none=True)
    object_id = fields.Integer(allow_none=True)
    message = fields.String()
    created_at = Instant()
    read_at = Instant(allow_none=True)
    done_at = Instant(allow_none=True)


class NotificationQuery(ListQuery):
    unread = fields.Boolean(load_default=False)
    open_tasks = fields.Boolean(load_default=False)
