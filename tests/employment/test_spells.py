"""A person's employment record: the receiving county replaces the whole list at once (state, not
delta), with its own approved employers; the sending county reads it; the timeline tells it."""
from __future__ import annotations

from tests.factories import SENDING
from tests.flow import PP


def test_the_record_is_replaced_whole_and_read_by_both_sides(station):
    flow, liaison, ids, posting = station
    employer = posting["employer_id"]
    spells = [{"employer_id": employer, "start_date": "2026-04-01", "end_date": "2026-06-30", "monthly_wage_fen": 450000},
              {"employer_id": employer, "start_date": "2026-07-10", "end_date": None}]
    status, body = flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": spells})
    assert status == 200 and [s["start_date"] for s in body["spells"]] == ["2026-04-01", "2026-07-10"]
    status, body = flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": spells[1:]})
    assert [s["start_date"] for s in body["spells"]] == ["2026-07-10"]                  # the whole list replaced
    status, read = flow.s.get(f"{PP}/employment/{ids[0]}")
    assert status == 200 and read["spells"][0]["employer_name"] and read["spells"][0]["end_date"] is None
    story = flow.s.get(f"{PP}/seekers/{ids[0]}/timeline")[1]["items"]
    assert "employment.started" in [item["kind"] for item in story]


def test_a_wrong_record_changes_nothing(station, api):
    flow, liaison, ids, posting = station
    employer = posting["employer_id"]
    flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": [{"employer_id": employer, "start_date": "2026-04-01"}]})
    status, body = flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": [
        {"employer_id": employer, "start_date": "2026-05-01", "end_date": "2026-04-01"},
        {"employer_id": 999999, "start_date": "2026-05-01"}]})
    assert status == 422 and {d["field"] for d in body["error"]["details"]} == {"spells[0].end_date", "spells[1].employer_id"}
    assert [s["start_date"] for s in flow.r.get(f"{PP}/employment/{ids[0]}")[1]["spells"]] == ["2026-04-01"]
    # The sending clerk's (empty) list of local jobs replaces only the sending county's spells.
    assert api("sending_staff", SENDING).put(f"{PP}/employment/{ids[0]}", {"spells": []})[0] == 200
    assert [s["start_date"] for s in flow.r.get(f"{PP}/employment/{ids[0]}")[1]["spells"]] == ["2026-04-01"]
