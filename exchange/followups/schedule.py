"""The follow-up schedule of rules.md as pure functions: when a labourer is next due, and whether
they are at risk of dropping out of work (early warning)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

BAD = ("unemployed", "unreachable")
OVERDUE_RISK_DAYS = 7


@dataclass(frozen=True)
class LastContact:
    on: date                 # the Asia/Shanghai date of contacted_at
    status: str
    next_due: date | None


def due_on(arrived_on: date, last: LastContact | None, first_contact_days: int, interval_days: int,
           after_bad_status_days: int) -> date | None:
    """First due `first_contact_days` after arrival; then next_due when given, else sooner after a
    bad status, else the interval; None once the person has returned home."""
    if last is None:
        return arrived_on + timedelta(days=first_contact_days)
    if last.status == "returned_home":
        return None
    if last.next_due is not None:
        return last.next_due
    return last.on + timedelta(days=after_bad_status_days if last.status in BAD else interval_days)


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
