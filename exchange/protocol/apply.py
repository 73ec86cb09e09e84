"""Applying a partner's events: one registry of handlers (`@handles("dispatch.arrived")`), each
event in its own transaction together with the feed's new last_applied_seq. Replays are no-ops,
a gap stops, a failing event is quarantined and stops the feed, an unknown type is recorded and
skipped, a newer protocol version stops."""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exchange.core.context import Context
from exchange.extensions import db
from exchange.protocol.models import AppliedEvent, FeedState, QuarantinedEvent
from exchange.protocol.schemas import PROTOCOL_VERSION, Envelope, Payload

log = logging.getLogger("exchange.protocol")


@dataclass(frozen=True)
class ApplyContext:
    """One event being applied: where it comes from and goes, its envelope, and the instance's
    Context (the clock, the cipher …) for the services a handler calls."""
    pairing: Any
    source_region: str
    consumer_region: str
    envelope: dict[str, Any]
    context: Context

    @property
    def occurred_at(self):
        return self.envelope["occurred_at"]

    @property
    def clock(self):
        return self.context.clock

    @property
    def authored_here(self) -> bool:
        """The author's own rows are on this instance (both regions live here): the event only
        discloses them to the partner, and never overwrites them."""
        return self.context.hosts(self.source_region)


Handler = Callable[[dict[str, Any], ApplyContext], None]
HANDLERS: dict[str, Handler] = {}
PAYLOADS: dict[str, type[Payload]] = {}
# Who may author each event type: "sending", "receiving" or "payer" (None: either side).
AUTHORS: dict[str, str | None] = {}


def handles(event_type: str, *, payload: type[Payload], author: str | None = None) -> Callable[[Handler], Handler]:
    """Registers the handler of an event type and the schema its data loads with; `author` names
    the side that authors it (protocol.md's S→R / R→S), so an event from the other side is
    quarantined, never applied."""
    def register(func: Handler) -> Handler:
        if event_type in HANDLERS:
            raise RuntimeError(f"two handlers for {event_type}")
        HANDLERS[event_type], PAYLOADS[event_type], AUTHORS[event_type] = func, payload, author
        return func
    return register


def _authored_by(pairing, region: str, author: str | None) -> bool:
    if author is None:
        return True
    if author == "payer":     # of some programme; the handler checks the claim's own programme
        return region in pairing.payer_regions
    return pairing.side_of(region) == author


class ApplyProblem(Exception):
    """A handler refuses an event that loaded but cannot be applied (e.g. an unknown match_ref)."""


@dataclass
class Outcome:
    status: str            # applied | duplicate | gap | quarantined | unsupported | stopped
    seq: int
    detail: str = ""


def feed_state(pairing_id: str, source_region: str, *, lock: bool = False) -> FeedState:
    stmt = select(FeedState).where(FeedState.pairing_id == pairing_id, FeedState.source_region == source_region)
    if lock:
        stmt = stmt.with_for_update()
    state = db.session.scalar(stmt)
    if state is None:
        try:
            with db.session.begin_nested():
                db.session.add(FeedState(pairing_id=pairing_id, source_region=source_region, last_applied_seq=0,
                                         failures=0))
        except IntegrityError:
            pass  # created by a concurrent applier a moment ago
        state = db.session.scalar(stmt)
    return state


def _quarantine(state: FeedState, raw: dict[str, Any], consumer_region: str, reason: str, error: str, now,
                status: str = "open") -> None:
    existing = db.session.scalar(select(QuarantinedEvent).where(QuarantinedEvent.event_id == str(raw.get("id"))))
    if existing is None:
        db.session.add(QuarantinedEvent(
            event_id=str(raw.get("id")), pairing_id=state.pairing_id, source_region=state.source_region,
            consumer_region=consumer_region, seq=int(raw.get("seq") or 0), type=str(raw.get("type"))[:64],
            reason=reason, error=error[:4000], envelope=raw, status=status, created_at=now))
    else:
        existing.reason, existing.error, existing.status = reason, error[:4000], status


def apply_envelope(ctx: Context, raw: dict[str, Any], pairing, consumer_region: str, *, force: bool = False) -> Outcome:
    """Applies one envelope (already known to come from the pairing's partner) and commits.
    `force` applies an event that sits in quarantine (an operator's retry)."""
    now = ctx.clock.wall()
    source_region = pairing.partner_of(consumer_region).code
    state = feed_state(pairing.id, source_region, lock=True)
    seq = raw.get("seq") if isinstance(raw.get("seq"), int) else -1
    event_id = str(raw.get("id"))

    if db.session.scalar(select(AppliedEvent.id).where(AppliedEvent.event_id == event_id)) is not None:
        db.session.commit()
        return Outcome("duplicate", seq)
    if 0 < seq <= state.last_applied_seq:
        db.session.commit()
        return Outcome("duplicate", seq)
    if state.stopped == "quarantine" and not force:
        db.session.commit()
        return Outcome("stopped", seq, "a quarantined event waits for retry or skip")
    if seq != state.last_applied_seq + 1:
        state.stopped = "gap"
        state.last_error, state.last_error_at = f"gap: expected seq {state.last_applied_seq + 1}, got {seq}", now
        db.session.commit()
        return Outcome("gap", seq, state.last_error)

    try:
        envelope = Envelope().load(raw)
    except ValidationError as exc:
        return _stop(state, raw, consumer_region, "invalid", f"envelope: {exc.messages}", seq, now)
    if envelope["pairing"] != pairing.id or envelope["source_region"] != source_region:
        return _stop(state, raw, consumer_region, "invalid", "envelope names another pairing or region", seq, now)
    if envelope["protocol_version"] > PROTOCOL_VERSION:
        state.stopped = "protocol_version"
        return _stop(state, raw, consumer_region, "protocol_version",
                     f"protocol_version {envelope['protocol_version']} is newer than {PROTOCOL_VERSION}", seq, now)

    handler, schema = HANDLERS.get(envelope["type"]), PAYLOADS.get(envelope["type"])
    if handler is None or schema is None:
        # A newer partner's event type: recorded for the operator, and the feed goes on.
        _quarantine(state, raw, consumer_region, "unsupported", f"unsupported event type {envelope['type']}", now, "recorded")
        _advance(state, envelope, now)
        db.session.commit()
        return Outcome("unsupported", seq, envelope["type"])

    if not _authored_by(pairing, source_region, AUTHORS.get(envelope["type"])):
        return _stop(state, raw, consumer_region, "invalid",
                     f"{envelope['type']} is authored by the {AUTHORS[envelope['type']]} region, not by {source_region}", seq, now)
    try:
        data = schema().load(envelope["data"])
        context = ApplyContext(pairing=pairing, source_region=source_region, consumer_region=consumer_region,
                               envelope=envelope, context=ctx)
        with db.session.begin_nested():
            handler(data, context)
    except ValidationError as exc:
        return _stop(state, raw, consumer_region, "invalid", f"data: {exc.messages}", seq, now)
    except Exception as exc:  # any failure of a handler quarantines the event, never loses it
        log.warning("event %s (%s seq %s) failed: %s", event_id, envelope["type"], seq, exc)
        detail = str(exc) if isinstance(exc, ApplyProblem) else f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        return _stop(state, raw, consumer_region, "failed", detail, seq, now)
    _advance(state, envelope, now)
    if force:
        resolved = db.session.scalar(select(QuarantinedEvent).where(QuarantinedEvent.event_id == event_id))
        if resolved is not None:
            resolved.status, resolved.resolved_at = "retried", now
    db.session.commit()
    return Outcome("applied", seq)


def _advance(state: FeedState, envelope: dict[str, Any], now) -> None:
    db.session.add(AppliedEvent(event_id=envelope["id"], pairing_id=envelope["pairing"],
                                source_region=envelope["source_region"], seq=envelope["seq"], type=envelope["type"],
                                applied_at=now))
    state.last_applied_seq = envelope["seq"]
    state.last_applied_at = now
    if state.stopped in ("gap", "quarantine"):
        state.stopped = None


def _stop(state: FeedState, raw: dict[str, Any], consumer_region: str, reason: str, error: str, seq: int, now) -> Outcome:
    db.session.rollback()
    state = feed_state(state.pairing_id, state.source_region, lock=True)
    _quarantine(state, raw, consumer_region, reason, error, now)
    state.stopped = "protocol_version" if reason == "protocol_version" else "quarantine"
    state.last_error, state.last_error_at = f"seq {seq} quarantined ({reason}): {error[:500]}", now
    db.session.commit()
    return Outcome("quarantined", seq, error)
