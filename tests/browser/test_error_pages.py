"""In a real browser, by clicks from the admin's home: a refusal is a Chinese page in the admin's
look that says why, under the real Content-Security-Policy."""

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pw-2022-errors!"


@pytest.fixture
def submitted(transactional_db):
    """The demo report, submitted for review; a 填报人 and a 审核人 of its department."""
    from accounts.models import Membership, User
    from disclosures.models import Report
    from disclosures.services import demo_load

    report = demo_load(publish=False)
    Report.objects.filter(pk=report.pk).update(status="submitted")
    for name, role in (("tianbao", "filler"), ("shenhe", "reviewer")):
        user = User.objects.create_user(name, password=PASSWORD, role=role, is_staff=True)
        Membership.objects.create(user=user, department=report.department)
    return report


def staff_page(page_factory, base: str, username: str):
    page = page_factory()
    page.csp_violations = []
    page.on(
        "console",
        lambda m: page.csp_violations.append(m.text) if "Content Security" in m.text else None,
    )
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url == base + "/admin/", page.url
    return page


def assert_admin_error_page(page, heading: str, reason: str) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator(".error-reason").inner_text() == reason
    assert page.locator("#site-name").inner_text() == "部门决算公开 管理后台"  # the admin's look
    assert page.get_by_role("link", name="返回管理首页").is_visible()
    assert "Forbidden" not in page.inner_text("body")
    assert axe_violations(page) == []
    assert page.outside_requests == [] and page.csp_violations == []


def test_a_filler_saves_a_form_of_a_report_submitted_meanwhile_and_is_told_why(
    submitted, page_factory, live_server
):
    """The 05 form was open on the draft; a colleague submitted the report meanwhile: 保存 is
    refused (403) with the reason the permission service gives, and the page says where next."""
    from disclosures.models import Report

    Report.objects.filter(pk=submitted.pk).update(status="draft")
    page = staff_page(page_factory, live_server.url, "tianbao")
    page.get_by_role("link", name="工作台：我的报告与待办").click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="泽州县总工会").click()
    page.wait_for_url("**/workflow/")
    page.get_by_role("link", name="各表", exact=True).click()
    page.get_by_role("link", name="公开05表").first.click()
    page.wait_for_url("**/entry/05/")
    Report.objects.filter(pk=submitted.pk).update(status="submitted")
    with page.expect_response(
        lambda r: r.url.endswith("/entry/05/") and r.request.method == "POST"
    ) as answer:
        page.get_by_role("button", name="保存", exact=True).first.click()
    assert answer.value.status == 403
    assert_admin_error_page(
        page,
        "没有权限",
        "您无权修改这份报告：只有本部门填报人可以修改草稿（已提交、已审核的报告须先退回）。",
    )
    screenshot(page, "error-403-filler")
    page.get_by_role("link", name="打开工作台").click()
    page.wait_for_url("**/dashboard/")


def test_a_reviewer_clicks_a_step_someone_took_first_and_gets_the_reason(
    submitted, page_factory, live_server
):
    """The page offered 审核通过; by the time the reviewer clicks it, another reviewer has approved
    the report: the step is refused (403) with the reason the review service gives."""
    from disclosures.models import Report

    page = staff_page(page_factory, live_server.url, "shenhe")
    page.get_by_role("link", name="工作台：我的报告与待办").click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="泽州县总工会").click()
    page.wait_for_url("**/workflow/")
    Report.objects.filter(pk=submitted.pk).update(status="approved")  # the other reviewer
    with page.expect_response(lambda r: r.url.endswith("/workflow/")) as answer:
        page.get_by_role("button", name="审核通过").click()
    assert answer.value.status == 403
    reason = page.locator(".error-reason").inner_text()
    assert reason.startswith("报告当前为“已审核”，只有“已提交”的报告可以")
    assert_admin_error_page(page, "没有权限", reason)
    assert "错误代码 403" in page.inner_text("#content")
    screenshot(page, "error-403-reviewer")
    assert Report.objects.get(pk=submitted.pk).status == "approved"
    # Back to the page, which now offers what may be done.
    page.get_by_role("link", name="重新打开该页面").click()
    page.wait_for_url("**/workflow/")
    assert page.get_by_role("button", name="公开").is_visible()
    assert page.get_by_role("button", name="审核通过").count() == 0
