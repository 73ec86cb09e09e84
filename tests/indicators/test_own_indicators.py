"""A pairing's own indicators (spec/indicators.md) on hand-built data: table 4-2's kind of figures —
poor labourers sent out of the province, those placed in the paired province, hires as
person-times, since the cooperation began, people benefited, funds — with basic and stretch
targets, as persons, person-times or yuan."""
from __future__ import annotations

import pytest
from sqlalchemy import literal, select

from exchange.extensions import db
from exchange.indicators.own import covers
from tests.factories import Api, Factory, SENDING, employer_body, uscc
from tests.flow import PP
from tests.servers import pairing_dir_with

OWN = '''
[[indicators]]
key = "poor_out_of_province"
label = "组织贫困劳动力到省外就业人数"
of = "dispatched"
[indicators.where]
household_status = ["registered_poor", "monitored"]
destination = "outside_province"

[[indicators]]
key = "poor_in_paired_province"
label = "其中：转移到对口东部省份就业的人数"
of = "employed"
[indicators.where]
household_status = ["registered_poor"]
destination = "receiving_province"

[[indicators]]
key = "working_at_home"
label = "就地就近就业人数"
of = "employed"
[indicators.where]
destination = "local"

[[indicators]]
key = "hires"
label = "录用人次"
of = "hired"
count = "person_times"

[[indicators]]
key = "sent_since_start"
label = "协作以来输送人数"
of = "dispatched"
period = "since_start"

[[indicators]]
key = "benefited"
label = "带动贫困人口受益人数"
of = "benefited"

[[indicators]]
key = "funds"
label = "援助资金（元）"
of = "funds_yuan"
'''


@pytest.fixture
def own_app(make_app, tmp_path):
    """The shipped pairing with its five targets taken out and the indicators above put in."""
    folder = pairing_dir_with(tmp_path / "config", "")
    path = folder / "xuyong-longyou.toml"
    text = path.read_text(encoding="utf-8")
    text = text[:text.index("# 表4-2")].replace("\n[sending]", "\nstart_date = 2025-06-01\n\n[sending]", 1)
    path.write_text(text + OWN + "\n[targets.2026]\npoor_out_of_province = 100\nfunds = 2000000\n"
                    "[targets.2026.stretch]\npoor_out_of_province = 150\n", encoding="utf-8")
    return lambda **env: make_app(EXCHANGE_PARTNER_CONFIG_DIR=str(folder), **env)


def test_table_4_2_figures_from_the_pairings_own_indicators(station, own_app, api):
    flow, _liaison, ids, posting = station           # 龙志明 (registered poor) and 吴秀英 (monitored) went on 28 March 2026
    employer = posting["employer_id"]
    flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": [{"employer_id": employer, "start_date": "2026-03-31"}]})
    flow.r.put(f"{PP}/employment/{ids[1]}", {"spells": [{"employer_id": employer, "start_date": "2026-03-31"}]})
    status, workshop = flow.s.post("/api/v1/employers", employer_body(kind="workshop", uscc=uscc(71, SENDING)))
    flow.s.post(f"/api/v1/employers/{workshop['id']}/vet", {"decision": "approved"})
    assert flow.s.put(f"{PP}/employment/{ids[2]}", {"spells": [
        {"employer_id": workshop["id"], "start_date": "2026-02-01"}]})[0] == 200     # 潘老四 works at home
    for day, amount in (("2026-05-01", 100000000), ("2025-12-31", 5000000)):
        status, fund = flow.r.post(f"{PP}/funds", {"date": day, "amount_fen": amount, "source": "龙游县人民政府",
                                                   "purpose": "劳务协作"})
        assert status == 201, fund
    later = own_app(EXCHANGE_TODAY="2027-03-01")
    _u, token = Factory(later).user("admin", SENDING)
    body = Api(later.test_client(), token).get(f"{PP}/indicators?year=2026")[1]
    got = {i["key"]: (i["actual"], i["unit"]) for i in body["indicators"]}
    assert [i["key"] for i in body["indicators"]] == ["poor_out_of_province", "poor_in_paired_province", "working_at_home",
                                                      "hires", "sent_since_start", "benefited", "funds"]
    assert got == {"poor_out_of_province": (2, "persons"), "poor_in_paired_province": (1, "persons"),
                   "working_at_home": (1, "persons"), "hires": (3, "person_times"), "sent_since_start": (2, "persons"),
                   "benefited": (3, "persons"), "funds": (1000000.0, "yuan")}
    first = body["indicators"][0]
    assert (first["target"], first["stretch_target"], first["completion"]) == (100, 150, 0.02)
    assert body["indicators"][-1]["completion"] == 0.5
    # 2027 to 1 March: nothing new, but since the start (2025-06-01) the 2026 dispatch still counts.
    now = {i["key"]: i for i in Api(later.test_client(), token).get(f"{PP}/indicators?year=2027")[1]["indicators"]}
    assert now["poor_out_of_province"]["actual"] == 0 and now["sent_since_start"]["actual"] == 2
    assert now["funds"]["actual"] == 0 and now["funds"]["last_year_same_date"] == 0
    from tests.clerk import Clerk
    page = Clerk(later, Factory(later), "admin", SENDING).get("/dashboard?year=2026").text
    assert "组织贫困劳动力到省外就业人数" in page and "奋斗目标：150" in page and "援助资金（元）" in page


def test_funds_are_refused_without_an_amount_and_listed(station, api):
    flow = station[0]
    status, refused = flow.r.post(f"{PP}/funds", {"date": "2026-05-01", "amount_fen": 0, "source": "x", "purpose": "y"})
    assert status == 422 and refused["error"]["details"][0]["field"] == "amount_fen"
    assert flow.r.get(f"{PP}/funds")[1]["items"] == []
    assert api("auditor", SENDING).get(f"{PP}/funds")[0] == 403


@pytest.mark.parametrize("region, code, inside", [
    ("330825", "330825", True), ("330825", "330824", False), ("330800", "330825", True), ("330800", "330125", False),
    ("330000", "331122", True), ("330000", "440309", False)])
def test_a_region_given_as_a_prefecture_or_a_province_covers_its_counties(app, region, code, inside):
    with app.app_context():
        assert bool(db.session.scalar(select(covers(region, literal(code))))) is inside


def test_the_report_forms_hold_the_apis_figures_for_the_same_span(station, own_app):
    import io

    from pypdf import PdfReader
    from python_calamine import CalamineWorkbook
    flow, _liaison, ids, posting = station
    flow.r.put(f"{PP}/employment/{ids[0]}", {"spells": [{"employer_id": posting["employer_id"], "start_date": "2026-03-31"}]})
    later = own_app(EXCHANGE_TODAY="2027-03-01")
    _u, token = Factory(later).user("admin", SENDING)
    admin = Api(later.test_client(), token)

    def sheet(path):
        r = admin.client.get(f"{PP}/reports/{path}", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.data[:200]
        return CalamineWorkbook.from_filelike(io.BytesIO(r.data)).get_sheet_by_index(0).to_python()

    for path, query, words in (("2026/3.xlsx", "year=2026&as_of=2026-03-31", "2026年3月"),
                               ("2026/q1.xlsx", "year=2026&as_of=2026-03-31", "2026年第1季度"),
                               ("2026/2.xlsx", "year=2026&as_of=2026-02-28", "2026年2月"),
                               ("2026.xlsx", "year=2026", "2026年度")):
        rows = sheet(path)
        api = admin.get(f"{PP}/indicators?{query}")[1]["indicators"]
        assert words in rows[0][0] and "四川省泸州市叙永县" in rows[0][0] and "浙江省衢州市龙游县" in rows[0][0]
        assert rows[3] == ["指标", "基本任务", "奋斗目标", "实际完成", "完成率（%）", "去年同期", "同比增减"]
        table = {r[0]: r[3] for r in rows[4:4 + len(api)]}
        assert table == {i["label"]: i["actual"] for i in api}, path
    year = sheet("2026.xlsx")
    first = year[4]
    assert first[:4] == ["组织贫困劳动力到省外就业人数", 100.0, 150.0, 2.0] and first[4] == 2.0 and first[6] == 2.0
    pdf = admin.client.get(f"{PP}/reports/2026/q1.pdf", headers={"Authorization": f"Bearer {token}"})
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2026年第1季度" in text and "组织贫困劳动力到省外就业人数" in text and "统计截至：2026-03-31" in text
    for bad in ("2026/13.xlsx", "2026/q5.pdf", "1999.xlsx"):
        assert admin.get(f"{PP}/reports/{bad}")[0] == 404, bad


def test_the_scheduler_writes_last_months_forms_on_the_first_once(station, own_app):
    from exchange.core.context import current_context
    from exchange.indicators.jobs import monthly_reports, report_folder
    from exchange.scheduler import Runner
    on_the_first = own_app(EXCHANGE_TODAY="2026-04-01")
    assert "monthly-reports" in Runner(on_the_first, "one").tick([next(j for j in __import__(
        "exchange.core.jobs", fromlist=["JOBS"]).JOBS if j.name == "monthly-reports")])
    with on_the_first.app_context():
        ctx = current_context()
        folder = report_folder(ctx, "xuyong-longyou")
        names = sorted(p.name for p in folder.iterdir())
        assert "indicators-xuyong-longyou-2026-03.xlsx" in names and "indicators-xuyong-longyou-2026-03.pdf" in names
        written = (folder / "indicators-xuyong-longyou-2026-03.xlsx").stat().st_mtime_ns
        assert monthly_reports(ctx) == 0                       # the next hour: already there, nothing rewritten
        assert (folder / "indicators-xuyong-longyou-2026-03.xlsx").stat().st_mtime_ns == written
    from tests.clerk import Clerk
    page = Clerk(on_the_first, Factory(on_the_first), "sending_staff", SENDING).get("/reports").text
    assert "indicators-xuyong-longyou-2026-03.xlsx" in page and "2026年3月" in page
    assert Clerk(on_the_first, Factory(on_the_first), "sending_staff", SENDING).get(
        "/reports/xuyong-longyou/indicators-xuyong-longyou-2026-03.pdf").data.startswith(b"%PDF")


def test_the_portal_makes_a_form_for_any_period(station, own_app):
    from tests.clerk import Clerk
    later = own_app(EXCHANGE_TODAY="2027-03-01")
    clerk = Clerk(later, Factory(later), "sending_staff", SENDING)
    assert clerk.get("/reports/form?year=2026&period=q1&format=pdf").data.startswith(b"%PDF")
    assert clerk.get("/reports/form?year=2026&period=3&format=xlsx").status_code == 200
    assert clerk.get("/reports/form?year=2026&period=13").status_code == 404
    assert clerk.get("/reports/xuyong-longyou/../../exchange.db").status_code == 404
