"""/api/v1/me: who the token belongs to, and changing one's own password; /api/v1/users: an
administrator's view of the region's users, and lifting a lock."""
from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields, validate

from exchange.accounts import service
from exchange.core.api import operation
from exchange.core.fields import Instant
from exchange.core.pagination import Page

bp = Blueprint("accounts", __name__, url_prefix="/api/v1")
TAG = "Accounts"


class MeOut(Schema):
    user_id = fields.Integer(required=True)
    username = fields.String(required=True)
    role = fields.String(required=True)
    region = fields.String(required=True)
    region_name = fields.String(allow_none=True)
    pairings = fields.List(fields.String(), required=True)


class PasswordIn(Schema):
    current_password = fields.String(required=True, validate=validate.Length(1, 256))
    new_password = fields.String(required=True, validate=validate.Length(1, 256),
                                 metadata={"description": "at least 10 characters, not the user name, not a common password"})


class UserOut(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(allow_none=True)
    role = fields.String(required=True)
    region = fields.String(required=True)
    active = fields.Boolean()
    locked_until = Instant(allow_none=True, metadata={"description": "set while the account is locked"})
    failed_logins = fields.Integer(metadata={"description": "failed logins in the current 15-minute window"})
    password_changed_at = Instant(allow_none=True)
    created_at = Instant(allow_none=True)


def _me(actor, ctx) -> dict:
    pairings = ctx.pairings
    return {"user_id": actor.user_id, "username": actor.username, "role": actor.role, "region": actor.region,
            "region_name": pairings.regions().get(actor.region),
            "pairings": [p.id for p in pairings.of_region(actor.region)]}


def _user(ctx, user) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role,
            "region": user.region, "active": user.active, "failed_logins": service.recent_failures(ctx, user),
            "locked_until": user.locked_until if service.is_locked(ctx, user) else None,
            "password_changed_at": user.password_changed_at, "created_at": user.created_at}


@operation(bp, "/me", "GET", summary="The caller: user, role, region and pairings", tag=TAG, response=MeOut,
           auditors=True)
def me(actor, ctx):
    return _me(actor, ctx)


@operation(bp, "/me/password", "POST", summary="Change one's own password (every portal session but this one ends)",
           tag=TAG, body=PasswordIn, response=MeOut, replayable=False, auditors=True)
def change_password(actor, ctx, body):
    service.change_password(ctx, actor, body["current_password"], body["new_password"])
    return _me(actor, ctx)


@operation(bp, "/users", "GET", summary="The users of the administrator's region, with any lock", tag=TAG,
           response=UserOut, paged=True)
def list_users(actor, ctx):
    return Page(items=[_user(ctx, u) for u in service.users_of_region(actor)], next_cursor=None)


@operation(bp, "/users/<int:user_id>/unlock", "POST", summary="Lift the lock after too many failed logins",
           tag=TAG, response=UserOut)
def unlock_user(actor, ctx, user_id):
    return _user(ctx, service.unlock(ctx, actor, user_id))
