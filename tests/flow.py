"""Helpers that take one list through the three round trips with the API alone."""
from __future__ import annotations

from tests.factories import PAIRING, RECEIVING, SENDING, national_id, posting_body, seeker_body  # noqa: F401

PP = f"/api/v1/pairings/{PAIRING}"


class Flow:
    """The clerks of both counties and the objects they made, step by step."""

    def __init__(self, api, factory, sending=None, receiving=None):
        self.s = sending or api("sending_staff", SENDING)
        self.r = receiving or api("receiving_staff", RECEIVING)
        self.factory = factory

    def seekers(self, *bodies):
        ids = []
        for body in bodies:
            status, seeker = self.s.post("/api/v1/seekers", body)
            assert status == 201, seeker
            ids.append(seeker["id"])
        return ids

    def posting(self, **overrides):
        employer = self.factory.approved_employer(self.r)
        status, posting = self.r.post("/api/v1/postings", posting_body(employer["id"], **overrides))
        assert status == 201, posting
        return posting

    def round1(self, seeker_ids, posting_ids, title="2026年3月求职清单"):
        status, seeker_list = self.s.post(f"{PP}/seeker-lists", {"title": title, "seeker_ids": seeker_ids})
        assert status == 201, seeker_list
        status, published = self.s.post(f"{PP}/seeker-lists/{seeker_list['id']}/publish")
        assert status == 200, published
        status, supply = self.r.post(f"{PP}/supply-lists", {"in_reply_to": seeker_list["id"], "posting_ids": posting_ids})
        assert status == 201, supply
        status, supply = self.r.post(f"{PP}/supply-lists/{supply['id']}/publish")
        assert status == 200, supply
        return seeker_list, supply

    def round2(self, supply_id, pairs, outcome="hired"):
        status, batch = self.s.post(f"{PP}/batches", {"supply_list_id": supply_id,
                                                      "matches": [{"seeker_id": s, "posting_id": p} for s, p in pairs]})
        assert status == 201, batch
        status, batch = self.s.post(f"{PP}/batches/{batch['id']}/propose")
        assert status == 200, batch
        if outcome:
            status, batch = self.r.post(f"{PP}/batches/{batch['id']}/results", {"results": [
                {"match_id": m["id"], "outcome": outcome, "reason": "面试通过", "start_date": "2026-03-31",
                 "monthly_wage_fen": 450000} for m in batch["matches"]]})
            assert status == 200, batch
        return batch

    def round3(self, batch, match_ids=None):
        status, dispatch = self.s.post(f"{PP}/dispatches", {
            "batch_id": batch["id"], "match_ids": match_ids or [m["id"] for m in batch["matches"]],
            "departed_at": "2026-03-28T08:00:00+08:00", "mode": "train",
            "escort": {"name": "王带队", "phone": "13700000001"}, "expected_arrival": "2026-03-29"})
        assert status == 201, dispatch
        return dispatch


    def arrive(self, dispatch, *arrived_at: str):
        """Confirms the travellers' arrivals, in order, at the given Beijing times."""
        status, body = self.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", {"arrivals": [
            {"match_id": t["match_id"], "arrived": True, "arrived_at": at} for t, at in zip(dispatch["travellers"], arrived_at)]})
        assert status == 200, body
        return body

    def place_two_of_three(self, *arrived_at: str) -> dict:
        """three_people() registered, the first two hired, dispatched and arrived at the times given."""
        ids = self.seekers(*three_people())
        posting = self.posting()
        seeker_list, supply = self.round1(ids, [posting["id"]])
        batch = self.round2(supply["id"], [(ids[0], posting["id"]), (ids[1], posting["id"])])
        dispatch = self.round3(batch)
        self.arrive(dispatch, *arrived_at)
        return {"ids": ids, "posting": posting, "seeker_list": seeker_list, "supply": supply, "batch": batch,
                "dispatch": dispatch}


def three_people():
    return [
        seeker_body(name="龙志明", national_id=national_id("19900512", 31), household_status="registered_poor"),
        seeker_body(name="吴秀英", national_id=national_id("19950817", 42, male=False), gender="F",
                    household_status="monitored", occupations_wanted=["缝纫"], skills=["缝纫"], education="senior"),
        seeker_body(name="潘老四", national_id=national_id("19880130", 53), household_status="other",
                    education="primary", occupations_wanted=["搬运"], skills=["搬运"]),
    ]


def station_of(api, factory):
    """Three labourers; two travelled and arrived on 2026-03-31 (20:00 and 23:30 Beijing time):
    (the clerks' flow, a liaison officer, the three ids, the posting)."""
    flow = Flow(api, factory)
    ids = flow.seekers(*three_people())
    posting = flow.posting()
    _l, supply = flow.round1(ids, [posting["id"]])
    batch = flow.round2(supply["id"], [(s, posting["id"]) for s in ids])
    dispatch = flow.round3(batch, [m["id"] for m in batch["matches"][:2]])
    flow.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", {"arrivals": [
        {"match_id": dispatch["travellers"][0]["match_id"], "arrived": True, "arrived_at": "2026-03-31T20:00:00+08:00"},
        {"match_id": dispatch["travellers"][1]["match_id"], "arrived": True, "arrived_at": "2026-03-31T23:30:00+08:00"}]})
    liaison = api("liaison_officer", SENDING)
    return flow, liaison, ids, posting


def due(client, as_of):
    """The worklist on a day: items by seeker id, and the ids in the worklist's order."""
    status, body = client.get(f"{PP}/followups/due?as_of={as_of}")
    assert status == 200, body
    return {i["seeker_id"]: i for i in body["items"]}, [i["seeker_id"] for i in body["items"]]


def log(client, seeker_id, at, status="employed", **extra):
    code, body = client.post(f"{PP}/followups", {"seeker_id": seeker_id, "method": "phone", "contacted_at": at,
                                                 "status": status, **extra})
    assert code == 201, body
    return body
