"""Idempotency-Key for every mutating API request (one mechanism for all endpoints).

The first successful answer is kept for 24 hours per user and key and replayed for a retry with
the same request; a retry with a different request → 409 idempotency_mismatch. A request that
failed changed nothing, so its key is released and may be retried."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Request, Response
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.errors import Conflict, Invalid
from exchange.core.models import UTCDateTime
from exchange.extensions import db

KEEP_FOR = timedelta(hours=24)
# A request that has held its key this long without finishing died; a retry may take over.
STALE_AFTER = timedelta(minutes=2)
MAX_KEY_LENGTH = 255


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)


@dataclass
class Claim:
    id: int


def fingerprint(request: Request) -> str:
    """What makes two requests "the same": method, path, query and the body's content
    (a multipart body by its fields and files' hashes, since its boundary changes per send)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}?{request.query_string.decode()}\n".encode())
    if request.mimetype == "multipart/form-data":
        parts = sorted((str(k), str(v)) for k, values in request.form.lists() for v in values)
        files = sorted((str(k), str(f.filename or ""), hashlib.sha256(f.stream.read()).hexdigest())
                       for k, fs in request.files.lists() for f in fs)
        for _, fs in request.files.lists():
            for f in fs:
                f.stream.seek(0)
        digest.update(json.dumps([parts, files], ensure_ascii=False).encode())
    elif request.is_json and request.get_json(silent=True) is not None:
        digest.update(json.dumps(request.get_json(silent=True), sort_keys=True, ensure_ascii=False).encode())
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def begin(user_id: int, key: str, request: Request, now: datetime) -> Claim | Response:
    """Claims the key for this request, or answers with the replay of the first answer. `now` is
    the real instant (the clock's wall()): keys expire in real time."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Invalid.field("Idempotency-Key", "bad_value", "Idempotency-Key must have 1 to 255 characters")
    print_ = fingerprint(request)
    for _attempt in range(2):
        row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                             IdempotencyKey.key == key))
        if row is None:
            try:
                row = IdempotencyKey(user_id=user_id, key=key, fingerprint=print_, created_at=now)
                db.session.add(row)
                db.session.commit()
                return Claim(row.id)
            except IntegrityError:
                db.session.rollback()
                continue  # someone else claimed it a moment ago: read theirs
        if now - row.created_at > KEEP_FOR:
            db.session.delete(row)
            db.session.commit()
            continue
        if row.fingerprint != print_:
            raise Conflict("idempotency_mismatch", "this Idempotency-Key was used for a different request")
        if row.status is not None:
            response = Response(row.body, status=row.status, content_type=row.content_type)
            response.headers["Idempotent-Replayed"] = "true"
            return response
        if now - row.created_at < STALE_AFTER:
            raise Conflict("idempotency_in_progress", "a request with this Idempotency-Key is still being processed")
        taken = db.session.execute(update(IdempotencyKey).where(
            IdempotencyKey.id == row.id, IdempotencyKey.status.is_(None),
            IdempotencyKey.created_at == row.created_at).values(created_at=now)).rowcount
        db.session.commit()
        if taken:
            return Claim(row.id)
    raise Conflict("idempotency_in_progress", "a request with this Idempotency-Key is still being processed")


def finish(claim: Claim, response: Response) -> None:
    if 200 <= response.status_code < 300 and not response.direct_passthrough:
        db.session.execute(update(IdempotencyKey).where(IdempotencyKey.id == claim.id).values(
            status=response.status_code, content_type=response.content_type, body=response.get_data()))
    else:
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim.id))
    db.session.commit()


def release(claim: Claim) -> None:
    db.session.rollback()
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim.id))
    db.session.commit()


def purge_expired(now: datetime) -> int:
    count = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEEP_FOR)).rowcount
    db.session.commit()
    return count
