"""Applying rounds 2 and 3's events on the partner's side, and the digests both sides compare."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from exchange.core.clock import iso_local
from exchange.core.disclosure import IDENTITY, PROFILE, disclose
from exchange.employers.models import Agency, Posting
from exchange.employers.service import save_partner_agencies
from exchange.extensions import db
from exchange.lists.models import SupplyList
from exchange.placements.events import BatchProposed, DispatchArrived, DispatchDeparted, RecruitmentResults
from exchange.placements.hiring import announce_hired
from exchange.placements.models import DEPARTED, DRAFT, HIRED, PENDING, PROPOSED, Batch, Dispatch, Match, Traveller
from exchange.placements.service import apply_arrivals, set_result
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.protocol.reconciliation import digest, digest_kind
from exchange.protocol.upsert import ids_by_ref
from exchange.registry.models import Seeker
from exchange.registry.service import store_identity


def _one(model, ref: str, what: str):
    obj = db.session.scalar(select(model).where(model.ref == ref))
    if obj is None:
        raise ApplyProblem(f"unknown {what} {ref}")
    return obj


def _refs(model, refs: list[str], what: str) -> dict[str, int]:
    found = ids_by_ref(model, refs)
    missing = [ref for ref in refs if ref not in found]
    if missing:
        raise ApplyProblem(f"unknown {what}: {', '.join(missing[:5])}")
    return found


@handles("placement_batch.proposed", author="sending", payload=BatchProposed)
def batch_proposed(data: dict[str, Any], ctx: ApplyContext) -> None:
    supply_list = _one(SupplyList, data["supply_list_ref"], "supply list")
    seeker_ids = _refs(Seeker, [m["seeker_ref"] for m in data["matches"]], "seekers")
    posting_ids = _refs(Posting, [m["posting_ref"] for m in data["matches"]], "postings")
    now = ctx.clock.now()
    if not ctx.authored_here:
        seekers = {s.ref: s for s in db.session.scalars(select(Seeker).where(Seeker.id.in_(list(seeker_ids.values()))))}
        for m in data["matches"]:
            store_identity(ctx.context, seekers[m["seeker_ref"]], m["identity"])
    disclose("seeker", list(seeker_ids.values()), ctx.consumer_region, ctx.pairing.id, IDENTITY, now)
    batch = db.session.scalar(select(Batch).where(Batch.ref == data["batch_ref"]))
    if batch is None:
        batch = Batch(ref=data["batch_ref"], pairing_id=ctx.pairing.id, region=ctx.source_region,
                      supply_list_id=supply_list.id, status=PROPOSED, proposed_at=ctx.occurred_at, created_at=now)
        db.session.add(batch)
        db.session.flush()
    batch.proposed_seq = batch.proposed_seq or ctx.envelope["seq"]
    disclose("batch", [batch.id], ctx.consumer_region, ctx.pairing.id, PROFILE, now)
    have = set(ids_by_ref(Match, [m["match_ref"] for m in data["matches"]]))
    named = [m["agency"] for m in data["matches"] if m["agency"]]
    agency_ids = (ids_by_ref(Agency, [a["agency_ref"] for a in named]) if ctx.authored_here
                  else save_partner_agencies(named, region=ctx.source_region, at=now))
    if agency_ids:
        disclose("agency", list(agency_ids.values()), ctx.consumer_region, ctx.pairing.id, PROFILE, now)
    for m in data["matches"]:
        if m["match_ref"] not in have:
            db.session.add(Match(ref=m["match_ref"], batch_id=batch.id, pairing_id=ctx.pairing.id,
                                 seeker_id=seeker_ids[m["seeker_ref"]], posting_id=posting_ids[m["posting_ref"]],
                                 score=m["score"], reasons=m["reasons"], outcome=PENDING,
                                 agency_id=agency_ids.get(m["agency"]["agency_ref"]) if m["agency"] else None))


def _batch_matches(batch: Batch, refs: list[str], what: str) -> dict[str, Match]:
    matches = {m.ref: m for m in db.session.scalars(select(Match).where(Match.ref.in_(refs), Match.batch_id == batch.id))}
    unknown = [ref for ref in refs if ref not in matches]
    if unknown:
        raise ApplyProblem(f"{what} name unknown matches: {', '.join(unknown[:5])}")
    return matches


@handles("recruitment.results", author="receiving", payload=RecruitmentResults)
def recruitment_results(data: dict[str, Any], ctx: ApplyContext) -> None:
    batch = _one(Batch, data["batch_ref"], "batch")
    matches = _batch_matches(batch, [r["match_ref"] for r in data["results"]], "results")
    if ctx.authored_here:
        return   # one instance: the author's rows already hold the result, its history and its seq
    newly_hired = []
    for r in data["results"]:  # in order: a later result for the same match replaces an earlier one
        match = matches[r["match_ref"]]
        if r["outcome"] == HIRED and match.outcome != HIRED:
            match.result_seq = ctx.envelope["seq"]
            newly_hired.append(match.id)
        set_result(match, r["outcome"], r["reason"], r["start_date"], r["monthly_wage_fen"], ctx.occurred_at)
    db.session.flush()
    announce_hired(ctx.context, ctx.pairing, newly_hired)


@handles("dispatch.departed", author="sending", payload=DispatchDeparted)
def dispatch_departed(data: dict[str, Any], ctx: ApplyContext) -> None:
    batch = _one(Batch, data["batch_ref"], "batch")
    matches = _batch_matches(batch, [t["match_ref"] for t in data["travellers"]], "travellers")
    dispatch = db.session.scalar(select(Dispatch).where(Dispatch.ref == data["dispatch_ref"]))
    if dispatch is None:
        escort = data["escort"]
        dispatch = Dispatch(ref=data["dispatch_ref"], pairing_id=ctx.pairing.id, region=ctx.source_region,
                            batch_id=batch.id, departed_at=data["departed_at"], mode=data["mode"],
                            escort_name=escort["name"], escort_phone=escort["phone"],
                            expected_arrival=data["expected_arrival"], status=DEPARTED, created_at=ctx.clock.now())
        db.session.add(dispatch)
        db.session.flush()
    dispatch.departed_seq = dispatch.departed_seq or ctx.envelope["seq"]
    disclose("dispatch", [dispatch.id], ctx.consumer_region, ctx.pairing.id, PROFILE, ctx.clock.now())
    have = set(db.session.scalars(select(Traveller.match_id).where(Traveller.dispatch_id == dispatch.id)))
    for t in data["travellers"]:
        match = matches[t["match_ref"]]
        if match.id not in have:
            db.session.add(Traveller(dispatch_id=dispatch.id, match_id=match.id, seeker_id=match.seeker_id))


@handles("dispatch.arrived", author="receiving", payload=DispatchArrived)
def dispatch_arrived(data: dict[str, Any], ctx: ApplyContext) -> None:
    dispatch = _one(Dispatch, data["dispatch_ref"], "dispatch")
    travellers = {t.match.ref: t for t in dispatch.travellers}
    unknown = [a["match_ref"] for a in data["arrivals"] if a["match_ref"] not in travellers]
    if unknown:
        raise ApplyProblem(f"arrivals name matches that did not travel: {', '.join(unknown[:5])}")
    if ctx.authored_here:
        return   # one instance: the receiving clerk's record_arrival has already recorded them
    apply_arrivals(dispatch, [(travellers[a["match_ref"]], a["arrived"], a["arrived_at"], a["note"])
                              for a in data["arrivals"]], ctx.occurred_at)


# --- reconciliation: what both sides hold of rounds 2 and 3 ---------------------------------------

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
