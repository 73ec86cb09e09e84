"""Applying rounds 2 and 3's events on the partner's side."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update

from exchange.core.clock import local_date
from exchange.core.disclosure import IDENTITY, PROFILE, disclose
from exchange.core.parsing import FieldProblem
from exchange.core.masking import mask_national_id, mask_phone
from exchange.core.runtime import runtime
from exchange.employers.models import Posting
from exchange.extensions import db
from exchange.lists.models import SupplyList
from exchange.placements.models import ARRIVED, DEPARTED, HIRED, PENDING, PROPOSED, Batch, Dispatch, Match, Traveller
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.placements.service import set_result
from exchange.protocol.upsert import authored_here, ids_by_ref
from exchange.registry.identity import normalise_national_id, normalise_phone
from exchange.registry.service import AAD
from exchange.registry.models import Seeker


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


def _store_identity(seeker: Seeker, identity: dict[str, str]) -> None:
    """A partner's copy learns the identity the proposal disclosed (encrypted like our own)."""
    cipher = runtime().cipher
    number = normalise_national_id(identity["national_id"])
    try:
        phone = normalise_phone(identity["phone"])
    except FieldProblem:
        phone = identity["phone"].strip()
    try:
        seeker.birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        pass
    seeker.name = identity["name"]
    seeker.national_id_enc = cipher.encrypt(number, AAD["national_id"])
    seeker.national_id_hash = cipher.blind_index(number, b"national_id")
    seeker.national_id_masked = mask_national_id(number)
    seeker.phone_enc = cipher.encrypt(phone, AAD["phone"])
    seeker.phone_hash = cipher.blind_index(phone, b"phone")
    seeker.phone_masked = mask_phone(phone)
    seeker.consent_to_share = True


@handles("placement_batch.proposed", author="sending")
def batch_proposed(data: dict[str, Any], ctx: ApplyContext) -> None:
    supply_list = _one(SupplyList, data["supply_list_ref"], "supply list")
    seeker_ids = _refs(Seeker, [m["seeker_ref"] for m in data["matches"]], "seekers")
    posting_ids = _refs(Posting, [m["posting_ref"] for m in data["matches"]], "postings")
    if not authored_here(ctx.source_region):
        seekers = {s.ref: s for s in db.session.scalars(select(Seeker).where(Seeker.id.in_(list(seeker_ids.values()))))}
        for m in data["matches"]:
            _store_identity(seekers[m["seeker_ref"]], m["identity"])
    disclose("seeker", list(seeker_ids.values()), ctx.consumer_region, ctx.pairing.id, IDENTITY)
    batch = db.session.scalar(select(Batch).where(Batch.ref == data["batch_ref"]))
    if batch is None:
        batch = Batch(ref=data["batch_ref"], pairing_id=ctx.pairing.id, region=ctx.source_region,
                      supply_list_id=supply_list.id, status=PROPOSED, proposed_at=ctx.occurred_at)
        db.session.add(batch)
        db.session.flush()
    batch.proposed_seq = batch.proposed_seq or ctx.envelope["seq"]
    disclose("batch", [batch.id], ctx.consumer_region, ctx.pairing.id, PROFILE)
    have = set(ids_by_ref(Match, [m["match_ref"] for m in data["matches"]]))
    for m in data["matches"]:
        if m["match_ref"] not in have:
            db.session.add(Match(ref=m["match_ref"], batch_id=batch.id, pairing_id=ctx.pairing.id,
                                 seeker_id=seeker_ids[m["seeker_ref"]], posting_id=posting_ids[m["posting_ref"]],
                                 score=m["score"], reasons=m["reasons"], outcome=PENDING))


@handles("recruitment.results", author="receiving")
def recruitment_results(data: dict[str, Any], ctx: ApplyContext) -> None:
    batch = _one(Batch, data["batch_ref"], "batch")
    matches = {m.ref: m for m in db.session.scalars(select(Match).where(
        Match.ref.in_([r["match_ref"] for r in data["results"]]), Match.batch_id == batch.id))}
    unknown = [r["match_ref"] for r in data["results"] if r["match_ref"] not in matches]
    if unknown:
        raise ApplyProblem(f"results name unknown matches: {', '.join(unknown[:5])}")
    copy = not authored_here(ctx.source_region)
    for r in data["results"]:  # in order: a later result for the same match replaces an earlier one
        match = matches[r["match_ref"]]
        if copy:  # the author's own rows already hold the result, its history and its seq
            if r["outcome"] == HIRED and match.outcome != HIRED:
                match.result_seq = ctx.envelope["seq"]
            set_result(match, r["outcome"], r["reason"], r["start_date"], r["monthly_wage_fen"], ctx.occurred_at)


@handles("dispatch.departed", author="sending")
def dispatch_departed(data: dict[str, Any], ctx: ApplyContext) -> None:
    batch = _one(Batch, data["batch_ref"], "batch")
    matches = {m.ref: m for m in db.session.scalars(select(Match).where(
        Match.ref.in_([t["match_ref"] for t in data["travellers"]]), Match.batch_id == batch.id))}
    unknown = [t["match_ref"] for t in data["travellers"] if t["match_ref"] not in matches]
    if unknown:
        raise ApplyProblem(f"travellers name unknown matches: {', '.join(unknown[:5])}")
    dispatch = db.session.scalar(select(Dispatch).where(Dispatch.ref == data["dispatch_ref"]))
    if dispatch is None:
        escort = data["escort"]
        dispatch = Dispatch(ref=data["dispatch_ref"], pairing_id=ctx.pairing.id, region=ctx.source_region,
                            batch_id=batch.id, departed_at=data["departed_at"], mode=data["mode"],
                            escort_name=escort["name"], escort_phone=escort["phone"],
                            expected_arrival=data["expected_arrival"], status=DEPARTED)
        db.session.add(dispatch)
        db.session.flush()
    dispatch.departed_seq = dispatch.departed_seq or ctx.envelope["seq"]
    disclose("dispatch", [dispatch.id], ctx.consumer_region, ctx.pairing.id, PROFILE)
    have = set(db.session.scalars(select(Traveller.match_id).where(Traveller.dispatch_id == dispatch.id)))
    for t in data["travellers"]:
        match = matches[t["match_ref"]]
        if match.id not in have:
            db.session.add(Traveller(dispatch_id=dispatch.id, match_id=match.id, seeker_id=match.seeker_id))


@handles("dispatch.arrived", author="receiving")
def dispatch_arrived(data: dict[str, Any], ctx: ApplyContext) -> None:
    dispatch = _one(Dispatch, data["dispatch_ref"], "dispatch")
    travellers = {t.match.ref: t for t in dispatch.travellers}
    unknown = [a["match_ref"] for a in data["arrivals"] if a["match_ref"] not in travellers]
    if unknown:
        raise ApplyProblem(f"arrivals name matches that did not travel: {', '.join(unknown[:5])}")
    copy = not authored_here(ctx.source_region)
    for a in data["arrivals"]:
        traveller = travellers[a["match_ref"]]
        traveller.arrived, traveller.arrived_at, traveller.note = a["arrived"], a["arrived_at"], a["note"]
        if copy:
            traveller.confirmed_at = ctx.occurred_at
        if a["arrived"] and a["arrived_at"] is not None:
            # A returnee (返乡回流) who went out again and arrived is at work, no longer a returnee.
            db.session.execute(update(Seeker).where(Seeker.id == traveller.seeker_id, Seeker.returned_home_on.isnot(None),
                                                    Seeker.returned_home_on < local_date(a["arrived_at"]))
                               .values(returned_home_on=None))
    if all(t.arrived is not None for t in dispatch.travellers):
        dispatch.status = ARRIVED
