"""The indicators the counties are judged on (rules.md, "Indicators"), each an SQL aggregate over
the pairing's records for a calendar year (Asia/Shanghai), with its target from the pairing file
and the same date last year; plus the money claimed, approved and paid by kind."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import case, func, literal, select

from exchange.accounts.permissions import require_pairing_member
from exchange.core.clock import SHANGHAI
from exchange.core.i18n import _l
from exchange.core.sqldates import DaysBetween, LocalDate
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.followups.service import effective_logs
from exchange.indicators import own
from exchange.placements.models import HIRED, Dispatch, Match, Traveller
from exchange.subsidies.models import APPROVED, KINDS, PAID, Claim

FAR = date(9999, 12, 31)
STABLE_DAYS = 243


def organized_out_of_province(pairing, start: date, end: date) -> int:
    if not pairing.crosses_provinces:
        return 0
    return db.session.scalar(select(func.count(func.distinct(Traveller.seeker_id)))
                             .join(Dispatch, Dispatch.id == Traveller.dispatch_id)
                             .where(Dispatch.pairing_id == pairing.id,
                                    LocalDate(Dispatch.departed_at).between(start, end))) or 0


def chose_receiving_employers(pairing, start: date, end: date) -> int:
    """Hired in Y: on the start date the result gives (the day the person is taken on), or on the
    day the result was recorded when it gives none. Both sides hold the start date, so both count
    the same."""
    hired_on = func.coalesce(Match.start_date, LocalDate(Match.result_at))
    return db.session.scalar(select(func.count(func.distinct(Match.seeker_id))).where(
        Match.pairing_id == pairing.id, Match.outcome == HIRED, hired_on.between(start, end))) or 0


def employment(pairing, start: date, end: date, *filters) -> dict[str, int]:
    """placed_in_receiving_region (a spell overlapping the period) and stable_employment (employed
    on at least 243 days of it, overlapping spells counted once) from one pass over the spells:
    each spell adds only the days after the latest end before it. (Both periods in one query
    measured slower: the period filter no longer narrows the index scan.) Without `filters`, the
    receiving region's spells; with them (a file's own indicator), the spells they keep."""
    s = EmploymentSpell
    clipped_start = case((s.start_date > start, s.start_date), else_=literal(start))
    end_or_far = func.coalesce(s.end_date, literal(FAR))
    clipped_end = case((end_or_far < end, end_or_far), else_=literal(end))
    spells = (select(s.seeker_id, s.start_date, clipped_start.label("a"), clipped_end.label("b"))
              .where(s.pairing_id == pairing.id, *(filters or (s.region == pairing.receiving.code,)),
                     s.start_date <= end, end_or_far >= start).subquery())
    # Ordered by start alone (the clipped start moves with it; ties cannot double-count, since a
    # spell adds nothing that an earlier one covered): the covering index gives this order unsorted.
    previous = func.max(spells.c.b).over(partition_by=spells.c.seeker_id, order_by=spells.c.start_date, rows=(None, -1))
    ordered = select(spells.c.seeker_id, spells.c.a, spells.c.b, previous.label("p")).subquery()
    new_start = case((ordered.c.p.is_(None), ordered.c.a), (ordered.c.p >= ordered.c.a, ordered.c.p), else_=ordered.c.a)
    covered_before = case((ordered.c.p.is_(None), 0), (ordered.c.p >= ordered.c.a, 1), else_=0)
    days = DaysBetween(new_start, ordered.c.b) + 1 - covered_before
    per_person = (select(ordered.c.seeker_id, func.sum(case((days > 0, days), else_=0)).label("days"))
                  .group_by(ordered.c.seeker_id).subquery())
    placed, stable = db.session.execute(select(
        func.count(), func.coalesce(func.sum(case((per_person.c.days >= STABLE_DAYS, 1), else_=0)), 0))
        .select_from(per_person)).one()
    return {"placed_in_receiving_region": placed or 0, "stable_employment": int(stable or 0)}


def returnees(pairing, start: date, end: date) -> int:
    """Recorded returned_home in Y by a log that stands (a corrected one does not count)."""
    standing = effective_logs(pairing.id).subquery()
    return db.session.scalar(select(func.count(func.distinct(standing.c.seeker_id))).where(
        standing.c.status == "returned_home", LocalDate(standing.c.contacted_at).between(start, end))) or 0


# Each computation answers one or more keys for a period (the spells answer two at once).
COMPUTATIONS: list[Callable[[Any, date, date], dict[str, int]]] = [
    lambda pairing, start, end: {"organized_out_of_province": organized_out_of_province(pairing, start, end)},
    employment,
    lambda pairing, start, end: {"chose_receiving_employers": chose_receiving_employers(pairing, start, end)},
    lambda pairing, start, end: {"returnees": returnees(pairing, start, end)},
]
LABELS = {
    "organized_out_of_province": _l("Organised to work outside the province"),
    "placed_in_receiving_region": _l("Employed in the paired region"),
    "chose_receiving_employers": _l("Hired by employers of the paired region"),
    "stable_employment": _l("In stable employment (8 months or more of the year)"),
    "returnees": _l("Returned home"),
}


def _period(pairing, start: date, end: date) -> dict[str, int]:
    values: dict[str, int] = {}
    for compute in COMPUTATIONS:
        values.update(compute(pairing, start, end))
    return values


def money_totals(pairing, year: int) -> dict[str, dict[str, int]]:
    """Claimed, approved and paid by kind in the calendar year (Asia/Shanghai), each counted in the
    year it happened — the ledger's totals, from one scan over instant ranges that indexes serve."""
    begins = datetime(year, 1, 1, tzinfo=SHANGHAI)
    ends = datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    within = lambda instant: (instant >= begins) & (instant < ends)  # noqa: E731
    fen = lambda amount, condition: func.coalesce(func.sum(case((condition, amount), else_=0)), 0)  # noqa: E731
    rows = db.session.execute(select(
        Claim.kind, fen(Claim.amount_fen, within(Claim.created_at)),
        fen(Claim.approved_amount_fen, Claim.status.in_([APPROVED, PAID]) & within(Claim.decided_at)),
        fen(Claim.approved_amount_fen, (Claim.status == PAID) & within(Claim.paid_at)))
        .where(Claim.pairing_id == pairing.id, within(Claim.created_at) | within(Claim.decided_at) | within(Claim.paid_at))
        .group_by(Claim.kind)).all()
    found = {kind: {"claimed_fen": int(c), "approved_fen": int(a), "paid_fen": int(p)} for kind, c, a, p in rows}
    return {kind: found.get(kind, {"claimed_fen": 0, "approved_fen": 0, "paid_fen": 0}) for kind in KINDS}


def same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def period_of(today: date, year: int | None, as_of: date | None = None,
              span: tuple[date, date] | None = None) -> tuple[date, date, int]:
    """(first day, last day counted, the year whose targets apply): a year runs from 1 January to
    `as_of`, or to today while it is the current year, or to 31 December; a span is taken as given,
    measured against the targets of the year it ends in."""
    if span is not None:
        return span[0], span[1], span[1].year
    cutoff = as_of or (min(date(year, 12, 31), today) if year >= today.year else date(year, 12, 31))
    return date(year, 1, 1), cutoff, year


def completion(actual: int, target: int | None) -> float | None:
    """actual / basic target, to four places; none without a target (or a target of 0)."""
    return round(actual / target, 4) if target else None


def indicators(ctx, viewer, pairing_id: str, year: int | None, *, as_of: date | None = None,
               span: tuple[date, date] | None = None) -> dict[str, Any]:
    """The indicators for a year (to as_of) or a span, each with the basic and stretch targets of
    the year it is measured against, the completion, and the same span a year before."""
    pairing = require_pairing_member(ctx, viewer, pairing_id)
    start, cutoff, target_year = period_of(ctx.clock.today(), year, as_of, span)
    targets = pairing.targets.get(target_year, {})
    stretch = pairing.stretch_targets.get(target_year, {})
    if pairing.indicators:      # the file's own (spec/indicators.md)
        labels = {i.key: i.label for i in pairing.indicators}
        units = {i.key: "yuan" if i.in_yuan else i.count for i in pairing.indicators}
        actual = {i.key: own.value(pairing, i, start, cutoff) for i in pairing.indicators}
        last = {i.key: own.value(pairing, i, same_day_last_year(start), same_day_last_year(cutoff))
                for i in pairing.indicators}
    else:
        labels, units = {key: str(label) for key, label in LABELS.items()}, dict.fromkeys(LABELS, "persons")
        actual = _period(pairing, start, cutoff)
        last = _period(pairing, same_day_last_year(start), same_day_last_year(cutoff))
    items = [{"key": key, "label": label, "unit": units[key], "target": targets.get(key),
              "stretch_target": stretch.get(key), "completion": completion(actual[key], targets.get(key)),
              "actual": actual[key], "last_year_same_date": last[key]} for key, label in labels.items()]
    money = money_totals(pairing, target_year)
    db.session.commit()
    return {"year": year, "from_": start, "to": cutoff, "as_of": cutoff, "indicators": items, "money": money}


