"""/api/v1/pairings/{pairing_id}/indicators."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.indicators import service
from exchange.indicators.schemas import IndicatorQuery, IndicatorsOut

bp = Blueprint("indicators", __name__, url_prefix="/api/v1/pairings/<pairing_id>")


@operation(bp, "/indicators", "GET", summary="The indicators against targets and last year", tag="Indicators",
           query=IndicatorQuery, response=IndicatorsOut)
def get_indicators(actor, ctx, pairing_id, query):
    return service.indicators(ctx, actor, pairing_id, query["year"], as_of=query.get("as_of"),
                              span=(query["from_"], query["to"]) if query.get("from_") else None)
