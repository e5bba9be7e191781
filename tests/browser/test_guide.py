"""In a real browser: a 填报人 logs in and opens 操作指南 by a click from the admin's home, reads
their own steps, and moves through the guide by its contents."""

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pw-2022-guide!"


@pytest.fixture
def filler(transactional_db):
    from accounts.models import Membership, User
    from disclosures.services import demo_load

    report = demo_load(publish=False)
    user = User.objects.create_user("tianbao", password=PASSWORD, role="filler", is_staff=True)
    Membership.objects.create(user=user, department=report.department)
    return user


def test_a_filler_opens_the_guide_from_the_admin_home(filler, page_factory, live_server):
    base = live_server.url
    page = page_factory()
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security" in m.text else None,
    )
    page.goto(base + "/admin/login/")
    page.get_by_label("用户名").fill("tianbao")
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.url == base + "/admin/"
    with page.expect_navigation():
        page.locator("#user-tools").get_by_role("link", name="操作指南").click()
    assert page.url == base + "/admin/guide/"
    assert page.get_by_role("heading", level=1).inner_text() == "操作指南"
    # Their own steps are marked and linked from the top of the page.
    mine = page.locator("section.guide-role.is-mine")
    assert mine.get_by_role("heading", level=3).inner_text() == "填报人（您的角色）"
    assert "提交审核" in mine.inner_text()
    page.locator(".guide-lead").get_by_role("link", name="填报人的步骤").click()
    assert page.url.endswith("#role-filler")
    page.locator(".guide-toc").get_by_role("link", name="导入 Excel 的步骤").click()
    assert page.url.endswith("#import")
    assert page.locator("#import").get_by_role("heading", level=2).is_visible()
    assert axe_violations(page) == []
    screenshot(page, "guide")
    # From a report's page too: every staff page carries the link.
    with page.expect_navigation():
        page.get_by_role("link", name="首页").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="工作台：我的报告与待办").click()
    with page.expect_navigation():
        page.get_by_role("link", name="泽州县总工会").first.click()
    assert "/workflow/" in page.url
    with page.expect_navigation():
        page.locator("#user-tools").get_by_role("link", name="操作指南").click()
    assert page.url == base + "/admin/guide/"
    page.wait_for_timeout(100)
    assert violations == []
    assert page.outside_requests == []
