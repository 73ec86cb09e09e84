"""A lease in the database: one holder at a time for a named duty (the scheduler), on SQLite
and PostgreSQL alike. A holder renews it; when a holder dies, its lease expires and another
process takes over. Two processes started at once cannot both hold it: the UPDATE decides."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.models import UTCDateTime
from exchange.extensions import db


class Lease(db.Model):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


def acquire(name: str, holder: str, ttl: timedelta, now: datetime) -> bool:
    """Takes or renews the lease; True when `holder` holds it afterwards. `now` is the real
    instant (the clock's wall()), so a lease expires in real time, also under EXCHANGE_TODAY."""
    try:
        db.session.execute(insert(Lease).values(name=name, holder=holder, expires_at=now + ttl))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    taken = db.session.execute(
        update(Lease).where(Lease.name == name, (Lease.holder == holder) | (Lease.expires_at < now))
        .values(holder=holder, expires_at=now + ttl)).rowcount
    db.session.commit()
    return taken == 1


def release(name: str, holder: str, now: datetime) -> None:
    db.session.execute(update(Lease).where(Lease.name == name, Lease.holder == holder).values(expires_at=now))
    db.session.commit()


def holder_of(name: str, now: datetime) -> str | None:
    lease = db.session.scalar(select(Lease).where(Lease.name == name))
    return lease.holder if lease is not None and lease.expires_at > now else None
