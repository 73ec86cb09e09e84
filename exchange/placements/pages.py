"""Rounds 2 and 3 in the browser: the proposal review, batches and their results, the journey,
arrivals, and the printed manifest and contact cards."""
from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, post_load

from exchange.core.errors import DomainError
from exchange.core.fields import Choice, LenientBool, LocalId, Yuan
from exchange.core.files_response import pdf_response
from exchange.core.i18n import _l
from exchange.employers.service import approved_agencies_of
from exchange.extensions import db
from exchange.lists import service as lists
from exchange.placements import printing, proposals, service
from exchange.placements.events import OUTCOMES
from exchange.placements.schemas import ArrivalIn, DispatchIn, ResultIn
from exchange.portal.auth import login_required, pairing_of
from exchange.portal.forms import attempt, flash_errors, form_now, load_form
from exchange.portal.nav import Card, Where, home_card, nav_item
from exchange.registry.vocab import LABELS

bp = Blueprint("placements_pages", __name__)
PAGE = {"limit": 100, "cursor": None, "ref": None, "status": None}


nav_item("placements_pages.batches", _l("Batches"), order=40, shown=lambda where: where.office())
nav_item("placements_pages.dispatches", _l("Dispatches"), order=50, shown=lambda where: where.office())


@home_card(order=30)
def waiting_for_the_receiving_clerk(ctx, here: Where) -> list[Card] | None:
    """What waits for the receiving clerk: results to record, arrivals to confirm."""
    if not here.clerk("receiving"):
        return None
    results, arrivals = service.waiting_on_receiving(here.actor, here.pairing)
    return [Card(_("Batches waiting for results"), results, url_for("placements_pages.batches")),
            Card(_("Dispatches with arrivals to confirm"), arrivals, url_for("placements_pages.dispatches"))]


class ChosenMatch(Schema):
    seeker_id = LocalId(required=True)
    posting_id = LocalId(load_default=None, allow_none=True)   # none chosen: not in this batch
    agency_id = LocalId(load_default=None, allow_none=True)    # the agency that brought the person, if one did


class ProposalForm(Schema):
    """The proposal as the clerk left it: per person, the posting chosen (or none)."""
    matches = fields.List(fields.Nested(ChosenMatch), load_default=list)


class ResultRow(ResultIn):
    """A row of the results form: every row is pre-filled with the posting's start date and
    wage, which a result other than a hire does not keep; a row left at "—" records nothing."""
    outcome = Choice(OUTCOMES, load_default=None, allow_none=True)
    monthly_wage_fen = Yuan(data_key="wage", load_default=None, allow_none=True)

    @post_load
    def only_a_hire_starts(self, data, **kwargs):
        if data.get("outcome") != "hired":
            data["start_date"] = data["monthly_wage_fen"] = None
        return data


class ResultsForm(Schema):
    results = fields.List(fields.Nested(ResultRow), load_default=list)


class ArrivalRow(ArrivalIn):
    arrived = LenientBool(load_default=None, allow_none=True)   # neither box ticked: not confirmed yet


class ArrivalsForm(Schema):
    arrivals = fields.List(fields.Nested(ArrivalRow), load_default=list)


@bp.route("/supply-lists/<int:list_id>/proposal", methods=["GET", "POST"])
@login_required
def proposal(actor, ctx, list_id):
    """The engine's proposal, to keep, drop or change match by match; the server checks again."""
    pairing = pairing_of(ctx, actor)
    supply = lists.get_supply_list(ctx, actor, pairing.id, list_id)
    chosen, problems, brought = None, {}, {}
    if request.method == "POST":
        data, errors = load_form(ProposalForm())
        rows = (data or {}).get("matches", [])
        chosen = {row["seeker_id"]: row["posting_id"] for row in rows}
        brought = {row["seeker_id"]: row.get("agency_id") for row in rows if row.get("agency_id")}
        pairs = sorted((s, p) for s, p in chosen.items() if p is not None)
        if not pairs:
            flash(_("Keep at least one match"), "error")
        else:
            try:
                batch = service.create_batch(ctx, actor, pairing.id, list_id, pairs,
                                             {(s, p): brought[s] for s, p in pairs if s in brought})
            except DomainError as refusal:
                db.session.rollback()
                # The clerk's choices stay on the page, each refused match marked on its row.
                problems = row_problems(refusal, pairs)
                flash(refusal.message, "error")
            else:
                flash(_("The batch is saved as a draft; check it and propose it"), "ok")
                return redirect(url_for("placements_pages.batch", batch_id=batch.id))
    result = proposals.proposal(ctx, actor, pairing.id, list_id)
    names = {s.id: s for s in lists.seekers_of_list(supply.seeker_list)}
    return render_template("placements/proposal.html", supply=supply, result=result, postings=lists.offered_postings(supply),
                           names=names, labels=LABELS, chosen=chosen, problems=problems,
                           agencies=approved_agencies_of(actor), brought=brought)


def row_problems(refusal, pairs: list[tuple[int, int]]) -> dict[int | None, list[str]]:
    """The server's objections to a batch, by seeker: "matches[3]…" names the fourth pair sent."""
    out: dict[int | None, list[str]] = {}
    for detail in refusal.details:
        found = re.match(r"matches\[(\d+)\]", detail.get("field") or "")
        seeker = pairs[int(found.group(1))][0] if found and int(found.group(1)) < len(pairs) else None
        out.setdefault(seeker, []).append(detail.get("message", ""))
    return out


@bp.get("/batches")
@login_required
def batches(actor, ctx):
    pairing = pairing_of(ctx, actor)
    page = service.list_batches(ctx, actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("placements/batches.html", page=page)


@bp.get("/batches/<int:batch_id>")
@login_required
def batch(actor, ctx, batch_id):
    pairing = pairing_of(ctx, actor)
    batch = service.get_batch(ctx, actor, pairing.id, batch_id)
    people, postings = service.batch_details(actor, batch, ctx.clock.today())
    return render_template("placements/batch.html", batch=batch, people=people, postings=postings,
                           side=pairing.side_of(actor.region), travelled=service.travelled_matches(batch), now=form_now(ctx))


@bp.post("/batches/<int:batch_id>/propose")
@login_required
def batch_propose(actor, ctx, batch_id):
    pairing = pairing_of(ctx, actor)
    attempt(lambda: service.propose_batch(ctx, actor, pairing.id, batch_id),
            _("Proposed: the receiving county now sees who goes where"))
    return redirect(url_for("placements_pages.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/results")
@login_required
def batch_results(actor, ctx, batch_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(ResultsForm())
    if data is None:
        flash_errors(errors)
    else:
        results = [row for row in data["results"] if row["outcome"] is not None]
        attempt(lambda: service.record_results(ctx, actor, pairing.id, batch_id, results),
                _("The results are recorded and sent"))
    return redirect(url_for("placements_pages.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/dispatch")
@login_required
def batch_dispatch(actor, ctx, batch_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(DispatchIn(), batch_id=batch_id)   # the departure is typed in Beijing time
    if data is None:
        flash_errors(errors)
        return redirect(url_for("placements_pages.batch", batch_id=batch_id))
    dispatch = attempt(lambda: service.create_dispatch(ctx, actor, pairing.id, data),
                       _("The departure is recorded; print the manifest and the contact cards"))
    return redirect(url_for("placements_pages.dispatch", dispatch_id=dispatch.id) if dispatch
                    else url_for("placements_pages.batch", batch_id=batch_id))


@bp.get("/dispatches")
@login_required
def dispatches(actor, ctx):
    pairing = pairing_of(ctx, actor)
    page = service.list_dispatches(ctx, actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("placements/dispatches.html", page=page)


@bp.get("/dispatches/<int:dispatch_id>")
@login_required
def dispatch(actor, ctx, dispatch_id):
    pairing = pairing_of(ctx, actor)
    dispatch = service.get_dispatch(ctx, actor, pairing.id, dispatch_id)
    rows = service.traveller_rows(ctx, dispatch, viewer=actor, full_phones=False)   # only print shows them whole
    return render_template("placements/dispatch.html", dispatch=dispatch, rows=rows, side=pairing.side_of(actor.region),
                           now=form_now(ctx))


@bp.post("/dispatches/<int:dispatch_id>/arrival")
@login_required
def dispatch_arrival(actor, ctx, dispatch_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(ArrivalsForm())
    arrivals = [row for row in (data or {}).get("arrivals", []) if row["arrived"] is not None]
    if data is None:
        flash_errors(errors)
    elif not arrivals:
        flash(_("Mark at least one traveller as arrived or not"), "error")
    else:
        attempt(lambda: service.record_arrival(ctx, actor, pairing.id, dispatch_id, arrivals), _("The arrivals are confirmed"))
    return redirect(url_for("placements_pages.dispatch", dispatch_id=dispatch_id))


@bp.get("/dispatches/<int:dispatch_id>/manifest.pdf")
@login_required
def manifest(actor, ctx, dispatch_id):
    pairing = pairing_of(ctx, actor)
    dispatch = service.get_dispatch(ctx, actor, pairing.id, dispatch_id)
    return pdf_response(printing.manifest_pdf(ctx, actor, dispatch), f"manifest-{dispatch_id}.pdf")


@bp.get("/dispatches/<int:dispatch_id>/cards.pdf")
@login_required
def cards(actor, ctx, dispatch_id):
    pairing = pairing_of(ctx, actor)
    dispatch = service.get_dispatch(ctx, actor, pairing.id, dispatch_id)
    return pdf_response(printing.contact_cards_pdf(ctx, actor, dispatch, None), f"cards-{dispatch_id}.pdf")
