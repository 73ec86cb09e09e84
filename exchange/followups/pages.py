"""The liaison station on a phone: the worklist, a quick follow-up form, cases; and the sending
county's named lists with their xlsx export."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.accounts.roles import LIAISON_OFFICER, RECEIVING_STAFF, SENDING_STAFF
from exchange.core.fields import Yuan
from exchange.core.files_response import xlsx_response
from exchange.core.i18n import _l
from exchange.followups import cases as case_service, service, views
from exchange.followups.models import CASE_KINDS, ISSUES, METHODS, STATUSES
from exchange.followups.schemas import CaseIn, CasePatch, FollowUpIn
from exchange.portal.auth import login_required, pairing_of
from exchange.portal.forms import attempt, flash_errors, form_now, is_number, load_form
from exchange.portal.nav import Card, Where, home_card, nav_item, seeker_link
from exchange.registry import service as registry

bp = Blueprint("followups_pages", __name__)
SHOWN = 500   # rows of a named list on the page; the xlsx holds them all


def _station(where: Where) -> bool:
    """The liaison station's work: its officers and the sending county's staff."""
    return where.side == "sending" and where.role in (LIAISON_OFFICER, SENDING_STAFF)


nav_item("followups_pages.named_views", _l("Lists"), order=60, shown=lambda where: where.office("sending"))
nav_item("followups_pages.station", _l("Worklist"), order=70, shown=_station)
nav_item("followups_pages.cases", _l("Cases"), order=80, shown=lambda where: _station(where) or where.office("receiving"))
seeker_link("followups_pages.station_log", _l("Log a follow-up"), order=20, shown=lambda where, person: _station(where))
seeker_link("followups_pages.cases", _l("Open a case"), order=30, shown=lambda where, person: _station(where))


@home_card(order=40)
def followups_due(ctx, here: Where) -> Card | None:
    if not _station(here):
        return None
    due, at_risk = service.worklist_counts(ctx, here.actor, here.pairing.id, ctx.clock.today())
    return Card(_("Due for a follow-up today"), due, url_for("followups_pages.station"), _("%(n)s at risk", n=at_risk))


@home_card(order=45)
def open_cases(ctx, here: Where) -> Card | None:
    if here.pairing is None or here.role not in (RECEIVING_STAFF, LIAISON_OFFICER, SENDING_STAFF):
        return None
    return Card(_("Open cases"), case_service.count_open(here.actor, here.pairing), url_for("followups_pages.cases"))


class CaseForm(CaseIn):
    amount_fen = Yuan(data_key="amount", load_default=None, allow_none=True)


@bp.get("/station")
@login_required
def station(actor, ctx):
    pairing = pairing_of(ctx, actor)
    today = ctx.clock.today()
    sort = request.args.get("sort", "overdue")
    result = service.worklist(ctx, actor, pairing.id, today, sort=sort if sort in ("overdue", "risk") else "overdue")
    people = {s["id"]: s for s in registry.present_seekers(
        registry.seekers_by_ids(actor, [i["seeker_id"] for i in result["items"][:300]]), actor, today)}
    open_cases = case_service.list_cases(ctx, actor, pairing.id, {"limit": 50, "cursor": None, "ref": None, "status": "open",
                                                                  "kind": None, "seeker_id": None, "overdue": False}).items
    return render_template("followups/station.html", items=result["items"], people=people, today=today, sort=sort,
                           open_cases=open_cases)


@bp.route("/station/log/<int:seeker_id>", methods=["GET", "POST"])
@login_required
def station_log(actor, ctx, seeker_id):
    pairing = pairing_of(ctx, actor)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        values["issues"] = request.form.getlist("issues")
        data, errors = load_form(FollowUpIn(), seeker_id=seeker_id)   # "when" is typed in Beijing time
        if data is not None and attempt(lambda: service.record_followup(ctx, actor, pairing.id, data),
                                        _("The follow-up is logged")):
            return redirect(url_for("followups_pages.station"))
    person = registry.present_seeker(registry.get_seeker(actor, seeker_id), actor, ctx.clock.today())
    history = service.list_followups(ctx, actor, pairing.id, {"limit": 20, "cursor": None, "ref": None,
                                                              "seeker_id": seeker_id}).items
    return render_template("followups/station_log.html", person=person, history=history[::-1], errors=errors,
                           values=values, methods=METHODS, statuses=STATUSES, issues=ISSUES, now=form_now(ctx))


@bp.route("/cases", methods=["GET", "POST"])
@login_required
def cases(actor, ctx):
    pairing = pairing_of(ctx, actor)
    errors, values = {}, dict(request.args)
    if request.method == "POST":
        values = request.form.to_dict()
        data, errors = load_form(CaseForm())
        if data is not None and attempt(lambda: case_service.open_case(ctx, actor, pairing.id, data),
                                        _("The case is opened and sent to the receiving county")):
            return redirect(url_for("followups_pages.cases"))
    query = {"limit": 200, "cursor": request.args.get("cursor"), "ref": None, "status": request.args.get("status") or None,
             "kind": None, "seeker_id": None, "overdue": request.args.get("overdue") == "1"}
    page = case_service.list_cases(ctx, actor, pairing.id, query)
    today, now = ctx.clock.today(), ctx.clock.now()
    people = {s["id"]: s for s in registry.present_seekers(registry.seekers_by_ids(actor, [c.seeker_id for c in page.items]),
                                                            actor, today)}
    subject = None
    if is_number(values.get("seeker_id")):
        subject = registry.present_seeker(registry.get_seeker(actor, int(values["seeker_id"])), actor, today)
    return render_template("followups/cases.html", page=page, errors=errors, values=values, kinds=CASE_KINDS, people=people,
                           subject=subject, overdue={c.id: case_service.is_overdue(c, now) for c in page.items},
                           moves=case_service.MOVES, side=pairing.side_of(actor.region), args=request.args)


@bp.post("/cases/<int:case_id>")
@login_required
def case_move(actor, ctx, case_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(CasePatch())
    if data is None:
        flash_errors(errors)
    else:
        attempt(lambda: case_service.update_case(ctx, actor, pairing.id, case_id, data["status"], data.get("note")),
                _("The case is updated"))
    return redirect(url_for("followups_pages.cases"))


@bp.get("/views")
@login_required
def named_views(actor, ctx):
    pairing = pairing_of(ctx, actor)
    name = request.args.get("view", "tasks")
    today = ctx.clock.today()
    if request.args.get("format") == "xlsx":
        return xlsx_response(views.named_view_xlsx(ctx, actor, pairing, name, today), f"{name}.xlsx")
    headers, rows = views.named_view(ctx, actor, pairing, name, today)
    return render_template("followups/named_views.html", name=name, names=views.VIEWS, headers=headers, rows=rows[:SHOWN],
                           total=len(rows))
