"""The audit trail: who did what to which object, when — and, for an action that revealed,
exported, printed or disclosed people's identities, which people (the labourer's access record,
PIPL). Written in the transaction of the change it records; never holds an ID number or phone.

Each entry is later sealed into a keyed hash chain (exchange.audit.chain): `seal_seq` and `hash`
are empty until then."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import ForeignKey, Index, Integer, String, Select, insert, literal, or_, select, text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.models import JSONType, UTCDateTime
from exchange.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    region: Mapped[str] = mapped_column(String(6))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    seal_seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_log_region_at", "region", "at"),
        Index("ix_audit_log_user_id", "user_id"),
        # What the sealer looks for every minute, however long the trail grows.
        Index("ix_audit_log_unsealed", "id", postgresql_where=text("seal_seq IS NULL"),
              sqlite_where=text("seal_seq IS NULL")),
    )

    @classmethod
    def visible_to(cls, viewer):
        """A region's entries; an entry of no region (a failed login under a name nobody has) is
        every region's to see."""
        return or_(cls.region == viewer.region, cls.region == "")


class AuditSubject(db.Model):
    """A person whose identity an audited action handled: one row per person and entry."""
    __tablename__ = "audit_subjects"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), primary_key=True, index=True)


class ChainHead(db.Model):
    """The end of the sealed chain (one row): its last sequence number and hash, and a keyed hash
    of both, so the chain cannot be shortened from its end unnoticed."""
    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seal_seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# The actions that handled identities, and what each did to them, as the access record says it.
ACCESS_KINDS = {
    "seeker.revealed": "revealed",              # full ID number and phone shown to a clerk
    "payment_batch.exported": "exported",       # the bank file: name, ID number, bank account
    "statement.exported": "exported",           # the per-person statement (PDF or xlsx)
    "named_view.exported": "exported",          # a named list of the liaison station, as xlsx
    "dispatch.manifest_printed": "printed",     # the escort's manifest: names and phones
    "dispatch.cards_printed": "printed",        # contact cards (连心卡): names and phones
    "batch.proposed": "disclosed",              # round 2: identity sent to the receiving county
}


def record(actor, action: str, object_type: str, object_id: int | None, *, at: datetime,
           subjects: Iterable[int] | Select | None = None, **details: Any) -> AuditEntry:
    """Adds an audit entry to the current transaction (committed with the change it records);
    `at` is the instant of the change, from the service's clock. `subjects` — seeker ids, or a
    SELECT of one column of them — names the people whose identities the action handled; they
    are written set-based and counted in the entry's details as `people`."""
    entry = AuditEntry(at=at, region=actor.region, user_id=actor.user_id, username=actor.username,
                       action=action, object_type=object_type, object_id=object_id, details=details)
    db.session.add(entry)
    if subjects is not None:
        db.session.flush()
        if isinstance(subjects, Select):
            people = subjects.subquery()
            written = db.session.execute(insert(AuditSubject).from_select(
                ["audit_id", "seeker_id"],
                select(literal(entry.id, Integer), people.c[0]).where(people.c[0].isnot(None)).distinct())).rowcount
        else:
            rows = [{"audit_id": entry.id, "seeker_id": seeker_id} for seeker_id in sorted(set(subjects))]
            if rows:
                db.session.execute(insert(AuditSubject), rows)
            written = len(rows)
        entry.details = {**details, "people": written}
    return entry


def access_log(seeker_id: int) -> Select:
    """The entries that handled this person's identity, newest first (a statement to order)."""
    return (select(AuditEntry).join(AuditSubject, AuditSubject.audit_id == AuditEntry.id)
            .where(AuditSubject.seeker_id == seeker_id, AuditEntry.action.in_(ACCESS_KINDS))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
