"""A programme's conditions (`[programmes.when]`, spec/programmes.md) in SQL — the mirror of
rules.eligible, which states them over plain data: which spells a programme counts, for the
set-based scan. Tests hold the two to each other."""
from __future__ import annotations

from sqlalchemy import Select, select

from exchange.employers.models import Employer
from exchange.employment.models import EmploymentSpell
from exchange.placements.models import HIRED, Dispatch, Match, Traveller
from exchange.registry.models import Seeker


def province(region_code: str) -> str:
    return region_code[:2]


def job_regions(pairing, outside_province: bool) -> list[str]:
    """The pairing's regions whose jobs lie outside (or inside) the sending region's province: a
    spell belongs to the region of its employer, and spells are only ever of the pairing's two."""
    home = province(pairing.sending.code)
    return [code for code in pairing.regions if (province(code) != home) == outside_province]


def arrived_in_dispatch(pairing_id: str, seeker_id):
    """SQL: the seeker travelled in a dispatch of the pairing whose arrival is confirmed."""
    return (select(Traveller.id).join(Dispatch, Dispatch.id == Traveller.dispatch_id)
            .where(Dispatch.pairing_id == pairing_id, Traveller.seeker_id == seeker_id,
                   Traveller.arrived.is_(True)).exists())


def brought_by_agency(pairing_id: str, seeker_id):
    """SQL: a hired match of the pairing names the agency that brought the seeker."""
    return (select(Match.id).where(Match.pairing_id == pairing_id, Match.seeker_id == seeker_id,
                                   Match.outcome == HIRED, Match.agency_id.is_not(None)).exists())


def programme_spells(pairing, programme) -> Select:
    """(seeker_id, id, start_date, end_date, employer_id) of the spells the programme counts: those
    that meet its conditions. The shorthand 稳岗奖补 counts jobs in the receiving county only, as
    rules.md has always said; a programme paying an agency counts the people an agency brought."""
    s = EmploymentSpell.__table__.c
    stmt = select(s.seeker_id, s.id, s.start_date, s.end_date, s.employer_id).where(s.pairing_id == pairing.id)
    when = programme.when
    if programme.shorthand and programme.key == "retention":
        stmt = stmt.where(s.region == pairing.receiving.code)
    if when.household_status is not None:
        stmt = stmt.join(Seeker, Seeker.id == s.seeker_id).where(Seeker.household_status.in_(when.household_status))
    if when.employer_kind is not None:
        stmt = stmt.join(Employer, Employer.id == s.employer_id).where(Employer.kind.in_(when.employer_kind))
    if when.work_type is not None:
        stmt = stmt.where(s.work_type.in_(when.work_type))
    if when.outside_province is not None:
        stmt = stmt.where(s.region.in_(job_regions(pairing, when.outside_province)))
    if when.outside_county is not None:
        stmt = stmt.where((s.region != pairing.sending.code) if when.outside_county else (s.region == pairing.sending.code))
    if when.organised_dispatch is not None:
        arrived = arrived_in_dispatch(pairing.id, s.seeker_id)
        stmt = stmt.where(arrived if when.organised_dispatch else ~arrived)
    if programme.payee == "agency":
        stmt = stmt.where(brought_by_agency(pairing.id, s.seeker_id))
    return stmt
