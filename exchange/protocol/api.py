"""/api/v1/pairings/{pairing_id}: sync, feed status, quarantine, reconciliation."""
from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields

from exchange.core.api import operation
from exchange.core.context import current_context
from exchange.core.fields import Instant
from exchange.protocol import service
from exchange.protocol.delivery import deliver_pending

bp = Blueprint("protocol", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
TAG = "Partner feeds"


@bp.after_app_request
def deliver_to_local_partner(response):
    # Events for a partner region hosted here are applied after the author's commit, before the
    # response leaves (protocol.md: local delivery through the same apply code).
    deliver_pending(current_context())
    return response


class SyncOut(Schema):
    pairing = fields.String(required=True)
    source_region = fields.String(required=True)
    applied = fields.Integer(required=True)
    duplicates = fields.Integer(required=True)
    stopped = fields.String(allow_none=True)
    errors = fields.List(fields.String(), required=True)


class QuarantinedOut(Schema):
    id = fields.Integer(required=True)
    event_id = fields.String()
    seq = fields.Integer()
    type = fields.String()
    reason = fields.String(metadata={"enum": ["invalid", "unsupported", "protocol_version", "failed"]})
    error = fields.String()
    status = fields.String(metadata={"enum": ["open", "retried", "skipped", "recorded"]})
    created_at = Instant()
    resolved_at = Instant(allow_none=True)


class FeedStatusOut(Schema):
    pairing = fields.String(required=True)
    region = fields.String(required=True)
    partner_region = fields.String(required=True)
    topology = fields.String(metadata={"enum": ["local", "remote"]})
    last_seq_authored = fields.Integer(required=True)
    last_applied_seq = fields.Integer(required=True)
    partner_last_seq = fields.Integer(allow_none=True)
    lag_events = fields.Integer()
    lag_seconds = fields.Integer(allow_none=True)
    last_pull_at = Instant(allow_none=True)
    last_success_at = Instant(allow_none=True)
    last_applied_at = Instant(allow_none=True)
    last_error = fields.String(allow_none=True)
    last_error_at = Instant(allow_none=True)
    failures = fields.Integer()
    next_attempt_at = Instant(allow_none=True)
    stopped = fields.String(allow_none=True)
    quarantine = fields.List(fields.Nested(QuarantinedOut))


class QuarantineActionOut(Schema):
    outcome = fields.String(required=True)
    detail = fields.String()
    event = fields.Nested(QuarantinedOut)


class Difference(Schema):
    ref = fields.String()
    here = fields.String(allow_none=True)
    partner = fields.String(allow_none=True)
    problem = fields.String(metadata={"enum": ["only_here", "only_partner", "differs"]})


class KindOut(Schema):
    kind = fields.String()
    here = fields.Integer()
    partner = fields.Integer()
    differences = fields.List(fields.Nested(Difference))


class ReconciliationOut(Schema):
    pairing = fields.String(required=True)
    in_agreement = fields.Boolean(required=True)
    kinds = fields.List(fields.Nested(KindOut), required=True)


@operation(bp, "/sync", "POST", summary="Pull the partner's events now", tag=TAG, response=SyncOut)
def sync(actor, ctx, pairing_id):
    return service.sync(ctx, actor, pairing_id)


@operation(bp, "/feed-status", "GET", summary="Where the feeds of this pairing stand", tag=TAG, response=FeedStatusOut)
def feed_status(actor, ctx, pairing_id):
    return service.feed_status(ctx, actor, pairing_id)


@operation(bp, "/quarantine/<int:quarantine_id>/retry", "POST", summary="Apply a quarantined event again",
           tag=TAG, response=QuarantineActionOut)
def retry(actor, ctx, pairing_id, quarantine_id):
    return service.retry_quarantined(ctx, actor, pairing_id, quarantine_id)


@operation(bp, "/quarantine/<int:quarantine_id>/skip", "POST", summary="Skip a quarantined event explicitly",
           tag=TAG, response=QuarantineActionOut)
def skip(actor, ctx, pairing_id, quarantine_id):
    return service.skip_quarantined(ctx, actor, pairing_id, quarantine_id)


@operation(bp, "/reconciliation", "GET", summary="Objects on which the two regions' records disagree", tag=TAG,
           response=ReconciliationOut)
def reconciliation(actor, ctx, pairing_id):
    return service.reconciliation(ctx, actor, pairing_id)
