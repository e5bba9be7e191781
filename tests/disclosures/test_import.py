"""Excel import: a preview of every change and problem, then all or nothing. Round trips exactly;
reads what people really send; refuses each bad file with its own message, changing nothing."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from disclosures.importer import WorkbookRefused, workbook_read
from disclosures.models import (
    ClassificationCode,
    EconomicFact,
    Fact,
    ImportBatch,
    PrintedCell,
    Report,
    ReportFigures,
)
from disclosures.selectors import report_data_get, report_tables, report_template
from disclosures.services import import_apply, import_preview

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def demo_report(demo_draft):
    """The seed as a draft: what an import writes to."""
    return demo_draft


@pytest.fixture
def seed_tables(demo_report):
    return {t.number: dict(t.values) for t in report_tables(report=demo_report)}


@pytest.fixture
def workbooks(boss, demo_report):
    """The seed's workbook as staff download it, and as the public site offers it."""
    staff = boss.get(reverse("admin:disclosures_report_workbook", args=[demo_report.pk])).content
    # The public layout, as the preview's download (the same renderer the public site uses).
    public = boss.get(
        reverse("admin:disclosures_report_preview_file", args=[demo_report.pk, "xlsx"])
    ).getvalue()
    return staff, public


@pytest.fixture
def empty(demo_report):
    """The seed department's 2022 report emptied back to a draft."""
    Fact.objects.filter(report=demo_report).delete()
    EconomicFact.objects.filter(report=demo_report).delete()
    ReportFigures.objects.filter(report=demo_report).update(
        admin_cost_admin_units=0, vehicles_other=0
    )
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.DRAFT)
    demo_report.refresh_from_db()
    return demo_report


def tables_of(report):
    return {t.number: dict(t.values) for t in report_tables(report=report)}


def upload(boss, report, content: bytes, name="报表.xlsx", **extra):
    url = reverse("admin:disclosures_report_import", args=[report.pk])
    return boss.post(url, {"file": io.BytesIO(content) | _named(name), **extra})


class _named:
    """`BytesIO | _named(name)`: a file with a name, as the test client uploads it."""

    def __init__(self, name):
        self.name = name

    def __ror__(self, other):
        other.name = self.name
        return other


def preview_of(response) -> ImportBatch:
    match = re.search(r"/import/(\d+)/$", response["Location"])
    return ImportBatch.objects.get(pk=match.group(1))


def edit(content: bytes, change) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize("which", ["staff", "public"])
def test_round_trip_into_an_empty_draft_gives_identical_tables(
    boss, workbooks, seed_tables, empty, which
):
    content = workbooks[0] if which == "staff" else workbooks[1]
    response = upload(boss, empty, content)
    assert response.status_code == 302
    batch = preview_of(response)
    page = boss.get(response["Location"]).content.decode()
    assert "确认导入" in page and f"变动（{len(batch.changes)} 处" in page
    assert not any(p[3] == "error" for p in batch.problems)
    assert Fact.objects.filter(report=empty).count() == 0  # nothing until confirmed
    confirm = boss.post(response["Location"], {"action": "apply"})
    assert confirm.status_code == 302
    assert tables_of(empty) == seed_tables
    # Importing it again previews "no changes".
    again = preview_of(upload(boss, empty, content))
    assert again.changes == []
    assert (
        "没有变动"
        in boss.get(
            reverse("admin:disclosures_report_import_preview", args=[empty.pk, again.pk])
        ).content.decode()
    )


# ---------------------------------------------------------------------------------------------
# What people really send


def messy(wb):
    """Titles moved down, blank rows, amounts typed as text, a note sheet, a sheet missing."""
    ws = wb["公开05表"]
    ws.insert_rows(1, 3)
    ws["A1"] = "附件2"
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and cell.value > 1000:
                cell.value = f"{cell.value:,.2f}"
    wb["公开03表"].insert_rows(8, 2)  # blank rows inside the body
    wb.create_sheet("填表说明")["A1"] = "本工作簿由财务科填写"
    del wb["公开08表"]  # a table with no data, left out


def test_reads_moved_titles_blank_rows_text_amounts_extra_and_missing_sheets(
    boss, workbooks, seed_tables, empty
):
    content = edit(workbooks[1], messy)
    batch = preview_of(upload(boss, empty, content))
    assert not any(p[3] == "error" for p in batch.problems), batch.problems
    warnings = [p[1] for p in batch.problems]
    assert "工作簿中没有公开08表，按本表无数据处理。" in warnings
    import_apply(batch=batch)
    assert tables_of(empty) == seed_tables
    read = workbook_read(
        content, template=report_template(empty), data=report_data_get(report=empty)
    )
    assert read.ignored == ["填表说明"] and read.missing == ["08"]


def to_wan(wb):
    """The same tables as a 万元 document prints them: each cell rounded from 元."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "单位：元" in cell.value:
                    cell.value = cell.value.replace("单位：元", "单位：万元")
                elif isinstance(cell.value, float | int) and cell.number_format == "#,##0.00":
                    cell.value = float((D(str(cell.value)) / 10000).quantize(D("0.01")))


def test_a_wan_workbook_is_read_in_wan_and_its_rounding_accepted(boss, workbooks, empty):
    batch = preview_of(upload(boss, empty, edit(workbooks[1], to_wan), as_printed="on"))
    assert batch.unit == "万元"
    assert not any(p[3] == "error" for p in batch.problems), batch.problems
    # 21011 prints 8.87 万元 while its 项 print 3.04 + 5.32 + 0.50: within rounding, no comparison.
    assert not [c for c in batch.comparisons if "21011" in c[1]]
    import_apply(batch=batch)
    empty.refresh_from_db()
    assert empty.unit == "万元"  # a published document prints as it was printed
    fact = Fact.objects.get(report=empty, measure="expense", code="2012901", nature="basic")
    assert fact.amount == D("2459700.00")  # 245.97 万元, kept in 元
    assert PrintedCell.objects.get(
        report=empty, table="03", row="21011", column="total"
    ).value == D("8.87")
    page = boss.get(reverse("admin:disclosures_report_checks", args=[empty.pk])).content.decode()
    assert "printed.differs" not in page


def test_blank_and_zero_are_told_apart(boss, workbooks, empty):
    def three_public(wb):
        ws = wb["公开07表"]
        data_row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value) == "1") + 1
        ws.cell(data_row, 2).value = 0  # 因公出国（境）费 budget: disclosed, zero
        ws.cell(data_row, 12).value = 3000  # 公务接待费 actual

    batch = preview_of(upload(boss, empty, edit(workbooks[0], three_public)))
    import_apply(batch=batch)
    figures = ReportFigures.objects.get(report=empty)
    assert figures.tp_budget_abroad == 0 and figures.tp_actual_reception == D("3000.00")
    assert figures.tp_actual_abroad is None  # blank: not disclosed


def test_printed_subtotals_that_disagree_are_reported_with_both_values(boss, workbooks, empty):
    def wrong_total(wb):
        ws = wb["公开03表"]
        for row in ws.iter_rows():
            if row[0].value == "合计":
                row[2].value = 5939000.00  # 本年支出合计, should be 5,939,150.00
                break

    batch = preview_of(upload(boss, empty, edit(workbooks[0], wrong_total)))
    assert [c[1:4] for c in batch.comparisons] == [
        ["公开03表 合计 本年支出合计", "5939000.00", "5939150.00"]
    ]
    page = boss.get(
        reverse("admin:disclosures_report_import_preview", args=[empty.pk, batch.pk])
    ).content.decode()
    assert "5,939,000.00" in page and "5,939,150.00" in page


def test_names_as_printed_are_kept(boss, workbooks, empty):
    def old_name(wb):
        ws = wb["公开02表"]
        for row in ws.iter_rows():
            if row[0].value == "210":
                row[1].value = "医疗卫生与计划生育支出"

    batch = preview_of(upload(boss, empty, edit(workbooks[0], old_name)))
    assert batch.names == [["functional", "210", "医疗卫生与计划生育支出"]]
    import_apply(batch=batch)
    assert empty.printed_names.get(code="210").name == "医疗卫生与计划生育支出"


# ---------------------------------------------------------------------------------------------
# Bad files: each its own message, nothing changed


def big_sheet(wb):
    ws = wb["公开02表"]
    for r in range(ws.max_row + 1, 5003):
        ws.cell(r, 1).value = ""
        ws.cell(r, 20).value = "x"


def formula(wb):
    ws = wb["公开05表"]
    for row in ws.iter_rows():
        if row[0].value == "2012901":
            row[3].value = "=D7+1"


def text_in_number(wb):
    ws = wb["公开05表"]
    for row in ws.iter_rows():
        if row[0].value == "2012901":
            row[3].value = "两百万"


def moved_heading(wb):
    wb["公开03表"].delete_cols(4)


def encrypted(_):
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600


BAD = [
    ("not a workbook", lambda staff: "部门决算".encode() * 10, "这不是 Excel 工作簿"),
    ("old xls", lambda staff: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
    ("encrypted", encrypted, "设置了打开密码"),
    ("corrupt", lambda staff: staff[:2000], "文件已损坏"),
    ("too big", lambda staff: b"PK" + b"0" * (10 * 1024 * 1024 + 1), "超过 10 MB"),
    ("too many rows", lambda staff: edit(staff, big_sheet), "超过 5,000 行"),
]
BAD_CELLS = [
    ("formula without value", formula, "公式但没有计算结果"),
    ("text in a number cell", text_in_number, "“两百万”"),
    ("heading moved", moved_heading, "表头与标准格式不符"),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD, ids=[c[0] for c in BAD])
def test_a_file_that_is_not_a_readable_workbook_is_refused(
    boss, workbooks, empty, case, make, message
):
    before = ImportBatch.objects.count()
    response = upload(boss, empty, make(workbooks[0]))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "报告没有任何改动" in page
    assert ImportBatch.objects.count() == before
    assert not Fact.objects.filter(report=empty).exists()


@pytest.mark.parametrize(("case", "make", "message"), BAD_CELLS, ids=[c[0] for c in BAD_CELLS])
def test_a_bad_cell_or_heading_is_shown_with_its_place_and_blocks_the_import(
    boss, workbooks, empty, case, make, message
):
    response = upload(boss, empty, edit(workbooks[0], make))
    batch = preview_of(response)
    errors = [p for p in batch.problems if p[3] == "error"]
    assert any(message in p[1] for p in errors), batch.problems
    page = boss.get(response["Location"]).content.decode()
    assert message in page and "不能导入" in page and "确认导入" not in page
    if case != "heading moved":
        assert any(re.fullmatch(r"公开05表![A-Z]+\d+", p[0]) for p in errors)
    with pytest.raises(Exception, match="工作簿有错误"):
        import_apply(batch=batch)
    assert not Fact.objects.filter(report=empty).exists()


def test_a_stale_preview_is_refused(boss, workbooks, empty, django_user_model):
    batch = import_preview(report=empty, content=workbooks[0], filename="a.xlsx", user=None)
    Fact.objects.create(
        report=empty, measure="income", code="2012901", source="general", amount=D("1.00")
    )
    with pytest.raises(Exception, match="预览已过时"):
        import_apply(batch=batch)
    assert Fact.objects.filter(report=empty).count() == 1


def test_reading_raises_for_a_workbook_with_no_table(empty):
    wb = Workbook()
    wb.active.title = "Sheet1"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(WorkbookRefused, match="找不到任何一张公开表"):
        workbook_read(
            out.getvalue(), template=report_template(empty), data=report_data_get(report=empty)
        )


# ---------------------------------------------------------------------------------------------
# A year's code list


def code_sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2023年政府收支分类科目（节选）"])
    ws.append(["科目编码", "科目名称"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_code_list_import_with_preview_of_renamed_codes(boss, demo_report):
    content = code_sheet(
        [
            ["201", "一般公共服务支出"],
            ["20129", "群众团体事务"],
            [2012901, "行政运行"],
            ["210", "卫生健康"],  # renamed from 2022
            ["21011", "行政事业单位医疗"],
        ]
    )
    url = reverse("admin:disclosures_classificationcode_import")
    page = boss.post(
        url,
        {"year": "2023", "kind": "functional", "file": io.BytesIO(content) | _named("codes.xlsx")},
    ).content.decode()
    assert "预览：2023年 5 条" in page and "新增 5 条" in page
    assert "卫生健康支出" in page and "卫生健康</td>" in page
    assert not ClassificationCode.objects.filter(year=2023).exists()
    response = boss.post(url, {"action": "apply"})
    assert response.status_code == 302
    levels = dict(ClassificationCode.objects.filter(year=2023).values_list("code", "level"))
    assert levels == {"201": "类", "20129": "款", "2012901": "项", "210": "类", "21011": "款"}


def test_code_list_problems_are_shown_and_block_the_import(boss, demo_report):
    content = code_sheet([["201", "一般公共服务支出"], ["2O1", "字母O"], ["2012", "位数不对"]])
    page = boss.post(
        reverse("admin:disclosures_classificationcode_import"),
        {"year": "2023", "kind": "functional", "file": io.BytesIO(content) | _named("c.xlsx")},
    ).content.decode()
    assert "不是科目编码" in page and "位数不对" in page and "确认导入" not in page
