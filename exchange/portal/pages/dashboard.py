"""Dashboards: the indicators against targets and last year, money by month; the admin's feed
status with sync, retry and skip; notifications and tasks."""
from __future__ import annotations

from collections import defaultdict

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.runtime import runtime
from exchange.followups import indicators
from exchange.notifications import service as notifications
from exchange.portal.auth import login_required
from exchange.portal.charts import bars, monthly
from exchange.portal.common import attempt, is_number, pairing_of
from exchange.portal.pages import bp
from exchange.protocol import service as feeds
from exchange.subsidies.payments import KIND_LABELS
from exchange.subsidies.statements import ledger


@bp.get("/dashboard")
@login_required
def dashboard(actor):
    pairing = pairing_of(actor)
    today = runtime().clock.today()
    year = int(request.args["year"]) if is_number(request.args.get("year")) else today.year
    if not 2000 <= year <= 2100:
        year = today.year
    data = indicators.indicators(actor, pairing.id, year, runtime().clock)
    chart = bars([(i["label"], i["target"], i["actual"], i["last_year_same_date"]) for i in data["indicators"]],
                 _("Indicators against targets"))
    money_rows = ledger(actor, pairing.id, year)["rows"]
    series: dict[str, dict[str, int]] = defaultdict(lambda: {"claimed": 0, "approved": 0, "paid": 0})
    for row in money_rows:
        for key in ("claimed", "approved", "paid"):
            series[row["month"]][key] += row[f"{key}_fen"]
    return render_template("pages/dashboard.html", data=data, chart=chart, money_chart=monthly(dict(series), _("Money by month (yuan)"),
                                               {"claimed": _("claimed"), "approved": _("approved"), "paid": _("paid")}),
                           money=data["money"], kinds=KIND_LABELS, year=year, years=range(today.year - 3, today.year + 1))


@bp.get("/feeds", endpoint="feeds")
@login_required
def feeds_page(actor):
    pairing = pairing_of(actor)
    status = feeds.feed_status(actor, pairing.id)
    return render_template("pages/feeds.html", status=status, regions=runtime().pairings.regions())


@bp.post("/feeds/sync")
@login_required
def feeds_sync(actor):
    pairing = pairing_of(actor)
    result = attempt(lambda: feeds.sync(actor, pairing.id))
    if result:
        flash(_("%(n)s event(s) applied", n=result["applied"]), "ok" if not result["errors"] else "error")
        for error in result["errors"]:
            flash(error, "error")
    return redirect(url_for("pages.feeds"))


@bp.post("/feeds/quarantine/<int:quarantine_id>/<action>")
@login_required
def feeds_quarantine(actor, quarantine_id, action):
    pairing = pairing_of(actor)
    if action == "retry":
        attempt(lambda: feeds.retry_quarantined(actor, pairing.id, quarantine_id), _("Applied again"))
    elif action == "skip":
        attempt(lambda: feeds.skip_quarantined(actor, pairing.id, quarantine_id), _("Skipped"))
    return redirect(url_for("pages.feeds"))


@bp.get("/notifications", endpoint="notifications")
@login_required
def notifications_page(actor):
    page = notifications.list_notifications(actor, {"limit": 100, "cursor": request.args.get("cursor"), "ref": None})
    return render_template("pages/notifications.html", page=page)


@bp.post("/notifications/<int:notification_id>/<action>")
@login_required
def notification_mark(actor, notification_id, action):
    attempt(lambda: notifications.mark(actor, notification_id, done=action == "done"))
    return redirect(request.referrer or url_for("pages.notifications"))
