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


def milestone_query(pairing_id: str, max_gap_days: int, months: list[int], as_of: date):
    """(seeker_id, months, milestone date) for every milestone reached on or before as_of and not
    yet claimed — one pass over the spells for all the pairing's milestones."""
    s = EmploymentSpell.__table__.c
    end_or_far = func.coalesce(s.end_date, literal(FAR))
    order = (s.start_date, end_or_far, s.id)
    previous_end = func.max(end_or_far).over(partition_by=s.seeker_id, order_by=order, rows=(None, -1))
    spells = select(s.seeker_id, s.id, s.start_date, end_or_far.label("end_or_far"),
                    previous_end.label("previous_end")).where(s.pairing_id == pairing_id).subquery()
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
    claimed = select(Claim.id).where(Claim.pairing_id == pairing_id, Claim.kind == "retention",
                                     Claim.seeker_id == earliest.c.seeker_id,
                                     Claim.milestone_months == earliest.c.months).exists()
    return select(earliest.c.seeker_id, earliest.c.months, earliest.c.day).where(~claimed).order_by(
        earliest.c.months, earliest.c.seeker_id)


def scan(ctx, pairing, as_of: date, holder: str = "scan") -> dict[str, Any]:
    """Creates the pending retention claims of one pairing; returns a summary."""
    rule = pairing.retention
    summary: dict[str, Any] = {"pairing": pairing.id, "as_of": as_of.isoformat(), "created": {}, "skipped": None,
                               "total_created": 0}
    if rule is None or pairing.payer is None:
        summary["skipped"] = "no retention subsidy in this pairing"
        return summary
    if not ctx.hosts(pairing.payer_region):
        summary["skipped"] = "the payer's instance runs this pairing's scan"
        return summary
    lease_name = f"retention-scan:{pairing.id}"
    if not lease.acquire(lease_name, holder, LEASE_TTL, ctx.clock.wall()):
        summary["skipped"] = "another scan of this pairing is running"
        return summary
    try:
        found = db.session.execute(milestone_query(pairing.id, rule.max_gap_days,
                                                   [m.months for m in rule.milestones], as_of)).all()
        for milestone in rule.milestones:
            rows = [r for r in found if r.months == milestone.months]
            now = ctx.clock.now()
            claims = [{"ref": new_ref(), "pairing_id": pairing.id, "region": pairing.payer_region,
                       "filed_region": pairing.payer_region, "kind": "retention", "seeker_id": r.seeker_id,
                       "amount_fen": milestone.amount_fen, "approved_amount_fen": milestone.amount_fen,
                       "status": PENDING, "milestone_months": milestone.months, "milestone_date": _as_date(r.day),
                       "dedupe_key": f"{retention_key_prefix(pairing.id)}{r.seeker_id}:{milestone.months}",
                       "created_at": now} for r in rows]
            insert_rows(Claim.__table__, claims)
            refs = _refs_for([c["seeker_id"] for c in claims])
            emit_many(pairing, pairing.payer_region, "subsidy.updated", [
                {"claim_ref": c["ref"], "kind": "retention", "payee": {"type": "worker", "ref": refs[c["seeker_id"]]},
                 "seeker_ref": refs[c["seeker_id"]],
                 "milestone_months": milestone.months, "amount_fen": c["amount_fen"],
                 "approved_amount_fen": c["approved_amount_fen"], "status": PENDING, "reason": None, "decided_at": None}
                for c in claims], ctx.clock)
            summary["created"][str(milestone.months)] = len(claims)
            if claims:   # one audit entry per milestone and scan, not one per claim
                audit.record(Actor.system(pairing.payer_region), "retention.claims_created", "pairing", None, at=now,
                             pairing=pairing.id, as_of=as_of.isoformat(), months=milestone.months, claims=len(claims))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        summary["created"] = {}   # rolled back: nothing of this scan was stored
        summary["skipped"] = "a concurrent scan created these claims first"
    finally:
        lease.release(lease_name, holder, ctx.clock.wall())
    summary["total_created"] = sum(summary["created"].values())
    return summary


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
