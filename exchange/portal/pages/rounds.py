"""The three round trips in the browser: seeker lists, supply lists, the proposal review,
batches and results, dispatches, arrivals, print."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.errors import DomainError
from exchange.core.files_response import pdf_response
from exchange.core.masking import mask_phone
from exchange.core.runtime import runtime
from exchange.employers import service as employers
from exchange.extensions import db
from exchange.lists import service as lists
from exchange.matching import service as matching
from exchange.placements import printing, service as placements
from exchange.placements.schemas import DispatchIn
from exchange.portal.auth import login_required
from exchange.portal.common import (attempt, flash_errors, form_dict, form_fen, form_now, is_number, pairing_of, parse,
                                    yuan_field_errors)
from exchange.portal.pages import bp
from exchange.registry import service as registry
from exchange.registry.vocab import LABELS

PAGE = {"limit": 100, "cursor": None, "ref": None, "status": None}



@bp.get("/seeker-lists")
@login_required
def seeker_lists(actor):
    pairing = pairing_of(actor)
    page = lists.list_seeker_lists(actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("pages/seeker_lists.html", page=page, side=pairing.side_of(actor.region))


@bp.route("/seeker-lists/new", methods=["GET", "POST"])
@login_required
def seeker_list_new(actor):
    pairing = pairing_of(actor)
    if request.method == "POST":
        ids = [int(i) for i in request.form.getlist("seeker_ids") if is_number(i)]
        title = (request.form.get("title") or "").strip()
        if not title or not ids:
            flash(_("Give the list a title and choose at least one seeker"), "error")
        else:
            created = attempt(lambda: lists.create_seeker_list(actor, pairing.id, title, ids), _("The draft list is saved"))
            if created:
                return redirect(url_for("pages.seeker_list", list_id=created.id))
    query = {"limit": 500, "cursor": request.args.get("cursor"), "ref": None, "q": request.args.get("q") or None,
             "national_id": None, "phone": None, "household_status": request.args.get("household_status") or None,
             "township": request.args.get("township") or None}
    page = registry.list_seekers(actor, query)
    items = registry.present_seekers(page.items, actor, runtime().clock.today())
    return render_template("pages/seeker_list_new.html", items=items, page=page, labels=LABELS, args=request.args)


@bp.get("/seeker-lists/<int:list_id>")
@login_required
def seeker_list(actor, list_id):
    pairing = pairing_of(actor)
    seeker_list = lists.get_seeker_list(actor, pairing.id, list_id)
    people = registry.present_seekers(lists.seekers_of_list(seeker_list), actor, runtime().clock.today())
    own_postings = []
    if pairing.side_of(actor.region) == "receiving":
        own_postings = employers.list_postings(actor, {"limit": 500, "cursor": None, "ref": None, "employer_id": None,
                                                       "status": "open"}).items
        own_postings = [p for p in own_postings if p.region == actor.region and p.employer.status == "approved"]
    return render_template("pages/seeker_list.html", seeker_list=seeker_list, people=people, labels=LABELS,
                           own_postings=own_postings, side=pairing.side_of(actor.region))


@bp.post("/seeker-lists/<int:list_id>/publish")
@login_required
def seeker_list_publish(actor, list_id):
    pairing = pairing_of(actor)
    attempt(lambda: lists.publish_seeker_list(actor, pairing.id, list_id, runtime().clock),
            _("Published: the receiving county sees the list (without names or ID numbers)"))
    return redirect(url_for("pages.seeker_list", list_id=list_id))


@bp.post("/seeker-lists/<int:list_id>/answer")
@login_required
def supply_list_new(actor, list_id):
    pairing = pairing_of(actor)
    ids = [int(i) for i in request.form.getlist("posting_ids") if is_number(i)]
    if not ids:
        flash(_("Choose at least one posting"), "error")
        return redirect(url_for("pages.seeker_list", list_id=list_id))
    created = attempt(lambda: lists.create_supply_list(actor, pairing.id, list_id, ids, request.form.get("title")),
                      None if request.form.get("publish") else _("The draft supply list is saved"))
    if created and request.form.get("publish"):
        attempt(lambda: lists.publish_supply_list(actor, pairing.id, created.id, runtime().clock), _("Published"))
    return redirect(url_for("pages.supply_list", list_id=created.id) if created else url_for("pages.seeker_list", list_id=list_id))


@bp.get("/supply-lists")
@login_required
def supply_lists(actor):
    pairing = pairing_of(actor)
    page = lists.list_supply_lists(actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("pages/supply_lists.html", page=page, side=pairing.side_of(actor.region))


@bp.get("/supply-lists/<int:list_id>")
@login_required
def supply_list(actor, list_id):
    pairing = pairing_of(actor)
    supply = lists.get_supply_list(actor, pairing.id, list_id)
    postings = lists.offered_postings(supply)
    return render_template("pages/supply_list.html", supply=supply, postings=postings, side=pairing.side_of(actor.region))


@bp.post("/supply-lists/<int:list_id>/publish")
@login_required
def supply_list_publish(actor, list_id):
    pairing = pairing_of(actor)
    attempt(lambda: lists.publish_supply_list(actor, pairing.id, list_id, runtime().clock), _("Published"))
    return redirect(url_for("pages.supply_list", list_id=list_id))


@bp.route("/supply-lists/<int:list_id>/proposal", methods=["GET", "POST"])
@login_required
def proposal(actor, list_id):
    """The engine's proposal, to keep, drop or change match by match; the server checks again."""
    pairing = pairing_of(actor)
    supply = lists.get_supply_list(actor, pairing.id, list_id)
    chosen, problems = None, {}
    if request.method == "POST":
        chosen = {}
        for key in request.form:
            if key.startswith("posting_for_"):
                seeker_id, posting_id = key.removeprefix("posting_for_"), request.form.get(key)
                if is_number(seeker_id):
                    chosen[int(seeker_id)] = int(posting_id) if is_number(posting_id) else None
        pairs = sorted((s, p) for s, p in chosen.items() if p is not None)
        if not pairs:
            flash(_("Keep at least one match"), "error")
        else:
            try:
                batch = placements.create_batch(actor, pairing.id, list_id, pairs, runtime().clock)
            except DomainError as refusal:
                db.session.rollback()
                # The clerk's choices stay on the page, each refused match marked on its row.
                problems = row_problems(refusal, pairs)
                flash(refusal.message, "error")
            else:
                flash(_("The batch is saved as a draft; check it and propose it"), "ok")
                return redirect(url_for("pages.batch", batch_id=batch.id))
    result = matching.proposal(actor, pairing.id, list_id, runtime().clock)
    postings = lists.offered_postings(supply)
    names = {s.id: s for s in lists.seekers_of_list(supply.seeker_list)}
    return render_template("pages/proposal.html", supply=supply, result=result, postings=postings, names=names,
                           labels=LABELS, chosen=chosen, problems=problems)


def row_problems(refusal, pairs: list[tuple[int, int]]) -> dict[int, list[str]]:
    """The server's objections to a batch, by seeker: "matches[3]…" names the fourth pair sent."""
    import re
    out: dict[int, list[str]] = {}
    for detail in refusal.details:
        found = re.match(r"matches\[(\d+)\]", detail.get("field") or "")
        seeker = pairs[int(found.group(1))][0] if found and int(found.group(1)) < len(pairs) else None
        out.setdefault(seeker, []).append(detail.get("message", ""))
    return out


@bp.get("/batches")
@login_required
def batches(actor):
    pairing = pairing_of(actor)
    page = placements.list_batches(actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("pages/batches.html", page=page)


@bp.get("/batches/<int:batch_id>")
@login_required
def batch(actor, batch_id):
    pairing = pairing_of(actor)
    batch = placements.get_batch(actor, pairing.id, batch_id)
    people, postings = placements.batch_details(actor, batch, runtime().clock.today())
    return render_template("pages/batch.html", batch=batch, people=people, postings=postings, side=pairing.side_of(actor.region),
                           travelled=placements.travelled_matches(batch),
                           now=form_now())


@bp.post("/batches/<int:batch_id>/propose")
@login_required
def batch_propose(actor, batch_id):
    pairing = pairing_of(actor)
    attempt(lambda: placements.propose_batch(actor, pairing.id, batch_id, runtime().clock),
            _("Proposed: the receiving county now sees who goes where"))
    return redirect(url_for("pages.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/results")
@login_required
def batch_results(actor, batch_id):
    pairing = pairing_of(actor)
    results = []
    for key in request.form:
        if key.startswith("outcome_") and request.form[key] and is_number(key.removeprefix("outcome_")):
            match_id = int(key.removeprefix("outcome_"))
            hired = request.form[key] == "hired"   # a start date and a wage belong to a hire only
            wage = request.form.get(f"wage_{match_id}") or None
            results.append({"match_id": match_id, "outcome": request.form[key], "reason": request.form.get(f"reason_{match_id}") or None,
                            "start_date": (request.form.get(f"start_{match_id}") or None) if hired else None,
                            "monthly_wage_fen": form_fen(wage) if hired else None})
    from exchange.placements.schemas import ResultsIn
    data, errors = parse(ResultsIn(), {"results": results})
    if data is None:
        flash_errors(yuan_field_errors(errors, wage="monthly_wage_fen"))
    else:
        attempt(lambda: placements.record_results(actor, pairing.id, batch_id, data["results"], runtime().clock),
                _("The results are recorded and sent"))
    return redirect(url_for("pages.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/dispatch")
@login_required
def batch_dispatch(actor, batch_id):
    pairing = pairing_of(actor)
    values = form_dict(("match_ids",))
    values["batch_id"] = batch_id
    values["match_ids"] = [int(i) if is_number(i) else i for i in values.get("match_ids") or []]
    values["escort"] = {"name": values.pop("escort_name", None), "phone": values.pop("escort_phone", None)}
    if values.get("departed_at") and len(values["departed_at"]) == 16:
        values["departed_at"] += ":00+08:00"   # a datetime-local field is Beijing time
    data, errors = parse(DispatchIn(), values)
    if data is None:
        flash_errors(errors)
        return redirect(url_for("pages.batch", batch_id=batch_id))
    dispatch = attempt(lambda: placements.create_dispatch(actor, pairing.id, data, runtime().clock),
                       _("The departure is recorded; print the manifest and the contact cards"))
    return redirect(url_for("pages.dispatch", dispatch_id=dispatch.id) if dispatch else url_for("pages.batch", batch_id=batch_id))


@bp.get("/dispatches")
@login_required
def dispatches(actor):
    pairing = pairing_of(actor)
    page = placements.list_dispatches(actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("pages/dispatches.html", page=page)


@bp.get("/dispatches/<int:dispatch_id>")
@login_required
def dispatch(actor, dispatch_id):
    pairing = pairing_of(actor)
    dispatch = placements.get_dispatch(actor, pairing.id, dispatch_id)
    rows = printing.traveller_rows(dispatch, viewer=actor)
    for row, traveller in zip(rows, dispatch.travellers):
        row["traveller"] = traveller
        row["phone"] = mask_phone(row["phone"]) or ""   # the page masks; only the printed manifest shows it whole
    return render_template("pages/dispatch.html", dispatch=dispatch, rows=rows, side=pairing.side_of(actor.region),
                           now=form_now())


@bp.post("/dispatches/<int:dispatch_id>/arrival")
@login_required
def dispatch_arrival(actor, dispatch_id):
    pairing = pairing_of(actor)
    arrivals = []
    for key in request.form:
        if key.startswith("arrival_") and request.form[key] in ("yes", "no") and is_number(key.removeprefix("arrival_")):
            match_id = int(key.removeprefix("arrival_"))
            at = request.form.get(f"at_{match_id}")
            arrivals.append({"match_id": match_id, "arrived": request.form[key] == "yes",
                             "arrived_at": (at + ":00+08:00") if at and len(at) == 16 else None,
                             "note": request.form.get(f"note_{match_id}") or None})
    from exchange.placements.schemas import ArrivalsIn
    data, errors = parse(ArrivalsIn(), {"arrivals": arrivals})
    if data is None or not arrivals:
        flash(_("Mark at least one traveller as arrived or not"), "error")
    else:
        attempt(lambda: placements.record_arrival(actor, pairing.id, dispatch_id, data["arrivals"], runtime().clock),
                _("The arrivals are confirmed"))
    return redirect(url_for("pages.dispatch", dispatch_id=dispatch_id))


@bp.get("/dispatches/<int:dispatch_id>/manifest.pdf")
@login_required
def manifest(actor, dispatch_id):
    pairing = pairing_of(actor)
    dispatch = placements.get_dispatch(actor, pairing.id, dispatch_id)
    return pdf_response(printing.manifest_pdf(actor, dispatch, runtime().clock), f"manifest-{dispatch_id}.pdf")


@bp.get("/dispatches/<int:dispatch_id>/cards.pdf")
@login_required
def cards(actor, dispatch_id):
    pairing = pairing_of(actor)
    dispatch = placements.get_dispatch(actor, pairing.id, dispatch_id)
    return pdf_response(printing.contact_cards_pdf(actor, dispatch, None), f"cards-{dispatch_id}.pdf")
