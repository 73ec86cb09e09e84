"""The retention scan (稳岗奖补): on the payer's instance, one set-based query over the pairing's
employment spells finds every milestone reached on or before `as_of` and not yet claimed, and
creates the pending claims in bulk. Safe to run twice or on two processes at once: a database
lease serialises scans and a unique key per (seeker, milestone) keeps any claim from existing
twice."""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.exc import IntegrityError

from exchange.accounts.roles import Actor
from exchange.core import audit, lease
from exchange.core.bulk import insert_rows
from exchange.core.models import new_ref
from exchange.core.sqldates import AddDays, AddMonths
from exchange.employers.models import Employer
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.protocol.outbox import emit_many
from exchange.registry.models import Seeker
from exchange.subsidies.models import PENDING, Claim
from exchange.subsidies.rules import gap_days_sql, starts_chain_sql

FAR = date(9999, 12, 31)
LEASE_TTL = timedelta(minutes=30)


def retention_key_prefix(pairing_id: str) -> str:
    return f"retention:{pairing_id}:"


def milestone_query(pairing_id: str, max_gap_days: int, months: list[int], as_of: date, *, kind: str = "retention",
                    when=None):
    """(seeker_id, months, milestone date) for every milestone reached on or before as_of and not
    yet claimed for programme `kind` — one pass over the spells for all the programme's
    milestones. `when` (a programme's conditions) keeps the people of those household statuses
    and the spells with employers of those kinds: a chain is made of the spells that satisfy it."""
    s = EmploymentSpell.__table__.c
    end_or_far = func.coalesce(s.end_date, literal(FAR))
    order = (s.start_date, end_or_far, s.id)
    previous_end = func.max(end_or_far).over(partition_by=s.seeker_id, order_by=order, rows=(None, -1))
    spells = select(s.seeker_id, s.id, s.start_date, end_or_far.label("end_or_far"),
                    previous_end.label("previous_end")).where(s.pairing_id == pairing_id)
    if when is not None and when.household_status:
        spells = spells.join(Seeker, Seeker.id == s.seeker_id).where(Seeker.household_status.in_(when.household_status))
    if when is not None and when.employer_kind:
        spells = spells.join(Employer, Employer.id == s.employer_id).where(Employer.kind.in_(when.employer_kind))
    spells = spells.subquery()
    # Days strictly between the latest end so far and this start (0 for overlaps and after an
    # ongoing spell); a spell starts a new chain after a gap longer than max_gap_days.
    gap = gap_days_sql(spells.c.previous_end, spells.c.start_date)
    breaks = starts_chain_sql(spells.c.previous_end, gap, max_gap_days)
    stepped = select(spells, gap.label("gap"), breaks.label("breaks")).subquery()
    s_order = (stepped.c.start_date, stepped.c.end_or_far, stepped.c.id)
    chained = select(stepped, func.sum(stepped.c.breaks).over(
        partition_by=stepped.c.seeker_id, order_by=s_order, rows=(None, 0)).label("chain")).subquery()
    c_window = {"partition_by": (chained.c.seeker_id, chained.c.chain),
                "order_by": (chained.c.start_date, chained.c.end_or_far, chained.c.id), "rows": (None, 0)}
    # Walking a chain: the milestone's candidate at each spell is add_months(chain start, N) plus
    # the gaps walked so far; it is reached at the first spell whose chain so far runs past it.
    walked = select(
        chained.c.seeker_id,
        func.min(chained.c.start_date).over(partition_by=(chained.c.seeker_id, chained.c.chain)).label("chain_start"),
        func.sum(case((chained.c.breaks == 1, 0), else_=chained.c.gap)).over(**c_window).label("added"),
        func.max(chained.c.end_or_far).over(**c_window).label("latest_end"),
    ).cte("walked").prefix_with("MATERIALIZED")   # computed once, read once per milestone
    per_milestone = []
    for n in months:
        candidate = select(walked.c.seeker_id, walked.c.latest_end, literal(n).label("months"),
                           AddDays(AddMonths(walked.c.chain_start, n), walked.c.added).label("day")).subquery()
        reached = select(candidate.c.seeker_id, candidate.c.months, candidate.c.day).where(
            candidate.c.latest_end >= candidate.c.day)
        per_milestone.append(reached)
    reached = per_milestone[0].union_all(*per_milestone[1:]).subquery() if len(per_milestone) > 1 else per_milestone[0].subquery()
    # The earliest reaching day per seeker and milestone (whichever chain), then the claims made.
    earliest = (select(reached.c.seeker_id, reached.c.months, func.min(reached.c.day).label("day"))
                .group_by(reached.c.seeker_id, reached.c.months).having(func.min(reached.c.day) <= as_of).subquery())
    claimed = select(Claim.id).where(Claim.pairing_id == pairing_id, Claim.kind == kind,
                                     Claim.seeker_id == earliest.c.seeker_id,
                                     Claim.milestone_months == earliest.c.months).exists()
    return select(earliest.c.seeker_id, earliest.c.months, earliest.c.day).where(~claimed).order_by(
        earliest.c.months, earliest.c.seeker_id)


# Conditions the employment scan applies today; a programme with any other waits (and says so).
APPLIED_CONDITIONS = {"household_status", "employer_kind"}


def scan(ctx, pairing, as_of: date, holder: str = "scan") -> dict[str, Any]:
    """Creates the pending claims of every `employment` programme of one pairing whose payer this
    instance hosts (稳岗奖补 — the shorthand `retention` — and the file's own); returns a summary:
    `created` holds the retention programme's counts by milestone (as ever), `programmes` every
    programme's."""
    summary: dict[str, Any] = {"pairing": pairing.id, "as_of": as_of.isoformat(), "created": {}, "programmes": {},
                               "skipped": None, "total_created": 0}
    programmes = [p for p in pairing.programmes if p.trigger == "employment"]
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
        for programme in hosted:
            pending = set(programme.when.as_dict()) - APPLIED_CONDITIONS
            if pending:
                summary["programmes"][programme.key] = {"skipped": f"conditions not applied yet: {', '.join(sorted(pending))}"}
                continue
            created = _scan_programme(ctx, pairing, programme, as_of)
            summary["programmes"][programme.key] = created
            if programme.key == "retention":
                summary["created"] = created
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        summary["created"], summary["programmes"] = {}, {}   # rolled back: nothing of this scan was stored
        summary["skipped"] = "a concurrent scan created these claims first"
    finally:
        lease.release(lease_name, holder, ctx.clock.wall())
    summary["total_created"] = sum(n for counts in summary["programmes"].values() for n in counts.values()
                                   if isinstance(n, int))
    return summary


def _scan_programme(ctx, pairing, programme, as_of: date) -> dict[str, int]:
    """One programme's milestones reached and not yet claimed: the claims, their events, one audit
    entry per milestone. The payee is the worker, or the employer of the spell the milestone
    falls in."""
    payer_region = pairing.region(programme.payer).code
    found = db.session.execute(milestone_query(pairing.id, programme.max_gap_days, [m.months for m in programme.milestones],
                                               as_of, kind=programme.key, when=programme.when)).all()
    employers = _employers_on(pairing.id, found, programme.when) if programme.payee == "employer" else {}
    employer_refs = dict(db.session.execute(select(Employer.id, Employer.ref).where(
        Employer.id.in_(set(employers.values())))).all()) if employers else {}
    created: dict[str, int] = {}
    for milestone in programme.milestones:
        rows = [r for r in found if r.months == milestone.months]
        now = ctx.clock.now()
        claims = []
        for r in rows:
            payee_id = employers.get((r.seeker_id, _as_date(r.day))) if programme.payee == "employer" else None
            key = (f"{retention_key_prefix(pairing.id)}{r.seeker_id}:{milestone.months}" if programme.key == "retention"
                   else f"{programme.key}:{pairing.id}:{programme.payee}:{payee_id or ''}:{r.seeker_id}:{milestone.months}")
            claims.append({"ref": new_ref(), "pairing_id": pairing.id, "region": payer_region, "filed_region": payer_region,
                           "kind": programme.key, "payee_type": programme.payee, "payee_id": payee_id,
                           "seeker_id": r.seeker_id, "amount_fen": milestone.amount_fen,
                           "approved_amount_fen": milestone.amount_fen, "status": PENDING,
                           "milestone_months": milestone.months, "milestone_date": _as_date(r.day), "dedupe_key": key,
                           "created_at": now})
        insert_rows(Claim.__table__, claims)
        refs = _refs_for([c["seeker_id"] for c in claims])
        emit_many(pairing, payer_region, "subsidy.updated", [
            {"claim_ref": c["ref"], "kind": programme.key,
             "payee": ({"type": "worker", "ref": refs[c["seeker_id"]]} if programme.payee == "worker"
                       else {"type": "employer", "ref": employer_refs[c["payee_id"]]} if c["payee_id"] else None),
             "seeker_ref": refs[c["seeker_id"]], "milestone_months": milestone.months, "amount_fen": c["amount_fen"],
             "approved_amount_fen": c["approved_amount_fen"], "status": PENDING, "reason": None, "decided_at": None}
            for c in claims], ctx.clock)
        created[str(milestone.months)] = len(claims)
        if claims:   # one audit entry per milestone and scan, not one per claim
            audit.record(Actor.system(payer_region), "retention.claims_created", "pairing", None, at=now,
                         pairing=pairing.id, programme=programme.key, as_of=as_of.isoformat(), months=milestone.months,
                         claims=len(claims))
    return created


def _employers_on(pairing_id: str, found, when) -> dict[tuple[int, date], int]:
    """(seeker, day) → the employer of the spell that covers the day (the latest begun, when two
    do; the last one before it, when the day falls in a gap the chain allows)."""
    seekers = {r.seeker_id for r in found}
    spells: dict[int, list] = {}
    for start in range(0, len(seekers), 5000):
        chunk = list(seekers)[start:start + 5000]
        stmt = select(EmploymentSpell.seeker_id, EmploymentSpell.start_date, EmploymentSpell.employer_id).where(
            EmploymentSpell.pairing_id == pairing_id, EmploymentSpell.seeker_id.in_(chunk))
        if when.employer_kind:    # only the spells the chain was made of
            stmt = stmt.join(Employer, Employer.id == EmploymentSpell.employer_id).where(Employer.kind.in_(when.employer_kind))
        for row in db.session.execute(stmt.order_by(EmploymentSpell.start_date, EmploymentSpell.id)):
            spells.setdefault(row.seeker_id, []).append(row)
    out = {}
    for r in found:
        day = _as_date(r.day)
        begun = [s for s in spells.get(r.seeker_id, []) if s.start_date <= day]
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
