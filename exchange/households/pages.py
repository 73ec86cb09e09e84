"""The sending county's households in the portal: the list (with the zero-employment filter and
how it changed since the same day last month), each household with its members, and the xlsx."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.files_response import xlsx_response
from exchange.core.i18n import _l
from exchange.core.parsing import FieldProblem, parse_date
from exchange.households import service
from exchange.households.schemas import HouseholdIn
from exchange.portal.auth import login_required
from exchange.portal.forms import attempt, load_form
from exchange.portal.nav import nav_item
from exchange.registry.vocab import HOUSEHOLD_STATUSES, LABELS

bp = Blueprint("households_pages", __name__)
SHOWN = 500   # rows on the page; the download holds them all
nav_item("households_pages.households", _l("Households"), order=15, shown=lambda where: where.office("sending"))


@bp.route("/households", methods=["GET", "POST"])
@login_required
def households(actor, ctx):
    errors, values = {}, {}
    if request.method == "POST":      # register a household; its members join it from their own pages or the import
        values = request.form.to_dict()
        data, errors = load_form(HouseholdIn())
        made = data is not None and attempt(lambda: service.create_household(ctx, actor, data),
                                            _("The household is registered"))
        if made:
            return redirect(url_for("households_pages.household", household_id=made.id))
    day, error = ctx.clock.today(), None
    if request.args.get("as_of"):
        try:
            day = parse_date(request.args["as_of"])
        except FieldProblem as exc:
            error = str(exc.message)
    zero = {"yes": True, "no": False}.get(request.args.get("zero", ""))
    status = request.args.get("status") if request.args.get("status") in HOUSEHOLD_STATUSES else None
    found = service.households_of(ctx, actor, day=day, zero=zero, status=status)
    title = str(_l("Zero-employment households")) if zero else str(_l("Households"))
    if request.args.get("format") == "xlsx":
        return xlsx_response(service.households_xlsx(ctx, actor, service.summaries(actor, found, day), title),
                             "households.xlsx")
    rows = service.summaries(actor, found[:SHOWN], day)
    cleared = service.summaries(actor, service.cleared_since_a_month(ctx, actor, day)[:SHOWN], day) if zero else []
    return render_template("households/households.html", rows=rows, total=len(found),
                           cleared=cleared, day=day, zero=zero, status=status,
                           statuses=LABELS["household_status"], error=error, args=request.args, errors=errors,
                           values=values)


@bp.get("/households/<int:household_id>")
@login_required
def household(actor, ctx, household_id):
    return render_template("households/household.html", household=service.household_detail(ctx, actor, household_id),
                           statuses=LABELS["household_status"])
