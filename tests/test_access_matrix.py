"""Who may do what: every endpoint × role × region relation → the expected status, in one table.

Columns (the acting user): the pairing xuyong-longyou's sending region S = 510524 and receiving
region R = 330825, and regions of another pairing: S' = 451228 (sending) and R' = 440309."""
from __future__ import annotations

import pytest

from tests.factories import RECEIVING, SENDING, employer_body, posting_body, seeker_body
from tests.test_import import csv_bytes, row

ACTORS = [
    ("sending_staff", SENDING), ("liaison_officer", SENDING), ("finance_approver", SENDING), ("admin", SENDING),
    ("receiving_staff", RECEIVING), ("finance_approver", RECEIVING), ("admin", RECEIVING),
    ("sending_staff", "451228"), ("receiving_staff", "440309"),
]
HEADER = "            S:staff S:liaison S:fin S:admin | R:staff R:fin R:admin | S':staff R':staff"

# (name, method, path, body) → statuses in ACTORS order.
MATRIX = {
    ("me", "GET", "/api/v1/me", None):                                  (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("pairing", "GET", "/api/v1/pairings/xuyong-longyou", None):        (200, 200, 200, 200, 200, 200, 200, 403, 403),
    ("pairings", "GET", "/api/v1/pairings", None):                      (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("register seeker", "POST", "/api/v1/seekers", "seeker"):           (201, 403, 403, 403, 403, 403, 403, 201, 403),
    ("list seekers", "GET", "/api/v1/seekers", None):                   (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("read seeker", "GET", "/api/v1/seekers/{seeker}", None):           (200, 200, 200, 200, 404, 404, 404, 404, 404),
    ("reveal", "POST", "/api/v1/seekers/{seeker}/reveal", "reason"):    (200, 403, 403, 403, 403, 403, 403, 404, 403),
    ("import", "POST", "/api/v1/seekers/import?dry_run=1", "file"):     (200, 403, 403, 403, 403, 403, 403, 200, 403),
    ("import run", "GET", "/api/v1/seekers/imports/{run}", None):       (200, 200, 200, 200, 404, 404, 404, 404, 404),
    ("error report", "GET", "/api/v1/seekers/imports/{run}/errors.xlsx", None): (200, 200, 200, 200, 404, 404, 404, 404, 404),
    ("register employer", "POST", "/api/v1/employers", "employer"):     (403, 403, 403, 403, 201, 403, 403, 403, 201),
    ("read employer", "GET", "/api/v1/employers/{employer}", None):     (404, 404, 404, 404, 200, 200, 200, 404, 404),
    ("vet employer", "POST", "/api/v1/employers/{pending}/vet", "vet"): (403, 403, 403, 403, 200, 403, 403, 403, 404),
    ("create posting", "POST", "/api/v1/postings", "posting"):          (403, 403, 403, 403, 201, 403, 403, 403, 404),
    ("read posting", "GET", "/api/v1/postings/{posting}", None):        (404, 404, 404, 404, 200, 200, 200, 404, 404),
    ("close posting", "POST", "/api/v1/postings/{open_posting}/close", None): (403, 403, 403, 403, 200, 403, 403, 403, 404),
}


@pytest.fixture
def world(api, factory):
    sending, receiving = api("sending_staff", SENDING), api("receiving_staff", RECEIVING)
    seeker = sending.post("/api/v1/seekers", seeker_body())[1]
    run = sending.upload("/api/v1/seekers/import?dry_run=1", "a.csv", csv_bytes([row(phone_="1")]))[1]
    employer = factory.approved_employer(receiving)
    posting = receiving.post("/api/v1/postings", posting_body(employer["id"]))[1]

    def fresh(kind: str) -> int:
        if kind == "pending":
            return receiving.post("/api/v1/employers", employer_body())[1]["id"]
        return receiving.post("/api/v1/postings", posting_body(employer["id"]))[1]["id"]
    return {"seeker": seeker["id"], "run": run["id"], "employer": employer["id"], "posting": posting["id"], "fresh": fresh}


def _body(kind, world):
    return {"seeker": lambda: seeker_body(), "reason": lambda: {"reason": "核对身份"},
            "employer": lambda: employer_body(), "vet": lambda: {"decision": "approved", "reason": "ok"},
            "posting": lambda: posting_body(world["employer"])}[kind]()


@pytest.mark.parametrize("endpoint", list(MATRIX), ids=[key[0] for key in MATRIX])
def test_access_matrix(api, world, endpoint):
    name, method, path, body_kind = endpoint
    got = []
    for role, region in ACTORS:
        client = api(role, region)
        url = path.format(seeker=world["seeker"], run=world["run"], employer=world["employer"], posting=world["posting"],
                          pending=world["fresh"]("pending") if "{pending}" in path else 0,
                          open_posting=world["fresh"]("posting") if "{open_posting}" in path else 0)
        if body_kind == "file":
            status, _ = client.upload(url, "a.csv", csv_bytes([row()]))
        elif method == "GET":
            status, _ = client.get(url)
        else:
            status, _ = client.post(url, _body(body_kind, world) if body_kind else None)
        got.append(status)
    assert tuple(got) == MATRIX[endpoint], f"\n{HEADER}\nexpected {MATRIX[endpoint]}\ngot      {tuple(got)}"
