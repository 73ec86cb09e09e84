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


def training_amount_of(days: int, hours: int | None, per_day_fen: int | None, per_hour_fen: int | None,
                       min_hours: int | None, cap_fen: int | None, already_fen: int) -> int:
    """A training programme's amount for one record (spec/programmes.md): nothing below `min_hours`
    (a record that gives no hours does not reach a minimum); per day × days or per hour × hours;
    capped by what the year's cap leaves after `already_fen`."""
    if min_hours is not None and (hours is None or hours < min_hours):
        return 0
    if per_day_fen is not None:
        amount = days * per_day_fen
    elif per_hour_fen is not None:
        amount = (hours or 0) * per_hour_fen
    else:
        return 0
    if cap_fen is not None:
        amount = min(amount, cap_fen - already_fen)
    return max(0, amount)


def income_amount_of(income_fen: int, threshold_fen: int, amount_fen: int) -> int:
    """An income programme's amount for a verified declaration: all or nothing at the threshold."""
    return amount_fen if income_fen >= threshold_fen else 0


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def months_covered(spells: list[Spell], as_of: date) -> list[date]:
    """The `monthly` trigger: each full calendar month, ended on or before as_of, that one spell
    covers from its first to its last day; a month is named by its last day. Two spells that
    together cover a month do not make it full (each month is paid for one post)."""
    months: set[date] = set()
    for spell in spells:
        first = spell.start if spell.start.day == 1 else add_months(spell.start.replace(day=1), 1)
        while True:
            last = month_end(first)
            if last > as_of or (spell.end is not None and spell.end < last):
                break
            months.add(last)
            first = add_months(first, 1)
    return sorted(months)


@dataclass(frozen=True)
class Facts:
    """What a programme's conditions ask of a claim, as plain data, on the day it arises."""
    household_status: str | None = None
    employer_kind: str | None = None       # None: flexible work, which has no employer
    work_type: str | None = None
    organised_dispatch: bool = False       # travelled in a dispatch of the pairing and arrived
    job_region: str | None = None          # the region code of the job (its employer's; None: unknown)
    home_region: str | None = None         # the sending region's code


def eligible(when, facts: Facts) -> bool:
    """Every condition of a programme's `when` holds (an absent condition holds always)."""
    if when.household_status is not None and facts.household_status not in when.household_status:
        return False
    if when.employer_kind is not None and facts.employer_kind not in when.employer_kind:
        return False
    if when.work_type is not None and facts.work_type not in when.work_type:
        return False
    if when.organised_dispatch is not None and facts.organised_dispatch != when.organised_dispatch:
        return False
    if when.outside_province is not None:
        outside = facts.job_region is not None and facts.job_region[:2] != (facts.home_region or "")[:2]
        if outside != when.outside_province:
            return False
    if when.outside_county is not None:
        away = facts.job_region is not None and facts.job_region != facts.home_region
        if away != when.outside_county:
            return False
    return True
