"""Employers, identified by their unified social credit code, and their postings; employment
agencies (人力资源服务机构), identified and vetted the same way."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.disclosure import disclosed_to
from exchange.core.models import CreatedMixin, JSONType, RefMixin, UTCDateTime
from exchange.extensions import db

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
OPEN, CLOSED = "open", "closed"


class Organisation(RefMixin, CreatedMixin):
    """What employers and agencies share: a credit code unique in their region, contacts, the bank
    account a programme paying them uses (an organisation's, not personal data), and the vetting
    by their own region's staff."""
    DISCLOSED_AS: str

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    name: Mapped[str] = mapped_column(String(128))
    uscc: Mapped[str] = mapped_column(String(18))
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    bank_name: Mapped[str | None] = mapped_column(String(40))
    bank_account: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    vet_reason: Mapped[str | None] = mapped_column(String(500))
    vetted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    vetted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, viewer):
        return or_(cls.region == viewer.region, disclosed_to(cls.DISCLOSED_AS, cls.id, viewer))


class Employer(Organisation, db.Model):
    __tablename__ = "employers"
    __table_args__ = (UniqueConstraint("region", "uscc"),)
    DISCLOSED_AS = "employer"

    # enterprise | workshop (就业帮扶车间) | base (就业帮扶基地) | public_post (公益性岗位: run by a village or township)
    kind: Mapped[str] = mapped_column(String(12), default="enterprise", server_default="enterprise")
    address: Mapped[str | None] = mapped_column(String(255))


class Agency(Organisation, db.Model):
    """An employment agency (人力资源服务机构) that brings people to jobs; a match may name it, and a
    programme may pay it (spec/programmes.md)."""
    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("region", "uscc"),)
    DISCLOSED_AS = "agency"


class Posting(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    occupation: Mapped[str] = mapped_column(String(64))
    occupation_code: Mapped[str | None] = mapped_column(String(16))
    headcount: Mapped[int] = mapped_column(Integer)
    wage_min_fen: Mapped[int] = mapped_column(Integer)
    wage_max_fen: Mapped[int] = mapped_column(Integer)
    req_gender: Mapped[str] = mapped_column(String(3), default="any")
    req_age_min: Mapped[int] = mapped_column(Integer)
    req_age_max: Mapped[int] = mapped_column(Integer)
    req_education_min: Mapped[str] = mapped_column(String(8))
    req_skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    work_type: Mapped[str] = mapped_column(String(10))
    location_region: Mapped[str] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(255))
    housing: Mapped[bool] = mapped_column(Boolean, default=False)
    meals: Mapped[bool] = mapped_column(Boolean, default=False)
    contract_months: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    interview_mode: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default=OPEN)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    employer: Mapped[Employer] = relationship(lazy="joined")

    @classmethod
    def visible_to(cls, viewer):
        return or_(cls.region == viewer.region, disclosed_to("posting", cls.id, viewer))

    @property
    def requirements(self) -> dict:
        return {"gender": self.req_gender, "age_min": self.req_age_min, "age_max": self.req_age_max,
                "education_min": self.req_education_min, "skills": list(self.req_skills or [])}
