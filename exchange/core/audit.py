"""The audit trail: who did what to which object, when. Never holds personal identifiers."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.models import JSONType, UTCDateTime
from exchange.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    region: Mapped[str] = mapped_column(String(6), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    @classmethod
    def visible_to(cls, viewer):
        return cls.region == viewer.region


def record(actor, action: str, object_type: str, object_id: int | None, *, at: datetime, **details: Any) -> AuditEntry:
    """Adds an audit entry to the current transaction (committed with the change it records);
    `at` is the instant of the change, from the service's clock."""
    entry = AuditEntry(at=at, region=actor.region, user_id=actor.user_id, username=actor.username,
                       action=action, object_type=object_type, object_id=object_id, details=details)
    db.session.add(entry)
    return entry
