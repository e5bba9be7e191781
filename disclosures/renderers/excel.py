"""Excel workbooks in the official layout, written with openpyxl from the filled tables."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from performance.models import (
    EVALUATION_COVER,
    FUNDING_COLUMNS,
    FUNDING_TITLE,
    INDICATOR_COLUMNS,
    INDICATOR_TITLE,
    OUTLINE,
    Evaluation,
)

from ..engine import EconomicTable, FilledTable, ReportData
from ..entry import atom_values, input_key, place_atom
from ..plaintext import text_clean, value_clean
from ..selectors import ReportDocument
from ..units import to_unit
from .layout import cell_text, lines_at, placed, table_layout, text_em, wrap_em

MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.##"
WIDTHS = {"code": 11, "label": 26, "line": 6, "amount": 15}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF1F4")
FORMULA_PREFIXES = ("=", "+", "-", "@")
# 宋体 (SimSun), as the official workbooks: Excel has it; LibreOffice maps it to the CJK serif.
FONT_NAME = "宋体"
FONT_SIZE = 10
LINE_HEIGHT = 13.5  # points, one line of 10 pt text
# How many half-width characters one unit of column width holds (Excel's unit is one "0").
CJK_UNITS = 2.0
PAD_UNITS = 1.0  # a cell's padding, in column units


def cjk_font(**kwargs) -> Font:
    return Font(name=FONT_NAME, size=kwargs.pop("size", FONT_SIZE), **kwargs)


BODY_FONT = cjk_font()


def _put(ws: Worksheet, row: int, col: int, value, **style):
    """Writes a cell; text that looks like a formula stays text (no formula injection), and a
    control character that got into the text is dropped (openpyxl refuses it, and a published
    revision's workbook must open whatever its text holds)."""
    cell = ws.cell(row=row, column=col)
    cell.value = value_clean(value)
    cell.font = BODY_FONT
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def _grid(ws: Worksheet, rows, start: int, header: bool, widths: list[float]) -> int:
    """Places rows of spanning cells; returns the next free row. Headers and labels that wrap
    are broken into lines here (`broken`), so Excel and LibreOffice break them alike."""
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        col = 1
        for cell in cells:
            while (start + r, col) in taken:
                col += 1
            top, left = start + r, col
            bottom, right = top + cell.rowspan - 1, left + cell.colspan - 1
            for rr in range(top, bottom + 1):
                for cc in range(left, right + 1):
                    taken.add((rr, cc))
                    ws.cell(row=rr, column=cc).border = BOX
            value, number_format, align = _value(cell)
            if cell.kind in ("head", "label") and isinstance(value, str):
                value = broken(value, sum(widths[left - 1 : right]))
            target = _put(ws, top, left, value, border=BOX)
            if number_format:
                target.number_format = number_format
            head = header or cell.kind == "head"  # a section's own header row (公开10表)
            target.alignment = Alignment(
                horizontal="center" if head else align, vertical="center", wrap_text=True
            )
            if head:
                target.font = cjk_font(bold=True)
                target.fill = HEAD_FILL
            elif cell.level == "total" or cell.kind == "section":
                target.font = cjk_font(bold=True)
            if bottom > top or right > left:
                ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
            col = right + 1
    return start + len(rows)


def _is_number(value) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


def _number(value):
    """行次 and 栏次 as numbers, so Excel does not flag numbers stored as text."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def text_units(text: str) -> float:
    """A text's width in Excel column units: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text)) + 1


def broken(text: str, units: float) -> str:
    """`text` as it fits a cell `units` wide: as it is when it fits one line, else broken into
    the fewest lines that fit, none of them one character alone (renderers.layout's rule)."""
    room = (units - PAD_UNITS) / CJK_UNITS  # in em: a CJK character is one em
    if text_em(text) <= room:
        return text
    for count in range(2, 9):
        width = wrap_em(text, count)
        if width <= room:
            return "\n".join(line.strip() for line in lines_at(text, width))
    return text


def lines_in(text, width: float) -> int:
    """How many lines `text` takes, wrapped in a column `width` units wide."""
    return max(1, -(-int(text_units(text)) // max(1, int(width))))


def _value(cell):
    """(value, number format, alignment) for a cell: numbers stay numbers; zero stays blank."""
    if cell.kind == "amount":
        if cell.value is None or cell.value == 0:
            return None, MONEY_FORMAT, "right"
        return cell.value, MONEY_FORMAT, "right"
    if cell.kind == "count":
        return (cell.value or None), COUNT_FORMAT, "right"
    if cell.kind in ("line", "na"):
        return _number(cell.value), COUNT_FORMAT if _is_number(cell.value) else None, "center"
    if cell.kind == "head" and cell.value and str(cell.value).isdigit():
        return int(cell.value), COUNT_FORMAT, "center"  # a 栏次
    return cell.value, None, "left"


def table_sheet(ws: Worksheet, table: FilledTable) -> None:
    """One official table on one sheet: title lines, merged headers, body, notes, print set-up."""
    width = max(sum(c.colspan for c in row) for row in [*table.header, *table.body])
    _put(ws, 1, width, table.caption, alignment=Alignment(horizontal="right"))
    _put(
        ws,
        2,
        1,
        table.title,
        font=cjk_font(bold=True, size=16),
        alignment=Alignment(horizontal="center"),
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    _put(ws, 3, 1, f"{table.definition.entity_label}：{table.department}")
    _put(ws, 3, max(2, width // 2), f"{table.year}年度", alignment=Alignment(horizontal="center"))
    _put(
        ws,
        3,
        width,
        f"{table.definition.unit_label}：{table.unit}",
        alignment=Alignment(horizontal="right"),
    )
    header_start = 4
    widths = _column_units(table)
    body_start = _grid(ws, table.header, header_start, header=True, widths=widths)
    end = _grid(ws, table.body, body_start, header=False, widths=widths)
    for i, units in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = units
    fit_rows(ws, header_start, end - 1)
    # The notes as the PDF prints them: 注 first, then 说明; each merged across the table, wrapped.
    for note in (table.note, table.empty_note):
        if note:
            _put(ws, end, 1, note, alignment=Alignment(wrap_text=True, vertical="top"))
            ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=width)
            fit_rows(ws, end, end)
            end += 1
    if body_start > header_start:  # a table whose sections head themselves has no header rows
        ws.freeze_panes = ws.cell(row=body_start, column=1)
        ws.print_title_rows = f"{header_start}:{body_start - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # Orientation by the table's measured width, as in the PDF (renderers.layout).
    landscape = table_layout(table).landscape
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _column_units(table: FilledTable) -> list[float]:
    """Each column's width in Excel units: its kind's width, widened to its longest one-line
    text (a label up to 40 units; longer labels wrap and their rows grow)."""
    kinds = table.column_kinds
    units = [float(WIDTHS.get(kind, 15)) for kind in kinds]
    for _, col, cell in placed(table.body):
        if cell.colspan != 1 or col >= len(kinds):
            continue
        text = cell_text(cell)
        cap = 40 if kinds[col] == "label" else 20
        units[col] = max(units[col], min(text_units(text) + 1, cap))
    return units


def fit_rows(ws: Worksheet, first: int, last: int) -> None:
    """Sets each row's height to its tallest wrapped text, measured against its cell's width
    (merged cells: the sum of their columns)."""
    spans = {
        (rng.min_row, rng.min_col): (rng.min_col, rng.max_col) for rng in ws.merged_cells.ranges
    }
    for r in range(first, last + 1):
        lines = 1
        for cell in ws[r]:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            left, right = spans.get((r, cell.column), (cell.column, cell.column))
            width = sum(
                ws.column_dimensions[get_column_letter(c)].width or 13
                for c in range(left, right + 1)
            )
            size = (cell.font.sz or FONT_SIZE) / FONT_SIZE
            lines = max(lines, sum(lines_in(part, width / size) for part in cell.value.split("\n")))
        ws.row_dimensions[r].height = LINE_HEIGHT * lines + 3


def supplement_sheet(ws: Worksheet, table: FilledTable, data: ReportData, codes: list[str]):
    """A table's entry-only columns, by 项 (or economic 款): what staff fill in that the official
    sheet does not print, so the portal's workbook imports back exactly."""
    definition = table.definition
    columns = {c.key: c for c in definition.entry_columns}
    values = atom_values(data)
    _put(ws, 1, 1, f"{table.caption}（补充） {table.title}", font=cjk_font(bold=True, size=14))
    _put(ws, 2, 1, f"本表为填报补充栏，不公开印制。金额单位：{table.unit}")
    header = ["科目编码", "科目名称", *(c.label for c in columns.values())]
    for i, label in enumerate(header, start=1):
        _put(ws, 3, i, label, font=cjk_font(bold=True), fill=HEAD_FILL, border=BOX)
    if isinstance(definition, EconomicTable):
        rows = [(c.code, c.name) for c in data.economic_codes if c.level == "款"]
    else:
        rows = [(code, data.functional_name(code) or "") for code in codes if len(code) == 7]
    for r, (code, name) in enumerate(rows, start=4):
        _put(ws, r, 1, code, border=BOX)
        _put(ws, r, 2, name, border=BOX)
        for i, col in enumerate(columns.values(), start=3):
            key = input_key(col, columns)
            value = values.get(place_atom(key, code)) if key else None
            cell = _put(ws, r, i, None if not value else to_unit(value, table.unit), border=BOX)
            cell.number_format = MONEY_FORMAT
    for i, width in enumerate([11, 30, *([18] * len(columns))], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C4"


EVALUATION_WIDTHS = (14, 14, 26, 15, 15, 15, 10, 8, 26)


def _text_rows(ws: Worksheet, row: int, text: str, *, bold: bool = False) -> int:
    """`text` in one cell merged across the sheet, wrapped, its row as high as its lines."""
    width = len(EVALUATION_WIDTHS)
    _put(
        ws,
        row,
        1,
        text,
        font=cjk_font(bold=bold),
        alignment=Alignment(wrap_text=True, vertical="top"),
    )
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    fit_rows(ws, row, row)
    return row + 1


def _header_row(ws: Worksheet, row: int, labels) -> int:
    for col, label in enumerate(labels, start=1):
        _put(
            ws,
            row,
            col,
            label,
            font=cjk_font(bold=True),
            fill=HEAD_FILL,
            border=BOX,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
    fit_rows(ws, row, row)
    return row + 1


def _body_row(ws: Worksheet, row: int, values: dict, columns, formats: dict) -> int:
    for col, (key, _) in enumerate(columns, start=1):
        value = values.get(key)
        cell = _put(ws, row, col, value, border=BOX)
        if key in formats:
            cell.number_format = formats[key]
            cell.alignment = Alignment(horizontal="right", vertical="center")
        else:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    return row + 1


def evaluation_sheet(ws: Worksheet, evaluation: Evaluation, unit: str) -> None:
    """A self-evaluation on one sheet, as the 附件 prints it: the cover, 预算执行情况 (amounts in
    `unit`), 绩效指标完成情况 with both target columns, then each text part under its heading.
    `performance.importer` reads the same layout back."""
    money = {
        k: MONEY_FORMAT
        for k in ("initial_declared", "initial_budgeted", "budget", "executed", "balance")
    }
    scores = {"weight": SCORE_FORMAT, "score": SCORE_FORMAT}
    for i, width in enumerate(EVALUATION_WIDTHS, start=1):  # first: rows are fitted to them
        ws.column_dimensions[get_column_letter(i)].width = width
    row = _text_rows(ws, 1, f"{evaluation.get_kind_display()}表", bold=True)
    ws.cell(row=1, column=1).font = cjk_font(bold=True, size=16)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 24
    for label, name in EVALUATION_COVER:
        _put(ws, row, 1, label, font=cjk_font(bold=True), border=BOX)
        value = getattr(evaluation, name)
        cell = _put(ws, row, 2, value, border=BOX, alignment=Alignment(horizontal="left"))
        if name == "score":
            cell.number_format = SCORE_FORMAT
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        row += 1
    row += 1
    _put(ws, row, 1, FUNDING_TITLE, font=cjk_font(bold=True, size=12))
    _put(
        ws,
        row,
        len(EVALUATION_WIDTHS),
        f"金额单位：{unit}",
        alignment=Alignment(horizontal="right"),
    )
    row = _header_row(ws, row + 1, (label for _, label in FUNDING_COLUMNS))
    rate = evaluation.execution_rate
    total = {
        "source": "合计",
        "budget": to_unit(evaluation.budget, unit),
        "executed": to_unit(evaluation.executed, unit),
        "balance": to_unit(evaluation.budget - evaluation.executed, unit),
        "execution_rate": None if rate is None else rate / 100,
        "weight": evaluation.budget_execution_weight,
        "score": evaluation.budget_execution_score,
    }
    formats = {**money, **scores, "execution_rate": RATE_FORMAT}
    row = _body_row(ws, row, total, FUNDING_COLUMNS, formats)
    for funding in evaluation.funding.all():
        values = {"source": funding.source}
        for key in money:
            amount = getattr(funding, key)
            values[key] = None if amount is None else to_unit(amount, unit)
        row = _body_row(ws, row, values, FUNDING_COLUMNS, formats)
    row += 1
    _put(ws, row, 1, INDICATOR_TITLE, font=cjk_font(bold=True, size=12))
    row = _header_row(ws, row + 1, (label for _, label in INDICATOR_COLUMNS))
    for indicator in evaluation.indicators.all():
        values = {key: getattr(indicator, key) for key, _ in INDICATOR_COLUMNS}
        row = _body_row(ws, row, values, INDICATOR_COLUMNS, scores)
    for part, names in OUTLINE:
        texts = [
            (evaluation._meta.get_field(n).verbose_name, getattr(evaluation, n)) for n in names
        ]
        if not any(text for _, text in texts):
            continue
        row = _text_rows(ws, row + 1, part, bold=True)
        for heading, text in texts:
            if text and heading != part.split("、")[-1]:
                row = _text_rows(ws, row, heading, bold=True)
            if text:
                row = _text_rows(ws, row, text)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def evaluation_sheet_titles(evaluations) -> list[str]:
    """Sheet names, unique and within Excel's 31 characters: 项目绩效自评1 …, 整体绩效自评."""
    titles, counts = [], {"project": 0, "department": 0}
    for evaluation in evaluations:
        counts[evaluation.kind] = counts.get(evaluation.kind, 0) + 1
        prefix = "项目绩效自评" if evaluation.kind == Evaluation.Kind.PROJECT else "整体绩效自评"
        titles.append(f"{prefix}{counts[evaluation.kind]}")
    return titles


def workbook(
    document: ReportDocument,
    tables: list[FilledTable],
    *,
    supplements: list[str] | None = None,
    evaluations: bool = False,
) -> bytes:
    """A workbook with a sheet per table, named 公开01表 … in the template's order, and with
    `evaluations` a sheet per self-evaluation after them. With `supplements` (the report's 项
    codes), each table with entry-only columns is followed by its （补充） sheet, and the
    evaluations are in 元: the staff's workbook, which imports back exactly."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        table_sheet(wb.create_sheet(title=table.caption), table)
        if supplements is not None and getattr(table.definition, "entry_columns", ()):
            supplement_sheet(
                wb.create_sheet(title=f"{table.caption}（补充）"), table, document.data, supplements
            )
    if evaluations:
        unit = "元" if supplements is not None else document.report.unit
        chosen = document.evaluations
        for title, evaluation in zip(evaluation_sheet_titles(chosen), chosen, strict=True):
            evaluation_sheet(wb.create_sheet(title=title), evaluation, unit)
    # The document's properties are XML as well: a control character there left a workbook
    # that saved but that no spreadsheet program could open.
    wb.properties.title = text_clean(document.title)
    wb.properties.creator = text_clean(document.department.name)
    wb.properties.subject = text_clean(
        f"{document.department.name}{document.report.year}年度部门决算"
    )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def report_xlsx(document: ReportDocument) -> bytes:
    return workbook(document, document.tables, evaluations=True)


def table_xlsx(document: ReportDocument, table: FilledTable) -> bytes:
    return workbook(document, [table])
