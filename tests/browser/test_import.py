"""In a real browser: a 填报人 imports the workbook as Excel users edit it — one 项 changed, its
totals left as they were — sees the stale totals as notices, confirms, and finds the figure in
the entry form."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_a_filler_imports_a_changed_detail_with_stale_totals_by_clicks(
    demo_draft_and_filler, page_factory, live_server
):
    from disclosures.models import Fact

    page = page_factory(width=1400, height=900)
    login(page, live_server.url)
    # From the admin home to the draft's 导入 Excel page, by clicks.
    click(page, page.get_by_role("link", name="部门决算报告").first)
    department = demo_draft_and_filler.department
    click(page, page.get_by_role("link", name=f"{department.code} {department.name}"))
    click(page, page.get_by_role("link", name="填报各表"))
    click(page, page.get_by_role("link", name="导入 Excel"))
    assert "/import/" in page.url

    # Download the draft's workbook, change one 项 in 05 and leave every total as it was.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载本报告的工作簿").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    ws = workbook["公开05表"]
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "2012901")
    assert ws.cell(row, 4).value == 2459668  # 基本支出
    ws.cell(row, 4).value = 2464668
    out = io.BytesIO()
    workbook.save(out)

    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "改过的工作簿.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": out.getvalue(),
            }
        ],
    )
    click(page, page.get_by_role("button", name="上传并预览"))
    notices = page.locator("section.import-notices").inner_text()
    assert "公开05表!D7" in notices  # 合计 基本支出: printed and derived, both formatted
    assert "3,029,150.00" in notices and "3,034,150.00" in notices
    changes = page.locator("table.import-changes").inner_text()
    assert "公开05表!D10" in changes and "2,464,668.00" in changes
    assert page.locator("table.import-changes tbody tr").count() == 1  # nothing invented
    assert not page.locator("section.import-errors").count()
    assert axe_violations(page) == []
    screenshot(page, "import-preview-stale-totals")

    click(page, page.get_by_role("button", name="确认导入"))
    assert "已导入 改过的工作簿.xlsx：修改 1 处" in page.inner_text(".messagelist")
    click(page, page.get_by_role("link", name="公开05表").first)
    value = page.input_value('input[name="fact|expense|2012901|general|basic"]')
    assert value.replace(",", "") == "2464668.00"
    assert page.inner_text("#cell-05-合计-basic") == "3,034,150.00"  # derived again
    assert page.outside_requests == []
    fact = Fact.objects.get(
        report=demo_draft_and_filler,
        measure="expense",
        code="2012901",
        source="general",
        nature="basic",
    )
    assert str(fact.amount) == "2464668.00"
