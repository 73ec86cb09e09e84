"""Every portal page through the test client: who sees which page, what each side may see of the
other, CSRF on every form, and the messages a clerk reads when something is wrong — in Chinese,
with nothing stored."""
from __future__ import annotations

import io
import re

from python_calamine import CalamineWorkbook
import pytest
from sqlalchemy import func, select

from tests.factories import OTHER_RECEIVING, OTHER_SENDING, RECEIVING, SENDING, national_id, uscc
from tests.flow import PP, Flow, three_people
from tests.clerk import Clerk, messages

ROLES = [("sending_staff", SENDING), ("receiving_staff", RECEIVING), ("liaison_officer", SENDING),
         ("finance_approver", SENDING), ("finance_approver", RECEIVING), ("admin", SENDING), ("admin", RECEIVING)]
SKIP = ("/static", "/api", "/logout", "/login", "/feeds/")


@pytest.fixture
def placed(api, factory):
    """Three people registered; two hired, dispatched and arrived on 2026-02-10; one claim filed."""
    flow = Flow(api, factory)
    return {"flow": flow, **flow.place_two_of_three("2026-02-10T18:00:00+08:00", "2026-02-10T18:00:00+08:00")}


def crawl(clerk: Clerk, start: str = "/home", limit: int = 120) -> dict[str, int]:
    """Every page a user can reach by following links from the home page: path → status."""
    seen: dict[str, int] = {}
    todo = [start]
    while todo and len(seen) < limit:
        path = todo.pop()
        if path in seen:
            continue
        response = clerk.get(path)
        seen[path] = response.status_code
        if response.status_code == 200 and response.mimetype == "text/html":
            assert '<html lang="zh-CN">' in response.text, path
            for href in re.findall(r'href="(/[^"#?]*)', response.text):
                if not href.startswith(SKIP) and not href.endswith((".pdf", ".xlsx", ".csv")) and "/receipts/" not in href:
                    todo.append(href)
    return seen


def test_every_page_a_role_can_reach_opens(app, factory, placed):
    expected = {
        ("sending_staff", SENDING): {"/seekers", "/seekers/import", "/seeker-lists/1", "/supply-lists/1/proposal",
                                     "/batches/1", "/dispatches/1", "/views", "/station", "/cases", "/claims", "/dashboard"},
        ("receiving_staff", RECEIVING): {"/employers", "/postings", "/seeker-lists/1", "/supply-lists/1", "/batches/1",
                                         "/dispatches/1", "/cases", "/claims", "/claims/new"},
        ("liaison_officer", SENDING): {"/station", "/cases", "/dashboard"},
        ("finance_approver", RECEIVING): {"/claims", "/payments", "/dashboard"},
        ("admin", RECEIVING): {"/feeds", "/dashboard"},
    }
    for role, region in ROLES:
        seen = crawl(Clerk(app, factory, role, region))
        broken = {path: code for path, code in seen.items() if code != 200}
        assert not broken, (role, region, broken)
        assert expected.get((role, region), set()) <= set(seen), (role, region, sorted(seen))


def test_pages_need_a_login_and_keep_where_the_user_was_going(app, placed):
    client = app.test_client()
    for path in ("/home", "/seekers", "/seeker-lists/1", "/batches/1", "/station", "/claims", "/payments", "/dashboard",
                 "/views", "/feeds", "/notifications", "/employment/1"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path


def seekers_stored(app) -> int:
    from exchange.extensions import db
    from exchange.registry.models import Seeker
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Seeker))


def test_a_form_without_its_csrf_token_changes_nothing(app, factory, placed):
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    before = seekers_stored(app)
    for path, data in [("/seekers/new", {"name": "罗大山", "national_id": national_id(), "phone": "13912340001"}),
                       ("/seeker-lists/new", {"title": "无令牌", "seeker_ids": "1"}),
                       ("/batches/1/dispatch", {"match_ids": "1"}),
                       ("/station/log/1", {"method": "phone", "status": "employed"}),
                       ("/claims/new", {"seeker_id": "1", "dispatch_id": "1", "amount": "100"})]:
        response = clerk.post_without_token(path, data)
        assert response.status_code == 400, path
        assert "表单已过期" in response.text or "刷新" in response.text, path
    assert seekers_stored(app) == before


def test_the_receiving_county_sees_no_identity_before_the_batch(app, factory, placed):
    receiving = Clerk(app, factory, "receiving_staff", RECEIVING)
    seeker_list = receiving.get("/seeker-lists/1").text
    assert "潘老四" not in seeker_list and "（未披露）" in seeker_list    # on the list, never proposed
    assert "龙志明" in seeker_list and "龙志明" in receiving.get("/batches/1").text   # proposed with consent
    person = receiving.get(f"/seekers/{placed['ids'][2]}").text            # never proposed: a profile, no identity
    assert "潘老四" not in person and "510524" not in person


def test_another_pairing_sees_none_of_it(app, factory, placed):
    for role, region in (("sending_staff", OTHER_SENDING), ("receiving_staff", OTHER_RECEIVING)):
        outsider = Clerk(app, factory, role, region)
        for path in ("/seeker-lists/1", "/supply-lists/1", "/batches/1", "/dispatches/1", f"/seekers/{placed['ids'][0]}"):
            response = outsider.get(path)
            assert response.status_code == 404, (region, path)
            assert "龙志明" not in response.text


def test_roles_are_refused_what_is_not_theirs_in_chinese(app, factory, placed):
    liaison = Clerk(app, factory, "liaison_officer", SENDING)
    refused = liaison.get("/payments")
    assert refused.status_code == 403 and "财务审批人" in refused.text
    receiving = Clerk(app, factory, "receiving_staff", RECEIVING)
    assert receiving.get("/station").status_code == 403
    assert receiving.get("/views").status_code == 404              # the county's own lists are the sending side's
    sending_finance = Clerk(app, factory, "finance_approver", SENDING)
    assert "补贴发放" not in sending_finance.get("/home").text       # the receiving county pays in this pairing


def test_registering_a_seeker_with_mistakes_explains_each_in_chinese(app, factory):
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    number = national_id("19900512", 7)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    page = clerk.post("/seekers/new", {"name": "罗大山", "national_id": wrong, "phone": "1391234", "gender": "M",
                                       "education": "junior", "wage_expectation": "四千"})
    assert page.status_code == 200
    assert "请修改标出的内容" in page.text and "请填写以元为单位的金额" in page.text and 'aria-invalid="true"' in page.text
    page = clerk.post("/seekers/new", {"name": "罗大山", "national_id": wrong, "phone": "1391234", "gender": "M",
                                       "education": "junior", "wage_expectation": "4500"})
    problems = " ".join(messages(page.text))
    assert "校验位" in problems and "手机" in problems
    assert seekers_stored(app) == 0
    page = clerk.post("/seekers/new", {"name": "罗大山", "national_id": number, "phone": "13912340001", "gender": "M",
                                       "education": "junior", "wage_expectation": "4,500", "household_status": "registered_poor"})
    assert "求职者已登记" in " ".join(messages(page.text, "ok"))
    assert "4500.00 元" in page.text and seekers_stored(app) == 1


def awaiting_results(app, factory, api):
    """One person proposed in a batch, and the receiving clerk who records the result."""
    flow = Flow(api, factory)
    ids = flow.seekers(*three_people()[:1])
    posting = flow.posting()
    _l, supply = flow.round1(ids, [posting["id"]])
    batch = flow.round2(supply["id"], [(ids[0], posting["id"])], outcome=None)
    return flow, batch, batch["matches"][0]["id"], Clerk(app, factory, "receiving_staff", RECEIVING)


def result_row(match_id: int, **fields: str) -> dict[str, str]:
    """The results form's first row, as the batch page names its fields."""
    return {"results-0-match_id": str(match_id), **{f"results-0-{key}": value for key, value in fields.items()}}


def test_results_with_a_bad_wage_are_refused_and_nothing_is_recorded(app, factory, api):
    flow, batch, match_id, receiving = awaiting_results(app, factory, api)
    page = receiving.post(f"/batches/{batch['id']}/results", result_row(match_id, outcome="hired", wage="四千五",
                                                                        start_date="2026-03-20"))
    [message] = messages(page.text)
    assert "月工资" in message and "以元为单位" in message and "monthly_wage_fen" not in message   # the field as the form names it
    status, body = flow.r.get(f"{PP}/batches/{batch['id']}")
    assert body["matches"][0]["outcome"] == "pending"
    page = receiving.post(f"/batches/{batch['id']}/results", result_row(match_id, outcome="hired", wage="4,600.50",
                                                                        start_date="2026-03-20"))
    assert "结果已录入并发送" in " ".join(messages(page.text, "ok"))
    status, body = flow.r.get(f"{PP}/batches/{batch['id']}")
    assert body["matches"][0]["outcome"] == "hired" and body["matches"][0]["monthly_wage_fen"] == 460050


def test_a_follow_up_from_the_station_form(app, factory, placed):
    officer = Clerk(app, factory, "liaison_officer", SENDING)
    station = officer.get("/station").text
    assert station.count('class="person') == 2 and "逾期" in station       # due 02-17, today is 03-01
    refused = officer.post(f"/station/log/{placed['ids'][0]}", {"method": "phone", "contacted_at": "2026-02-28T10:00"})
    assert "请修改标出的内容" in refused.text
    assert officer.get("/station").text.count('class="person') == 2
    done = officer.post(f"/station/log/{placed['ids'][0]}", {"method": "phone", "status": "employed",
                                                            "contacted_at": "2026-02-28T10:00", "note": "一切正常"})
    assert "回访已记录" in " ".join(messages(done.text, "ok"))
    assert done.text.count('class="person') == 1
    status, body = placed["flow"].s.get(f"{PP}/followups?seeker_id={placed['ids'][0]}")
    assert body["items"][0]["contacted_at"] == "2026-02-28T10:00:00+08:00"      # the form's time is Beijing time


def test_a_case_opened_by_the_station_is_taken_up_by_the_receiving_county(app, factory, placed):
    officer = Clerk(app, factory, "liaison_officer", SENDING)
    seeker_id = placed["ids"][0]
    empty = officer.post("/cases", {"seeker_id": str(seeker_id), "kind": "wage_arrears", "summary": ""})
    assert "请修改标出的内容" in empty.text
    opened = officer.post("/cases", {"seeker_id": str(seeker_id), "kind": "wage_arrears", "summary": "拖欠两个月工资",
                                     "amount": "9,600"})
    assert "个案已登记" in " ".join(messages(opened.text, "ok")) and "9600.00" in opened.text
    receiving = Clerk(app, factory, "receiving_staff", RECEIVING)
    cases = receiving.get("/cases").text
    case_id = re.search(r'id="case-(\d+)"', cases).group(1)
    taken = receiving.post(f"/cases/{case_id}", {"status": "in_progress", "note": "已约谈企业"})
    assert "个案已更新" in " ".join(messages(taken.text, "ok")) and "已约谈企业" in taken.text
    backwards = receiving.post(f"/cases/{case_id}", {"status": "open"})
    assert messages(backwards.text)


def test_named_lists_show_and_export_every_row(app, factory, placed):
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    tasks = clerk.get("/views?view=tasks").text
    assert "潘老四" in tasks and "龙志明" not in tasks                  # willing and not placed
    stable = clerk.get("/views?view=stable").text
    assert "龙志明" in stable and "吴秀英" in stable and "龙游" in stable
    export = clerk.get("/views?view=stable&format=xlsx")
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.data)).get_sheet_by_index(0).to_python()
    assert rows[0][:5] == ["姓名", "身份证号", "手机", "乡镇", "用工单位"] and len(rows) == 3
    assert all("*" in row[1] for row in rows[1:])                        # ID numbers stay masked in the export
    assert clerk.get("/views?view=nonsense").status_code == 404


def test_spells_entered_by_the_receiving_county(app, factory, placed):
    receiving = Clerk(app, factory, "receiving_staff", RECEIVING)
    seeker_id = placed["ids"][0]
    form = receiving.get(f"/employment/{seeker_id}").text
    employer_id = re.search(r'<option value="(\d+)"', form).group(1)
    bad = receiving.post(f"/employment/{seeker_id}", {"spells-0-employer_id": employer_id, "spells-0-start_date": "2026-02-11",
                                                      "spells-0-end_date": "2026-02-01", "spells-0-wage": "4800"})
    assert messages(bad.text)
    status, spells = placed["flow"].r.get(f"{PP}/employment/{seeker_id}")
    assert spells["spells"] == []
    good = receiving.post(f"/employment/{seeker_id}", {"spells-0-employer_id": employer_id, "spells-0-start_date": "2026-02-11",
                                                       "spells-0-wage": "4,800",
                                                       "spells-1-employer_id": "", "spells-1-start_date": ""})   # an empty row
    assert "就业记录已保存" in " ".join(messages(good.text, "ok"))
    status, spells = placed["flow"].r.get(f"{PP}/employment/{seeker_id}")
    assert spells["spells"][0]["monthly_wage_fen"] == 480000
    sending = Clerk(app, factory, "sending_staff", SENDING)
    # Theirs to read, not to write: the sending clerk's form is for local jobs, with local employers only.
    page = sending.get(f"/employment/{seeker_id}").text
    form, partners = page.split("对方县记录的就业")
    assert f'<option value="{employer_id}"' not in form and "4800.00" in partners


def test_a_transport_claim_from_filing_to_the_bank_file(app, factory, placed):
    sending = Clerk(app, factory, "sending_staff", SENDING)
    seeker_id, dispatch_id = placed["ids"][0], placed["dispatch"]["id"]
    ticket = (io.BytesIO(b"%PDF-1.4 ticket"), "车票.pdf")
    wrong = sending.post("/claims/new", {"seeker_id": str(seeker_id), "dispatch_id": str(dispatch_id), "amount": "八百",
                                         "receipts": ticket}, content_type="multipart/form-data")
    assert "请修改标出的内容" in wrong.text and 'id="e-amount"' in wrong.text
    filed = sending.post("/claims/new", {"seeker_id": str(seeker_id), "dispatch_id": str(dispatch_id), "amount": "950",
                                         "travel_date": "2026-02-10", "receipts": (io.BytesIO(b"%PDF-1.4 ticket"), "车票.pdf")},
                         content_type="multipart/form-data")
    assert "申领已提交" in " ".join(messages(filed.text, "ok")) and "800.00" in filed.text   # capped
    claim_id = int(re.search(r"/claims/(\d+)/decide", filed.text).group(1)) if "/decide" in filed.text else \
        int(re.search(r"申领 #(\d+)", filed.text).group(1))

    finance = Clerk(app, factory, "finance_approver", RECEIVING)
    rejected_without_reason = finance.post(f"/claims/{claim_id}/decide", {"decision": "reject"})
    assert messages(rejected_without_reason.text)
    approved = finance.post(f"/claims/{claim_id}/decide", {"decision": "approve"})
    assert "已批准" in " ".join(messages(approved.text, "ok"))
    batch_page = finance.post("/payments", {"claim_ids": str(claim_id)})
    assert "发放批次已生成" in " ".join(messages(batch_page.text, "ok")) and "800.00" in batch_page.text
    batch_id = int(re.fullmatch(r"/payments/(\d+)", batch_page.request.path).group(1))
    # The one who prepared it sees who releases it, and no button to do it.
    assert "另一位财务审批人" in batch_page.text and "export.xlsx" not in batch_page.text
    assert finance.get(f"/payments/{batch_id}/export.xlsx").status_code == 403
    finance = Clerk(app, factory, "finance_approver", RECEIVING)
    bank = finance.get(f"/payments/{batch_id}/export.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(bank.data)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "序号" and rows[1][1] == "龙志明"
    no_reference = finance.post(f"/payments/{batch_id}/paid", {"reference": " "})
    assert "请填写银行流水号" in " ".join(messages(no_reference.text))
    paid = finance.post(f"/payments/{batch_id}/paid", {"reference": "ICBC-20260301-01"})
    assert "已标记为已发放" in " ".join(messages(paid.text, "ok"))
    assert "已发放" in finance.get(f"/claims/{claim_id}").text


def test_the_admin_sees_the_feed_and_everyone_their_notifications(app, factory, placed):
    admin = Clerk(app, factory, "admin", RECEIVING)
    feeds = admin.get("/feeds").text
    assert "与协作方的数据交换" in feeds and "没有被隔离的事件" in feeds
    synced = admin.post("/feeds/sync")
    assert synced.status_code == 200
    assert admin.get("/notifications").status_code == 200
    assert Clerk(app, factory, "sending_staff", SENDING).get("/feeds").status_code == 403


def test_the_portal_speaks_english_on_request(app, factory, placed):
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    page = clerk.get("/station?lang=en").text
    assert '<html lang="en">' in page and "Follow-ups due" in page and "Log a follow-up" in page
    assert "Registry" in clerk.get("/dashboard").text                  # the choice stays for the session


def test_an_employer_is_registered_vetted_and_its_posting_opened_and_closed(app, factory):
    from tests.factories import uscc
    receiving = Clerk(app, factory, "receiving_staff", RECEIVING)
    bad = receiving.post("/employers", {"name": "龙游电子有限公司", "uscc": "91330825XXXXXXXXXX"})
    assert "统一社会信用代码" in " ".join(messages(bad.text)) or "统一社会信用代码" in bad.text
    registered = receiving.post("/employers", {"name": "龙游电子有限公司", "uscc": uscc(700), "contact_name": "王经理",
                                               "contact_phone": "13900000007", "address": "龙游经济开发区"})
    assert "待审核" in " ".join(messages(registered.text, "ok")) or "等待审核" in " ".join(messages(registered.text, "ok"))
    assert "单位名称" in registered.text                                   # the form asks for the employer's name
    employer_id = re.search(r'/employers/(\d+)/vet', registered.text).group(1)
    approved = receiving.post(f"/employers/{employer_id}/vet", {"decision": "approved"})
    assert messages(approved.text, "ok")
    opened = receiving.post("/postings", {"employer_id": employer_id, "title": "电子装配工", "occupation": "电子装配",
                                          "headcount": "3", "wage_min": "4000", "wage_max": "5500", "work_type": "long_term",
                                          "location_region": RECEIVING, "address": "龙游经济开发区", "start_date": "2026-03-20",
                                          "interview_mode": "remote", "contract_months": "12"})
    assert not messages(opened.text), messages(opened.text)
    listing = receiving.get("/postings").text
    assert "招聘中" in listing and "电子装配工" in listing
    posting_id = re.search(r'/postings/(\d+)/close', listing).group(1)
    closed = receiving.post(f"/postings/{posting_id}/close")
    assert messages(closed.text, "ok") and "已停止招聘" in closed.text


def test_income_is_declared_by_one_clerk_and_verified_by_another(app, factory, placed):
    seeker_id = placed["ids"][0]
    first = Clerk(app, factory, "sending_staff", SENDING)
    page = first.get(f"/seekers/{seeker_id}").text
    assert page.count("<form") == page.count("</form>")                  # no form inside another
    declared = first.post(f"/seekers/{seeker_id}/income", {"year": "2025", "amount": "23,500"})
    assert messages(declared.text, "ok") and "23500.00" in declared.text
    declared_section = declared.text.split("已申报收入")[1].split("</section>")[0]
    assert "/verify" not in declared_section                              # the declarer cannot verify it
    second = Clerk(app, factory, "sending_staff", SENDING)
    page = second.get(f"/seekers/{seeker_id}").text
    declaration_id = re.search(r'/income/(\d+)/verify', page).group(1)
    verified = second.post(f"/income/{declaration_id}/verify")
    assert messages(verified.text, "ok") and "待第二位同事核实" not in verified.text.split("已申报收入")[1]
    status, claims = placed["flow"].r.get(f"{PP}/claims?kind=income")
    assert [(c["seeker_id"], c["year"]) for c in claims["items"]] == [(seeker_id, 2025)]   # 23,500 ≥ 20,000: the reward
    trained = first.post(f"/seekers/{seeker_id}/training", {"course": "电子装配岗前培训", "days": "3",
                                                            "start_date": "2026-02-01", "end_date": "2026-02-03"})
    assert messages(trained.text, "ok") and "电子装配岗前培训" in trained.text
    statement = first.get(f"/seekers/{seeker_id}/statement.pdf")
    assert statement.status_code == 200 and statement.mimetype == "application/pdf"
    assert first.get(f"/seekers/{seeker_id}/statement.xlsx").status_code == 200


def test_a_refused_proposal_keeps_the_clerks_changes_and_marks_the_row(app, factory, api):
    flow = Flow(api, factory)
    people = three_people()
    ids = flow.seekers(*people)
    men_only = flow.posting(headcount=5, requirements={"gender": "M", "age_min": 18, "age_max": 50,
                                                       "education_min": "primary", "skills": []})
    _l, supply = flow.round1(ids, [men_only["id"]])
    sending = Clerk(app, factory, "sending_staff", SENDING)
    # 吴秀英 (a woman) is put on the posting for men by hand.
    form = sending.get(f"/supply-lists/{supply['id']}/proposal").text
    rows = dict((int(seeker), int(row)) for row, seeker in re.findall(r'name="matches-(\d+)-seeker_id" value="(\d+)"', form))
    page = sending.post(f"/supply-lists/{supply['id']}/proposal", {
        **{f"matches-{row}-seeker_id": str(seeker) for seeker, row in rows.items()},
        f"matches-{rows[ids[0]]}-posting_id": str(men_only["id"]), f"matches-{rows[ids[1]]}-posting_id": str(men_only["id"])})
    assert messages(page.text)
    row = page.text.split(f'name="matches-{rows[ids[1]]}-seeker_id" value="{ids[1]}"')[1].split("</tr>")[0]
    assert f'value="{men_only["id"]}" selected' in row and "error-text" in row      # her choice kept, her row marked
    assert sending.get("/batches").text.count("/batches/") == 0 or "草稿" not in sending.get("/batches").text


def test_the_proposal_names_the_agency_that_brought_a_person(app, factory, api):
    flow = Flow(api, factory)
    ids = flow.seekers(*three_people()[:1])
    posting = flow.posting(headcount=5)
    _l, supply = flow.round1(ids, [posting["id"]])
    status, agency = flow.s.post("/api/v1/agencies", {"name": "叙永县众诚劳务服务有限公司", "uscc": uscc(91, SENDING)})
    assert status == 201 and flow.s.post(f"/api/v1/agencies/{agency['id']}/vet", {"decision": "approved"})[0] == 200
    sending = Clerk(app, factory, "sending_staff", SENDING)
    form = sending.get(f"/supply-lists/{supply['id']}/proposal").text
    assert "叙永县众诚劳务服务有限公司" in form
    page = sending.post(f"/supply-lists/{supply['id']}/proposal", {
        "matches-0-seeker_id": str(ids[0]), "matches-0-posting_id": str(posting["id"]),
        "matches-0-agency_id": str(agency["id"])})
    assert "草稿" in " ".join(messages(page.text, "ok"))
    batch = flow.s.get(f"{PP}/batches")[1]["items"][0]
    assert [m["agency_id"] for m in batch["matches"]] == [agency["id"]]


def test_the_language_switch_keeps_the_page_and_words_fit_their_object(app, factory, placed):
    clerk = Clerk(app, factory, "sending_staff", SENDING)
    page = clerk.get("/views?view=stable").text
    assert "?view=stable&amp;lang=en" in page
    liaison = Clerk(app, factory, "liaison_officer", SENDING)
    liaison.post("/cases", {"seeker_id": str(placed["ids"][0]), "kind": "wage_arrears", "summary": "工资拖欠两个月"})
    cases = liaison.get("/cases").text
    assert "待处理" in cases and "招聘中" not in cases                       # an open case waits; it does not recruit
    receiving = Clerk(app, factory, "receiving_staff", RECEIVING)
    assert receiving.get("/seekers/new").status_code == 403 and receiving.get("/seekers/import").status_code == 403


def test_results_keep_no_start_date_or_wage_for_someone_not_hired(app, factory, api):
    flow, batch, match_id, receiving = awaiting_results(app, factory, api)
    receiving.post(f"/batches/{batch['id']}/results", result_row(match_id, outcome="rejected", reason="面试未通过",
                                                                 start_date="2026-03-20", wage="4000"))
    match = flow.r.get(f"{PP}/batches/{batch['id']}")[1]["matches"][0]
    assert (match["outcome"], match["start_date"], match["monthly_wage_fen"]) == ("rejected", None, None)
