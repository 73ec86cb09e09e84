"""What another region may see of a region's object, recorded when the protocol delivers it.

A seeker becomes visible to the receiving region when a published seeker list carries it
(level PROFILE: no name, ID or phone) and its identity when a proposed batch carries it
(level IDENTITY). Employers and postings become visible to the sending region with a
published supply list. The same rows serve one instance hosting both regions and an
instance holding the partner's copies."""
from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.models import CreatedMixin
from exchange.extensions import db

PROFILE = 1
IDENTITY = 2
CHUNK = 5000


class Disclosure(CreatedMixin, db.Model):
    __tablename__ = "disclosures"
    __table_args__ = (UniqueConstraint("object_type", "object_id", "region"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    object_type: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(6))
    level: Mapped[int] = mapped_column(Integer, default=PROFILE)
    pairing_id: Mapped[str] = mapped_column(String(64))


def disclosed_to(object_type: str, id_column, viewer, level: int = PROFILE):
    """SQL condition: the object was disclosed to the viewer's region at `level` or higher."""
    return exists().where(Disclosure.object_type == object_type, Disclosure.object_id == id_column,
                          Disclosure.region == viewer.region, Disclosure.level >= level)


def disclosure_level(object_type: str, object_id: int, region: str) -> int:
    return db.session.scalar(select(Disclosure.level).where(
        Disclosure.object_type == object_type, Disclosure.object_id == object_id,
        Disclosure.region == region)) or 0


def disclose(object_type: str, object_ids: list[int], region: str, pairing_id: str, level: int, at) -> None:
    """Raises (never lowers) the disclosure of each object to `region`; set-based, in chunks."""
    from exchange.core.bulk import insert_rows

    ids = list(dict.fromkeys(object_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        existing = dict(db.session.execute(select(Disclosure.object_id, Disclosure.level).where(
            Disclosure.object_type == object_type, Disclosure.region == region,
            Disclosure.object_id.in_(chunk))).all())
        insert_rows(Disclosure.__table__, [
            {"object_type": object_type, "object_id": object_id, "region": region, "pairing_id": pairing_id,
             "level": level, "created_at": at} for object_id in chunk if object_id not in existing])
        lower = [object_id for object_id, current in existing.items() if current < level]
        if lower:
            db.session.execute(Disclosure.__table__.update().where(
                Disclosure.object_type == object_type, Disclosure.region == region,
                Disclosure.object_id.in_(lower)).values(level=level))
