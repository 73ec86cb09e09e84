"""What every endpoint shares: JSON errors, idempotency keys, cursor pagination, no personal data
in logs."""
from __future__ import annotations

import logging

from tests.factories import SENDING, national_id, seeker_body


def test_errors_under_api_are_json_never_html(api):
    staff = api("sending_staff", SENDING)
    client = staff.client
    for response in (client.get("/api/v1/nothing-here"), client.delete("/api/v1/seekers"),
                     client.post("/api/v1/seekers", data="{", content_type="application/json",
                                 headers={"Authorization": f"Bearer {staff.token}"})):
        assert response.is_json and set(response.get_json()["error"]) >= {"code", "message"}
    assert client.get("/api/v1/nothing-here").status_code == 404
    assert client.delete("/api/v1/seekers").status_code == 405
    bad_json = client.post("/api/v1/seekers", data="{", content_type="application/json",
                           headers={"Authorization": f"Bearer {staff.token}"})
    assert bad_json.status_code == 400 and bad_json.get_json()["error"]["code"] == "bad_request"
    status, answer = staff.post("/api/v1/seekers", [1, 2])
    assert status == 422


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(api):
    staff = api("sending_staff", SENDING)
    body = seeker_body()
    first = staff.post("/api/v1/seekers", body, headers={"Idempotency-Key": "k-1"})
    again = staff.client.post("/api/v1/seekers", json=body,
                              headers={"Authorization": f"Bearer {staff.token}", "Idempotency-Key": "k-1"})
    assert first[0] == 201 and again.status_code == 201 and again.get_json() == first[1]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(staff.get("/api/v1/seekers")[1]["items"]) == 1
    status, answer = staff.post("/api/v1/seekers", seeker_body(), headers={"Idempotency-Key": "k-1"})
    assert status == 409 and answer["error"]["code"] == "idempotency_mismatch"
    # The key belongs to its user: another clerk's same key is a different request.
    other = api("sending_staff", SENDING)
    assert other.post("/api/v1/seekers", seeker_body(), headers={"Idempotency-Key": "k-1"})[0] == 201


def test_a_failed_request_releases_its_key(api):
    staff = api("sending_staff", SENDING)
    bad = seeker_body(phone="1")
    assert staff.post("/api/v1/seekers", bad, headers={"Idempotency-Key": "k-2"})[0] == 422
    good = seeker_body()
    assert staff.post("/api/v1/seekers", good, headers={"Idempotency-Key": "k-2"})[0] == 201


def test_idempotency_applies_to_uploads_too(api):
    from tests.registry.test_import import csv_bytes, row
    staff = api("sending_staff", SENDING)
    content = csv_bytes([row()])
    first = staff.upload("/api/v1/seekers/import", "a.csv", content, headers={"Idempotency-Key": "up-1"})
    second = staff.upload("/api/v1/seekers/import", "a.csv", content, headers={"Idempotency-Key": "up-1"})
    assert first == second and first[1]["accepted"] == 1
    assert len(staff.get("/api/v1/seekers")[1]["items"]) == 1
    assert staff.upload("/api/v1/seekers/import", "a.csv", csv_bytes([row()]), headers={"Idempotency-Key": "up-1"})[0] == 409
    assert staff.post("/api/v1/seekers", seeker_body(), headers={"Idempotency-Key": "x" * 256})[0] == 422


def test_cursor_pagination_walks_every_item_once(api):
    staff = api("sending_staff", SENDING)
    ids = [staff.post("/api/v1/seekers", seeker_body())[1]["id"] for _ in range(7)]
    seen, cursor = [], None
    while True:
        status, page = staff.get("/api/v1/seekers?limit=3" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200 and len(page["items"]) <= 3
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    assert staff.get("/api/v1/seekers?limit=0")[0] == 422
    assert staff.get("/api/v1/seekers?limit=501")[0] == 422
    assert staff.get("/api/v1/seekers?cursor=garbage")[0] == 422


def test_personal_numbers_never_reach_the_log(api, caplog):
    staff = api("sending_staff", SENDING)
    number = national_id()
    body = seeker_body(national_id=number, phone="13912345678")
    with caplog.at_level(logging.DEBUG):
        staff.post("/api/v1/seekers", body)
        staff.get(f"/api/v1/seekers?national_id={number}&phone=13912345678")
        logging.getLogger("werkzeug").info('"GET /api/v1/seekers?national_id=%s HTTP/1.1" 200', number)
        logging.getLogger("exchange").warning("looked up %s by phone %s", number, "13912345678")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert number not in text and "13912345678" not in text
    assert "[ID]" in text and "[PHONE]" in text


def test_a_nul_character_is_a_field_error_not_a_crash(api):
    """PostgreSQL stores no NUL character: a query, a form or a JSON body with one is refused."""
    from tests.factories import SENDING, seeker_body
    clerk = api("sending_staff", SENDING)
    status, body = clerk.get("/api/v1/postings?ref=a%00b")
    assert status == 422 and body["error"]["details"][0]["field"] == "ref"
    status, body = clerk.post("/api/v1/seekers", {**seeker_body(), "name": "龙\x00志明"})
    assert status == 422 and body["error"]["details"][0]["field"] == "name"
    assert clerk.get("/api/v1/seekers")[1]["items"] == []
