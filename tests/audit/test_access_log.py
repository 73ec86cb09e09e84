"""Each labourer's access record (PIPL): who revealed, exported, printed or disclosed their
identity, when and why — at /api/v1/seekers/{id}/access-log and on the person's page."""
from __future__ import annotations

from tests.clerk import Clerk
from tests.factories import RECEIVING, SENDING, seeker_body
from tests.flow import PP, Flow, three_people
from tests.subsidies.test_payments import approved_claims


def _log(client, seeker_id):
    status, page = client.get(f"/api/v1/seekers/{seeker_id}/access-log")
    assert status == 200, page
    return [(e["kind"], e["action"], e["username"]) for e in page["items"]], page["items"]


def test_a_reveal_and_a_disclosure_to_the_partner_are_in_the_record(api, factory):
    flow = Flow(api, factory, sending=api("sending_staff", SENDING, username="clerk-x"))
    ids = flow.seekers(*three_people())
    posting = flow.posting()
    _list, supply = flow.round1(ids, [posting["id"]])
    flow.s.post(f"/api/v1/seekers/{ids[0]}/reveal", {"reason": "本人来电核对身份证号"})
    flow.round2(supply["id"], [(ids[0], posting["id"])], outcome=None)
    kinds, items = _log(flow.s, ids[0])
    assert kinds == [("revealed", "seeker.revealed", "clerk-x"), ("disclosed", "batch.proposed", "clerk-x")]
    assert "本人来电核对身份证号" in items[0]["why"]
    assert items[1]["recipient"] == RECEIVING and "龙游" in items[1]["why"]
    assert _log(flow.s, ids[2])[0] == []                  # never revealed, never sent anywhere
    # The registering county (and its auditor) reads the whole record; the partner, who holds the
    # disclosed copy, what its own people did with it; a person it was never sent, not at all.
    assert _log(api("auditor", SENDING), ids[0])[0] == kinds
    assert _log(flow.r, ids[0])[0] == [] and _log(api("auditor", RECEIVING), ids[0])[0] == []
    unlisted = flow.s.post("/api/v1/seekers", seeker_body())[1]
    assert flow.r.get(f"/api/v1/seekers/{unlisted['id']}/access-log")[0] == 404


def test_the_manifest_names_every_traveller_and_the_bank_file_every_payee(api, factory):
    flow, finance, made = approved_claims(api, factory)
    batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [c["id"] for c in made]})[1]
    releaser = api("finance_approver", RECEIVING, username="releaser")
    assert releaser.get(f"{PP}/payment-batches/{batch['id']}/export.csv")[0] == 200
    people = [c["seeker_id"] for c in made]
    for seeker_id in people:
        kinds = [k for k, _a, _u in _log(flow.s, seeker_id)[0]]
        assert ("exported", "payment_batch.exported", "releaser") in _log(flow.s, seeker_id)[0]
        assert "disclosed" in kinds
        # the paying county answers for its bank file, and sees nothing of the sending county's handling
        assert _log(releaser, seeker_id)[0] == [("exported", "payment_batch.exported", "releaser")]
    dispatches = flow.s.get(f"{PP}/dispatches")[1]["items"]
    assert flow.s.get(f"{PP}/dispatches/{dispatches[0]['id']}/manifest.pdf")[0] == 200
    printed = [a for k, a, _u in _log(flow.s, people[0])[0] if k == "printed"]
    assert printed == ["dispatch.manifest_printed"]
    traveller = dispatches[0]["travellers"][1]
    assert flow.s.get(f"{PP}/dispatches/{dispatches[0]['id']}/travellers/{traveller['id']}/card.pdf")[0] == 200
    carded = {seeker_id: [a for k, a, _u in _log(flow.s, seeker_id)[0] if k == "printed"] for seeker_id in people}
    assert carded[traveller["seeker_id"]] == ["dispatch.manifest_printed", "dispatch.cards_printed"]
    assert sum(len(v) for v in carded.values()) == 3                       # one card: one person more


def test_a_statement_handed_out_is_in_the_record_and_the_page_shows_it(app, api, factory):
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    staff = api("sending_staff", SENDING)
    seeker = staff.post("/api/v1/seekers", seeker_body())[1]
    assert staff.get(f"{PP}/seekers/{seeker['id']}/statement.xlsx")[0] == 200
    page = clerk.get(f"/seekers/{seeker['id']}").text
    assert "谁查看或交出了此人的身份信息" in page and "补贴明细" in page
    assert [k for k, _a, _u in _log(staff, seeker["id"])[0]] == ["exported"]
