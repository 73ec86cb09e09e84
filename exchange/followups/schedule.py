"""The follow-up schedule of rules.md, in one place: when a labourer is next due, and whether they
are at risk of dropping out of work (early warning) — each as a plain rule, and beside it the SQL
the worklist runs, built from the same cases in the same order. tests/followups hold the two equal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, null

from exchange.core.sqldates import AddDays

BAD = ("unemployed", "unreachable")
OVERDUE_RISK_DAYS = 7


@dataclass(frozen=True)
class LastContact:
    on: date                 # the Asia/Shanghai date of contacted_at
    status: str
    next_due: date | None


def due_on(arrived_on: date, last: LastContact | None, first_contact_days: int, interval_days: int,
           after_bad_status_days: int) -> date | None:
    """First due `first_contact_days` after arrival — also after an arrival later than the last
    contact (a returnee who went out again starts afresh); then next_due when given, else sooner
    after a bad status, else the interval; None once the person has returned home."""
    if last is None or arrived_on > last.on:
        return arrived_on + timedelta(days=first_contact_days)
    if last.status == "returned_home":
        return None
    if last.next_due is not None:
        return last.next_due
    return last.on + timedelta(days=after_bad_status_days if last.status in BAD else interval_days)


def due_on_sql(arrived_on, last_on, last_status, last_next_due, cadence):
    """due_on as an SQL expression over the worklist's columns (NULL where due_on is None); the
    cadence is the pairing file's [followup]."""
    return case(
        (last_on.is_(None) | (arrived_on > last_on), AddDays(arrived_on, cadence.first_contact_days)),
        (last_status == "returned_home", null()),
        (last_next_due.isnot(None), last_next_due),
        (last_status.in_(BAD), AddDays(last_on, cadence.after_bad_status_days)),
        else_=AddDays(last_on, cadence.interval_days))


def risk_reasons(days_overdue: int, last_status: str | None, employed_now: bool) -> list[str]:
    """At risk: overdue by more than 7 days, last status unreachable or unemployed, or no current
    employment spell — each named."""
    reasons = []
    if days_overdue > OVERDUE_RISK_DAYS:
        reasons.append("overdue")
    if last_status in BAD:
        reasons.append(last_status)
    if not employed_now:
        reasons.append("no_current_employment")
    return reasons


def at_risk_sql(days_overdue, last_status, employed_now):
    """True where risk_reasons names at least one reason."""
    return (days_overdue > OVERDUE_RISK_DAYS) | last_status.in_(BAD) | ~employed_now
