"""A notification for the users of one region and role (or one user)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.models import CreatedMixin, UTCDateTime
from exchange.extensions import db


class Notification(CreatedMixin, db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_region_role", "region", "role", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    role: Mapped[str | None] = mapped_column(String(32))          # None: every user of the region
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pairing_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))                  # followup_overdue | case_overdue | task_employment …
    is_task: Mapped[bool] = mapped_column(default=False)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(500))
    # One reminder per occasion: the scheduler may run every hour and says each thing once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def visible_to(cls, viewer):
        mine = or_(cls.user_id == getattr(viewer, "user_id", None),
                   and_(cls.user_id.is_(None), or_(cls.role.is_(None), cls.role == getattr(viewer, "role", None))))
        return and_(cls.region == viewer.region, mine)
