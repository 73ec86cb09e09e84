"""Seekers (求职者), their training records, and import runs.

National ID, phone and bank account are stored encrypted (AES-GCM), with a keyed hash for
uniqueness and look-up and the masked form for display, so listing never decrypts."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.disclosure import PROFILE, disclosed_to
from exchange.core.models import CreatedMixin, JSONType, RefMixin, UTCDateTime
from exchange.core.pairing_scope import in_pairings_of
from exchange.extensions import db


class Seeker(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "seekers"
    __table_args__ = (Index("ix_seekers_region_id", "region", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    name: Mapped[str | None] = mapped_column(String(64))
    national_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    national_id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    national_id_masked: Mapped[str | None] = mapped_column(String(18))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str | None] = mapped_column(String(16))
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    # Round 1 carries an age, not a birth date: the partner's copy keeps the age it was told.
    age_reported: Mapped[int | None] = mapped_column(Integer)
    education: Mapped[str] = mapped_column(String(8))
    skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    occupations_wanted: Mapped[list[str]] = mapped_column(JSONType, default=list)
    wage_expectation_fen: Mapped[int | None] = mapped_column(Integer)
    work_type: Mapped[str] = mapped_column(String(10))
    available_from: Mapped[date | None] = mapped_column(Date)
    household_status: Mapped[str] = mapped_column(String(16))
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    bank_account_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    bank_account_masked: Mapped[str | None] = mapped_column(String(40))
    township: Mapped[str | None] = mapped_column(String(32))
    bank_name: Mapped[str | None] = mapped_column(String(40))
    emergency_contact_name: Mapped[str | None] = mapped_column(String(64))
    emergency_contact_phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    emergency_contact_phone_masked: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))
    # 返乡回流: the day a follow-up found the person back home (the sending side's record).
    returned_home_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))
    # The household (户) the person belongs to, in the sending county's poverty registry.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)

    @classmethod
    def visible_to(cls, viewer):
        return or_(cls.region == viewer.region, disclosed_to("seeker", cls.id, viewer, PROFILE))


class Household(CreatedMixin, db.Model):
    """A household (户) of the sending county's poverty registry, with the official assigned to
    help it (帮扶责任人); its members are the seekers that name it. The sending county's own."""
    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("region", "household_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    household_no: Mapped[str] = mapped_column(String(32))          # the number in the poverty registry
    status: Mapped[str] = mapped_column(String(16))                # registered_poor | monitored | other
    township: Mapped[str | None] = mapped_column(String(32))
    village: Mapped[str | None] = mapped_column(String(32))
    official_name: Mapped[str | None] = mapped_column(String(64))
    official_phone: Mapped[str | None] = mapped_column(String(20))   # a work number, not personal data
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, viewer):
        return cls.region == viewer.region


class ImportRun(CreatedMixin, db.Model):
    """One upload of a seeker spreadsheet: its counts, its row report, and the rejected rows'
    cells (encrypted) so the clerk can download them with an error column, fix and re-upload."""
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    file_type: Mapped[str] = mapped_column(String(8))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    total: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    rejected_rows_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def visible_to(cls, viewer):
        return cls.region == viewer.region


class TrainingRecord(RefMixin, CreatedMixin, db.Model):
    """A training course a seeker took, recorded by the sending side for one pairing: matching
    counts it, and the payer's training subsidy is computed from it (subsidies.income_training)."""
    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(6))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    course: Mapped[str] = mapped_column(String(200))
    days: Mapped[int] = mapped_column(Integer)
    hours: Mapped[int | None] = mapped_column(Integer)        # class hours, when the course counts them
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, viewer):
        return in_pairings_of(cls.pairing_id, viewer)
