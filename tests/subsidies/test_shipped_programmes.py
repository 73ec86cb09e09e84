"""The shipped pairing files of the seeds' other arrangements (partner_configs/pingli-wujin,
qiongzhong-meilan, lingyun-baoan), driven with real people through the API on one instance hosting
both regions: every claim's programme, amount, payee and date, as the file and the seed say."""
from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import employer_body, national_id, phone, posting_body, seeker_body, uscc

SHAANXI, JIANGSU = "610926", "320412"
HAINAN_HOME, HAIKOU = "469030", "460108"
GUANGXI, SHENZHEN = "451027", "440306"


def pp(pairing: str) -> str:
    return f"/api/v1/pairings/{pairing}"


def organisation(clerk, region: str, name: str, kind: str = "enterprise", path: str = "/api/v1/employers", **extra) -> int:
    body = employer_body(name=name, uscc=uscc(abs(hash(name)) % 9000 + 100, region), **extra)
    if path == "/api/v1/employers":
        body["kind"] = kind
    status, made = clerk.post(path, body)
    assert status == 201, made
    status, vetted = clerk.post(f"{path}/{made['id']}/vet", {"decision": "approved", "reason": "资质齐全"})
    assert status == 200, vetted
    return made["id"]


def person(clerk, name: str, status: str, **extra) -> int:
    code, made = clerk.post("/api/v1/seekers", seeker_body(name=name, national_id=national_id(), phone=phone(),
                                                           household_status=status, **extra))
    assert code == 201, made
    return made["id"]


def jobs(clerk, pairing: str, seeker_id: int, *spells: dict) -> None:
    status, body = clerk.put(f"{pp(pairing)}/employment/{seeker_id}", {"spells": list(spells)})
    assert status == 200, body


def introduce(clerk, pairing: str, *seeker_ids: int) -> None:
    """Round 1: the people go to the partner on a published job-seeker list."""
    status, seeker_list = clerk.post(f"{pp(pairing)}/seeker-lists", {"title": "求职清单", "seeker_ids": list(seeker_ids)})
    assert status == 201, seeker_list
    assert clerk.post(f"{pp(pairing)}/seeker-lists/{seeker_list['id']}/publish")[0] == 200


def scan(app, day: str) -> None:
    result = app.test_cli_runner().invoke(args=["retention-scan", "--as-of", day])
    assert result.exit_code == 0, result.output


WORKER = "the worker"


def claims_of(finance, pairing: str) -> list[tuple]:
    """(programme, person, payee type, payee — WORKER when it is the person —, amount, date) of every claim."""
    status, page = finance.get(f"{pp(pairing)}/claims?limit=200")
    assert status == 200, page
    return sorted((c["kind"], c["seeker_id"], c["payee"]["type"],
                   WORKER if c["payee"] == {"type": "worker", "id": c["seeker_id"], "name": c["payee"]["name"]}
                   else c["payee"]["id"], c["amount_fen"], c["milestone_date"]) for c in page["items"])


def test_shaanxi_pays_posts_by_the_month_factories_and_bases_per_hire_agencies_and_training(app, api):
    clerk, finance = api("sending_staff", SHAANXI), api("finance_approver", SHAANXI)
    factory = organisation(clerk, SHAANXI, "平利县长安镇毛绒玩具社区工厂", "workshop", bank_name="平利农商银行",
                           bank_account="6217000012345678")
    base = organisation(clerk, SHAANXI, "平利县女娲茶叶就业扶贫基地", "base")
    post = organisation(clerk, SHAANXI, "平利县老县镇人民政府（乡村公益性岗位）", "public_post")
    zhang = person(clerk, "张桂兰", "registered_poor")
    li = person(clerk, "李德福", "monitored")
    wang = person(clerk, "王春生", "other")
    zhao = person(clerk, "赵满仓", "registered_poor")
    jobs(clerk, "pingli-wujin", zhang, {"employer_id": factory, "start_date": "2025-10-10"})
    jobs(clerk, "pingli-wujin", li, {"employer_id": base, "start_date": "2025-12-20", "end_date": "2026-01-10"},
         {"employer_id": base, "start_date": "2026-01-15"})                   # a 4-day break: the month goes on
    jobs(clerk, "pingli-wujin", wang, {"employer_id": factory, "start_date": "2025-10-10"})   # not a poor household
    jobs(clerk, "pingli-wujin", zhao, {"employer_id": post, "start_date": "2025-11-15"})
    for who, hours in ((zhang, 80), (li, 60)):                                 # 80 hours and more: 50 a day
        status, body = clerk.post(f"{pp('pingli-wujin')}/training-records", {
            "seeker_id": who, "course": "茶叶加工", "days": 10, "hours": hours, "start_date": "2025-11-01",
            "end_date": "2025-11-12"})
        assert status == 201, body

    # The agency: it brought 钱 to a seasonal job in 武进; the match names it (round 2).
    agency = organisation(clerk, SHAANXI, "平利县众鑫劳务服务有限公司", path="/api/v1/agencies",
                          bank_name="中国邮政储蓄银行", bank_account="6221800012349999")
    partner = api("receiving_staff", JIANGSU)
    employer = organisation(partner, JIANGSU, "常州武进绿园果蔬专业合作社")
    status, posting = partner.post("/api/v1/postings", posting_body(employer, work_type="seasonal"))
    assert status == 201, posting
    qian = person(clerk, "钱秀英", "registered_poor", work_type="seasonal")
    status, seeker_list = clerk.post(f"{pp('pingli-wujin')}/seeker-lists", {"title": "季节工", "seeker_ids": [qian]})
    assert status == 201, seeker_list
    assert clerk.post(f"{pp('pingli-wujin')}/seeker-lists/{seeker_list['id']}/publish")[0] == 200
    status, supply = partner.post(f"{pp('pingli-wujin')}/supply-lists", {"in_reply_to": seeker_list["id"],
                                                                          "posting_ids": [posting["id"]]})
    assert status == 201 and partner.post(f"{pp('pingli-wujin')}/supply-lists/{supply['id']}/publish")[0] == 200
    status, batch = clerk.post(f"{pp('pingli-wujin')}/batches", {"supply_list_id": supply["id"], "matches": [
        {"seeker_id": qian, "posting_id": posting["id"], "agency_id": agency}]})
    assert status == 201 and batch["matches"][0]["agency_id"] == agency, batch
    assert clerk.post(f"{pp('pingli-wujin')}/batches/{batch['id']}/propose")[0] == 200
    status, batch = partner.post(f"{pp('pingli-wujin')}/batches/{batch['id']}/results", {"results": [
        {"match_id": batch["matches"][0]["id"], "outcome": "hired", "start_date": "2025-10-01", "monthly_wage_fen": 380000}]})
    assert status == 200, batch
    jobs(partner, "pingli-wujin", qian, {"employer_id": employer, "work_type": "seasonal", "start_date": "2025-10-01",
                                         "end_date": "2026-01-15"})

    scan(app, "2026-02-27")
    assert claims_of(finance, "pingli-wujin") == sorted([
        ("agency_seasonal_placement", qian, "agency", agency, 20000, "2026-01-01"),
        ("base_hiring", li, "employer", base, 50000, "2026-01-24"),                # 12-20 + 1 month + the 4-day break
        ("community_factory_hiring", zhang, "employer", factory, 100000, "2025-11-10"),
        ("public_post_monthly", zhao, "worker", WORKER, 30000, "2025-12-31"),        # whole months only: not November
        ("public_post_monthly", zhao, "worker", WORKER, 30000, "2026-01-31"),
        ("training_80_hours", zhang, "worker", WORKER, 50000, None),
    ])
    scan(app, "2026-02-27")
    assert len(claims_of(finance, "pingli-wujin")) == 6                           # run again: nothing twice

    # The factory's claim goes to the bank in the factory's name and account, grouped as such.
    items = finance.get(f"{pp('pingli-wujin')}/claims?payee_type=employer")[1]["items"]
    assert {c["payee"]["name"] for c in items} == {"平利县长安镇毛绒玩具社区工厂", "平利县女娲茶叶就业扶贫基地"}
    to_factory = next(c for c in items if c["payee"]["id"] == factory)
    assert to_factory["programme_name"] == "社区工厂吸纳就业岗位补贴"
    approver = api("finance_approver", SHAANXI)
    assert approver.post(f"{pp('pingli-wujin')}/claims/{to_factory['id']}/approve")[0] == 200
    to_base = next(c for c in items if c["payee"]["id"] == base)
    assert approver.post(f"{pp('pingli-wujin')}/claims/{to_base['id']}/approve")[0] == 200
    status, refused = finance.post(f"{pp('pingli-wujin')}/payment-batches", {"claim_ids": [to_base["id"]]})
    assert status == 422 and refused["error"]["details"][0]["code"] == "payee_not_payable"   # no account recorded
    status, batch = finance.post(f"{pp('pingli-wujin')}/payment-batches", {"claim_ids": [to_factory["id"]]})
    assert status == 201, batch
    assert batch["breakdown"]["payee_type"] == [{"key": "employer", "count": 1, "amount_fen": 100000}]
    file = approver.client.get(f"{pp('pingli-wujin')}/payment-batches/{batch['id']}/export.xlsx",
                               headers={"Authorization": f"Bearer {approver.token}"}).data
    row = CalamineWorkbook.from_filelike(io.BytesIO(file)).get_sheet_by_index(0).to_python()[1]
    assert row[1] == "平利县长安镇毛绒玩具社区工厂" and row[3] == "6217000012345678" and row[8] == "用工单位"


def test_hainan_pays_workers_after_six_months_away_or_three_flexible_and_workshops_per_person(app, api):
    clerk, finance = api("sending_staff", HAINAN_HOME), api("finance_approver", HAINAN_HOME)
    partner = api("receiving_staff", HAIKOU)
    hotel = organisation(partner, HAIKOU, "海口美兰国际机场酒店有限公司")
    workshop = organisation(clerk, HAINAN_HOME, "琼中黎锦就业帮扶车间", "workshop")
    fu = person(clerk, "符秀梅", "registered_poor")
    wang = person(clerk, "王亚平", "monitored")
    li = person(clerk, "黎文强", "registered_poor")
    wu = person(clerk, "吴家兴", "other")
    introduce(clerk, "qiongzhong-meilan", fu)
    jobs(partner, "qiongzhong-meilan", fu, {"employer_id": hotel, "start_date": "2025-06-01"})
    jobs(clerk, "qiongzhong-meilan", wang, {"work_type": "flexible", "description": "外卖配送", "start_date": "2025-10-05"})
    jobs(clerk, "qiongzhong-meilan", li, {"employer_id": workshop, "start_date": "2025-07-01"})    # at home: not 外出
    jobs(clerk, "qiongzhong-meilan", wu, {"work_type": "flexible", "description": "零工", "start_date": "2025-10-01"})
    scan(app, "2026-02-27")
    assert claims_of(finance, "qiongzhong-meilan") == sorted([
        ("flexible_work_3_months", wang, "worker", WORKER, 50000, "2026-01-05"),
        ("outside_work_6_months", fu, "worker", WORKER, 100000, "2025-12-01"),
        ("workshop_base_hiring", li, "employer", workshop, 400000, "2025-08-01"),
    ])


def test_guangxi_pays_enterprises_at_home_and_workshops_per_poor_labourer(app, api):
    clerk, finance = api("sending_staff", GUANGXI), api("finance_approver", GUANGXI)
    partner = api("receiving_staff", SHENZHEN)
    at_home = organisation(clerk, GUANGXI, "凌云县浪伏茶业有限公司")
    workshop = organisation(clerk, GUANGXI, "凌云县泗城镇就业扶贫车间", "workshop")
    in_shenzhen = organisation(partner, SHENZHEN, "深圳宝安电子科技有限公司")
    lan = person(clerk, "蓝凤英", "registered_poor")
    luo = person(clerk, "罗金宝", "registered_poor")
    huang = person(clerk, "黄美兰", "registered_poor")
    nong = person(clerk, "农建华", "monitored")
    jobs(clerk, "lingyun-baoan", lan, {"employer_id": at_home, "start_date": "2025-11-01"})
    introduce(clerk, "lingyun-baoan", luo)
    jobs(partner, "lingyun-baoan", luo, {"employer_id": in_shenzhen, "start_date": "2025-11-01"})   # another province
    jobs(clerk, "lingyun-baoan", huang, {"employer_id": workshop, "start_date": "2025-12-15"})
    jobs(clerk, "lingyun-baoan", nong, {"employer_id": workshop, "start_date": "2025-12-15"})       # not 建档立卡
    scan(app, "2026-02-27")
    assert claims_of(finance, "lingyun-baoan") == sorted([
        ("enterprise_hiring", lan, "employer", at_home, 100000, "2025-12-01"),
        ("workshop_hiring", huang, "employer", workshop, 100000, "2026-01-15"),
    ])


@pytest.mark.parametrize("pairing, keys", [
    ("pingli-wujin", ["public_post_monthly", "community_factory_hiring", "base_hiring", "agency_seasonal_placement",
                      "training_80_hours"]),
    ("qiongzhong-meilan", ["outside_work_6_months", "flexible_work_3_months", "workshop_base_hiring"]),
    ("lingyun-baoan", ["enterprise_hiring", "workshop_hiring"]),
])
def test_the_shipped_files_load_with_their_programmes(api, pairing, keys):
    region = {"pingli-wujin": SHAANXI, "qiongzhong-meilan": HAINAN_HOME, "lingyun-baoan": GUANGXI}[pairing]
    status, body = api("sending_staff", region).get(f"{pp(pairing)}/programmes")
    assert status == 200 and [p["key"] for p in body["items"]] == keys
    assert all(p["payer"] == "sending" for p in body["items"])


def test_a_labourers_statement_says_which_money_went_to_the_workplace(app, api):
    clerk = api("sending_staff", SHAANXI)
    factory = organisation(clerk, SHAANXI, "平利县长安镇毛绒玩具社区工厂", "workshop")
    post = organisation(clerk, SHAANXI, "平利县老县镇人民政府（乡村公益性岗位）", "public_post")
    zhang = person(clerk, "张桂兰", "registered_poor")
    jobs(clerk, "pingli-wujin", zhang, {"employer_id": factory, "start_date": "2025-10-10", "end_date": "2025-12-31"},
         {"employer_id": post, "start_date": "2026-01-01"})
    scan(app, "2026-02-27")
    file = clerk.client.get(f"{pp('pingli-wujin')}/seekers/{zhang}/statement.xlsx",
                            headers={"Authorization": f"Bearer {clerk.token}"}).data
    cells = [" ".join(str(c) for c in row) for row in CalamineWorkbook.from_filelike(io.BytesIO(file)).get_sheet_by_index(0).to_python()]
    assert any("社区工厂吸纳就业岗位补贴（付给平利县长安镇毛绒玩具社区工厂）" in row and "1 个月" in row for row in cells)
    assert any("乡村公益性岗位补贴" in row and "2026 年 1 月" in row and "付给" not in row for row in cells)
