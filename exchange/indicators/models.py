"""Fund entries (援助资金): the money a pairing's receiving side gives, as the indicators count it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.models import CreatedMixin, RefMixin
from exchange.core.pairing_scope import in_pairings_of
from exchange.extensions import db

# The purposes a clerk is offered (free text is allowed too).
PURPOSES = ("劳务协作", "职业技能培训", "就业帮扶车间", "稳岗补贴", "交通补贴", "产业合作")


class FundEntry(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "fund_entries"
    __table_args__ = (Index("ix_fund_entries_pairing_date", "pairing_id", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))             # who recorded it
    date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(128))           # who gave it (a government, a company …)
    purpose: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, viewer):
        return in_pairings_of(cls.pairing_id, viewer)
