"""/api/v1/pairings/{pairing_id}: proposals, batches, results, dispatches, arrivals, manifests and
contact cards (rounds 2 and 3)."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import PDF, operation
from exchange.core.files_response import pdf_response
from exchange.core.masking import mask_phone
from exchange.core.pagination import ListQuery
from exchange.placements import printing, proposals, service
from exchange.placements.models import Dispatch
from exchange.placements.schemas import (ArrivalsIn, BatchIn, BatchOut, DispatchIn, DispatchOut, ProposalOut,
                                         RecommendationsOut, ResultsIn)

bp = Blueprint("placements", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
ROUND2 = "Round 2: matching, batches and recruitment results"
ROUND3 = "Round 3: dispatches, arrivals and print"


def dispatch_view(dispatch: Dispatch) -> dict:
    out = {c: getattr(dispatch, c) for c in ("id", "ref", "pairing_id", "region", "batch_id", "departed_at", "mode",
                                               "expected_arrival", "status", "created_at")}
    out["escort"] = {"name": dispatch.escort_name, "phone": mask_phone(dispatch.escort_phone)}
    out["travellers"] = dispatch.travellers
    return out


@operation(bp, "/supply-lists/<int:list_id>/proposal", "GET", summary="The matching engine's proposal (not stored)",
           tag=ROUND2, response=ProposalOut)
def proposal(actor, ctx, pairing_id, list_id):
    """Over the seekers of the answered seeker list and the postings of this supply list: most
    priority seekers placed, then most seekers, then the highest total score."""
    return proposals.proposal(ctx, actor, pairing_id, list_id)


@operation(bp, "/recommendations/<int:seeker_id>", "GET", summary="The 5 best allowed postings for one seeker",
           tag=ROUND2, response=RecommendationsOut)
def recommendations(actor, ctx, pairing_id, seeker_id):
    return proposals.recommendations(ctx, actor, pairing_id, seeker_id)


@operation(bp, "/batches", "POST", summary="Draft a batch from a reviewed proposal", tag=ROUND2, body=BatchIn,
           response=BatchOut, status=201)
def create_batch(actor, ctx, pairing_id, body):
    pairs = [(m["seeker_id"], m["posting_id"]) for m in body["matches"]]
    agencies = {(m["seeker_id"], m["posting_id"]): m["agency_id"] for m in body["matches"] if m.get("agency_id")}
    return service.create_batch(ctx, actor, pairing_id, body["supply_list_id"], pairs, agencies)


@operation(bp, "/batches/<int:batch_id>/propose", "POST", summary="Propose a batch to the partner (discloses identities)",
           tag=ROUND2, response=BatchOut)
def propose_batch(actor, ctx, pairing_id, batch_id):
    return service.propose_batch(ctx, actor, pairing_id, batch_id)


@operation(bp, "/batches/<int:batch_id>/results", "POST", summary="Record recruitment results", tag=ROUND2,
           body=ResultsIn, response=BatchOut)
def record_results(actor, ctx, pairing_id, batch_id, body):
    return service.record_results(ctx, actor, pairing_id, batch_id, body["results"])


@operation(bp, "/batches", "GET", summary="Batches of the pairing", tag=ROUND2, query=ListQuery, response=BatchOut,
           paged=True)
def list_batches(actor, ctx, pairing_id, query):
    return service.list_batches(ctx, actor, pairing_id, query)


@operation(bp, "/batches/<int:batch_id>", "GET", summary="One batch with its matches", tag=ROUND2, response=BatchOut)
def get_batch(actor, ctx, pairing_id, batch_id):
    return service.get_batch(ctx, actor, pairing_id, batch_id)


@operation(bp, "/dispatches", "POST", summary="Record an organised departure of hired matches", tag=ROUND3,
           body=DispatchIn, response=DispatchOut, status=201)
def create_dispatch(actor, ctx, pairing_id, body):
    return dispatch_view(service.create_dispatch(ctx, actor, pairing_id, body))


@operation(bp, "/dispatches/<int:dispatch_id>/arrival", "POST", summary="Confirm who arrived", tag=ROUND3,
           body=ArrivalsIn, response=DispatchOut)
def record_arrival(actor, ctx, pairing_id, dispatch_id, body):
    return dispatch_view(service.record_arrival(ctx, actor, pairing_id, dispatch_id, body["arrivals"]))


@operation(bp, "/dispatches", "GET", summary="Dispatches of the pairing", tag=ROUND3, query=ListQuery,
           response=DispatchOut, paged=True)
def list_dispatches(actor, ctx, pairing_id, query):
    page = service.list_dispatches(ctx, actor, pairing_id, query)
    page.items = [dispatch_view(d) for d in page.items]
    return page


@operation(bp, "/dispatches/<int:dispatch_id>", "GET", summary="One dispatch with its travellers", tag=ROUND3,
           response=DispatchOut)
def get_dispatch(actor, ctx, pairing_id, dispatch_id):
    return dispatch_view(service.get_dispatch(ctx, actor, pairing_id, dispatch_id))


@operation(bp, "/dispatches/<int:dispatch_id>/manifest.pdf", "GET", summary="The printable manifest (输送名单)",
           tag=ROUND3, produces=PDF)
def manifest(actor, ctx, pairing_id, dispatch_id):
    dispatch = service.get_dispatch(ctx, actor, pairing_id, dispatch_id)
    return pdf_response(printing.manifest_pdf(ctx, actor, dispatch), f"manifest-{dispatch.id}.pdf")


@operation(bp, "/dispatches/<int:dispatch_id>/cards.pdf", "GET", summary="Contact cards (连心卡) of every traveller",
           tag=ROUND3, produces=PDF)
def contact_cards(actor, ctx, pairing_id, dispatch_id):
    dispatch = service.get_dispatch(ctx, actor, pairing_id, dispatch_id)
    return pdf_response(printing.contact_cards_pdf(ctx, actor, dispatch, None), f"cards-{dispatch.id}.pdf")


@operation(bp, "/dispatches/<int:dispatch_id>/travellers/<int:traveller_id>/card.pdf", "GET",
           summary="One traveller's contact card (连心卡)", tag=ROUND3, produces=PDF)
def contact_card(actor, ctx, pairing_id, dispatch_id, traveller_id):
    dispatch = service.get_dispatch(ctx, actor, pairing_id, dispatch_id)
    return pdf_response(printing.contact_cards_pdf(ctx, actor, dispatch, traveller_id), f"card-{traveller_id}.pdf")
