"""/api/v1/seekers: the registry's HTTP edge; and a person's timeline in a pairing."""
from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from exchange.accounts.permissions import require_pairing_member
from exchange.core.api import XLSX, operation
from exchange.core.errors import Invalid
from exchange.core.files_response import xlsx_response
from exchange.core.timeline import timeline
from exchange.registry import importing, service
from exchange.registry.schemas import (ImportOut, ImportQuery, RevealIn, RevealOut, SeekerIn, SeekerOut,
                                       SeekerQuery, TimelineOut)

bp = Blueprint("seekers", __name__, url_prefix="/api/v1/seekers")
in_pairing = Blueprint("timelines", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
TAG = "Registry (sending region)"


@operation(bp, "", "POST", summary="Register one seeker", tag=TAG, body=SeekerIn, response=SeekerOut, status=201)
def create_seeker(actor, ctx, body):
    seeker, warnings = service.register_seeker(ctx, actor, body)
    return {**service.present_seeker(seeker, actor, ctx.clock.today()), "warnings": warnings}


@operation(bp, "", "GET", summary="List the seekers the caller's region may see", tag=TAG,
           query=SeekerQuery, response=SeekerOut, paged=True)
def list_seekers(actor, ctx, query):
    page = service.list_seekers(ctx, actor, query)
    page.items = service.present_seekers(page.items, actor, ctx.clock.today())
    return page


@operation(bp, "/<int:seeker_id>", "GET", summary="One seeker", tag=TAG, response=SeekerOut)
def get_seeker(actor, ctx, seeker_id):
    return service.present_seeker(service.get_seeker(actor, seeker_id), actor, ctx.clock.today())


@operation(bp, "/<int:seeker_id>/reveal", "POST", summary="The full ID number and phone, audited", tag=TAG,
           description="Every call is answered anew and written to the audit trail; an Idempotency-Key is "
                       "accepted and ignored, so the full numbers are never kept for a replay.",
           body=RevealIn, response=RevealOut, replayable=False)
def reveal_seeker(actor, ctx, seeker_id, body):
    return service.reveal_seeker(ctx, actor, seeker_id, body["reason"])


@operation(bp, "/import", "POST", summary="Import seekers from xlsx, CSV or JSON", tag=TAG,
           description="Rows are numbered as a person sees them in the file (header = row 1; a JSON "
                       "array's items from 1). With dry_run=1 nothing is stored. Accepted rows are stored "
                       "in one transaction; rejected rows never block them.",
           query=ImportQuery, response=ImportOut, files={"file": "the spreadsheet (.xlsx, .csv, .json)"})
def import_seekers(actor, ctx, query):
    upload = request.files.get("file")
    if upload is None:
        raise Invalid.field("file", "missing", _("Choose a file to upload (form field: file)"))
    data = upload.read(importing.MAX_BYTES + 1)
    return importing.import_seekers(ctx, actor, data=data, filename=upload.filename or "", dry_run=query["dry_run"])


@operation(bp, "/imports/<int:run_id>", "GET", summary="An import run's report", tag=TAG, response=ImportOut)
def get_import(actor, run_id):
    return importing.get_import_run(actor, run_id)


@operation(bp, "/imports/<int:run_id>/errors.xlsx", "GET", summary="The rejected rows with an error column",
           tag=TAG, produces=XLSX)
def import_error_report(actor, ctx, run_id):
    return xlsx_response(importing.error_report(ctx, actor, run_id), f"import-{run_id}-errors.xlsx")


@operation(in_pairing, "/seekers/<int:seeker_id>/timeline", "GET",
           summary="Everything that happened to one person in this pairing",
           tag="Round 3: dispatches, arrivals and print", response=TimelineOut)
def seeker_timeline(actor, ctx, pairing_id, seeker_id):
    """Each feature adds its steps (its timeline.py): registration, lists, proposals, results,
    journeys, employment, money, follow-ups and cases."""
    pairing = require_pairing_member(ctx, actor, pairing_id)
    return timeline(service.get_seeker(actor, seeker_id), pairing, actor)
