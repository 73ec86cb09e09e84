"""Batches of matches (匹配清单) and dispatches of travellers (组织输送)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.disclosure import disclosed_to
from exchange.core.models import CreatedMixin, JSONType, RefMixin, UTCDateTime
from exchange.extensions import db

DRAFT, PROPOSED = "draft", "proposed"
PENDING, HIRED, REJECTED, WITHDRAWN = "pending", "hired", "rejected", "withdrawn"
DEPARTED, ARRIVED = "departed", "arrived"


class Batch(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(6))
    supply_list_id: Mapped[int] = mapped_column(ForeignKey("supply_lists.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    proposed_seq: Mapped[int | None] = mapped_column(Integer)   # of its placement_batch.proposed event
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    matches: Mapped[list["Match"]] = relationship(order_by="Match.id", back_populates="batch",
                                                  cascade="all, delete-orphan")

    @classmethod
    def visible_to(cls, viewer):
        """The partner sees a batch once its placement_batch.proposed event was applied for it."""
        return or_(cls.region == viewer.region, disclosed_to("batch", cls.id, viewer))


class Match(RefMixin, db.Model):
    """One seeker proposed for one posting, and what the employer decided."""
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("batch_id", "seeker_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    # The employment agency that brought the person (spec/programmes.md), when one did.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    score: Mapped[float | None] = mapped_column()
    reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    outcome: Mapped[str] = mapped_column(String(10), default=PENDING)
    reason: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[date | None] = mapped_column(Date)
    monthly_wage_fen: Mapped[int | None] = mapped_column(Integer)
    result_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The seq of the recruitment.results event that made the match hired (see supply_capacities);
    # a later result that keeps it hired (a corrected wage) keeps the seq.
    result_seq: Mapped[int | None] = mapped_column(Integer)

    batch: Mapped[Batch] = relationship(back_populates="matches")
    results: Mapped[list["MatchResult"]] = relationship(order_by="MatchResult.id", cascade="all, delete-orphan")


class MatchResult(db.Model):
    """Every recruitment result recorded for a match, in order: the latest is the match's outcome,
    the earlier ones stay on the person's timeline."""
    __tablename__ = "match_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[date | None] = mapped_column(Date)
    monthly_wage_fen: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Dispatch(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "dispatches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(6))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    departed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    mode: Mapped[str] = mapped_column(String(8))
    escort_name: Mapped[str] = mapped_column(String(64))
    escort_phone: Mapped[str] = mapped_column(String(20))
    expected_arrival: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=DEPARTED)
    departed_seq: Mapped[int | None] = mapped_column(Integer)   # of its dispatch.departed event
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    travellers: Mapped[list["Traveller"]] = relationship(order_by="Traveller.id", back_populates="dispatch",
                                                         cascade="all, delete-orphan")
    batch: Mapped[Batch] = relationship()

    @classmethod
    def visible_to(cls, viewer):
        """The partner sees a dispatch once its dispatch.departed event was applied for it."""
        return or_(cls.region == viewer.region, disclosed_to("dispatch", cls.id, viewer))


class Traveller(db.Model):
    """A hired match travelling in a dispatch; each match travels at most once."""
    __tablename__ = "travellers"
    __table_args__ = (UniqueConstraint("match_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id"), index=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    arrived: Mapped[bool | None] = mapped_column(Boolean)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(String(500))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())   # when the arrival was recorded

    dispatch: Mapped[Dispatch] = relationship(back_populates="travellers")
    match: Mapped[Match] = relationship()
