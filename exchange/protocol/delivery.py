"""Local delivery: when both regions of a pairing live on this instance, the partner's events are
applied here by reading this instance's own outbox — the same apply path a remote feed uses.
It runs right after the authoring transaction commits; whatever it could not apply then (a
crash, a quarantine) is picked up by the next delivery, a sync or the scheduler."""
from __future__ import annotations

import logging

from exchange.core.context import Context
from exchange.extensions import db
from exchange.protocol.apply import Outcome, apply_envelope, feed_state
from exchange.protocol.outbox import PENDING_KEY, envelope, events_after

log = logging.getLogger("exchange.protocol")
BATCH = 500


def consumer_here(ctx: Context, pairing, source_region: str) -> str | None:
    """The partner region of `source_region`, when this instance hosts it."""
    partner = pairing.partner_of(source_region).code
    return partner if ctx.hosts(partner) else None


def deliver_local(ctx: Context, pairing, source_region: str) -> list[Outcome]:
    consumer = consumer_here(ctx, pairing, source_region)
    if consumer is None or not ctx.hosts(source_region):
        return []
    outcomes: list[Outcome] = []
    while True:
        after = feed_state(pairing.id, source_region).last_applied_seq
        events = events_after(pairing.id, source_region, after, BATCH)
        db.session.commit()
        if not events:
            return outcomes
        for event in events:
            outcome = apply_envelope(ctx, envelope(event), pairing, consumer)
            outcomes.append(outcome)
            if outcome.status in ("gap", "quarantined", "stopped"):
                return outcomes


def deliver_pending(ctx: Context) -> None:
    """Delivers what this request's transactions emitted (and what those deliveries emitted)."""
    pairings = ctx.pairings
    for _round in range(10):
        pending = db.session.info.pop(PENDING_KEY, set())
        if not pending:
            return
        for pairing_id, source_region in sorted(pending):
            pairing = pairings.get(pairing_id)
            if ctx.is_remote(pairing):
                nudge_partner(ctx, pairing, source_region)
                continue
            try:
                deliver_local(ctx, pairing, source_region)
            except Exception:  # the authoring change is committed; a later delivery catches up
                db.session.rollback()
                log.exception("local delivery of %s/%s failed", pairing_id, source_region)


def nudge_partner(ctx: Context, pairing, source_region: str) -> None:
    """Tells the partner's instance there is something to pull (best effort, in the background:
    correctness never depends on it; the partner's schedule pulls anyway)."""
    import threading
    from urllib.parse import urlsplit

    import requests

    from exchange.protocol import signing

    secret = ctx.secrets[pairing.id].current
    base = (pairing.partner_of(source_region).url or "").rstrip("/")
    if not secret or not base:
        return
    path = urlsplit(base).path.rstrip("/") + f"/feeds/v1/{pairing.id}/nudge"
    timestamp = str(int(ctx.clock.wall().timestamp()))
    headers = {"X-Exchange-Pairing": pairing.id, "X-Exchange-Region": source_region, "X-Exchange-Timestamp": timestamp,
               "X-Exchange-Signature": signing.sign_request(secret, timestamp, "POST", path)}

    def send() -> None:
        try:
            requests.post(base + f"/feeds/v1/{pairing.id}/nudge", headers=headers, timeout=2)
        except requests.RequestException:
            pass
    threading.Thread(target=send, daemon=True).start()
