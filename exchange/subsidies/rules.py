"""The subsidy rules of rules.md as pure functions over plain data: retention chains and their gap,
milestones, capped amounts. The database layer feeds them and stores their answers; the retention
scan computes the same thing in SQL (its building blocks sit here beside the rules they mirror),
and tests hold the two to each other."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case

from exchange.core.clock import add_months
from exchange.core.sqldates import DaysBetween


def gap_days(previous_end: date, next_start: date) -> int:
    """Days strictly between an end and the next start (end 03-31, start 04-20 → 19; overlaps → 0)."""
    return max(0, (next_start - previous_end).days - 1)


def gap_days_sql(previous_end, next_start):
    """gap_days as an SQL expression, for the retention scan's one pass over the spells (no end
    before: 0). Kept beside the rule it mirrors; the tests hold the scan equal to chains()."""
    return case((previous_end.is_(None), 0), (previous_end >= next_start, 0),
                else_=DaysBetween(previous_end, next_start) - 1)


def starts_chain_sql(previous_end, gap, max_gap_days: int):
    """1 where a spell starts a new chain (the first, or after a gap longer than max_gap_days), else 0."""
    return case((previous_end.is_(None), 1), (gap > max_gap_days, 1), else_=0)


@dataclass(frozen=True)
class Spell:
    start: date
    end: date | None            # None: ongoing


def chains(spells: list[Spell], max_gap_days: int) -> list[list[Spell]]:
    """Spells sorted by start form chains; a gap of at most max_gap_days (counted from the latest
    end so far) continues the chain, overlaps too; an ongoing spell runs on indefinitely."""
    ordered = sorted(spells, key=lambda s: (s.start, s.end or date.max))
    result: list[list[Spell]] = []
    latest_end: date | None = None
    for spell in ordered:
        if not result or (latest_end is not None and gap_days(latest_end, spell.start) > max_gap_days):
            result.append([spell])
            latest_end = spell.end
            if spell.end is None:
                latest_end = None
            continue
        if latest_end is None:      # an ongoing spell before: the chain already runs on
            result[-1].append(spell)
            continue
        result[-1].append(spell)
        latest_end = None if spell.end is None else max(latest_end, spell.end)
    return result


def milestone_date(chain: list[Spell], months: int) -> date | None:
    """rules.md: walk the chain's spells with G = 0; the candidate is add_months(start, N) + G;
    reached when the spells walked include an ongoing one or their latest end is on or after the
    candidate; otherwise add the gap to the next spell to G; with no next spell, not reached."""
    start = chain[0].start
    base = add_months(start, months)
    added = 0
    latest_end: date | None = None
    ongoing = False
    for k, spell in enumerate(chain):
        if k > 0 and not ongoing:
            added += gap_days(latest_end, spell.start)
        ongoing = ongoing or spell.end is None
        if spell.end is not None:
            latest_end = spell.end if latest_end is None else max(latest_end, spell.end)
        candidate = base + timedelta(days=added)
        if ongoing or (latest_end is not None and latest_end >= candidate):
            return candidate
    return None


def milestones_reached(spells: list[Spell], max_gap_days: int, months: list[int], as_of: date) -> dict[int, date]:
    """Each milestone (in months) reached on or before as_of, with the earliest date any chain
    reaches it — each milestone is paid at most once per seeker, whichever chain reaches it."""
    reached: dict[int, date] = {}
    for chain in chains(spells, max_gap_days):
        for n in months:
            day = milestone_date(chain, n)
            if day is not None and day <= as_of and (n not in reached or day < reached[n]):
                reached[n] = day
    return reached


def capped(claimed_fen: int, cap_fen: int) -> int:
    return min(claimed_fen, cap_fen)


def training_amount(days: int, per_day_fen: int, cap_fen: int, already_fen: int) -> int:
    """min(days × per day, cap − what the seeker's training claims of that year already hold)."""
    return max(0, min(days * per_day_fen, cap_fen - already_fen))
