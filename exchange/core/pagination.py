"""Cursor pagination by local id: `?limit=` (default 50, at most 500) and an opaque `?cursor=`."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, validate

from exchange.core import safejson
from exchange.core.errors import Invalid
from exchange.core.fields import MAX_ID
from exchange.extensions import db

DEFAULT_LIMIT, MAX_LIMIT = 50, 500


class ListQuery(Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT),
                           metadata={"description": "page size, at most 500"})
    cursor = fields.String(load_default=None, metadata={"description": "next_cursor of the previous page"})
    ref = fields.String(load_default=None, validate=validate.Length(max=64),
                        metadata={"description": "the protocol UUID of an object: finds the local copy"})


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = safejson.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
            raise ValueError   # beyond every id: a forged cursor (an id column is 32 bits)
        return after
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise Invalid.field("cursor", "bad_value", "cursor is not one this server gave") from None


def paginate(stmt, model, *, limit: int, cursor: str | None) -> Page:
    """Runs `stmt` (already scoped and filtered) ordered by id, one page at a time."""
    after = decode_cursor(cursor)
    rows = list(db.session.scalars(stmt.where(model.id > after).order_by(model.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(rows[-1].id) if more and rows else None)
