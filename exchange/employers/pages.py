"""Employers and agencies (each region registers and vets its own: the receiving county the
employers it offers, the sending county its local workplaces and its agencies) and the receiving
county's postings, in the browser."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.fields import Yuan
from exchange.core.i18n import _l
from exchange.core.words import label
from exchange.employers import service
from exchange.employers.schemas import (AgencyIn, AgencyQuery, EmployerIn, EmployerQuery, OrganisationPatch, PostingIn,
                                        PostingQuery, VetIn)
from exchange.pairings.programmes import EMPLOYER_KINDS
from exchange.portal.auth import login_required
from exchange.portal.forms import attempt, flash_errors, load_form
from exchange.portal.nav import Card, Where, home_card, nav_item
from exchange.registry.vocab import LABELS

bp = Blueprint("employers_pages", __name__)
nav_item("employers_pages.employers", _l("Employers"), order=12, shown=lambda where: where.office())
nav_item("employers_pages.agencies", _l("Agencies"), order=13, shown=lambda where: where.office("sending"))
nav_item("employers_pages.postings", _l("Postings"), order=14, shown=lambda where: where.office("receiving"))


@home_card(order=12)
def employers_to_vet(ctx, here: Where) -> Card | None:
    if not here.clerk("receiving"):
        return None
    return Card(_("Employers waiting for vetting"), service.count_waiting_for_vetting(here.actor),
                url_for("employers_pages.employers", status="pending"))


class PostingForm(PostingIn):
    """The posting form: the API's fields, the wages typed in yuan."""
    wage_min_fen = Yuan(data_key="wage_min", required=True)
    wage_max_fen = Yuan(data_key="wage_max", required=True)


@bp.route("/employers", methods=["GET", "POST"])
@login_required
def employers(actor, ctx):
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        data, errors = load_form(EmployerIn())
        if data is not None and attempt(lambda: service.register_employer(ctx, actor, data),
                                        _("The employer is registered and waits for vetting")):
            return redirect(url_for("employers_pages.employers"))
    query, _errors = load_form(EmployerQuery(), request.args, limit=200)
    page = service.list_employers(actor, query or EmployerQuery().load({"limit": 200}))
    return render_template("employers/employers.html", page=page, errors=errors, values=values, args=request.args,
                           kinds=[(kind, label(kind)) for kind in EMPLOYER_KINDS])


@bp.post("/employers/<int:employer_id>/vet")
@login_required
def employer_vet(actor, ctx, employer_id):
    data, errors = load_form(VetIn())
    if data is None:
        flash_errors(errors)
    else:
        attempt(lambda: service.vet_employer(ctx, actor, employer_id, data["decision"], data.get("reason")),
                _("Approved") if data["decision"] == "approved" else _("Rejected"))
    return redirect(url_for("employers_pages.employers", status=request.args.get("status")))


@bp.post("/<any(employers, agencies):what>/<int:row_id>/account")
@login_required
def account(actor, ctx, what, row_id):
    """An employer's or agency's bank details, set or corrected after registration."""
    data, errors = load_form(OrganisationPatch())
    if data is None:
        flash_errors(errors)
    else:
        update = service.update_employer if what == "employers" else service.update_agency
        attempt(lambda: update(ctx, actor, row_id, data), _("The bank details are saved"))
    return redirect(url_for(f"employers_pages.{what}"))


@bp.route("/agencies", methods=["GET", "POST"])
@login_required
def agencies(actor, ctx):
    """Employment agencies (人力资源服务机构) of the region: registered and vetted like employers."""
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        data, errors = load_form(AgencyIn())
        if data is not None and attempt(lambda: service.register_agency(ctx, actor, data),
                                        _("The agency is registered and waits for vetting")):
            return redirect(url_for("employers_pages.agencies"))
    query, _errors = load_form(AgencyQuery(), request.args, limit=200)
    page = service.list_agencies(actor, query or AgencyQuery().load({"limit": 200}))
    return render_template("employers/agencies.html", page=page, errors=errors, values=values, args=request.args)


@bp.post("/agencies/<int:agency_id>/vet")
@login_required
def agency_vet(actor, ctx, agency_id):
    data, errors = load_form(VetIn())
    if data is None:
        flash_errors(errors)
    else:
        attempt(lambda: service.vet_agency(ctx, actor, agency_id, data["decision"], data.get("reason")),
                _("Approved") if data["decision"] == "approved" else _("Rejected"))
    return redirect(url_for("employers_pages.agencies", status=request.args.get("status")))


@bp.route("/postings", methods=["GET", "POST"])
@login_required
def postings(actor, ctx):
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        data, errors = load_form(PostingForm())
        if data is not None and attempt(lambda: service.create_posting(ctx, actor, data), _("The posting is open")):
            return redirect(url_for("employers_pages.postings"))
    query, _errors = load_form(PostingQuery(), request.args, limit=200)
    page = service.list_postings(actor, query or PostingQuery().load({"limit": 200}))
    return render_template("employers/postings.html", page=page, errors=errors, values=values,
                           employers=service.approved_employers_of(actor), labels=LABELS, region=actor.region)


@bp.post("/postings/<int:posting_id>/close")
@login_required
def posting_close(actor, ctx, posting_id):
    attempt(lambda: service.close_posting(ctx, actor, posting_id), _("The posting is closed"))
    return redirect(url_for("employers_pages.postings"))
