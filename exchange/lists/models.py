"""Seeker lists and supply lists with their items."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.disclosure import disclosed_to
from exchange.core.models import CreatedMixin, RefMixin, UTCDateTime
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
        """The author region sees its drafts; the partner sees a list once its seeker_list.published
        event was applied for it (on one instance too: the event discloses the author's row)."""
        return or_(cls.region == viewer.region, disclosed_to("seeker_list", cls.id, viewer))


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
    # The seq of its supply_list.published event: hires announced after it take its places.
    published_seq: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    seeker_list: Mapped[SeekerList] = relationship()
    items: Mapped[list["SupplyListItem"]] = relationship(order_by="SupplyListItem.id", cascade="all, delete-orphan")

    @classmethod
    def visible_to(cls, viewer):
        return or_(cls.region == viewer.region, disclosed_to("supply_list", cls.id, viewer))


class SupplyListItem(db.Model):
    """A posting offered in a supply list, with the places offered (what was left of its headcount)."""
    __tablename__ = "supply_list_items"
    __table_args__ = (UniqueConstraint("list_id", "posting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("supply_lists.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    headcount: Mapped[int] = mapped_column(Integer)
