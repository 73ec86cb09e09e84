"""The receiving county's employers (registration and vetting) and postings."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.runtime import runtime
from exchange.employers import service
from exchange.employers.schemas import EmployerIn, PostingIn
from exchange.portal.auth import login_required
from exchange.portal.common import attempt, form_dict, form_fen, is_number, parse
from exchange.portal.pages import bp
from exchange.registry.vocab import LABELS


@bp.route("/employers", methods=["GET", "POST"])
@login_required
def employers(actor):
    errors, values = {}, {}
    if request.method == "POST":
        values = form_dict()
        data, errors = parse(EmployerIn(), values)
        if data is not None and attempt(lambda: service.register_employer(actor, data), _("The employer is registered and waits for vetting")):
            return redirect(url_for("pages.employers"))
    status = request.args.get("status") or None
    page = service.list_employers(actor, {"limit": 200, "cursor": request.args.get("cursor"), "ref": None, "status": status,
                                          "q": request.args.get("q") or None, "uscc": None})
    return render_template("pages/employers.html", page=page, errors=errors, values=values, args=request.args)


@bp.post("/employers/<int:employer_id>/vet")
@login_required
def employer_vet(actor, employer_id):
    decision = request.form.get("decision")
    attempt(lambda: service.vet_employer(actor, employer_id, decision, request.form.get("reason")),
            _("Approved") if decision == "approved" else _("Rejected"))
    return redirect(url_for("pages.employers", status=request.args.get("status")))


@bp.route("/postings", methods=["GET", "POST"])
@login_required
def postings(actor):
    errors, values = {}, {}
    if request.method == "POST":
        values = form_dict()
        body = {k: v for k, v in values.items() if not k.startswith("req_")}
        body["requirements"] = {"gender": values.get("req_gender") or "any", "age_min": values.get("req_age_min") or 16,
                                "age_max": values.get("req_age_max") or 60, "education_min": values.get("req_education_min") or "primary",
                                "skills": values.get("req_skills") or []}
        for money_field in ("wage_min", "wage_max"):
            yuan = values.get(money_field)
            body[f"{money_field}_fen"] = form_fen(yuan)
        body["housing"], body["meals"] = "housing" in request.form, "meals" in request.form
        for number in ("employer_id", "headcount", "contract_months"):
            if is_number(body.get(number)):
                body[number] = int(body[number])
        for number in ("age_min", "age_max"):
            if is_number(body["requirements"][number]):
                body["requirements"][number] = int(body["requirements"][number])
        data, errors = parse(PostingIn(), body)
        if data is not None and attempt(lambda: service.create_posting(actor, data, runtime().clock), _("The posting is open")):
            return redirect(url_for("pages.postings"))
    page = service.list_postings(actor, {"limit": 200, "cursor": request.args.get("cursor"), "ref": None, "employer_id": None,
                                         "status": request.args.get("status") or None})
    approved = service.list_employers(actor, {"limit": 500, "cursor": None, "ref": None, "status": "approved", "q": None,
                                              "uscc": None}).items
    approved = [e for e in approved if e.region == actor.region]
    return render_template("pages/postings.html", page=page, errors=errors, values=values, employers=approved, labels=LABELS,
                           region=actor.region)


@bp.post("/postings/<int:posting_id>/close")
@login_required
def posting_close(actor, posting_id):
    attempt(lambda: service.close_posting(actor, posting_id), _("The posting is closed"))
    return redirect(url_for("pages.postings"))
