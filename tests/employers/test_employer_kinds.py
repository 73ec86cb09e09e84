"""The kind of an employer (spec/programmes.md): an enterprise, an assistance workshop (就业帮扶车间),
an assistance base (就业帮扶基地) or a public-welfare post (公益性岗位) — what programmes pay by."""
from __future__ import annotations

from tests.clerk import Clerk
from tests.factories import RECEIVING, employer_body


def test_an_employer_is_registered_with_its_kind_and_found_by_it(api):
    clerk = api("receiving_staff", RECEIVING)
    status, workshop = clerk.post("/api/v1/employers", {**employer_body(), "kind": "workshop"})
    assert status == 201 and workshop["kind"] == "workshop"
    status, plain = clerk.post("/api/v1/employers", employer_body())
    assert status == 201 and plain["kind"] == "enterprise"                        # the default
    assert [e["id"] for e in clerk.get("/api/v1/employers?kind=workshop")[1]["items"]] == [workshop["id"]]
    status, body = clerk.post("/api/v1/employers", {**employer_body(), "kind": "farm"})
    assert status == 422 and body["error"]["details"][0]["field"] == "kind"
    assert clerk.get("/api/v1/employers?kind=farm")[0] == 422


def test_the_partner_learns_the_kind_and_an_older_partner_means_an_enterprise():
    from exchange.employers.events import EmployerRef
    ref = {"employer_ref": "0b0e7a1e-1a6b-4a3e-9c1e-000000000001", "name": "叙永县帮扶车间", "uscc": "91510524MA6XXXXXX1"}
    assert EmployerRef().load(ref)["kind"] == "enterprise"
    assert EmployerRef().load({**ref, "kind": "public_post"})["kind"] == "public_post"


def test_the_clerk_chooses_the_kind_on_the_page(app, factory):
    clerk = Clerk(app, factory, "receiving_staff", RECEIVING)
    body = employer_body()
    page = clerk.post("/employers", {**body, "kind": "base"}).text
    assert "就业帮扶基地" in page and body["name"] in page
    assert '<option value="public_post"' in clerk.get("/employers").text
