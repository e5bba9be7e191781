"""A finance officer's whole year, in Chromium, by clicks and keys only.

The demo as `make run` loads it: 泽州县总工会 2022, published, with its 系统管理员, 填报人 and
审核人. The 填报人 opens last year from the 工作台 and starts 2023 from it; the year has no code
list, so 2022's is carried and they are told. The 系统管理员 confirms the carried list. The 填报人
imports last year's workbook edited as Excel users edit it (one 项 changed, totals left), pastes
and types figures, follows the findings to fix them, writes the texts and submits. The 审核人
returns it with a reason; the 填报人 fixes and resubmits; the 审核人 approves and publishes
(confirming). The public page, the comparison and the downloads show 2023. The 填报人 opens a
correction, it is published, and revision 1 stays readable. All under the real
Content-Security-Policy, with no console error and no unexpected 4xx/5xx on any request. A
screenshot of each step goes to test-artifacts/.
"""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.browser.conftest import screenshot
from tests.browser.test_entry import paste

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Zezhou-2022-year!"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def demo(transactional_db, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_demo", with_staff=True, stdout=io.StringIO())
    from disclosures.models import Report

    return Report.objects.get(year=2022)


class Officer:
    """One person at one browser: every page they see is checked as it loads."""

    def __init__(self, page_factory, base: str, username: str, problems: list):
        self.page = page_factory(width=1400, height=900)
        self.base, self.name, self.problems = base, username, problems
        self.dialogs: list[str] = []
        self.step = 0
        page = self.page
        page.on(
            "console",
            lambda m: (
                problems.append((username, page.url, m.type, m.text)) if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: problems.append((username, page.url, "pageerror", str(e))))
        page.on(
            "response",
            lambda r: (
                problems.append((username, r.url, r.status))
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )

        def answer(dialog):
            self.dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", answer)
        # The one address typed: the login page, as a bookmark would be.
        page.goto(base + "/admin/login/")
        page.get_by_label("用户名").focus()
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == base + "/admin/", page.url

    def click(self, locator) -> None:
        with self.page.expect_navigation():
            locator.click()

    def link(self, name: str, exact: bool = True) -> None:
        self.click(self.page.get_by_role("link", name=name, exact=exact).first)

    def button(self, name: str) -> None:
        self.click(self.page.get_by_role("button", name=name, exact=True).first)

    def shot(self, what: str) -> None:
        self.step += 1
        screenshot(self.page, f"year-{self.name}-{self.step:02d}-{what}")

    def home(self) -> None:
        if self.page.locator("#site-name a").count():
            self.click(self.page.locator("#site-name a"))
        else:  # from the public site: the admin's address, as bookmarked
            self.page.goto(self.base + "/admin/")

    def message(self) -> str:
        return self.page.inner_text(".messagelist")

    def dashboard_report(self, year: int, state: str = "") -> None:
        """From anywhere: the site's name (the admin home) → 工作台 → the report of `year`."""
        self.home()
        self.link("工作台：我的报告与待办")
        row = self.page.locator("table.dashboard tbody tr", has_text=f"{year}")
        if state:
            row = row.filter(has_text=state)
        self.click(row.get_by_role("link", name="泽州县总工会"))


def test_a_finance_officers_whole_year(demo, page_factory, live_server):
    from disclosures.models import EconomicFact, Fact, Report

    problems: list = []
    base = live_server.url
    filler = Officer(page_factory, base, "tianbao", problems)
    page = filler.page

    # 1. Last year, from the 工作台: its workbook, then next year's draft from it.
    filler.dashboard_report(2022)
    assert "已公开" in page.inner_text(".report-state")
    filler.shot("last-year")
    filler.link("导入 Excel")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载本报告的工作簿").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    filler.link("报告信息")
    filler.link("以上年为基础新建")
    filler.shot("next-year-confirm")
    filler.button("新建2023年度草稿")
    assert "已以2022年度为基础新建2023年度草稿" in filler.message()
    assert "2023年度尚无科目表，已沿用2022年度科目表" in filler.message()
    report = Report.objects.get(year=2023)
    filler.shot("new-year")

    # 2. The 系统管理员 confirms the carried code list.
    admin = Officer(page_factory, base, "admin", problems)
    admin.link("分类科目")
    row = admin.page.locator(".code-list-years tr", has_text="2023年度")
    admin.click(row.get_by_role("button", name="确认沿用2023年度科目表"))
    assert "已确认沿用2023年度科目表" in admin.message()
    admin.shot("code-list-confirmed")

    # 3. Last year's workbook, edited as in Excel: one 项 of 05 up by 5,000, its totals left.
    ws = book["公开05表"]
    line = next(r[0].row for r in ws.iter_rows() if r[0].value == "2012901")
    ws.cell(line, 4).value = ws.cell(line, 4).value + 5000
    edited = io.BytesIO()
    book.save(edited)
    filler.dashboard_report(2023)
    filler.link("导入 Excel")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "2023年度.xlsx", "mimeType": XLSX, "buffer": edited.getvalue()}],
    )
    filler.button("上传并预览")
    assert "公开05表!D7" in page.locator("section.import-notices").inner_text()
    assert not page.locator("section.import-errors").count()
    filler.shot("import-preview")
    filler.button("确认导入")
    assert "已导入 2023年度.xlsx" in filler.message()
    fact = Fact.objects.get(
        report=report, measure="expense", code="2012901", source="general", nature="basic"
    )
    assert fact.amount == 2464668

    # 4. 07 pasted from Excel (eight zeros: 三公 disclosed as none), one figure typed.
    filler.link("各表")
    filler.link("公开07表", exact=False)
    paste(page, 'input[name="figure|tp_budget_abroad"]', "\t".join(["0"] * 8) + "\n")
    assert page.input_value('input[name="figure|tp_actual_reception"]') in ("0", "0.00")
    filler.button("保存")
    assert "已保存" in filler.message()
    filler.shot("07-pasted")

    # 5. The findings, followed to where they are fixed. More was spent than came in: the
    # balance's link opens 05 with the cells that feed it marked; the 5,000 came in as income.
    filler.link("审核")
    balance = page.locator("#rule-balance\\.totals")
    assert "收入总计等于支出总计" in balance.inner_text()
    filler.shot("findings")
    filler.click(balance.locator("table a").first)
    assert "/entry/05/" in page.url
    income = page.locator('input[name="fact|income|2012901|general|"]')
    typed = (
        Fact.objects.get(
            report=report, measure="income", code="2012901", source="general", nature=""
        ).amount
        + 5000
    )
    income.click()
    income.press("Control+a")
    page.keyboard.type(f"{typed:.2f}")
    page.keyboard.press("Tab")
    filler.button("保存")
    assert "已保存" in filler.message()
    # The economic split now lacks the 5,000: typed into 06's 办公费.
    filler.link("审核")
    assert page.locator("#rule-cross\\.economic").count() == 1
    filler.link("各表")
    filler.link("公开06表", exact=False)
    cell = page.locator('input[name="econ|30201|basic"]')
    cell.click()
    cell.press("Control+a")
    before = EconomicFact.objects.get(report=report, code="30201", nature="basic").amount
    page.keyboard.type(f"{before + 5000:.2f}")
    page.keyboard.press("Tab")
    filler.button("保存")
    assert "已保存" in filler.message()
    # What is left is the texts': its link opens the texts page.
    filler.link("审核")
    assert "错误 1 条" in page.inner_text("#content")
    filler.click(page.locator("#rule-complete\\.text_admin_cost table a").first)
    assert "/texts/" in page.url

    # 6. The texts: 三公 and 机关运行经费, typed into their sections.
    def write(heading: str, body: str) -> None:
        box = page.locator(f'tr:has(input[value="{heading}"]) textarea')
        box.click()
        box.press("Control+a")
        page.keyboard.type(body)

    write(
        "九、财政拨款“三公”经费支出决算情况说明",
        "2023年“三公”经费财政拨款支出决算为0.00元，与上年相同。",
    )
    write("十、其他重要事项情况说明", "2023年机关运行经费支出235,594.00元，与上年持平。")
    filler.button("保存")
    filler.shot("texts")
    filler.link("提交与公开")
    assert "没有发现问题" in page.inner_text("#content")
    filler.button("提交审核")
    assert page.url.endswith(f"/admin/disclosures/report/{report.pk}/workflow/")
    assert "已提交审核" in filler.message()
    filler.shot("submitted")

    # 7. The 审核人 returns it with a reason (confirming).
    reviewer = Officer(page_factory, base, "shenhe", problems)
    reviewer.dashboard_report(2023)
    reviewer.page.get_by_label("退回原因").fill("第十部分请写明机关运行经费的构成。")
    reviewer.button("退回修改")
    assert any("退回" in d for d in reviewer.dialogs)
    assert "已退回修改" in reviewer.message()
    reviewer.shot("returned")

    # 8. The 填报人 sees 已退回 with the reason, fixes and resubmits.
    filler.home()
    filler.link("工作台：我的报告与待办")
    assert "已退回" in page.inner_text("table.dashboard")
    assert "第十部分请写明机关运行经费的构成" in page.inner_text("table.dashboard")
    filler.click(page.locator("table.dashboard tr.returned").get_by_role("link").first)
    filler.link("情况说明与名词解释")
    write(
        "十、其他重要事项情况说明",
        "2023年机关运行经费支出235,594.00元，与上年持平，主要用于办公和日常运转。",
    )
    filler.button("保存")
    filler.link("提交与公开")
    filler.button("提交审核")
    assert "已提交审核" in filler.message()

    # 9. The 审核人 approves and publishes (confirming); the public reads 2023.
    reviewer.dashboard_report(2023)
    reviewer.button("审核通过")
    reviewer.button("公开")
    assert any("确定公开" in d for d in reviewer.dialogs)
    assert "已公开" in reviewer.message()
    reviewer.shot("published")
    public = reviewer.page
    reviewer.click(public.locator("a", has_text="/departments/021001/2023/"))
    assert "2023" in public.inner_text("h1")
    reviewer.shot("public-page")
    with public.expect_download() as pdf:
        public.get_by_role("link", name="正式报告 PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages[:3])
    assert "2023" in text and "泽州县总工会" in text
    with public.expect_download() as xlsx:
        public.get_by_role("link", name="全部报表 Excel").click()
    assert "公开05表" in load_workbook(io.BytesIO(xlsx.value.path().read_bytes())).sheetnames
    reviewer.link("历年对比")
    assert "2022" in public.inner_text("main") and "2023" in public.inner_text("main")
    reviewer.shot("compare")

    # 10. A correction by the 填报人, published; revision 1 stays readable.
    filler.dashboard_report(2023)
    page.get_by_label("更正原因").fill("第十部分补充机关运行经费的用途。")
    filler.button("更正（新建修订版）")
    assert "已新建第2版草稿" in filler.message()
    filler.link("情况说明与名词解释")
    write(
        "十、其他重要事项情况说明",
        "2023年机关运行经费支出235,594.00元，与上年持平，主要用于办公、水电和日常运转。",
    )
    filler.button("保存")
    filler.link("提交与公开")
    filler.button("提交审核")
    reviewer.dashboard_report(2023, "已提交")
    assert "本次更正改动（与第1版对比）" in reviewer.page.inner_text("#content")
    assert "水电" in reviewer.page.inner_text("table.correction-changes")
    reviewer.shot("correction-review")
    reviewer.button("审核通过")
    reviewer.button("公开")
    reviewer.click(reviewer.page.locator("a", has_text="/departments/021001/2023/"))
    assert "更正说明" in public.inner_text("main")
    reviewer.click(public.locator('a[href$="/2023/r1/"]').first)
    assert "已被更正" in public.inner_text("main")
    reviewer.shot("revision-1")

    page.wait_for_timeout(200)
    assert problems == []
