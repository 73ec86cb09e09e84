"""Writing events to the outbox, in the same transaction as the change they announce."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from exchange.core.clock import Clock, iso_local
from exchange.extensions import db
from exchange.protocol.models import OutboxCounter, OutboxEvent
from exchange.protocol.schemas import PROTOCOL_VERSION

PENDING_KEY = "exchange.pending_delivery"


def _next_seq(pairing_id: str, source_region: str, count: int = 1) -> int:
    """The last of `count` new gap-free seqs: the counter row is updated (and so locked) by this
    transaction, so concurrent writers queue and no number is skipped or given twice."""
    for _attempt in range(3):
        row = db.session.execute(
            update(OutboxCounter)
            .where(OutboxCounter.pairing_id == pairing_id, OutboxCounter.source_region == source_region)
            .values(last_seq=OutboxCounter.last_seq + count)
            .returning(OutboxCounter.last_seq)).first()
        if row is not None:
            return row[0]
        try:
            with db.session.begin_nested():
                db.session.execute(insert(OutboxCounter).values(pairing_id=pairing_id, source_region=source_region,
                                                                last_seq=count))
            return count
        except IntegrityError:
            continue  # another writer created the counter first: update it
    raise RuntimeError("could not allocate an outbox seq")


def emit(pairing, source_region: str, event_type: str, data: dict[str, Any], clock: Clock) -> OutboxEvent:
    """Appends an event to the pairing's outbox of `source_region` (not committed here: the caller
    commits it with the change). If the partner region lives on this instance too, the event is
    delivered to it once the request's transaction has committed."""
    event = OutboxEvent(event_id=str(uuid.uuid4()), pairing_id=pairing.id, source_region=source_region,
                        seq=_next_seq(pairing.id, source_region), type=event_type,
                        protocol_version=PROTOCOL_VERSION, occurred_at=clock.now(), data=data)
    db.session.add(event)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, set()).add((pairing.id, source_region))
    return event


def emit_many(pairing, source_region: str, event_type: str, payloads: list[dict[str, Any]], clock: Clock) -> int:
    """Appends many events of one type at once (a retention scan's claims): one seq range, one
    bulk insert, in the caller's transaction."""
    from exchange.core.bulk import insert_rows

    if not payloads:
        return 0
    last = _next_seq(pairing.id, source_region, len(payloads))
    first, now = last - len(payloads) + 1, clock.now()
    insert_rows(OutboxEvent.__table__, [
        {"event_id": str(uuid.uuid4()), "pairing_id": pairing.id, "source_region": source_region, "seq": first + k,
         "type": event_type, "protocol_version": PROTOCOL_VERSION, "occurred_at": now, "data": data}
        for k, data in enumerate(payloads)])
    db.session.info.setdefault(PENDING_KEY, set()).add((pairing.id, source_region))
    return len(payloads)


def envelope(event: OutboxEvent) -> dict[str, Any]:
    return {"id": event.event_id, "seq": event.seq, "pairing": event.pairing_id, "type": event.type,
            "source_region": event.source_region, "protocol_version": event.protocol_version,
            "occurred_at": iso_local(event.occurred_at), "data": event.data}


def events_after(pairing_id: str, source_region: str, after: int, limit: int) -> list[OutboxEvent]:
    return list(db.session.scalars(select(OutboxEvent).where(
        OutboxEvent.pairing_id == pairing_id, OutboxEvent.source_region == source_region,
        OutboxEvent.seq > after).order_by(OutboxEvent.seq).limit(limit)))


def last_seq(pairing_id: str, source_region: str) -> int:
    return db.session.scalar(select(OutboxCounter.last_seq).where(
        OutboxCounter.pairing_id == pairing_id, OutboxCounter.source_region == source_region)) or 0
