"""The portals in a real browser: Debian's chromium driven by Playwright against a live server
on the demo data, in Chinese. Each journey saves screenshots under test-artifacts/screenshots/.

Skipped, with the reason printed, when chromium is not installed (`scripts/system-deps --browser`
installs it; .ci/run always does)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from exchange.core.sheets import workbook
from exchange.demo import demo_password
from tests.conftest import PROJECT
from tests.factories import PASSWORD, national_id
from tests.servers import Server, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed: run scripts/system-deps --browser")]
SHOTS = PROJECT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
# A 1×1 PNG: the ticket a clerk photographs.
TICKET = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                       "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def site(make_app, request):
    """The demo on a live server, on the real calendar (the demo's dates follow today);
    `site.person(username)` opens a fresh browser session."""
    app = make_app(EXCHANGE_TODAY=None)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    server = Server(app, free_port()).start()
    backend = request.node.callspec.id if hasattr(request.node, "callspec") else "sqlite"
    yield Site(server.url, request.getfixturevalue("chromium"), SHOTS / backend / request.node.originalname)
    server.stop()


class Site:
    def __init__(self, url: str, browser, shots: Path):
        self.url, self.browser, self.shots = url, browser, shots
        shutil.rmtree(shots, ignore_errors=True)
        shots.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def person(self, username: str, viewport=DESKTOP, password: str | None = None):
        """A browser session logged in as a demo user (their demo password)."""
        context = self.browser.new_context(viewport=viewport, locale="zh-CN", base_url=self.url, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto("/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password or demo_password(username))
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/login" not in url)
        assert page.locator(".message.error").count() == 0
        return page

    def shot(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(self.shots / f"{self.count:02d}-{name}.png"), full_page=True)


def go(page, item: str) -> None:
    """Follow an item of the main menu."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=item, exact=True).click()


def ok(page, text: str | None = None) -> None:
    """The page shows a success message (and no error)."""
    assert page.locator(".message.error").count() == 0, page.locator(".message.error").all_inner_texts()
    message = page.locator(".message.ok")
    assert message.count() >= 1, page.content()[:2000]
    if text:
        assert any(text in m for m in message.all_inner_texts()), message.all_inner_texts()


def test_each_role_logs_in_to_its_own_menu(site):
    expected = {
        "xuyong.staff": ["求职登记", "求职清单", "岗位清单", "匹配批次", "组织出行", "台账清单", "回访工作台"],
        "longyou.staff": ["用工单位", "岗位", "求职清单", "匹配批次", "维权个案"],
        "xuyong.liaison": ["回访工作台", "维权个案"],
        "longyou.finance": ["补贴申领", "补贴发放"],
        "xuyong.admin": ["数据交换"],
    }
    for username, items in expected.items():
        page = site.person(username)
        menu = page.get_by_role("navigation", name="主导航").inner_text()
        assert all(item in menu for item in items), (username, menu)
        assert "欢迎" in page.locator("h1").inner_text()
        site.shot(page, f"home-{username}")
        if username == "xuyong.liaison":
            assert "求职登记" not in menu and "补贴发放" not in menu
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(re.compile(r"/(login)?$"))
        page.context.close()


HEADERS = ["姓名", "身份证号", "手机号", "性别", "学历", "意向工种", "期望月薪", "可出发日期", "户类型", "同意共享"]


def _sheet(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    return workbook("名单", headers, rows)


def test_import_with_errors_then_fix_them(site, tmp_path):
    good = [["罗大山", national_id("19910101", 601), "13912340001", "男", "初中", "普工", 4500, "2026-04-01", "脱贫户", "是"],
            ["罗小燕", national_id("19960303", 602, male=False), "13912340002", "女", "高中", "缝纫工", 4200, "2026-04-01", "监测户", "是"]]
    bad_id = national_id("19930707", 603)[:-1] + ("0" if national_id("19930707", 603)[-1] != "0" else "1")
    bad = ["罗三", bad_id, "13912340003", "男", "小学", "普工", 4000, "2026-04-01", "脱贫户", "是"]
    upload = tmp_path / "名单.xlsx"
    upload.write_bytes(_sheet([good[0], bad, good[1]]))

    page = site.person("xuyong.staff")
    go(page, "求职登记")
    page.get_by_role("link", name="导入表格").click()
    page.get_by_label("文件").set_input_files(str(upload))
    page.get_by_role("button", name="检查文件").click()
    report = page.locator("section.card")
    assert "有错误的行" in report.inner_text()
    assert "身份证号" in report.locator("table").inner_text() and "校验" in report.locator("table").inner_text()
    site.shot(page, "import-checked-with-errors")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载有错误的行").click()
    fixed = tmp_path / "错误行.xlsx"
    download.value.save_as(fixed)
    page.get_by_role("button", name=re.compile("保存可接受的 2 行")).click()
    ok(page)
    site.shot(page, "import-stored")

    headers, *rows = CalamineWorkbook.from_path(str(fixed)).get_sheet_by_index(0).to_python()
    assert headers[0] == "原行号" and headers[-1] == "错误说明"
    assert rows[0][0] == 3 and "校验" in rows[0][-1]
    rows[0][headers.index("身份证号")] = national_id("19930707", 603)
    fixed.write_bytes(_sheet(rows, headers))          # the clerk fixes the cell and saves the file
    page.get_by_label("文件").set_input_files(str(fixed))
    page.get_by_role("button", name="检查文件").click()
    site.shot(page, "import-fixed-checked")
    assert "有错误的行" in page.locator("section.card").inner_text()
    assert page.locator("section.card table").count() == 0          # no row errors left
    page.get_by_role("button", name=re.compile("保存可接受的 1 行")).click()
    ok(page)
    go(page, "求职登记")
    for name in ("罗大山", "罗小燕", "罗三"):
        page.get_by_label("姓名开头").fill(name)
        page.get_by_role("button", name="查找").click()
        assert name in page.locator("table tbody").inner_text()
    site.shot(page, "registry-after-import")


def test_a_list_goes_through_the_whole_protocol_in_chinese(site):
    sending, receiving = site.person("xuyong.staff"), site.person("longyou.staff")

    # Round 1: the sending clerk builds and publishes a list; the receiving clerk answers it.
    go(sending, "求职清单")
    sending.get_by_role("link", name="编制求职清单").click()
    sending.get_by_label("清单标题").fill("2026年春季叙永县求职清单")
    boxes = sending.locator("input[name=seeker_ids]")
    for k in range(12):
        boxes.nth(k).check()
    site.shot(sending, "seeker-list-builder")
    sending.get_by_role("button", name="保存清单草稿").click()
    ok(sending)
    sending.get_by_role("button", name="发布给输入地").click()
    ok(sending)
    site.shot(sending, "seeker-list-published")

    go(receiving, "求职清单")
    receiving.get_by_role("link", name="2026年春季叙永县求职清单").click()
    assert "未披露" in receiving.locator("table").first.inner_text()           # round 1 carries no identities
    postings = receiving.locator("input[name=posting_ids]")
    for k in range(4):
        postings.nth(k).check()
    site.shot(receiving, "answer-with-supply-list")
    receiving.get_by_role("button", name="保存并发布岗位清单").click()
    ok(receiving, "已发布")

    # Round 2: the proposal, one manual change, the batch, the results.
    go(sending, "岗位清单")
    sending.locator("table a").first.click()
    sending.get_by_role("link", name="查看匹配建议").click()
    assert sending.locator("ul.reasons li").count() > 0
    site.shot(sending, "matching-proposal")
    kept = sending.locator("select[name$=-posting_id]")
    matched = [s for s in kept.all() if s.input_value()]
    assert len(matched) >= 2
    matched[-1].select_option("")                                       # the clerk drops one match
    sending.get_by_role("button", name="保存为批次草稿").click()
    ok(sending)
    sending.get_by_role("button", name="提交给输入地").click()
    ok(sending)
    batch_url = sending.url
    in_batch = sending.locator("tbody tr").count()
    assert in_batch == len(matched) - 1

    receiving.goto(batch_url)
    for select in receiving.locator("select[name$=-outcome]").all():
        select.select_option("hired")
    for field in receiving.locator("input[name$=-wage]").all():
        field.fill("4,800")
    site.shot(receiving, "recruitment-results")
    receiving.get_by_role("button", name="保存并发送结果").click()
    ok(receiving)

    # Round 3: the journey, the manifest, the arrivals.
    sending.reload()
    assert sending.locator(".status-hired").count() == in_batch
    sending.get_by_label("带队人", exact=True).fill("王带队")
    sending.get_by_label("带队人电话").fill("13700000001")
    sending.get_by_role("button", name="登记出发").click()
    ok(sending)
    site.shot(sending, "dispatch")
    manifest = sending.get_by_role("link", name="打印花名册（PDF）").get_attribute("href")
    pdf = sending.context.request.get(manifest)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    dispatch_url = sending.url

    receiving.goto(dispatch_url)
    for radio in receiving.locator("input[type=radio][value=yes]").all():
        radio.check()
    receiving.get_by_role("button", name="确认到岗").click()
    ok(receiving)
    site.shot(receiving, "arrivals-confirmed")

    # Money: a fare claim from the dispatch page, approved by a second person at the payer.
    sending.reload()
    sending.get_by_role("link", name="申领交通补贴").first.click()
    sending.get_by_label("车费（元）").fill("356.5")
    sending.get_by_label("票据").set_input_files(files=[{"name": "车票.png", "mimeType": "image/png", "buffer": TICKET}])
    sending.get_by_role("button", name="提交申领").click()
    ok(sending)
    claim_url = sending.url
    assert "356.50" in sending.locator("dl").inner_text()

    finance = site.person("longyou.finance")
    go(finance, "补贴申领")
    assert finance.locator("tbody tr").count() >= 1
    site.shot(finance, "claims-queue")
    finance.goto(claim_url)
    finance.get_by_role("button", name=re.compile("^批准")).click()
    ok(finance, "已批准")
    site.shot(finance, "claim-approved")

    # The same approver files one itself: maker-checker sends it to a colleague.
    finance.goto(dispatch_url)
    finance.get_by_role("link", name="申领交通补贴").nth(1).click()
    finance.get_by_label("车费（元）").fill("900")
    finance.get_by_label("票据").set_input_files(files=[{"name": "车票.png", "mimeType": "image/png", "buffer": TICKET}])
    finance.get_by_role("button", name="提交申领").click()
    own_claim = finance.url
    assert "第二位财务审批人" in finance.locator("main").inner_text()
    assert finance.get_by_role("button", name=re.compile("^批准")).count() == 0
    assert "800.00" in finance.locator("dl").inner_text()                    # capped at the pairing's 800 yuan
    colleague = site.person("longyou.finance2")
    colleague.goto(own_claim)
    colleague.get_by_role("button", name=re.compile("^批准")).click()
    ok(colleague, "已批准")

    go(colleague, "补贴发放")
    colleague.get_by_role("button", name="将选中的申领放入发放批次").click()
    ok(colleague)
    assert "1156.50" in colleague.locator(".kpis").inner_text()
    site.shot(colleague, "payment-batch")

    # Everyone's dashboard counts the placements.
    go(sending, "工作看板")
    first = sending.locator(".kpi").first
    assert first.locator(".value").inner_text().startswith(str(in_batch))   # 组织到省外就业人数 counts the arrivals
    assert sending.locator("svg.chart").count() == 2
    site.shot(sending, "dashboard")


def test_the_liaison_officer_logs_a_follow_up_on_a_phone(make_app, chromium, request):
    """Three weeks after the arrivals both labourers are overdue; the officer calls one from the phone."""
    from tests.factories import Factory
    from tests.flow import Flow
    app = make_app(EXCHANGE_TODAY="2026-04-20")
    factory = Factory(app)
    api_flow = Flow(None, factory, sending=_api_for(app, factory, "sending_staff", "510524"),
                    receiving=_api_for(app, factory, "receiving_staff", "330825"))
    api_flow.place_two_of_three("2026-03-31T20:00:00+08:00", "2026-03-31T20:00:00+08:00")
    factory.user("liaison_officer", "510524", username="officer")
    server = Server(app, free_port()).start()
    try:
        backend = request.node.callspec.id
        site = Site(server.url, chromium, SHOTS / backend / request.node.originalname)
        phone = site.person("officer", viewport=PHONE, password=PASSWORD)
        go(phone, "回访工作台")
        cards = phone.locator("article.person")
        assert cards.count() == 2
        assert "逾期" in cards.first.inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]   # nothing wider than the phone
        site.shot(phone, "worklist-phone")
        cards.first.get_by_role("link", name="记录回访").click()
        phone.get_by_label("电话", exact=True).check()
        phone.get_by_label("失业", exact=True).check()
        phone.get_by_label("欠薪", exact=True).check()
        phone.get_by_label("备注").fill("厂里停工，工资拖欠两个月")
        site.shot(phone, "follow-up-form-phone")
        phone.get_by_role("button", name="保存回访").click()
        ok(phone, "回访已记录")
        assert phone.locator("article.person").count() == 1
        site.shot(phone, "worklist-after-phone")
    finally:
        server.stop()


def _api_for(app, factory, role, region):
    from tests.factories import Api
    _user, token = factory.user(role, region)
    return Api(app.test_client(), token)
