"""Seeker lists and supply lists with their items."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.models import CreatedMixin, RefMixin, UTCDateTime
from exchange.core.pairing_scope import in_pairings_of
from exchange.extensions import db

DRAFT, PUBLISHED = "draft", "published"


class SeekerList(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "seeker_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(6))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list["SeekerListItem"]] = relationship(order_by="SeekerListItem.id", cascade="all, delete-orphan")

    @classmethod
    def visible_to(cls, viewer):
        """The author region sees its drafts; the partner sees published lists of its pairings."""
        return or_(cls.region == viewer.region, and_(cls.status != DRAFT, in_pairings_of(cls.pairing_id, viewer)))


class SeekerListItem(db.Model):
    __tablename__ = "seeker_list_items"
    __table_args__ = (UniqueConstraint("list_id", "seeker_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("seeker_lists.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)


class SupplyList(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "supply_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(6))
    seeker_list_id: Mapped[int] = mapped_column(ForeignKey("seeker_lists.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    seeker_list: Mapped[SeekerList] = relationship()
    items: Mapped[list["SupplyListItem"]] = relationship(order_by="SupplyListItem.id", cascade="all, delete-orphan")

    @classmethod
    def visible_to(cls, viewer):
        return or_(cls.region == viewer.region, and_(cls.status != DRAFT, in_pairings_of(cls.pairing_id, viewer)))


class SupplyListItem(db.Model):
    """A posting offered in a supply list, with the places offered (what was left of its headcount)."""
    __tablename__ = "supply_list_items"
    __table_args__ = (UniqueConstraint("list_id", "posting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("supply_lists.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    headcount: Mapped[int] = mapped_column(Integer)
