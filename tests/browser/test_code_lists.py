"""In a real browser: the system admin goes from the admin home to the code lists, confirms the
2023 list a new report carried forward from 2022, and makes 2024's from 2023's (previewed first),
as a finance officer would, under the real Content-Security-Policy."""

import re

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pw-2023-codes!"


@pytest.fixture
def carried_2023(transactional_db):
    """The published 2022 demo, a 2023 draft started from it (so 2023 carries 2022's list), and
    a 系统管理员."""
    from accounts.models import User
    from disclosures.services import demo_load, report_next_year

    report = demo_load(publish=True)
    report_next_year(report=report, user=None)
    User.objects.create_user("xitong", password=PASSWORD, role="admin", is_staff=True)
    return report


def test_the_system_admin_confirms_a_carried_list_and_makes_the_next_from_it(
    carried_2023, page_factory, live_server
):
    from disclosures.models import ChangeRecord, ClassificationCode
    from disclosures.selectors import code_list_carried

    base = live_server.url
    page = page_factory()
    violations = []
    page.on(
        "console",
        lambda m: violations.append((page.url, m.text)) if "Content Security" in m.text else None,
    )
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "xitong")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/"), page.url

    # From the admin home to the code lists, by a click.
    with page.expect_navigation():
        page.get_by_role("link", name="分类科目", exact=True).click()
    years = page.locator(".code-list-years")

    def row_of(year: int):
        return years.get_by_role("row", name=re.compile(f"^{year}年度 "))

    row = row_of(2023)
    assert "沿用2022年度，待确认或导入" in row.inner_text()
    assert "本年度科目表" in row_of(2022).inner_text()
    assert axe_violations(page) == []
    screenshot(page, "code-lists-carried")

    # 确认沿用 on the 2023 row.
    with page.expect_navigation():
        row.get_by_role("button", name="确认沿用2023年度科目表").click()
    assert "已确认沿用2023年度科目表" in page.inner_text(".messagelist")
    assert "本年度科目表" in row_of(2023).inner_text()
    assert years.get_by_role("button").count() == 0
    assert code_list_carried(year=2023) == {}
    assert ChangeRecord.objects.filter(report=None, summary__startswith="确认沿用").exists()

    # 以某年为基础: 2024 from 2023, previewed, then copied, marked carried.
    with page.expect_navigation():
        page.get_by_role("link", name="以某年为基础新建科目表").click()
    page.get_by_label("作为基础的年度").select_option("2023")
    assert page.get_by_label("新年度").input_value() == "2024"
    with page.expect_navigation():
        page.get_by_role("button", name="预览").click()
    assert "预览：以2023年度为基础新建2024年度科目表" in page.inner_text("#content")
    assert not ClassificationCode.objects.filter(year=2024).exists()
    with page.expect_navigation():
        page.get_by_role("button", name="确认新建").click()
    assert "已以2023年度科目表为基础新建2024年度科目表" in page.inner_text(".messagelist")
    assert "沿用2023年度，待确认或导入" in row_of(2024).inner_text()
    assert code_list_carried(year=2024) == {"functional": 2023, "economic": 2023}
    page.wait_for_timeout(200)
    assert violations == []
