"""/api/v1/pairings/{pairing_id}/employment: a seeker's employment spells."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.employment import service
from exchange.employment.schemas import SpellsIn, SpellsOut

bp = Blueprint("employment", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
TAG = "After arrival: employment, income, training"


@operation(bp, "/employment/<int:seeker_id>", "PUT", summary="Replace a seeker's employment spells (the whole list)",
           tag=TAG, body=SpellsIn, response=SpellsOut)
def put_spells(actor, ctx, pairing_id, seeker_id, body):
    return {"seeker_id": seeker_id, "spells": service.put_spells(ctx, actor, pairing_id, seeker_id, body["spells"])}


@operation(bp, "/employment/<int:seeker_id>", "GET", summary="A seeker's employment spells", tag=TAG,
           response=SpellsOut)
def get_spells(actor, ctx, pairing_id, seeker_id):
    return {"seeker_id": seeker_id, "spells": service.get_spells(ctx, actor, pairing_id, seeker_id)}
