"""Follow-up logs (never edited: a correction is a new log) and cases with their history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.models import CreatedMixin, JSONType, RefMixin, UTCDateTime
from exchange.core.pairing_scope import in_pairings_of
from exchange.extensions import db

METHODS = ("visit", "phone", "message")
STATUSES = ("employed", "changed_job", "unemployed", "returned_home", "unreachable")
ISSUES = ("wage_arrears", "housing", "health", "contract", "safety", "family", "other")
CASE_KINDS = ("wage_arrears", "contract", "safety", "other")
OPEN, IN_PROGRESS, RESOLVED = "open", "in_progress", "resolved"


class FollowUp(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_pairing_seeker", "pairing_id", "seeker_id", "contacted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"))
    method: Mapped[str] = mapped_column(String(10))
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    issues: Mapped[list[str]] = mapped_column(JSONType, default=list)
    note: Mapped[str | None] = mapped_column(String(1000))
    next_due: Mapped[date | None] = mapped_column(Date)
    # Indexed: "the logs no later log corrects" is asked of every log by the schedule and indicators.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, viewer):
        return cls.region == viewer.region


class Case(RefMixin, db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(6))               # the region that opened it (sending)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(1000))
    amount_fen: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=OPEN)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    notes: Mapped[list["CaseNote"]] = relationship(order_by="CaseNote.id", cascade="all, delete-orphan")

    @classmethod
    def visible_to(cls, viewer):
        return or_(cls.region == viewer.region, in_pairings_of(cls.pairing_id, viewer))


class CaseNote(db.Model):
    """The case's history: each change of status with its note."""
    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(1000))
    by_region: Mapped[str] = mapped_column(String(6))
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
