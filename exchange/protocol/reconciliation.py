"""Reconciliation: do the two regions hold the same records for a pairing? Each side computes, per
object kind, a digest of every object it holds (from the fields the protocol carries, so both
sides compute the same thing from their own rows); the lists are compared and every object that
only one side holds, or that the two sides hold differently, is named.

Kinds register themselves with `@digest_kind`, so later features (claims, cases, spells) add
theirs without touching this module."""
from __future__ import annotations

import hashlib
import json
from typing import Callable

from sqlalchemy import select

from exchange.core.clock import iso_local
from exchange.employers.models import Posting
from exchange.extensions import db
from exchange.lists.models import DRAFT, SeekerList, SeekerListItem, SupplyList, SupplyListItem
from exchange.placements.models import Batch, Dispatch, Match, Traveller
from exchange.registry.models import Seeker

KINDS: dict[str, Callable] = {}


def digest_kind(name: str):
    def register(func):
        KINDS[name] = func
        return func
    return register


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


@digest_kind("seeker_lists")
def seeker_lists(pairing) -> dict[str, str]:
    rows = db.session.execute(select(SeekerList.ref, SeekerList.title, Seeker.ref)
                              .join(SeekerListItem, SeekerListItem.list_id == SeekerList.id)
                              .join(Seeker, Seeker.id == SeekerListItem.seeker_id)
                              .where(SeekerList.pairing_id == pairing.id, SeekerList.status != DRAFT)).all()
    grouped: dict[str, dict] = {}
    for list_ref, title, seeker_ref in rows:
        grouped.setdefault(list_ref, {"title": title, "seekers": []})["seekers"].append(seeker_ref)
    return {ref: digest({"title": v["title"], "seekers": sorted(v["seekers"])}) for ref, v in grouped.items()}


@digest_kind("supply_lists")
def supply_lists(pairing) -> dict[str, str]:
    rows = db.session.execute(select(SupplyList.ref, SeekerList.ref, Posting.ref, SupplyListItem.headcount)
                              .join(SeekerList, SeekerList.id == SupplyList.seeker_list_id)
                              .join(SupplyListItem, SupplyListItem.list_id == SupplyList.id)
                              .join(Posting, Posting.id == SupplyListItem.posting_id)
                              .where(SupplyList.pairing_id == pairing.id, SupplyList.status != DRAFT)).all()
    grouped: dict[str, dict] = {}
    for ref, reply_ref, posting_ref, headcount in rows:
        grouped.setdefault(ref, {"in_reply_to": reply_ref, "postings": []})["postings"].append([posting_ref, headcount])
    return {ref: digest({"in_reply_to": v["in_reply_to"], "postings": sorted(v["postings"])}) for ref, v in grouped.items()}


@digest_kind("matches")
def matches(pairing) -> dict[str, str]:
    rows = db.session.execute(select(Match.ref, Batch.ref, SupplyList.ref, Seeker.ref, Posting.ref, Match.outcome,
                                     Match.reason, Match.start_date, Match.monthly_wage_fen)
                              .join(Batch, Batch.id == Match.batch_id).join(SupplyList, SupplyList.id == Batch.supply_list_id)
                              .join(Seeker, Seeker.id == Match.seeker_id).join(Posting, Posting.id == Match.posting_id)
                              .where(Match.pairing_id == pairing.id, Batch.status != DRAFT)).all()
    return {r[0]: digest(list(r[1:])) for r in rows}


@digest_kind("dispatches")
def dispatches(pairing) -> dict[str, str]:
    rows = db.session.execute(select(Dispatch, Batch.ref, Match.ref).join(Batch, Batch.id == Dispatch.batch_id)
                              .join(Traveller, Traveller.dispatch_id == Dispatch.id).join(Match, Match.id == Traveller.match_id)
                              .where(Dispatch.pairing_id == pairing.id)).all()
    grouped: dict[str, dict] = {}
    for dispatch, batch_ref, match_ref in rows:
        grouped.setdefault(dispatch.ref, {
            "batch": batch_ref, "departed_at": iso_local(dispatch.departed_at), "mode": dispatch.mode,
            "escort": [dispatch.escort_name, dispatch.escort_phone], "expected_arrival": dispatch.expected_arrival,
            "travellers": []})["travellers"].append(match_ref)
    return {ref: digest({**v, "travellers": sorted(v["travellers"])}) for ref, v in grouped.items()}


@digest_kind("arrivals")
def arrivals(pairing) -> dict[str, str]:
    rows = db.session.execute(select(Dispatch.ref, Match.ref, Traveller.arrived, Traveller.arrived_at, Traveller.note)
                              .join(Traveller, Traveller.dispatch_id == Dispatch.id).join(Match, Match.id == Traveller.match_id)
                              .where(Dispatch.pairing_id == pairing.id)).all()
    return {f"{d}/{m}": digest([arrived, iso_local(at), note or ""]) for d, m, arrived, at, note in rows}


def local_digests(pairing) -> dict[str, dict[str, str]]:
    return {name: func(pairing) for name, func in KINDS.items()}


def compare(here: dict[str, dict[str, str]], partner: dict[str, dict[str, str]]) -> list[dict]:
    kinds = []
    for name in sorted(set(here) | set(partner)):
        mine, theirs = here.get(name, {}), partner.get(name, {})
        differences = [{"ref": ref, "here": mine.get(ref), "partner": theirs.get(ref),
                        "problem": "only_here" if ref not in theirs else "only_partner" if ref not in mine else "differs"}
                       for ref in sorted(set(mine) | set(theirs)) if mine.get(ref) != theirs.get(ref)]
        kinds.append({"kind": name, "here": len(mine), "partner": len(theirs), "differences": differences})
    return kinds


