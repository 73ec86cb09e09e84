"""/api/v1/pairings: the pairings of the caller's region and their rules (figures in fen)."""
from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields

from exchange.accounts.permissions import require_pairing_member
from exchange.core.api import operation
from exchange.pairings.config import Pairing

bp = Blueprint("pairings", __name__, url_prefix="/api/v1/pairings")
TAG = "Pairings"


class SideOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    hosted_here = fields.Boolean(required=True)


class PairingOut(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    sending = fields.Nested(SideOut, required=True)
    receiving = fields.Nested(SideOut, required=True)
    your_side = fields.String(allow_none=True)
    payer = fields.String(allow_none=True)
    rules = fields.Dict(required=True)
    liaison = fields.Dict(allow_none=True)
    targets = fields.Dict(required=True)


class PairingList(Schema):
    items = fields.List(fields.Nested(PairingOut), required=True)


class MilestoneOut(Schema):
    months = fields.Integer(required=True)
    amount_fen = fields.Integer(required=True)


class ProgrammeOut(Schema):
    key = fields.String(required=True, metadata={"description": "the claims' kind"})
    name = fields.String(required=True)
    payer = fields.String(required=True, metadata={"description": "sending | receiving"})
    payee = fields.String(required=True, metadata={"description": "worker | employer | agency"})
    trigger = fields.String(required=True,
                            metadata={"description": "transport | employment | hired | income | training | monthly"})
    when = fields.Dict(required=True, metadata={"description": "the conditions that must all hold"})
    shorthand = fields.Boolean(required=True, metadata={"description": "written as a [subsidies.*] table"})
    milestones = fields.List(fields.Nested(MilestoneOut))
    max_gap_days = fields.Integer()
    amount_fen = fields.Integer()
    threshold_fen = fields.Integer()
    per_day_fen = fields.Integer()
    per_hour_fen = fields.Integer()
    min_hours = fields.Integer()
    cap_fen = fields.Integer()


class ProgrammeList(Schema):
    items = fields.List(fields.Nested(ProgrammeOut), required=True)


def present(ctx, pairing: Pairing, region: str) -> dict:
    settings = ctx.settings
    rules: dict = {}
    if pairing.transport:
        rules["transport"] = {"cap_fen": pairing.transport.cap_fen,
                              "requires_organized_dispatch": pairing.transport.requires_organized_dispatch}
    if pairing.retention:
        rules["retention"] = {"max_gap_days": pairing.retention.max_gap_days,
                              "milestones": [{"months": m.months, "amount_fen": m.amount_fen} for m in pairing.retention.milestones]}
    if pairing.income:
        rules["income"] = {"threshold_fen": pairing.income.threshold_fen, "amount_fen": pairing.income.amount_fen}
    if pairing.training:
        rules["training"] = {"per_day_fen": pairing.training.per_day_fen, "cap_fen": pairing.training.cap_fen}
    rules["followup"] = vars(pairing.followup).copy()
    liaison = ({"name": pairing.liaison.name, "address": pairing.liaison.address, "phones": list(pairing.liaison.phones)}
               if pairing.liaison else None)
    return {
        "id": pairing.id, "name": pairing.name,
        "sending": {"code": pairing.sending.code, "name": pairing.sending.name, "hosted_here": settings.hosts(pairing.sending.code)},
        "receiving": {"code": pairing.receiving.code, "name": pairing.receiving.name, "hosted_here": settings.hosts(pairing.receiving.code)},
        "your_side": pairing.side_of(region), "payer": pairing.payer, "rules": rules, "liaison": liaison,
        "targets": {str(year): values for year, values in pairing.targets.items()},
    }


@operation(bp, "", "GET", summary="The pairings of the caller's region", tag=TAG, response=PairingList)
def list_pairings(actor, ctx):
    return {"items": [present(ctx, p, actor.region) for p in ctx.pairings.of_region(actor.region)]}


@operation(bp, "/<pairing_id>", "GET", summary="One pairing and its rules", tag=TAG, response=PairingOut)
def get_pairing(actor, ctx, pairing_id):
    return present(ctx, require_pairing_member(ctx, actor, pairing_id), actor.region)


@operation(bp, "/<pairing_id>/programmes", "GET", summary="The pairing's programmes as loaded (the four shorthand ones included)",
           tag=TAG, response=ProgrammeList)
def list_programmes(actor, ctx, pairing_id):
    pairing = require_pairing_member(ctx, actor, pairing_id)
    return {"items": [programme.as_dict() for programme in pairing.programmes]}
