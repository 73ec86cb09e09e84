"""Offline bundles for county offices with poor connectivity: a signed file of outbox events,
carried by hand and applied through the same apply path as the online feed (so importing a
bundle and pulling the feed, in either order, converge)."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from exchange.core.context import Context
from exchange.core.errors import Invalid
from exchange.extensions import db
from exchange.protocol import signing
from exchange.protocol.apply import apply_envelope, feed_state
from exchange.protocol.outbox import envelope, events_after

FORMAT = "exchange-bundle/1"


def _message(timestamp: str, pairing_id: str, source_region: str, events: list[dict]) -> str:
    canonical = json.dumps(events, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return f"{timestamp}.BUNDLE.{pairing_id}.{source_region}.{hashlib.sha256(canonical).hexdigest()}"


def export_bundle(ctx: Context, pairing_id: str, source_region: str | None, after: int) -> dict[str, Any]:
    rt = ctx
    pairing = rt.pairings.get(pairing_id)
    if pairing is None:
        raise Invalid.field("pairing", "not_found", f"no pairing {pairing_id}")
    hosted = [code for code in pairing.regions if rt.hosts(code)]
    if source_region is None:
        if len(hosted) != 1:
            raise Invalid.field("region", "missing", "this instance hosts both regions: name the authoring region with --region")
        source_region = hosted[0]
    if source_region not in hosted:
        raise Invalid.field("region", "bad_value", f"region {source_region} is not hosted here")
    secrets = rt.secrets[pairing.id]
    if not secrets.current:
        raise Invalid.field("secret", "missing", f"{pairing.secret_env} is not set: a bundle must be signed")
    events, cursor = [], after
    while True:
        page = events_after(pairing.id, source_region, cursor, 1000)
        if not page:
            break
        events.extend(envelope(e) for e in page)
        cursor = page[-1].seq
    db.session.commit()
    timestamp = str(int(ctx.clock.wall().timestamp()))
    return {"format": FORMAT, "pairing": pairing.id, "source_region": source_region, "after": after,
            "events": events, "timestamp": timestamp,
            "signature": signing.sign(secrets.current, _message(timestamp, pairing.id, source_region, events))}


def import_bundle(ctx: Context, bundle: Any) -> dict[str, Any]:
    rt = ctx
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT or not isinstance(bundle.get("events"), list):
        raise Invalid.field("bundle", "bad_value", f"not an {FORMAT} file")
    pairing = rt.pairings.get(str(bundle.get("pairing")))
    source = str(bundle.get("source_region"))
    if pairing is None or source not in pairing.regions:
        raise Invalid.field("bundle", "bad_value", "the bundle names an unknown pairing or region")
    consumer = pairing.partner_of(source).code
    if not rt.hosts(consumer):
        raise Invalid.field("bundle", "bad_value", f"the bundle is for region {consumer}, which this instance does not host")
    message = _message(str(bundle.get("timestamp")), pairing.id, source, bundle["events"])
    if not signing.verify(rt.secrets[pairing.id], message, str(bundle.get("signature"))):
        raise Invalid.field("signature", "bad_signature", "the bundle's signature does not verify with the pairing's secret")
    counts = {"applied": 0, "duplicate": 0, "stopped": None}
    seqs = [e["seq"] for e in bundle["events"] if isinstance(e, dict) and isinstance(e.get("seq"), int)]
    if seqs:   # the feed status learns how far the partner had got, as after a pull
        state = feed_state(pairing.id, source)
        state.partner_last_seq = max(state.partner_last_seq or 0, *seqs)
        db.session.commit()
    for event in sorted(bundle["events"], key=lambda e: e.get("seq", 0) if isinstance(e, dict) else 0):
        outcome = apply_envelope(ctx, event, pairing, consumer)
        if outcome.status in ("applied", "unsupported"):
            counts["applied"] += 1
        elif outcome.status == "duplicate":
            counts["duplicate"] += 1
        else:
            counts["stopped"] = f"seq {outcome.seq}: {outcome.status} {outcome.detail}"[:500]
            break
    return counts
