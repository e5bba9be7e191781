"""A reader's path through the public site, in a real browser."""

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from disclosures.services import demo_load

    return demo_load()


def test_find_read_and_compare(demo, page_factory, live_server):
    page = page_factory()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert axe_violations(page) == []
    screenshot(page, "home-desktop")

    # Search for the department and open its 2022 report.
    page.get_by_role("searchbox", name="搜索部门名称或编码").fill("泽州县总工会")
    page.get_by_role("button", name="搜索").first.click()
    page.wait_for_url("**/search/**")
    assert "找到 1 份报告" in page.inner_text("main")
    assert axe_violations(page) == []  # the results table (django-tables2), sortable headers
    page.get_by_role("link", name="泽州县总工会 2022年度部门决算").click()
    page.wait_for_url("**/departments/021001/2022/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "泽州县总工会2022年度部门决算公开报告"
    )

    # 公开03表: the 合计 row carries 5,939,150.00.
    total_row = page.locator("#table-03 tbody tr").filter(has=page.locator("th", has_text="合计"))
    assert total_row.count() == 1
    assert total_row.locator("td").first.inner_text() == "5,939,150.00"
    assert axe_violations(page) == []
    screenshot(page, "report-desktop")

    # The year comparison.
    page.get_by_role("link", name="历年对比").first.click()
    page.wait_for_url("**/departments/021001/compare/")
    assert "+12.15%" in page.inner_text("table")
    assert axe_violations(page) == []
    screenshot(page, "compare-desktop")
    assert page.outside_requests == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/departments/021001/2022/",
        "/departments/021001/compare/",
        "/departments/021001/2022/tables/06/",
        "/evaluations/",
        "/search/?q=总工会",
    ],
)
def test_phone_width_without_page_overflow(demo, page_factory, live_server, path):
    page = page_factory(width=390, height=844, mobile=True)
    page.goto(live_server.url + path)
    # Wide tables scroll inside their own region; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert axe_violations(page) == []
    name = path.strip("/").replace("/", "-") or "home"
    screenshot(page, f"{name}-phone")
    assert page.outside_requests == []


def test_browse_by_region_down_to_the_department(demo, page_factory, live_server):
    page = page_factory()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="山西省").click()
    page.wait_for_url("**/regions/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "山西省"
    assert axe_violations(page) == []
    page.get_by_role("link", name="晋城市").click()
    page.get_by_role("link", name="泽州县").click()
    page.wait_for_function("document.querySelector('h1').innerText === '泽州县'")
    assert "山西省" in page.inner_text("nav.breadcrumbs") and "晋城市" in page.inner_text(
        "nav.breadcrumbs"
    )
    assert axe_violations(page) == []
    screenshot(page, "region-desktop")
    page.get_by_role("link", name="泽州县总工会").click()
    page.wait_for_url("**/departments/021001/")
    assert page.outside_requests == []


def test_print_stylesheet_keeps_tables_and_charts(demo, page_factory, live_server):
    page = page_factory()
    page.goto(live_server.url + "/departments/021001/2022/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".toc").is_visible()
    assert page.locator("#table-03").is_visible()
    assert page.locator("#chart-by-category .bar").first.is_visible()
    background = page.evaluate(
        "getComputedStyle(document.querySelector('#chart-by-category .bar')).printColorAdjust"
    )
    assert background == "exact"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000


def test_draft_is_404_in_the_browser(transactional_db, page_factory, live_server):
    from disclosures.services import demo_load

    demo_load(publish=False)
    page = page_factory()
    response = page.goto(live_server.url + "/departments/021001/2022/")
    assert response.status == 404
    assert "页面不存在" in page.inner_text("h1")


def test_accessibility_check_is_real(demo, page_factory, live_server):
    """The axe run does catch a serious problem when one is there."""
    page = page_factory()
    page.goto(live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">\')'
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= ids


@pytest.mark.parametrize("width", [1280, 390])
def test_nine_table_report_in_wan(transactional_db, page_factory, live_server, width):
    """A report of the nine-table set, in 万元: nine tables, no 公开10表, and the items the set
    discloses in 情况说明 shown there, readable at desktop and phone width."""
    from tests.factories import nine_table_report

    nine_table_report()
    page = page_factory(width=width, height=900, mobile=width < 500)
    page.goto(live_server.url + "/departments/310115001/2025/")
    assert page.locator(".official-table").count() == 9
    assert page.locator("#table-10").count() == 0
    total = page.locator("#table-05 tbody tr").filter(has=page.locator("th", has_text="合计"))
    assert total.locator("td").first.inner_text() == "180.25"
    items = page.locator("#part-3 .text-items")
    assert items.is_visible()
    assert "88.24%" in items.inner_text() and "3.46 万元" in items.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert axe_violations(page) == []
    items.scroll_into_view_if_needed()
    screenshot(page, f"nine-table-report-{'phone' if width < 500 else 'desktop'}")
    assert page.outside_requests == []


def test_evaluated_projects_sorted_filtered_and_opened(demo, page_factory, live_server):
    page = page_factory()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="绩效自评", exact=True).click()
    page.wait_for_url("**/evaluations/")
    assert "共 4 项" in page.inner_text("main")
    assert axe_violations(page) == []
    # Sort by score, lowest first: 工会经费 (90) leads.
    page.get_by_role("link", name="自评得分").click()
    page.wait_for_url("**sort=score**")
    first = page.locator(".evaluation-table tbody tr").first
    assert "工会经费" in first.inner_text()
    # Filter to the projects graded 优, then open one on the report page.
    page.get_by_label("类型").select_option("project")
    page.get_by_label("绩效等级").select_option("优")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**grade=**")
    assert "共 3 项" in page.inner_text("main")
    screenshot(page, "evaluations-desktop")
    page.get_by_role("link", name="两节送温暖").click()
    page.wait_for_url("**/departments/021001/2022/#evaluation-project-*")
    article = page.locator("article.evaluation:target")
    assert article.count() == 1 and "两节送温暖" in article.locator("h3").inner_text()
    assert article.is_visible()
    assert page.outside_requests == []
