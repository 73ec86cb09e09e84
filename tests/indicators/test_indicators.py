"""The indicators the counties are judged on, on hand-built data: the current year to date, a
past year whole, stable employment counted once across overlapping spells."""
from __future__ import annotations

from tests.factories import SENDING
from tests.flow import PP, log


def test_indicators_on_hand_built_data(station, app, api):
    flow, liaison, ids, posting = station
    employer = posting["employer_id"]
    # Seeker 0: employed all of 2026 from 31 March with a 10-day overlap between two jobs → 276 days: stable.
    flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": [
        {"employer_id": employer, "start_date": "2026-03-31", "end_date": "2026-07-10"},
        {"employer_id": employer, "start_date": "2026-07-01", "end_date": None}]})
    # Seeker 1: 200 days → placed, not stable.
    flow.r.put(f"{PP}/employment/{ids[1]}", {"spells": [
        {"employer_id": employer, "start_date": "2026-03-31", "end_date": "2026-10-16"}]})
    log(liaison, ids[1], "2026-10-20T10:00:00+08:00", "returned_home")
    admin = api("admin", SENDING)
    body = admin.get(f"{PP}/indicators?year=2026")[1]
    got = {i["key"]: (i["target"], i["actual"], i["last_year_same_date"]) for i in body["indicators"]}
    # Today is 2026-03-01 in tests: the current year counts only up to today.
    assert got["organized_out_of_province"] == (2060, 0, 0)
    full = admin.get(f"{PP}/indicators?year=2025")[1]
    assert {i["key"] for i in full["indicators"]} >= {"organized_out_of_province", "placed_in_receiving_region",
                                                       "chose_receiving_employers", "stable_employment", "returnees"}


def test_indicators_for_a_past_year_count_the_whole_year(station, make_app, api):
    flow, liaison, ids, posting = station
    employer = posting["employer_id"]
    flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": [
        {"employer_id": employer, "start_date": "2026-03-31", "end_date": "2026-07-10"},
        {"employer_id": employer, "start_date": "2026-07-01", "end_date": None}]})
    flow.r.put(f"{PP}/employment/{ids[1]}", {"spells": [
        {"employer_id": employer, "start_date": "2026-03-31", "end_date": "2026-10-16"}]})
    log(liaison, ids[1], "2026-10-20T10:00:00+08:00", "returned_home")
    later = make_app(EXCHANGE_TODAY="2027-03-01")
    from tests.factories import Api, Factory
    _u, token = Factory(later).user("admin", SENDING)
    body = Api(later.test_client(), token).get(f"{PP}/indicators?year=2026")[1]
    got = {i["key"]: i["actual"] for i in body["indicators"]}
    # Departed 28 March 2026 (both travellers), hired 2026 (three, results recorded now), 276 and 200 days employed.
    assert got["organized_out_of_province"] == 2 and got["placed_in_receiving_region"] == 2
    assert got["stable_employment"] == 1 and got["returnees"] == 1
    assert got["chose_receiving_employers"] == 3          # hired to start on 31 March 2026
    # 2027 so far (to 1 March) against 2026 to 1 March: one still employed now, nobody placed then.
    now = Api(later.test_client(), token).get(f"{PP}/indicators?year=2027")[1]
    placed = next(i for i in now["indicators"] if i["key"] == "placed_in_receiving_region")
    assert (placed["actual"], placed["last_year_same_date"], now["as_of"]) == (1, 0, "2027-03-01")


def test_stable_employment_needs_243_days_counted_once(station, make_app):
    flow, liaison, ids, posting = station
    employer = posting["employer_id"]
    # Seeker 0: exactly 243 days of 2026 (1 May – 29 December) in two overlapping spells.
    flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": [
        {"employer_id": employer, "start_date": "2026-05-01", "end_date": "2026-09-30"},
        {"employer_id": employer, "start_date": "2026-09-01", "end_date": "2026-12-29"}]})
    # Seeker 1: 242 days, though the two spells add up to more (they overlap by a month).
    flow.r.put(f"{PP}/employment/{ids[1]}", {"spells": [
        {"employer_id": employer, "start_date": "2026-05-02", "end_date": "2026-09-30"},
        {"employer_id": employer, "start_date": "2026-09-01", "end_date": "2026-12-29"}]})
    later = make_app(EXCHANGE_TODAY="2027-01-15")
    from tests.factories import Api, Factory
    _u, token = Factory(later).user("admin", SENDING)
    body = Api(later.test_client(), token).get(f"{PP}/indicators?year=2026")[1]
    got = {i["key"]: i for i in body["indicators"]}
    assert got["stable_employment"]["actual"] == 1 and got["placed_in_receiving_region"]["actual"] == 2
    assert got["stable_employment"]["target"] is None and got["organized_out_of_province"]["target"] == 2060
    assert got["placed_in_receiving_region"]["last_year_same_date"] == 0
    assert body["money"]["transport"] == {"claimed_fen": 0, "approved_fen": 0, "paid_fen": 0}


def test_as_of_a_day_a_span_and_completion_against_basic_and_stretch_targets(station, make_app, tmp_path):
    """Both travellers departed on 28 March 2026 (station_of); counted at the end of a day within
    the year, over a month, against the 2026 targets of the file (basic 2060, stretch 4000 here)."""
    from tests.factories import Api, Factory
    from tests.servers import pairing_dir_with
    later = make_app(EXCHANGE_TODAY="2027-03-01", EXCHANGE_PARTNER_CONFIG_DIR=str(pairing_dir_with(
        tmp_path / "config", "\n[targets.2026.stretch]\norganized_out_of_province = 4000\n")))
    _u, token = Factory(later).user("admin", SENDING)
    admin = Api(later.test_client(), token)

    def out_of_province(query):
        status, body = admin.get(f"{PP}/indicators?{query}")
        assert status == 200, body
        return body, next(i for i in body["indicators"] if i["key"] == "organized_out_of_province")

    body, before = out_of_province("year=2026&as_of=2026-03-27")
    assert (before["actual"], body["as_of"], body["from"]) == (0, "2026-03-27", "2026-01-01")
    body, after = out_of_province("year=2026&as_of=2026-03-28")
    assert (after["actual"], after["target"], after["stretch_target"]) == (2, 2060, 4000)
    assert after["completion"] == round(2 / 2060, 4) and after["last_year_same_date"] == 0
    body, march = out_of_province("from=2026-03-01&to=2026-03-31")
    assert (march["actual"], body["from"], body["to"], body["year"]) == (2, "2026-03-01", "2026-03-31", None)
    _body, april = out_of_province("from=2026-04-01&to=2026-04-30")
    assert april["actual"] == 0 and april["completion"] == 0.0
    _body, next_year = out_of_province("from=2027-03-01&to=2027-03-31")
    assert next_year["last_year_same_date"] == 2 and next_year["target"] is None and next_year["completion"] is None
    for bad, field in (("year=2026&as_of=2025-12-31", "as_of"), ("from=2026-04-01&to=2026-03-01", "from"),
                       ("from=2026-04-01", "to"), ("year=2026&from=2026-01-01&to=2026-02-01", "year"),
                       ("", "year"), ("from=2020-01-01&to=2026-01-01", "to")):
        status, refused = admin.get(f"{PP}/indicators?{bad}")
        assert status == 422 and refused["error"]["details"][0]["field"] == field, (bad, refused)
