"""Column types and mixins shared by the models of every feature."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, String, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

# JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator):
    """Instants stored as UTC and always read back timezone-aware, on both databases."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def new_ref() -> str:
    return str(uuid.uuid4())


class RefMixin:
    """Objects that cross to the partner carry the protocol's UUID, minted by their owner."""
    ref: Mapped[str] = mapped_column(String(36), unique=True, default=new_ref)


class CreatedMixin:
    """When the row was made: set by the service from the clock it was handed (no default, so a
    row can never take the wall clock behind EXCHANGE_TODAY's back)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
