"""Partner feeds: two instances on 127.0.0.1 carrying a list through the three round trips over
signed HTTP, and the feed's behaviour under outages, bad signatures, replays, gaps and poison."""
from __future__ import annotations

import json
import time

import pytest
import requests
from flask import Flask, Response, request
from sqlalchemy import select

from exchange.protocol import signing
from tests.factories import Api, Factory, posting_body
from tests.flow import PP, three_people
from tests.servers import SECRET, SECRET_ENV, Server, free_port, make_instance, pairing_dir, two_instances


@pytest.fixture
def pair(tmp_path, database_url):
    """The sending county on this test's database, the receiving county on its own SQLite file."""
    with two_instances(tmp_path, database_url, f"sqlite:///{tmp_path / 'receiving.db'}") as servers:
        yield servers


def clients(server, role, region):
    _user, token = Factory(server.app).user(role, region)
    return Api(server.app.test_client(), token)


def by_ref(api, path, ref):
    status, page = api.get(f"{path}?ref={ref}")
    assert status == 200 and len(page["items"]) == 1, page
    return page["items"][0]


def sync(api):
    status, body = api.post(f"{PP}/sync")
    assert status == 200, body
    return body


def federated_round_trips(s_server, r_server):
    """The whole flow across two instances; returns the clients and the sending side's ids."""
    s, r = clients(s_server, "sending_staff", "510524"), clients(r_server, "receiving_staff", "330825")
    seeker_ids = [s.post("/api/v1/seekers", body)[1]["id"] for body in three_people()]
    employer = Factory(r_server.app).approved_employer(r)
    posting = r.post("/api/v1/postings", posting_body(employer["id"]))[1]
    seeker_list = s.post(f"{PP}/seeker-lists", {"title": "2026年3月求职清单", "seeker_ids": seeker_ids})[1]
    seeker_list = s.post(f"{PP}/seeker-lists/{seeker_list['id']}/publish")[1]
    assert sync(r)["applied"] == 1
    on_r = by_ref(r, f"{PP}/seeker-lists", seeker_list["ref"])
    supply = r.post(f"{PP}/supply-lists", {"in_reply_to": on_r["id"], "posting_ids": [posting["id"]]})[1]
    supply = r.post(f"{PP}/supply-lists/{supply['id']}/publish")[1]
    sync(s)
    supply_on_s = by_ref(s, f"{PP}/supply-lists", supply["ref"])
    proposal = s.get(f"{PP}/supply-lists/{supply_on_s['id']}/proposal")[1]
    batch = s.post(f"{PP}/batches", {"supply_list_id": supply_on_s["id"], "matches": [
        {"seeker_id": m["seeker_id"], "posting_id": m["posting_id"]} for m in proposal["matches"]]})[1]
    batch = s.post(f"{PP}/batches/{batch['id']}/propose")[1]
    sync(r)
    batch_on_r = by_ref(r, f"{PP}/batches", batch["ref"])
    r.post(f"{PP}/batches/{batch_on_r['id']}/results", {"results": [
        {"match_id": m["id"], "outcome": "hired", "start_date": "2026-03-31", "monthly_wage_fen": 450000}
        for m in batch_on_r["matches"]]})
    sync(s)
    batch = s.get(f"{PP}/batches/{batch['id']}")[1]
    dispatch = s.post(f"{PP}/dispatches", {"batch_id": batch["id"], "match_ids": [m["id"] for m in batch["matches"][:2]],
                                           "departed_at": "2026-03-28T08:00:00+08:00", "mode": "train",
                                           "escort": {"name": "王带队", "phone": "13700000001"}})[1]
    sync(r)
    dispatch_on_r = by_ref(r, f"{PP}/dispatches", dispatch["ref"])
    r.post(f"{PP}/dispatches/{dispatch_on_r['id']}/arrival", {"arrivals": [
        {"match_id": t["match_id"], "arrived": True} for t in dispatch_on_r["travellers"]]})
    sync(s)
    return s, r, seeker_ids, dispatch


def end_state(s, seeker_ids, dispatch) -> dict:
    """What the sending county ends up knowing, without ids or refs (they differ per run)."""
    batches = s.get(f"{PP}/batches")[1]["items"]
    names = {sid: s.get(f"/api/v1/seekers/{sid}")[1]["name"] for sid in seeker_ids}
    travellers = s.get(f"{PP}/dispatches/{dispatch['id']}")[1]["travellers"]
    return {"outcomes": sorted((names[m["seeker_id"]], m["outcome"], m["start_date"]) for b in batches for m in b["matches"]),
            "arrived": sorted((names[t["seeker_id"]], t["arrived"]) for t in travellers),
            "lists": [(l["title"], l["seeker_count"]) for l in s.get(f"{PP}/seeker-lists")[1]["items"]]}


def test_two_instances_carry_a_list_through_all_three_round_trips(pair, tmp_path):
    s_server, r_server = pair
    s, r, seeker_ids, dispatch = federated_round_trips(s_server, r_server)
    # The receiving instance holds copies: identities only of proposed seekers, never in round 1.
    seeker_on_r = r.get("/api/v1/seekers")[1]["items"]
    assert {x["disclosure"] for x in seeker_on_r} == {"identity"} and all("*" in x["national_id"] for x in seeker_on_r)
    federated = end_state(s, seeker_ids, dispatch)
    # The same scenario on one instance (both regions at home, its own database) gives the same end state.
    from tests.flow import Flow
    single = Server(make_instance(tmp_path, "single", f"sqlite:///{tmp_path / 'single.db'}", tmp_path / "config", None), 0)
    flow = Flow(None, Factory(single.app), sending=clients(single, "sending_staff", "510524"),
                receiving=clients(single, "receiving_staff", "330825"))
    ids = flow.seekers(*three_people())
    posting = flow.posting()
    _l, supply = flow.round1(ids, [posting["id"]])
    proposal = flow.s.get(f"{PP}/supply-lists/{supply['id']}/proposal")[1]
    batch = flow.round2(supply["id"], [(m["seeker_id"], m["posting_id"]) for m in proposal["matches"]])
    single_dispatch = flow.round3(batch, [m["id"] for m in batch["matches"][:2]])
    travellers = single_dispatch["travellers"]
    flow.r.post(f"{PP}/dispatches/{single_dispatch['id']}/arrival", {"arrivals": [
        {"match_id": t["match_id"], "arrived": True} for t in travellers]})
    assert end_state(flow.s, ids, single_dispatch) == federated
    # And the two instances' records agree.
    admin_s = clients(s_server, "admin", "510524")
    status, report = admin_s.get(f"{PP}/reconciliation")
    assert status == 200 and report["in_agreement"], report
    assert {k["kind"]: k["here"] for k in report["kinds"]} == {
        "arrivals": 2, "dispatches": 1, "matches": 3, "seeker_lists": 1, "supply_lists": 1,
        "cases": 0, "claims": 0, "income_declarations": 0, "spells": 0, "training_records": 0}


def test_reconciliation_names_the_records_that_disagree(pair):
    s_server, r_server = pair
    s, r, _ids, _dispatch = federated_round_trips(s_server, r_server)
    from exchange.extensions import db
    from exchange.placements.models import Match
    with r_server.app.app_context():  # someone edits the receiving copy behind the protocol's back
        match = db.session.scalar(select(Match).order_by(Match.id))
        match.outcome, ref = "rejected", match.ref
        db.session.commit()
    report = clients(s_server, "admin", "510524").get(f"{PP}/reconciliation")[1]
    assert not report["in_agreement"]
    matches = next(k for k in report["kinds"] if k["kind"] == "matches")
    assert [(d["ref"], d["problem"]) for d in matches["differences"]] == [(ref, "differs")]


def test_nothing_is_lost_while_the_partner_is_down(pair):
    s_server, r_server = pair
    s, r = clients(s_server, "sending_staff", "510524"), clients(r_server, "receiving_staff", "330825")
    seeker_ids = [s.post("/api/v1/seekers", body)[1]["id"] for body in three_people()]
    s_server.stop()
    lists = []
    for title in ("断网期间清单一", "断网期间清单二"):
        created = s.post(f"{PP}/seeker-lists", {"title": title, "seeker_ids": seeker_ids})[1]
        lists.append(s.post(f"{PP}/seeker-lists/{created['id']}/publish")[1])
    result = sync(r)
    assert result["applied"] == 0 and "unreachable" in result["errors"][0]
    status = clients(r_server, "admin", "330825").get(f"{PP}/feed-status")[1]
    assert status["failures"] == 1 and status["last_error"] and status["next_attempt_at"]
    s_server.start()
    assert sync(r)["applied"] == 2
    assert sorted(l["title"] for l in r.get(f"{PP}/seeker-lists")[1]["items"]) == ["断网期间清单一", "断网期间清单二"]
    assert sync(r)["applied"] == 0   # a second pull finds nothing new and duplicates nothing
    status = clients(r_server, "admin", "330825").get(f"{PP}/feed-status")[1]
    assert (status["failures"], status["last_applied_seq"], status["lag_events"]) == (0, 2, 0)


def test_the_feed_refuses_bad_requests_with_the_contract_codes(pair):
    s_server, _r = pair
    path = f"/feeds/v1/{'xuyong-longyou'}/events?after=0&limit=10"

    def get(path, region="330825", secret=SECRET, ts=None, pairing="xuyong-longyou"):
        ts = str(int(time.time()) if ts is None else ts)
        headers = {"X-Exchange-Pairing": pairing, "X-Exchange-Region": region, "X-Exchange-Timestamp": ts,
                   "X-Exchange-Signature": signing.sign_request(secret, ts, "GET", path)}
        return requests.get(s_server.url + path, headers=headers, timeout=5)

    cases = [
        (get(path, secret="wrong"), 401, "bad_signature"),
        (get(path, ts=int(time.time()) - 900), 401, "stale_timestamp"),
        (requests.get(s_server.url + path, timeout=5), 401, "missing_signature"),
        (get("/feeds/v1/no-such/events?after=0"), 404, "unknown_pairing"),
        (get(path, region="110101"), 403, "not_partner"),
        (get("/feeds/v1/xuyong-longyou/events?after=-1"), 400, "bad_request"),
        (get("/feeds/v1/xuyong-longyou/events?limit=501"), 400, "bad_request"),
    ]
    for response, status, code in cases:
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    ok = get(path)
    assert ok.status_code == 200 and ok.json() == {"pairing": "xuyong-longyou", "events": [], "next_after": 0, "has_more": False}
    assert signing.verify(signing.Secrets(SECRET), signing.response_message(
        ok.headers["X-Exchange-Timestamp"], 200, ok.content), ok.headers["X-Exchange-Signature"])


def test_pages_are_served_in_seq_order_with_has_more(pair):
    s_server, _r = pair
    s = clients(s_server, "sending_staff", "510524")
    seeker_ids = [s.post("/api/v1/seekers", body)[1]["id"] for body in three_people()]
    for k in range(3):
        created = s.post(f"{PP}/seeker-lists", {"title": f"清单{k}", "seeker_ids": seeker_ids})[1]
        s.post(f"{PP}/seeker-lists/{created['id']}/publish")
    path = "/feeds/v1/xuyong-longyou/events?after=1&limit=1"
    ts = str(int(time.time()))
    r = requests.get(s_server.url + path, timeout=5, headers={
        "X-Exchange-Pairing": "xuyong-longyou", "X-Exchange-Region": "330825", "X-Exchange-Timestamp": ts,
        "X-Exchange-Signature": signing.sign_request(SECRET, ts, "GET", path)})
    body = r.json()
    assert [e["seq"] for e in body["events"]] == [2] and body["next_after"] == 2 and body["has_more"] is True
    assert body["events"][0]["data"]["title"] == "清单1"


def test_the_previous_secret_is_accepted_during_rotation(tmp_path):
    port = free_port()
    config = pairing_dir(tmp_path / "config", f"http://127.0.0.1:{port}", "http://127.0.0.1:9")
    app = make_instance(tmp_path, "s", f"sqlite:///{tmp_path / 's.db'}", config, "510524",
                        **{SECRET_ENV: "new-secret", SECRET_ENV + "_PREVIOUS": SECRET})
    server = Server(app, port).start()
    try:
        path = "/feeds/v1/xuyong-longyou/events"
        for secret, status in ((SECRET, 200), ("new-secret", 200), ("older", 401)):
            ts = str(int(time.time()))
            r = requests.get(server.url + path, timeout=5, headers={
                "X-Exchange-Pairing": "xuyong-longyou", "X-Exchange-Region": "330825", "X-Exchange-Timestamp": ts,
                "X-Exchange-Signature": signing.sign_request(secret, ts, "GET", path)})
            assert r.status_code == status
    finally:
        server.stop()


def test_a_rotation_under_way_on_one_side_keeps_both_feeds_running(tmp_path):
    """The sending county has switched to the new secret (the old one as _PREVIOUS); the
    receiving county still has only the old one. Both still pull, each way."""
    rotated = {SECRET_ENV: "new-secret", SECRET_ENV + "_PREVIOUS": SECRET}
    with two_instances(tmp_path, f"sqlite:///{tmp_path / 's.db'}", f"sqlite:///{tmp_path / 'r.db'}",
                       sending_env=rotated) as (s_server, r_server):
        s, r = federated_round_trips(s_server, r_server)[:2]        # every sync of both sides succeeded
        status = clients(r_server, "admin", "330825").get(f"{PP}/feed-status")[1]
        assert status["last_error"] is None and status["lag_events"] == 0


def test_user_tokens_are_not_feed_credentials_and_a_nudge_schedules_a_pull(pair):
    s_server, r_server = pair
    r_admin = clients(r_server, "admin", "330825")
    _user, token = Factory(s_server.app).user("admin", "510524")
    path = "/feeds/v1/xuyong-longyou/events?after=0"
    answer = requests.get(s_server.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, "missing_signature")
    for strange in ("²", "1.5", "+1", " 1"):                     # digits to Python, not to the contract
        ts = str(int(time.time()))
        query = f"/feeds/v1/xuyong-longyou/events?after={requests.utils.quote(strange)}"
        answer = requests.get(s_server.url + query, timeout=5, headers={
            "X-Exchange-Pairing": "xuyong-longyou", "X-Exchange-Region": "330825", "X-Exchange-Timestamp": ts,
            "X-Exchange-Signature": signing.sign_request(SECRET, ts, "GET", query)})
        assert (answer.status_code, answer.json()["error"]["code"]) == (400, "bad_request"), strange
    # The receiving side pulled a while ago and is not due; a signed nudge makes it due now.
    sync(r_admin)
    before = r_admin.get(f"{PP}/feed-status")[1]["next_attempt_at"]
    nudge = "/feeds/v1/xuyong-longyou/nudge"
    ts = str(int(time.time()))
    answer = requests.post(r_server.url + nudge, timeout=5, headers={
        "X-Exchange-Pairing": "xuyong-longyou", "X-Exchange-Region": "510524", "X-Exchange-Timestamp": ts,
        "X-Exchange-Signature": signing.sign_request(SECRET, ts, "POST", nudge)})
    assert answer.status_code == 202
    after = r_admin.get(f"{PP}/feed-status")[1]["next_attempt_at"]
    assert after < before


def test_a_missing_secret_for_a_remote_pairing_stops_start_up(tmp_path):
    from exchange import StartupError, create_app
    from tests.conftest import base_environ
    config = pairing_dir(tmp_path / "config", "http://127.0.0.1:1", "http://127.0.0.1:2")
    env = base_environ(tmp_path, f"sqlite:///{tmp_path / 'x.db'}", EXCHANGE_PARTNER_CONFIG_DIR=str(config),
                       EXCHANGE_HOME_REGIONS="510524")
    with pytest.raises(StartupError, match="EXCHANGE_SECRET_XUYONG_LONGYOU"):
        create_app(env, testing=True)


# --- a scripted partner: crafted pages to test the consumer -----------------------------------

class FakePartner:
    """The sending county's feed as a scripted server: serves `events`, optionally tampered."""

    def __init__(self, port: int):
        self.events: list[dict] = []
        self.tamper = self.unsigned = False
        self.delay = 0.0
        self.replay: tuple[bytes, dict] | None = None
        app = Flask("fake-partner")

        @app.get("/feeds/v1/<pairing>/events")
        def events(pairing):
            time.sleep(self.delay)
            if self.replay is not None:
                body, headers = self.replay
                return Response(body, 200, headers=headers, content_type="application/json")
            after, limit = int(request.args.get("after", 0)), int(request.args.get("limit", 100))
            page = [e for e in self.events if e["seq"] > after][:limit]
            body = json.dumps({"pairing": pairing, "events": page, "next_after": page[-1]["seq"] if page else after,
                               "has_more": len([e for e in self.events if e["seq"] > after]) > limit}).encode()
            ts = str(int(time.time()))
            headers = {} if self.unsigned else {"X-Exchange-Timestamp": ts,
                                                "X-Exchange-Signature": signing.sign_response(SECRET, ts, 200, body)}
            if self.tamper:
                body = body.replace(b'"title"', b'"titlf"')
            self.last = (body, headers)
            return Response(body, 200, headers=headers, content_type="application/json")
        self.server = Server(app, port)

    def add(self, seq: int, event_type: str, data: dict, **envelope):
        self.events.append({"id": envelope.get("id", f"00000000-0000-4000-8000-{seq:012d}"), "seq": seq,
                            "pairing": "xuyong-longyou", "type": event_type, "source_region": "510524",
                            "protocol_version": envelope.get("protocol_version", 1),
                            "occurred_at": "2026-03-01T10:00:00+08:00", "data": data})


def seeker_list_event(k: int, seekers: int = 2) -> dict:
    return {"list_ref": f"10000000-0000-4000-8000-{k:012d}", "title": f"清单{k}", "seekers": [
        {"seeker_ref": f"20000000-0000-4000-8000-{k * 100 + i:012d}", "gender": "M", "age": 30, "education": "junior",
         "skills": [], "occupations_wanted": ["普工"], "wage_expectation_fen": 400000, "work_type": "long_term",
         "available_from": "2026-03-01", "household_status": "other"} for i in range(seekers)]}


@pytest.fixture
def consumer(tmp_path, database_url):
    """The receiving county's instance, pulling from a scripted sending county."""
    port = free_port()
    config = pairing_dir(tmp_path / "config", f"http://127.0.0.1:{port}", "http://127.0.0.1:9")
    app = make_instance(tmp_path, "r", database_url, config, "330825")
    partner = FakePartner(port)
    partner.server.start()
    yield app, partner, clients(Server(app, 0), "admin", "330825")
    partner.server.stop()


def titles(admin):
    return sorted(l["title"] for l in admin.get(f"{PP}/seeker-lists")[1]["items"])


def test_a_tampered_or_unsigned_response_applies_nothing(consumer):
    app, partner, admin = consumer
    partner.add(1, "seeker_list.published", seeker_list_event(1))
    for flag in ("tamper", "unsigned"):
        setattr(partner, flag, True)
        result = sync(admin)
        assert result["applied"] == 0 and "signature" in result["errors"][0]
        setattr(partner, flag, False)
    assert titles(admin) == []
    assert sync(admin)["applied"] == 1 and titles(admin) == ["清单1"]


def test_a_replayed_page_changes_nothing(consumer):
    app, partner, admin = consumer
    partner.add(1, "seeker_list.published", seeker_list_event(1))
    assert sync(admin)["applied"] == 1
    partner.replay = partner.last           # the same signed page again, while it is still fresh
    assert sync(admin) == {**sync(admin), "applied": 0}
    assert titles(admin) == ["清单1"]
    body, headers = partner.last             # an old page: its timestamp gives it away
    stale = str(int(time.time()) - 900)
    partner.replay = (body, {"X-Exchange-Timestamp": stale, "X-Exchange-Signature": signing.sign_response(SECRET, stale, 200, body)})
    assert "stale" in sync(admin)["errors"][0]


def test_a_malformed_or_stuck_page_is_an_error_not_a_crash_or_a_loop(consumer):
    app, partner, admin = consumer
    partner.add(1, "seeker_list.published", seeker_list_event(1))
    assert sync(admin)["applied"] == 1
    for body in ({"pairing": "xuyong-longyou", "events": [], "next_after": "7", "has_more": False},
                 {"pairing": "xuyong-longyou", "events": "none", "next_after": 1, "has_more": False},
                 {"pairing": "xuyong-longyou", "events": [partner.events[0]], "next_after": 1, "has_more": True}):
        raw = json.dumps(body).encode()
        ts = str(int(time.time()))
        partner.replay = (raw, {"X-Exchange-Timestamp": ts, "X-Exchange-Signature": signing.sign_response(SECRET, ts, 200, raw)})
        result = sync(admin)                        # answers (no 500) and says why; nothing applied
        assert result["applied"] == 0 and result["errors"], body
    assert titles(admin) == ["清单1"]


def test_an_event_from_the_wrong_side_is_quarantined(consumer):
    app, partner, admin = consumer
    # The sending county's feed carries a supply list, which only the receiving county authors.
    partner.add(1, "supply_list.published", {"list_ref": "30000000-0000-4000-8000-000000000001",
                                             "in_reply_to": "10000000-0000-4000-8000-000000000009", "postings": []})
    assert sync(admin)["stopped"] == "quarantined"
    [poison] = admin.get(f"{PP}/feed-status")[1]["quarantine"]
    assert poison["reason"] == "invalid" and "authored by the receiving region" in poison["error"]


def test_an_event_dated_outside_1900_to_2100_is_quarantined(consumer):
    app, partner, admin = consumer
    partner.add(1, "dispatch.departed", {
        "dispatch_ref": "30000000-0000-4000-8000-000000000001", "batch_ref": "30000000-0000-4000-8000-000000000002",
        "departed_at": "0421-01-26T09:04:27Z", "mode": "bus", "escort": {"name": "杨", "phone": "13800000000"},
        "travellers": []})
    assert sync(admin)["stopped"] == "quarantined"
    [poison] = admin.get(f"{PP}/feed-status")[1]["quarantine"]
    assert poison["reason"] == "invalid" and "departed_at" in poison["error"] and "1900" in poison["error"]


def test_a_gap_stops_applying_and_is_reported(consumer):
    app, partner, admin = consumer
    partner.add(1, "seeker_list.published", seeker_list_event(1))
    partner.add(3, "seeker_list.published", seeker_list_event(3))
    result = sync(admin)
    assert result["applied"] == 1 and result["stopped"] == "gap"
    status = admin.get(f"{PP}/feed-status")[1]
    assert status["stopped"] == "gap" and "expected seq 2" in status["last_error"] and status["last_applied_seq"] == 1
    partner.add(2, "seeker_list.published", seeker_list_event(2))
    partner.events.sort(key=lambda e: e["seq"])
    assert sync(admin)["applied"] == 2 and titles(admin) == ["清单1", "清单2", "清单3"]


def test_a_poison_event_is_quarantined_then_retried_then_skipped(consumer):
    app, partner, admin = consumer
    # seq 1 proposes a batch for a supply list nobody has seen: it cannot be applied.
    partner.add(1, "placement_batch.proposed", {"batch_ref": "30000000-0000-4000-8000-000000000001",
                                                "supply_list_ref": "10000000-0000-4000-8000-000000000009", "matches": []})
    partner.add(2, "seeker_list.published", seeker_list_event(2))
    result = sync(admin)
    assert result["applied"] == 0 and result["stopped"] == "quarantined"
    status = admin.get(f"{PP}/feed-status")[1]
    [poison] = status["quarantine"]
    assert (poison["seq"], poison["reason"], poison["status"]) == (1, "failed", "open") and "unknown supply list" in poison["error"]
    assert sync(admin)["applied"] == 0 and titles(admin) == []           # later events wait
    status, retried = admin.post(f"{PP}/quarantine/{poison['id']}/retry")
    assert status == 200 and retried["outcome"] == "quarantined"          # not fixed yet
    status, skipped = admin.post(f"{PP}/quarantine/{poison['id']}/skip")
    assert status == 200 and skipped["event"]["status"] == "skipped"
    assert admin.post(f"{PP}/quarantine/{poison['id']}/skip")[0] == 409
    assert sync(admin)["applied"] == 1 and titles(admin) == ["清单2"]
    from exchange.core.audit import AuditEntry
    from exchange.extensions import db
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("quarantine.%"))))
    assert actions == {"quarantine.retried", "quarantine.skipped"}


def test_a_quarantined_event_applies_on_retry_once_fixed(consumer):
    app, partner, admin = consumer
    partner.add(1, "seeker_list.published", {**seeker_list_event(1), "title": "x" * 300})   # too long: invalid
    assert sync(admin)["stopped"] == "quarantined"
    [poison] = admin.get(f"{PP}/feed-status")[1]["quarantine"]
    from exchange.extensions import db
    from exchange.protocol.models import QuarantinedEvent
    with app.app_context():   # the operator corrects the stored event (as a fixed version would read it)
        row = db.session.get(QuarantinedEvent, poison["id"])
        row.envelope = {**row.envelope, "data": seeker_list_event(1)}
        db.session.commit()
    status, retried = admin.post(f"{PP}/quarantine/{poison['id']}/retry")
    assert retried["outcome"] == "applied" and retried["event"]["status"] == "retried" and titles(admin) == ["清单1"]


def test_unknown_event_types_are_recorded_and_skipped_newer_versions_stop(consumer):
    app, partner, admin = consumer
    partner.add(1, "seeker.teleported", {"anything": True})
    partner.add(2, "seeker_list.published", seeker_list_event(2))
    partner.add(3, "seeker_list.published", seeker_list_event(3), protocol_version=2)
    partner.add(4, "seeker_list.published", seeker_list_event(4))
    result = sync(admin)
    assert result["applied"] == 2 and result["stopped"] == "quarantined"
    assert titles(admin) == ["清单2"]
    status = admin.get(f"{PP}/feed-status")[1]
    assert status["stopped"] == "protocol_version"
    assert [(q["type"], q["reason"], q["status"]) for q in status["quarantine"]] == [
        ("seeker.teleported", "unsupported", "recorded"), ("seeker_list.published", "protocol_version", "open")]


def test_timeouts_back_off_with_jitter_up_to_an_hour(consumer, monkeypatch):
    from exchange.protocol import client
    app, partner, admin = consumer
    monkeypatch.setattr(client, "TIMEOUT", (1, 0.3))
    partner.delay = 1.0
    result = sync(admin)
    assert "unreachable" in result["errors"][0]
    import random
    rng = random.Random(1)
    waits = [client.backoff_seconds(n, rng) for n in range(1, 15)]
    assert 2.5 <= waits[0] <= 5 and all(w <= 3600 for w in waits) and waits[-1] >= 1800


def test_offline_bundles_converge_with_the_online_feed(pair, tmp_path):
    s_server, r_server = pair
    s, r = clients(s_server, "sending_staff", "510524"), clients(r_server, "receiving_staff", "330825")
    seeker_ids = [s.post("/api/v1/seekers", body)[1]["id"] for body in three_people()]
    for title in ("清单甲", "清单乙"):
        created = s.post(f"{PP}/seeker-lists", {"title": title, "seeker_ids": seeker_ids})[1]
        s.post(f"{PP}/seeker-lists/{created['id']}/publish")
    exported = s_server.app.test_cli_runner().invoke(args=["feed", "export", "--pairing", "xuyong-longyou", "--after", "0"])
    assert exported.exit_code == 0, exported.output
    bundle = json.loads(exported.output)
    assert [e["seq"] for e in bundle["events"]] == [1, 2] and bundle["signature"].startswith("v1=")
    path = tmp_path / "bundle.json"
    # The bundle is carried by hand; meanwhile a third list is published and pulled online first.
    created = s.post(f"{PP}/seeker-lists", {"title": "清单丙", "seeker_ids": seeker_ids})[1]
    s.post(f"{PP}/seeker-lists/{created['id']}/publish")
    assert sync(r)["applied"] == 3
    path.write_text(json.dumps(bundle), encoding="utf-8")
    imported = r_server.app.test_cli_runner().invoke(args=["feed", "import", str(path)])
    assert imported.exit_code == 0 and json.loads(imported.output) == {"applied": 0, "duplicate": 2, "stopped": None}
    assert sorted(l["title"] for l in r.get(f"{PP}/seeker-lists")[1]["items"]) == ["清单丙", "清单乙", "清单甲"]
    # A bundle whose events were changed does not verify and applies nothing.
    bundle["events"][0]["data"]["title"] = "改过的"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    forged = r_server.app.test_cli_runner().invoke(args=["feed", "import", str(path)])
    assert forged.exit_code != 0 and "signature" in forged.output


def test_a_bundle_first_then_the_feed(pair, tmp_path):
    s_server, r_server = pair
    s, r = clients(s_server, "sending_staff", "510524"), clients(r_server, "receiving_staff", "330825")
    seeker_ids = [s.post("/api/v1/seekers", body)[1]["id"] for body in three_people()]
    created = s.post(f"{PP}/seeker-lists", {"title": "清单甲", "seeker_ids": seeker_ids})[1]
    s.post(f"{PP}/seeker-lists/{created['id']}/publish")
    path = tmp_path / "bundle.json"
    path.write_text(s_server.app.test_cli_runner().invoke(args=["feed", "export", "--pairing", "xuyong-longyou"]).output)
    result = r_server.app.test_cli_runner().invoke(args=["feed", "import", str(path)])
    assert json.loads(result.output)["applied"] == 1
    assert sync(r) == {**sync(r), "applied": 0}
    assert [l["title"] for l in r.get(f"{PP}/seeker-lists")[1]["items"]] == ["清单甲"]


def test_the_worked_example_in_the_protocol_document_holds():
    message = signing.request_message("1795400000", "GET", "/feeds/v1/xuyong-longyou/events?after=0&limit=100", b"")
    assert signing.sign("example-shared-secret", message) == "v1=c21a7890287a170dd11c9a4327e62883f37397eb0b1c325f898726e921901b51"
    body = b'{"pairing":"xuyong-longyou","events":[],"next_after":0,"has_more":false}'
    assert signing.sign_response("example-shared-secret", "1795400001", 200, body) == \
        "v1=519d9bc52e3fddec478470c95f49ce3659db814c8208e5d964123aff7eb1adc1"
    from tests.conftest import PROJECT
    assert "c21a7890287a170dd11c9a4327e62883f37397eb0b1c325f898726e921901b51" in (PROJECT / "docs" / "protocol.md").read_text()


def test_the_scheduler_pulls_by_itself_when_the_feed_is_due(pair):
    from exchange.scheduler import JOBS, Runner
    s_server, r_server = pair
    s = clients(s_server, "sending_staff", "510524")
    seeker_ids = [s.post("/api/v1/seekers", body)[1]["id"] for body in three_people()]
    created = s.post(f"{PP}/seeker-lists", {"title": "自动同步", "seeker_ids": seeker_ids})[1]
    s.post(f"{PP}/seeker-lists/{created['id']}/publish")
    # A nudge arriving just before the tick (the publish sends one too) brings a pull forward;
    # it never puts off a first pull that is due already.
    nudge = "/feeds/v1/xuyong-longyou/nudge"
    ts = str(int(time.time()))
    answer = requests.post(r_server.url + nudge, timeout=5, headers={
        "X-Exchange-Pairing": "xuyong-longyou", "X-Exchange-Region": "510524", "X-Exchange-Timestamp": ts,
        "X-Exchange-Signature": signing.sign_request(SECRET, ts, "POST", nudge)})
    assert answer.status_code == 202
    assert clients(r_server, "admin", "330825").get(f"{PP}/feed-status")[1]["next_attempt_at"] is None
    feed_pull = next(job for job in JOBS if job.name == "feed-pull")
    assert Runner(r_server.app, "r-scheduler").tick([feed_pull]) == ["feed-pull"]
    r = clients(r_server, "receiving_staff", "330825")
    assert [l["title"] for l in r.get(f"{PP}/seeker-lists")[1]["items"]] == ["自动同步"]


def test_a_claim_filed_on_the_sending_side_is_decided_by_the_payer(pair):
    import io
    from tests.subsidies.test_claims import PDF
    s_server, r_server = pair
    s, r, seeker_ids, dispatch = federated_round_trips(s_server, r_server)
    liaison = clients(s_server, "liaison_officer", "510524")
    form = {"kind": "transport", "seeker_id": str(seeker_ids[0]), "amount_fen": "95000", "travel_date": "2026-03-28",
            "dispatch_id": str(dispatch["id"]), "receipts": [(io.BytesIO(PDF), "ticket.pdf")]}
    response = liaison.client.post(f"{PP}/claims", data=form, content_type="multipart/form-data",
                                   headers={"Authorization": f"Bearer {liaison.token}"})
    assert response.status_code == 201, response.get_json()
    filed = response.get_json()
    assert filed["payer_region"] == "330825" and filed["approved_amount_fen"] == 80000
    sync(r)
    on_r = by_ref(r, f"{PP}/claims", filed["ref"])
    assert (on_r["status"], on_r["approved_amount_fen"], len(on_r["receipts"])) == ("pending", 80000, 1)
    finance = clients(r_server, "finance_approver", "330825")
    assert finance.post(f"{PP}/claims/{on_r['id']}/approve")[1]["status"] == "approved"
    sync(s)
    on_s = s.get(f"{PP}/claims/{filed['id']}")[1]
    assert on_s["status"] == "approved" and on_s["payee"]["type"] == "worker" and on_s["payee"]["id"] == seeker_ids[0]
    # Spells are the receiving side's; the sending side receives the whole list.
    employer_id = r.get("/api/v1/employers")[1]["items"][0]["id"]
    seeker_on_r = by_ref(r, "/api/v1/seekers", s.get(f"/api/v1/seekers/{seeker_ids[0]}")[1]["ref"])
    status, spells = r.put(f"{PP}/employment/{seeker_on_r['id']}", {"spells": [
        {"employer_id": employer_id, "start_date": "2026-03-31", "end_date": None, "monthly_wage_fen": 450000}]})
    assert status == 200, spells
    sync(s)
    on_s = s.get(f"{PP}/employment/{seeker_ids[0]}")[1]["spells"]
    assert [(x["start_date"], x["end_date"], x["monthly_wage_fen"]) for x in on_s] == [("2026-03-31", None, 450000)]
    # Money and spells are reconciled too: both instances hold the same claim and spells.
    status, report = s.get(f"{PP}/reconciliation")
    assert status == 200 and report["in_agreement"], report
    counts = {k["kind"]: (k["here"], k["partner"]) for k in report["kinds"]}
    assert counts["claims"] == (1, 1) and counts["spells"] == (1, 1)
