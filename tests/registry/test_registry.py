"""Registering seekers by API: validation of what clerks type, masking, uniqueness, reveal."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from tests.factories import RECEIVING, SENDING, national_id, seeker_body


def test_a_valid_seeker_is_registered_with_id_and_phone_masked(api):
    staff = api("sending_staff", SENDING)
    body = seeker_body(national_id=national_id("19900512", 31), phone="13800000001")
    status, seeker = staff.post("/api/v1/seekers", body)
    assert status == 201, seeker
    assert seeker["national_id"] == body["national_id"][:6] + "********" + body["national_id"][-4:]
    assert seeker["phone"] == "138****0001"
    assert body["national_id"] not in str(seeker) and "13800000001" not in str(seeker)
    assert seeker["region"] == SENDING and seeker["ref"] and seeker["age"] == 35
    status, again = staff.get(f"/api/v1/seekers/{seeker['id']}")
    assert status == 200 and again["national_id"] == seeker["national_id"]
    status, page = staff.get("/api/v1/seekers")
    assert body["national_id"] not in str(page) and page["items"][0]["phone"] == "138****0001"


def test_identifiers_are_encrypted_at_rest(api, app):
    staff = api("sending_staff", SENDING)
    body = seeker_body()
    status, seeker = staff.post("/api/v1/seekers", body)
    assert status == 201
    from exchange.extensions import db
    with app.app_context():
        row = db.session.execute(text("SELECT * FROM seekers WHERE id = :id"), {"id": seeker["id"]}).mappings().one()
        stored = " ".join(str(v) for v in row.values())
        assert body["national_id"] not in stored and body["phone"] not in stored
        assert body["national_id"].encode() not in bytes(row["national_id_enc"])


@pytest.mark.parametrize("change, field, code", [
    ({"national_id": national_id()[:-1] + "0" if national_id()[-1] != "0" else national_id()[:-1] + "1"}, "national_id", "bad_national_id"),
    ({"national_id": "51052419900231" + "0315"}, "national_id", "bad_national_id"),        # 31 February
    ({"national_id": national_id("20300101")}, "national_id", "bad_national_id"),          # born in the future
    ({"national_id": national_id("20150101")}, "national_id", "bad_value"),                # 11 years old
    ({"national_id": national_id("19500101")}, "national_id", "bad_value"),                # 76 years old
    ({"national_id": "12345"}, "national_id", "bad_national_id"),
    ({"phone": "1380000000"}, "phone", "bad_phone"),
    ({"phone": "23800000000"}, "phone", "bad_phone"),
    ({"education": "博士后"}, "education", "bad_value"),
    ({"work_type": "临时"}, "work_type", "bad_value"),
    ({"wage_expectation_fen": -1}, "wage_expectation_fen", "bad_value"),
    ({"name": ""}, "name", "bad_value"),
])
def test_bad_fields_are_refused_with_the_field_and_code(api, change, field, code):
    staff = api("sending_staff", SENDING)
    status, answer = staff.post("/api/v1/seekers", seeker_body(**change))
    assert status == 422, answer
    assert answer["error"]["code"] == "invalid"
    assert {"field": field, "code": code} in [{"field": d["field"], "code": d["code"]} for d in answer["error"]["details"]]
    status, page = staff.get("/api/v1/seekers")
    assert page["items"] == []


def test_what_clerks_type_is_accepted(api):
    staff = api("sending_staff", SENDING)
    number = national_id("19950817", 42, male=False)
    status, seeker = staff.post("/api/v1/seekers", seeker_body(
        national_id=f" {number[:-1]} {number[-1].lower()} ", phone="138 0000 0002", gender="女", education="高中",
        work_type="季节性", household_status="监测对象", consent_to_share="是", available_from="2026/3/1",
        skills="缝纫、电子装配"))
    assert status == 201, seeker
    assert (seeker["gender"], seeker["education"], seeker["work_type"], seeker["household_status"]) == \
           ("F", "senior", "seasonal", "monitored")
    assert seeker["consent_to_share"] is True and seeker["available_from"] == "2026-03-01"
    assert seeker["skills"] == ["缝纫", "电子装配"]


def test_gender_is_taken_from_the_id_when_omitted_and_a_mismatch_is_a_warning(api):
    staff = api("sending_staff", SENDING)
    body = seeker_body(national_id=national_id(male=False))
    del body["gender"]
    status, seeker = staff.post("/api/v1/seekers", body)
    assert status == 201 and seeker["gender"] == "F" and seeker["warnings"] == []
    status, seeker = staff.post("/api/v1/seekers", seeker_body(national_id=national_id(male=False), gender="M"))
    assert status == 201 and [w["code"] for w in seeker["warnings"]] == ["gender_differs_from_id"]


def test_an_unknown_birthplace_is_only_a_warning(api):
    staff = api("sending_staff", SENDING)
    status, seeker = staff.post("/api/v1/seekers", seeker_body(national_id=national_id(prefix="519999")))
    assert status == 201
    assert [w["code"] for w in seeker["warnings"]] == ["unknown_birthplace"]


def test_the_same_person_cannot_be_registered_twice(api):
    staff = api("sending_staff", SENDING)
    number = national_id()
    assert staff.post("/api/v1/seekers", seeker_body(national_id=number))[0] == 201
    status, answer = staff.post("/api/v1/seekers", seeker_body(national_id=number.lower(), phone="13900000000"))
    assert status == 409 and answer["error"]["code"] == "already_registered"


def test_only_sending_staff_register_and_other_regions_see_nothing(api):
    sending, receiving = api("sending_staff", SENDING), api("receiving_staff", RECEIVING)
    status, answer = receiving.post("/api/v1/seekers", seeker_body())
    assert status == 403 and answer["error"]["code"] == "forbidden"
    status, seeker = sending.post("/api/v1/seekers", seeker_body())
    assert receiving.get("/api/v1/seekers")[1]["items"] == []
    assert receiving.get(f"/api/v1/seekers/{seeker['id']}")[0] == 404
    assert api("sending_staff", "451228").get(f"/api/v1/seekers/{seeker['id']}")[0] == 404


def test_reveal_answers_the_full_values_and_is_audited_without_them(api, app):
    staff = api("sending_staff", SENDING)
    body = seeker_body()
    seeker = staff.post("/api/v1/seekers", body)[1]
    status, answer = staff.post(f"/api/v1/seekers/{seeker['id']}/reveal", {})
    assert status == 422 and answer["error"]["details"][0]["field"] == "reason"
    status, revealed = staff.post(f"/api/v1/seekers/{seeker['id']}/reveal", {"reason": "办理社保"})
    assert status == 200 and revealed["national_id"] == body["national_id"] and revealed["phone"] == body["phone"]
    from exchange.core.audit import AuditEntry
    from exchange.extensions import db
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "seeker.revealed"))
        assert entry.object_id == seeker["id"] and entry.details == {"reason": "办理社保", "people": 1}
    assert api("liaison_officer", SENDING).post(f"/api/v1/seekers/{seeker['id']}/reveal", {"reason": "x1"})[0] == 403
    assert api("sending_staff", "451228").post(f"/api/v1/seekers/{seeker['id']}/reveal", {"reason": "x1"})[0] == 404


def test_a_reveal_is_never_kept_for_replay_and_each_call_is_audited(api, app):
    staff = api("sending_staff", SENDING)
    body = seeker_body()
    seeker = staff.post("/api/v1/seekers", body)[1]
    key = {"Idempotency-Key": "reveal-once"}
    for _ in range(2):
        status, revealed = staff.post(f"/api/v1/seekers/{seeker['id']}/reveal", {"reason": "办理社保"}, headers=key)
        assert status == 200 and revealed["national_id"] == body["national_id"]
    from exchange.core.audit import AuditEntry
    from exchange.core.idempotency import IdempotencyKey
    from exchange.extensions import db
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0   # nothing in clear at rest
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "seeker.revealed")) == 2


def test_seekers_are_found_by_ref_full_id_number_and_name(api):
    staff = api("sending_staff", SENDING)
    body = seeker_body(name="吴秀英")
    seeker = staff.post("/api/v1/seekers", body)[1]
    staff.post("/api/v1/seekers", seeker_body(name="潘老四"))
    assert [s["id"] for s in staff.get(f"/api/v1/seekers?ref={seeker['ref']}")[1]["items"]] == [seeker["id"]]
    assert [s["id"] for s in staff.get(f"/api/v1/seekers?national_id={body['national_id']}")[1]["items"]] == [seeker["id"]]
    assert [s["name"] for s in staff.get("/api/v1/seekers?q=吴")[1]["items"]] == ["吴秀英"]
    assert staff.get(f"/api/v1/seekers?phone={body['phone']}")[1]["items"][0]["id"] == seeker["id"]
