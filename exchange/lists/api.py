"""/api/v1/pairings/{pairing_id}/seeker-lists and /supply-lists (round 1)."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.lists import service
from exchange.lists.models import SeekerList, SupplyList
from exchange.lists.schemas import ListStatusQuery, SeekerListIn, SeekerListOut, SupplyListIn, SupplyListOut
from exchange.registry.service import present_seekers

bp = Blueprint("lists", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
TAG = "Round 1: seeker lists and supply lists"


def seeker_list_view(ctx, seeker_list: SeekerList, actor, *, with_seekers: bool = True) -> dict:
    seekers = service.seekers_of_list(seeker_list)
    out = {c: getattr(seeker_list, c) for c in ("id", "ref", "pairing_id", "region", "title", "status",
                                                  "published_at", "created_at")}
    out.update(seeker_count=len(seekers), seeker_ids=[s.id for s in seekers])
    if with_seekers:
        out["seekers"] = present_seekers(seekers, actor, ctx.clock.today())
    return out


def supply_list_view(supply_list: SupplyList) -> dict:
    postings = service.offered_postings(supply_list)
    out = {c: getattr(supply_list, c) for c in ("id", "ref", "pairing_id", "region", "title", "status",
                                                  "seeker_list_id", "published_at", "created_at")}
    out.update(in_reply_to_ref=supply_list.seeker_list.ref, posting_ids=[i.posting_id for i in supply_list.items],
               postings=[{"posting_id": i.posting_id, "headcount": i.headcount, "posting": postings.get(i.posting_id)}
                         for i in supply_list.items])
    return out


@operation(bp, "/seeker-lists", "POST", summary="Draft a seeker list", tag=TAG, body=SeekerListIn,
           response=SeekerListOut, status=201)
def create_seeker_list(actor, ctx, pairing_id, body):
    return seeker_list_view(ctx, service.create_seeker_list(ctx, actor, pairing_id, body["title"], body["seeker_ids"]),
                            actor)


@operation(bp, "/seeker-lists/<int:list_id>/publish", "POST", summary="Publish a seeker list to the partner",
           tag=TAG, response=SeekerListOut)
def publish_seeker_list(actor, ctx, pairing_id, list_id):
    return seeker_list_view(ctx, service.publish_seeker_list(ctx, actor, pairing_id, list_id), actor)


@operation(bp, "/seeker-lists", "GET", summary="Seeker lists of the pairing", tag=TAG, query=ListStatusQuery,
           response=SeekerListOut(exclude=("seekers",)), paged=True)
def list_seeker_lists(actor, ctx, pairing_id, query):
    page = service.list_seeker_lists(ctx, actor, pairing_id, query)
    page.items = [seeker_list_view(ctx, item, actor, with_seekers=False) for item in page.items]
    return page


@operation(bp, "/seeker-lists/<int:list_id>", "GET", summary="One seeker list", tag=TAG, response=SeekerListOut)
def get_seeker_list(actor, ctx, pairing_id, list_id):
    return seeker_list_view(ctx, service.get_seeker_list(ctx, actor, pairing_id, list_id), actor)


@operation(bp, "/supply-lists", "POST", summary="Draft a supply list answering a seeker list", tag=TAG,
           body=SupplyListIn, response=SupplyListOut, status=201)
def create_supply_list(actor, ctx, pairing_id, body):
    return supply_list_view(service.create_supply_list(ctx, actor, pairing_id, body["in_reply_to"], body["posting_ids"],
                                                       body.get("title")))


@operation(bp, "/supply-lists/<int:list_id>/publish", "POST", summary="Publish a supply list to the partner",
           tag=TAG, response=SupplyListOut)
def publish_supply_list(actor, ctx, pairing_id, list_id):
    return supply_list_view(service.publish_supply_list(ctx, actor, pairing_id, list_id))


@operation(bp, "/supply-lists", "GET", summary="Supply lists of the pairing", tag=TAG, query=ListStatusQuery,
           response=SupplyListOut, paged=True)
def list_supply_lists(actor, ctx, pairing_id, query):
    page = service.list_supply_lists(ctx, actor, pairing_id, query)
    page.items = [supply_list_view(item) for item in page.items]
    return page


@operation(bp, "/supply-lists/<int:list_id>", "GET", summary="One supply list", tag=TAG, response=SupplyListOut)
def get_supply_list(actor, ctx, pairing_id, list_id):
    return supply_list_view(service.get_supply_list(ctx, actor, pairing_id, list_id))
