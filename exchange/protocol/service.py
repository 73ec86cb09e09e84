"""Operating the feeds: pull now, where each feed stands, the quarantine, reconciliation."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from exchange.accounts.permissions import require_pairing_member, require_role
from exchange.accounts.roles import ADMIN, STAFF_ROLES, Actor
from exchange.core import audit
from exchange.core.errors import Conflict, NotFound
from exchange.core.context import Context
from exchange.extensions import db
from exchange.protocol.apply import apply_envelope, feed_state
from exchange.protocol.client import FeedError, pull, signed_get
from exchange.protocol.delivery import deliver_local
from exchange.protocol.models import AppliedEvent, OutboxEvent, QuarantinedEvent
from exchange.protocol.outbox import last_seq
from exchange.protocol.reconciliation import compare, local_digests


def sync(ctx: Context, actor: Actor, pairing_id: str) -> dict[str, Any]:
    """Pull the partner's events now (remote partner) or finish local delivery (partner here)."""
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_role(actor, ADMIN, *STAFF_ROLES)
    source = pairing.partner_of(actor.region).code
    if ctx.is_remote(pairing):
        result = pull(ctx, pairing, actor.region)
        return {"pairing": pairing.id, "source_region": source, "applied": result.applied,
                "duplicates": result.duplicates, "stopped": result.stopped, "errors": result.errors}
    outcomes = deliver_local(ctx, pairing, source)
    stopped = next((o for o in outcomes if o.status in ("gap", "quarantined", "stopped")), None)
    return {"pairing": pairing.id, "source_region": source,
            "applied": sum(1 for o in outcomes if o.status in ("applied", "unsupported")),
            "duplicates": sum(1 for o in outcomes if o.status == "duplicate"),
            "stopped": stopped.status if stopped else None,
            "errors": [f"seq {stopped.seq}: {stopped.detail}"] if stopped else []}


def _quarantine_view(row: QuarantinedEvent) -> dict[str, Any]:
    return {"id": row.id, "event_id": row.event_id, "seq": row.seq, "type": row.type, "reason": row.reason,
            "error": row.error, "status": row.status, "created_at": row.created_at, "resolved_at": row.resolved_at}


def feed_status(ctx: Context, actor: Actor, pairing_id: str) -> dict[str, Any]:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_role(actor, ADMIN)
    rt = ctx
    source = pairing.partner_of(actor.region).code
    state = feed_state(pairing.id, source)
    partner_last = state.partner_last_seq if rt.is_remote(pairing) else last_seq(pairing.id, source)
    quarantine = db.session.scalars(select(QuarantinedEvent).where(
        QuarantinedEvent.pairing_id == pairing.id, QuarantinedEvent.consumer_region == actor.region)
        .order_by(QuarantinedEvent.seq)).all()
    if rt.is_remote(pairing):
        # What the partner holds beyond our last pull is unknown here: the time since we last heard
        # (the feed's machinery keeps the real clock).
        lag_seconds = (int((ctx.clock.wall() - state.last_success_at).total_seconds())
                       if state.last_success_at else None)
    else:
        # Both outboxes are here: how long the oldest event not yet applied has been waiting (an
        # event occurs at the business's instant, so that is the clock to measure it by).
        waiting = db.session.scalar(select(OutboxEvent.occurred_at).where(
            OutboxEvent.pairing_id == pairing.id, OutboxEvent.source_region == source,
            OutboxEvent.seq == state.last_applied_seq + 1))
        lag_seconds = int((ctx.clock.now() - waiting).total_seconds()) if waiting else 0
    status = {
        "pairing": pairing.id, "region": actor.region, "partner_region": source,
        "topology": "remote" if rt.is_remote(pairing) else "local",
        "last_seq_authored": last_seq(pairing.id, actor.region),
        "last_applied_seq": state.last_applied_seq,
        "partner_last_seq": partner_last,
        "lag_events": max(0, (partner_last or 0) - state.last_applied_seq),
        "lag_seconds": lag_seconds,
        "last_pull_at": state.last_pull_at, "last_success_at": state.last_success_at,
        "last_applied_at": state.last_applied_at, "last_error": state.last_error, "last_error_at": state.last_error_at,
        "failures": state.failures or 0, "next_attempt_at": state.next_attempt_at, "stopped": state.stopped,
        "quarantine": [_quarantine_view(q) for q in quarantine],
    }
    db.session.commit()
    return status


def _open_quarantined(ctx: Context, actor: Actor, pairing_id: str, quarantine_id: int) -> tuple[Any, QuarantinedEvent]:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_role(actor, ADMIN)
    row = db.session.scalar(select(QuarantinedEvent).where(
        QuarantinedEvent.id == quarantine_id, QuarantinedEvent.pairing_id == pairing.id,
        QuarantinedEvent.consumer_region == actor.region))
    if row is None:
        raise NotFound("not_found", _("No quarantined event %(id)s", id=quarantine_id))
    if row.status != "open":
        raise Conflict("not_open", _("This event is no longer waiting in quarantine (%(status)s)", status=row.status))
    return pairing, row


def retry_quarantined(ctx: Context, actor: Actor, pairing_id: str, quarantine_id: int) -> dict[str, Any]:
    """Apply the quarantined event again (after a fix); later events follow if it succeeds."""
    pairing, row = _open_quarantined(ctx, actor, pairing_id, quarantine_id)
    audit.record(actor, "quarantine.retried", "quarantined_event", row.id, at=ctx.clock.now(), event_id=row.event_id,
                 seq=row.seq)
    db.session.commit()
    outcome = apply_envelope(ctx, dict(row.envelope), pairing, actor.region, force=True)
    if outcome.status == "applied":
        db.session.refresh(row)
        row.resolved_by = actor.user_id
        db.session.commit()
    if outcome.status == "applied" and not ctx.is_remote(pairing):
        deliver_local(ctx, pairing, row.source_region)
    db.session.refresh(row)
    return {"outcome": outcome.status, "detail": outcome.detail, "event": _quarantine_view(row)}


def skip_quarantined(ctx: Context, actor: Actor, pairing_id: str, quarantine_id: int) -> dict[str, Any]:
    """Give up on the event explicitly: it is recorded as skipped and the feed goes on after it."""
    pairing, row = _open_quarantined(ctx, actor, pairing_id, quarantine_id)
    state = feed_state(pairing.id, row.source_region, lock=True)
    if row.seq != state.last_applied_seq + 1:
        raise Conflict("not_next", _("Only the event the feed waits at can be skipped"))
    now = ctx.clock.wall()
    row.status, row.resolved_at, row.resolved_by = "skipped", now, actor.user_id
    db.session.add(AppliedEvent(event_id=row.event_id, pairing_id=pairing.id, source_region=row.source_region,
                                seq=row.seq, type=row.type, applied_at=now))
    state.last_applied_seq, state.stopped = row.seq, None
    audit.record(actor, "quarantine.skipped", "quarantined_event", row.id, at=ctx.clock.now(), event_id=row.event_id,
                 seq=row.seq)
    db.session.commit()
    if not ctx.is_remote(pairing):
        deliver_local(ctx, pairing, row.source_region)
    return {"outcome": "skipped", "detail": "", "event": _quarantine_view(row)}


def reconciliation(ctx: Context, actor: Actor, pairing_id: str) -> dict[str, Any]:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_role(actor, ADMIN, *STAFF_ROLES)
    mine = local_digests(pairing)
    db.session.commit()
    if ctx.is_remote(pairing):
        try:
            theirs = signed_get(ctx, pairing, actor.region, f"/feeds/v1/{pairing.id}/digests").get("kinds") or {}
        except FeedError as exc:
            raise Conflict("partner_unreachable", _("The partner's records could not be fetched: %(error)s", error=str(exc))) from None
    else:
        theirs = mine  # one instance holds one record per object for both regions
    kinds = compare(mine, theirs)
    return {"pairing": pairing.id, "in_agreement": all(not k["differences"] for k in kinds), "kinds": kinds}
