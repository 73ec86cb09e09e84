"""The liaison station: follow-up logs and the schedule around month ends and time zones,
corrections, returnees, tasks for the receiving side, cases and their 48-hour clock, reminders."""
from __future__ import annotations

from datetime import date


from tests.factories import SENDING, national_id
from tests.flow import PP, due, log, three_people


def test_first_contact_a_week_after_arrival_and_who_is_due(station):
    flow, liaison, ids, _p = station
    items, order = due(liaison, "2026-04-06")
    assert items == {}
    items, order = due(liaison, "2026-04-07")
    assert order == ids[:2] and all(i["due_on"] == "2026-04-07" and i["days_overdue"] == 0 for i in items.values())
    items, _ = due(liaison, "2026-04-20")
    assert items[ids[0]]["days_overdue"] == 13 and items[ids[0]]["at_risk"]
    assert set(items[ids[0]]["risk_reasons"]) == {"overdue", "no_current_employment"}
    assert ids[2] not in items    # did not travel: not the station's to follow


def test_beijing_time_decides_the_day(station):
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-04-30T23:59:00+08:00")          # 15:59 UTC, still 30 April in Beijing
    log(liaison, ids[1], "2026-05-01T00:30:00+08:00")          # 16:30 UTC on 30 April, already 1 May in Beijing
    items, _ = due(liaison, "2026-06-30")
    assert (items[ids[0]]["due_on"], items[ids[1]]["due_on"]) == ("2026-05-30", "2026-05-31")
    assert items[ids[0]]["last_contact_on"] == "2026-04-30" and items[ids[1]]["last_contact_on"] == "2026-05-01"


def test_bad_statuses_come_back_sooner_and_next_due_overrides(station):
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-04-08T10:00:00+08:00", "unreachable")
    log(liaison, ids[1], "2026-04-08T10:00:00+08:00", "employed", next_due="2026-04-20")
    items, order = due(liaison, "2026-05-01")
    assert (items[ids[0]]["due_on"], items[ids[1]]["due_on"]) == ("2026-04-15", "2026-04-20")
    assert order == ids[:2]                                   # most overdue first
    assert "unreachable" in items[ids[0]]["risk_reasons"] and items[ids[0]]["risk_labels"]
    by_risk = liaison.get(f"{PP}/followups/due?as_of=2026-05-01&sort=risk")[1]["items"]
    assert by_risk[0]["seeker_id"] == ids[0]


def test_a_late_entry_counts_from_the_visit_and_a_correction_is_a_new_log(station):
    flow, liaison, ids, _p = station
    newer = log(liaison, ids[0], "2026-05-10T10:00:00+08:00", "employed")
    log(liaison, ids[0], "2026-04-20T10:00:00+08:00", "unemployed")     # an offline visit entered afterwards
    items, _ = due(liaison, "2026-07-01")
    assert items[ids[0]]["due_on"] == "2026-06-09" and items[ids[0]]["last_status"] == "employed"
    fixed = log(liaison, ids[0], "2026-05-10T10:00:00+08:00", "changed_job", corrects_id=newer["id"])
    assert fixed["corrects_id"] == newer["id"]
    history = liaison.get(f"{PP}/followups?seeker_id={ids[0]}")[1]["items"]
    assert [h["status"] for h in history] == ["employed", "unemployed", "changed_job"]      # nothing edited
    assert liaison.patch(f"{PP}/followups/{newer['id']}", {"status": "x"})[0] == 405


def test_returned_home_ends_the_schedule_and_makes_a_returnee(station, app):
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-05-02T09:00:00+08:00", "returned_home")
    items, _ = due(liaison, "2026-12-31")
    assert ids[0] not in items and ids[1] in items
    from exchange.extensions import db
    from exchange.registry.models import Seeker
    with app.app_context():
        assert db.session.get(Seeker, ids[0]).returned_home_on == date(2026, 5, 2)


def test_changed_job_becomes_a_task_for_the_receiving_side(station):
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-05-02T09:00:00+08:00", "changed_job", note="去了另一家电子厂")
    tasks = flow.r.get("/api/v1/notifications?open_tasks=true")[1]["items"]
    assert len(tasks) == 1 and tasks[0]["kind"] == "task_employment" and tasks[0]["object_id"] == ids[0]
    assert "就业记录" in tasks[0]["message"]
    assert liaison.get("/api/v1/notifications")[1]["items"] == []
    status, done = flow.r.post(f"/api/v1/notifications/{tasks[0]['id']}/done")
    assert status == 200 and done["done_at"]
    assert flow.r.get("/api/v1/notifications?open_tasks=true")[1]["items"] == []


def test_cases_move_on_and_run_late_after_48_hours(station, app, make_app):
    flow, liaison, ids, _p = station
    status, case = liaison.post(f"{PP}/cases", {"seeker_id": ids[0], "kind": "wage_arrears", "summary": "三月工资未发",
                                                "amount_fen": 450000})
    assert status == 201 and case["status"] == "open" and case["overdue"] is False
    assert liaison.patch(f"{PP}/cases/{case['id']}", {"status": "in_progress"})[0] == 403
    # The 48 hours run on the instance's clock, EXCHANGE_TODAY included: two days on, still in time;
    # three days on, late.
    from tests.factories import Api
    for today, late in (("2026-03-02", False), ("2026-03-04", True)):
        later = make_app(EXCHANGE_TODAY=today)
        receiving = Api(later.test_client(), flow.r.token)
        overdue = receiving.get(f"{PP}/cases?overdue=true")[1]["items"]
        assert [c["id"] for c in overdue] == ([case["id"]] if late else [])
        assert receiving.get(f"{PP}/cases/{case['id']}")[1]["overdue"] is late
    from exchange.scheduler import JOBS, Runner
    reminders = next(j for j in JOBS if j.name == "reminders")
    Runner(later, "t").tick([reminders])
    Runner(later, "t").tick([reminders])        # once per occasion
    assert [n["kind"] for n in flow.r.get("/api/v1/notifications")[1]["items"]] == ["case_overdue"]
    # The station hears of it too (no follow-up is overdue yet: the two arrive on 31 March).
    assert [n["kind"] for n in liaison.get("/api/v1/notifications")[1]["items"]] == ["case_overdue"]
    status, moved = receiving.patch(f"{PP}/cases/{case['id']}", {"status": "in_progress", "note": "已联系企业"})
    assert status == 200 and moved["overdue"] is False
    status, body = flow.r.patch(f"{PP}/cases/{case['id']}", {"status": "open"})
    assert status == 409 and body["error"]["code"] == "bad_transition"
    status, resolved = flow.r.patch(f"{PP}/cases/{case['id']}", {"status": "resolved", "note": "工资已追回"})
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    assert [n["status"] for n in liaison.get(f"{PP}/cases/{case['id']}")[1]["notes"]] == ["open", "in_progress", "resolved"]


def test_overdue_follow_ups_are_reminded_once(station, make_app):
    later = make_app(EXCHANGE_TODAY="2026-04-20")
    from exchange.scheduler import JOBS, Runner
    from tests.factories import Api, Factory
    reminders = next(j for j in JOBS if j.name == "reminders")
    for _ in range(2):
        Runner(later, "t").tick([reminders])
    _u, token = Factory(later).user("liaison_officer", SENDING)
    notes = Api(later.test_client(), token).get("/api/v1/notifications")[1]["items"]
    assert [n["kind"] for n in notes] == ["followup_overdue", "followup_overdue"]
    assert all("2026-04-07" in n["message"] for n in notes)


def test_a_correction_replaces_the_log_it_corrects(station, app, api, make_app):
    flow, liaison, ids, _p = station
    wrong = log(liaison, ids[0], "2026-05-20T10:00:00+08:00", "employed")     # the visit was really on 2 May
    log(liaison, ids[0], "2026-05-02T10:00:00+08:00", "employed", corrects_id=wrong["id"])
    items, _ = due(liaison, "2026-07-01")
    assert items[ids[0]]["due_on"] == "2026-06-01" and items[ids[0]]["last_contact_on"] == "2026-05-02"
    # A returned_home logged for the wrong person, corrected at the same moment: not a returnee.
    mistaken = log(liaison, ids[1], "2026-05-03T09:00:00+08:00", "returned_home")
    log(liaison, ids[1], "2026-05-03T09:00:00+08:00", "employed", corrects_id=mistaken["id"])
    items, _ = due(liaison, "2026-07-01")
    assert items[ids[1]]["due_on"] == "2026-06-02"
    from exchange.extensions import db
    from exchange.registry.models import Seeker
    with app.app_context():
        assert db.session.get(Seeker, ids[1]).returned_home_on is None
    from tests.factories import Api, Factory
    year_end = make_app(EXCHANGE_TODAY="2027-01-15")
    _u, token = Factory(year_end).user("admin", SENDING)
    indicators = Api(year_end.test_client(), token).get(f"{PP}/indicators?year=2026")[1]["indicators"]
    assert next(i for i in indicators if i["key"] == "returnees")["actual"] == 0
    other = log(liaison, ids[0], "2026-05-04T09:00:00+08:00", "employed")
    status, body = liaison.post(f"{PP}/followups", {"seeker_id": ids[1], "method": "phone", "status": "employed",
                                                    "contacted_at": "2026-05-05T09:00:00+08:00", "corrects_id": other["id"]})
    assert status == 422 and body["error"]["details"][0]["field"] == "corrects_id"   # a correction is about the same person


def test_an_older_visit_entered_late_does_not_undo_a_later_one(station, app):
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-05-10T10:00:00+08:00", "employed")
    log(liaison, ids[0], "2026-04-20T10:00:00+08:00", "returned_home")        # came home in April, went back: old news
    items, _ = due(liaison, "2026-07-01")
    assert items[ids[0]]["due_on"] == "2026-06-09" and items[ids[0]]["last_status"] == "employed"
    from exchange.extensions import db
    from exchange.registry.models import Seeker
    with app.app_context():
        assert db.session.get(Seeker, ids[0]).returned_home_on is None


def test_a_returnee_who_goes_out_again_is_followed_again(station, app):
    flow, liaison, ids, posting = station
    log(liaison, ids[0], "2026-05-02T09:00:00+08:00", "returned_home")
    assert ids[0] not in due(liaison, "2026-12-31")[0]
    # Helped again: a new list, a new batch, a new journey.
    other = flow.posting()
    _l, supply = flow.round1([ids[0]], [other["id"]], title="返乡回流人员再就业")
    proposal = flow.s.get(f"{PP}/supply-lists/{supply['id']}/proposal")[1]
    assert [m["seeker_id"] for m in proposal["matches"]] == [ids[0]]            # a returnee may be placed again
    batch = flow.round2(supply["id"], [(ids[0], other["id"])])
    dispatch = flow.round3(batch)
    assert flow.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", {"arrivals": [
        {"match_id": dispatch["travellers"][0]["match_id"], "arrived": True,
         "arrived_at": "2026-06-10T18:00:00+08:00"}]})[0] == 200
    items, _ = due(liaison, "2026-06-30")
    assert items[ids[0]]["due_on"] == "2026-06-17"                              # a week after the new arrival
    from exchange.extensions import db
    from exchange.registry.models import Seeker
    with app.app_context():
        assert db.session.get(Seeker, ids[0]).returned_home_on is None


def test_any_offset_is_read_as_a_beijing_day_and_schedules_cross_the_year(station):
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-12-01T11:30:00-05:00")           # 16:30 UTC = 00:30 on 2 December in Beijing
    log(liaison, ids[1], "2026-12-01T15:59:00Z")                # 23:59 on 1 December in Beijing
    items, _ = due(liaison, "2027-01-31")
    assert (items[ids[0]]["due_on"], items[ids[1]]["due_on"]) == ("2027-01-01", "2026-12-31")
    assert (items[ids[0]]["days_overdue"], items[ids[1]]["days_overdue"]) == (30, 31)


def test_the_pairings_own_cadence_drives_the_worklist(station, make_app, tmp_path):
    from exchange.core.context import current_context
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-04-02T10:00:00+08:00", "unreachable")
    config = tmp_path / "cadence"
    config.mkdir()
    from tests.conftest import PROJECT
    text = (PROJECT / "partner_configs" / "xuyong-longyou.toml").read_text(encoding="utf-8")
    text = text.replace("first_contact_days = 7", "first_contact_days = 3").replace(
        "interval_days = 30", "interval_days = 14").replace("after_bad_status_days = 7", "after_bad_status_days = 2")
    (config / "xuyong-longyou.toml").write_text(text, encoding="utf-8")
    other = make_app(EXCHANGE_PARTNER_CONFIG_DIR=str(config))
    with other.app_context():
        assert current_context().pairings.get("xuyong-longyou").followup.interval_days == 14
    from tests.factories import Api, Factory
    _u, token = Factory(other).user("liaison_officer", SENDING)
    items, _ = due(Api(other.test_client(), token), "2026-05-01")
    assert (items[ids[0]]["due_on"], items[ids[1]]["due_on"]) == ("2026-04-04", "2026-04-03")


def test_a_case_is_about_someone_the_receiving_county_knows(station, api):
    flow, liaison, ids, _p = station
    stranger = flow.seekers({**three_people()[0], "national_id": national_id("19870304", 77), "name": "陈某"})[0]
    status, body = liaison.post(f"{PP}/cases", {"seeker_id": stranger, "kind": "wage_arrears", "summary": "欠薪"})
    assert status == 422 and body["error"]["details"][0]["code"] == "not_in_pairing"


def test_the_home_page_counts_agree_with_the_worklist(station, app):
    from exchange.accounts.roles import Actor
    from exchange.core.context import current_context
    from exchange.followups.service import worklist_counts
    flow, liaison, ids, _p = station
    log(liaison, ids[0], "2026-04-08T10:00:00+08:00", "unreachable")
    items, _ = due(liaison, "2026-05-01")
    with app.app_context():
        officer = Actor(user_id=None, username="t", role="liaison_officer", region=SENDING)
        assert worklist_counts(current_context(), officer, "xuyong-longyou", date(2026, 5, 1)) == (
            len(items), sum(1 for i in items.values() if i["at_risk"])) == (2, 2)
