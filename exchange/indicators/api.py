"""/api/v1/pairings/{pairing_id}/indicators."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.indicators import funds, service
from exchange.indicators.schemas import FundIn, FundOut, FundQuery, IndicatorQuery, IndicatorsOut

bp = Blueprint("indicators", __name__, url_prefix="/api/v1/pairings/<pairing_id>")


@operation(bp, "/indicators", "GET", summary="The indicators against targets and last year", tag="Indicators",
           query=IndicatorQuery, response=IndicatorsOut)
def get_indicators(actor, ctx, pairing_id, query):
    return service.indicators(ctx, actor, pairing_id, query["year"], as_of=query.get("as_of"),
                              span=(query["from_"], query["to"]) if query.get("from_") else None)


@operation(bp, "/funds", "POST", summary="Record a fund entry (援助资金)", tag="Indicators", body=FundIn,
           response=FundOut, status=201)
def record_fund(actor, ctx, pairing_id, body):
    return funds.record_fund(ctx, actor, pairing_id, body)


@operation(bp, "/funds", "GET", summary="The pairing's fund entries", tag="Indicators", query=FundQuery,
           response=FundOut, paged=True)
def list_funds(actor, ctx, pairing_id, query):
    return funds.list_funds(ctx, actor, pairing_id, query)
