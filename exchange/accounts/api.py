"""/api/v1/me: who the token belongs to."""
from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields

from exchange.core.api import operation

bp = Blueprint("accounts", __name__, url_prefix="/api/v1")


class MeOut(Schema):
    user_id = fields.Integer(required=True)
    username = fields.String(required=True)
    role = fields.String(required=True)
    region = fields.String(required=True)
    region_name = fields.String(allow_none=True)
    pairings = fields.List(fields.String(), required=True)


@operation(bp, "/me", "GET", summary="The caller: user, role, region and pairings", tag="Accounts", response=MeOut)
def me(actor, ctx):
    pairings = ctx.pairings
    return {"user_id": actor.user_id, "username": actor.username, "role": actor.role, "region": actor.region,
            "region_name": pairings.regions().get(actor.region),
            "pairings": [p.id for p in pairings.of_region(actor.region)]}
