"""The sending county's registry in the browser: search, a person's page (its links and sections
come from the features that registered them), registration, and the import wizard (upload → dry
run → error report → confirm)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from exchange.accounts.permissions import require_role
from exchange.accounts.roles import SENDING_STAFF
from exchange.core.fields import Yuan
from exchange.core.files_response import xlsx_response
from exchange.core.i18n import _l
from exchange.core.timeline import timeline
from exchange.portal.auth import login_required, where
from exchange.portal.forms import attempt, is_number, load_form
from exchange.portal.nav import Card, Where, home_card, nav_item, seeker_links, seeker_sections
from exchange.registry import importing, service
from exchange.registry.schemas import RevealIn, SeekerIn, SeekerQuery
from exchange.registry.vocab import LABELS

bp = Blueprint("registry_pages", __name__)
nav_item("registry_pages.seekers", _l("Registry"), order=10, shown=lambda where: where.office("sending"))


@home_card(order=10)
def registered(ctx, here: Where) -> Card | None:
    if not here.clerk("sending"):
        return None
    return Card(_("Registered seekers"), service.count_own_seekers(here.actor), url_for("registry_pages.seekers"))


class ImportForm(Schema):
    """The import wizard's step: check the file (nothing stored), or store its accepted rows."""
    mode = fields.String(load_default="check", validate=validate.OneOf(["check", "store"]))


class SeekerForm(SeekerIn):
    """The registration form: the API's fields, the expected wage typed in yuan."""
    wage_expectation_fen = Yuan(data_key="wage_expectation", load_default=None, allow_none=True)


@bp.get("/seekers")
@login_required
def seekers(actor, ctx):
    query, errors = load_form(SeekerQuery(), request.args)
    page = service.list_seekers(ctx, actor, query) if query else None
    items = service.present_seekers(page.items, actor, ctx.clock.today()) if page else []
    return render_template("registry/seekers.html", items=items, page=page, errors=errors, args=request.args,
                           labels=LABELS)


@bp.route("/seekers/new", methods=["GET", "POST"])
@login_required
def seeker_new(actor, ctx):
    require_role(actor, SENDING_STAFF)   # registering is the sending county's clerks' work
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        data, errors = load_form(SeekerForm())
        if data is not None:
            created = attempt(lambda: service.register_seeker(ctx, actor, data), _("The seeker is registered"))
            if created:
                return redirect(url_for("registry_pages.seeker", seeker_id=created[0].id))
    return render_template("registry/seeker_new.html", errors=errors, values=values, labels=LABELS)


def _seeker_page(ctx, actor, seeker_id: int, revealed=None):
    person = service.present_seeker(service.get_seeker(actor, seeker_id), actor, ctx.clock.today())
    here = where(ctx, actor)
    story = timeline(service.get_seeker(actor, seeker_id), here.pairing, actor)["items"] if here.pairing else []
    return render_template("registry/seeker.html", person=person, story=story, labels=LABELS, revealed=revealed,
                           links=seeker_links(here, person), sections=seeker_sections(ctx, here, person))


@bp.get("/seekers/<int:seeker_id>")
@login_required
def seeker(actor, ctx, seeker_id):
    return _seeker_page(ctx, actor, seeker_id)


@bp.post("/seekers/<int:seeker_id>/reveal")
@login_required
def seeker_reveal(actor, ctx, seeker_id):
    data, errors = load_form(RevealIn())
    if data is None:
        flash(_("Say why the full numbers are needed"), "error")
        return redirect(url_for("registry_pages.seeker", seeker_id=seeker_id))
    revealed = attempt(lambda: service.reveal_seeker(ctx, actor, seeker_id, data["reason"].strip()))
    if not revealed:
        return redirect(url_for("registry_pages.seeker", seeker_id=seeker_id))
    return _seeker_page(ctx, actor, seeker_id, revealed)


@bp.route("/seekers/import", methods=["GET", "POST"])
@login_required
def seeker_import(actor, ctx):
    require_role(actor, SENDING_STAFF)
    report = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a file to upload"), "error")
        else:
            data = upload.read(importing.MAX_BYTES + 1)
            dry_run = (load_form(ImportForm())[0] or {}).get("mode") != "store"
            run = attempt(lambda: importing.import_seekers(ctx, actor, data=data, filename=upload.filename,
                                                           dry_run=dry_run))
            if run is not None:
                if dry_run:
                    importing.keep_for_confirmation(ctx, run, data)
                report = run
    elif is_number(request.args.get("run")):
        report = importing.get_import_run(actor, int(request.args["run"]))
    return render_template("registry/import.html", report=report, columns=importing.COLUMN_NAMES)


@bp.post("/seekers/import/<int:run_id>/confirm")
@login_required
def seeker_import_confirm(actor, ctx, run_id):
    run = attempt(lambda: importing.confirm_import(ctx, actor, run_id), _("The accepted rows are stored"))
    return redirect(url_for("registry_pages.seeker_import", run=run.id) if run else url_for("registry_pages.seeker_import"))


@bp.get("/seekers/import/<int:run_id>/errors.xlsx")
@login_required
def seeker_import_errors(actor, ctx, run_id):
    return xlsx_response(importing.error_report(ctx, actor, run_id), f"import-{run_id}-errors.xlsx")
