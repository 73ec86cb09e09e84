"""The dashboard: the indicators against targets and last year, and money by month."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from exchange.core.i18n import _l
from exchange.indicators import service
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
