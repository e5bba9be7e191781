"""A 填报人 enters the seed report in a real browser: from an empty draft, typing and pasting the
golden figures into the forms; the ten filled tables then equal the golden ones."""

import json
from decimal import Decimal

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import GOLDEN_PATH
from tests.disclosures import test_golden as golden_checks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


@pytest.fixture
def empty_draft(transactional_db):
    """The seed department's 2022 report with no figure at all, as a draft, and its 填报人."""
    from accounts.models import Membership, User
    from disclosures.models import EconomicFact, Fact, ReportFigures, ReportRow
    from disclosures.services import demo_load

    report = demo_load(publish=False)
    Fact.objects.filter(report=report).delete()
    EconomicFact.objects.filter(report=report).delete()
    ReportRow.objects.filter(report=report).delete()
    ReportFigures.objects.filter(report=report).update(admin_cost_admin_units=0, vehicles_other=0)
    user = User.objects.create_user(
        "tianbao", password="Pw-2022-entry", role="filler", is_staff=True
    )
    Membership.objects.create(user=user, department=report.department)
    return report


def login(page, base: str) -> None:
    """With the keyboard only, as the login page is used."""
    page.goto(base + "/admin/login/")
    page.keyboard.press("Tab")
    page.get_by_label("用户名").focus()
    page.keyboard.type("tianbao")
    page.keyboard.press("Tab")
    page.keyboard.type("Pw-2022-entry")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/admin/")


def paste(page, selector: str, text: str) -> None:
    """A block copied from Excel (tab-separated lines) pasted into the cell at `selector`."""
    page.eval_on_selector(
        selector,
        """(input, text) => {
            input.focus();
            const data = new DataTransfer();
            data.setData('text/plain', text);
            input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                             cancelable: true}));
        }""",
        text,
    )


def cell(name: str) -> str:
    return f'input[name="{name}"]'


def test_a_filler_enters_the_seed_report_and_the_tables_equal_the_golden_ones(
    empty_draft, page_factory, live_server
):
    from disclosures.models import Report
    from disclosures.selectors import report_tables

    golden = json.loads(GOLDEN_PATH.read_text(encoding="utf-8"))
    base = live_server.url
    page = page_factory(width=1400, height=900)
    login(page, base)
    entry = f"{base}/admin/disclosures/report/{empty_draft.pk}/entry/"

    # 公开05表: add the eight 项 rows by code, with the keyboard.
    page.goto(entry + "05/")
    items = list(golden["table05_general_budget_by_item"])
    for code in items:
        page.get_by_label("添加科目（项）：").fill(code)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the 添加 button is the form's first
        assert f"已添加科目行 {code}" in page.inner_text("body")
    assert page.locator("td.input input").count() == 5 * len(items)

    # Paste the block copied from Excel: 基本支出, 项目支出, 本年收入 of each 项, row by row,
    # and the balances' columns, blank (as wide as the input columns from the landing cell).
    income = golden["table02_income_by_item"]
    spending = golden["table05_general_budget_by_item"]
    block = "\n".join(
        "\t".join(
            (
                f"{D(spending[code]['basic']):,.2f}" if D(spending[code]["basic"]) else "",
                spending[code]["project"] if D(spending[code]["project"]) else "",
                income[code]["fiscal_appropriation"],
                "",
                "",
            )
        )
        for code in sorted(items)
    )
    paste(page, cell(f"fact|expense|{sorted(items)[0]}|general|basic"), block + "\n")
    # The 合计 row recalculates as the block lands, before anything is saved.
    assert page.inner_text("#cell-05-合计-subtotal") == "5,939,150.00"
    assert page.inner_text("#cell-05-合计-basic") == "3,029,150.00"
    assert page.inner_text("#cell-05-201-project") == "2,910,000.00"
    # A typo is marked at once, and the sums ignore it until it is fixed.
    page.fill(cell("fact|expense|2101199|general|basic"), "5,O35")
    assert "invalid" in page.get_attribute("#cell-05-2101199-basic", "class")
    assert page.inner_text("#cell-05-合计-basic") == "3,024,115.00"
    page.fill(cell("fact|expense|2101199|general|basic"), "5035")
    assert page.inner_text("#cell-05-合计-basic") == "3,029,150.00"
    assert axe_violations(page) == []
    screenshot(page, "entry-05-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已保存 公开05表" in page.inner_text("body")

    # 公开03表 takes nothing here: all its spending is the appropriation's, typed in 05.
    page.goto(entry + "03/")
    assert page.inner_text("#cell-03-合计-total") == "5,939,150.00"
    assert "由 公开05表「基本支出」" in page.inner_text("body")

    # 公开06表: each 款 line, 其中基本支出 and the project part (金额 less 基本支出), typed.
    page.goto(entry + "06/")
    for code, row in golden["table06_economic"].items():
        amount, basic = D(row["amount"]), D(row["basic"])
        if basic:
            page.fill(cell(f"econ|{code}|basic"), f"{basic}")
        if amount - basic:
            page.locator(cell(f"econ|{code}|project")).press_sequentially(f"{amount - basic}")
    assert page.inner_text("#cell-06-人员经费合计-amount") == "4,811,353.00"
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已保存 公开06表" in page.inner_text("body")

    # 公开10表, with the keyboard alone: Tab from cell to cell.
    page.goto(entry + "10/")
    page.locator(cell("figure|admin_cost_admin_units")).focus()
    page.keyboard.press("Control+A")  # the field holds 0.00
    page.keyboard.type("235,594.00")
    page.locator(cell("figure|vehicles_other")).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Tab")  # on to the equipment count, its 0 selected as Tab does
    page.keyboard.type("0")
    assert page.inner_text("#cell-10-（一）车辆数合计（辆）-value") == "1"
    page.keyboard.press("Shift+Tab")
    page.get_by_role("button", name="保存").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "已保存 公开10表" in page.inner_text("body")
    screenshot(page, "entry-10-saved")
    assert page.outside_requests == []

    # The ten filled tables equal the golden ones, every printed cell.
    report = Report.objects.get(pk=empty_draft.pk)
    tables = {t.number: t for t in report_tables(report=report)}
    golden_checks.test_table01_every_printed_cell(tables, golden)
    golden_checks.test_table02_every_printed_cell(tables, golden)
    for number, key, columns in (
        ("03", "table03_expense_by_item", {"total": ["basic", "project"]}),
        ("05", "table05_general_budget_by_item", {"subtotal": ["basic", "project"]}),
    ):
        golden_checks.test_tables03_05_every_printed_cell(tables, golden, number, key, columns)
    golden_checks.test_table04_every_printed_cell(tables, golden)
    golden_checks.test_table06_every_printed_cell(tables, golden)
    for number in ("07", "08", "09"):
        golden_checks.test_empty_tables_carry_the_note(tables, number)
    golden_checks.test_table07_layout(tables)
    golden_checks.test_table10_every_printed_cell(tables, golden)


def test_checks_link_to_the_highlighted_cell(empty_draft, page_factory, live_server):
    page = page_factory()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/admin/disclosures/report/{empty_draft.pk}/checks/")
    assert axe_violations(page) == []
    link = page.get_by_role("link", name="公开07表").first
    assert link.count() == 1
    with page.expect_navigation():
        link.click()
    # The link opens the input cell where the figure is typed; :target highlights it.
    outline = page.eval_on_selector("td:target", "cell => getComputedStyle(cell).outlineStyle")
    assert outline == "solid"
    assert page.get_attribute("td:target", "class").split()[0] == "input"


def test_the_entry_script_runs_under_script_src_self(empty_draft, page_factory, live_server):
    """Served with Content-Security-Policy: script-src 'self' — no inline code is refused and
    the sums still follow the typing."""
    page = page_factory()
    login(page, live_server.url)
    refused = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )

    def with_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=headers)

    page.route("**/entry/10/", with_policy)
    page.goto(f"{live_server.url}/admin/disclosures/report/{empty_draft.pk}/entry/10/")
    # Enter and the arrows move down and up a column, never submitting half a table.
    page.locator(cell("figure|vehicles_emergency")).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "figure|vehicles_law_enforcement"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.name") == "figure|vehicles_emergency"
    assert page.url.endswith("/entry/10/")
    page.fill(cell("figure|vehicles_law_enforcement"), "2")
    page.fill(cell("figure|vehicles_other"), "1")
    assert page.inner_text("#cell-10-（一）车辆数合计（辆）-value") == "3"
    page.fill(cell("figure|procurement_goods"), "1,000")
    page.fill(cell("figure|procurement_services"), "234.5")
    assert page.inner_text("#cell-10-合计-value") == "1,234.50"
    assert refused == []
    # The policy is really in force: a planted inline script is refused.
    planted = page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.planted = true'; document.body.appendChild(s);
                   return window.planted === true; }"""
    )
    assert planted is False
    page.wait_for_timeout(100)
    assert any("inline" in message for message in refused)


def open_form(page, base: str, report, caption: str) -> None:
    """From the admin home to one of the report's entry forms, by its links."""
    page.goto(base + "/admin/")
    with page.expect_navigation():
        page.get_by_role("link", name="部门决算报告").first.click()
    with page.expect_navigation():
        page.locator("#result_list").get_by_role("link", name=report.department.name).click()
    with page.expect_navigation():
        page.get_by_role("link", name="填报各表").click()
    with page.expect_navigation():
        page.get_by_role("link", name=caption, exact=True).click()


@pytest.fixture
def draft_with_rows(empty_draft):
    """The empty draft with two 项 rows on its forms."""
    from disclosures.services import report_row_add

    for code in ("2012901", "2080505"):
        report_row_add(report=empty_draft, text=code)
    return empty_draft


def test_a_pasted_block_lands_by_its_header_and_one_that_would_shift_is_refused(
    draft_with_rows, page_factory, live_server
):
    from disclosures.models import Fact

    base = live_server.url
    page = page_factory(width=1400, height=900)
    login(page, base)
    open_form(page, base, draft_with_rows, "公开05表")
    basic, project = "fact|expense|{}|general|basic", "fact|expense|{}|general|project"
    income = "fact|income|{}|general|"
    every_input = "Array.from(document.querySelectorAll('td.input input'), i => i.value)"
    alert = page.locator("#paste-refused")
    assert alert.get_attribute("role") == "alert"  # read out as it appears

    # Five columns copied (小计 with them), landed on 项目支出: four input columns from there.
    paste(page, cell(project.format("2012901")), "2,659,668.00\t2,459,668.00\t200,000.00\t\t\n")
    assert alert.inner_text() == (
        "粘贴的数据有 5 列，而从此格起可填写的只有 4 列（小计为自动计算列）。"
        "请只复制可填写的列，或连同表头一起复制。"
    )
    assert alert.is_visible()
    assert set(page.evaluate(every_input)) == {""}  # nothing changed
    assert page.inner_text("#cell-05-合计-subtotal") == ""
    # As wide as the input columns, under a header this form does not know: never pasted as
    # figures (it would push every row down one).
    paste(page, cell(basic.format("2012901")), "基本\t项目\t收入\t年初\t年末\n1\t2\t3\t\t\n")
    assert "第一行（基本、项目、收入）不是本表的表头" in alert.inner_text()
    assert set(page.evaluate(every_input)) == {""}
    # One header line, whole amounts under it (not taken for 栏次), landed on the next row.
    paste(page, cell(project.format("2080505")), "小计\t基本支出\t项目支出\n300\t100\t200\n")
    assert page.input_value(cell(basic.format("2080505"))) == "100"
    assert page.input_value(cell(project.format("2080505"))) == "200"
    assert alert.inner_text() == ""

    # The same columns with the header as the published workbook prints it (merged 本年支出,
    # 栏次): each lands under its own column, 小计 and the code and name are skipped.
    block = (
        "项目\t\t本年支出\t\t\n"
        "功能分类科目编码\t科目名称\t小计\t基本支出\t项目支出\n"
        "栏次\t\t1\t2\t3\n"
        "2012901\t行政运行\t2,659,668.00\t2,459,668.00\t200,000.00\n"
        "2080505\t机关事业单位职业年金缴费支出\t205,986.00\t205,986.00\t\n"
    )
    paste(page, cell(basic.format("2012901")), block)
    assert page.input_value(cell(basic.format("2012901"))) == "2,459,668.00"
    assert page.input_value(cell(project.format("2012901"))) == "200,000.00"
    assert page.input_value(cell(basic.format("2080505"))) == "205,986.00"
    assert page.input_value(cell(project.format("2080505"))) == ""
    assert page.input_value(cell(income.format("2012901"))) == ""
    assert page.inner_text("#cell-05-合计-subtotal") == "2,865,654.00"
    assert alert.inner_text() == ""
    done = page.get_by_role("status").inner_text()
    assert "基本支出、项目支出" in done and "小计为自动计算列，未粘贴" in done

    # A block exactly as wide as the input columns from the landing cell pastes as it is.
    paste(page, cell(income.format("2012901")), "2,659,668.00\t\t\n205,986.00\t\t\n")
    assert page.input_value(cell(income.format("2012901"))) == "2,659,668.00"
    assert page.input_value(cell(income.format("2080505"))) == "205,986.00"
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已保存 公开05表" in page.inner_text(".messagelist")
    stored = {
        (f.measure, f.code, f.nature): f.amount
        for f in Fact.objects.filter(report=draft_with_rows, source="general")
    }
    assert stored == {
        ("expense", "2012901", "basic"): D("2459668.00"),
        ("expense", "2012901", "project"): D("200000.00"),
        ("expense", "2080505", "basic"): D("205986.00"),
        ("income", "2012901", ""): D("2659668.00"),
        ("income", "2080505", ""): D("205986.00"),
    }

    # 公开07表 repeats its labels under 预算数 and 决算数: a header of three lines names each
    # column; its last line alone is ambiguous, and refused.
    with page.expect_navigation():
        page.get_by_role("navigation", name="报告填报导航").get_by_role("link", name="各表").click()
    with page.expect_navigation():
        page.get_by_role("link", name="公开07表", exact=True).click()
    leaves = "合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\n"
    paste(
        page, cell("figure|tp_actual_abroad"), leaves + "30,000\t0\t20,000\t5,000\t15,000\t10,000"
    )
    assert "「合计」" in alert.inner_text() and "不止一栏" in alert.inner_text()
    assert set(page.evaluate(every_input)) == {""}
    block = (
        "决算数\t\t\t\t\t\n"
        + leaves
        + "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\n"
        + "30,000\t0\t20,000\t5,000\t15,000\t10,000\n"
    )
    paste(page, cell("figure|tp_budget_abroad"), block)
    values = {
        name: page.input_value(cell(f"figure|tp_{name}"))
        for name in ("budget_abroad", "actual_abroad", "actual_vehicle_purchase")
    }
    assert values == {"budget_abroad": "", "actual_abroad": "0", "actual_vehicle_purchase": "5,000"}
    assert page.input_value(cell("figure|tp_actual_vehicle_operation")) == "15,000"
    assert page.input_value(cell("figure|tp_actual_reception")) == "10,000"
    assert page.inner_text("#cell-07-“三公”经费-actual_total") == "30,000.00"
    assert "合计、小计为自动计算列" in page.get_by_role("status").inner_text()
    screenshot(page, "entry-07-pasted-by-header")


def test_figures_typed_when_the_login_expired_come_back_after_logging_in_again(
    draft_with_rows, page_factory, live_server, settings
):
    from django.contrib.sessions.models import Session

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # expired by deleting rows

    from accounts.models import Membership, User
    from disclosures.models import Fact

    lisi = User.objects.create_user("lisi", password="Pw-2022-entry", role="filler", is_staff=True)
    Membership.objects.create(user=lisi, department=draft_with_rows.department)
    base = live_server.url
    page = page_factory(width=1400, height=900)
    basic, project = (
        cell("fact|expense|2012901|general|basic"),
        cell("fact|expense|2012901|general|project"),
    )

    def type_and_save_after_expiry(figures: str) -> None:
        open_form(page, base, draft_with_rows, "公开05表")
        page.fill(basic, figures)
        page.fill(project, "200,000.00")
        Session.objects.all().delete()  # thirty idle minutes later
        with page.expect_navigation():
            page.get_by_role("button", name="保存").click()
        assert "/admin/login/" in page.url
        assert "您填写的内容已保留" in page.inner_text(".messagelist")

    def log_in_here(username: str) -> None:
        page.fill("#id_username", username)
        page.fill("#id_password", "Pw-2022-entry")
        with page.expect_navigation():
            page.click("input[type=submit]")

    # On a shared browser, someone else logging in never sees what the first one typed.
    login(page, base)
    type_and_save_after_expiry("1,234.00")
    log_in_here("lisi")
    assert page.url.endswith(f"/report/{draft_with_rows.pk}/entry/05/")
    assert page.input_value(basic) == ""
    assert "登录已过期" not in page.inner_text("body")
    with page.expect_navigation():
        page.locator("#logout-form button").click()

    # The one who typed: back on the form with the figures, told to check them, not saved yet.
    login(page, base)
    type_and_save_after_expiry("2,459,668.00")
    log_in_here("tianbao")
    assert page.url.endswith(f"/report/{draft_with_rows.pk}/entry/05/")
    assert page.input_value(basic) == "2,459,668.00"
    assert page.input_value(project) == "200,000.00"
    assert "登录已过期，您填写的内容已保留，请核对后再保存。" in page.inner_text(".messagelist")
    assert page.inner_text("#cell-05-合计-subtotal") == "2,659,668.00"  # the sums follow
    assert not Fact.objects.filter(report=draft_with_rows).exists()
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已保存 公开05表" in page.inner_text(".messagelist")
    stored = {
        f.nature: f.amount for f in Fact.objects.filter(report=draft_with_rows, measure="expense")
    }
    assert stored == {"basic": D("2459668.00"), "project": D("200000.00")}


def test_an_open_form_keeps_the_login_alive_while_typing_and_warns_when_idle(
    draft_with_rows, page_factory, live_server, settings
):
    from django.contrib.sessions.models import Session

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.SESSION_COOKIE_AGE = 30 * 60
    base = live_server.url
    page = page_factory()
    page.clock.install()  # the page's timers and Date run on a clock the test moves
    login(page, base)
    open_form(page, base, draft_with_rows, "公开05表")
    warning = page.locator("#session-warning")
    basic = cell("fact|expense|2012901|general|basic")

    # Typing: within five minutes the form tells the server, which moves the session's end on.
    before = Session.objects.get().expire_date
    page.fill(basic, "1")
    with page.expect_response("**/keepalive/") as ping:
        page.clock.run_for("05:30")
    assert ping.value.status == 204
    assert Session.objects.get().expire_date > before
    assert warning.inner_text() == ""

    # Left idle: a warning five minutes before the end, and no request to keep it alive.
    pings = []
    page.on("request", lambda r: pings.append(r.url) if "/keepalive/" in r.url else None)
    page.clock.run_for("24:00")
    assert warning.inner_text() == ""
    page.clock.run_for("01:00")
    assert "登录将在约 5 分钟后过期" in warning.inner_text()
    assert pings == []

    # The session ended on the server: the next keystroke's request finds it, and says so.
    Session.objects.all().delete()
    page.fill(basic, "2")
    with page.expect_response("**/keepalive/") as ping:
        page.clock.run_for("00:30")
    assert ping.value.status == 302  # sent to the login
    page.wait_for_function(
        "document.getElementById('session-warning').textContent.startsWith('登录已过期')"
    )
    assert "填写的内容会保留" in warning.inner_text()
