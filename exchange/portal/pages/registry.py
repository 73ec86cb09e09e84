"""The sending county's registry: search, a seeker's page (reveal, income, training, timeline),
registration, and the import wizard (upload → dry run → error report → confirm)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.accounts.permissions import require_role
from exchange.accounts.roles import SENDING_STAFF
from exchange.core.files_response import xlsx_response
from exchange.core.runtime import runtime
from exchange.portal.auth import login_required
from exchange.portal.common import attempt, form_dict, form_fen, is_number, pairing_of, parse, yuan_field_errors
from exchange.portal.pages import bp
from exchange.registry import importing, service
from exchange.registry.schemas import SeekerIn, SeekerQuery
from exchange.registry.vocab import LABELS


@bp.get("/seekers")
@login_required
def seekers(actor):
    query, errors = parse(SeekerQuery(), {key: value for key, value in request.args.items() if value.strip()})
    page = service.list_seekers(actor, query) if query else None
    items = service.present_seekers(page.items, actor, runtime().clock.today()) if page else []
    return render_template("pages/seekers.html", items=items, page=page, errors=errors, args=request.args, labels=LABELS)


@bp.route("/seekers/new", methods=["GET", "POST"])
@login_required
def seeker_new(actor):
    require_role(actor, SENDING_STAFF)   # registering is the sending county's clerks' work
    errors, values = {}, {}
    if request.method == "POST":
        values = form_dict(("skills", "occupations_wanted"))
        values["consent_to_share"] = "consent_to_share" in request.form
        data, errors = parse(SeekerIn(), {**values, "wage_expectation_fen": form_fen(values.get("wage_expectation"))})
        yuan_field_errors(errors, wage_expectation="wage_expectation_fen")
        if data is not None:
            created = attempt(lambda: service.register_seeker(actor, data, runtime().clock), _("The seeker is registered"))
            if created:
                return redirect(url_for("pages.seeker", seeker_id=created[0].id))
    return render_template("pages/seeker_new.html", errors=errors, values=values, labels=LABELS)


@bp.get("/seekers/<int:seeker_id>")
@login_required
def seeker(actor, seeker_id):
    from exchange.placements.timeline import timeline
    from exchange.subsidies import claims, income_training

    pairing = pairing_of(actor)
    person = service.present_seeker(service.get_seeker(actor, seeker_id), actor, runtime().clock.today())
    story = timeline(actor, pairing.id, seeker_id)["items"] if pairing else []
    page_size = {"limit": 50, "cursor": None, "ref": None, "seeker_id": seeker_id}
    declarations = income_training.list_declarations(actor, pairing.id, page_size).items if pairing else []
    trainings = income_training.list_training(actor, pairing.id, page_size).items if pairing else []
    claim_list = claims.list_claims(actor, pairing.id, {**page_size, "kind": None, "status": None, "payment_batch_id": None,
                                                          "year": None}).items if pairing else []
    return render_template("pages/seeker.html", person=person, story=story, labels=LABELS, declarations=declarations,
                           trainings=trainings, claims=claim_list, revealed=None)


@bp.post("/seekers/<int:seeker_id>/reveal")
@login_required
def seeker_reveal(actor, seeker_id):
    reason = (request.form.get("reason") or "").strip()
    if len(reason) < 2:
        flash(_("Say why the full numbers are needed"), "error")
        return redirect(url_for("pages.seeker", seeker_id=seeker_id))
    revealed = attempt(lambda: service.reveal_seeker(actor, seeker_id, reason))
    if not revealed:
        return redirect(url_for("pages.seeker", seeker_id=seeker_id))
    person = service.present_seeker(service.get_seeker(actor, seeker_id), actor, runtime().clock.today())
    return render_template("pages/seeker.html", person=person, story=[], labels=LABELS, declarations=[], trainings=[],
                           claims=[], revealed=revealed)


@bp.route("/seekers/import", methods=["GET", "POST"])
@login_required
def seeker_import(actor):
    require_role(actor, SENDING_STAFF)
    report = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a file to upload"), "error")
        else:
            data = upload.read(importing.MAX_BYTES + 1)
            dry_run = request.form.get("mode") != "store"
            run = attempt(lambda: importing.import_seekers(actor, data=data, filename=upload.filename, dry_run=dry_run,
                                                           clock=runtime().clock))
            if run is not None:
                if dry_run:
                    importing.keep_for_confirmation(run, data)
                report = run
    elif is_number(request.args.get("run")):
        report = importing.get_import_run(actor, int(request.args["run"]))
    return render_template("pages/import.html", report=report, columns=COLUMN_NAMES)


# The column a clerk knows for a field named in a row problem.
COLUMN_NAMES = {name: aliases[0] for name, aliases in importing.HEADERS.items()} | {"wage_expectation_fen": "期望月薪"}


@bp.post("/seekers/import/<int:run_id>/confirm")
@login_required
def seeker_import_confirm(actor, run_id):
    run = attempt(lambda: importing.confirm_import(actor, run_id, runtime().clock),
                  _("The accepted rows are stored"))
    return redirect(url_for("pages.seeker_import", run=run.id) if run else url_for("pages.seeker_import"))


@bp.get("/seekers/import/<int:run_id>/errors.xlsx")
@login_required
def seeker_import_errors(actor, run_id):
    return xlsx_response(importing.error_report(actor, run_id), f"import-{run_id}-errors.xlsx")

