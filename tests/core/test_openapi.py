"""The OpenAPI document is generated from the schemas, and the API keeps to it: a bounded
schemathesis run finds no 5xx and no answer that differs from what is documented."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from tests.factories import RECEIVING, SENDING, posting_body, seeker_body


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Every role on the side it works on: what each may not do must be refused as documented, never a 5xx.
ROLES = [("staff", None), ("receiving_staff", RECEIVING), ("liaison_officer", SENDING), ("finance_approver", SENDING), ("finance_approver", RECEIVING),
         ("admin", SENDING), ("admin", RECEIVING), ("auditor", SENDING), ("auditor", RECEIVING)]


@pytest.mark.parametrize("role, region", ROLES)
def test_the_api_keeps_to_its_documentation(app, api, factory, role, region):
    sending, receiving = api("sending_staff", SENDING), api("receiving_staff", RECEIVING)
    sending.post("/api/v1/seekers", seeker_body())
    employer = factory.approved_employer(receiving)
    receiving.post("/api/v1/postings", posting_body(employer["id"]))
    caller = api(role, region) if region else None
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    # The clerks (each on the paths of their side) get the most examples; every other role a few.
    examples = int(os.environ.get("EXCHANGE_FUZZ_EXAMPLES", "8")) if caller is None else 5
    for operation in operations:
        side = caller or (receiving if operation.path.startswith(("/api/v1/employers", "/api/v1/postings")) else sending)

        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def exercise(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {side.token}"}, checks=CHECKS)
        exercise()


def test_the_document_lists_every_contract_path(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    for path in ("/api/v1/seekers", "/api/v1/seekers/import", "/api/v1/seekers/{seeker_id}/reveal",
                 "/api/v1/employers", "/api/v1/employers/{employer_id}/vet", "/api/v1/postings"):
        assert path in document["paths"], path
    seeker = document["components"]["schemas"]["SeekerIn"]
    assert {"name", "national_id", "phone", "education"} <= set(seeker["required"])


def test_the_docs_are_served_by_the_app_itself(app):
    client = app.test_client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "http" not in page.text.split("<body>")[1].replace("/api/v1", "")
    assert client.get("/api/v1/docs/static/swagger-ui-bundle.js").status_code == 200
