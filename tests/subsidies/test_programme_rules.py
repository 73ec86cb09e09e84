"""The programmes' rules over plain data (rules.eligible, months_covered, training and income
amounts), and the set-based scan held to them on random spells: what the SQL pays is exactly what
the pure rules say, condition by condition, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from exchange.core.context import current_context
from exchange.demo import make_uscc
from exchange.employers.models import Employer
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.pairings.programmes import EMPLOYER_KINDS, HOUSEHOLD_STATUSES, WORK_TYPES, Milestone, Programme, When
from exchange.registry.models import Seeker
from exchange.subsidies.models import Claim
from exchange.subsidies.retention import _scan_programme, _scan_trigger
from exchange.subsidies.rules import (Facts, Spell, eligible, income_amount_of, milestones_reached, months_covered,
                                      training_amount_of)
from tests.factories import PAIRING, RECEIVING, SENDING

D = date.fromisoformat
MADE = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)


# --- the pure rules ------------------------------------------------------------------------------

def test_months_covered_counts_whole_calendar_months_only():
    assert months_covered([Spell(D("2026-01-15"), None)], D("2026-04-29")) == [D("2026-02-28"), D("2026-03-31")]
    assert months_covered([Spell(D("2026-02-01"), D("2026-02-28"))], D("2026-12-31")) == [D("2026-02-28")]
    assert months_covered([Spell(D("2026-02-01"), D("2026-02-27"))], D("2026-12-31")) == []     # a day short
    assert months_covered([Spell(D("2026-01-01"), D("2026-01-15")), Spell(D("2026-01-16"), None)], D("2026-01-31")) == []
    assert months_covered([Spell(D("2024-02-01"), None)], D("2024-02-29")) == [D("2024-02-29")]  # a leap February
    assert months_covered([Spell(D("2026-03-01"), None)], D("2026-03-30")) == []                 # not ended yet


def test_training_amounts_by_day_by_hour_from_the_minimum_and_capped():
    assert training_amount_of(10, 80, 5000, None, 80, None, 0) == 50000            # Shaanxi: 80 hours, 50 a day
    assert training_amount_of(10, 79, 5000, None, 80, None, 0) == 0                # one hour short
    assert training_amount_of(10, None, 5000, None, 80, None, 0) == 0              # hours not given: no minimum reached
    assert training_amount_of(3, 24, None, 1000, None, 20000, 15000) == 5000       # per hour, the cap leaves 50
    assert training_amount_of(3, None, 5000, None, None, 25000, 25000) == 0


def test_income_is_all_or_nothing_at_the_threshold():
    assert income_amount_of(3_000_000, 3_000_000, 100_000) == 100_000
    assert income_amount_of(2_999_999, 3_000_000, 100_000) == 0


def test_eligible_reads_each_condition():
    poor_workshop = Facts(household_status="registered_poor", employer_kind="workshop", work_type="long_term",
                          organised_dispatch=True, job_region="610926", home_region="610926")
    assert eligible(When(), poor_workshop)
    assert eligible(When(household_status=("registered_poor",), employer_kind=("workshop", "base")), poor_workshop)
    assert not eligible(When(employer_kind=("base",)), poor_workshop)
    assert not eligible(When(outside_province=True), poor_workshop)
    assert eligible(When(outside_province=False, organised_dispatch=True), poor_workshop)
    assert not eligible(When(outside_county=True), poor_workshop)
    away = Facts(household_status="other", employer_kind="enterprise", work_type="long_term", job_region="460108",
                 home_region="469030")
    assert eligible(When(outside_county=True, outside_province=False), away)      # another county of Hainan
    flexible = Facts(household_status="other", employer_kind=None, work_type="flexible", job_region="460108",
                     home_region="460108")
    assert not eligible(When(employer_kind=("enterprise",)), flexible)                # flexible work has no employer
    assert eligible(When(work_type=("flexible",)), flexible)


@given(amount=st.integers(0, 10**7), threshold=st.integers(0, 10**7), income=st.integers(0, 10**7))
def test_income_never_pays_below_the_threshold(amount, threshold, income):
    paid = income_amount_of(income, threshold, amount)
    assert paid == (amount if income >= threshold else 0)


@given(days=st.integers(1, 366), hours=st.none() | st.integers(1, 3000), per_day=st.none() | st.integers(0, 10**5),
       per_hour=st.integers(0, 10**4), min_hours=st.none() | st.integers(1, 200), cap=st.none() | st.integers(0, 10**6),
       held=st.integers(0, 10**6))
def test_training_is_never_negative_nor_above_what_the_cap_leaves(days, hours, per_day, per_hour, min_hours, cap, held):
    amount = training_amount_of(days, hours, per_day, per_hour, min_hours, cap, held)
    assert amount >= 0
    if cap is not None:
        assert amount <= max(0, cap - held)
    if min_hours is not None and (hours is None or hours < min_hours):
        assert amount == 0


# --- the scan against the rules, on random spells ----------------------------------------------------

OTHER_PROVINCE = RECEIVING       # the fixture pairing crosses provinces: 叙永 (Sichuan) and 龙游 (Zhejiang)


@pytest.fixture
def world(app):
    """Employers of every kind in both regions, four people of the three household statuses — as
    plain values, read in the one app context the test runs in."""
    with app.app_context():
        employers = {}
        for k, (region, kind) in enumerate([(r, kind) for r in (SENDING, RECEIVING) for kind in EMPLOYER_KINDS]):
            e = Employer(region=region, name=f"单位{k}", uscc=make_uscc(region, 40 + k), kind=kind, status="approved",
                         created_at=MADE)
            db.session.add(e)
            employers[(region, kind)] = e
        people = [Seeker(region=SENDING, name=f"人{k}", gender="M", education="junior", work_type="long_term",
                         household_status=HOUSEHOLD_STATUSES[k % 3], national_id_hash=f"rule{k}",
                         birth_date=D("1990-01-01"), created_at=MADE) for k in range(4)]
        db.session.add_all(people)
        db.session.commit()
        ids = {key: e.id for key, e in employers.items()}
        persons = [(p.id, p.household_status) for p in people]
        db.session.remove()
        yield ids, persons


spell_strategy = st.tuples(
    st.integers(0, 3),                                    # whose
    st.sampled_from([SENDING, RECEIVING]),                # where (the employer's region)
    st.sampled_from(EMPLOYER_KINDS + ("none",)),          # the employer's kind, or flexible work
    st.sampled_from(WORK_TYPES),
    st.integers(0, 400),                                  # start: days after 2025-01-01
    st.none() | st.integers(0, 200),                      # length in days (None: ongoing)
)
when_strategy = st.builds(
    When,
    household_status=st.none() | st.lists(st.sampled_from(HOUSEHOLD_STATUSES), min_size=1, unique=True).map(tuple),
    employer_kind=st.none() | st.lists(st.sampled_from(EMPLOYER_KINDS), min_size=1, unique=True).map(tuple),
    work_type=st.none() | st.lists(st.sampled_from(WORK_TYPES), min_size=1, unique=True).map(tuple),
    outside_province=st.none() | st.booleans(),
    outside_county=st.none() | st.booleans(),
)


def _store(employers, people, spells):
    db.session.execute(delete(Claim))
    db.session.execute(delete(EmploymentSpell))
    plain = []
    for whose, region, kind, work_type, start, length in spells:
        begin = D("2025-01-01") + timedelta(days=start)
        end = begin + timedelta(days=length) if length is not None else None
        employer_id = employers[(region, kind)] if kind != "none" else None
        db.session.add(EmploymentSpell(pairing_id=PAIRING, region=region, seeker_id=people[whose][0],
                                       employer_id=employer_id, work_type=work_type,
                                       description="零工" if employer_id is None else None,
                                       start_date=begin, end_date=end, created_at=MADE))
        plain.append((people[whose], region, kind, work_type, Spell(begin, end)))
    db.session.commit()
    return plain


def _facts(person, region, kind, work_type):
    return Facts(household_status=person[1], employer_kind=None if kind == "none" else kind,
                 work_type=work_type, job_region=region, home_region=SENDING)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spells=st.lists(spell_strategy, max_size=12), whens=st.lists(when_strategy, min_size=2, max_size=2),
       months=st.lists(st.integers(1, 4), min_size=2, max_size=2), gaps=st.lists(st.integers(0, 40), min_size=2, max_size=2),
       as_of=st.integers(0, 700))
def test_the_employment_scan_pays_what_the_rules_say(world, spells, whens, months, gaps, as_of):
    """Two programmes of different conditions, milestones and gaps, found in the scan's one statement."""
    employers, people = world
    plain = _store(employers, people, spells)
    ctx = current_context()
    pairing = ctx.pairings.get(PAIRING)
    programmes = [Programme(key=f"prop_keep_{k}", name="p", payer="receiving", payee="worker", trigger="employment",
                            when=whens[k], milestones=(Milestone(months[k], 100),), max_gap_days=gaps[k]) for k in (0, 1)]
    day = D("2025-01-01") + timedelta(days=as_of)
    _scan_trigger(ctx, pairing, programmes, day)
    db.session.commit()
    for k, programme in enumerate(programmes):
        paid = {(c.seeker_id, c.milestone_date) for c in db.session.scalars(select(Claim).where(Claim.kind == programme.key))}
        expected = set()
        for person in people:
            counted = [s for p, region, kind, work_type, s in plain
                       if p[0] == person[0] and eligible(whens[k], _facts(p, region, kind, work_type))]
            reached = milestones_reached(counted, gaps[k], [months[k]], day)
            if months[k] in reached:
                expected.add((person[0], reached[months[k]]))
        assert paid == expected, programme.key


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spells=st.lists(spell_strategy, max_size=10), when=when_strategy, as_of=st.integers(0, 700))
def test_the_monthly_scan_pays_each_full_month_the_rules_say(world, spells, when, as_of):
    employers, people = world
    plain = _store(employers, people, spells)
    ctx = current_context()
    pairing = ctx.pairings.get(PAIRING)
    programme = Programme(key="prop_post", name="p", payer="sending", payee="worker", trigger="monthly", when=when,
                          amount_fen=50000)
    day = D("2025-01-01") + timedelta(days=as_of)
    _scan_programme(ctx, pairing, programme, day)
    db.session.commit()
    paid = sorted((c.seeker_id, c.milestone_date) for c in db.session.scalars(select(Claim).where(Claim.kind == "prop_post")))
    expected = sorted({(person[0], month) for person in people for month in months_covered(
        [s for p, region, kind, work_type, s in plain if p[0] == person[0] and eligible(when, _facts(p, region, kind, work_type))],
        day)})
    assert paid == expected
    _scan_programme(ctx, pairing, programme, day)      # again: nothing twice
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Claim).where(Claim.kind == "prop_post")) == len(expected)
