"""Downloads: the official PDF, the Excel workbooks, CSV and JSON, all from the filled tables."""

import csv
import io
import json
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from disclosures.downloads import RENDERERS, report_download
from disclosures.fonts import fonts_build
from disclosures.models import Fact, RenderedFile
from disclosures.renderers.excel import report_xlsx, table_xlsx
from disclosures.renderers.layout import table_bands, table_layout
from disclosures.renderers.pdf import pdf_from_html, report_pdf, table_pdf
from disclosures.selectors import report_document_get
from disclosures.services import demo_load

D = Decimal
REPORT = "/departments/021001/2022/"


def fmt(amount) -> str:
    return f"{D(amount):,.2f}"


def golden_amounts(golden) -> dict[str, set[str]]:
    """Every non-zero amount of the golden file, by the table that prints it."""
    amounts: dict[str, set[str]] = {n: set() for n in ("01", "02", "03", "04", "05", "06", "10")}
    t01 = golden["table01"]
    for group in ("income", "expense", "expense_by_category"):
        amounts["01"] |= {v for v in t01[group].values() if D(v)}
    amounts["04"] = set(amounts["01"])
    for row in golden["table02_income_by_item"].values():
        amounts["02"] |= {row["total"], row["fiscal_appropriation"]}
    for key, number in (
        ("table03_expense_by_item", "03"),
        ("table05_general_budget_by_item", "05"),
    ):
        for row in golden[key].values():
            amounts[number] |= {v for v in (row["basic"], row["project"]) if D(v)}
            amounts[number].add(str(D(row["basic"]) + D(row["project"])))
        amounts[number] |= {"5939150.00", "3029150.00", "2910000.00"}
    for row in golden["table06_economic"].values():
        amounts["06"] |= {v for v in (row["amount"], row["basic"]) if D(v)}
    for pair in golden["table06_printed_totals"].values():
        amounts["06"] |= {v for v in pair if D(v)}
    amounts["10"].add(golden["table10"]["admin_operating_cost"]["administrative_units"])
    return {n: {fmt(v) for v in values} for n, values in amounts.items()}


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """The seed document and its PDF and workbook, made once for the module."""
    fonts_build()
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        document = report_document_get(department_code="021001", year=2022)
        files = {
            "document": document,
            "pdf": report_pdf(document),
            "table03_pdf": table_pdf(document, document.table("03")),
            "xlsx": report_xlsx(document),
        }
        transaction.set_rollback(True)
    # Leave no connection behind from outside a test: PostgreSQL will not drop the test
    # database at the end while a session still uses it.
    connection.close()
    return files


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def table_pages(texts: list[str]) -> dict[str, int]:
    pages = {}
    for i, text in enumerate(texts):
        for number in re.findall(r"公开(\d\d)表", text):
            pages.setdefault(number, i)
    return pages


# ---------------------------------------------------------------------------------------------
# PDF


def test_pdf_every_golden_amount_on_its_tables_page(seed, golden):
    texts = page_texts(seed["pdf"])
    pages = table_pages(texts)
    assert sorted(pages) == [f"{n:02d}" for n in range(1, 11)]
    for number, amounts in golden_amounts(golden).items():
        # A table too wide for a page continues on the next, headed 公开NN表（续）.
        text = "".join(
            t
            for i, t in enumerate(texts)
            if i == pages[number] or (i > pages[number] and f"公开{number}表（续）" in t)
        )
        missing = [a for a in amounts if a not in text]
        assert missing == [], f"公开{number}表 page {pages[number] + 1} lacks {missing}"
    for number in ("07", "08", "09"):
        assert "说明：本表无数据" in texts[pages[number]]


def test_pdf_pages_metadata_outline_header_numbers(seed):
    reader = PdfReader(io.BytesIO(seed["pdf"]))
    assert reader.metadata.title == "泽州县总工会2022年度部门决算公开报告"
    assert reader.metadata.author == "泽州县总工会"
    total = len(reader.pages)
    texts = [p.extract_text() for p in reader.pages]
    pages = table_pages(texts)
    for i, page in enumerate(reader.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted((round(width), round(height))) == [595, 842]  # A4
        landscape = width > height
        number = next((n for n, p in pages.items() if p == i), None)
        if number is not None:  # each table's orientation is its measured layout's
            first = table_bands(seed["document"].table(number))[0]
            assert landscape == table_layout(first).landscape, (i, number)
        elif "（续）" not in texts[i]:
            assert not landscape, i  # the text parts are portrait
        if i > 0:  # the cover has neither
            assert "泽州县总工会 · 2022年度部门决算" in texts[i]
            assert f"第 {i + 1} 页 / 共 {total} 页" in texts[i]
    outline = reader.outline
    titles = [o.title for o in outline if not isinstance(o, list)]
    assert titles == [
        "第一部分 概况",
        "第二部分 2022年部门决算表",
        "第三部分 情况说明",
        "第四部分 名词解释",
        "第五部分 附件",
    ]
    tables = next(o for o in outline if isinstance(o, list))
    assert [o.title for o in tables] == [
        f"公开{n:02d}表 {t.title}"
        for n, t in zip(range(1, 11), seed["document"].tables, strict=True)
    ]


def test_pdf_carries_the_self_evaluations(seed):
    text = re.sub(r"\s+", "", "".join(page_texts(seed["pdf"])))  # cells wrap their text
    for name in ("养老救助", "工会经费", "两节送温暖", "部门整体支出"):
        assert f"：{name}" in text
    assert text.count("全年执行数/全年预算数") == 3  # the budget-execution row of each project


def test_pdf_self_evaluation_blocks_read_back_in_order(seed):
    """Each evaluation in the 附件 as the seed prints it: its title, then the cover lines, the
    预算执行情况 table with its 合计 row, the indicator table with both target columns, and each
    text under a heading on a line of its own."""
    texts = page_texts(seed["pdf"])
    start = max(i for i, t in enumerate(texts) if "第五部分 附件" in t)
    annex = "\n".join(texts[start:])
    lines = [line.strip() for line in annex.splitlines()]
    flat = re.sub(r"\s+", "", annex)
    unit = seed["document"].report.unit
    assert ">=" not in annex and "≥90%" in annex
    position = 0
    for ev in seed["document"].evaluations:
        title = lines.index(f"{ev.get_kind_display()}：{ev.name}", position)
        cover = [
            line
            for line, value in (
                (f"项目单位：{ev.project_unit}", ev.project_unit),
                (f"主管部门：{ev.supervisor}", ev.supervisor),
                (ev.dated, ev.dated),
            )
            if value
        ]
        assert cover and lines[title + 1 : title + 1 + len(cover)] == cover, ev.name
        funding = list(ev.funding.all())
        if funding:
            heading = lines.index("预算执行情况", title)
            assert heading == title + 1 + len(cover)
            assert f"资金来源（{unit}）" in flat[flat.index(ev.name) :]
            total = next(line for line in lines[heading:] if line.startswith("合计"))
            budget = f"{ev.budget:,.2f}"
            assert total.split()[:4] == [
                "合计",
                budget,
                f"{ev.executed:,.2f}",
                f"{ev.execution_rate:.2f}%",
            ]
        indicators = list(ev.indicators.all())
        if indicators:
            header = next(i for i in range(title, len(lines)) if lines[i].startswith("一级指标"))
            heads = re.sub(r"\s+", "", "".join(lines[header : header + 2]))
            assert "年初指标值" in heads and "调整后指标值" in heads
            short = [i for i in indicators if len(i.initial_target) <= 4 and len(i.target) <= 5]
            assert short, ev.name
            for indicator in short:  # both columns, side by side, as printed
                assert f"{indicator.initial_target}{indicator.target}" in flat, indicator.name
        for heading, text in ev.texts:
            if text:
                at = lines.index(heading, title)
                first_words = re.sub(r"\s+", "", lines[at + 1])[:6]
                assert re.sub(r"\s+", "", text).startswith(first_words), heading
        position = title + 1


def embedded_fonts(pdf: bytes) -> set[tuple[str, bool]]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            holder = descendants[0].get_object() if descendants else font
            descriptor = holder["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add((str(font["/BaseFont"]).split("+")[-1], embedded))
    return fonts


def test_pdf_fonts_are_the_subsets_and_embedded(seed):
    fonts = embedded_fonts(seed["pdf"])
    assert all(embedded for _, embedded in fonts)
    # Only the pre-subset faces: nothing in the seed falls back to the full system fonts.
    assert {name for name, _ in fonts} == {"JS-Serif", "JS-Sans-Bold"}


def test_every_character_of_the_seed_renders(settings):
    """The whole seed text set in the PDF's fonts comes back out: no missing glyph."""
    from django.utils.html import escape

    from disclosures.fonts import fonts_css
    from disclosures.renderers.pdf import PDF_CSS

    fonts_build()
    seed_text = (settings.BASE_DIR / "disclosures/demo/zezhou-2022.json").read_text(
        encoding="utf-8"
    )
    reference = (
        settings.BASE_DIR.parent / "shared/reference/zezhou-trade-union-2022-final-accounts.txt"
    )
    if reference.exists():
        seed_text += reference.read_text(encoding="utf-8")
    chars = sorted({c for c in seed_text if not c.isspace() and c.isprintable()})
    lines = ["".join(chars[i : i + 40]) for i in range(0, len(chars), 40)]
    html = (
        f"<html><head><style>{fonts_css()}{PDF_CSS.read_text()}</style></head><body>"
        + "".join(f"<p>{escape(line)}</p>" for line in lines)
        + "<h3>标题粗体"
        + escape("".join(chars[:400]))
        + "</h3></body></html>"
    )
    pdf = pdf_from_html(html)
    extracted = "".join(page_texts(pdf))
    missing = [c for c in chars if c not in extracted]
    assert missing == []
    assert len(chars) > 700  # the seed uses about 790 distinct characters


def test_single_table_pdf(seed):
    reader = PdfReader(io.BytesIO(seed["table03_pdf"]))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    assert "5,939,150.00" in page.extract_text()
    assert reader.metadata.title == "泽州县总工会2022年度 公开03表 支出决算表"
    assert [o.title for o in reader.outline] == ["公开03表 支出决算表"]


# ---------------------------------------------------------------------------------------------
# Excel


def sheet_cells(ws) -> dict[tuple[int, int], object]:
    return {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}


def right_of(ws, text: str, offset: int, column_from: int = 1):
    """The number `offset` columns right of the first cell reading `text`, as a Decimal.

    Excel keeps numbers as doubles; a two-decimal amount reads back exactly via its repr.
    """
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text and cell.column >= column_from:
                value = ws.cell(row=cell.row, column=cell.column + offset).value
                return None if value is None else D(str(value))
    raise AssertionError(f"{text} not in {ws.title}")


def test_excel_workbook_every_amount_matches_golden(seed, golden):
    wb = load_workbook(io.BytesIO(seed["xlsx"]))
    assert wb.sheetnames[:10] == [f"公开{n:02d}表" for n in range(1, 11)]
    assert all("绩效自评" in name for name in wb.sheetnames[10:])
    ws = wb["公开02表"]
    for code, row in golden["table02_income_by_item"].items():
        assert right_of(ws, code, 2) == D(row["total"])
        assert right_of(ws, code, 3) == D(row["fiscal_appropriation"])
    for sheet, key in (
        ("公开03表", "table03_expense_by_item"),
        ("公开05表", "table05_general_budget_by_item"),
    ):
        ws = wb[sheet]
        for code, row in golden[key].items():
            assert right_of(ws, code, 2) == D(row["basic"]) + D(row["project"])
            assert right_of(ws, code, 3) == (D(row["basic"]) or None)
            assert right_of(ws, code, 4) == (D(row["project"]) or None)
        assert right_of(ws, "合计", 2) == D("5939150.00")
    ws = wb["公开06表"]
    for code, row in golden["table06_economic"].items():
        assert right_of(ws, code, 2) == D(row["amount"])
        assert right_of(ws, code, 3) == (D(row["basic"]) or None)
    assert right_of(ws, "人员经费合计", 2) == D("4811353.00")  # the label spans two columns
    assert right_of(ws, "公用经费合计", 10) == D("1127797.00")
    ws = wb["公开01表"]
    assert right_of(ws, "一、一般公共预算财政拨款收入", 2) == D("5939150.00")
    for code, amount in golden["table01"]["expense_by_category"].items():
        label = next(
            c.value
            for c in ws["D"]
            if isinstance(c.value, str)
            and c.value.endswith(
                {
                    "201": "一般公共服务支出",
                    "208": "社会保障和就业支出",
                    "210": "卫生健康支出",
                    "221": "住房保障支出",
                }[code]
            )
        )
        assert right_of(ws, label, 2) == D(amount)
    ws = wb["公开10表"]
    assert right_of(ws, "（一）行政单位", 2) == D("235594.00")
    assert right_of(ws, "（一）车辆数合计（辆）", 2) == 1
    assert right_of(ws, "8.其他用车", 2) == 1
    assert right_of(ws, "1.副部（省）级及以上领导用车", 2) is None  # zero prints blank


def test_excel_layout_and_print_setup(seed):
    wb = load_workbook(io.BytesIO(seed["xlsx"]))
    ws = wb["公开03表"]
    assert ws["A2"].value == "支出决算表"
    assert ws["A3"].value == "部门名称：泽州县总工会"
    assert "2022年度" in [c.value for c in ws[3]]
    assert "金额单位：元" in [c.value for c in ws[3]]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A4:B4" in merged  # 项目 over 编码 and 名称
    assert "C4:C5" in merged  # 本年支出合计 over two header rows
    # 栏次 and 行次 are numbers, so Excel does not flag numbers stored as text.
    assert [c.value for c in ws[6]][:8] == ["栏次", None, 1, 2, 3, 4, 5, 6]
    assert all(c.data_type == "n" for c in ws[6][2:8])
    lines = [c for c in wb["公开01表"]["B"] if isinstance(c.value, int)]
    assert len(lines) >= 30 and all(c.data_type == "n" for c in lines)
    # One CJK font, as the official workbooks: 宋体.
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"宋体"}
    # The 注 line: merged across the table, wrapped, its row as high as its lines.
    note = next(c for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("注"))
    assert note.alignment.wrap_text
    width = max(r.max_col for r in ws.merged_cells.ranges if r.min_row == note.row)
    assert width == ws.max_column and ws.row_dimensions[note.row].height >= 13.5
    # Rows fit their wrapped headers; orientation follows the measured width.
    assert ws.row_dimensions[4].height >= 13.5
    assert wb["公开10表"].page_setup.orientation == "portrait"
    assert wb["公开04表"].page_setup.orientation == "landscape"
    assert ws.freeze_panes == "A7"
    assert ws.print_title_rows == "$4:$6"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    amounts = [c for c in ws["C"][6:] if isinstance(c.value, Decimal | int | float)]
    assert amounts and all(c.number_format == "#,##0.00" and c.data_type == "n" for c in amounts)
    ws = wb["公开06表"]
    assert "────" in [c.value for row in ws.iter_rows() for c in row]
    ws = wb["公开07表"]
    assert "说明：本表无数据" in [c.value for c in ws["A"]]
    # 公开10表: each part under its own header row, styled as a header; none on top.
    ws = wb["公开10表"]
    rows = [[c.value for c in row][:3] for row in ws.iter_rows(min_row=4)]
    assert rows[0][0] == "一、政府采购情况" and rows[1] == ["项目", "行次", "采购金额"]
    assert rows[6][0] == "二、机关运行经费" and rows[7] == ["项目", "行次", "统计数"]
    assert rows[8] == ["（一）行政单位", 5, Decimal("235594.00")]
    assert all(c.font.b and c.alignment.horizontal == "center" for c in ws[5][:3])
    assert ws.print_title_rows is None and ws.freeze_panes is None


def test_single_table_workbook(seed):
    document = seed["document"]
    wb = load_workbook(io.BytesIO(table_xlsx(document, document.table("06"))))
    assert wb.sheetnames == ["公开06表"]


def test_excel_text_never_becomes_a_formula(seed):
    document = seed["document"]
    table = document.table("02")
    meta = table.rows["201"]
    original, meta.label = meta.label, '=HYPERLINK("http://evil.example","点我")'
    try:
        for row in table.body:
            for cell in row:
                if cell.value == original:
                    cell.value = meta.label
        table.body[1][1].value = "@SUM(A1:A2)"
        table.body[2][1].value = "+1+2"
        table.body[3][1].value = "-3"
        wb = load_workbook(io.BytesIO(table_xlsx(document, table)))
    finally:
        meta.label = original
    ws = wb["公开02表"]
    texts = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for value in ("@SUM(A1:A2)", "+1+2", "-3"):
        assert texts[value].data_type == "s"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# ---------------------------------------------------------------------------------------------
# CSV and JSON


@pytest.mark.django_db
def test_csv_is_utf8_with_bom_and_holds_every_value(demo_report):
    document = report_document_get(department_code="021001", year=2022)
    data = RENDERERS["csv"](document, document.tables)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0])[:5] == ["department_code", "department", "year", "unit", "table"]
    by_key = {(r["table"], r["row_key"], r["column_key"]): r for r in rows}
    for table in document.tables:
        for (row, col), value in table.values.items():
            kind = table.kinds.get((row, col), "amount")
            blank = value is None or (value == 0 and kind in ("amount", "count"))
            assert by_key[(table.number, row, col)]["value"] == ("" if blank else str(value))
    total = by_key[("03", "total", "total")]
    assert (total["value"], total["row_label"], total["column_label"], total["derived"]) == (
        "5939150.00",
        "合计",
        "本年支出合计",
        "1",
    )
    assert by_key[("01", "income.general", "amount")]["column_number"] == "1"
    assert by_key[("01", "expense.201", "amount")]["column_number"] == "2"
    assert by_key[("07", "three_public", "actual_total")]["value"] == ""


@pytest.mark.django_db
def test_json_mirrors_the_filled_tables(demo_report):
    document = report_document_get(department_code="021001", year=2022)
    payload = json.loads(RENDERERS["json"](document, document.tables))
    assert payload["department"] == {"code": "021001", "name": "泽州县总工会"}
    assert [t["number"] for t in payload["tables"]] == [f"{n:02d}" for n in range(1, 11)]
    for table, data in zip(document.tables, payload["tables"], strict=True):
        for row in data["rows"]:
            for col, value in row["values"].items():
                expected = table.values[(row["key"], col)]
                kind = table.kinds.get((row["key"], col), "amount")
                if expected == 0 and kind in ("amount", "count"):
                    expected = None  # printed blank
                assert value == (
                    expected if expected is None or isinstance(expected, int) else str(expected)
                )
    t03 = payload["tables"][2]
    assert t03["rows"][0]["values"]["total"] == "5939150.00"
    assert payload["tables"][6]["empty"] is True
    assert payload["tables"][6]["empty_note"] == "说明：本表无数据"


# ---------------------------------------------------------------------------------------------
# Views: links, headers, storage, drafts


CASES = [
    (
        "download.csv",
        "text/csv; charset=utf-8",
        "泽州县总工会2022年度部门决算.csv",
        "021001-2022.csv",
    ),
    (
        "download.json",
        "application/json; charset=utf-8",
        "泽州县总工会2022年度部门决算.json",
        "021001-2022.json",
    ),
    (
        "download.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "泽州县总工会2022年度部门决算.xlsx",
        "021001-2022.xlsx",
    ),
    (
        "tables/03/download.csv",
        "text/csv; charset=utf-8",
        "泽州县总工会2022年度公开03表支出决算表.csv",
        "021001-2022-table03.csv",
    ),
    (
        "tables/03/download.pdf",
        "application/pdf",
        "泽州县总工会2022年度公开03表支出决算表.pdf",
        "021001-2022-table03.pdf",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "content_type", "name", "ascii_name"), CASES)
def test_download_headers(client, demo_report, path, content_type, name, ascii_name):
    response = client.get(REPORT + path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == name
    assert int(response["Content-Length"]) == len(response.getvalue())


@pytest.mark.django_db
def test_download_links_on_report_and_table_pages(client, demo_report):
    page = client.get(REPORT).content.decode()
    for fmt in ("pdf", "xlsx", "csv", "json"):
        assert f'href="{REPORT}download.{fmt}"' in page
        for n in range(1, 11):
            assert f'href="{REPORT}tables/{n:02d}/download.{fmt}"' in page
    table_page = client.get(REPORT + "tables/05/").content.decode()
    assert f'href="{REPORT}tables/05/download.xlsx"' in table_page
    assert "数据说明" in page and client.get("/data/").status_code == 200


@pytest.mark.django_db
def test_rendered_once_then_served_from_storage_and_a_correction_keeps_both(
    client, demo_report, monkeypatch
):
    from disclosures.workflow import report_correct
    from tests.conftest import publish

    calls = []
    real = RENDERERS["csv"]
    monkeypatch.setitem(RENDERERS, "csv", lambda doc, tables: calls.append(1) or real(doc, tables))
    first = client.get(REPORT + "download.csv").getvalue()
    second = client.get(REPORT + "download.csv").getvalue()
    assert first == second and len(calls) == 1
    stored = RenderedFile.objects.get(report=demo_report, format="csv", table="")
    old_name = stored.file.name
    assert stored.file.storage.exists(old_name) and stored.size == len(first)

    # A correction: a new revision with one figure fixed, published. The permalink's download is
    # rendered anew for it; the first revision keeps its file at its own address.
    admin = get_user_model().objects.create_superuser("fix", "fix@example.com", "Pw-2022-fix!")
    revision = report_correct(report=demo_report, user=admin, reason="更正一个数字")
    Fact.objects.filter(report=revision, code="2210201", measure="expense").update(
        amount=D("146976.00")
    )
    publish(revision)
    third = client.get(REPORT + "download.csv").getvalue()
    assert len(calls) == 2 and third != first
    assert "146976.00" in third.decode("utf-8-sig")
    assert client.get(REPORT + "r1/download.csv").getvalue() == first
    assert len(calls) == 2
    stored.refresh_from_db()
    assert stored.file.name == old_name and stored.file.storage.exists(old_name)
    client.get(REPORT + "download.csv")
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_published_text_is_not_changed_and_its_file_stays(demo_report):
    from disclosures.models import PublishedReportError

    document = report_document_get(department_code="021001", year=2022)
    assert report_download(document=document, fmt="json").rendered
    section = demo_report.sections.first()
    section.body += "（更正）"
    with pytest.raises(PublishedReportError):
        section.save()
    document = report_document_get(department_code="021001", year=2022)
    assert not report_download(document=document, fmt="json").rendered


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["download.pdf", "download.csv", "tables/03/download.xlsx"])
def test_drafts_have_no_downloads(client, demo_draft, path):
    assert client.get(REPORT + path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["download.doc", "tables/11/download.pdf", "download.PDF"])
def test_unknown_downloads_are_404(client, demo_report, path):
    assert client.get(REPORT + path).status_code == 404
