"""Money is kept in 元; a 万元 report prints each cell rounded from its own 元 value."""

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from disclosures.checks import report_check
from disclosures.engine import report_fill
from disclosures.models import Report
from disclosures.tables import STANDARD_10
from disclosures.units import from_unit, rounding_allowance, to_unit

D = Decimal
REPORT = "/departments/021001/2022/"


def test_to_unit_rounds_half_up_to_two_decimals_of_wan():
    assert to_unit(D("5939150.00"), "万元") == D("593.92")  # 593.915 rounds up
    assert to_unit(D("49.99"), "万元") == D("0.00")
    assert to_unit(D("50.00"), "万元") == D("0.01")
    assert to_unit(D("-50.00"), "万元") == D("-0.01")
    assert to_unit(D("5939150.00"), "元") == D("5939150.00")
    assert from_unit(D("593.92"), "万元") == D("5939200.00")
    assert rounding_allowance("元", 40) == 0  # nothing is rounded in 元
    assert rounding_allowance("万元", 3) == D("0.015")  # half a cent per rounded amount


@pytest.fixture
def wan_tables(seed_data):
    data = replace(seed_data, unit="万元")
    return data, {t.number: t for t in report_fill(STANDARD_10.tables, data)}


def test_every_printed_cell_is_its_own_yuan_value_rounded(wan_tables):
    _, tables = wan_tables
    cells = 0
    for table in tables.values():
        assert table.unit == "万元"
        for row in table.body:
            for cell in row:
                if cell.ref is None or table.kinds[cell.ref] != "amount":
                    continue
                value = table.values[cell.ref]
                expected = None if value is None else to_unit(value, "万元")
                assert cell.value == expected == table.printed[cell.ref], (table.number, cell.ref)
                cells += 1
    assert cells > 500
    # The seed's totals, each rounded from 元 (subtotals and totals included).
    assert tables["03"].printed_value("total", "total") == D("593.92")
    assert tables["03"].printed_value("total", "basic") == D("302.92")
    assert tables["01"].printed_value("income.grand_total", "amount") == D("593.92")
    assert tables["04"].printed_value("expense.grand_total", "total") == D("593.92")
    assert tables["06"].printed_value("personnel_total", "amount") == D("481.14")
    assert tables["06"].printed_value("personnel_total", "basic") == D("286.14")
    assert tables["10"].printed_value("admin_cost.admin_units", "value") == D("23.56")
    assert tables["10"].printed_value("vehicles.total", "value") == 1  # counts are not money


def test_a_printed_subtotal_is_not_the_sum_of_printed_items(wan_tables):
    """As the official software prints: 21011 is 88,717.00 元 = 8.87 万元, while its three 项
    print 3.04 + 5.32 + 0.50 = 8.86. Summing after rounding would print 8.86, off by a cent."""
    _, tables = wan_tables
    t03 = tables["03"]
    items = [t03.printed_value(code, "total") for code in ("2101101", "2101102", "2101199")]
    assert items == [D("3.04"), D("5.32"), D("0.50")]
    assert t03.printed_value("21011", "total") == D("8.87") != sum(items)
    assert t03.values[("21011", "total")] == D("88717.00")  # the logical value stays in 元


def test_the_checks_read_yuan_and_find_no_rounding_difference(wan_tables, seed_data):
    data, tables = wan_tables
    findings = report_check(data, list(tables.values()), template=STANDARD_10)
    assert [f.code for f in findings] == ["three_public.no_data"]


# ---------------------------------------------------------------------------------------------
# Every place a 万元 report prints an amount


@pytest.fixture
def wan_report(demo_draft, settings, tmp_path):
    from tests.conftest import publish

    settings.MEDIA_ROOT = tmp_path / "media"
    Report.objects.filter(pk=demo_draft.pk).update(unit="万元")
    return publish(demo_draft)


@pytest.mark.django_db
def test_report_page_prints_in_wan(client, wan_report):
    page = client.get(REPORT).content.decode()
    assert "金额单位：万元" in page and "金额单位：元" not in page
    # The tables print 万元; the 情况说明 text is as staff typed it (in 元, for the seed).
    tables = page[page.index('id="part-2"') : page.index('id="part-3"')]
    assert ">593.92<" in tables and "5,939,150.00" not in tables
    assert ">8.87<" in tables
    # Charts: bars and their text alternative in 万元, shares from 元.
    assert "一般公共服务支出536.97万元（90.41%）" in page
    assert "（金额单位：万元）" in page
    # The year-change chart from the stated comparative (5,295,600.00 元 in 2021).
    assert "收入总计2021年529.56万元，2022年593.92万元，增加64.36万元，增长12.15%" in page
    # Self-evaluations follow the report's unit.
    assert "175.00 万元" in page and "1,750,000.00" not in page


@pytest.mark.django_db
def test_compare_page_prints_in_wan(client, wan_report):
    page = client.get("/departments/021001/compare/").content.decode()
    assert "金额单位：万元" in page
    assert "593.92" in page and "529.56" in page and "+64.36" in page and "+12.15%" in page
    assert "23.56" in page and "5,939,150.00" not in page


@pytest.mark.django_db
def test_csv_json_and_excel_follow_the_unit(client, wan_report):
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(REPORT + "download.csv").getvalue().decode("utf-8-sig"))
        )
    )
    total = next(
        r for r in rows if (r["table"], r["row_key"], r["column_key"]) == ("03", "total", "total")
    )
    assert (total["value"], total["unit"]) == ("593.92", "万元")
    vehicles = next(r for r in rows if r["row_key"] == "vehicles.total")
    assert (vehicles["value"], vehicles["unit"]) == ("1", "辆")
    payload = json.loads(client.get(REPORT + "download.json").getvalue())
    assert payload["unit"] == "万元"
    t03 = next(t for t in payload["tables"] if t["number"] == "03")
    assert t03["unit"] == "万元"
    assert next(r for r in t03["rows"] if r["key"] == "21011")["values"]["total"] == "8.87"
    wb = load_workbook(io.BytesIO(client.get(REPORT + "tables/03/download.xlsx").getvalue()))
    ws = wb["公开03表"]
    numbers = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, int | float)]
    assert 593.92 in numbers and 5939150 not in numbers
    assert any(c.value == "金额单位：万元" for row in ws.iter_rows() for c in row)


@pytest.mark.django_db
def test_pdf_follows_the_unit(client, wan_report):
    reader = PdfReader(io.BytesIO(client.get(REPORT + "tables/03/download.pdf").getvalue()))
    text = reader.pages[0].extract_text()
    assert "金额单位：万元" in text and "593.92" in text and "5,939,150.00" not in text
