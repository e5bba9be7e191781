"""On a phone, a wide official table scrolls in its own box and says so: a shadow at the edge that
has more, "左右滑动查看全表" while it overflows, and the first column kept in place."""

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOX = "#table-03 .table-scroll"
HINT = "#table-03 .scroll-hint"
# The first column's cell of the row 2012901 行政运行 (a code), and the header above the codes.
CODE_CELL = "#table-03 tbody tr:nth-child(4) > td:first-child"
CODE_HEAD = "#table-03 thead tr:nth-child(2) > th:first-child"


@pytest.fixture
def demo(transactional_db):
    from disclosures.services import demo_load

    return demo_load()


def shadow(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).boxShadow")


def x(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().x")


REPORT = "/departments/021001/2022/"


@pytest.mark.parametrize("path", [REPORT, REPORT + "tables/03/"])
def test_a_wide_table_scrolls_in_its_box_with_a_sign_and_its_first_column_stays(
    demo, page_factory, live_server, path
):
    page = page_factory(width=390, height=844, mobile=True)
    page.goto(live_server.url + path)
    page.locator(BOX).scroll_into_view_if_needed()
    box = page.locator(BOX)
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # it overflows, in its box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    hint = page.locator(HINT)
    assert hint.is_visible() and hint.inner_text().startswith("左右滑动查看全表")
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert page.eval_on_selector(CODE_CELL, "e => e.innerText") == "2012901"
    assert page.eval_on_selector(CODE_CELL, "e => getComputedStyle(e).position") == "sticky"
    before = {s: x(page, s) for s in (CODE_CELL, CODE_HEAD)}
    name_before = x(page, "#table-03 tbody tr:nth-child(4) > th.label")
    unscrolled = shadow(page, CODE_CELL)
    # The edge with more carries a shadow: drawn fixed to the box, uncovered at the right.
    attachment = box.evaluate("e => getComputedStyle(e).backgroundAttachment")
    assert attachment == "local, local, scroll, scroll"
    if path != REPORT:
        screenshot(page, "wide-table-phone")

    assert box.evaluate("e => { e.scrollLeft = 200; return e.scrollLeft; }") > 190
    page.wait_for_timeout(200)  # a frame or two for the scroll-driven shadow
    # The codes stay where they were (to the half pixel of the collapsed border they sat behind);
    # the names beside them scroll away under them.
    for selector, left in before.items():
        assert abs(x(page, selector) - left) <= 0.5, selector
    assert x(page, "#table-03 tbody tr:nth-child(4) > th.label") < name_before - 150
    # Scrolled: the kept column now casts a shadow over what went under it.
    assert shadow(page, CODE_CELL) != unscrolled and "rgba(29, 35, 41" in shadow(page, CODE_CELL)
    assert axe_violations(page) == []
    if path != REPORT:
        screenshot(page, "wide-table-scrolled-phone")
    assert page.outside_requests == []


def test_a_table_that_fits_shows_no_hint(demo, page_factory, live_server):
    page = page_factory(width=1280, height=900)
    page.goto(live_server.url + REPORT + "tables/03/")
    box = page.locator(BOX)
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert not page.locator(HINT).is_visible()
    assert axe_violations(page) == []
