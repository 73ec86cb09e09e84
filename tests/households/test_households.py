"""Households (户) and the zero-employment list (零就业家庭, spec/programmes.md): a household whose
working-age members (16–60) have no spell covering the day is on the list, until one of them
works; a household with nobody of working age is not."""
from __future__ import annotations

from datetime import date

from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from tests.factories import PAIRING, RECEIVING, SENDING, national_id, seeker_body


def _person(clerk, born: str, **extra) -> int:
    status, seeker = clerk.post("/api/v1/seekers", seeker_body(national_id=national_id(born), **extra))
    assert status == 201, seeker
    return seeker["id"]


def _spell(app, seeker_id: int, employer_id: int, start: str, end: str | None = None) -> None:
    with app.app_context():
        db.session.add(EmploymentSpell(pairing_id=PAIRING, region=RECEIVING, seeker_id=seeker_id, employer_id=employer_id,
                                       start_date=date.fromisoformat(start), end_date=end and date.fromisoformat(end),
                                       created_at=db.func.now()))
        db.session.commit()


def _household(clerk, number: str, members: list[int], **extra):
    status, body = clerk.post("/api/v1/households", {"household_no": number, "status": "registered_poor",
                                                     "official_name": "王帮扶", "official_phone": "0830-6200000",
                                                     "member_ids": members, **extra})
    assert status == 201, body
    return body


def test_the_zero_employment_list_and_how_it_changed_since_last_month(app, api, factory):
    clerk = api("sending_staff", SENDING)
    employer = factory.approved_employer(api("receiving_staff", RECEIVING))
    father, mother, grandmother = _person(clerk, "19880301"), _person(clerk, "19900705", gender="F"), _person(clerk, "19610203")
    son = _person(clerk, "19990101")
    idle = _household(clerk, "5105240001", [father, mother, grandmother])
    working = _household(clerk, "5105240002", [son])
    elderly = _household(clerk, "5105240003", [_person(clerk, "19620809")])
    _spell(app, son, employer["id"], "2020-01-01")                       # works, on and on
    _spell(app, mother, employer["id"], "2026-01-01", "2026-02-28")      # worked, stopped before the day counted
    assert (idle["members"], idle["working_age"], idle["employed"]) == (3, 2, 0)
    assert [p["working_age"] for p in idle["people"]] == [False, True, True]        # eldest first: 65, then 37, 35
    zero = clerk.get("/api/v1/households?zero_employment=true&as_of=2026-04-15")[1]["items"]
    assert [h["household_no"] for h in zero] == ["5105240001"]                      # not the working, not the elderly
    assert zero[0]["zero_employment"] and zero[0]["zero_employment_a_month_before"]
    others = clerk.get("/api/v1/households?zero_employment=false&as_of=2026-04-15")[1]["items"]
    assert {h["id"] for h in others} == {working["id"], elderly["id"]}
    # The father finds work on 1 May: the household leaves the list, and a month on it reads as cleared.
    _spell(app, father, employer["id"], "2026-05-01")
    assert clerk.get("/api/v1/households?zero_employment=true&as_of=2026-05-15")[1]["items"] == []
    [cleared] = [h for h in clerk.get("/api/v1/households?as_of=2026-05-15")[1]["items"] if h["id"] == idle["id"]]
    assert not cleared["zero_employment"] and cleared["zero_employment_a_month_before"] and cleared["employed"] == 1
    # In February the mother still worked: not on the list then.
    assert clerk.get("/api/v1/households?zero_employment=true&as_of=2026-02-15")[1]["items"] == []


def test_a_household_is_the_sending_countys_and_its_number_is_unique(api):
    clerk = api("sending_staff", SENDING)
    person = _person(clerk, "19900101")
    first = _household(clerk, "5105249999", [person])
    status, body = clerk.post("/api/v1/households", {"household_no": "5105249999", "status": "monitored"})
    assert status == 409 and body["error"]["code"] == "already_registered"
    status, body = clerk.post("/api/v1/households", {"household_no": "5105248888", "status": "monitored",
                                                     "member_ids": [person]})
    assert status == 422 and body["error"]["details"][0]["code"] == "in_household"
    status, body = clerk.post("/api/v1/households", {"household_no": "5105247777", "status": "monitored",
                                                     "member_ids": [999999]})
    assert status == 422 and body["error"]["details"][0]["field"] == "member_ids"
    assert clerk.get("/api/v1/households?status=monitored")[1]["items"] == []       # nothing half-stored
    receiving = api("receiving_staff", RECEIVING)
    assert receiving.post("/api/v1/households", {"household_no": "1", "status": "other"})[0] == 403
    assert receiving.get(f"/api/v1/households/{first['id']}")[0] == 404
    assert receiving.get("/api/v1/households")[1]["items"] == []
    status, body = clerk.get("/api/v1/households?as_of=0421-01-01")
    assert status == 422


def test_the_county_office_reads_and_exports_the_list_on_its_page(app, api, factory):
    import io

    from python_calamine import CalamineWorkbook

    from tests.clerk import Clerk
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    staff = api("sending_staff", SENDING)
    employer = factory.approved_employer(api("receiving_staff", RECEIVING))
    father, daughter = _person(staff, "19800101"), _person(staff, "20000101", gender="F")
    _household(staff, "5105241111", [father], township="两河镇", village="白腊村")
    cleared = _household(staff, "5105242222", [daughter])
    _spell(app, daughter, employer["id"], "2026-04-01")
    page = clerk.get("/households?zero=yes&as_of=2026-04-15").text
    assert "零就业家庭" in page and "5105241111" in page and "两河镇" in page and "王帮扶" in page
    assert "自上月同日以来已清零" in page and f'/households/{cleared["id"]}' in page    # cleared in April
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(clerk.get("/households?zero=yes&as_of=2026-04-15&format=xlsx").data)
                                           ).get_sheet_by_index(0).to_python()
    assert sheet[0][:3] == ["户编号", "乡镇", "村"] and [row[0] for row in sheet[1:]] == ["5105241111"]
    detail = clerk.get(f"/households/{cleared['id']}").text
    assert "家庭户 5105242222" in detail and "在岗" in detail
    assert "/households" in clerk.get("/home").text                                   # in the sending office's menu
    bad = clerk.get("/households?as_of=not-a-day")
    assert bad.status_code == 200 and 'class="message error"' in bad.text


def test_the_import_and_a_registration_name_the_household_and_the_old_layout_still_imports(app, api):
    from tests.registry.test_import import HEADERS_CN, csv_bytes, row
    clerk = api("sending_staff", SENDING)
    headers = HEADERS_CN + ["户编号"]
    rows = [row(nid=national_id("19800101")) + ["5105243333"], row(nid=national_id("19820202"), phone_="13800000002") + ["5105243333"],
            row(nid=national_id("19900303"), phone_="13800000003", household="监测户") + ["5105244444"],
            row(nid=national_id("19920404"), phone_="13800000004") + [""]]
    checked = clerk.upload("/api/v1/seekers/import?dry_run=1", "h.csv", csv_bytes(rows, headers=headers))[1]
    assert checked["accepted"] == 4 and clerk.get("/api/v1/households")[1]["items"] == []   # a check stores nothing
    status, stored = clerk.upload("/api/v1/seekers/import", "h.csv", csv_bytes(rows, headers=headers))
    assert status == 200 and stored["accepted"] == 4, stored
    households = {h["household_no"]: h for h in clerk.get("/api/v1/households")[1]["items"]}
    assert {n: (h["members"], h["status"]) for n, h in households.items()} == {
        "5105243333": (2, "registered_poor"), "5105244444": (1, "monitored")}
    # One registered by hand joins the household the file made.
    status, person = clerk.post("/api/v1/seekers", seeker_body(national_id=national_id("19950505"), household_no="5105244444"))
    assert status == 201, person
    assert clerk.get(f"/api/v1/households/{households['5105244444']['id']}")[1]["members"] == 2
    # The old layout, without the column, imports as before: nobody in a household.
    old = clerk.upload("/api/v1/seekers/import", "old.csv", csv_bytes([row(nid=national_id("19930606"), phone_="13800000005")]))[1]
    assert old["accepted"] == 1 and len(clerk.get("/api/v1/households")[1]["items"]) == 2


def test_summaries_read_in_chunks_give_the_same_answer(api, monkeypatch):
    from exchange.households import service
    clerk = api("sending_staff", SENDING)
    for k in range(3):
        _household(clerk, f"51052455{k}", [_person(clerk, f"1990010{k + 1}")])
    whole = clerk.get("/api/v1/households?as_of=2026-03-01")[1]["items"]
    monkeypatch.setattr(service, "SUMMARY_CHUNK", 1)
    assert clerk.get("/api/v1/households?as_of=2026-03-01")[1]["items"] == whole
    assert [(h["members"], h["zero_employment"]) for h in whole] == [(1, True)] * 3


def test_the_sending_clerk_registers_a_household_on_its_page(app, factory):
    from tests.clerk import Clerk, messages
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    page = clerk.post("/households", {"household_no": "510524104001", "status": "registered_poor", "township": "水尾镇",
                                      "village": "大坪村", "official_name": "杨帮扶", "official_phone": "13908301234"})
    assert "家庭户已登记" in " ".join(messages(page.text, "ok")) and "杨帮扶" in page.text and "大坪村" in page.text
    again = clerk.post("/households", {"household_no": "510524104001", "status": "other"})
    assert messages(again.text) and again.text.count("510524104001") >= 1      # refused, said why, nothing added
    assert clerk.get("/households").text.count('href="/households/') == 1
    liaison = Clerk(app, factory, "liaison_officer", SENDING)
    assert 'name="household_no"' not in liaison.get("/households").text
