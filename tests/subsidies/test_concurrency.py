"""Under concurrent requests to a live gunicorn server with several workers on PostgreSQL, no
claim is created twice, approved twice or paid twice, and two scans at once create each
milestone once. (Skipped on SQLite, which serialises every write anyway.)"""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.flow import PP
from tests.servers import at_once
from tests.subsidies.test_claims import PDF, travelled

BIN = Path(sys.executable).parent

def test_twenty_at_once_claim_approve_batch_and_pay_once(gunicorn, api, factory):
    url, _env = gunicorn
    flow, ids, dispatch = travelled(api, factory)
    staff, checker = api("receiving_staff", "330825"), api("finance_approver", "330825")
    auth = lambda client: {"Authorization": f"Bearer {client.token}"}  # noqa: E731

    def file():
        return requests.post(url + f"{PP}/claims", headers=auth(staff), timeout=60, files={"receipts": ("t.pdf", io.BytesIO(PDF))},
                             data={"kind": "transport", "seeker_id": ids[0], "amount_fen": 60000, "dispatch_id": dispatch["id"],
                                   "travel_date": "2026-03-28"})
    filed = at_once(20, file)
    assert sorted(r.status_code for r in filed) == [201] + [409] * 19
    claim_id = next(r.json()["id"] for r in filed if r.status_code == 201)
    assert len(staff.get(f"{PP}/claims")[1]["items"]) == 1

    approved = at_once(20, lambda: requests.post(url + f"{PP}/claims/{claim_id}/approve", headers=auth(checker), timeout=60))
    assert sorted(r.status_code for r in approved) == [200] + [409] * 19

    batches = at_once(20, lambda: requests.post(url + f"{PP}/payment-batches", headers=auth(checker), timeout=60,
                                                json={"claim_ids": [claim_id]}))
    codes = sorted(r.status_code for r in batches)
    assert codes.count(201) == 1 and set(codes) <= {201, 409, 422}
    batch_id = next(r.json()["id"] for r in batches if r.status_code == 201)
    releaser = api("finance_approver", "330825")            # not the one who prepared the batch
    paid = at_once(20, lambda: requests.post(url + f"{PP}/payment-batches/{batch_id}/paid", headers=auth(releaser),
                                             timeout=60, json={"reference": "BANK-1"}))
    assert sorted(r.status_code for r in paid) == [200] + [409] * 19
    assert checker.get(f"{PP}/claims/{claim_id}")[1]["status"] == "paid"


def test_two_scans_at_once_create_each_milestone_once(gunicorn, api, factory):
    _url, env = gunicorn
    flow, ids, dispatch = travelled(api, factory)
    employer_id = flow.r.get("/api/v1/employers")[1]["items"][0]["id"]
    for seeker_id in ids:
        assert flow.r.put(f"{PP}/employment/{seeker_id}", {"spells": [
            {"employer_id": employer_id, "start_date": "2025-01-01", "end_date": None}]})[0] == 200
    scans = [subprocess.Popen([str(BIN / "exchange"), "retention-scan", "--as-of", "2026-03-01"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in scans]
    assert all(p.returncode == 0 for p in scans), outputs
    claims = flow.r.get(f"{PP}/claims?kind=retention")[1]["items"]
    assert sorted((c["seeker_id"], c["milestone_months"]) for c in claims) == sorted((s, m) for s in ids for m in (6, 12))


def test_twenty_scans_past_the_lease_store_each_programme_claim_once(make_app, database_url, monkeypatch):
    """The lease keeps scans apart; without it, twenty at once on PostgreSQL still store each claim
    of each programme once: the unique key over programme, payee, person and milestone or month
    refuses the rest, and each losing scan reports nothing created."""
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrency is tested on PostgreSQL (set EXCHANGE_TEST_DATABASE_URL)")
    from datetime import date, datetime, timezone

    from sqlalchemy import func, select

    from exchange.core import lease
    from exchange.core.context import current_context
    from exchange.demo import make_uscc
    from exchange.employers.models import Employer
    from exchange.employment.models import EmploymentSpell
    from exchange.extensions import db
    from exchange.registry.models import Seeker
    from exchange.subsidies.models import Claim
    from exchange.subsidies.retention import scan

    app = make_app()
    made = datetime(2025, 1, 1, tzinfo=timezone.utc)
    with app.app_context():
        workshop = Employer(region="610926", name="社区工厂", uscc=make_uscc("610926", 7), kind="workshop",
                            status="approved", created_at=made)
        post = Employer(region="610926", name="老县镇公益性岗位", uscc=make_uscc("610926", 8), kind="public_post",
                        status="approved", created_at=made)
        people = [Seeker(region="610926", name=f"人{k}", gender="F", education="junior", work_type="long_term",
                         household_status="registered_poor", national_id_hash=f"race{k}", birth_date=date(1990, 1, 1),
                         created_at=made) for k in range(10)]
        db.session.add_all([workshop, post, *people])
        db.session.flush()
        db.session.add_all([EmploymentSpell(pairing_id="pingli-wujin", region="610926", seeker_id=p.id,
                                            employer_id=(workshop if k % 2 else post).id, start_date=date(2025, 1, 1),
                                            created_at=made) for k, p in enumerate(people)])
        db.session.commit()
    monkeypatch.setattr(lease, "acquire", lambda *args, **kwargs: True)

    def one():
        with app.app_context():
            ctx = current_context()
            return scan(ctx, ctx.pairings.get("pingli-wujin"), date(2025, 12, 31))
    summaries = at_once(20, one)
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Claim))
        by_kind = dict(db.session.execute(select(Claim.kind, func.count()).group_by(Claim.kind)).all())
    assert by_kind == {"community_factory_hiring": 5, "public_post_monthly": 5 * 12}
    assert sum(s["total_created"] for s in summaries) == stored
