"""Excel workbooks in the official layout, written with openpyxl from the filled tables."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..engine import EconomicTable, FilledTable, ReportData
from ..entry import atom_values, input_key, place_atom
from ..selectors import ReportDocument
from ..units import to_unit

MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"
WIDTHS = {"code": 11, "label": 26, "line": 6, "amount": 15}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF1F4")
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _put(ws: Worksheet, row: int, col: int, value, **style):
    """Writes a cell; text that looks like a formula stays text (no formula injection)."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def _grid(ws: Worksheet, rows, start: int, header: bool) -> int:
    """Places rows of spanning cells; returns the next free row."""
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
            target = _put(ws, top, left, value, border=BOX)
            if number_format:
                target.number_format = number_format
            target.alignment = Alignment(
                horizontal="center" if header else align, vertical="center", wrap_text=True
            )
            if header:
                target.font = Font(bold=True)
                target.fill = HEAD_FILL
            elif cell.level == "total" or cell.kind == "section":
                target.font = Font(bold=True)
            if bottom > top or right > left:
                ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
            col = right + 1
    return start + len(rows)


def _value(cell):
    """(value, number format, alignment) for a cell: numbers stay numbers; zero stays blank."""
    if cell.kind == "amount":
        if cell.value is None or cell.value == 0:
            return None, MONEY_FORMAT, "right"
        return cell.value, MONEY_FORMAT, "right"
    if cell.kind == "count":
        return (cell.value or None), COUNT_FORMAT, "right"
    if cell.kind in ("line", "na"):
        return cell.value, None, "center"
    if cell.kind == "head" and cell.value and str(cell.value).isdigit():
        return cell.value, None, "center"
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
        font=Font(bold=True, size=16),
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
    body_start = _grid(ws, table.header, header_start, header=True)
    end = _grid(ws, table.body, body_start, header=False)
    for note in (table.empty_note, table.note):
        if note:
            _put(ws, end, 1, note, alignment=Alignment(wrap_text=False))
            end += 1
    for i, kind in enumerate(table.column_kinds, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(kind, 15)
    ws.freeze_panes = ws.cell(row=body_start, column=1)
    ws.print_title_rows = f"{header_start}:{body_start - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def supplement_sheet(ws: Worksheet, table: FilledTable, data: ReportData, codes: list[str]):
    """A table's entry-only columns, by 项 (or economic 款): what staff fill in that the official
    sheet does not print, so the portal's workbook imports back exactly."""
    definition = table.definition
    columns = {c.key: c for c in definition.entry_columns}
    values = atom_values(data)
    _put(ws, 1, 1, f"{table.caption}（补充） {table.title}", font=Font(bold=True, size=14))
    _put(ws, 2, 1, f"本表为填报补充栏，不公开印制。金额单位：{table.unit}")
    header = ["科目编码", "科目名称", *(c.label for c in columns.values())]
    for i, label in enumerate(header, start=1):
        _put(ws, 3, i, label, font=Font(bold=True), fill=HEAD_FILL, border=BOX)
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


def workbook(
    document: ReportDocument, tables: list[FilledTable], *, supplements: list[str] | None = None
) -> bytes:
    """A workbook with a sheet per table, named 公开01表 … in the template's order. With
    `supplements` (the report's 项 codes), each table with entry-only columns is followed by its
    （补充） sheet: the staff's workbook, which imports back exactly."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        table_sheet(wb.create_sheet(title=table.caption), table)
        if supplements is not None and getattr(table.definition, "entry_columns", ()):
            supplement_sheet(
                wb.create_sheet(title=f"{table.caption}（补充）"), table, document.data, supplements
            )
    wb.properties.title = document.title
    wb.properties.creator = document.department.name
    wb.properties.subject = f"{document.department.name}{document.report.year}年度部门决算"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def report_xlsx(document: ReportDocument) -> bytes:
    return workbook(document, document.tables)


def table_xlsx(document: ReportDocument, table: FilledTable) -> bytes:
    return workbook(document, [table])
