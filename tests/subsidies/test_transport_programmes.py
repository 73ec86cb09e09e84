"""A pairing file's own `transport` programme, beside the shorthand 交通补贴: filed by hand the
same way, capped by its own cap, paid by its own payer, on its own conditions; one claim per
programme, person and journey."""
from __future__ import annotations

import pytest

from tests.flow import PP
from tests.servers import pairing_dir_with
from tests.subsidies.test_claims import claim, travelled

PROGRAMMES = '''
[[programmes]]
key = "poor_fare"
name = "脱贫人口外出交通补助"
payer = "sending"
trigger = "transport"
cap_yuan = 300
[programmes.when]
household_status = ["registered_poor"]
organised_dispatch = true
outside_province = true
'''


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(EXCHANGE_PARTNER_CONFIG_DIR=str(pairing_dir_with(tmp_path / "config", PROGRAMMES)))


def test_a_files_own_fare_programme_is_filed_capped_and_paid_by_its_payer(api, factory):
    flow, ids, dispatch = travelled(api, factory)          # 龙志明 (registered poor) and 吴秀英 (monitored) arrived
    status, body = claim(flow.s, ids[0], dispatch["id"], 50000, kind="poor_fare")
    assert status == 201, body
    assert (body["kind"], body["programme_name"], body["approved_amount_fen"]) == ("poor_fare", "脱贫人口外出交通补助", 30000)
    assert body["payer_region"] == "510524" and "300" in body["reason"]       # the sending county pays this one
    # The shorthand fare of the same journey is another programme: both may be claimed, each once.
    assert claim(flow.s, ids[0], dispatch["id"], 50000)[0] == 201
    status, again = claim(flow.s, ids[0], dispatch["id"], 40000, kind="poor_fare")
    assert (status, again["error"]["code"]) == (409, "duplicate_claim")
    status, refused = claim(flow.s, ids[1], dispatch["id"], 50000, kind="poor_fare")     # monitored, not registered poor
    assert (status, refused["error"]["code"]) == (422, "not_eligible") and "脱贫人口外出交通补助" in refused["error"]["message"]
    status, refused = claim(flow.s, ids[0], dispatch["id"], 50000, kind="retention")
    assert status == 422 and refused["error"]["details"][0]["field"] == "kind"
    # Only the sending county's finance decides it.
    receiving_finance = api("finance_approver", "330825")
    assert receiving_finance.post(f"{PP}/claims/{body['id']}/approve")[0] == 403
    assert api("finance_approver", "510524").post(f"{PP}/claims/{body['id']}/approve")[0] == 200
