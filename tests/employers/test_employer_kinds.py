"""The kind of an employer (spec/programmes.md): an enterprise, an assistance workshop (就业帮扶车间),
an assistance base (就业帮扶基地) or a public-welfare post (公益性岗位) — what programmes pay by."""
from __future__ import annotations

from tests.clerk import Clerk
from tests.factories import RECEIVING, SENDING, employer_body, uscc


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


def test_a_workplace_gets_its_bank_account_later_and_only_its_region_changes_it(api):
    local = api("sending_staff", SENDING)
    status, workshop = local.post("/api/v1/employers", employer_body(kind="workshop", uscc=uscc(61, SENDING)))
    assert status == 201 and workshop["bank_account"] is None
    status, changed = local.patch(f"/api/v1/employers/{workshop['id']}", {"bank_name": "四川叙永农村商业银行",
                                                                             "bank_account": "6217 0000 1111 2222"})
    assert status == 200 and changed["bank_account"] == "6217 0000 1111 2222" and changed["name"] == workshop["name"]
    status, refused = local.patch(f"/api/v1/employers/{workshop['id']}", {"bank_account": "not-a-number"})
    assert status == 422 and refused["error"]["details"][0]["field"] == "bank_account"
    assert local.get(f"/api/v1/employers/{workshop['id']}")[1]["bank_account"] == "6217 0000 1111 2222"
    assert api("receiving_staff", RECEIVING).patch(f"/api/v1/employers/{workshop['id']}", {"bank_name": "x"})[0] == 404
    status, agency = local.post("/api/v1/agencies", {"name": "叙永县众诚劳务服务有限公司", "uscc": uscc(62, SENDING)})
    status, changed = local.patch(f"/api/v1/agencies/{agency['id']}", {"bank_account": "6228480000000000"})
    assert status == 200 and changed["bank_account"] == "6228480000000000"


def test_the_clerk_sets_a_workplaces_account_on_the_employers_page(app, factory, api):
    local = api("sending_staff", SENDING)
    status, workshop = local.post("/api/v1/employers", employer_body(kind="workshop", uscc=uscc(63, SENDING)))
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    assert "未登记" in clerk.get("/employers").text
    page = clerk.post(f"/employers/{workshop['id']}/account", {"bank_name": "中国农业银行", "bank_account": "6228480012345678"})
    assert "银行账户已保存" in page.text and "****5678" in page.text
    assert local.get(f"/api/v1/employers/{workshop['id']}")[1]["bank_account"] == "6228480012345678"
    wrong = clerk.post(f"/employers/{workshop['id']}/account", {"bank_account": "abc"})
    assert "****5678" in wrong.text and local.get(f"/api/v1/employers/{workshop['id']}")[1]["bank_account"] == "6228480012345678"
