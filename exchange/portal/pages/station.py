"""The liaison station on a phone: the worklist, a quick follow-up form, cases; and the sending
county's named lists with their xlsx export."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.files_response import xlsx_response
from exchange.core.i18n import record_language
from exchange.core.runtime import runtime
from exchange.core.sheets import workbook
from exchange.followups import cases as case_service, service, views
from exchange.followups.models import CASE_KINDS, ISSUES, METHODS, STATUSES
from exchange.followups.schemas import CaseIn, FollowUpIn
from exchange.portal.auth import login_required
from exchange.portal.common import attempt, form_dict, form_fen, form_now, is_number, pairing_of, parse, yuan_field_errors
from exchange.portal.pages import bp
from exchange.registry import service as registry


@bp.get("/station")
@login_required
def station(actor):
    pairing = pairing_of(actor)
    today = runtime().clock.today()
    sort = request.args.get("sort", "overdue")
    result = service.worklist(actor, pairing.id, today, sort=sort if sort in ("overdue", "risk") else "overdue")
    people = {s["id"]: s for s in registry.present_seekers(
        registry.seekers_by_ids(actor, [i["seeker_id"] for i in result["items"][:300]]), actor, today)}
    open_cases = case_service.list_cases(actor, pairing.id, {"limit": 50, "cursor": None, "ref": None, "status": "open",
                                                             "kind": None, "seeker_id": None, "overdue": False}).items
    return render_template("pages/station.html", items=result["items"], people=people, today=today, sort=sort,
                           open_cases=open_cases)


@bp.route("/station/log/<int:seeker_id>", methods=["GET", "POST"])
@login_required
def station_log(actor, seeker_id):
    pairing = pairing_of(actor)
    errors, values = {}, {}
    if request.method == "POST":
        values = form_dict(("issues",))
        values["seeker_id"] = seeker_id
        if values.get("contacted_at") and len(values["contacted_at"]) == 16:
            values["contacted_at"] += ":00+08:00"
        data, errors = parse(FollowUpIn(), values)
        if data is not None and attempt(lambda: service.record_followup(actor, pairing.id, data, runtime().clock),
                                        _("The follow-up is logged")):
            return redirect(url_for("pages.station"))
    person = registry.present_seeker(registry.get_seeker(actor, seeker_id), actor, runtime().clock.today())
    history = service.list_followups(actor, pairing.id, {"limit": 20, "cursor": None, "ref": None, "seeker_id": seeker_id}).items
    return render_template("pages/station_log.html", person=person, history=history[::-1], errors=errors, values=values,
                           methods=METHODS, statuses=STATUSES, issues=ISSUES,
                           now=form_now())


@bp.route("/cases", methods=["GET", "POST"])
@login_required
def cases(actor):
    pairing = pairing_of(actor)
    errors, values = {}, dict(request.args)
    if request.method == "POST":
        values = form_dict()
        yuan = values.get("amount")
        values["amount_fen"] = form_fen(yuan)
        values["seeker_id"] = int(values["seeker_id"]) if is_number(values.get("seeker_id")) else values.get("seeker_id")
        data, errors = parse(CaseIn(), values)
        yuan_field_errors(errors, amount="amount_fen")
        if data is not None and attempt(lambda: case_service.open_case(actor, pairing.id, data, runtime().clock),
                                        _("The case is opened and sent to the receiving county")):
            return redirect(url_for("pages.cases"))
    query = {"limit": 200, "cursor": request.args.get("cursor"), "ref": None, "status": request.args.get("status") or None,
             "kind": None, "seeker_id": None, "overdue": request.args.get("overdue") == "1"}
    page = case_service.list_cases(actor, pairing.id, query)
    from exchange.core.models import utcnow
    now, today = utcnow(), runtime().clock.today()
    people = {s["id"]: s for s in registry.present_seekers(registry.seekers_by_ids(actor, [c.seeker_id for c in page.items]),
                                                            actor, today)}
    subject = None
    if is_number(values.get("seeker_id")):
        subject = registry.present_seeker(registry.get_seeker(actor, int(values["seeker_id"])), actor, today)
    return render_template("pages/cases.html", page=page, errors=errors, values=values, kinds=CASE_KINDS, people=people,
                           subject=subject, overdue={c.id: case_service.is_overdue(c, now) for c in page.items},
                           moves=case_service.MOVES, side=pairing.side_of(actor.region), args=request.args)


@bp.post("/cases/<int:case_id>")
@login_required
def case_move(actor, case_id):
    pairing = pairing_of(actor)
    attempt(lambda: case_service.update_case(actor, pairing.id, case_id, request.form.get("status"), request.form.get("note"),
                                             runtime().clock), _("The case is updated"))
    return redirect(url_for("pages.cases"))


@bp.get("/views")
@login_required
def named_views(actor):
    pairing = pairing_of(actor)
    name = request.args.get("view", "tasks")
    if name not in views.VIEWS:
        abort(404)
    if pairing is None or pairing.side_of(actor.region) != "sending":
        abort(404)
    if request.args.get("format") == "xlsx":
        with record_language():   # the file goes round the county offices: in Chinese
            headers, rows = views.named_view(actor, pairing, name, runtime().clock.today())
            data = workbook(str(views.VIEWS[name])[:31], [str(h) for h in headers], [row[:-1] for row in rows])
        return xlsx_response(data, f"{name}.xlsx")
    headers, rows = views.named_view(actor, pairing, name, runtime().clock.today())
    return render_template("pages/named_views.html", name=name, names=views.VIEWS, headers=headers, rows=rows[:SHOWN],
                           total=len(rows))


SHOWN = 500   # rows on the page; the xlsx holds them all


