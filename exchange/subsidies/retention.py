"""The daily scan (稳岗奖补 and every `employment` and `monthly` programme, spec/programmes.md): on
the payer's instance, one set-based statement per trigger, over the spells each programme counts,
finds every milestone (or full month) reached on or before `as_of` and not yet claimed, and creates the
pending claims in bulk. Safe to run twice or on two processes at once: a database lease
serialises scans and a unique key per (programme, payee, person, milestone or month) keeps any
claim from existing twice."""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Integer, String, case, func, literal, select
from sqlalchemy.exc import IntegrityError

from exchange.accounts.roles import Actor
from exchange.core import audit, lease
from exchange.core.bulk import insert_rows
from exchange.core.clock import add_months
from exchange.core.models import new_ref
from exchange.core.sqldates import AddDays, AddMonths
from exchange.employers.models import Agency, Employer
from exchange.extensions import db
from exchange.pairings.programmes import DEFAULT_MAX_GAP_DAYS
from exchange.placements.models import HIRED, Match
from exchange.protocol.outbox import emit_many
from exchange.registry.models import Seeker
from exchange.subsidies.conditions import programme_spells
from exchange.subsidies.models import PENDING, Claim
from exchange.subsidies.rules import gap_days_sql, month_end, starts_chain_sql

FAR = date(9999, 12, 31)
LEASE_TTL = timedelta(minutes=30)


def retention_key_prefix(pairing_id: str) -> str:
    return f"retention:{pairing_id}:"


def _tagged(branches) -> Any:
    """The spells of several programmes as one table, each row tagged with its programme's key
    (and the other per-programme values given): one statement reads them all."""
    parts = []
    for kind, spells, *extra in branches:
        sub = spells.subquery()
        parts.append(select(literal(kind, String()).label("kind"),
                            *[literal(value, Integer()).label(name) for name, value in extra],
                            sub.c.seeker_id, sub.c.id, sub.c.start_date, sub.c.end_date, sub.c.employer_id))
    return (parts[0].union_all(*parts[1:]) if len(parts) > 1 else parts[0]).subquery("spells")


def _literal_rows(rows: list[dict[str, Any]], types: dict[str, Any], name: str):
    """A small table of literals (portable: SQLite names no columns of a VALUES list)."""
    selects = [select(*[literal(row[col], kind).label(col) for col, kind in types.items()]) for row in rows]
    return (selects[0].union_all(*selects[1:]) if len(selects) > 1 else selects[0]).subquery(name)


def milestone_query(branches, pairing_id: str, as_of: date):
    """(kind, seeker_id, months, milestone date) for every milestone reached on or before as_of and
    not yet claimed, of every `employment` programme in `branches` — (key, spells it counts
    (conditions.programme_spells), max_gap_days, milestone months) — in one statement: the
    programmes' spells are read as one table and every window is partitioned by programme."""
    s = _tagged([(kind, spells, ("max_gap", gap)) for kind, spells, gap, _months in branches])
    end_or_far = func.coalesce(s.c.end_date, literal(FAR))
    order = (s.c.start_date, end_or_far, s.c.id)
    previous_end = func.max(end_or_far).over(partition_by=(s.c.kind, s.c.seeker_id), order_by=order, rows=(None, -1))
    spells = select(s.c.kind, s.c.max_gap, s.c.seeker_id, s.c.id, s.c.start_date, end_or_far.label("end_or_far"),
                    previous_end.label("previous_end")).subquery()
    # Days strictly between the latest end so far and this start (0 for overlaps and after an
    # ongoing spell); a spell starts a new chain after a gap longer than its programme's max_gap_days.
    gap = gap_days_sql(spells.c.previous_end, spells.c.start_date)
    breaks = starts_chain_sql(spells.c.previous_end, gap, spells.c.max_gap)
    stepped = select(spells, gap.label("gap"), breaks.label("breaks")).subquery()
    s_order = (stepped.c.start_date, stepped.c.end_or_far, stepped.c.id)
    chained = select(stepped, func.sum(stepped.c.breaks).over(
        partition_by=(stepped.c.kind, stepped.c.seeker_id), order_by=s_order, rows=(None, 0)).label("chain")).subquery()
    chain = (chained.c.kind, chained.c.seeker_id, chained.c.chain)
    c_window = {"partition_by": chain, "order_by": (chained.c.start_date, chained.c.end_or_far, chained.c.id),
                "rows": (None, 0)}
    # Walking a chain: the milestone's candidate at each spell is add_months(chain start, N) plus
    # the gaps walked so far; it is reached at the first spell whose chain so far runs past it.
    walked = select(
        chained.c.kind, chained.c.seeker_id,
        func.min(chained.c.start_date).over(partition_by=chain).label("chain_start"),
        func.sum(case((chained.c.breaks == 1, 0), else_=chained.c.gap)).over(**c_window).label("added"),
        func.max(chained.c.end_or_far).over(**c_window).label("latest_end"),
    ).cte("walked").prefix_with("MATERIALIZED")   # computed once, read once per milestone
    milestones = _literal_rows([{"kind": kind, "months": n} for kind, _spells, _gap, months in branches for n in months],
                               {"kind": String(), "months": Integer()}, "milestones")
    candidate = (select(walked.c.kind, walked.c.seeker_id, walked.c.latest_end, milestones.c.months,
                        AddDays(AddMonths(walked.c.chain_start, milestones.c.months), walked.c.added).label("day"))
                 .join(milestones, milestones.c.kind == walked.c.kind).subquery())
    reached = select(candidate.c.kind, candidate.c.seeker_id, candidate.c.months, candidate.c.day).where(
        candidate.c.latest_end >= candidate.c.day).subquery()
    # The earliest reaching day per programme, seeker and milestone (whichever chain), then the claims made.
    earliest = (select(reached.c.kind, reached.c.seeker_id, reached.c.months, func.min(reached.c.day).label("day"))
                .group_by(reached.c.kind, reached.c.seeker_id, reached.c.months)
                .having(func.min(reached.c.day) <= as_of).subquery())
    claimed = select(Claim.id).where(Claim.pairing_id == pairing_id, Claim.kind == earliest.c.kind,
                                     Claim.seeker_id == earliest.c.seeker_id,
                                     Claim.milestone_months == earliest.c.months).exists()
    return select(earliest.c.kind, earliest.c.seeker_id, earliest.c.months, earliest.c.day).where(~claimed).order_by(
        earliest.c.kind, earliest.c.months, earliest.c.seeker_id)


def monthly_query(branches, pairing_id: str, as_of: date):
    """(kind, seeker_id, month's last day, employer_id) for every full calendar month ended on or
    before as_of that one counted spell covers and no claim of its programme holds yet
    (rules.months_covered), of every `monthly` programme in `branches` — (key, spells it counts) —
    in one statement: the programmes' spells as one table, joined with the calendar."""
    s = _tagged(branches)
    first = db.session.scalar(select(func.min(s.c.start_date)))
    if first is None:
        return None
    first = _as_date(first).replace(day=1)
    calendar = []
    while month_end(first) <= as_of:
        calendar.append({"first_day": first, "last_day": month_end(first)})
        first = add_months(first, 1)
    if not calendar:
        return None
    months = _literal_rows(calendar, {"first_day": Date(), "last_day": Date()}, "months")
    end_or_far = func.coalesce(s.c.end_date, literal(FAR))
    covered = (select(s.c.kind, s.c.seeker_id, months.c.last_day.label("day"),
                      func.min(s.c.employer_id).label("employer_id"))
               .join(months, (s.c.start_date <= months.c.first_day) & (end_or_far >= months.c.last_day))
               .group_by(s.c.kind, s.c.seeker_id, months.c.last_day).subquery())
    claimed = select(Claim.id).where(Claim.pairing_id == pairing_id, Claim.kind == covered.c.kind,
                                     Claim.seeker_id == covered.c.seeker_id,
                                     Claim.milestone_date == covered.c.day).exists()
    return select(covered.c.kind, covered.c.seeker_id, covered.c.day, covered.c.employer_id).where(~claimed).order_by(
        covered.c.kind, covered.c.day, covered.c.seeker_id)


SCANNED_TRIGGERS = ("employment", "monthly")


def scan(ctx, pairing, as_of: date, holder: str = "scan") -> dict[str, Any]:
    """Creates the pending claims of every `employment` and `monthly` programme of one pairing whose
    payer this instance hosts (稳岗奖补 — the shorthand `retention` — and the file's own); returns a
    summary: `created` holds the retention programme's counts by milestone (as ever), `programmes`
    every programme's (by milestone in months, or by month)."""
    summary: dict[str, Any] = {"pairing": pairing.id, "as_of": as_of.isoformat(), "created": {}, "programmes": {},
                               "skipped": None, "total_created": 0}
    programmes = [p for p in pairing.programmes if p.trigger in SCANNED_TRIGGERS]
    if not programmes:
        summary["skipped"] = "no retention subsidy in this pairing"
        return summary
    hosted = [p for p in programmes if ctx.hosts(pairing.region(p.payer).code)]
    if not hosted:
        summary["skipped"] = "the payer's instance runs this pairing's scan"
        return summary
    lease_name = f"retention-scan:{pairing.id}"
    if not lease.acquire(lease_name, holder, LEASE_TTL, ctx.clock.wall()):
        summary["skipped"] = "another scan of this pairing is running"
        return summary
    try:
        created: dict[str, dict[str, int]] = {}
        for trigger in SCANNED_TRIGGERS:        # one statement per trigger for all its programmes
            of_trigger = [p for p in hosted if p.trigger == trigger]
            if of_trigger:
                created.update(_scan_trigger(ctx, pairing, of_trigger, as_of))
        summary["programmes"] = {p.key: created[p.key] for p in hosted}
        summary["created"] = created.get("retention", {})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        summary["created"], summary["programmes"] = {}, {}   # rolled back: nothing of this scan was stored
        summary["skipped"] = "a concurrent scan created these claims first"
    finally:
        lease.release(lease_name, holder, ctx.clock.wall())
    summary["total_created"] = sum(n for counts in summary["programmes"].values() for n in counts.values())
    return summary


def _scan_trigger(ctx, pairing, programmes: list, as_of: date) -> dict[str, dict[str, int]]:
    """The milestones (or months) reached and not yet claimed of every programme of one trigger, found
    in one statement; then each programme's claims are stored. Counts by programme key."""
    spells = {p.key: programme_spells(pairing, p) for p in programmes}
    found: dict[str, list] = {p.key: [] for p in programmes}
    if programmes[0].trigger == "monthly":
        query = monthly_query([(p.key, spells[p.key]) for p in programmes], pairing.id, as_of)
        by_key = {p.key: p for p in programmes}
        for r in (db.session.execute(query) if query is not None else []):
            found[r.kind].append((r.seeker_id, None, _as_date(r.day), r.employer_id, by_key[r.kind].amount_fen))
    else:
        rows = db.session.execute(milestone_query(
            [(p.key, spells[p.key], p.max_gap_days or DEFAULT_MAX_GAP_DAYS, [m.months for m in p.milestones])
             for p in programmes], pairing.id, as_of)).all()
        for p in programmes:
            mine = [r for r in rows if r.kind == p.key]
            amounts = {m.months: m.amount_fen for m in p.milestones}
            employers = _employers_on(spells[p.key], mine) if p.payee == "employer" else {}
            found[p.key] = [(r.seeker_id, r.months, _as_date(r.day), employers.get((r.seeker_id, _as_date(r.day))),
                             amounts[r.months]) for r in mine]
    return {p.key: _store_claims(ctx, pairing, p, found[p.key], as_of) for p in programmes}


def _scan_programme(ctx, pairing, programme, as_of: date) -> dict[str, int]:
    """One programme scanned on its own (as the daily scan does it with the others of its trigger)."""
    return _scan_trigger(ctx, pairing, [programme], as_of)[programme.key]


def _store_claims(ctx, pairing, programme, found: list, as_of: date) -> dict[str, int]:
    """One programme's claims for what the scan found — (seeker, months, day, employer of the day,
    amount) — with their events and one audit entry per milestone or month. The payee is the worker,
    the employer of the spell the day falls in, or the agency that brought the person."""
    payees = _payees(pairing, programme, found)
    payer_region = pairing.region(programme.payer).code
    now = ctx.clock.now()
    claims, events = [], []
    refs = _refs_for(sorted({f[0] for f in found}))
    for seeker_id, months, day, employer_id, amount in found:
        payee_id, payee_ref = payees.get((seeker_id, employer_id), (None, None))
        if programme.payee != "worker" and payee_id is None:
            continue    # no employer on record for that day (flexible work): nobody to pay
        claims.append({"ref": new_ref(), "pairing_id": pairing.id, "region": payer_region, "filed_region": payer_region,
                       "kind": programme.key, "payee_type": programme.payee, "payee_id": payee_id,
                       "seeker_id": seeker_id, "amount_fen": amount, "approved_amount_fen": amount, "status": PENDING,
                       "milestone_months": months, "milestone_date": day,
                       "dedupe_key": claim_key(pairing.id, programme, payee_id, seeker_id, months, day),
                       "created_at": now})
        events.append({"claim_ref": claims[-1]["ref"], "kind": programme.key,
                       "payee": {"type": programme.payee, "ref": payee_ref or refs[seeker_id]},
                       "seeker_ref": refs[seeker_id], "milestone_months": months, "milestone_date": day.isoformat(),
                       "amount_fen": amount, "approved_amount_fen": amount, "status": PENDING, "reason": None,
                       "decided_at": None})
    insert_rows(Claim.__table__, claims)
    emit_many(pairing, payer_region, "subsidy.updated", events, ctx.clock)
    created: dict[str, int] = {}
    for claim in claims:
        step = str(claim["milestone_months"]) if programme.trigger == "employment" else claim["milestone_date"].isoformat()[:7]
        created[step] = created.get(step, 0) + 1
    if programme.trigger == "employment":
        created = {str(m.months): created.get(str(m.months), 0) for m in programme.milestones}
    for step, count in created.items():   # one audit entry per milestone (or month) and scan, not one per claim
        if count:
            audit.record(Actor.system(payer_region), "retention.claims_created", "pairing", None, at=now,
                         pairing=pairing.id, programme=programme.key, as_of=as_of.isoformat(),
                         **({"months": int(step)} if programme.trigger == "employment" else {"month": step}), claims=count)
    return created


def claim_key(pairing_id: str, programme, payee_id: int | None, seeker_id: int, months: int | None, day: date) -> str:
    """What makes a scanned claim unique (the claims' unique dedupe_key): one per programme, payee,
    person and milestone — or month, for a monthly programme. The shorthand retention keeps its
    historical form."""
    if programme.key == "retention" and programme.shorthand:
        return f"{retention_key_prefix(pairing_id)}{seeker_id}:{months}"
    step = months if programme.trigger == "employment" else day.isoformat()[:7]
    return f"{programme.key}:{pairing_id}:{programme.payee}:{payee_id or ''}:{seeker_id}:{step}"


def _payees(pairing, programme, found) -> dict[tuple[int, int | None], tuple[int, str]]:
    """(seeker, employer of the day) → (payee id, payee ref) for employer and agency payees."""
    if programme.payee == "employer":
        ids = {f[3] for f in found if f[3] is not None}
        refs = _in_chunks(lambda chunk: select(Employer.id, Employer.ref).where(Employer.id.in_(chunk)), sorted(ids))
        return {(f[0], f[3]): (f[3], refs[f[3]]) for f in found if f[3] in refs}
    if programme.payee == "agency":
        # The agency of the person's latest hire in the pairing that names one.
        seekers = sorted({f[0] for f in found})
        agencies = _in_chunks(lambda chunk: select(Match.seeker_id, Agency.id, Agency.ref).join(
            Agency, Agency.id == Match.agency_id).where(Match.pairing_id == pairing.id, Match.outcome == HIRED,
                                                        Match.seeker_id.in_(chunk)).order_by(Match.id), seekers, pairs=True)
        return {(f[0], f[3]): agencies[f[0]] for f in found if f[0] in agencies}
    return {}


def _in_chunks(query_of, ids: list, pairs: bool = False) -> dict:
    out: dict = {}
    for start in range(0, len(ids), 5000):
        for row in db.session.execute(query_of(ids[start:start + 5000])):
            out[row[0]] = (row[1], row[2]) if pairs else row[1]
    return out


def _employers_on(spells, found) -> dict[tuple[int, date], int | None]:
    """(seeker, day) → the employer of the counted spell that covers the day (the latest begun, when
    two do; the last one before it, when the day falls in a gap the chain allows)."""
    s = spells.subquery()
    seekers = sorted({r.seeker_id for r in found})
    by_seeker: dict[int, list] = {}
    for start in range(0, len(seekers), 5000):
        chunk = seekers[start:start + 5000]
        for row in db.session.execute(select(s.c.seeker_id, s.c.start_date, s.c.employer_id)
                                      .where(s.c.seeker_id.in_(chunk)).order_by(s.c.start_date, s.c.id)):
            by_seeker.setdefault(row.seeker_id, []).append(row)
    out = {}
    for r in found:
        day = _as_date(r.day)
        begun = [row for row in by_seeker.get(r.seeker_id, []) if _as_date(row.start_date) <= day]
        if begun:
            out[(r.seeker_id, day)] = begun[-1].employer_id
    return out


def _refs_for(seeker_ids: list[int]) -> dict[int, str]:
    refs: dict[int, str] = {}
    for start in range(0, len(seeker_ids), 5000):
        chunk = seeker_ids[start:start + 5000]
        refs.update(db.session.execute(select(Seeker.id, Seeker.ref).where(Seeker.id.in_(chunk))).all())
    return refs


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def scan_all(ctx, as_of: date, holder: str = "scan") -> list[dict[str, Any]]:
    return [scan(ctx, pairing, as_of, holder) for pairing in ctx.pairings]


def summary_json(summaries: list[dict[str, Any]]) -> str:
    return json.dumps({"as_of": summaries[0]["as_of"] if summaries else None, "pairings": summaries}, ensure_ascii=False)
