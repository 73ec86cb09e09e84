"""Rounds 2 and 3: batches of matches (sending), recruitment results (receiving), dispatches
(sending) and arrivals (receiving). Each action writes its event in the same transaction; a
result and an arrival are recorded by one function each, whether a clerk records them here or
the partner's event brings them (placements.handlers)."""
from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import RECEIVING_STAFF, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.clock import local_date
from exchange.core.errors import Conflict, Invalid
from exchange.core.pagination import Page
from exchange.core.scoping import get_in_pairing, not_found, page_in_pairing, scoped
from exchange.employers.events import agency_payload
from exchange.employers.models import Agency, Posting
from exchange.employers.service import approved_agencies_of
from exchange.employers.places import hires_counter
from exchange.placements.hiring import announce_hired
from exchange.extensions import db
from exchange.lists.models import PUBLISHED, SupplyList
from exchange.lists.service import seekers_of_list
from exchange.matching.explain import match_reasons, posting_failures
from exchange.placements.events import arrival_payload, departed_payload, result_payload
from exchange.placements.models import (ARRIVED, DEPARTED, DRAFT, HIRED, PENDING, PROPOSED, Batch, Dispatch, Match,
                                        MatchResult, Traveller)
from exchange.placements.proposals import engine_for
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker
from exchange.registry import service as registry
from exchange.registry.vocab import LABELS


def _problem(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


def _check_matches(ctx, supply_list: SupplyList, pairs: list[tuple[int, int]]):
    """Every hard constraint and every capacity, checked again on the server. Returns the engine
    and, per pair, (seeker index, posting index, score); raises Invalid listing every problem."""
    seekers = seekers_of_list(supply_list.seeker_list)
    engine = engine_for(ctx, supply_list, seekers)
    seeker_index = {s.id: i for i, s in enumerate(engine.seekers)}
    posting_index = {p.id: j for j, p in enumerate(engine.postings)}
    allowed = {}
    problems, checked = [], []
    counts = Counter(seeker_id for seeker_id, _p in pairs)
    per_posting = Counter(posting_id for _s, posting_id in pairs)
    for k, (seeker_id, posting_id) in enumerate(pairs):
        field = f"matches[{k}]"
        i, j = seeker_index.get(seeker_id), posting_index.get(posting_id)
        if i is None:
            problems.append(_problem(f"{field}.seeker_id", "not_in_list", _("Seeker %(id)s is not on the seeker list this supply list answers", id=seeker_id)))
            continue
        if j is None:
            problems.append(_problem(f"{field}.posting_id", "not_in_supply_list", _("Posting %(id)s is not offered in this supply list", id=posting_id)))
            continue
        if counts[seeker_id] > 1:
            problems.append(_problem(f"{field}.seeker_id", "duplicate", _("Seeker %(id)s appears more than once", id=seeker_id)))
            continue
        s = engine.seekers[i]
        if not s.consent:
            problems.append(_problem(field, "no_consent", _("Seeker %(id)s has no consent to share identity on record", id=seeker_id)))
            continue
        if s.blocked:
            problems.append(_problem(field, "already_placed", _("Seeker %(id)s is already hired or travelling in this pairing", id=seeker_id)))
            continue
        if j not in allowed:
            allowed[j] = set(engine.allowed_for(j).tolist())
        if i not in allowed[j]:
            failed = "；".join(str(f) for f in posting_failures(engine, i, j)) or _("not allowed")
            problems.append(_problem(field, "not_allowed", _("Seeker %(s)s cannot take posting %(p)s: %(why)s", s=seeker_id, p=posting_id, why=failed)))
            continue
        checked.append((i, j))
    for posting_id, wanted in per_posting.items():
        j = posting_index.get(posting_id)
        if j is not None and wanted > engine.postings[j].capacity:
            problems.append(_problem("matches", "over_capacity", _("Posting %(id)s has %(left)s place(s) left, %(n)s proposed",
                                                                   id=posting_id, left=engine.postings[j].capacity, n=wanted)))
    if problems:
        raise Invalid(message=_("%(n)s match(es) break a rule", n=len(problems)), details=problems)
    return engine, [(i, j, int(engine.score(j, np.array([i]))[0])) for i, j in checked]


def create_batch(ctx, actor: Actor, pairing_id: str, supply_list_id: int, pairs: list[tuple[int, int]],
                 agencies: dict[tuple[int, int], int] | None = None) -> Batch:
    """A draft batch of (seeker, posting) pairs; `agencies` names, for some pairs, the approved
    agency of the caller's region that brought the person."""
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    supply_list = get_in_pairing(SupplyList, supply_list_id, actor, pairing)
    if supply_list.status != PUBLISHED or supply_list.seeker_list.region != actor.region:
        raise Invalid.field("supply_list_id", "not_found", _("No published supply list %(id)s answering your seeker list", id=supply_list_id))
    if not pairs:
        raise Invalid.field("matches", "missing", _("A batch needs at least one match"))
    agencies = agencies or {}
    approved = {a.id for a in approved_agencies_of(actor)}
    unknown = [k for k, pair in enumerate(pairs) if pair in agencies and agencies[pair] not in approved]
    if unknown:
        raise Invalid(message=_("%(n)s match(es) name an agency that is not an approved agency of your region", n=len(unknown)),
                      details=[{"field": f"matches[{k}].agency_id", "code": "not_found",
                                "message": _("No approved agency %(id)s in your region", id=agencies[pairs[k]])} for k in unknown])
    engine, checked = _check_matches(ctx, supply_list, pairs)
    batch = Batch(pairing_id=pairing.id, region=actor.region, supply_list_id=supply_list.id, status=DRAFT,
                  created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(batch)
    db.session.flush()
    for i, j, score in checked:
        db.session.add(Match(batch_id=batch.id, pairing_id=pairing.id, seeker_id=engine.seekers[i].id,
                             posting_id=engine.postings[j].id, score=score, outcome=PENDING,
                             agency_id=agencies.get((engine.seekers[i].id, engine.postings[j].id)),
                             reasons=[str(r) for r in match_reasons(engine, i, j)]))
    audit.record(actor, "batch.created", "batch", batch.id, at=batch.created_at, matches=len(checked))
    db.session.commit()
    return batch


def _own(model, actor: Actor, pairing, object_id: int, *, for_update: bool = False):
    obj = get_in_pairing(model, object_id, actor, pairing, for_update=for_update)
    if obj.region != actor.region:
        raise not_found(model, object_id)
    return obj


def propose_batch(ctx, actor: Actor, pairing_id: str, batch_id: int) -> Batch:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    batch = _own(Batch, actor, pairing, batch_id, for_update=True)
    if batch.status != DRAFT:
        raise Conflict("already_proposed", _("This batch is already proposed; to change who goes where, propose a new batch"))
    supply_list = db.session.get(SupplyList, batch.supply_list_id)
    # The world may have moved since the draft (someone hired elsewhere, places taken): check again.
    _check_matches(ctx, supply_list, [(m.seeker_id, m.posting_id) for m in batch.matches])
    seekers = {s.id: s for s in db.session.scalars(select(Seeker).where(Seeker.id.in_([m.seeker_id for m in batch.matches])))}
    postings_ref = dict(db.session.execute(select(Posting.id, Posting.ref).where(
        Posting.id.in_([m.posting_id for m in batch.matches]))).all())
    agencies = {a.id: a for a in db.session.scalars(select(Agency).where(
        Agency.id.in_({m.agency_id for m in batch.matches if m.agency_id})))}
    matches = []
    for m in batch.matches:
        s = seekers[m.seeker_id]
        matches.append({"match_ref": m.ref, "seeker_ref": s.ref, "posting_ref": postings_ref[m.posting_id],
                        "score": m.score, "reasons": list(m.reasons or []), "agency": agency_payload(agencies.get(m.agency_id)),
                        # Round 2 discloses the identity of a consenting person (checked above).
                        "identity": registry.identity_of(ctx, s)})
    batch.status, batch.proposed_at = PROPOSED, ctx.clock.now()
    batch.proposed_seq = emit(pairing, actor.region, "placement_batch.proposed",
                              {"batch_ref": batch.ref, "supply_list_ref": supply_list.ref, "matches": matches},
                              ctx.clock).seq
    audit.record(actor, "batch.proposed", "batch", batch.id, at=batch.proposed_at, matches=len(matches),
                 recipient=pairing.receiving.code, subjects=[m.seeker_id for m in batch.matches])
    db.session.commit()
    return batch


def record_results(ctx, actor: Actor, pairing_id: str, batch_id: int, results: list[dict[str, Any]]) -> Batch:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "receiving", RECEIVING_STAFF)
    batch = get_in_pairing(Batch, batch_id, actor, pairing, for_update=True)
    if batch.status != PROPOSED:
        raise Conflict("not_proposed", _("Results are recorded for proposed batches only"))
    matches = {m.id: m for m in batch.matches}
    travelling = set(db.session.scalars(select(Traveller.match_id).where(Traveller.match_id.in_(list(matches)))))
    problems = []
    for k, result in enumerate(results):
        match = matches.get(result["match_id"])
        if match is None:
            problems.append(_problem(f"results[{k}].match_id", "not_found", _("Match %(id)s is not in this batch", id=result["match_id"])))
        elif match.id in travelling and result["outcome"] != HIRED:
            raise Conflict("already_dispatched", _("Match %(id)s has already travelled; its result can no longer change", id=match.id))
    if problems:
        raise Invalid(message=_("%(n)s result(s) name no match of this batch", n=len(problems)), details=problems)
    if not results:
        raise Invalid.field("results", "missing", _("Give at least one result"))
    _refuse_over_hiring(pairing, batch, matches, results)
    now = ctx.clock.now()
    payload, newly_hired = [], []
    for result in results:
        match = matches[result["match_id"]]
        if result["outcome"] == HIRED and match.outcome != HIRED:
            newly_hired.append(match)
        set_result(match, result["outcome"], result.get("reason"), result.get("start_date"),
                   result.get("monthly_wage_fen"), now)
        payload.append(result_payload(match))
    event = emit(pairing, actor.region, "recruitment.results", {"batch_ref": batch.ref, "results": payload}, ctx.clock)
    for match in newly_hired:
        match.result_seq = event.seq
    db.session.flush()
    announce_hired(ctx, pairing, [m.id for m in newly_hired])
    audit.record(actor, "batch.results", "batch", batch.id, at=now, results=len(results))
    db.session.commit()
    return batch


def set_result(match: Match, outcome: str, reason, start_date, monthly_wage_fen, at) -> None:
    """A recruitment result: the match's outcome now, and one more line of its history."""
    match.outcome, match.reason, match.start_date, match.monthly_wage_fen, match.result_at = (
        outcome, reason, start_date, monthly_wage_fen, at)
    match.results.append(MatchResult(outcome=outcome, reason=reason, start_date=start_date,
                                     monthly_wage_fen=monthly_wage_fen, recorded_at=at))


def _refuse_over_hiring(pairing, batch: Batch, matches: dict[int, Match], results: list[dict[str, Any]]) -> None:
    """A batch may propose more people than places (employers interview and choose), so the
    places are counted when people are hired: a posting takes at most its headcount, and a
    person is hired once in a pairing. The postings are locked so two clerks cannot both take
    the last place."""
    final = {match_id: m.outcome for match_id, m in matches.items()}
    final.update({r["match_id"]: r["outcome"] for r in results})
    hiring = [matches[match_id] for match_id, outcome in final.items() if outcome == HIRED]
    if not hiring:
        return
    in_batch = list(matches)
    postings = {p.id: p for p in db.session.execute(select(Posting.id, Posting.title, Posting.headcount).where(
        Posting.id.in_({m.posting_id for m in hiring})).with_for_update())}
    elsewhere = dict(db.session.execute(select(Match.posting_id, func.count()).where(
        Match.posting_id.in_(list(postings)), Match.outcome == HIRED, Match.id.not_in(in_batch))
        .group_by(Match.posting_id)).all())
    wanted = Counter(m.posting_id for m in hiring)
    full = [f"{postings[pid].title} ({elsewhere.get(pid, 0) + n}/{postings[pid].headcount})"
            for pid, n in sorted(wanted.items()) if elsewhere.get(pid, 0) + n > postings[pid].headcount]
    if full:
        raise Conflict("posting_full", _("More people hired than the posting has places: %(postings)s", postings="、".join(full)))
    # Hired in another batch blocks this hire — unless that hire's journey departed before the
    # sending county proposed this batch: proposing someone again after they travelled is the
    # sending side saying they came home and are free (both are its events: their seqs order
    # them on either side). The seekers are locked so two batches cannot hire one person at once.
    seeker_ids = sorted({m.seeker_id for m in hiring})
    db.session.execute(select(Seeker.id).where(Seeker.id.in_(seeker_ids)).with_for_update())
    over = (select(Traveller.id).join(Dispatch, Dispatch.id == Traveller.dispatch_id)
            .where(Traveller.match_id == Match.id, Dispatch.departed_seq < (batch.proposed_seq or 0)).exists())
    twice = db.session.scalars(select(Match.seeker_id).where(
        Match.pairing_id == pairing.id, Match.outcome == HIRED, Match.id.not_in(in_batch), ~over,
        Match.seeker_id.in_(seeker_ids))).all()
    if twice:
        raise Conflict("already_hired", _("Already hired in another batch of this pairing: seeker %(ids)s",
                                          ids=", ".join(map(str, sorted(set(twice))))))


def create_dispatch(ctx, actor: Actor, pairing_id: str, data: dict[str, Any]) -> Dispatch:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    batch = _own(Batch, actor, pairing, data["batch_id"])
    if batch.status != PROPOSED:
        raise Conflict("not_proposed", _("Only matches of a proposed batch travel"))
    matches = {m.id: m for m in batch.matches}
    match_ids = list(dict.fromkeys(data["match_ids"]))
    if not match_ids:
        raise Invalid.field("match_ids", "missing", _("Name the matches that travel"))
    unknown = [k for k, mid in enumerate(data["match_ids"]) if mid not in matches]
    if unknown:
        raise Invalid(message=_("%(n)s match(es) are not in this batch", n=len(unknown)),
                      details=[_problem(f"match_ids[{k}]", "not_found", _("Match %(id)s is not in this batch", id=data["match_ids"][k])) for k in unknown])
    not_hired = [mid for mid in match_ids if matches[mid].outcome != HIRED]
    if not_hired:
        raise Conflict("not_hired", _("Only hired matches may travel; not hired: %(ids)s", ids=", ".join(map(str, not_hired))))
    gone = set(db.session.scalars(select(Traveller.match_id).where(Traveller.match_id.in_(match_ids))))
    if gone:
        raise Conflict("already_dispatched", _("Already in a dispatch: match %(ids)s", ids=", ".join(map(str, sorted(gone)))))
    escort = data["escort"]
    dispatch = Dispatch(pairing_id=pairing.id, region=actor.region, batch_id=batch.id, departed_at=data["departed_at"],
                        mode=data["mode"], escort_name=escort["name"], escort_phone=escort["phone"],
                        expected_arrival=data.get("expected_arrival"), status=DEPARTED, created_by=actor.user_id,
                        created_at=ctx.clock.now())
    db.session.add(dispatch)
    db.session.flush()
    for mid in match_ids:
        db.session.add(Traveller(dispatch_id=dispatch.id, match_id=mid, seeker_id=matches[mid].seeker_id))
    try:
        db.session.flush()
    except IntegrityError:   # another clerk dispatched one of them a moment ago
        db.session.rollback()
        raise Conflict("already_dispatched", _("Already in a dispatch: one of these matches was dispatched a moment ago")) from None
    dispatch.departed_seq = emit(pairing, actor.region, "dispatch.departed",
                                 departed_payload(dispatch, batch.ref, [matches[mid].ref for mid in match_ids]),
                                 ctx.clock).seq
    audit.record(actor, "dispatch.departed", "dispatch", dispatch.id, at=dispatch.created_at, travellers=len(match_ids))
    db.session.commit()
    return dispatch


def record_arrival(ctx, actor: Actor, pairing_id: str, dispatch_id: int, arrivals: list[dict[str, Any]]) -> Dispatch:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "receiving", RECEIVING_STAFF)
    dispatch = get_in_pairing(Dispatch, dispatch_id, actor, pairing, for_update=True)
    travellers = {t.match_id: t for t in dispatch.travellers}
    if not arrivals:
        raise Invalid.field("arrivals", "missing", _("Give at least one arrival"))
    unknown = [k for k, a in enumerate(arrivals) if a["match_id"] not in travellers]
    if unknown:
        raise Invalid(message=_("%(n)s arrival(s) name no traveller of this dispatch", n=len(unknown)),
                      details=[_problem(f"arrivals[{k}].match_id", "not_found", _("Match %(id)s did not travel in this dispatch", id=arrivals[k]["match_id"])) for k in unknown])
    seen = Counter(a["match_id"] for a in arrivals)
    twice = [mid for mid, n in seen.items() if n > 1 or travellers[mid].arrived is True]
    if twice:
        raise Conflict("already_arrived", _("Arrival already confirmed for match %(ids)s", ids=", ".join(map(str, sorted(twice)))))
    now = ctx.clock.now()
    recorded = apply_arrivals(dispatch, [(travellers[a["match_id"]], a["arrived"], a.get("arrived_at") or now, a.get("note"))
                                         for a in arrivals], now)
    emit(pairing, actor.region, "dispatch.arrived",
         {"dispatch_ref": dispatch.ref, "arrivals": [arrival_payload(t) for t in recorded]}, ctx.clock)
    audit.record(actor, "dispatch.arrived", "dispatch", dispatch.id, at=now, arrivals=len(arrivals))
    db.session.commit()
    return dispatch


def apply_arrivals(dispatch: Dispatch, arrivals: list[tuple[Traveller, bool, Any, str | None]], recorded_at) -> list[Traveller]:
    """The one way an arrival is recorded — by the receiving clerk here or from the partner's
    dispatch.arrived: each (traveller, arrived, when, note); someone who did not arrive has no
    arrival time. A person who arrived is at work again, no longer a returnee; the dispatch has
    arrived once every traveller is accounted for."""
    for traveller, arrived, at, note in arrivals:
        traveller.arrived, traveller.arrived_at, traveller.note = arrived, at if arrived else None, note
        traveller.confirmed_at = recorded_at
        if arrived and at is not None:
            registry.went_out_again([traveller.seeker_id], local_date(at))
    if all(t.arrived is not None for t in dispatch.travellers):
        dispatch.status = ARRIVED
    return [traveller for traveller, *_rest in arrivals]


def list_batches(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(Batch, actor, require_pairing_member(ctx, actor, pairing_id), query)


def list_dispatches(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(Dispatch, actor, require_pairing_member(ctx, actor, pairing_id), query)


def get_batch(ctx, actor: Actor, pairing_id: str, batch_id: int) -> Batch:
    return get_in_pairing(Batch, batch_id, actor, require_pairing_member(ctx, actor, pairing_id))


def get_dispatch(ctx, actor: Actor, pairing_id: str, dispatch_id: int) -> Dispatch:
    return get_in_pairing(Dispatch, dispatch_id, actor, require_pairing_member(ctx, actor, pairing_id))



def batch_details(viewer, batch: Batch, today) -> tuple[dict, dict]:
    """The batch's people (as the viewer may see them) and postings, by id, for a page."""
    seekers = db.session.scalars(select(Seeker).where(Seeker.id.in_([m.seeker_id for m in batch.matches]))).all()
    postings = db.session.scalars(select(Posting).where(Posting.id.in_([m.posting_id for m in batch.matches])))
    return {s["id"]: s for s in registry.present_seekers(seekers, viewer, today)}, {p.id: p for p in postings}


def waiting_on_receiving(viewer: Actor, pairing) -> tuple[int, int]:
    """The partner's proposed batches with results still to record, and its dispatches with
    arrivals still to confirm: what waits for the receiving clerk."""
    waiting = select(Match.id).where(Match.batch_id == Batch.id, Match.outcome == PENDING).exists()
    results = db.session.scalar(select(func.count()).select_from(scoped(Batch, viewer).where(
        Batch.pairing_id == pairing.id, Batch.region != viewer.region, Batch.status == PROPOSED, waiting).subquery()))
    unconfirmed = select(Traveller.id).where(Traveller.dispatch_id == Dispatch.id, Traveller.arrived.is_(None)).exists()
    arrivals = db.session.scalar(select(func.count()).select_from(scoped(Dispatch, viewer).where(
        Dispatch.pairing_id == pairing.id, Dispatch.region != viewer.region, unconfirmed).subquery()))
    return results or 0, arrivals or 0


def travelled_matches(batch: Batch) -> set[int]:
    """The matches of a batch already on a dispatch (a person travels once per match)."""
    return set(db.session.scalars(select(Traveller.match_id).where(Traveller.match_id.in_([m.id for m in batch.matches]))))


@hires_counter
def hired_counts(posting_ids: list[int]) -> dict[int, int]:
    """People hired per posting, whichever list or batch they came through (employers.places)."""
    stmt = select(Match.posting_id, func.count()).where(Match.posting_id.in_(posting_ids), Match.outcome == HIRED)
    return dict(db.session.execute(stmt.group_by(Match.posting_id)).all())


def traveller_rows(ctx, dispatch: Dispatch, *, viewer, full_phones: bool) -> list[dict[str, Any]]:
    """One row per traveller: the masked ID number, the phone (whole on the printed manifest: the
    escort calls these numbers on the road; masked on a screen), the emergency contact where this
    region holds it."""
    rows = db.session.execute(
        select(Match, Seeker, Posting).join(Seeker, Seeker.id == Match.seeker_id).join(Posting, Posting.id == Match.posting_id)
        .where(Match.id.in_([t.match_id for t in dispatch.travellers]))).all()
    by_match = {match.id: (seeker, posting) for match, seeker, posting in rows}
    out = []
    for number, traveller in enumerate(dispatch.travellers, start=1):
        seeker, posting = by_match[traveller.match_id]
        emergency = ""
        if seeker.region == viewer.region and seeker.emergency_contact_name:
            phone = (registry.in_clear(ctx, seeker, "emergency_contact_phone") if full_phones
                     else seeker.emergency_contact_phone_masked) or ""
            emergency = f"{seeker.emergency_contact_name} {phone}".strip()
        out.append({
            "number": number, "traveller": traveller, "traveller_id": traveller.id, "name": seeker.name or "",
            "gender": LABELS["gender"].get(seeker.gender, ""), "national_id": seeker.national_id_masked or "",
            "phone": (registry.in_clear(ctx, seeker, "phone") if full_phones else seeker.phone_masked) or "",
            "employer": posting.employer.name, "posting": posting.title,
            "remark": "；".join(x for x in (emergency, traveller.note or "") if x),
        })
    return out
