"""In a real browser: two staff editing one draft (no lost update), and every public and staff
page under the real Content-Security-Policy with no violation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pw-2022-entry!"


@pytest.fixture
def draft_and_staff(transactional_db):
    from accounts.models import Membership, User
    from disclosures.services import demo_load

    report = demo_load(publish=False)
    users = []
    for name in ("tianbao", "lisi"):
        user = User.objects.create_user(name, password=PASSWORD, role="filler", is_staff=True)
        Membership.objects.create(user=user, department=report.department)
        users.append(user)
    User.objects.create_superuser("root", "root@example.gov.cn", PASSWORD)
    return report


def login(page, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/"), page.url


def test_two_staff_edit_one_draft_and_the_later_save_is_refused_with_input_kept(
    draft_and_staff, page_factory, live_server
):
    from disclosures.models import ReportFigures

    base = live_server.url
    url = f"{base}/admin/disclosures/report/{draft_and_staff.pk}/entry/10/"
    first, second = page_factory(), page_factory()  # two browser contexts, two sessions
    login(first, base, "tianbao")
    login(second, base, "lisi")
    first.goto(url)
    second.goto(url)
    first.fill('input[name="figure|vehicles_other"]', "4")
    with first.expect_navigation():
        first.click("button[name=action][value=save]")
    assert "已保存" in first.inner_text(".messagelist")
    # The second person typed on the page they opened before: their save is refused.
    second.fill('input[name="figure|vehicles_emergency"]', "2")
    with second.expect_navigation():
        second.click("button[name=action][value=save]")
    message = second.inner_text(".messagelist")
    assert "没有保存" in message and "tianbao" in message and "→ 4" in message
    assert second.input_value('input[name="figure|vehicles_emergency"]') == "2"  # kept
    figures = ReportFigures.objects.get(report=draft_and_staff)
    assert (figures.vehicles_other, figures.vehicles_emergency) == (4, 0)
    # Having seen the other's change, saving again goes through, on top of it.
    with second.expect_navigation():
        second.click("button[name=action][value=save]")
    assert "已保存" in second.inner_text(".messagelist")
    figures.refresh_from_db()
    assert figures.vehicles_emergency == 2


def test_no_page_breaks_the_content_security_policy(draft_and_staff, page_factory, live_server):
    from disclosures.workflow import report_publish_loaded

    base = live_server.url
    pk = draft_and_staff.pk
    page = page_factory()
    violations = []
    page.on(
        "console",
        lambda m: violations.append((page.url, m.text)) if "Content Security" in m.text else None,
    )
    staff_pages = [
        "/admin/",
        "/admin/guide/",
        "/admin/disclosures/report/",
        "/admin/disclosures/report/dashboard/",
        f"/admin/disclosures/report/{pk}/change/",
        f"/admin/disclosures/report/{pk}/entry/",
        f"/admin/disclosures/report/{pk}/entry/03/",
        f"/admin/disclosures/report/{pk}/entry/10/",
        f"/admin/disclosures/report/{pk}/entry/figures/",
        f"/admin/disclosures/report/{pk}/profile/",
        f"/admin/disclosures/report/{pk}/texts/",
        f"/admin/disclosures/report/{pk}/checks/",
        f"/admin/disclosures/report/{pk}/workflow/",
        f"/admin/disclosures/report/{pk}/records/",
        f"/admin/disclosures/report/{pk}/import/",
        f"/admin/disclosures/report/{pk}/preview/",
        "/admin/disclosures/fact/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/performance/evaluation/",
    ]
    page.goto(base + "/admin/login/")
    login(page, base, "root")
    for path in staff_pages:
        response = page.goto(base + path)
        assert response.status == 200, path
    report_publish_loaded(report=draft_and_staff)
    public_pages = [
        "/",
        "/search/?q=总工会",
        "/departments/021001/",
        "/departments/021001/compare/",
        "/departments/021001/2022/",
        "/departments/021001/2022/tables/06/",
        "/data/",
    ]
    for path in public_pages:
        response = page.goto(base + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "unsafe-inline" not in policy
    page.wait_for_timeout(200)
    assert violations == []
    # The bars still have their widths, from classes.
    page.goto(base + "/departments/021001/2022/")
    width = page.eval_on_selector(
        "#chart-by-category .bar", "bar => bar.getBoundingClientRect().width"
    )
    assert width > 10
