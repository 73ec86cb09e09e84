"""Creating users and tokens, and checking passwords and tokens."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from exchange.accounts.models import ApiToken, User
from exchange.accounts.roles import LIAISON_OFFICER, RECEIVING_STAFF, ROLES, SENDING_STAFF, Actor
from exchange.core.api import token_authenticator
from exchange.core.crypto import token_hash
from exchange.core.errors import Conflict, Invalid
from exchange.core.words import label
from exchange.extensions import db
from flask_babel import gettext as _

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
TOKEN_PREFIX = "exk_"
# A dummy hash so that a login for an unknown user costs as much as one for a known user.
_DUMMY_HASH = generate_password_hash("timing-equaliser")


def create_user(ctx, *, username: str, password: str, role: str, region: str,
                display_name: str | None = None) -> User:
    if not USERNAME.match(username or ""):
        raise Invalid.field("username", "bad_value", _("Username: 2–64 letters, digits or _ . @ -"))
    if len(password or "") < 8:
        raise Invalid.field("password", "bad_value", _("The password must have at least 8 characters"))
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
    user = User(username=username, password_hash=generate_password_hash(password), role=role,
                region=region, display_name=display_name, created_at=ctx.clock.now())
    db.session.add(user)
    db.session.commit()
    return user


def create_token(ctx, user: User) -> str:
    """Returns the token once; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), prefix=token[:12], created_at=ctx.clock.now()))
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


def check_password(username: str, password: str) -> User | None:
    user = user_by_username(username or "")
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


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
