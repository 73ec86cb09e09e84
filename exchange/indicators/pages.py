"""The dashboard: the indicators against targets and last year, and money by month; the report
forms, as the scheduler wrote them and for any period on demand."""
from __future__ import annotations

import re
from collections import defaultdict

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from exchange.core.i18n import _l
from exchange.core.files_response import pdf_response, xlsx_response
from exchange.indicators import reports, service
from exchange.indicators.jobs import report_folder
from exchange.portal.auth import login_required, pairing_of
from exchange.indicators.charts import bars, monthly
from exchange.portal.forms import is_number
from exchange.portal.nav import nav_item
from exchange.subsidies.statements import ledger

bp = Blueprint("indicators_pages", __name__)
nav_item("indicators_pages.dashboard", _l("Dashboard"), order=800)


@bp.get("/dashboard")
@login_required
def dashboard(actor, ctx):
    pairing = pairing_of(ctx, actor)
    today = ctx.clock.today()
    year = int(request.args["year"]) if is_number(request.args.get("year")) else today.year
    if not 2000 <= year <= 2100:
        year = today.year
    data = service.indicators(ctx, actor, pairing.id, year)
    chart = bars([(i["label"], i["target"], i["actual"], i["last_year_same_date"]) for i in data["indicators"]],
                 _("Indicators against targets"))
    series: dict[str, dict[str, int]] = defaultdict(lambda: {"claimed": 0, "approved": 0, "paid": 0})
    for row in ledger(ctx, actor, pairing.id, year)["rows"]:
        for key in ("claimed", "approved", "paid"):
            series[row["month"]][key] += row[f"{key}_fen"]
    money_chart = monthly(dict(series), _("Money by month (yuan)"),
                          {"claimed": _("claimed"), "approved": _("approved"), "paid": _("paid")})
    return render_template("indicators/dashboard.html", data=data, chart=chart, money_chart=money_chart,
                           money=data["money"], kinds=pairing.kind_labels, pairing_id=pairing.id, year=year, years=range(today.year - 3, today.year + 1))


FORM_FILE = re.compile(r"^indicators-[a-z0-9-]+-\d{4}(?:-\d{2}|-q[1-4])?\.(xlsx|pdf)$")


def _period_words(name: str) -> str:
    found = re.search(r"-(\d{4})(?:-(\d{2})|-q([1-4]))?\.", name)
    year, month, quarter = found.group(1), found.group(2), found.group(3)
    return f"{year}年第{quarter}季度" if quarter else f"{year}年{int(month)}月" if month else f"{year}年度"


@bp.get("/reports")
@login_required
def reports_list(actor, ctx):
    """The report forms the scheduler wrote (each month's, on the 1st), and any period on demand."""
    pairing = pairing_of(ctx, actor)
    folder = report_folder(ctx, pairing.id)
    files = sorted((p.name for p in folder.iterdir() if FORM_FILE.match(p.name)), reverse=True) if folder.is_dir() else []
    today = ctx.clock.today()
    return render_template("indicators/reports.html", pairing=pairing, files=[(f, _period_words(f)) for f in files],
                           years=range(today.year, today.year - 4, -1))


@bp.get("/reports/<pairing_id>/<name>")
@login_required
def report_file(actor, ctx, pairing_id, name):
    pairing = pairing_of(ctx, actor)
    path = report_folder(ctx, pairing.id) / name
    if pairing_id != pairing.id or not FORM_FILE.match(name) or not path.is_file():
        abort(404)
    body = path.read_bytes()
    return xlsx_response(body, name) if name.endswith(".xlsx") else pdf_response(body, name)


@bp.get("/reports/form")
@login_required
def report_form(actor, ctx):
    """A form for any year, month or quarter, made now from the same figures as the API."""
    pairing = pairing_of(ctx, actor)
    year = int(request.args["year"]) if is_number(request.args.get("year")) else ctx.clock.today().year
    period, fmt = request.args.get("period", ""), request.args.get("format", "xlsx")
    month = int(period) if period.isdigit() and 1 <= int(period) <= 12 else None
    quarter = int(period[1]) if re.fullmatch(r"q[1-4]", period) else None
    if not 2000 <= year <= 2100 or fmt not in ("xlsx", "pdf") or (period and not (month or quarter)):
        abort(404)
    body, name = reports.form_file(ctx, actor, pairing.id, year, month, quarter, fmt)
    return xlsx_response(body, name) if fmt == "xlsx" else pdf_response(body, name)
