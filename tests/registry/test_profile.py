"""Round 1's profile of a seeker is declared once (exchange.registry.profile): what the event
carries, what the partner's copy stores, and what the partner's region is shown all come from it."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from exchange.registry.profile import COLUMNS, COPY_COLUMNS, SeekerProfile, copy_row, profile, profile_payload
from tests.flow import PP, Flow, three_people

PERSON = SimpleNamespace(ref="r-1", birth_date=date(1990, 5, 12), age_reported=None, gender="F", education="junior",
                         skills=None, occupations_wanted=["缝纫"], wage_expectation_fen=400000, work_type="long_term",
                         available_from=date(2026, 3, 20), household_status="registered_poor",
                         name="吴秀英", national_id_masked="510524********0421", phone_masked="138****0001")


def test_the_profile_travels_and_lands_as_it_left():
    payload = profile_payload(PERSON, date(2026, 3, 1))
    assert set(payload) == set(SeekerProfile._declared_fields) and "name" not in payload
    assert payload["age"] == 35 and payload["skills"] == [] and payload["available_from"] == "2026-03-20"
    row = copy_row(SeekerProfile().load(payload))
    assert row["ref"] == "r-1" and row["age_reported"] == 35
    assert {column: row[column] for column in COLUMNS} == {column: profile(PERSON, date(2026, 3, 1))[column]
                                                           for column in COLUMNS}
    assert set(COPY_COLUMNS) == set(row) - {"ref"}


def test_the_partner_is_shown_the_profile_and_nothing_more(api, factory):
    flow = Flow(api, factory)
    ids = flow.seekers(*three_people()[:1])
    seeker_list, _supply = flow.round1(ids, [flow.posting()["id"]])
    status, seen = flow.r.get(f"{PP}/seeker-lists/{seeker_list['id']}")
    [person] = seen["seekers"]
    shown = {key for key, value in person.items() if value not in (None, [], "")}
    assert shown == {"id", "ref", "region", "disclosure", "created_at"} | (set(SeekerProfile._declared_fields) - {"seeker_ref"})
    assert person["disclosure"] == "profile" and person["name"] is None and person["national_id"] is None
