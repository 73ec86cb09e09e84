"""The retention scan in SQL, held to the pure rules (rules.md's examples, month ends, leap
years, gaps at the limit, random spells), idempotent and safe when run twice at once."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from exchange.core.context import current_context
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.registry.models import Seeker
from exchange.subsidies.models import Claim
from exchange.subsidies.retention import scan
from exchange.subsidies.rules import Spell, milestones_reached
from tests.factories import RECEIVING, SENDING

D = date.fromisoformat
PAIRING = "xuyong-longyou"
MADE = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)   # when the test's rows were made


@pytest.fixture
def world(ctx):
    """Seekers and an employer straight in the database: the scan reads spells, nothing else."""
    from exchange.demo import make_uscc
    from exchange.employers.models import Employer
    employer = Employer(region=RECEIVING, name="龙游锦程电子科技有限公司", uscc=make_uscc(RECEIVING, 5), status="approved",
                        created_at=MADE)
    db.session.add(employer)
    seekers = [Seeker(region=SENDING, name=f"测试{k}", gender="M", education="junior", work_type="long_term",
                      household_status="other", national_id_hash=f"h{k}", birth_date=D("1990-01-01"), created_at=MADE)
               for k in range(40)]
    db.session.add_all(seekers)
    db.session.commit()
    return employer.id, [s.id for s in seekers]


def put(seeker_id, employer_id, spells):
    db.session.execute(delete(EmploymentSpell).where(EmploymentSpell.seeker_id == seeker_id))
    db.session.add_all([EmploymentSpell(pairing_id=PAIRING, region=RECEIVING, seeker_id=seeker_id, employer_id=employer_id,
                                        start_date=D(a), end_date=D(b) if b else None, created_at=MADE)
                        for a, b in spells])
    db.session.commit()


def claims_of(seeker_id):
    return {c.milestone_months: (c.milestone_date, c.amount_fen) for c in db.session.scalars(
        select(Claim).where(Claim.seeker_id == seeker_id, Claim.kind == "retention"))}


def run(as_of):
    rt = current_context()
    return scan(rt, rt.pairings.get(PAIRING), D(as_of))


EXAMPLES = [
    ([("2026-03-01", None)], "2026-08-31", {}),
    ([("2026-03-01", None)], "2026-09-01", {6: "2026-09-01"}),
    ([("2026-03-01", None)], "2027-03-01", {6: "2026-09-01", 12: "2027-03-01"}),
    ([("2026-01-15", "2026-03-31"), ("2026-04-20", None)], "2026-12-31", {6: "2026-08-03"}),
    ([("2026-01-15", "2026-03-31"), ("2026-05-10", None)], "2026-11-10", {6: "2026-11-10"}),
    ([("2026-01-15", "2026-03-31"), ("2026-05-10", None)], "2026-11-09", {}),
    ([("2026-08-31", None)], "2027-02-28", {6: "2027-02-28"}),
    ([("2027-08-31", None)], "2028-02-29", {6: "2028-02-29"}),
    ([("2026-03-01", "2026-08-15")], "2030-01-01", {}),
    ([("2026-01-01", "2026-03-31"), ("2026-05-01", None)], "2026-12-31", {6: "2026-07-31"}),
    ([("2026-01-01", "2026-03-31"), ("2026-05-02", None)], "2026-12-31", {6: "2026-11-02"}),
    ([("2026-03-01", "2026-09-01")], "2027-01-01", {6: "2026-09-01"}),
    ([("2026-01-01", "2026-06-30"), ("2026-02-01", "2026-04-30"), ("2026-07-05", None)], "2027-01-01", {6: "2026-07-05"}),
]


@pytest.mark.parametrize("spells, as_of, expected", EXAMPLES)
def test_the_sql_scan_finds_what_the_rules_say(world, spells, as_of, expected):
    employer, seekers = world
    put(seekers[0], employer, spells)
    run(as_of)
    assert claims_of(seekers[0]) == {n: (D(day), 50000) for n, day in expected.items()}


def test_the_scan_is_idempotent_and_creates_pending_claims_with_events(world):
    employer, seekers = world
    put(seekers[0], employer, [("2026-03-01", None)])
    first = run("2027-03-01")
    assert first["created"] == {"6": 1, "12": 1} and first["total_created"] == 2
    assert run("2027-03-01")["total_created"] == 0
    claims = db.session.scalars(select(Claim)).all()
    assert {(c.status, c.approved_amount_fen, c.region) for c in claims} == {("pending", 50000, RECEIVING)}
    from exchange.protocol.models import OutboxEvent
    events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.type == "subsidy.updated")).all()
    assert sorted(e.data["milestone_months"] for e in events) == [6, 12] and [e.seq for e in events] == [1, 2]


def test_a_scan_holding_the_lease_keeps_a_second_one_out(world):
    from exchange.core import lease
    employer, seekers = world
    put(seekers[0], employer, [("2026-03-01", None)])
    now = current_context().clock.wall()
    assert lease.acquire(f"retention-scan:{PAIRING}", "another-process", timedelta(minutes=5), now)
    skipped = run("2027-03-01")
    assert skipped["skipped"] == "another scan of this pairing is running" and skipped["total_created"] == 0
    lease.release(f"retention-scan:{PAIRING}", "another-process", now)
    assert run("2027-03-01")["total_created"] == 2


def test_changing_the_pairing_file_changes_what_is_paid(make_app, tmp_path):
    from tests.conftest import PROJECT
    folder = tmp_path / "config"
    folder.mkdir()
    text = (PROJECT / "partner_configs" / "xuyong-longyou.toml").read_text(encoding="utf-8")
    (folder / "xuyong-longyou.toml").write_text(text.replace("{ months = 6,  amount_yuan = 500 }",
                                                             "{ months = 3,  amount_yuan = 650 }"), encoding="utf-8")
    app = make_app(EXCHANGE_PARTNER_CONFIG_DIR=str(folder))
    with app.app_context():
        from exchange.demo import make_uscc
        from exchange.employers.models import Employer
        employer = Employer(region=RECEIVING, name="E", uscc=make_uscc(RECEIVING, 9), status="approved", created_at=MADE)
        seeker = Seeker(region=SENDING, name="王", gender="M", education="junior", work_type="long_term", household_status="other",
                        created_at=MADE)
        db.session.add_all([employer, seeker])
        db.session.commit()
        put(seeker.id, employer.id, [("2026-03-01", None)])
        run("2026-06-01")
        assert claims_of(seeker.id) == {3: (D("2026-06-01"), 65000)}


def test_the_command_prints_a_json_summary(world, app):
    employer, seekers = world
    put(seekers[0], employer, [("2026-03-01", None)])
    result = app.test_cli_runner().invoke(args=["retention-scan", "--as-of", "2026-09-01"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    mine = next(p for p in summary["pairings"] if p["pairing"] == PAIRING)
    assert mine["total_created"] == 1 and summary["as_of"] == "2026-09-01"
    assert next(p for p in summary["pairings"] if p["pairing"] == "duan-longhua")["total_created"] == 0
    bad = app.test_cli_runner().invoke(args=["retention-scan", "--as-of", "1.9.2026"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


@st.composite
def histories(draw):
    day = D("2025-01-01") + timedelta(days=draw(st.integers(0, 200)))
    spells = []
    for _ in range(draw(st.integers(1, 4))):
        day += timedelta(days=draw(st.integers(-30, 70)))
        length = draw(st.one_of(st.none(), st.integers(0, 300)))
        spells.append((day, None if length is None else day + timedelta(days=length)))
    return spells


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(people=st.lists(histories(), min_size=1, max_size=12), as_of=st.integers(0, 900))
def test_the_sql_scan_agrees_with_the_rules_on_random_histories(world, people, as_of):
    employer, seekers = world
    day = D("2025-06-01") + timedelta(days=as_of)
    db.session.execute(delete(Claim))
    db.session.execute(delete(EmploymentSpell))
    db.session.commit()
    for seeker_id, spells in zip(seekers, people):
        db.session.add_all([EmploymentSpell(pairing_id=PAIRING, region=RECEIVING, seeker_id=seeker_id, employer_id=employer,
                                            start_date=a, end_date=b, created_at=MADE) for a, b in spells])
    db.session.commit()
    scan(current_context(), current_context().pairings.get(PAIRING), day)
    for seeker_id, spells in zip(seekers, people):
        expected = milestones_reached([Spell(a, b) for a, b in spells], 30, [6, 12], day)
        assert {n: d for n, (d, _amount) in claims_of(seeker_id).items()} == expected


def test_a_scan_that_loses_a_race_reports_nothing_created(world, monkeypatch):
    """The unique key refuses a claim another process stored first: the scan rolls back and its
    summary says nothing was created, not a partial count."""
    from exchange.subsidies import retention
    employer, seekers = world
    put(seekers[0], employer, [("2026-03-01", None)])
    original, calls = retention.insert_rows, {"n": 0}

    def racing(table, rows):
        calls["n"] += 1
        original(table, rows + (rows[-1:] if calls["n"] == 1 else []))   # the 12-month claim exists already
    monkeypatch.setattr(retention, "insert_rows", racing)
    summary = run("2027-03-01")
    assert summary["created"] == {} and summary["total_created"] == 0 and "concurrent" in summary["skipped"]
    monkeypatch.undo()
    assert run("2027-03-01")["total_created"] == 2        # nothing was half-stored
