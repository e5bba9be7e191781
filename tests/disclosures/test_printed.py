"""Figures and names as a published document printed them, kept beside the facts and checked."""

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from disclosures.checks import report_check
from disclosures.engine import FactRow, report_fill
from disclosures.models import Report
from disclosures.services import printed_cells_replace, printed_names_replace
from disclosures.tables import STANDARD_10
from disclosures.units import from_unit, to_unit
from tests.conftest import publish
from tests.disclosures.test_views import unglued

D = Decimal
REPORT = "/departments/021001/2022/"


def check(data):
    return report_check(data, report_fill(STANDARD_10.tables, data), template=STANDARD_10)


def official_print(data) -> dict:
    """Every amount cell of every table as the official software prints it from true 元."""
    return {
        (t.number, *ref): value
        for t in report_fill(STANDARD_10.tables, data)
        for ref, value in t.printed.items()
        if t.kinds[ref] == "amount"
    }


def test_a_printed_cell_far_from_its_items_is_an_error_at_that_cell(seed_data):
    # A 元 report: 20129 adds up 2012901 + 2012999 = 5,369,668.00; a document printed 12,345.00
    # on the 项 and 1,234.50 on its 款.
    seed_data.facts = [f for f in seed_data.facts if f.code != "2012999"]
    seed_data.facts = [
        replace(f, amount=D("12345.00")) if (f.code, f.measure) == ("2012901", "income") else f
        for f in seed_data.facts
    ]
    seed_data.printed = {("02", "2012901", "total"): D("12345.00")}
    assert [f.code for f in check(seed_data) if f.code.startswith("printed")] == []
    seed_data.printed[("02", "20129", "total")] = D("1234.50")
    findings = [f for f in check(seed_data) if f.code.startswith("printed")]
    assert [(f.code, f.severity, f.table, f.row, f.column) for f in findings] == [
        ("printed.differs", "error", "02", "20129", "total")
    ]
    assert "1,234.50" in findings[0].message and "12,345.00" in findings[0].message


def test_in_yuan_a_cent_is_a_difference(seed_data):
    seed_data.printed = {("03", "total", "total"): D("5939150.01")}
    assert [f.code for f in check(seed_data)] == ["printed.differs", "three_public.no_data"]


def test_the_official_print_of_the_seed_in_wan_is_accepted(seed_data):
    """The seed's 元 facts, in 万元, with every cell as the official software rounds it."""
    data = replace(seed_data, unit="万元")
    data.printed = official_print(data)
    assert len(data.printed) > 500
    assert [f.code for f in check(data)] == ["three_public.no_data"]


def test_a_report_back_filled_from_a_wan_document_is_accepted_within_rounding(seed_data):
    """Only the 万元 document is at hand: each fact is its printed 项 cell × 10,000, so it is
    rounded, and the printed 款, 类 and 合计 (rounded once from true 元) may differ from the sums
    of the rounded items. Within the unit's rounding that is accepted, not an error."""
    truth = replace(seed_data, unit="万元")
    printed = official_print(truth)

    def rounded(amount):
        return from_unit(to_unit(amount, "万元"), "万元")

    data = replace(
        truth,
        facts=[replace(f, amount=rounded(f.amount)) for f in truth.facts],
        economic_facts=[replace(f, amount=rounded(f.amount)) for f in truth.economic_facts],
        printed=printed,
    )
    tables = {t.number: t for t in report_fill(STANDARD_10.tables, data)}
    # The derived 21011 adds up rounded items (8.86); the document printed 8.87.
    assert to_unit(tables["03"].values[("21011", "total")], "万元") == D("8.86")
    assert printed[("03", "21011", "total")] == D("8.87")
    assert tables["03"].printed_value("21011", "total") == D("8.87")  # shown as received
    assert [f.code for f in check(data)] == ["three_public.no_data"]
    # Beyond the rounding it is an error, at the cell.
    data.printed[("03", "21011", "total")] = D("8.97")
    findings = [f for f in check(data) if f.code == "printed.differs"]
    assert [(f.table, f.row, f.column) for f in findings] == [("03", "21011", "total")]


def test_independent_inputs_agree_within_rounding_only_when_taken_from_a_wan_document(
    seed_data,
):
    def with_gap(data, amount):
        # Spending that no income or balance accounts for: 01 and 04 no longer balance.
        data.facts.append(FactRow("expense", "2012999", "general", "project", D(amount)))
        return {f.code for f in check(data)}

    # Entered in 元 and printed in 万元: the facts are exact, so 60.00 元 is an error.
    assert "balance.totals" in with_gap(
        replace(seed_data, unit="万元", facts=list(seed_data.facts)), "60.00"
    )
    # Taken from a published 万元 document (its cells kept as printed): each of the facts was
    # rounded to 100 元, so a gap of 60 元 is rounding; 5,000 元 is not.
    document = replace(seed_data, unit="万元", facts=list(seed_data.facts))
    document.printed = official_print(document)
    assert "balance.totals" not in with_gap(document, "60.00")
    document = replace(seed_data, unit="万元", facts=list(seed_data.facts))
    document.printed = official_print(document)
    assert "balance.totals" in with_gap(document, "5000.00")
    # In 元 nothing is rounded: a cent is an error, document or not.
    document = replace(seed_data, facts=list(seed_data.facts))
    document.printed = official_print(document)
    assert "balance.totals" in with_gap(document, "0.01")


def test_names_as_printed_label_the_rows_and_are_warned(seed_data):
    seed_data.names = {
        ("functional", "210"): "医疗卫生与计划生育支出",
        ("economic", "30113"): "住房公积金（单位缴存）",
    }
    tables = {t.number: t for t in report_fill(STANDARD_10.tables, seed_data)}
    assert tables["02"].rows["210"].label == "医疗卫生与计划生育支出"
    assert tables["01"].rows["expense.210"].label == "九、医疗卫生与计划生育支出"
    assert tables["06"].rows["30113"].label == "住房公积金（单位缴存）"
    findings = [f for f in check(seed_data) if f.code == "code.name_differs"]
    assert [(f.severity, f.table, f.row) for f in findings] == [
        ("warning", "06", "30113"),
        ("warning", "01", "210"),
    ] or [(f.severity, f.table, f.row) for f in findings] == [
        ("warning", "01", "210"),
        ("warning", "06", "30113"),
    ]
    assert "2022年科目表为“卫生健康支出”" in next(f.message for f in findings if f.row == "210")
    # The same name as the list is not a finding.
    seed_data.names = {("functional", "210"): "卫生健康支出"}
    assert [f for f in check(seed_data) if f.code == "code.name_differs"] == []


# ---------------------------------------------------------------------------------------------
# Kept in the database, shown on the public page and in the data


@pytest.mark.django_db
def test_the_public_page_shows_the_printed_figure(client, demo_draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_report = demo_draft
    Report.objects.filter(pk=demo_report.pk).update(unit="万元")
    # The document printed 8.86 for 卫生健康支出 in 03 (summed after rounding): shown as printed.
    printed_cells_replace(
        report=demo_report,
        cells=[("03", "210", "total", D("8.86")), ("03", "21011", "total", D("8.86"))],
    )
    printed_names_replace(report=demo_report, names={("functional", "210"): "医疗卫生支出"})
    publish(demo_report)
    page = unglued(client.get(REPORT + "tables/03/").content.decode())
    assert "data-received>8.86<" in page
    assert "医疗卫生支出" in page
    payload = json.loads(client.get(REPORT + "download.json").getvalue())
    t03 = next(t for t in payload["tables"] if t["number"] == "03")
    assert next(r for r in t03["rows"] if r["key"] == "210")["values"]["total"] == "8.86"
    # Headline figures follow what is printed, not a recomputation: 基本支出 302.92 as derived,
    # 302.91 as this document printed it.
    compare = client.get("/departments/021001/compare/").content.decode()
    assert "302.92" in compare


@pytest.mark.django_db
def test_headline_figures_follow_the_printed_cell(client, demo_draft):
    Report.objects.filter(pk=demo_draft.pk).update(unit="万元")
    printed_cells_replace(report=demo_draft, cells=[("03", "total", "basic", D("302.91"))])
    publish(demo_draft)
    compare = client.get("/departments/021001/compare/").content.decode()
    assert "302.91" in compare and "302.92" not in compare


@pytest.mark.django_db
def test_printed_cells_replace_validates_and_saves_nothing_on_a_bad_cell(demo_draft):
    demo_report = demo_draft
    from django.core.exceptions import ValidationError

    printed_cells_replace(report=demo_report, cells=[("03", "total", "total", D("1.00"))])
    with pytest.raises(ValidationError):
        printed_cells_replace(
            report=demo_report,
            cells=[("03", "210", "total", D("1.00")), ("03", "x" * 70, "total", D("2.00"))],
        )
    assert list(demo_report.printed_cells.values_list("row", "value")) == [("total", D("1.00"))]
