"""Employment spells, one row per job of a seeker in a pairing; the full list is replaced at once."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.models import CreatedMixin
from exchange.core.pairing_scope import in_pairings_of
from exchange.employers.models import Employer
from exchange.extensions import db


class EmploymentSpell(CreatedMixin, db.Model):
    __tablename__ = "employment_spells"
    # Covering on PostgreSQL: the scan and the indicators read spells person by person from the index.
    __table_args__ = (Index("ix_employment_spells_pairing_seeker", "pairing_id", "seeker_id", "start_date",
                            postgresql_include=["end_date"]),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))              # the receiving region, which authors spells
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    monthly_wage_fen: Mapped[int | None] = mapped_column(Integer)

    employer: Mapped[Employer] = relationship(lazy="joined")

    @classmethod
    def visible_to(cls, viewer):
        return in_pairings_of(cls.pairing_id, viewer)
