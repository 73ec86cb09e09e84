"""Employers, their vetting, and postings of approved employers only."""
from __future__ import annotations

import pytest

from tests.factories import RECEIVING, SENDING, employer_body, posting_body, uscc


@pytest.fixture
def clerk(api):
    return api("receiving_staff", RECEIVING)


def test_an_employer_starts_pending_and_is_vetted_with_a_reason(clerk):
    status, employer = clerk.post("/api/v1/employers", employer_body(uscc=uscc(7).lower()))
    assert status == 201 and employer["status"] == "pending" and employer["uscc"] == uscc(7)
    status, answer = clerk.post(f"/api/v1/employers/{employer['id']}/vet", {"decision": "rejected"})
    assert status == 422 and answer["error"]["details"][0]["field"] == "reason"
    status, rejected = clerk.post(f"/api/v1/employers/{employer['id']}/vet", {"decision": "rejected", "reason": "无营业执照"})
    assert status == 200 and rejected["status"] == "rejected" and rejected["vet_reason"] == "无营业执照"
    status, answer = clerk.post(f"/api/v1/employers/{employer['id']}/vet", {"decision": "rejected", "reason": "again"})
    assert status == 409 and answer["error"]["code"] == "already_vetted"
    status, approved = clerk.post(f"/api/v1/employers/{employer['id']}/vet", {"decision": "approved", "reason": "补齐材料"})
    assert status == 200 and approved["status"] == "approved"


def test_an_invalid_credit_code_is_refused(clerk):
    status, answer = clerk.post("/api/v1/employers", employer_body(uscc="91440305MA2XXXXX00"))
    assert status == 422 and answer["error"]["details"][0] == {
        "field": "uscc", "code": "bad_uscc", "message": answer["error"]["details"][0]["message"]}


def test_the_same_employer_is_registered_once_per_region(clerk):
    code = uscc(99)
    assert clerk.post("/api/v1/employers", employer_body(uscc=code))[0] == 201
    status, answer = clerk.post("/api/v1/employers", employer_body(uscc=code, name="别名"))
    assert status == 409 and answer["error"]["code"] == "already_registered"


def test_postings_only_for_approved_employers(clerk, factory):
    status, employer = clerk.post("/api/v1/employers", employer_body())
    status, answer = clerk.post("/api/v1/postings", posting_body(employer["id"]))
    assert status == 409 and answer["error"]["code"] == "employer_not_approved"
    approved = factory.approved_employer(clerk)
    status, posting = clerk.post("/api/v1/postings", posting_body(approved["id"], occupation="普工"))
    assert status == 201 and posting["occupation_code"] == "6-99" and posting["employer"]["name"]
    assert posting["requirements"] == {"gender": "any", "age_min": 18, "age_max": 50, "education_min": "primary", "skills": []}
    assert clerk.get(f"/api/v1/postings/{posting['id']}")[1]["title"] == "电子装配工"


@pytest.mark.parametrize("change, field", [
    ({"headcount": 0}, "headcount"),
    ({"wage_min_fen": 600000, "wage_max_fen": 500000}, "wage_min_fen"),
    ({"requirements": {"age_min": 50, "age_max": 20}}, "requirements.age_min"),
    ({"requirements": {"gender": "X"}}, "requirements.gender"),
    ({"requirements": {"education_min": "博士"}}, "requirements.education_min"),
    ({"location_region": "3308"}, "location_region"),
    ({"start_date": "明天"}, "start_date"),
    ({"interview_mode": "video"}, "interview_mode"),
    ({"headcount": "5"}, "headcount"),
])
def test_posting_requirements_are_validated(clerk, factory, change, field):
    employer = factory.approved_employer(clerk)
    status, answer = clerk.post("/api/v1/postings", posting_body(employer["id"], **change))
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]]
    assert clerk.get("/api/v1/postings")[1]["items"] == []


def test_each_region_registers_its_own_employers_and_sees_only_its_own(clerk, api, factory):
    # The sending county registers its local workshops, bases and public-welfare posts itself.
    status, local = api("sending_staff", SENDING).post("/api/v1/employers", employer_body(kind="workshop"))
    assert status == 201 and local["region"] == SENDING and local["kind"] == "workshop" and local["status"] == "pending"
    assert clerk.get(f"/api/v1/employers/{local['id']}")[0] == 404      # the partner sees none of it
    assert clerk.post(f"/api/v1/employers/{local['id']}/vet", {"decision": "approved"})[0] == 404
    employer = factory.approved_employer(clerk)
    other = api("receiving_staff", "440309")
    assert other.get(f"/api/v1/employers/{employer['id']}")[0] == 404
    assert other.post("/api/v1/postings", posting_body(employer["id"]))[0] == 404
    assert other.post(f"/api/v1/employers/{employer['id']}/vet", {"decision": "rejected", "reason": "x"})[0] == 404
    assert [e["id"] for e in api("sending_staff", SENDING).get("/api/v1/employers")[1]["items"]] == [local["id"]]


def test_closing_a_posting(clerk, factory):
    employer = factory.approved_employer(clerk)
    posting = clerk.post("/api/v1/postings", posting_body(employer["id"]))[1]
    assert clerk.post(f"/api/v1/postings/{posting['id']}/close")[1]["status"] == "closed"
    assert clerk.post(f"/api/v1/postings/{posting['id']}/close")[0] == 409
