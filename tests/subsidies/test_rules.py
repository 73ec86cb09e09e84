"""rules.md's retention rules, its five worked examples, and the edges around them."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.subsidies.rules import Spell, add_months, chains, capped, gap_days, milestone_date, milestones_reached, training_amount

D = date.fromisoformat


def reached(spells, as_of, months=(6, 12), gap=30):
    return milestones_reached([Spell(D(a), D(b) if b else None) for a, b in spells], gap, list(months), D(as_of))


def test_add_months_clamps_to_the_month_end():
    assert add_months(D("2026-08-31"), 6) == D("2027-02-28")
    assert add_months(D("2027-08-31"), 6) == D("2028-02-29")
    assert add_months(D("2026-01-31"), 1) == D("2026-02-28")
    assert add_months(D("2026-03-01"), 12) == D("2027-03-01")
    assert add_months(D("2028-02-29"), 12) == D("2029-02-28")


def test_gaps_count_the_days_strictly_between():
    assert gap_days(D("2026-03-31"), D("2026-04-20")) == 19
    assert gap_days(D("2026-03-31"), D("2026-04-01")) == 0
    assert gap_days(D("2026-03-31"), D("2026-03-10")) == 0


def test_example_1_an_ongoing_spell():
    spells = [("2026-03-01", None)]
    assert reached(spells, "2026-08-31") == {}
    assert reached(spells, "2026-09-01") == {6: D("2026-09-01")}
    assert reached(spells, "2027-03-01") == {6: D("2026-09-01"), 12: D("2027-03-01")}


def test_example_2_a_short_gap_continues_the_chain():
    assert reached([("2026-01-15", "2026-03-31"), ("2026-04-20", None)], "2026-12-31", (6,)) == {6: D("2026-08-03")}
    assert reached([("2026-01-15", "2026-03-31"), ("2026-04-20", None)], "2026-08-02", (6,)) == {}


def test_example_3_a_long_gap_breaks_the_chain():
    spells = [("2026-01-15", "2026-03-31"), ("2026-05-10", None)]
    assert len(chains([Spell(D(a), D(b) if b else None) for a, b in spells], 30)) == 2
    assert reached(spells, "2026-11-10", (6,)) == {6: D("2026-11-10")}
    assert reached(spells, "2026-11-09", (6,)) == {}


def test_example_4_a_month_end_start():
    assert reached([("2026-08-31", None)], "2027-02-28", (6,)) == {6: D("2027-02-28")}
    assert reached([("2027-08-31", None)], "2028-02-29", (6,)) == {6: D("2028-02-29")}


def test_example_5_leaving_before_six_months():
    assert reached([("2026-03-01", "2026-08-15")], "2030-01-01") == {}


def test_gaps_exactly_at_the_limit():
    # end 03-31, next start 05-01: 30 days strictly between (April) → continues; 05-02 → 31 → breaks.
    at_limit = [("2026-01-01", "2026-03-31"), ("2026-05-01", None)]
    assert len(chains([Spell(D(a), D(b) if b else None) for a, b in at_limit], 30)) == 1
    assert reached(at_limit, "2027-01-01", (6,)) == {6: D("2026-07-01") + timedelta(days=30)}
    over = [("2026-01-01", "2026-03-31"), ("2026-05-02", None)]
    assert reached(over, "2026-12-31", (6,)) == {6: D("2026-11-02")}


def test_employed_on_the_milestone_date_or_not_reached():
    # Ends the day before the candidate: not reached; ends on it: reached.
    assert reached([("2026-03-01", "2026-08-31")], "2027-01-01", (6,)) == {}
    assert reached([("2026-03-01", "2026-09-01")], "2027-01-01", (6,)) == {6: D("2026-09-01")}


def test_overlapping_spells_count_from_the_latest_end():
    spells = [("2026-01-01", "2026-06-30"), ("2026-02-01", "2026-04-30"), ("2026-07-05", None)]
    # Gap from the latest end so far (06-30) to 07-05: 4 days.
    assert reached(spells, "2027-01-01", (6,)) == {6: D("2026-07-05")}


def test_each_milestone_once_whichever_chain_reaches_it():
    spells = [("2025-01-01", "2025-12-31"), ("2026-03-01", None)]
    # The first chain ends a day before its 12 months; the second reaches 12 months on its own.
    assert reached(spells, "2027-06-01", (6, 12)) == {6: D("2025-07-01"), 12: D("2027-03-01")}


def test_amounts():
    assert capped(95000, 80000) == 80000 and capped(60000, 80000) == 60000
    assert training_amount(3, 5000, 25000, 0) == 15000
    assert training_amount(3, 5000, 25000, 15000) == 10000
    assert training_amount(3, 5000, 25000, 25000) == 0


@st.composite
def spell_lists(draw):
    day = D("2025-01-01") + timedelta(days=draw(st.integers(0, 400)))
    spells = []
    for _ in range(draw(st.integers(1, 5))):
        day += timedelta(days=draw(st.integers(-40, 60)))
        length = draw(st.one_of(st.none(), st.integers(0, 400)))
        spells.append(Spell(day, None if length is None else day + timedelta(days=length)))
    return spells


def employed_days_until(spells, day):
    return sum(1 for k in range(2000) if (d := D("2024-01-01") + timedelta(days=k)) <= day
               and any(s.start <= d and (s.end is None or d <= s.end) for s in spells))


@settings(max_examples=300, deadline=None)
@given(spell_lists(), st.integers(0, 60))
def test_a_milestone_date_is_a_day_of_employment_in_its_chain(spells, gap):
    for chain in chains(spells, gap):
        for months in (3, 6, 12):
            day = milestone_date(chain, months)
            if day is not None:
                assert any(s.start <= day and (s.end is None or day <= s.end) for s in chain)
                assert day >= add_months(chain[0].start, months)
