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

    # Paste the block copied from Excel: 基本支出, 项目支出, 本年收入 of each 项, row by row.
    income = golden["table02_income_by_item"]
    spending = golden["table05_general_budget_by_item"]
    block = "\n".join(
        "\t".join(
            (
                f"{D(spending[code]['basic']):,.2f}" if D(spending[code]["basic"]) else "",
                spending[code]["project"] if D(spending[code]["project"]) else "",
                income[code]["fiscal_appropriation"],
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
