"""The demo: deterministic, realistic, valid, and safe to load twice."""
from __future__ import annotations

from sqlalchemy import func, select
from stdnum.cn import ric, uscc

from exchange.accounts.models import User
from exchange.employers.models import Employer, Posting
from exchange.extensions import db
from exchange.registry.models import Seeker


def test_the_demo_loads_valid_data_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "xuyong.staff" in first.output and "staff-of-xuyong-2026" in first.output
    with app.app_context():
        counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Seeker, Employer, Posting)]
        assert counts[1] >= 300 and counts[2] >= 12 and counts[3] >= 20
        assert {u.role for u in db.session.scalars(select(User))} == {
            "sending_staff", "receiving_staff", "liaison_officer", "finance_approver", "admin", "auditor"}
        assert all(uscc.is_valid(e.uscc) for e in db.session.scalars(select(Employer)))
        statuses = set(db.session.scalars(select(Employer.status)))
        assert {"approved", "pending"} <= statuses
        assert all(p.employer.status == "approved" for p in db.session.scalars(select(Posting)))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "0 users, 0 seekers, 0 employers, 0 postings added" in second.output
    with app.app_context():
        assert [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Seeker, Employer, Posting)] == counts


def test_demo_identities_are_valid_and_born_in_the_sending_county(app):
    app.test_cli_runner().invoke(args=["demo"])
    from exchange.core.context import current_context
    from exchange.registry.service import AAD
    with app.app_context():
        cipher = current_context().cipher
        seekers = db.session.scalars(select(Seeker).where(Seeker.region == "510524")).all()
        numbers = [cipher.decrypt(s.national_id_enc, AAD["national_id"]) for s in seekers]
        assert all(n.startswith("510524") and ric.calc_check_digit(n) == n[-1] for n in numbers)
        assert len(set(numbers)) == len(numbers)
        assert all(len(s.name) in (2, 3) for s in seekers)
