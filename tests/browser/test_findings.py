"""A 填报人 follows the findings of the demo draft in a real browser: from the admin home to the
审核 page by clicks, then from a finding to the place it is fixed — the input cells of a table
(focused, the ones it adds up highlighted), the sentence of 情况说明 (selected in its box), the
indicator of a self-evaluation (focused)."""

import re

import pytest

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def to_checks(page, report) -> None:
    """From the admin home: 部门决算报告, the report, 审核."""
    with page.expect_navigation():
        page.get_by_role("link", name="部门决算报告").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name=report.department.name).first.click()
    with page.expect_navigation():
        page.locator(".object-tools").get_by_role("link", name="审核").click()
    assert page.url.endswith(f"/{report.pk}/checks/")


def test_a_filler_follows_findings_to_where_they_are_fixed(
    demo_draft_and_filler, page_factory, live_server
):
    report = demo_draft_and_filler
    page = page_factory(width=1400, height=900)
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    login(page, live_server.url)
    to_checks(page, report)

    # Each rule by its Chinese name and what to do; the code only in small print.
    group = page.locator("section#rule-three_public\\.no_data")
    assert "“三公”经费表没有数据" in group.locator("h2").inner_text()
    assert "建议逐项填 0" in group.locator(".rule-explanation").inner_text()
    assert group.locator("small code").inner_text() == "three_public.no_data"
    assert axe_violations(page) == []
    screenshot(page, "findings-checks")

    # A table figure: 07 has no data. The link opens 07 at its first input, focused, with
    # every input of the table highlighted.
    with page.expect_navigation():
        group.get_by_role("link").first.click()
    assert "/entry/07/" in page.url
    page.wait_for_function("() => document.activeElement && document.activeElement.name")
    assert page.evaluate("() => document.activeElement.name") == "figure|tp_budget_abroad"
    assert page.locator("td.input.finding-mark").count() == 8
    style = page.eval_on_selector(
        "td.input.finding-mark", "cell => getComputedStyle(cell).backgroundColor"
    )
    assert style == "rgb(255, 244, 214)"
    assert page.locator("td:target").get_attribute("class") == "input finding-mark"
    screenshot(page, "findings-entry-07")

    # A sentence of 情况说明: the 公务用车保有量 written 0.00辆. The link opens the texts page at
    # the finding, highlighted, with the sentence selected in its section's box.
    page.go_back()
    group = page.locator("section#rule-text\\.vehicles_fleet")
    with page.expect_navigation():
        group.get_by_role("link").first.click()
    assert "/texts/#finding-" in page.url
    finding = page.locator("li:target")
    assert "公务用车保有量与车辆数一致" in finding.inner_text()
    assert finding.evaluate("li => getComputedStyle(li).backgroundColor") == "rgb(255, 244, 214)"
    box = finding.get_attribute("data-textarea")
    page.wait_for_function(
        "box => document.activeElement && document.activeElement.id === box", arg=box
    )
    selected = page.evaluate(
        "() => { const b = document.activeElement;"
        " return b.value.substring(b.selectionStart, b.selectionEnd); }"
    )
    assert selected.startswith("3、公务用车运行维护费支出0.00元") and "保有量共0.00辆车" in selected
    assert f"「{selected}」" in finding.text_content()
    screenshot(page, "findings-texts")

    # A self-evaluation: the indicator that earned full marks short of its target. The link
    # opens the evaluation's admin form at that indicator's score, focused.
    page.go_back()
    group = page.locator("section#rule-evaluation\\.short_of_target")
    with page.expect_navigation():
        group.get_by_role("link").first.click()
    assert re.search(r"/admin/performance/evaluation/\d+/change/", page.url)
    page.wait_for_function("() => document.activeElement && document.activeElement.id")
    focused = page.evaluate("() => document.activeElement.id")
    assert re.fullmatch(r"id_indicators-\d+-score", focused)
    row = focused.removeprefix("id_").removesuffix("-score")
    assert page.input_value(f"#id_{row}-name") == "受益人员满意度"
    outline = page.eval_on_selector(f"#{focused}", "i => getComputedStyle(i).outlineStyle")
    assert outline == "solid"

    page.wait_for_timeout(100)
    assert refused == []
    assert page.outside_requests == []
