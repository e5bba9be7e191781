"""A synthetic nine-table report in 万元, through the database, the pages and every download.
Then one department publishing two years in two sets, and downloads keyed by the definition."""

import csv
import io
import json
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from disclosures import tables as table_sets
from disclosures.checks import report_check
from disclosures.downloads import RENDERERS, report_download
from disclosures.fonts import fonts_build
from disclosures.selectors import (
    report_data_get,
    report_document_get,
    report_tables,
    report_template,
)
from disclosures.tables import NATIONAL_9, STANDARD_10
from tests.factories import nine_table_report

pytestmark = pytest.mark.django_db
D = Decimal
NINE = "/departments/310115001/2025/"
NUMBERS = [f"{n:02d}" for n in range(1, 10)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def nine_report(db):
    return nine_table_report()


def test_the_region_chooses_the_nine_table_set(nine_report):
    assert nine_report.template == "national-9"
    assert report_template(nine_report) is NATIONAL_9
    assert nine_report.unit == "万元"


def test_every_check_runs_with_no_false_finding(nine_report, capsys):
    data = report_data_get(report=nine_report)
    # Blank 三公 items are zero in this set.
    assert data.figures["tp_actual_abroad"] == 0
    findings = report_check(data, report_tables(report=nine_report, data=data), template=NATIONAL_9)
    assert findings == []
    call_command("check_report", "310115001", "2025")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "共 0 条：错误 0 条，警告 0 条"
    assert "three_public.undisclosed" in out[0] and "已跳过" in out[0]


def test_report_page_has_nine_tables_and_the_items_disclosed_in_the_text(client, nine_report):
    response = client.get(NINE)
    assert response.status_code == 200
    page = response.content.decode()
    for number in NUMBERS:
        assert f'id="table-{number}"' in page
    assert 'id="table-10"' not in page and "公开10表" not in page
    assert "一般公共预算财政拨款基本支出决算表" in page
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "金额单位：万元" in text
    # In 情况说明, in their place: 机关运行经费, 政府采购 with the SME share, vehicles, equipment.
    part3 = page[page.index('id="part-3"') : page.index('id="part-4"')]
    part3 = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part3))
    for expected in (
        "机关运行经费支出 3.46 万元",
        "政府采购支出总额 17.00 万元",
        "授予中小企业合同金额 15.00 万元",
        "占政府采购支出总额的比例 88.24%",
        "车辆数合计 3 辆",
        "执法执勤用车 2 辆",
        "单价100万元（含）以上设备（不含车辆） 0 台（套）",
    ):
        assert expected in part3, expected
    # The headline charts read the same figures, in 万元.
    assert "一般公共服务支出127.96万元" in text
    for number in NUMBERS:
        assert client.get(f"{NINE}tables/{number}/").status_code == 200
    assert client.get(f"{NINE}tables/10/").status_code == 404


def test_pdf_has_nine_tables_and_no_table_ten(nine_report):
    fonts_build()
    document = report_document_get(department_code="310115001", year=2025)
    pdf = report_download(document=document, fmt="pdf").content
    reader = PdfReader(io.BytesIO(pdf))
    texts = [p.extract_text() for p in reader.pages]
    found = sorted({n for t in texts for n in re.findall(r"公开(\d\d)表", t)})
    assert found == NUMBERS
    tables = next(o for o in reader.outline if isinstance(o, list))
    assert [o.title.split()[0] for o in tables] == [f"公开{n}表" for n in NUMBERS]
    t05 = next(t for t in texts if "公开05表" in t)
    assert "180.25" in t05 and "160.25" in t05
    whole = "".join(texts)
    assert "授予中小企业合同金额" in whole and "88.24%" in whole
    assert "一般公共预算财政拨款基本支出决算表" in whole


def test_excel_csv_and_json_have_nine_tables(client, nine_report):
    wb = load_workbook(io.BytesIO(client.get(NINE + "download.xlsx").getvalue()))
    assert wb.sheetnames == [f"公开{n}表" for n in NUMBERS]
    ws = wb["公开06表"]
    header = [c.value for c in ws[5]]
    assert header[:3] == ["科目编码", "科目名称", "决算数"]
    assert 156.79 in [c.value for row in ws.iter_rows() for c in row]

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(NINE + "download.csv").getvalue().decode("utf-8-sig"))
        )
    )
    assert sorted({r["table"] for r in rows}) == ["", *NUMBERS]
    share = next(r for r in rows if r["row_key"] == "procurement.sme_share")
    assert (share["table"], share["value"], share["unit"]) == ("", "88.24", "%")
    t05 = next(
        r for r in rows if (r["table"], r["row_key"], r["column_key"]) == ("05", "total", "basic")
    )
    assert (t05["value"], t05["unit"]) == ("160.25", "万元")

    payload = json.loads(client.get(NINE + "download.json").getvalue())
    assert [t["number"] for t in payload["tables"]] == NUMBERS
    assert payload["template"] == "national-9" and payload["unit"] == "万元"
    items = {r["key"]: r["values"]["value"] for r in payload["disclosed_in_text"]["rows"]}
    assert items["admin_cost.total"] == "3.46" and items["vehicles.total"] == 3
    # One table's download carries that table only.
    single = json.loads(client.get(NINE + "tables/06/download.json").getvalue())
    assert [t["number"] for t in single["tables"]] == ["06"]


# ---------------------------------------------------------------------------------------------
# One department, two years, two sets


def test_one_department_two_years_two_sets_line_up(client, demo_report):
    from tests.conftest import publish

    later = nine_table_report(
        department=demo_report.department, year=2025, unit="万元", publish=False
    )
    # The region (Shanxi) calls for the ten-table set; this year publishes the nine-table one.
    assert later.template == "standard-10"
    later.template = "national-9"
    later.save()
    publish(later)
    assert report_template(demo_report) is STANDARD_10
    assert report_template(later) is NATIONAL_9
    page = client.get("/departments/021001/compare/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "金额单位：万元" in text  # the latest year's unit
    rows = {
        label: text[text.index(label) : text.index(label) + 60]
        for label in ("基本支出中的人员经费", "机关运行经费", "政府采购", "车辆数（辆）")
    }
    # Found by meaning in both sets: 06 of either set, and items from table 10 or from the text.
    # (The first column is 2021 as the 2022 report states it, where it states it.)
    assert "— 286.14 — — 156.79 -129.35 -45.20%" in rows["基本支出中的人员经费"]
    assert "21.20 23.56 +2.36 +11.13% 3.46 -20.10 -85.33%" in rows["机关运行经费"]
    assert "— 0.00 — — 17.00 +17.00 —" in rows["政府采购"]
    assert "— 1 — — 3 +2 +200.00%" in rows["车辆数（辆）"]
    assert client.get("/departments/021001/2025/").status_code == 200
    assert client.get("/departments/021001/2022/").status_code == 200


# ---------------------------------------------------------------------------------------------
# No stale downloads


def test_editing_a_definition_rerenders_the_stored_file(demo_report, monkeypatch):
    calls = []
    real = RENDERERS["json"]
    monkeypatch.setitem(RENDERERS, "json", lambda doc, tables: calls.append(1) or real(doc, tables))
    document = report_document_get(department_code="021001", year=2022)
    first = report_download(document=document, fmt="json")
    assert first.rendered and not report_download(document=document, fmt="json").rendered
    # A developer edits the 03 note of the ten-table set; no version number is bumped.
    edited = replace(
        STANDARD_10,
        tables=tuple(
            replace(t, note="注：本表反映部门本年度各项支出情况（修订）。")
            if t.number == "03"
            else t
            for t in STANDARD_10.tables
        ),
    )
    monkeypatch.setitem(table_sets.TEMPLATES, "standard-10", edited)
    document = report_document_get(department_code="021001", year=2022)
    again = report_download(document=document, fmt="json")
    assert again.rendered and len(calls) == 2
    assert "（修订）" in again.content.decode() and "（修订）" not in first.content.decode()
    assert not report_download(document=document, fmt="json").rendered
