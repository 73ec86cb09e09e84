"""The envelope every event of protocol version 1 travels in, and what every payload schema
shares. Each feature declares the payloads of the events it authors beside them (its events.py)
and registers them with its handlers (protocol.apply.handles). An event whose data does not load
is quarantined; fields a newer partner adds are ignored."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from exchange.core.fields import Day, Stamp  # noqa: F401  (a payload's dates and instants, 1900–2100)

PROTOCOL_VERSION = 1

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
    occurred_at = Stamp(required=True)
    data = fields.Dict(required=True)
