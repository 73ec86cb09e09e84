"""The three round trips with both regions on one instance, through the API alone."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import RECEIVING, SENDING
from tests.flow import PP, Flow, three_people


def test_one_list_through_all_three_round_trips(api, factory, app):
    flow = Flow(api, factory)
    people = three_people()
    seeker_ids = flow.seekers(*people)
    posting = flow.posting()

    seeker_list, supply = flow.round1(seeker_ids, [posting["id"]])
    # Round 1 carries no name, ID or phone to the receiving county.
    status, seen = flow.r.get(f"{PP}/seeker-lists/{seeker_list['id']}")
    assert status == 200 and seen["status"] == "published" and len(seen["seekers"]) == 3
    text = str(seen)
    assert all(p["name"] not in text and p["national_id"] not in text and p["phone"] not in text for p in people)
    assert {s["disclosure"] for s in seen["seekers"]} == {"profile"}
    assert flow.r.get(f"/api/v1/seekers/{seeker_ids[0]}")[1]["name"] is None
    # The sending county now sees the vetted employer's posting.
    assert flow.s.get(f"/api/v1/postings/{posting['id']}")[0] == 200
    assert supply["postings"][0]["headcount"] == 5

    status, proposal = flow.s.get(f"{PP}/supply-lists/{supply['id']}/proposal")
    assert status == 200 and len(proposal["matches"]) == 3 and proposal["unmatched"] == []
    assert all(m["reasons"] for m in proposal["matches"])
    assert [m["seeker_id"] for m in proposal["matches"]] == sorted(seeker_ids)

    batch = flow.round2(supply["id"], [(m["seeker_id"], m["posting_id"]) for m in proposal["matches"]])
    # Identity is disclosed with the proposal: the receiving side now sees names, masked numbers.
    seeker = flow.r.get(f"/api/v1/seekers/{seeker_ids[0]}")[1]
    assert seeker["name"] == "龙志明" and seeker["disclosure"] == "identity" and "*" in seeker["national_id"]
    status, on_s = flow.s.get(f"{PP}/batches/{batch['id']}")
    assert [m["outcome"] for m in on_s["matches"]] == ["hired"] * 3

    dispatch = flow.round3(batch, [m["id"] for m in on_s["matches"] if m["seeker_id"] in seeker_ids[:2]])
    assert [t["seeker_id"] for t in dispatch["travellers"]] == seeker_ids[:2]
    assert dispatch["escort"]["phone"] == "137****0001"
    status, arrived = flow.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", {"arrivals": [
        {"match_id": t["match_id"], "arrived": True, "arrived_at": "2026-03-29T18:00:00+08:00", "note": ""}
        for t in dispatch["travellers"]]})
    assert status == 200 and arrived["status"] == "arrived"
    on_s = flow.s.get(f"{PP}/dispatches/{dispatch['id']}")[1]
    assert all(t["arrived"] for t in on_s["travellers"])

    # Every step is in the outbox, numbered without gaps per author.
    from exchange.extensions import db
    from exchange.protocol.models import AppliedEvent, OutboxEvent
    with app.app_context():
        events = db.session.execute(select(OutboxEvent.source_region, OutboxEvent.seq, OutboxEvent.type)
                                    .order_by(OutboxEvent.id)).all()
        assert [(r, t) for r, _s, t in events] == [
            (SENDING, "seeker_list.published"), (RECEIVING, "supply_list.published"),
            (SENDING, "placement_batch.proposed"), (RECEIVING, "recruitment.results"),
            (SENDING, "dispatch.departed"), (RECEIVING, "dispatch.arrived")]
        assert [s for r, s, _t in events if r == SENDING] == [1, 2, 3]
        assert db.session.scalar(select(func.count()).select_from(AppliedEvent)) == 6

    # And on the person's timeline.
    status, timeline = flow.s.get(f"{PP}/seekers/{seeker_ids[0]}/timeline")
    kinds = [item["kind"] for item in timeline["items"]]
    assert sorted(kinds) == sorted(["registered", "seeker_list.published", "placement_batch.proposed",
                                    "recruitment.results", "dispatch.departed", "dispatch.arrived"])
    # In the order things happened (the departure was recorded with its own, earlier, time).
    assert [item["at"] for item in timeline["items"]] == sorted(item["at"] for item in timeline["items"])
    assert kinds.index("dispatch.departed") < kinds.index("dispatch.arrived")


def test_illegal_moves_answer_409_and_change_nothing(api, factory):
    flow = Flow(api, factory)
    seeker_ids = flow.seekers(*three_people())
    posting = flow.posting()
    seeker_list, supply = flow.round1(seeker_ids, [posting["id"]])
    status, body = flow.s.post(f"{PP}/seeker-lists/{seeker_list['id']}/publish")
    assert status == 409 and body["error"]["code"] == "already_published"
    batch = flow.round2(supply["id"], [(seeker_ids[0], posting["id"]), (seeker_ids[1], posting["id"])], outcome=None)
    status, body = flow.s.post(f"{PP}/batches/{batch['id']}/propose")
    assert status == 409 and body["error"]["code"] == "already_proposed"
    m0, m1 = batch["matches"]
    flow.r.post(f"{PP}/batches/{batch['id']}/results", {"results": [
        {"match_id": m0["id"], "outcome": "hired"}, {"match_id": m1["id"], "outcome": "rejected", "reason": "体检未过"}]})
    status, body = flow.s.post(f"{PP}/dispatches", {"batch_id": batch["id"], "match_ids": [m1["id"]],
                                                    "departed_at": "2026-03-28T08:00:00+08:00", "mode": "bus",
                                                    "escort": {"name": "王", "phone": "13700000001"}})
    assert status == 409 and body["error"]["code"] == "not_hired"
    assert flow.s.get(f"{PP}/dispatches")[1]["items"] == []
    dispatch = flow.round3(batch, [m0["id"]])
    status, body = flow.s.post(f"{PP}/dispatches", {"batch_id": batch["id"], "match_ids": [m0["id"]],
                                                    "departed_at": "2026-03-28T08:00:00+08:00", "mode": "bus",
                                                    "escort": {"name": "王", "phone": "13700000001"}})
    assert status == 409 and body["error"]["code"] == "already_dispatched"
    arrival = {"arrivals": [{"match_id": m0["id"], "arrived": True}]}
    assert flow.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", arrival)[0] == 200
    status, body = flow.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", arrival)
    assert status == 409 and body["error"]["code"] == "already_arrived"
    # A result cannot take back a match that has travelled.
    status, body = flow.r.post(f"{PP}/batches/{batch['id']}/results", {"results": [{"match_id": m0["id"], "outcome": "withdrawn"}]})
    assert status == 409 and body["error"]["code"] == "already_dispatched"


def test_later_results_replace_earlier_ones(api, factory):
    flow = Flow(api, factory)
    seeker_ids = flow.seekers(*three_people()[:1])
    posting = flow.posting()
    _lst, supply = flow.round1(seeker_ids, [posting["id"]])
    batch = flow.round2(supply["id"], [(seeker_ids[0], posting["id"])], outcome=None)
    match = batch["matches"][0]
    for outcome in ("rejected", "hired"):
        assert flow.r.post(f"{PP}/batches/{batch['id']}/results", {"results": [{"match_id": match["id"], "outcome": outcome}]})[0] == 200
    assert flow.s.get(f"{PP}/batches/{batch['id']}")[1]["matches"][0]["outcome"] == "hired"
    # The person's timeline keeps both results, in order.
    story = [e["summary"] for e in flow.s.get(f"{PP}/seekers/{seeker_ids[0]}/timeline")[1]["items"]
             if e["kind"] == "recruitment.results"]
    assert story == ["招聘结果：未录用", "招聘结果：录用"]


def test_the_partner_sees_a_list_only_once_its_event_is_applied(api, factory, monkeypatch):
    from exchange.protocol import apply
    flow = Flow(api, factory)
    seeker_ids = flow.seekers(*three_people()[:1])
    status, seeker_list = flow.s.post(f"{PP}/seeker-lists", {"title": "三月", "seeker_ids": seeker_ids})

    def broken(data, ctx):
        raise apply.ApplyProblem("the handler is broken")
    monkeypatch.setitem(apply.HANDLERS, "seeker_list.published", broken)
    assert flow.s.post(f"{PP}/seeker-lists/{seeker_list['id']}/publish")[0] == 200
    assert flow.r.get(f"{PP}/seeker-lists/{seeker_list['id']}")[0] == 404      # quarantined: not delivered
    monkeypatch.undo()
    admin = api("admin", RECEIVING)
    quarantined = admin.get(f"{PP}/feed-status")[1]
    row = next(q for q in quarantined["quarantine"] if q["type"] == "seeker_list.published")
    assert admin.post(f"{PP}/quarantine/{row['id']}/retry")[0] == 200
    assert flow.r.get(f"{PP}/seeker-lists/{seeker_list['id']}")[0] == 200


def test_a_batch_is_rechecked_on_the_server(api, factory):
    flow = Flow(api, factory)
    people = three_people()
    people[2]["consent_to_share"] = False
    seeker_ids = flow.seekers(*people)
    posting = flow.posting(headcount=1, requirements={"gender": "M", "age_min": 18, "age_max": 50,
                                                      "education_min": "primary", "skills": []})
    _lst, supply = flow.round1(seeker_ids, [posting["id"]])
    status, body = flow.s.post(f"{PP}/batches", {"supply_list_id": supply["id"], "matches": [
        {"seeker_id": seeker_ids[0], "posting_id": posting["id"]},
        {"seeker_id": seeker_ids[1], "posting_id": posting["id"]},      # a woman, for a posting for men
        {"seeker_id": seeker_ids[2], "posting_id": posting["id"]},      # no consent
    ]})
    assert status == 422
    codes = {d["field"]: d["code"] for d in body["error"]["details"]}
    assert codes == {"matches[1]": "not_allowed", "matches[2]": "no_consent", "matches": "over_capacity"}
    assert flow.s.get(f"{PP}/batches")[1]["items"] == []
    status, proposal = flow.s.get(f"{PP}/supply-lists/{supply['id']}/proposal")
    reasons = {u["seeker_id"]: u["reasons"] for u in proposal["unmatched"]}
    assert "同意" in reasons[seeker_ids[2]][0]
    assert "男" in reasons[seeker_ids[1]][0] or "性别" in reasons[seeker_ids[1]][0]


def test_a_posting_offered_in_two_lists_is_filled_only_once(api, factory):
    flow = Flow(api, factory)
    first, second = flow.seekers(*three_people()[:2])
    posting = flow.posting(headcount=1, requirements={"gender": "any", "age_min": 18, "age_max": 50,
                                                      "education_min": "primary", "skills": []})
    _list_a, supply_a = flow.round1([first], [posting["id"]], title="三月")
    _list_b, supply_b = flow.round1([second], [posting["id"]], title="四月")
    flow.round2(supply_a["id"], [(first, posting["id"])])                      # the one place is taken
    status, proposal = flow.s.get(f"{PP}/supply-lists/{supply_b['id']}/proposal")
    assert status == 200 and proposal["matches"] == []
    status, answer = flow.s.post(f"{PP}/batches", {"supply_list_id": supply_b["id"],
                                                   "matches": [{"seeker_id": second, "posting_id": posting["id"]}]})
    assert status == 422 and answer["error"]["details"][0]["code"] == "over_capacity"


def test_hiring_stops_at_the_headcount_and_hires_a_person_once(api, factory):
    flow = Flow(api, factory)
    first, second, _third = flow.seekers(*three_people())
    anyone = {"gender": "any", "age_min": 18, "age_max": 50, "education_min": "primary", "skills": []}
    posting, other = flow.posting(headcount=1, requirements=anyone), flow.posting(headcount=5, requirements=anyone)
    _seeker_list, supply = flow.round1([first, second], [posting["id"], other["id"]])
    # Two batches may each propose candidates for the one place: the employer interviews and chooses.
    batch_a = flow.round2(supply["id"], [(first, posting["id"])], outcome=None)
    batch_b = flow.round2(supply["id"], [(second, posting["id"])], outcome=None)
    batch_c = flow.round2(supply["id"], [(first, other["id"])], outcome=None)
    hire = lambda batch: {"results": [{"match_id": batch["matches"][0]["id"], "outcome": "hired"}]}  # noqa: E731
    assert flow.r.post(f"{PP}/batches/{batch_a['id']}/results", hire(batch_a))[0] == 200
    status, answer = flow.r.post(f"{PP}/batches/{batch_b['id']}/results", hire(batch_b))
    assert status == 409 and answer["error"]["code"] == "posting_full"
    status, answer = flow.r.post(f"{PP}/batches/{batch_c['id']}/results", hire(batch_c))
    assert status == 409 and answer["error"]["code"] == "already_hired"
    assert flow.r.get(f"{PP}/batches/{batch_b['id']}")[1]["matches"][0]["outcome"] == "pending"   # nothing changed
    # A rejection frees the place.
    assert flow.r.post(f"{PP}/batches/{batch_a['id']}/results", {"results": [
        {"match_id": batch_a["matches"][0]["id"], "outcome": "rejected", "reason": "未到面试"}]})[0] == 200
    assert flow.r.post(f"{PP}/batches/{batch_b['id']}/results", hire(batch_b))[0] == 200


def test_correcting_a_hire_takes_no_second_place(api, factory):
    flow = Flow(api, factory)
    first, second = flow.seekers(*three_people()[:2])
    anyone = {"gender": "any", "age_min": 18, "age_max": 50, "education_min": "primary", "skills": []}
    posting = flow.posting(headcount=2, requirements=anyone)
    _a, supply_a = flow.round1([first], [posting["id"]], title="三月")
    batch = flow.round2(supply_a["id"], [(first, posting["id"])])                 # one of the two places taken
    _b, supply_b = flow.round1([second], [posting["id"]], title="四月")           # offers the one left
    match_id = batch["matches"][0]["id"]
    assert flow.r.post(f"{PP}/batches/{batch['id']}/results", {"results": [
        {"match_id": match_id, "outcome": "hired", "monthly_wage_fen": 480000}]})[0] == 200   # the wage corrected
    proposal = flow.s.get(f"{PP}/supply-lists/{supply_b['id']}/proposal")[1]
    assert [m["seeker_id"] for m in proposal["matches"]] == [second]


def test_someone_proposed_twice_is_hired_once_even_after_travelling(api, factory):
    flow = Flow(api, factory)
    first = flow.seekers(*three_people()[:1])[0]
    anyone = {"gender": "any", "age_min": 18, "age_max": 50, "education_min": "primary", "skills": []}
    one, other = flow.posting(headcount=5, requirements=anyone), flow.posting(headcount=5, requirements=anyone)
    _l, supply = flow.round1([first], [one["id"], other["id"]])
    batch_a = flow.round2(supply["id"], [(first, one["id"])], outcome=None)
    batch_b = flow.round2(supply["id"], [(first, other["id"])], outcome=None)      # proposed before any journey
    assert flow.r.post(f"{PP}/batches/{batch_a['id']}/results", {"results": [
        {"match_id": batch_a["matches"][0]["id"], "outcome": "hired"}]})[0] == 200
    batch_a = flow.s.get(f"{PP}/batches/{batch_a['id']}")[1]
    flow.arrive(flow.round3(batch_a), "2026-03-29T10:00:00+08:00")                 # at work in 龙游
    status, body = flow.r.post(f"{PP}/batches/{batch_b['id']}/results", {"results": [
        {"match_id": batch_b["matches"][0]["id"], "outcome": "hired"}]})
    assert status == 409 and body["error"]["code"] == "already_hired"
