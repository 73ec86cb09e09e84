"""Households and the zero-employment list, in set-based SQL: a household is zero-employment on a
day when it has members of working age (16–60 on that day) and none of them has a spell — with
an employer of any region, here or far away — that covers the day."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from exchange.accounts.permissions import require_role
from exchange.accounts.roles import SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.clock import add_months, age_on
from exchange.core.errors import Conflict, Invalid
from exchange.core.pagination import Page
from exchange.core.scoping import get_visible, page_of
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.registry.models import Household, Seeker

FIRST_WORKING_AGE, LAST_WORKING_AGE = 16, 60


def _birth_bounds(day: date) -> tuple[date, date]:
    """(earliest, latest) birth dates of the people aged 16–60 on `day`."""
    return add_months(day, -12 * (LAST_WORKING_AGE + 1)), add_months(day, -12 * FIRST_WORKING_AGE)


def working_age(day: date):
    earliest, latest = _birth_bounds(day)
    return and_(Seeker.birth_date > earliest, Seeker.birth_date <= latest)


def employed_on(day: date):
    """A spell covers the day (the person's, in any pairing)."""
    return exists().where(EmploymentSpell.seeker_id == Seeker.id, EmploymentSpell.start_date <= day,
                          or_(EmploymentSpell.end_date.is_(None), EmploymentSpell.end_date >= day))


def counts(household_ids, day: date):
    """(household_id, members, working-age members, of them employed) — one grouped query."""
    at_work_age = working_age(day)
    return (select(Seeker.household_id, func.count(Seeker.id),
                   func.sum(case((at_work_age, 1), else_=0)),
                   func.sum(case((and_(at_work_age, employed_on(day)), 1), else_=0)))
            .where(Seeker.household_id.in_(household_ids)).group_by(Seeker.household_id))


def zero_employment(region: str, day: date):
    """A SELECT of the ids of the region's zero-employment households on `day`."""
    working = select(Seeker.household_id).where(Seeker.region == region, Seeker.household_id.isnot(None), working_age(day))
    at_work = working.where(employed_on(day))
    return select(Household.id).where(Household.region == region, Household.id.in_(working), Household.id.not_in(at_work))


def create_household(ctx, actor: Actor, data: dict[str, Any]) -> Household:
    require_role(actor, SENDING_STAFF)
    number = data["household_no"].strip()
    members = sorted(set(data.get("member_ids") or []))
    if members:
        found = db.session.execute(select(Seeker.id, Seeker.household_id).where(
            Seeker.id.in_(members), Seeker.region == actor.region)).all()
        unknown = sorted(set(members) - {row.id for row in found})
        if unknown:
            raise Invalid.field("member_ids", "not_found", _("No seeker %(ids)s in your region",
                                                             ids=", ".join(map(str, unknown))))
        elsewhere = sorted(row.id for row in found if row.household_id is not None)
        if elsewhere:
            raise Invalid.field("member_ids", "in_household", _("Seeker %(ids)s already belongs to a household",
                                                                ids=", ".join(map(str, elsewhere))))
    household = Household(region=actor.region, household_no=number, status=data["status"],
                          township=data.get("township"), village=data.get("village"),
                          official_name=data.get("official_name"), official_phone=data.get("official_phone"),
                          created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(household)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("already_registered", _("A household with this number is already registered")) from None
    if members:
        db.session.execute(update(Seeker).where(Seeker.id.in_(members)).values(household_id=household.id))
    audit.record(actor, "household.registered", "household", household.id, at=household.created_at, members=len(members))
    db.session.commit()
    return household


def list_households(ctx, actor: Actor, query: dict[str, Any]) -> tuple[Page, date]:
    day = query.get("as_of") or ctx.clock.today()
    conditions = []
    if query.get("zero_employment") is not None:
        zero = Household.id.in_(zero_employment(actor.region, day))
        conditions.append(zero if query["zero_employment"] else ~zero)
    return page_of(Household, actor, query, ("status",), *conditions), day


SUMMARY_CHUNK = 5000   # ids per query: well within every database's limit on bound parameters


def summaries(actor: Actor, households: list[Household], day: date) -> list[dict[str, Any]]:
    """Each household with its counts on `day` and whether it was zero-employment then and a
    month before (three set-based queries per 5,000 households)."""
    before = add_months(day, -1)
    numbers: dict[int, tuple] = {}
    zero_now: set[int] = set()
    zero_before: set[int] = set()
    for start in range(0, len(households), SUMMARY_CHUNK):
        ids = [h.id for h in households[start:start + SUMMARY_CHUNK]]
        numbers.update({row[0]: row[1:] for row in db.session.execute(counts(ids, day))})
        zero_now.update(db.session.scalars(zero_employment(actor.region, day).where(Household.id.in_(ids))))
        zero_before.update(db.session.scalars(zero_employment(actor.region, before).where(Household.id.in_(ids))))
    out = []
    for h in households:
        members, at_work_age, employed = numbers.get(h.id, (0, 0, 0))
        out.append({"id": h.id, "household_no": h.household_no, "status": h.status, "township": h.township,
                    "village": h.village, "official_name": h.official_name, "official_phone": h.official_phone,
                    "as_of": day, "members": members, "working_age": int(at_work_age or 0), "employed": int(employed or 0),
                    "zero_employment": h.id in zero_now, "zero_employment_a_month_before": h.id in zero_before})
    return out


def household_detail(ctx, actor: Actor, household_id: int, day: date | None = None) -> dict[str, Any]:
    day = day or ctx.clock.today()
    household = get_visible(Household, household_id, actor)
    [summary] = summaries(actor, [household], day)
    people = db.session.execute(select(Seeker, working_age(day), employed_on(day)).where(
        Seeker.household_id == household.id).order_by(Seeker.birth_date, Seeker.id)).all()
    summary["people"] = [{"id": s.id, "name": s.name, "gender": s.gender,
                          "age": age_on(s.birth_date, day) if s.birth_date else s.age_reported,
                          "working_age": bool(of_age), "employed": bool(at_work)} for s, of_age, at_work in people]
    return summary


PAGE_LIMIT = 100_000   # households on one page or in one download: a county's whole registry


def households_of(ctx, actor: Actor, *, day: date, zero: bool | None = None, status: str | None = None) -> list[Household]:
    """The region's households, filtered, in household-number order (the page and its download)."""
    stmt = select(Household).where(Household.visible_to(actor))
    if zero is not None:
        in_list = Household.id.in_(zero_employment(actor.region, day))
        stmt = stmt.where(in_list if zero else ~in_list)
    if status:
        stmt = stmt.where(Household.status == status)
    return list(db.session.scalars(stmt.order_by(Household.household_no).limit(PAGE_LIMIT)))


def cleared_since_a_month(ctx, actor: Actor, day: date) -> list[Household]:
    """The households on the list a month before `day` and off it on `day` (动态清零)."""
    before = add_months(day, -1)
    stmt = select(Household).where(Household.id.in_(zero_employment(actor.region, before)),
                                   Household.id.not_in(zero_employment(actor.region, day)))
    return list(db.session.scalars(stmt.order_by(Household.household_no)))


def households_xlsx(ctx, actor: Actor, rows: list[dict[str, Any]], title: str) -> bytes:
    """The list as the county office passes it round, in Chinese; the download is audited."""
    from exchange.core.i18n import record_language
    from exchange.core.sheets import workbook
    from exchange.registry.vocab import LABELS
    with record_language():
        headers = [_("Household number"), _("Township"), _("Village"), _("Household"), _("Members"), _("Of working age"),
                   _("At work"), _("Zero-employment"), _("A month before"), _("Official"), _("Official's phone")]
        body = workbook(title, headers, [
            [r["household_no"], r["township"] or "", r["village"] or "", str(LABELS["household_status"].get(r["status"], r["status"])),
             r["members"], r["working_age"],
             r["employed"], _("yes") if r["zero_employment"] else _("no"),
             _("yes") if r["zero_employment_a_month_before"] else _("no"), r["official_name"] or "", r["official_phone"] or ""]
            for r in rows])
    audit.record(actor, "households.exported", "household", None, at=ctx.clock.now(), rows=len(rows), title=title)
    db.session.commit()
    return body
