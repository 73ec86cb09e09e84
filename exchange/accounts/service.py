"""Users and tokens: creating them, logging in (five failures within 15 minutes lock an account for
15 minutes), changing one's own password, an administrator's unlocking; every step audited."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import case, literal, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from exchange.accounts import passwords, sessions
from exchange.accounts.models import ApiToken, User
from exchange.accounts.permissions import require_role
from exchange.accounts.roles import ADMIN, LIAISON_OFFICER, RECEIVING_STAFF, ROLES, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.api import token_authenticator
from exchange.core.crypto import token_hash
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.models import UTCDateTime
from exchange.core.words import label
from exchange.extensions import db
from flask_babel import gettext as _

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
TOKEN_PREFIX = "exk_"
# A dummy hash so that a login for an unknown user costs as much as one for a known user.
_DUMMY_HASH = generate_password_hash("timing-equaliser")
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKED_FOR = timedelta(minutes=15)


def create_user(ctx, *, username: str, password: str, role: str, region: str,
                display_name: str | None = None, by: Actor | None = None) -> User:
    if not USERNAME.match(username or ""):
        raise Invalid.field("username", "bad_value", _("Username: 2–64 letters, digits or _ . @ -"))
    problem = passwords.problem(password or "", username)
    if problem:
        raise Invalid.field("password", "bad_value", problem)
    if role not in ROLES:
        raise Invalid.field("role", "bad_value", _("Unknown role %(role)s; one of %(roles)s", role=role, roles=", ".join(ROLES)))
    pairings = ctx.pairings
    known = pairings.regions()
    if region not in known:
        raise Invalid.field("region", "bad_value", _("Region %(region)s is not named in any pairing file", region=region))
    if not ctx.hosts(region):
        raise Invalid.field("region", "bad_value", _("Region %(region)s is not hosted on this instance (EXCHANGE_HOME_REGIONS)", region=region))
    sides = {p.side_of(region) for p in pairings.of_region(region)}
    if role in (SENDING_STAFF, LIAISON_OFFICER) and "sending" not in sides:
        raise Invalid.field("role", "bad_value", _("%(role)s belongs to a sending region; %(region)s only receives",
                                                   role=label(role), region=region))
    if role == RECEIVING_STAFF and "receiving" not in sides:
        raise Invalid.field("role", "bad_value", _("%(role)s belongs to a receiving region; %(region)s only sends",
                                                   role=label(role), region=region))
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("username_taken", _("The username %(username)s is taken", username=username))
    now = ctx.clock.now()
    user = User(username=username, password_hash=generate_password_hash(password), role=role,
                region=region, display_name=display_name, created_at=now, password_changed_at=now)
    db.session.add(user)
    db.session.flush()
    audit.record(by or Actor.system(region), "user.created", "user", user.id, at=now, username=username, role=role,
                 region=region)
    db.session.commit()
    return user


def create_token(ctx, user: User) -> str:
    """Returns the token once; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), prefix=token[:12], created_at=ctx.clock.now()))
    audit.record(Actor.system(user.region), "token.created", "user", user.id, at=ctx.clock.now(),
                 username=user.username, prefix=token[:12])
    db.session.commit()
    return token


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def names_of(user_ids) -> dict[int, str]:
    """The names people know each other by (the display name, else the username), by user id."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {user_id: display or username for user_id, display, username in db.session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(ids)))}


def log_in(ctx, username: str, password: str, *, address: str | None) -> User | None:
    """The user, when the name and password are right and the account is neither locked nor
    inactive; else None — the same answer, in the same time, whatever the reason. Five failures
    within 15 minutes lock the account for 15 minutes (the right password included). Attempts on
    one account take turns (its row is locked), so a burst of them cannot outrun the count."""
    user = db.session.scalar(select(User).where(User.username == (username or "")).with_for_update())
    at = ctx.clock.now()
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password or "")
        # What was typed is not kept: a password typed into the name field must not reach the trail.
        audit.record(Actor.anonymous() if user is None else actor_for_user(ctx, user), "login.failed", "user",
                     None if user is None else user.id, at=at, address=address,
                     why="unknown_user" if user is None else "inactive")
        db.session.commit()
        return None
    actor = actor_for_user(ctx, user)
    if is_locked(ctx, user):
        check_password_hash(_DUMMY_HASH, password or "")
        audit.record(actor, "login.failed", "user", user.id, at=at, address=address, why="locked")
        db.session.commit()
        return None
    if not check_password_hash(user.password_hash, password or ""):
        _count_failure(ctx, user, actor, "login.failed", address=address)
        db.session.commit()
        return None
    user.failed_logins, user.failed_since, user.locked_until = 0, None, None
    audit.record(actor, "login.succeeded", "user", user.id, at=at, address=address)
    db.session.commit()
    return user


def _count_failure(ctx, user: User, actor: Actor, action: str, **details) -> None:
    """One more wrong password for the account (a login, or the current password when changing
    it): counted in SQL, so two at once both count; the fifth within 15 minutes locks it."""
    now, at = ctx.clock.wall(), ctx.clock.now()
    fresh = User.failed_since.is_(None) | (User.failed_since < now - FAILURE_WINDOW)
    db.session.execute(update(User).where(User.id == user.id).values(
        failed_logins=case((fresh, 1), else_=User.failed_logins + 1),
        failed_since=case((fresh, literal(now, UTCDateTime())), else_=User.failed_since)))
    db.session.refresh(user)
    audit.record(actor, action, "user", user.id, at=at, why="password", failures=user.failed_logins, **details)
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until, user.failed_logins, user.failed_since = now + LOCKED_FOR, 0, None
        audit.record(actor, "login.locked", "user", user.id, at=at,
                     minutes=int(LOCKED_FOR.total_seconds() // 60), **details)


def change_password(ctx, actor: Actor, current: str, new: str, *, session_id: int | None = None) -> User:
    """A person changes their own password; every other session of theirs ends. A wrong current
    password counts as a failed login (someone at an unattended screen cannot guess on)."""
    user = (db.session.scalar(select(User).where(User.id == actor.user_id).with_for_update())
            if actor.user_id is not None else None)
    if user is None:
        raise NotFound("not_found", _("No such user"))
    if is_locked(ctx, user) or not check_password_hash(user.password_hash, current or ""):
        if not is_locked(ctx, user):
            _count_failure(ctx, user, actor, "user.password_change_failed")
        locked = is_locked(ctx, user)
        db.session.commit()
        raise Invalid.field("current_password", "bad_value",
                            _("Too many wrong passwords: the account is locked for 15 minutes") if locked
                            else _("The current password is not right"))
    problem = passwords.problem(new or "", user.username)
    if problem:
        raise Invalid.field("new_password", "bad_value", problem)
    if check_password_hash(user.password_hash, new):
        raise Invalid.field("new_password", "bad_value", _("The new password must differ from the current one"))
    user.password_hash, user.password_changed_at = generate_password_hash(new), ctx.clock.now()
    ended = sessions.end_all_of(ctx, user.id, why="password", keep=session_id)
    audit.record(actor, "user.password_changed", "user", user.id, at=ctx.clock.now(), other_sessions_ended=ended)
    db.session.commit()
    return user


def users_of_region(actor: Actor) -> list[User]:
    require_role(actor, ADMIN)
    return list(db.session.scalars(select(User).where(User.region == actor.region).order_by(User.username)))


def unlock(ctx, actor: Actor, user_id: int) -> User:
    """An administrator of the user's region lifts a lock (and forgets the failures so far)."""
    require_role(actor, ADMIN)
    user = db.session.get(User, user_id)
    if user is None or user.region != actor.region:
        raise NotFound("not_found", _("No such user"))
    was_locked = user.locked_until is not None and user.locked_until > ctx.clock.wall()
    user.failed_logins, user.failed_since, user.locked_until = 0, None, None
    audit.record(actor, "user.unlocked", "user", user.id, at=ctx.clock.now(), username=user.username,
                 was_locked=was_locked)
    db.session.commit()
    return user


def is_locked(ctx, user: User) -> bool:
    return user.locked_until is not None and user.locked_until > ctx.clock.wall()


def recent_failures(ctx, user: User) -> int:
    """Failed logins that still count towards a lock (those of the last 15 minutes)."""
    if not user.failed_logins or user.failed_since is None or user.failed_since < ctx.clock.wall() - FAILURE_WINDOW:
        return 0
    return user.failed_logins


@token_authenticator
def actor_for_token(ctx, token: str) -> Actor | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = db.session.execute(
        select(ApiToken, User).join(User).where(ApiToken.token_hash == token_hash(token),
                                                ApiToken.revoked_at.is_(None), User.active.is_(True))
    ).first()
    if row is None:
        return None
    api_token, user = row
    now = ctx.clock.wall()
    # Touch last_used_at at most once a minute: a write per request would serialise readers.
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
        db.session.execute(update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now))
        db.session.commit()
    return actor_for_user(ctx, user)


def actor_for_user(ctx, user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role, region=user.region,
                 pairings=tuple(p.id for p in ctx.pairings.of_region(user.region)))
