"""Transport claims, decisions (maker-checker), receipts, and the claim flow across instances."""
from __future__ import annotations

import io
import os

from sqlalchemy import select

from tests.factories import RECEIVING, SENDING
from tests.flow import PP, Flow, three_people

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def travelled(api, factory, arrive=(True, True), bank_names=None, names=None):
    """Two seekers who travelled in one dispatch (arrivals as given) and a third who did not;
    with `bank_names`, the travellers have bank accounts at those banks (None: bank not recorded);
    with `names`, the people are called so."""
    flow = Flow(api, factory)
    people = three_people()
    for person, name in zip(people, names or ()):
        person["name"] = name
    for person, bank in zip(people, bank_names or ()):
        person.update(bank_account="6228480000000000" + str(len(bank or "x")).zfill(3), bank_name=bank)
    ids = flow.seekers(*people)
    posting = flow.posting()
    _l, supply = flow.round1(ids, [posting["id"]])
    batch = flow.round2(supply["id"], [(s, posting["id"]) for s in ids])
    dispatch = flow.round3(batch, [m["id"] for m in batch["matches"][:2]])
    arrivals = [{"match_id": t["match_id"], "arrived": a} for t, a in zip(dispatch["travellers"], arrive) if a is not None]
    if arrivals:
        assert flow.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", {"arrivals": arrivals})[0] == 200
    return flow, ids, dispatch


def claim(client, seeker_id, dispatch_id, amount=95000, files=(("ticket.pdf", PDF),), kind="transport",
          travel_date="2026-03-28", lang=None):
    data = {"kind": kind, "seeker_id": str(seeker_id), "amount_fen": str(amount), "dispatch_id": str(dispatch_id)}
    if travel_date:
        data["travel_date"] = travel_date
    form = dict(data)
    if files:
        form["receipts"] = [(io.BytesIO(content), name) for name, content in files]
    r = client.client.post(f"{PP}/claims" + (f"?lang={lang}" if lang else ""), data=form,
                           headers={"Authorization": f"Bearer {client.token}"}, content_type="multipart/form-data")
    return r.status_code, r.get_json()


def test_a_claim_above_the_cap_is_accepted_and_capped_with_the_reason(api, factory):
    flow, ids, dispatch = travelled(api, factory)
    status, body = claim(flow.r, ids[0], dispatch["id"], 95000)
    assert status == 201, body
    assert (body["amount_fen"], body["approved_amount_fen"], body["status"], body["kind"]) == (95000, 80000, "pending", "transport")
    assert "800" in body["reason"] and body["created_by"] and body["receipts"][0]["content_type"] == "application/pdf"
    status, under = claim(flow.s, ids[1], dispatch["id"], 60000, files=(("a.png", PNG), ("b.pdf", PDF)))
    assert status == 201 and under["approved_amount_fen"] == 60000 and under["reason"] is None and len(under["receipts"]) == 2


def test_the_cap_reason_is_kept_in_chinese_whoever_files_the_claim(api, factory):
    flow, ids, dispatch = travelled(api, factory)
    status, body = claim(flow.r, ids[0], dispatch["id"], 95000, lang="en")
    assert status == 201 and "上限" in body["reason"] and "cap" not in body["reason"]


def test_claims_are_found_by_the_month_they_were_filed(api, factory):
    flow, ids, dispatch = travelled(api, factory)
    filed = claim(flow.r, ids[0], dispatch["id"])[1]
    this_month = filed["created_at"][:7]
    assert [c["id"] for c in flow.r.get(f"{PP}/claims?month={this_month}")[1]["items"]] == [filed["id"]]
    assert flow.r.get(f"{PP}/claims?month=2019-01")[1]["items"] == []
    assert flow.r.get(f"{PP}/claims?year={this_month[:4]}")[1]["items"][0]["id"] == filed["id"]
    status, body = flow.r.get(f"{PP}/claims?month=2026-13")
    assert status == 422 and body["error"]["details"][0]["field"] == "month"


def test_refusals_with_the_rules_codes(api, factory):
    flow, ids, dispatch = travelled(api, factory, arrive=(True, None))
    assert claim(flow.r, ids[0], dispatch["id"])[0] == 201
    status, body = claim(flow.r, ids[0], dispatch["id"], 50000)
    assert status == 409 and body["error"]["code"] == "duplicate_claim"
    for seeker, why in ((ids[2], "did not travel"), (ids[1], "not confirmed")):
        status, body = claim(flow.r, seeker, dispatch["id"])
        assert status == 422 and body["error"]["code"] == "not_eligible", body
    cases = [
        (dict(files=()), "receipts"),
        (dict(files=(("a.gif", b"GIF89a not a receipt"),)), "receipts[0]"),
        (dict(files=(("ticket.pdf", b"MZ\x90\x00 an exe named pdf"),)), "receipts[0]"),
        (dict(files=(("big.pdf", PDF + b"0" * (5 * 1024 * 1024)),)), "receipts[0]"),
        (dict(amount=0), "amount_fen"),
        (dict(amount=-5), "amount_fen"),
        (dict(kind="retention"), "kind"),
        (dict(travel_date=None), "travel_date"),
    ]
    for change, field in cases:
        status, body = claim(flow.r, ids[1], dispatch["id"], **change)
        assert status == 422 and body["error"]["code"] == "invalid", (change, body)
        assert field in [d["field"] for d in body["error"]["details"]], (change, body)
    assert api("admin", RECEIVING).post(f"{PP}/claims", {})[0] in (400, 403)


def test_maker_checker_and_who_decides(api, factory, app):
    flow, ids, dispatch = travelled(api, factory)
    finance = api("finance_approver", RECEIVING)
    status, mine = claim(finance, ids[0], dispatch["id"], 60000)
    assert status == 201
    status, body = finance.post(f"{PP}/claims/{mine['id']}/approve")
    assert status == 403 and body["error"]["code"] == "same_user"
    assert api("finance_approver", SENDING).post(f"{PP}/claims/{mine['id']}/approve")[0] == 403   # not the payer
    assert flow.r.post(f"{PP}/claims/{mine['id']}/approve")[0] == 403                            # not a finance approver
    second = api("finance_approver", RECEIVING)
    status, approved = second.post(f"{PP}/claims/{mine['id']}/approve")
    assert status == 200 and approved["status"] == "approved" and approved["decided_by"]
    status, body = second.post(f"{PP}/claims/{mine['id']}/reject", {"reason": "late"})
    assert status == 409 and body["error"]["code"] == "not_pending"
    # The decision reached the sending side's view of its labourer's claims.
    seen = flow.s.get(f"{PP}/claims?seeker_id={ids[0]}")[1]["items"]
    assert [c["status"] for c in seen] == ["approved"]


def test_a_rejected_transport_claim_can_be_filed_again(api, factory):
    flow, ids, dispatch = travelled(api, factory)
    finance = api("finance_approver", RECEIVING)
    first = claim(flow.r, ids[0], dispatch["id"])[1]
    status, body = finance.post(f"{PP}/claims/{first['id']}/reject", {})
    assert status == 422 and body["error"]["details"][0]["field"] == "reason"
    status, rejected = finance.post(f"{PP}/claims/{first['id']}/reject", {"reason": "票据模糊，请重新上传"})
    assert status == 200 and rejected["reason"] == "票据模糊，请重新上传"
    assert claim(flow.r, ids[0], dispatch["id"], 70000)[0] == 201


def test_receipts_are_stored_by_content_and_served_only_through_their_claim(api, factory, app):
    flow, ids, dispatch = travelled(api, factory)
    body = claim(flow.r, ids[0], dispatch["id"])[1]
    receipt = body["receipts"][0]
    from exchange.core.context import current_context
    with app.app_context():
        stored = current_context().settings.instance_dir / "receipts" / receipt["sha256"][:2] / receipt["sha256"]
    assert stored.read_bytes() == PDF and not os.access(stored, os.X_OK)
    url = f"{PP}/claims/{body['id']}/receipts/{receipt['id']}"
    r = flow.s.client.get(url, headers={"Authorization": f"Bearer {flow.s.token}"})
    assert r.status_code == 200 and r.data == PDF and r.headers["X-Content-Type-Options"] == "nosniff"
    assert flow.s.client.get(url).status_code == 401
    assert api("receiving_staff", "440309").get(url)[0] == 403
    assert app.test_client().get(f"/instance/receipts/{receipt['sha256']}").status_code == 404


def test_twenty_identical_claims_make_one(api, factory):
    """The unique key, not a check in Python, keeps the second claim out (also under load: see
    test_concurrency for twenty at once against gunicorn on PostgreSQL)."""
    flow, ids, dispatch = travelled(api, factory)
    statuses = [claim(flow.r, ids[0], dispatch["id"])[0] for _ in range(20)]
    assert statuses.count(201) == 1 and statuses.count(409) == 19
    from exchange.extensions import db
    from exchange.subsidies.models import Claim
    with flow.r.client.application.app_context():
        assert len(db.session.scalars(select(Claim.id)).all()) == 1
