"""A claim says which programme it belongs to and whom it pays (spec/programmes.md): the four
shorthand programmes pay the worker, by name."""
from __future__ import annotations

from tests.factories import RECEIVING
from tests.flow import PP
from tests.subsidies.test_claims import claim, travelled


def test_a_claim_reads_back_with_its_programme_and_payee(api, factory):
    flow, ids, dispatch = travelled(api, factory, names=["龙志明", "吴秀英", "潘老四"])
    status, filed = claim(flow.r, ids[0], dispatch["id"], 95000)
    assert status == 201, filed
    assert (filed["kind"], filed["programme_name"]) == ("transport", "交通补贴")
    assert filed["payee"] == {"type": "worker", "id": ids[0], "name": "龙志明"}
    finance = api("finance_approver", RECEIVING)
    approved = finance.post(f"{PP}/claims/{filed['id']}/approve")[1]
    assert approved["payee"]["name"] == "龙志明" and approved["programme_name"] == "交通补贴"
    listed = finance.get(f"{PP}/claims?kind=transport&payee_type=worker")[1]["items"]
    assert [c["id"] for c in listed] == [filed["id"]] and listed[0]["payee"]["type"] == "worker"
    assert finance.get(f"{PP}/claims?payee_type=employer")[1]["items"] == []
    assert finance.get(f"{PP}/claims?kind=workshop_hiring")[1]["items"] == []      # a programme key this file lacks
    status, body = finance.get(f"{PP}/claims?payee_type=village")
    assert status == 422 and body["error"]["details"][0]["field"] == "payee_type"
    status, body = finance.get(f"{PP}/claims?kind=Not%20A%20Key")
    assert status == 422 and body["error"]["details"][0]["field"] == "kind"


def test_the_money_events_carry_the_programme_and_payee_and_an_older_partners_still_apply():
    from exchange.subsidies.events import SubsidyClaimed, SubsidyUpdated
    base = {"claim_ref": "0b0e7a1e-1a6b-4a3e-9c1e-000000000001", "seeker_ref": "0b0e7a1e-1a6b-4a3e-9c1e-000000000002",
            "amount_fen": 100000, "status": "pending"}
    older = SubsidyUpdated().load({**base, "kind": "retention"})
    assert older["payee"] is None                                          # applied as the worker's
    newer = SubsidyUpdated().load({**base, "kind": "workshop_hiring",
                                   "payee": {"type": "employer", "ref": "0b0e7a1e-1a6b-4a3e-9c1e-000000000003"}})
    assert newer["payee"]["type"] == "employer" and newer["kind"] == "workshop_hiring"
    import pytest
    from marshmallow import ValidationError
    for bad in ({"kind": "Workshop Hiring"}, {"kind": "retention", "payee": {"type": "village", "ref": base["claim_ref"]}}):
        with pytest.raises(ValidationError):
            SubsidyUpdated().load({**base, **bad})
    claimed = SubsidyClaimed().load({"claim_ref": base["claim_ref"], "kind": "transport", "seeker_ref": base["seeker_ref"],
                                     "amount_fen": 100})
    assert claimed["payee"] is None


def test_the_payers_events_name_the_worker_as_payee(api, factory, app):
    from sqlalchemy import select

    from exchange.extensions import db
    from exchange.protocol.models import OutboxEvent
    flow, ids, dispatch = travelled(api, factory)
    status, filed = claim(flow.r, ids[0], dispatch["id"], 95000)
    assert status == 201
    with app.app_context():
        [event] = db.session.scalars(select(OutboxEvent).where(OutboxEvent.type == "subsidy.updated")).all()
        seeker_ref = flow.s.get(f"/api/v1/seekers/{ids[0]}")[1]["ref"]
        assert event.data["payee"] == {"type": "worker", "ref": seeker_ref} and event.data["kind"] == "transport"
