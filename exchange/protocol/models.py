"""The outbox (events authored here), and the consumer's side: what was applied, where each
feed stands, and the quarantine."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.models import JSONType, UTCDateTime
from exchange.extensions import db


class OutboxEvent(db.Model):
    """One event a home region authored for a pairing, numbered 1, 2, 3… without gaps per
    (pairing, source region). Never updated or deleted."""
    __tablename__ = "outbox_events"
    __table_args__ = (UniqueConstraint("pairing_id", "source_region", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    pairing_id: Mapped[str] = mapped_column(String(64))
    source_region: Mapped[str] = mapped_column(String(6))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64))
    protocol_version: Mapped[int] = mapped_column(Integer, default=1)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)

    @classmethod
    def visible_to(cls, viewer):
        return cls.source_region == viewer.region


class OutboxCounter(db.Model):
    """The last seq handed out per (pairing, source region): its row lock makes seqs gap-free."""
    __tablename__ = "outbox_counters"

    pairing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_region: Mapped[str] = mapped_column(String(6), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class AppliedEvent(db.Model):
    """Events of a partner applied here: a second copy of the same event id is a no-op."""
    __tablename__ = "applied_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    pairing_id: Mapped[str] = mapped_column(String(64))
    source_region: Mapped[str] = mapped_column(String(6))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FeedState(db.Model):
    """Where the consumer of one feed — (pairing, source region) — stands."""
    __tablename__ = "feed_states"

    pairing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_region: Mapped[str] = mapped_column(String(6), primary_key=True)
    last_applied_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_pull_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    partner_last_seq: Mapped[int | None] = mapped_column(Integer)
    stopped: Mapped[str | None] = mapped_column(String(32))   # gap | quarantine | protocol_version


class QuarantinedEvent(db.Model):
    """An event that could not be applied (or was of an unknown type), kept whole with the error
    until an operator retries or skips it."""
    __tablename__ = "quarantined_events"
    __table_args__ = (UniqueConstraint("event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    source_region: Mapped[str] = mapped_column(String(6))
    consumer_region: Mapped[str] = mapped_column(String(6), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(32))        # invalid | unsupported | protocol_version | failed
    error: Mapped[str] = mapped_column(Text)
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16), default="open")   # open | retried | skipped | recorded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, viewer):
        return cls.consumer_region == viewer.region
