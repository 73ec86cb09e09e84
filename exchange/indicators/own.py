"""A pairing's own indicators (`[[indicators]]`, spec/indicators.md): each one set-based aggregate
over the pairing's records for a period — who travelled, worked, was hired, stayed, came home,
trained, benefited; what was paid, what funds were given — with its filters, as persons or
person-times."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, union

from exchange.core.sqldates import LocalDate
from exchange.employers.models import Posting
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.followups.service import effective_logs
from exchange.placements.models import HIRED, Dispatch, Match, Traveller
from exchange.registry.models import Seeker, TrainingRecord
from exchange.subsidies.models import PAID, Claim

FAR = date(9999, 12, 31)


def covers(region_code: str, column):
    """SQL: the region `column` lies in `region_code` — a county itself, or any county of a
    prefecture (330800) or a province (330000): codes are hierarchical."""
    prefix = region_code.rstrip("0") if region_code.endswith("00") else region_code
    prefix = prefix if len(prefix) % 2 == 0 else prefix + "0"
    return column == region_code if len(prefix) == 6 else column.startswith(prefix)


def destination(pairing, where: str | None, column):
    """SQL: the job's region (`column`) is where the indicator's `destination` says."""
    if where in (None, "any"):
        return None
    if where == "receiving_region":
        return covers(pairing.receiving.code, column)
    if where == "receiving_province":
        return column.startswith(pairing.receiving.code[:2])
    if where == "outside_province":
        return ~column.startswith(pairing.sending.code[:2])
    return covers(pairing.sending.code, column)          # local


def _tally(rows, seeker_column, statuses, count: str, place=None) -> int:
    """Persons (distinct people) or person-times (every event) of a select of events, kept to the
    people of those household statuses and the jobs of that destination."""
    if place is not None:
        rows = rows.where(place)
    if statuses:
        rows = rows.join(Seeker, Seeker.id == seeker_column).where(Seeker.household_status.in_(statuses))
    sub = rows.subquery()
    measure = func.count() if count == "person_times" else func.count(func.distinct(sub.c.seeker_id))
    return db.session.scalar(select(measure).select_from(sub)) or 0


def value(pairing, indicator, start: date, end: date) -> int | float:
    """The indicator's figure for [start, end] (its own `since_start` moves the start back)."""
    if indicator.period == "since_start" and pairing.start_date is not None:
        start = pairing.start_date
    where, of = indicator.where, indicator.of
    statuses = where.household_status
    if of == "dispatched":
        rows = (select(Traveller.seeker_id).join(Dispatch, Dispatch.id == Traveller.dispatch_id)
                .join(Match, Match.id == Traveller.match_id).join(Posting, Posting.id == Match.posting_id)
                .where(Dispatch.pairing_id == pairing.id, LocalDate(Dispatch.departed_at).between(start, end)))
        return _tally(rows, Traveller.seeker_id, statuses, indicator.count,
                      destination(pairing, where.destination, Posting.location_region))
    if of == "employed":
        s = EmploymentSpell
        rows = select(s.seeker_id).where(s.pairing_id == pairing.id, s.start_date <= end,
                                         func.coalesce(s.end_date, FAR) >= start)
        return _tally(rows, s.seeker_id, statuses, indicator.count, destination(pairing, where.destination, s.region))
    if of == "hired":
        hired_on = func.coalesce(Match.start_date, LocalDate(Match.result_at))
        rows = (select(Match.seeker_id).join(Posting, Posting.id == Match.posting_id)
                .where(Match.pairing_id == pairing.id, Match.outcome == HIRED, hired_on.between(start, end)))
        return _tally(rows, Match.seeker_id, statuses, indicator.count,
                      destination(pairing, where.destination, Posting.location_region))
    if of == "stable":
        from exchange.indicators.service import employment
        s = EmploymentSpell
        filters = [s.pairing_id == pairing.id]
        place = destination(pairing, where.destination, s.region)
        if place is not None:
            filters.append(place)
        if statuses:
            filters.append(s.seeker_id.in_(select(Seeker.id).where(Seeker.household_status.in_(statuses))))
        return employment(pairing, start, end, *filters)["stable_employment"]
    if of == "returned":
        standing = effective_logs(pairing.id).subquery()
        rows = select(standing.c.seeker_id).where(standing.c.status == "returned_home",
                                                  LocalDate(standing.c.contacted_at).between(start, end))
        return _tally(rows, standing.c.seeker_id, statuses, indicator.count)
    if of == "trained":
        rows = select(TrainingRecord.seeker_id).where(TrainingRecord.pairing_id == pairing.id,
                                                      TrainingRecord.end_date.between(start, end))
        return _tally(rows, TrainingRecord.seeker_id, statuses, indicator.count)
    if of == "benefited":
        s = EmploymentSpell
        anyone = union(
            select(s.seeker_id.label("seeker_id")).where(s.pairing_id == pairing.id, s.start_date <= end,
                                                         func.coalesce(s.end_date, FAR) >= start),
            select(TrainingRecord.seeker_id).where(TrainingRecord.pairing_id == pairing.id,
                                                   TrainingRecord.end_date.between(start, end)),
            select(Claim.seeker_id).where(Claim.pairing_id == pairing.id, Claim.status == PAID,
                                          LocalDate(Claim.paid_at).between(start, end))).subquery()
        rows = select(anyone.c.seeker_id)
        return _tally(rows, anyone.c.seeker_id, statuses, "persons")
    if of == "paid_yuan":
        rows = select(func.coalesce(func.sum(Claim.approved_amount_fen), 0)).where(
            Claim.pairing_id == pairing.id, Claim.status == PAID, LocalDate(Claim.paid_at).between(start, end))
        if where.kind:
            rows = rows.where(Claim.kind.in_(where.kind))
        if statuses:
            rows = rows.where(Claim.seeker_id.in_(select(Seeker.id).where(Seeker.household_status.in_(statuses))))
        return round((db.session.scalar(rows) or 0) / 100, 2)
    from exchange.indicators.funds import funds_fen        # funds_yuan
    return round(funds_fen(pairing, start, end, where.purpose) / 100, 2)

