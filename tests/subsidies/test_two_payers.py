"""A pairing with two payers, over two instances: the receiving county pays 龙游's four subsidies,
the sending county its own programmes — a reward per hire for the registered poor, and one paid to
the agency that brought a person. Each claim is created on its payer's instance, reaches the
partner as subsidy.updated from the region that pays it, and both sides hold the same claims."""
from __future__ import annotations

from tests.factories import Api, Factory, posting_body
from tests.flow import PP, three_people
from tests.servers import two_instances

PROGRAMMES = '''
[[programmes]]
key = "going_out_reward"
name = "外出务工一次性奖励"
payer = "sending"
trigger = "hired"
amount_yuan = 300
[programmes.when]
household_status = ["registered_poor", "monitored"]
outside_province = true

[[programmes]]
key = "agency_referral"
name = "职业介绍补贴"
payer = "sending"
payee = "agency"
trigger = "hired"
amount_yuan = 200
'''


def clients(server, role, region):
    _user, token = Factory(server.app).user(role, region)
    return Api(server.app.test_client(), token)


def sync(api):
    status, body = api.post(f"{PP}/sync")
    assert status == 200, body
    return body


def by_ref(api, path, ref):
    return api.get(f"{path}?ref={ref}")[1]["items"][0]


def test_the_sending_county_pays_its_hire_programmes_and_the_partner_holds_the_same_claims(tmp_path, database_url):
    with two_instances(tmp_path, database_url, f"sqlite:///{tmp_path / 'r.db'}", programmes=PROGRAMMES) as (s_server, r_server):
        s, r = clients(s_server, "sending_staff", "510524"), clients(r_server, "receiving_staff", "330825")
        ids = [s.post("/api/v1/seekers", body)[1]["id"] for body in three_people()]
        status, agency = s.post("/api/v1/agencies", {"name": "叙永县人力资源服务有限公司", "uscc": _uscc()})
        assert status == 201, agency
        assert s.post(f"/api/v1/agencies/{agency['id']}/vet", {"decision": "approved"})[0] == 200
        employer = Factory(r_server.app).approved_employer(r)
        posting = r.post("/api/v1/postings", posting_body(employer["id"]))[1]
        seeker_list = s.post(f"{PP}/seeker-lists", {"title": "求职清单", "seeker_ids": ids})[1]
        s.post(f"{PP}/seeker-lists/{seeker_list['id']}/publish")
        sync(r)
        on_r = by_ref(r, f"{PP}/seeker-lists", seeker_list["ref"])
        supply = r.post(f"{PP}/supply-lists", {"in_reply_to": on_r["id"], "posting_ids": [posting["id"]]})[1]
        r.post(f"{PP}/supply-lists/{supply['id']}/publish")
        sync(s)
        supply_on_s = by_ref(s, f"{PP}/supply-lists", supply["ref"])
        posting_on_s = supply_on_s["posting_ids"][0]
        status, batch = s.post(f"{PP}/batches", {"supply_list_id": supply_on_s["id"], "matches": [
            {"seeker_id": ids[0], "posting_id": posting_on_s, "agency_id": agency["id"]},     # 龙志明, brought by the agency
            {"seeker_id": ids[1], "posting_id": posting_on_s},
            {"seeker_id": ids[2], "posting_id": posting_on_s}]})
        assert status == 201, batch
        batch = s.post(f"{PP}/batches/{batch['id']}/propose")[1]
        sync(r)
        batch_on_r = by_ref(r, f"{PP}/batches", batch["ref"])
        assert [m["agency_id"] is not None for m in batch_on_r["matches"]] == [True, False, False]
        r.post(f"{PP}/batches/{batch_on_r['id']}/results", {"results": [
            {"match_id": m["id"], "outcome": "hired", "start_date": "2026-03-31", "monthly_wage_fen": 450000}
            for m in batch_on_r["matches"]]})
        assert r.get(f"{PP}/claims")[1]["items"] == []          # the receiving county pays none of these
        sync(s)                                                   # the sending instance learns of the hires
        finance = clients(s_server, "finance_approver", "510524")
        on_s = sorted((c["kind"], c["seeker_id"], c["payee"]["type"], c["amount_fen"])
                      for c in finance.get(f"{PP}/claims")[1]["items"])
        assert on_s == sorted([("agency_referral", ids[0], "agency", 20000), ("going_out_reward", ids[0], "worker", 30000),
                               ("going_out_reward", ids[1], "worker", 30000)])   # 潘老四 is of a general household
        sync(r)
        on_r = r.get(f"{PP}/claims")[1]["items"]
        assert sorted((c["kind"], c["amount_fen"], c["payee"]["type"]) for c in on_r) == sorted(
            (kind, amount, payee) for kind, _seeker, payee, amount in on_s)
        # Only the sending county's finance decides them; the receiving county's may not.
        claim = next(c for c in finance.get(f"{PP}/claims")[1]["items"] if c["kind"] == "going_out_reward")
        approver = clients(s_server, "finance_approver", "510524")
        assert approver.post(f"{PP}/claims/{claim['id']}/approve")[0] == 200
        sync(r)
        assert {c["status"] for c in r.get(f"{PP}/claims")[1]["items"] if c["ref"] == claim["ref"]} == {"approved"}
        report = clients(s_server, "admin", "510524").get(f"{PP}/reconciliation")[1]
        assert report["in_agreement"], report


def _uscc():
    from exchange.demo import make_uscc
    return make_uscc("510524", 77)
