"""Round 1: what a seeker list and a supply list may hold, and who sees them when."""
from __future__ import annotations

from tests.flow import PP, Flow, three_people


def test_unvetted_employers_never_reach_the_supply_list(api, factory):
    flow = Flow(api, factory)
    seeker_ids = flow.seekers(*three_people()[:1])
    posting = flow.posting()
    status, seeker_list = flow.s.post(f"{PP}/seeker-lists", {"title": "t", "seeker_ids": seeker_ids})
    flow.s.post(f"{PP}/seeker-lists/{seeker_list['id']}/publish")
    flow.r.post(f"/api/v1/employers/{posting['employer_id']}/vet", {"decision": "rejected", "reason": "欠薪记录"})
    status, body = flow.r.post(f"{PP}/supply-lists", {"in_reply_to": seeker_list["id"], "posting_ids": [posting["id"]]})
    assert status == 422 and body["error"]["details"][0]["code"] == "employer_not_approved"


def test_the_partner_does_not_see_drafts(api, factory):
    flow = Flow(api, factory)
    seeker_ids = flow.seekers(*three_people()[:1])
    status, seeker_list = flow.s.post(f"{PP}/seeker-lists", {"title": "草稿", "seeker_ids": seeker_ids})
    assert flow.r.get(f"{PP}/seeker-lists")[1]["items"] == []
    assert flow.r.get(f"{PP}/seeker-lists/{seeker_list['id']}")[0] == 404
    assert api("sending_staff", "451228").get(f"{PP}/seeker-lists")[0] == 403
