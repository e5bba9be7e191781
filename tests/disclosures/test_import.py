"""Excel import: a preview of every change and problem, then all or nothing. Round trips exactly;
reads what people really send; refuses each bad file with its own message, changing nothing."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from disclosures.entry import atom_values
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
from disclosures.selectors import (
    report_data_get,
    report_entry_form,
    report_tables,
    report_template,
)
from disclosures.services import entry_save, import_apply, import_preview

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
# Excel as users really edit it: a detail changed, the printed totals left as they were


def column_of(ws, number: str) -> int:
    """The column whose 栏次 is `number`."""
    for row in ws.iter_rows():
        if any(text_of(c) == "栏次" for c in row):
            return next(c.column for c in row if text_of(c) == number)
    raise LookupError(number)


def row_of(ws, first: str) -> int:
    """The row whose first cell reads `first` (a code, 合计)."""
    return next(row[0].row for row in ws.iter_rows() if text_of(row[0]) == first)


def labelled_column(ws, label: str) -> int:
    return next(c.column for row in ws.iter_rows() for c in row if text_of(c) == label)


def text_of(cell) -> str:
    return "" if cell.value is None else str(cell.value)


def facts_now(report) -> dict:
    return atom_values(report_data_get(report=report))


def moved(before: dict, after: dict) -> dict:
    """The atoms whose value differs: atom -> (before, after)."""
    return {
        atom: (before.get(atom), after.get(atom))
        for atom in set(before) | set(after)
        if (before.get(atom) or 0) != (after.get(atom) or 0)
    }


def stale_totals(batch) -> dict:
    """The preview's notices: place -> (printed, derived)."""
    return {place: (printed, derived) for place, _, printed, derived, _ in batch.comparisons}


def notices_of(page: str) -> str:
    return page[page.index("提示：印制的合计数与明细不符") : page.index("变动（")]


GENERAL_BASIC = ("fact", "expense", "2012901", "general", "basic")


def test_a_05_detail_changed_and_its_totals_left_imports_by_the_detail(
    boss, workbooks, demo_report
):
    def more_basic(wb):
        ws = wb["公开05表"]
        ws.cell(row_of(ws, "2012901"), column_of(ws, "2")).value = 2464668  # 基本支出 +5,000

    before = facts_now(demo_report)
    response = upload(boss, demo_report, edit(workbooks[0], more_basic))
    batch = preview_of(response)
    assert not [p for p in batch.problems if p[3] == "error"], batch.problems
    # One change: the figure typed; nothing invented to balance the totals left as they were.
    assert [(tuple(c[0]), c[2], c[3]) for c in batch.changes] == [
        (GENERAL_BASIC, "2459668.00", "2464668.00")
    ]
    assert "公开05表!D10" in batch.changes[0][1]
    stale = stale_totals(batch)
    assert stale["公开05表!D7"] == ("3029150.00", "3034150.00")  # 合计 基本支出
    assert stale["公开05表!C10"] == ("2659668.00", "2664668.00")  # the 项's 小计
    assert stale["公开05表!D8"] == ("2459668.00", "2464668.00")  # its 类
    assert stale["公开03表!D10"] == ("2459668.00", "2464668.00")  # 03 adds 05 up
    assert stale["公开04表!G33"] == ("5939150.00", "5944150.00")
    assert stale["公开01表!F33"] == ("5939150.00", "5944150.00")
    page = boss.get(response["Location"]).content.decode()
    notices = notices_of(page)
    assert "公开05表!D7" in notices and "3,029,150.00" in notices and "3,034,150.00" in notices
    assert "确认导入" in page
    import_apply(batch=batch)
    assert moved(before, facts_now(demo_report)) == {
        GENERAL_BASIC: (D("2459668.00"), D("2464668.00"))
    }


def fund_row(wb):
    """A 项 typed into the empty 公开08表 under its 合计, which is left blank."""
    ws = wb["公开08表"]
    r = row_of(ws, "合计") + 1
    ws.cell(r, 1).value, ws.cell(r, 2).value = "2012901", "行政运行"
    for number in ("2", "3", "4"):  # 本年收入, 本年支出 小计, 基本支出
        ws.cell(r, column_of(ws, number)).value = 5000


def test_an_08_row_typed_with_its_totals_left_invents_nothing(boss, workbooks, demo_report):
    before = facts_now(demo_report)
    response = upload(boss, demo_report, edit(workbooks[0], fund_row))
    batch = preview_of(response)
    assert not [p for p in batch.problems if p[3] == "error"], batch.problems
    fund_income = ("fact", "income", "2012901", "fund", "")
    fund_basic = ("fact", "expense", "2012901", "fund", "basic")
    # No balancing figure in 09 (no row for 2012901 there: nothing) nor in 03's other money.
    assert sorted(tuple(c[0]) for c in batch.changes) == sorted([fund_income, fund_basic])
    stale = stale_totals(batch)
    assert stale["公开08表!D7"] == ("0", "5000.00")
    assert stale["公开08表!F7"] == ("0", "5000.00")
    assert stale["公开04表!H33"] == ("0", "5000.00")
    assert stale["公开03表!D10"] == ("2459668.00", "2464668.00")
    assert "公开08表!D7" in notices_of(boss.get(response["Location"]).content.decode())
    import_apply(batch=batch)  # no "收入和支出金额不能为负数" any more
    assert moved(before, facts_now(demo_report)) == {
        fund_income: (None, D("5000.00")),
        fund_basic: (None, D("5000.00")),
    }


def remit(wb):
    """公开03表's 上缴上级支出 of a 项: a column 03 takes itself."""
    ws = wb["公开03表"]
    ws.cell(row_of(ws, "2012901"), column_of(ws, "4")).value = 5000


def other_money(wb):
    """The 03 （补充） sheet's 基本支出（非财政拨款） of a 项."""
    ws = wb["公开03表（补充）"]
    ws.cell(row_of(ws, "2012901"), labelled_column(ws, "基本支出（非财政拨款）")).value = 5000


@pytest.mark.parametrize(
    ("make", "atom", "place", "total"),
    [
        (
            remit,
            ("fact", "expense", "2012901", "nonfiscal", "remit"),
            "公开03表!F10",
            "公开03表!F7",
        ),
        (
            other_money,
            ("fact", "expense", "2012901", "nonfiscal", "basic"),
            "公开03表（补充）!C4",
            "公开03表!D10",
        ),
    ],
    ids=["printed column", "supplement"],
)
def test_an_03_detail_changed_and_its_totals_left_imports_by_the_detail(
    boss, workbooks, demo_report, make, atom, place, total
):
    before = facts_now(demo_report)
    batch = preview_of(upload(boss, demo_report, edit(workbooks[0], make)))
    assert not [p for p in batch.problems if p[3] == "error"], batch.problems
    assert [(tuple(c[0]), c[2], c[3]) for c in batch.changes] == [(atom, None, "5000.00")]
    assert place in batch.changes[0][1]
    stale = stale_totals(batch)
    assert total in stale and stale["公开03表!C7"] == ("5939150.00", "5944150.00")
    assert stale["公开01表!F33"] == ("5939150.00", "5944150.00")
    import_apply(batch=batch)
    assert moved(before, facts_now(demo_report)) == {atom: (None, D("5000.00"))}


def balances_without_their_items(wb):
    """A layout without the （补充） sheets (the public one), with 4,000.00 of opening balance
    of the general appropriation, every total that holds it agreeing: the layout prints it only
    as a total over all the 项, so which 项 it belongs to is not there."""
    t04, t01 = wb["公开04表"], wb["公开01表"]
    for place in ("C34", "C35"):  # 年初财政拨款结转和结余, 其中 一般公共预算财政拨款
        t04[place] = 4000
    t01["C35"] = 4000  # 年初结转和结余
    t04["C38"].value += 4000  # 收入总计
    t01["C37"].value += 4000  # 总计


@pytest.mark.parametrize(
    ("make", "places", "message"),
    [
        (balances_without_their_items, {"公开04表!C35"}, "无法从工作簿确定 2012901 一般公共预算"),
        # The 08 row in the public layout: 03's 项 would give the other money's spending as
        # 2,459,668.00 - 2,464,668.00 = -5,000.00, a figure nobody typed.
        (fund_row, {"公开03表!D10"}, "按本格推算为 -5,000.00 元"),
    ],
    ids=["only in totals", "would be negative"],
)
def test_a_figure_the_workbook_cannot_determine_is_named_and_nothing_is_saved(
    boss, workbooks, demo_report, make, places, message
):
    before = facts_now(demo_report)
    response = upload(boss, demo_report, edit(workbooks[1], make))
    batch = preview_of(response)
    undetermined = [p for p in batch.problems if p[2] == "undetermined"]
    assert undetermined and all(p[3] == "error" and p[0] for p in undetermined)
    assert any(message in p[1] and places <= set(p[0].split("、")) for p in undetermined)
    page = boss.get(response["Location"]).content.decode()
    assert message in page and "不能导入" in page and "确认导入" not in page
    refused = boss.post(response["Location"], {"action": "apply"}, follow=True)
    assert "工作簿有错误" in refused.content.decode()
    assert next(iter(places)) in refused.content.decode()
    assert moved(before, facts_now(demo_report)) == {}
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING


def test_zeros_one_total_gives_that_another_contradicts_are_not_taken(boss, workbooks, demo_report):
    def contradicting(wb):
        ws = wb["公开04表"]
        for place in ("C34", "C35"):
            ws[place] = 4000  # 01's 年初结转和结余 still says 0

    batch = preview_of(upload(boss, demo_report, edit(workbooks[1], contradicting)))
    [problem] = [p for p in batch.problems if p[2] == "undetermined"]
    assert {"公开01表!C35", "公开04表!C35"} <= set(problem[0].split("、"))
    assert "4,000.00" in problem[1] and "年初结转和结余" in problem[1]


def test_a_negative_detail_is_refused_at_its_cell(boss, workbooks, demo_report):
    def negative(wb):
        ws = wb["公开05表"]
        ws.cell(row_of(ws, "2012901"), column_of(ws, "2")).value = -100

    before = facts_now(demo_report)
    response = upload(boss, demo_report, edit(workbooks[0], negative))
    batch = preview_of(response)
    assert [p[:3] for p in batch.problems if p[3] == "error"] == [
        ["公开05表!D10", "“-100.00”该项金额不能为负数。", "negative"]
    ]
    page = boss.get(response["Location"]).content.decode()
    assert "公开05表!D10" in page and "确认导入" not in page
    with pytest.raises(ValidationError, match="公开05表!D10") as refused:
        import_apply(batch=batch)
    assert refused.value.code == "has_errors"
    # Even a batch whose errors were lost is refused at confirm, by the cell, not by the model.
    ImportBatch.objects.filter(pk=batch.pk).update(problems=[])
    with pytest.raises(ValidationError, match="公开05表!D10") as refused:
        import_apply(batch=ImportBatch.objects.get(pk=batch.pk))
    assert refused.value.code == "negative" and "不能为负数" in refused.value.messages[0]
    assert moved(before, facts_now(demo_report)) == {}


def test_three_public_items_are_each_their_own_row_with_their_cell(boss, workbooks, demo_report):
    def typed(wb):
        ws = wb["公开07表"]
        numbers = next(row for row in ws.iter_rows() if row[0].value == 1)  # 栏次 1 … 12
        for cell in numbers:
            ws.cell(cell.row + 1, cell.column).value = 1000

    response = upload(boss, demo_report, edit(workbooks[0], typed))
    batch = preview_of(response)
    assert len(batch.changes) == 8  # the eight items; the 合计 and 小计 are derived
    labels = [c[1] for c in batch.changes]
    assert len(set(labels)) == 8
    assert "公开07表「预算数 因公出国（境）费」（公开07表!B8）" in labels
    assert "公开07表「决算数 公务用车购置及运行维护费 公务用车购置费」（公开07表!J8）" in labels
    page = boss.get(response["Location"]).content.decode()
    assert all(page.count(label) == 1 for label in labels)
    assert "处相同" not in page
    stale = {c[0]: c[1] for c in batch.comparisons}
    assert stale["公开07表!A8"] == "公开07表 预算数 合计"
    assert stale["公开07表!G8"] == "公开07表 决算数 合计"


def test_identical_preview_rows_are_shown_once_with_their_count():
    from disclosures.staff_views import _grouped

    row = [["figure", "tp_budget_abroad"], "公开07表「“三公”经费」", None, "1000.00"]
    other = [["figure", "tp_budget_reception"], "公开07表「“三公”经费」", None, "2000.00"]
    assert _grouped([row, row, other]) == [
        ("公开07表「“三公”经费」", None, "1000.00", 2),
        ("公开07表「“三公”经费」", None, "2000.00", 1),
    ]


def test_a_stale_preview_is_refused_with_what_changed(boss, workbooks, demo_report):
    def more_basic(wb):
        ws = wb["公开05表"]
        ws.cell(row_of(ws, "2012901"), column_of(ws, "2")).value = 2464668

    batch = preview_of(upload(boss, demo_report, edit(workbooks[0], more_basic)))
    form = report_entry_form(report=demo_report, key="10")
    posted = {c.name: str(c.value if c.value is not None else "") for c in form.inputs}
    posted["figure|vehicles_other"] = "2"
    assert entry_save(report=demo_report, form=form, posted=posted, user=None).ok
    with pytest.raises(ValidationError, match="预览已过时") as refused:
        import_apply(batch=batch)
    assert "公开10表" in refused.value.messages[0] and "→ 2" in refused.value.messages[0]
    assert facts_now(demo_report)[GENERAL_BASIC] == D("2459668.00")


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
