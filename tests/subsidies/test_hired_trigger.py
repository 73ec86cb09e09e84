"""The `hired` trigger (spec/programmes.md): a recruitment result `hired` whose match meets the
programme's conditions gives one pending claim to the payee, at once, on the payer's instance."""
from __future__ import annotations

import pytest

from tests.factories import RECEIVING
from tests.flow import PP, Flow, three_people
from tests.servers import pairing_dir_with

HIRE_REWARD = '''
[[programmes]]
key = "hire_reward"
name = "吸纳奖补"
payee = "employer"
trigger = "hired"
amount_yuan = 500
[programmes.when]
household_status = ["registered_poor"]

[[programmes]]
key = "hire_bonus"
name = "务工奖励"
trigger = "hired"
amount_yuan = 200
[programmes.when]
work_type = ["seasonal"]
'''


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(EXCHANGE_PARTNER_CONFIG_DIR=str(pairing_dir_with(tmp_path / "config", HIRE_REWARD)))


def test_a_hire_of_a_registered_poor_worker_pays_the_employer_once(api, factory):
    flow = Flow(api, factory)
    ids = flow.seekers(*three_people())            # registered poor, monitored, other
    posting = flow.posting(headcount=10)
    _list, supply = flow.round1(ids, [posting["id"]])
    batch = flow.round2(supply["id"], [(s, posting["id"]) for s in ids])
    finance = api("finance_approver", RECEIVING)
    rewards = finance.get(f"{PP}/claims?kind=hire_reward")[1]["items"]
    assert [(c["seeker_id"], c["amount_fen"], c["payee"]["type"], c["payee"]["id"], c["programme_name"]) for c in rewards] == [
        (ids[0], 50000, "employer", posting["employer_id"], "吸纳奖补")]
    assert finance.get(f"{PP}/claims?kind=hire_bonus")[1]["items"] == []          # a long-term posting
    # Turned down, then hired again: still one claim for the hire.
    match = next(m for m in batch["matches"] if m["seeker_id"] == ids[0])
    for outcome in ("rejected", "hired"):
        status, body = flow.r.post(f"{PP}/batches/{batch['id']}/results", {"results": [
            {"match_id": match["id"], "outcome": outcome, "reason": "复核", "start_date": "2026-03-31", "monthly_wage_fen": 450000}]})
        assert status == 200, body
    assert len(finance.get(f"{PP}/claims?kind=hire_reward")[1]["items"]) == 1
    # The payer approves it like any claim; it reads back with its employer.
    status, approved = finance.post(f"{PP}/claims/{rewards[0]['id']}/approve")
    assert status == 200 and approved["status"] == "approved" and approved["payee"]["name"]


def test_an_employers_claim_never_goes_into_a_bank_file_with_the_workers_account(api, factory):
    flow = Flow(api, factory)
    ids = flow.seekers(*three_people()[:1])
    posting = flow.posting()
    _list, supply = flow.round1(ids, [posting["id"]])
    flow.round2(supply["id"], [(ids[0], posting["id"])])
    finance = api("finance_approver", RECEIVING)
    [reward] = finance.get(f"{PP}/claims?kind=hire_reward")[1]["items"]
    assert finance.post(f"{PP}/claims/{reward['id']}/approve")[0] == 200
    status, body = finance.post(f"{PP}/payment-batches", {"claim_ids": [reward["id"]]})
    assert status == 422 and body["error"]["details"][0]["code"] == "payee_not_payable"
    assert finance.get(f"{PP}/payment-batches")[1]["items"] == []
