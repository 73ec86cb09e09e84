"""Claims and their receipts, payment batches and their lines, income declarations (training
records are the registry's: registry.models.TrainingRecord). A claim lives on the payer's instance (and as a copy where it was filed or where its
labourer comes from); no claim is created twice and none is paid twice: database constraints."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.models import CreatedMixin, RefMixin, UTCDateTime
from exchange.core.pairing_scope import in_pairings_of
from exchange.extensions import db

KINDS = ("transport", "retention", "income", "training")     # the four shorthand programmes; any programme key is a kind
PAYEE_TYPES = ("worker", "employer", "agency")
PENDING, APPROVED, REJECTED, PAID = "pending", "approved", "rejected", "paid"


class Claim(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_pairing_status", "pairing_id", "status", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))              # the payer region
    filed_region: Mapped[str] = mapped_column(String(6))        # where it was filed
    kind: Mapped[str] = mapped_column(String(40))               # the programme's key
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    # Who is paid: the worker (the seeker), or the employer or agency named by payee_id.
    payee_type: Mapped[str] = mapped_column(String(10), default="worker", server_default="worker")
    payee_id: Mapped[int | None] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)             # claimed
    approved_amount_fen: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    reason: Mapped[str | None] = mapped_column(String(500))
    milestone_months: Mapped[int | None] = mapped_column(Integer)
    milestone_date: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    travel_date: Mapped[date | None] = mapped_column(Date)
    dispatch_id: Mapped[int | None] = mapped_column(ForeignKey("dispatches.id"))
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("income_declarations.id"))
    training_record_id: Mapped[int | None] = mapped_column(ForeignKey("training_records.id"))
    # What makes two claims "the same" (one per seeker and dispatch, per milestone, per year…).
    # Unique: a second claim — or twenty at once — cannot be stored. Cleared when a transport
    # claim is rejected, so a corrected one can be filed.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payment_batch_id: Mapped[int | None] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_reference: Mapped[str | None] = mapped_column(String(100))

    receipts: Mapped[list["ClaimReceipt"]] = relationship(order_by="ClaimReceipt.id", cascade="all, delete-orphan")

    @classmethod
    def visible_to(cls, viewer):
        return in_pairings_of(cls.pairing_id, viewer)


class ClaimReceipt(db.Model):
    """A receipt file, stored content-addressed under the instance folder (never by a path a
    browser could guess) and served only through the claim it belongs to."""
    __tablename__ = "claim_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class PaymentBatch(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "payment_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(10), default="open")     # open | paid | settled
    reference: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))      # prepared it
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))     # marked it paid: someone else
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lines: Mapped[list["PaymentLine"]] = relationship(order_by="PaymentLine.id", cascade="all, delete-orphan")

    @classmethod
    def visible_to(cls, viewer):
        return cls.region == viewer.region


class PaymentLine(db.Model):
    """One claim in a payment batch and what the bank did with it."""
    __tablename__ = "payment_lines"
    __table_args__ = (
        UniqueConstraint("batch_id", "claim_id"),
        # A claim is in at most one line that is not a failed payment: never paid twice, whatever
        # two finance officers do at the same moment.
        Index("uq_payment_lines_live_claim", "claim_id", unique=True,
              postgresql_where=text("status <> 'failed'"), sqlite_where=text("status <> 'failed'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")   # pending | paid | failed
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    failure_reason: Mapped[str | None] = mapped_column(String(500))

    claim: Mapped[Claim] = relationship()


class IncomeDeclaration(RefMixin, CreatedMixin, db.Model):
    __tablename__ = "income_declarations"
    __table_args__ = (UniqueConstraint("pairing_id", "seeker_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="declared")   # declared | verified
    declared_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def visible_to(cls, viewer):
        return in_pairings_of(cls.pairing_id, viewer)
