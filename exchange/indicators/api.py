"""/api/v1/pairings/{pairing_id}/indicators."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import PDF, XLSX, operation
from exchange.core.errors import NotFound
from exchange.core.files_response import pdf_response, xlsx_response
from exchange.indicators import funds, reports, service
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


REPORTS = "Indicators: report forms"


def _form(actor, ctx, pairing_id, year, month=None, quarter=None, fmt="xlsx"):
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12) or \
            (quarter is not None and not 1 <= quarter <= 4):
        raise NotFound("not_found", "no such report: a year 2000–2100, a month 1–12 or a quarter q1–q4")
    body, name = reports.form_file(ctx, actor, pairing_id, year, month, quarter, fmt)
    return xlsx_response(body, name) if fmt == "xlsx" else pdf_response(body, name)


@operation(bp, "/reports/<int:year>.xlsx", "GET", summary="The yearly report form (table 4-2, xlsx)", tag=REPORTS,
           produces=XLSX)
def year_xlsx(actor, ctx, pairing_id, year):
    return _form(actor, ctx, pairing_id, year)


@operation(bp, "/reports/<int:year>.pdf", "GET", summary="The yearly report form (PDF)", tag=REPORTS, produces=PDF)
def year_pdf(actor, ctx, pairing_id, year):
    return _form(actor, ctx, pairing_id, year, fmt="pdf")


@operation(bp, "/reports/<int:year>/<int:month>.xlsx", "GET", summary="A monthly report form, 1 January to the "
           "month's end (xlsx)", tag=REPORTS, produces=XLSX)
def month_xlsx(actor, ctx, pairing_id, year, month):
    return _form(actor, ctx, pairing_id, year, month=month)


@operation(bp, "/reports/<int:year>/<int:month>.pdf", "GET", summary="A monthly report form (PDF)", tag=REPORTS,
           produces=PDF)
def month_pdf(actor, ctx, pairing_id, year, month):
    return _form(actor, ctx, pairing_id, year, month=month, fmt="pdf")


@operation(bp, "/reports/<int:year>/q<int:quarter>.xlsx", "GET", summary="A quarterly report form, 1 January to "
           "the quarter's end (xlsx)", tag=REPORTS, produces=XLSX)
def quarter_xlsx(actor, ctx, pairing_id, year, quarter):
    return _form(actor, ctx, pairing_id, year, quarter=quarter)


@operation(bp, "/reports/<int:year>/q<int:quarter>.pdf", "GET", summary="A quarterly report form (PDF)", tag=REPORTS,
           produces=PDF)
def quarter_pdf(actor, ctx, pairing_id, year, quarter):
    return _form(actor, ctx, pairing_id, year, quarter=quarter, fmt="pdf")
