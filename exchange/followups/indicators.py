"""The indicators the counties are judged on (rules.md, "Indicators"), each an SQL aggregate over
the pairing's records for a calendar year (Asia/Shanghai), with its target from the pairing file
and the same date last year; plus the money claimed, approved and paid by kind."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from sqlalchemy import case, func, literal, select

from exchange.accounts.permissions import require_pairing_member
from exchange.core.clock import Clock
from exchange.core.i18n import _l
from exchange.core.sqldates import DaysBetween, LocalDate
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.followups.service import effective_logs
from exchange.placements.models import HIRED, Dispatch, Match, Traveller
from exchange.subsidies.statements import ledger

FAR = date(9999, 12, 31)
STABLE_DAYS = 243


def organized_out_of_province(pairing, start: date, end: date) -> int:
    if not pairing.crosses_provinces:
        return 0
    return db.session.scalar(select(func.count(func.distinct(Traveller.seeker_id)))
                             .join(Dispatch, Dispatch.id == Traveller.dispatch_id)
                             .where(Dispatch.pairing_id == pairing.id,
                                    LocalDate(Dispatch.departed_at).between(start, end))) or 0


def placed_in_receiving_region(pairing, start: date, end: date) -> int:
    s = EmploymentSpell
    return db.session.scalar(select(func.count(func.distinct(s.seeker_id))).where(
        s.pairing_id == pairing.id, s.start_date <= end, (s.end_date.is_(None)) | (s.end_date >= start))) or 0


def chose_receiving_employers(pairing, start: date, end: date) -> int:
    """Hired in Y: on the start date the result gives (the day the person is taken on), or on the
    day the result was recorded when it gives none. Both sides hold the start date, so both count
    the same."""
    hired_on = func.coalesce(Match.start_date, LocalDate(Match.result_at))
    return db.session.scalar(select(func.count(func.distinct(Match.seeker_id))).where(
        Match.pairing_id == pairing.id, Match.outcome == HIRED, hired_on.between(start, end))) or 0


def stable_employment(pairing, start: date, end: date) -> int:
    """Persons employed on at least 243 days of the year: overlapping spells counted once (each
    spell adds only the days after the latest end before it)."""
    s = EmploymentSpell
    clipped_start = case((s.start_date > start, s.start_date), else_=literal(start))
    end_or_far = func.coalesce(s.end_date, literal(FAR))
    clipped_end = case((end_or_far < end, end_or_far), else_=literal(end))
    spells = (select(s.seeker_id, clipped_start.label("a"), clipped_end.label("b"), s.id)
              .where(s.pairing_id == pairing.id, s.start_date <= end, end_or_far >= start).subquery())
    previous = func.max(spells.c.b).over(partition_by=spells.c.seeker_id, order_by=(spells.c.a, spells.c.b, spells.c.id),
                                         rows=(None, -1))
    ordered = select(spells.c.seeker_id, spells.c.a, spells.c.b, previous.label("p")).subquery()
    # Days of this spell not already covered: from after the latest earlier end (or its start).
    new_start = case((ordered.c.p.is_(None), ordered.c.a), (ordered.c.p >= ordered.c.a, ordered.c.p), else_=ordered.c.a)
    covered_before = case((ordered.c.p.is_(None), 0), (ordered.c.p >= ordered.c.a, 1), else_=0)
    days = DaysBetween(new_start, ordered.c.b) + 1 - covered_before
    per_person = (select(ordered.c.seeker_id, func.sum(case((days > 0, days), else_=0)).label("days"))
                  .group_by(ordered.c.seeker_id).subquery())
    return db.session.scalar(select(func.count()).select_from(per_person).where(per_person.c.days >= STABLE_DAYS)) or 0


def returnees(pairing, start: date, end: date) -> int:
    """Recorded returned_home in Y by a log that stands (a corrected one does not count)."""
    standing = effective_logs(pairing.id).subquery()
    return db.session.scalar(select(func.count(func.distinct(standing.c.seeker_id))).where(
        standing.c.status == "returned_home", LocalDate(standing.c.contacted_at).between(start, end))) or 0


INDICATORS: list[tuple[str, Any, Callable]] = [
    ("organized_out_of_province", _l("Organised to work outside the province"), organized_out_of_province),
    ("placed_in_receiving_region", _l("Employed in the paired region"), placed_in_receiving_region),
    ("chose_receiving_employers", _l("Hired by employers of the paired region"), chose_receiving_employers),
    ("stable_employment", _l("In stable employment (8 months or more of the year)"), stable_employment),
    ("returnees", _l("Returned home"), returnees),
]


def same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def indicators(viewer, pairing_id: str, year: int, clock: Clock) -> dict[str, Any]:
    pairing = require_pairing_member(viewer, pairing_id)
    today = clock.today()
    cutoff = min(date(year, 12, 31), today) if year >= today.year else date(year, 12, 31)
    start, last_start, last_cutoff = date(year, 1, 1), date(year - 1, 1, 1), same_day_last_year(cutoff)
    targets = pairing.targets.get(year, {})
    items = [{"key": key, "label": str(label), "target": targets.get(key), "actual": compute(pairing, start, cutoff),
              "last_year_same_date": compute(pairing, last_start, last_cutoff)} for key, label, compute in INDICATORS]
    money = ledger(viewer, pairing_id, year)["totals"]
    db.session.commit()
    return {"year": year, "as_of": cutoff, "indicators": items, "money": money}


