"""Employment spells, one row per job of a seeker in a pairing; the full list of one region's spells
is replaced at once. A spell belongs to the region of its employer: the receiving county records
the jobs it offers, the sending county its local ones (workshops, bases, public-welfare posts);
flexible work has no employer record, only a description."""
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
    region: Mapped[str] = mapped_column(String(6))              # the region that records it: its employer's
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"))    # none for flexible work
    work_type: Mapped[str] = mapped_column(String(12), default="long_term", server_default="long_term")
    description: Mapped[str | None] = mapped_column(String(200))   # what the flexible work is
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    monthly_wage_fen: Mapped[int | None] = mapped_column(Integer)

    employer: Mapped[Employer | None] = relationship(lazy="joined")

    @property
    def where(self) -> str:
        """The employer's name, or the flexible work's description."""
        return self.employer.name if self.employer is not None else (self.description or "")

    @classmethod
    def visible_to(cls, viewer):
        return in_pairings_of(cls.pairing_id, viewer)
