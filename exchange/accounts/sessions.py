"""Portal sessions kept on the server: the cookie carries a random key, the table its hash. A
session ends on logout, when its user's password changes, when it has been idle longer than
EXCHANGE_SESSION_IDLE_MINUTES, or EXCHANGE_SESSION_MAX_HOURS after the login — and an ended
session opens nothing, whatever a copied cookie says. Times are the real clock's (the idle and
absolute limits are security timers, not business dates)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from exchange.accounts.models import User, UserSession
from exchange.core import audit
from exchange.core.crypto import token_hash
from exchange.extensions import db

TOUCH_EVERY = timedelta(minutes=1)   # last_seen_at is written at most this often


def start(ctx, user: User) -> str:
    """A new session for a user who just proved who they are; the key for the cookie."""
    key = secrets.token_urlsafe(32)
    now = ctx.clock.wall()
    db.session.add(UserSession(key_hash=token_hash(key), user_id=user.id, created_at=now, last_seen_at=now))
    db.session.commit()
    return key


def user_of(ctx, key: str | None) -> tuple[User, int] | None:
    """The active user of a live session and the session's id, or None (and the session is
    ended if it has just run out)."""
    if not key:
        return None
    row = db.session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                             .where(UserSession.key_hash == token_hash(key))).first()
    if row is None:
        return None
    found, user = row
    now = ctx.clock.wall()
    if found.ended_at is not None or not user.active:
        return None
    idle = timedelta(minutes=ctx.settings.session_idle_minutes)
    longest = timedelta(hours=ctx.settings.session_max_hours)
    if now - found.last_seen_at > idle or now - found.created_at > longest:
        _end(UserSession.id == found.id, now, "expired")
        db.session.commit()
        return None
    if now - found.last_seen_at > TOUCH_EVERY:
        db.session.execute(update(UserSession).where(UserSession.id == found.id).values(last_seen_at=now))
        db.session.commit()
    return user, found.id


def end(ctx, key: str | None, actor=None) -> None:
    """Logging out: the session named by the cookie's key ends, and the trail says who left."""
    if key:
        if _end(UserSession.key_hash == token_hash(key), ctx.clock.wall(), "logout") and actor is not None:
            audit.record(actor, "logout", "user", actor.user_id, at=ctx.clock.now())
        db.session.commit()


def end_all_of(ctx, user_id: int, *, why: str, keep: int | None = None) -> int:
    """Ends every live session of a user (but `keep`, the one acting), in the caller's
    transaction; how many ended."""
    condition = UserSession.user_id == user_id
    if keep is not None:
        condition = condition & (UserSession.id != keep)
    return _end(condition, ctx.clock.wall(), why)


def _end(condition, now, why: str) -> int:
    return db.session.execute(update(UserSession).where(condition, UserSession.ended_at.is_(None))
                              .values(ended_at=now, ended_why=why)).rowcount
