"""The payloads of round 1's events (protocol.md): a seeker list of profiles, and the supply list
of postings that answers it."""
from __future__ import annotations

from marshmallow import fields, validate

from exchange.employers.events import PostingPayload
from exchange.protocol.schemas import Payload, Ref
from exchange.registry.profile import SeekerProfile


class SeekerListPublished(Payload):
    list_ref = Ref(required=True)
    title = fields.String(required=True, validate=validate.Length(max=200))
    seekers = fields.List(fields.Nested(SeekerProfile), required=True)


class SupplyListPublished(Payload):
    list_ref = Ref(required=True)
    in_reply_to = Ref(required=True)
    postings = fields.List(fields.Nested(PostingPayload), required=True)
