"""Reading a workbook back into a report: what people really send, every problem with its place.

A workbook holds one sheet per table in the official layout (the portal's own download, or what
the finance office's reporting software exports with the same titles), and, from the portal, a
"（补充）" sheet for each table that has entry-only columns. Sheets are found by name or title,
columns by the 栏次 row or their labels (titles and blank rows may move), rows by code or 行次.

The cells where a fact is typed (the entry forms' inputs: a 项 row of 05's 基本支出, a （补充）
column, a 三公 item) are the facts, as they are in the entry forms; every other printed cell (a 合计
row, a 类 or 款, a 小计 column, 01 and 04) is derived from them. A sheet is the whole of its table:
a 项 it has no row for has nothing in the columns the table takes. A printed cell that no longer
matches its details (an Excel user changed a 项 and left the totals as they were) is a notice, with
both values; it never changes a fact.

Every printed value cell is an equation: its value equals the sum of its atoms (see
`entry.printed_cell_atoms`). An atom no input cell gives (the spending of other money, in a
workbook without the （补充） sheets) is solved from the equations, the finest first (a 项 row
before a total): from an equation where it is the one unknown, or at zero where the known part
already makes the value. It is taken only when every cell that tells it tells the same and the
result may stand (spending is never below zero); otherwise nothing is invented: the cells are named
and the import cannot go on.

Nothing here touches the database: `workbook_read` turns bytes into an `ImportRead`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import DecimalField
from openpyxl.utils import get_column_letter

from performance.importer import KIND_TITLES

from .engine import (
    ZERO,
    Col,
    Econ,
    EconomicTable,
    Facts,
    FilledTable,
    FormTable,
    ReportData,
    Section,
    StatementTable,
    TableDef,
    Template,
    TreeTable,
    table_fill,
)
from .entry import Atom, atom_key, input_key, place_atom, printed_cell_atoms, template_homes
from .forms import MAX_COUNT, MAX_DIGITS, parse_amount
from .models import NON_NEGATIVE_FIGURES, ClassificationCode, ReportFigures
from .plaintext import text_clean
from .units import from_unit, rounding_allowance, to_unit
from .vocab import Measure, Nature, Source
from .workbooks import (
    MAX_COLUMNS,
    MAX_ROWS,
    Deadline,
    Rows,
    WorkbookRefused,
    size_check,
    workbook_sheets,
)

SUPPLEMENT = "（补充）"


@dataclass(frozen=True)
class Problem:
    place: str  # 公开03表!D12, or a sheet, or the workbook
    message: str
    code: str
    severity: str = "error"  # error: the import cannot go on; warning: it can

    def __str__(self) -> str:
        return f"{self.place}：{self.message}" if self.place else self.message


@dataclass(frozen=True)
class Comparison:
    """A printed cell that does not equal the sum of its parts as read."""

    place: str
    label: str
    printed: Decimal
    derived: Decimal
    unit: str


@dataclass(frozen=True)
class Equation:
    """A printed value cell: its value (in 元) is the sum of its atoms."""

    atoms: tuple[Atom, ...]
    value: Decimal | int | None
    place: str  # 公开05表!D7
    label: str  # 公开05表 合计 本年支出 基本支出
    fine: bool  # the finest level: a 项 (款) row, in a column that is no sum of other columns


@dataclass
class ImportRead:
    unit: str = "元"
    atoms: dict[Atom, Decimal | None] = field(default_factory=dict)
    # Where each atom's value comes from: its cell (公开05表!D10), "由 公开03表!D10 推算", or a
    # row its sheet does not have.
    sources: dict[Atom, str] = field(default_factory=dict)
    # What an atom is, where the entry form's caption does not tell its cells apart (公开07表).
    captions: dict[Atom, str] = field(default_factory=dict)
    undetermined: set[Atom] = field(default_factory=set)  # named in problems, not read
    problems: list[Problem] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    printed: dict[tuple[str, str, str], Decimal | None] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)  # table number -> sheet title
    ignored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # tables with no sheet: read as no data

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


# ---------------------------------------------------------------------------------------------
# Opening the file


def workbook_open(content: bytes) -> dict[str, tuple[Rows, Rows]]:
    """Each sheet's (values, formulas) rows, read within the shared bounds (`workbooks`), or
    WorkbookRefused with why, in Chinese."""
    deadline = Deadline()
    values = workbook_sheets(content, deadline=deadline)
    formulas = workbook_sheets(content, formulas=True, deadline=deadline)
    return {title: (rows, formulas.get(title, [])) for title, rows in values.items()}


def text(value) -> str:
    """A cell as comparable text: full-width folded, spaces and line breaks gone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


TABLE_NUMBER = re.compile(r"公开(\d{2})表")


# ---------------------------------------------------------------------------------------------
# Reading sheets


class _Sheet:
    """One worksheet, read cell by cell with its problems collected."""

    def __init__(self, title: str, rows: list, formulas: list, read: ImportRead):
        self.title = title
        self.rows = rows
        self.formulas = formulas
        self.read = read

    def cell(self, row: int, col: int, rows: list | None = None):
        """1-based, as Excel counts."""
        rows = self.rows if rows is None else rows
        if row - 1 < len(rows) and col - 1 < len(rows[row - 1]):
            return rows[row - 1][col - 1]
        return None

    def find(self, wanted: str, rows: Iterable[int] | None = None) -> list[tuple[int, int]]:
        hits = []
        for r in rows or range(1, min(len(self.rows), 30) + 1):
            for c, value in enumerate(self.rows[r - 1] if r - 1 < len(self.rows) else [], 1):
                if text(value) == wanted:
                    hits.append((r, c))
        return hits

    def place(self, row: int, col: int) -> str:
        return f"{self.title}!{get_column_letter(col)}{row}"

    def problem(self, row: int, col: int, message: str, code: str, severity="error"):
        self.read.problems.append(Problem(self.place(row, col), message, code, severity))

    def amount(self, row: int, col: int, *, whole: bool = False, negative_ok: bool = True):
        """The value of a cell in 元 (counts as they are); None for blank; problems noted."""
        value = self.cell(row, col)
        formula = self.cell(row, col, self.formulas)
        if value is None and isinstance(formula, str) and formula.startswith("="):
            self.problem(
                row,
                col,
                "是公式但没有计算结果：请在 Excel 中打开、保存后再上传，或改为数值。",
                "formula_without_value",
            )
            return None
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise ValidationError("不是金额", code="not_a_number")
            if isinstance(value, int | float):
                number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
                if not number.is_finite() or abs(number) >= 10**MAX_DIGITS:
                    raise ValidationError("金额过大，请核对单位。", code="too_large")
                if whole:
                    if number != number.to_integral_value():
                        raise ValidationError("数量须为整数。", code="not_whole")
                    if abs(number) > MAX_COUNT:
                        raise ValidationError("数量过大。", code="too_large")
                    return int(number)
                rounded = number.quantize(Decimal("0.01"))
                if abs(number - rounded) > Decimal("0.000001"):
                    raise ValidationError(
                        "金额最多保留两位小数（到分）。", code="too_many_decimals"
                    )
                number = rounded
            else:
                raw = text(value)
                if raw in ("-", "—", "——", "/"):
                    return None
                number = parse_amount(raw, negative_ok=True, whole=whole)
                if number is None:
                    return None
                if whole:
                    return int(number)
        except (ValidationError, InvalidOperation) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else "不是金额"
            code = error.code if isinstance(error, ValidationError) else "not_a_number"
            self.problem(row, col, f"“{value}”{message}", code or "not_a_number")
            return None
        if number < 0 and not negative_ok:
            self.problem(row, col, f"“{value}”该项金额不能为负数。", "negative")
            return None
        return number


def _unit_of(sheet: _Sheet) -> str | None:
    for r in range(1, min(len(sheet.rows), 12) + 1):
        for value in sheet.rows[r - 1]:
            match = re.search(r"单位[:：](万元|元)", text(value))
            if match:
                return match.group(1)
    return None


def _header_numbers(sheet: _Sheet, numbers: list[str]) -> tuple[int, dict[str, int]] | None:
    """The row holding the columns' 栏次 and where each number stands."""
    wanted = set(numbers)
    for r in range(1, min(len(sheet.rows), 30) + 1):
        found = {}
        for c, value in enumerate(sheet.rows[r - 1], 1):
            t = text(value)
            if t in wanted and t not in found:
                found[t] = c
        if set(found) == wanted and (len(wanted) > 1 or "栏次" in map(text, sheet.rows[r - 1])):
            return r, found
    return None


def _leaf_columns(table: TableDef) -> list[Col]:
    return [
        leaf for top in table.columns for leaf in top.leaves() if leaf.kind in ("amount", "count")
    ]


def _norm_label(label: str) -> str:
    return text(label).replace("（", "(").replace("）", ")")


# ---------------------------------------------------------------------------------------------
# The sheet readers: each returns {(row key, column key): value in 元} for the printed cells and
# {(row key, column key): (row, col)} for where each stood.


Cells = dict[tuple[str, str], Decimal | int | None]
Places = dict[tuple[str, str], tuple[int, int]]


def _read_tree(sheet: _Sheet, table: TreeTable, codes: dict[str, str], year: int):
    numbered = [c for c in _leaf_columns(table)]
    found = _header_numbers(sheet, ["栏次", *(c.number for c in numbered)])
    if found is None:
        missing = "、".join(f"“{c.label}”（栏次{c.number}）" for c in numbered)
        sheet.read.problems.append(
            Problem(sheet.title, f"表头与标准格式不符：找不到栏次行及 {missing} 各列。", "header")
        )
        return {}, {}, set()
    header_row, where = found
    code_col = where["栏次"]
    cells: Cells = {}
    places: Places = {}
    items: set[str] = set()
    for r in range(header_row + 1, len(sheet.rows) + 1):
        first = text(sheet.cell(r, code_col))
        if first.startswith(("注", "说明")):
            break
        if first == "合计":
            row = "total"
        elif first.isascii() and first.isdigit() and len(first) in (3, 5, 7):
            row = first
            name = text(sheet.cell(r, code_col + 1))
            listed = codes.get(first)
            if listed is None:
                sheet.problem(
                    r, code_col, f"科目编码 {first} 不在{year}年科目表中。", "unknown_code"
                )
                continue
            if name and name != text(listed):
                sheet.read.names[("functional", first)] = str(sheet.cell(r, code_col + 1)).strip()
            if len(first) == 7:
                items.add(first)
        elif first:
            sheet.problem(r, code_col, f"“{sheet.cell(r, code_col)}”不是科目编码。", "bad_code")
            continue
        else:
            continue
        for col in numbered:
            c = where[col.number]
            cells[(row, col.key)] = sheet.amount(r, c, negative_ok=True)
            places[(row, col.key)] = (r, c)
    return cells, places, items


def _read_supplement(sheet: _Sheet, table: TreeTable | EconomicTable, codes: dict[str, str]):
    """A （补充） sheet: code, name and the entry-only columns, found by their labels; also the
    keys of the columns found (none when its header is not there)."""
    labels = {_norm_label(c.label): c for c in table.entry_columns}
    cells: Cells = {}
    places: Places = {}
    items: set[str] = set()
    for r in range(1, min(len(sheet.rows), 30) + 1):
        where = {
            labels[_norm_label(v)].key: c
            for c, v in enumerate(sheet.rows[r - 1], 1)
            if _norm_label(v) in labels
        }
        if where:
            break
    else:
        sheet.read.problems.append(
            Problem(sheet.title, "找不到补充栏的表头。", "header", "warning")
        )
        return cells, places, items, set()
    for row_number in range(r + 1, len(sheet.rows) + 1):
        code = text(sheet.cell(row_number, 1))
        if not (code.isascii() and code.isdigit()):
            continue
        if code not in codes:
            sheet.problem(row_number, 1, f"科目编码 {code} 不在科目表中。", "unknown_code")
            continue
        if len(code) == 7:
            items.add(code)
        for key, c in where.items():
            cells[(code, key)] = sheet.amount(row_number, c, negative_ok=True)
            places[(code, key)] = (row_number, c)
    return cells, places, items, set(where)


def _read_statement(sheet: _Sheet, table: StatementTable, layout: FilledTable):
    left = [c for col in table.left_columns for c in col.leaves()]
    right = [c for col in table.right_columns for c in col.leaves()]
    found = _header_numbers(sheet, [c.number for c in left + right])
    stubs = sheet.find("栏次")
    if found is None or len(stubs) < 2:
        sheet.read.problems.append(
            Problem(sheet.title, "表头与标准格式不符：找不到左右两侧的栏次。", "header")
        )
        return {}, {}
    header_row, where = found
    (_, left_label), (_, right_label) = sorted(stubs, key=lambda rc: rc[1])[:2]
    by_line = {meta.line: key for key, meta in layout.rows.items()}
    cells: Cells = {}
    places: Places = {}
    for r in range(header_row + 1, len(sheet.rows) + 1):
        for label_col, columns in ((left_label, left), (right_label, right)):
            line = text(sheet.cell(r, label_col + 1))
            key = by_line.get(line)
            if key is None:
                continue
            for col in columns:
                if (key, col.key) in layout.values:
                    c = where[col.number]
                    cells[(key, col.key)] = sheet.amount(r, c, negative_ok=True)
                    places[(key, col.key)] = (r, c)
    return cells, places


def _read_form(sheet: _Sheet, table: FormTable, layout: FilledTable):
    leaves = _leaf_columns(table)
    cells: Cells = {}
    places: Places = {}
    if table.column_numbers:
        found = _header_numbers(sheet, [c.number for c in leaves])
        if found is None:
            sheet.read.problems.append(
                Problem(sheet.title, "表头与标准格式不符：找不到栏次。", "header")
            )
            return cells, places
        header_row, where = found
        columns = {c.key: where[c.number] for c in leaves}
    else:
        # A value column is found by its label, or by the heading a section gives it (公开10表:
        # 采购金额, 统计数); the first row where it stands is where the body starts.
        stub = 2 if table.stub else 0
        hits = []
        for i, c in enumerate(leaves):
            labels = {c.label} | {
                row.heads[stub + i]
                for row in table.rows
                if isinstance(row, Section) and len(row.heads) > stub + i
            }
            hits.append(
                sorted(hit for label in labels for hit in sheet.find(_norm_label(label)))
                or sorted(hit for label in labels for hit in sheet.find(text(label)))
            )
        if not all(hits):
            sheet.read.problems.append(
                Problem(sheet.title, "表头与标准格式不符：找不到数值列。", "header")
            )
            return cells, places
        header_row = max(h[0][0] for h in hits)
        columns = {c.key: h[0][1] for c, h in zip(leaves, hits, strict=True)}
    rows = [r for r in table.rows if hasattr(r, "key")]
    if not table.stub:  # one data row under the header (公开07表)
        body = [header_row + 1]
        keyed = list(zip(rows, body, strict=False))
    else:
        line_col = (sheet.find("行次") or [(header_row, 2)])[0][1]
        by_line = {r.line: r for r in rows if r.line}
        by_label = {text(r.label): r for r in rows}
        keyed = []
        for r in range(header_row + 1, len(sheet.rows) + 1):
            row = by_line.get(text(sheet.cell(r, line_col))) or by_label.get(
                text(sheet.cell(r, line_col - 1))
            )
            if row is not None:
                keyed.append((row, r))
    for row, r in keyed:
        for col in leaves:
            if (row.key, col.key) not in layout.values:
                continue
            c = columns[col.key]
            cells[(row.key, col.key)] = sheet.amount(r, c, whole=row.kind == "count")
            places[(row.key, col.key)] = (r, c)
    return cells, places


def _read_economic(sheet: _Sheet, table: EconomicTable, codes: dict[str, str]):
    columns = [c for top in table.columns for c in top.leaves()]
    width = 2 + len(columns)
    starts = sorted(sheet.find("科目编码"), key=lambda rc: (rc[0], rc[1]))
    cells: Cells = {}
    places: Places = {}
    if not starts:
        sheet.read.problems.append(
            Problem(sheet.title, "表头与标准格式不符：找不到“科目编码”。", "header")
        )
        return cells, places
    header_row = starts[0][0]
    blocks = [c for r, c in starts if r == header_row]
    for block in blocks:
        labels = [text(sheet.cell(header_row, block + 2 + i)) for i in range(len(columns))]
        if labels != [text(c.label) for c in columns]:
            sheet.problem(
                header_row,
                block,
                "表头与标准格式不符：应为 "
                + "、".join(f"“{c.label}”" for c in columns)
                + f"，实为 {'、'.join(labels)}。",
                "header",
            )
            return {}, {}
    for r in range(header_row + 1, len(sheet.rows) + 1):
        for block in blocks:
            code = text(sheet.cell(r, block))
            if code.endswith("合计"):
                group = next((g for g in table.groups if f"{g.name}合计" == code), None)
                if group is None:
                    continue
                span = width * group.blocks - len(columns)
                for i, col in enumerate(columns):
                    c = block + span + i
                    cells[(group.total_key, col.key)] = sheet.amount(r, c)
                    places[(group.total_key, col.key)] = (r, c)
                continue
            if not (code.isascii() and code.isdigit()):
                continue
            if code not in codes:
                sheet.problem(r, block, f"经济分类科目 {code} 不在科目表中。", "unknown_code")
                continue
            name = text(sheet.cell(r, block + 1))
            if name and name != text(codes[code]):
                sheet.read.names[("economic", code)] = str(sheet.cell(r, block + 1)).strip()
            for i, col in enumerate(columns):
                c = block + 2 + i
                mark = text(sheet.cell(r, c))
                if len(mark) > 1 and set(mark) <= set("─—-"):
                    continue  # "────": basic spending cannot use this code
                cells[(code, col.key)] = sheet.amount(r, c)
                places[(code, col.key)] = (r, c)
    return cells, places


# ---------------------------------------------------------------------------------------------
# The whole workbook


def _identify(sheets: dict, template: Template, read: ImportRead) -> tuple[dict, dict]:
    """The sheet of each table (and of its （补充）), by name, else by a 公开NN表 or the title
    in its first rows; other sheets are left out and listed."""
    numbers = {t.number: t for t in template.tables}
    titles = {text(t.title): t.number for t in template.tables}
    found: dict[str, str] = {}
    supplements: dict[str, str] = {}
    for title, (rows, _) in sheets.items():
        name = text(title)
        match = TABLE_NUMBER.search(name)
        number = match.group(1) if match else None
        if number is None:
            head = [text(v) for row in rows[:8] for v in row]
            number = next(
                (TABLE_NUMBER.search(v).group(1) for v in head if TABLE_NUMBER.search(v)), None
            ) or next((titles[v] for v in head if v in titles), None)
        if number not in numbers:
            if rows and rows[0] and text(rows[0][0]) in KIND_TITLES:
                read.problems.append(
                    Problem(
                        title,
                        "这是绩效自评表，本页不导入：请在“绩效自评”页上传同一工作簿。",
                        "evaluation_sheet",
                        "warning",
                    )
                )
            else:
                read.ignored.append(title)
            continue
        target = supplements if "补充" in name else found
        if number in target:
            read.problems.append(
                Problem(title, f"与工作表“{target[number]}”重复，已忽略。", "duplicate", "warning")
            )
            continue
        target[number] = title
    return found, supplements


def workbook_read(content: bytes, *, template: Template, data: ReportData) -> ImportRead:
    """Reads a workbook into the report's atoms, in 元. `data` gives the year's code lists.

    Raises WorkbookRefused for a file that is not a readable workbook at all; every other problem
    (a cell, a sheet, a figure that cannot be told) is in `ImportRead.problems` with its place.
    """
    workbook = workbook_open(content)
    read = ImportRead()
    sheets, supplements = _identify(workbook, template, read)
    if not sheets:
        raise WorkbookRefused(
            "工作簿中找不到任何一张公开表（工作表名或标题应为“公开01表”等）。", "no_tables"
        )
    units = {number: _unit_of(_Sheet(t, *workbook[t], read)) for number, t in sheets.items()}
    found_units = {u for u in units.values() if u}
    if len(found_units) > 1:
        read.problems.append(
            Problem("", f"各表金额单位不一致（{'、'.join(sorted(found_units))}）。", "mixed_units")
        )
    read.unit = found_units.pop() if len(found_units) == 1 else "元"
    functional = {c.code: c.name for c in data.functional_codes}
    economic = {c.code: c.name for c in data.economic_codes}

    items: set[str] = set()
    supplement_read: dict[str, tuple[Cells, Places, _Sheet, set[str]]] = {}
    tables_read: dict[str, tuple[TableDef, Cells, Places, _Sheet]] = {}
    empty = ReportData(
        data.department, data.year, data.unit, data.functional_codes, data.economic_codes
    )
    for table in template.tables:
        title = sheets.get(table.number)
        if title is None:
            read.missing.append(table.number)
            continue
        read.sheets[table.number] = title
        sheet = _Sheet(title, *workbook[title], read)
        if isinstance(table, TreeTable):
            cells, places, found = _read_tree(sheet, table, functional, data.year)
            items |= found
        elif isinstance(table, EconomicTable):
            cells, places = _read_economic(sheet, table, economic)
        elif isinstance(table, StatementTable):
            cells, places = _read_statement(sheet, table, table_fill(table, empty))
        else:
            cells, places = _read_form(sheet, table, table_fill(table, empty))
        tables_read[table.number] = (table, cells, places, sheet)
        supplement = supplements.get(table.number)
        if supplement is not None and getattr(table, "entry_columns", ()):
            codes = economic if isinstance(table, EconomicTable) else functional
            sup = _Sheet(supplement, *workbook[supplement], read)
            s_cells, s_places, found, columns = _read_supplement(sup, table, codes)
            items |= found
            supplement_read[table.number] = (s_cells, s_places, sup, columns)

    def in_yuan(value):
        """Amounts read in the workbook's unit, in 元; counts stay counts."""
        return value if value is None or isinstance(value, int) else from_unit(value, read.unit)

    # Equations: every printed value cell is the sum of its atoms.
    equations: list[Equation] = []
    for table, cells, places, sheet in tables_read.values():
        atoms_of = printed_cell_atoms(table, data, items)
        layout = table_fill(table, empty)
        labels: dict[str, str] = {}
        finest, fine_columns = _fine_columns(table)
        for (row, col), value in cells.items():
            atoms = atoms_of.get((row, col))
            if atoms is None:
                continue
            r, c = places[(row, col)]
            equations.append(
                Equation(
                    tuple(sorted(atoms)),
                    in_yuan(value),
                    sheet.place(r, c),
                    _cell_label(table, layout, row, col, labels),
                    col in fine_columns and len(row) == finest and row.isdigit(),
                )
            )

    # Facts: what the input cells give, each from its place.
    given: dict[Atom, Decimal | int | None] = {}

    def give(atom: Atom, value, place: str) -> None:
        given[atom] = value
        read.sources[atom] = place
        if value is not None and value < 0 and not may_be_negative(atom):
            read.problems.append(
                Problem(place, f"“{_amount(value, read.unit)}”该项金额不能为负数。", "negative")
            )

    for number, (table, cells, places, sheet) in tables_read.items():
        for (row, col), value in cells.items():
            read.printed[(number, row, col)] = value
            atom = _input_atom(table, row, col)
            if atom is not None:
                give(atom, in_yuan(value), sheet.place(*places[(row, col)]))
                if isinstance(table, FormTable) and not table.stub:
                    read.captions[atom] = f"公开{table.number}表「{_column_label(table, col)}」"
    for number, (cells, places, sheet, _columns) in supplement_read.items():
        columns = {c.key: c for c in tables_read[number][0].entry_columns}
        for (code, col), value in cells.items():
            key = input_key(columns[col], columns)
            if key is not None:
                give(place_atom(key, code), in_yuan(value), sheet.place(*places[(code, col)]))
    # A sheet is the whole of its table: a 项 (款) it has no row for has nothing in its columns.
    by_key: dict = defaultdict(list)
    for atom in {a for eq in equations for a in eq.atoms}:
        key, code = atom_key(atom)
        by_key[key].append((atom, code))
    for table, cells, _places, sheet in tables_read.values():
        if isinstance(table, TreeTable | EconomicTable) and cells:
            leaves = {c.key: c for top in table.columns for c in top.leaves()}
            keys = {input_key(c, leaves) for c in leaves.values()} - {None}
            _absent_rows(by_key, keys, sheet.title, given, read)
    for number, (_cells, _places, sheet, found) in supplement_read.items():
        columns = {c.key: c for c in tables_read[number][0].entry_columns}
        keys = {input_key(columns[k], columns) for k in found} - {None}
        _absent_rows(by_key, keys, sheet.title, given, read)

    for number in read.missing:
        read.problems.append(
            Problem(
                "", f"工作簿中没有公开{number}表，按本表无数据处理。", "missing_sheet", "warning"
            )
        )
    read.atoms = _solve(given, equations, read, template)
    return read


def may_be_negative(atom: Atom) -> bool:
    """Only balances (年初、年末结转和结余) and 结余分配 may be below zero."""
    if atom[0] == "fact":
        return atom[1] in (Measure.OPENING, Measure.CLOSING)
    if atom[0] == "figure":
        field_ = ReportFigures._meta.get_field(atom[1])
        return isinstance(field_, DecimalField) and atom[1] not in NON_NEGATIVE_FIGURES
    return False


def _amount(value: Decimal | int, unit: str) -> str:
    """An amount kept in 元 as the workbook prints it (counts as they are), for a message."""
    if isinstance(value, int):
        return str(value)
    return f"{to_unit(value, unit):,.2f}"


def _absent_rows(by_key: dict, keys: set, where: str, given: dict, read: ImportRead) -> None:
    """The atoms of `keys` (`by_key`: key -> [(atom, code)]) at the codes a sheet has no row
    for: blank, as the sheet says."""
    for key in keys:
        for atom, code in by_key.get(key, ()):
            if atom not in given:
                given[atom] = None
                read.sources[atom] = f"{where}中没有 {code} 行"


def _column_label(table: TableDef, key: str) -> str:
    """A column as staff read it, under its headings: "预算数 公务用车购置及运行维护费 小计"."""

    def walk(columns, above: tuple[str, ...]) -> str | None:
        for col in columns:
            if col.children:
                found = walk(col.children, (*above, col.label))
                if found:
                    return found
            elif col.key == key:
                return " ".join((*above, col.label))
        return None

    return walk(getattr(table, "columns", ()), ()) or key


def _cell_label(table: TableDef, layout: FilledTable, row: str, col: str, labels: dict) -> str:
    """A printed cell as staff read it: "公开05表 合计 本年支出 小计" (`labels` keeps the
    columns' labels between the cells of a table)."""
    if isinstance(table, StatementTable):
        column = layout.column_for(row, col)
        what = column.label if column else col
    else:
        if col not in labels:
            labels[col] = _column_label(table, col)
        what = labels[col]
    if isinstance(table, FormTable) and not table.stub:
        return f"公开{table.number}表 {what}"
    row_label = "合计" if row == "total" else layout.row_label(row)
    return f"公开{table.number}表 {row_label} {what}"


def _fine_columns(table: TableDef) -> tuple[int, set[str]]:
    """What the finest level of a table is: the length of its finest codes (项 7, 款 5) and its
    columns of facts (not sums of other columns); none for the other tables."""
    if isinstance(table, TreeTable | EconomicTable):
        leaves = [c for top in table.columns for c in top.leaves()]
        finest = 7 if isinstance(table, TreeTable) else 5
        return finest, {c.key for c in leaves if isinstance(c.value, Facts | Econ)}
    return 0, set()


def _input_atom(table: TableDef, row: str, col: str) -> Atom | None:
    """The one atom a printed cell holds alone, if it is an input cell."""
    if isinstance(table, TreeTable):
        leaves = {c.key: c for top in table.columns for c in top.leaves()}
        key = input_key(leaves[col], leaves) if col in leaves else None
        return place_atom(key, row) if key is not None and len(row) == 7 else None
    if isinstance(table, EconomicTable):
        leaves = {c.key: c for top in table.columns for c in top.leaves()}
        key = input_key(leaves[col], leaves) if col in leaves else None
        return place_atom(key, row) if key is not None and len(row) == 5 else None
    if isinstance(table, FormTable):
        for r in table.rows:
            if getattr(r, "key", None) == row:
                expr = r.values.get(col) or next(
                    (c.value for top in table.columns for c in top.leaves() if c.key == col), None
                )
                if expr is not None and type(expr).__name__ == "Figure":
                    return ("figure", expr.name)
        return None
    if isinstance(table, StatementTable):
        for line in (*table.left, *table.left_tail, *table.right_tail):
            if line.key == row and type(line.values.get(col)).__name__ == "Figure":
                return ("figure", line.values[col].name)
    return None


def _solve(
    given: dict, equations: list[Equation], read: ImportRead, template: Template
) -> dict[Atom, Decimal | int | None]:
    """Fills the atoms no input cell gave from the equations, finest first; names the cells of
    what cannot be told without contradiction, and every printed cell that does not add up."""
    known: dict[Atom, Decimal | int | None] = dict(given)
    solved: dict[Atom, Equation] = {}
    failed = read.undetermined
    homes = template_homes(template, ())

    def part(atoms) -> Decimal:
        return sum((Decimal(known[a] or 0) for a in atoms if a in known), ZERO)

    def allowance(roundings: int) -> Decimal:
        return from_unit(rounding_allowance(read.unit, roundings), read.unit)

    def step(fine: bool) -> bool:
        """Every equation of one level read at once. An atom is taken when all that tell it
        agree and every equation of the level it completes adds up; otherwise it is a problem
        at their cells."""
        found: dict[Atom, list[tuple[Decimal, Equation]]] = defaultdict(list)
        pending: list[tuple[Equation, list[Atom]]] = []
        for eq in equations:
            if eq.fine is not fine:
                continue
            missing = [a for a in eq.atoms if a not in known]
            if not missing or any(a in failed for a in missing):
                continue
            pending.append((eq, missing))
            rest = Decimal(eq.value or 0) - part(eq.atoms)
            if len(missing) == 1:
                found[missing[0]].append((rest, eq))
            elif rest == 0:
                for atom in missing:
                    found[atom].append((ZERO, eq))
        decided: dict[Atom, tuple[Decimal, Equation]] = {}
        for atom, told in found.items():
            values = [value for value, _ in told]
            if max(values) - min(values) > allowance(2 * max(len(eq.atoms) for _, eq in told)):
                failed.add(atom)
                read.problems.append(_disagreement(atom, told, read.unit))
            else:
                decided[atom] = min(told, key=lambda t: len(t[1].atoms))
        # An equation of nothing but atoms decided at once must add up with them: zeros read
        # from one total while another, of the same atoms alone, says otherwise tell nothing.
        # (One that also holds facts given by input cells may be a total left as it was.)
        for eq, missing in pending:
            if len(missing) < len(eq.atoms) or not all(a in decided for a in missing):
                continue
            derived = sum((decided[a][0] for a in missing), ZERO)
            if abs(Decimal(eq.value or 0) - derived) <= allowance(len(eq.atoms) + 1):
                continue
            atoms = [a for a in missing if a not in failed]
            if atoms:
                read.problems.append(_contradiction(eq, atoms, decided, derived, read.unit))
            # What the same readings decided falls with them.
            readings = {decided[a][1] for a in missing}
            failed.update(a for a, (_value, by) in decided.items() if by in readings)
            failed.update(missing)
        for atom, (value, eq) in decided.items():
            if atom not in failed:
                known[atom] = value
                solved[atom] = eq
                read.sources[atom] = f"由 {eq.place} 推算"
        return bool(found)

    while step(True) or step(False):
        pass

    # A solved figure must be one that can stand: spending is never below zero.
    for atom, eq in solved.items():
        value = known[atom]
        if value is None or value >= 0 or may_be_negative(atom):
            continue
        if -value <= allowance(len(eq.atoms) + 1):
            known[atom] = ZERO  # a cent of rounding in a 万元 document
            continue
        failed.add(atom)
        del known[atom]
        read.problems.append(
            Problem(
                eq.place,
                f"无法确定 {atom_label(atom)}：按本格推算为 "
                f"{_amount(value, read.unit)} {read.unit}，而该项金额不能为负数——"
                "本格或它的明细中必有一处没有随其他数改过来。"
                f"{_where_typed(atom, template, homes)}",
                "undetermined",
            )
        )

    left = {a for eq in equations for a in eq.atoms} - set(known) - failed
    containing: dict[Atom, list[Equation]] = defaultdict(list)
    for eq in equations if left else ():
        for atom in left.intersection(eq.atoms):
            containing[atom].append(eq)
    for atom in sorted(left):
        failed.add(atom)
        cells = sorted(containing[atom], key=lambda e: (not e.fine, len(e.atoms)))
        places = "、".join(eq.place for eq in cells[:3]) + (" 等" if len(cells) > 3 else "")
        read.problems.append(
            Problem(
                places,
                f"无法从工作簿确定 {atom_label(atom)}：没有单独印制它的格，这些格只印出它"
                f"与其他数之和，分不出它是多少。{_where_typed(atom, template, homes)}",
                "undetermined",
            )
        )

    # Every printed cell against the sum of its atoms as read: a total left as it was is shown.
    for eq in equations:
        if any(a in failed for a in eq.atoms):
            continue
        if len(eq.atoms) == 1 and read.sources.get(eq.atoms[0]) == eq.place:
            continue  # the input cell itself
        derived = sum((Decimal(known.get(a) or 0) for a in eq.atoms), ZERO)
        printed = Decimal(eq.value or 0)
        terms = sum(1 for a in eq.atoms if known.get(a))
        if abs(printed - derived) > allowance(terms + 1 if terms > 1 else 0):
            read.comparisons.append(
                Comparison(
                    eq.place,
                    eq.label,
                    to_unit(printed, read.unit),
                    to_unit(derived, read.unit),
                    read.unit,
                )
            )
    return {a: (v if v is None or isinstance(v, int) else Decimal(v)) for a, v in known.items()}


def _disagreement(atom: Atom, told: list[tuple[Decimal, Equation]], unit: str) -> Problem:
    places = list(dict.fromkeys(eq.place for _, eq in told))
    readings = "，".join(
        f"按 {eq.place} 为 {_amount(value, unit)} {unit}" for value, eq in told[:4]
    )
    return Problem(
        "、".join(places),
        f"无法确定 {atom_label(atom)}：各格推算的结果不一致（{readings}），"
        "其中必有印制数没有随明细改过来。请核对这些格后重新上传。",
        "undetermined",
    )


def _contradiction(
    eq: Equation, atoms: list[Atom], decided: dict, derived: Decimal, unit: str
) -> Problem:
    """Atoms decided from some cells that leave another cell not adding up."""
    sources = list(dict.fromkeys(decided[a][1].place for a in atoms))
    what = "、".join(atom_label(a) for a in atoms[:3]) + (
        f" 等 {len(atoms)} 项" if len(atoms) > 3 else ""
    )
    return Problem(
        "、".join([*sources, eq.place]),
        f"无法确定 {what}：按 {'、'.join(sources)} 推算，{eq.place} 应为 "
        f"{_amount(derived, unit)} {unit}，而它印制的是 {_amount(Decimal(eq.value or 0), unit)} "
        f"{unit}，其中必有印制数没有随明细改过来。请核对这些格后重新上传。",
        "undetermined",
    )


def _where_typed(atom: Atom, template: Template, homes: dict) -> str:
    """Where staff type an atom: the sheet and column of the portal's own workbook."""
    key, _code = atom_key(atom)
    home = homes.get(key)
    if home is None:
        return "请使用本系统导出的工作簿填写后上传。"
    table = next((t for t in template.tables if t.number == home.form), None)
    entry = {c.key: c for c in getattr(table, "entry_columns", ())}
    if home.column in entry:
        return (
            f"请使用本系统导出的工作簿，在“公开{home.form}表{SUPPLEMENT}”工作表的"
            f"「{entry[home.column].label}」列填写后上传。"
        )
    return f"请在{home.label}填写后上传。"


def atom_label(atom: Atom) -> str:
    """An atom as staff read it: "2012901 一般公共预算财政拨款 年末结转和结余"."""
    if atom[0] == "fact":
        _, measure, code, source, nature = atom
        what = f"{Source(source).label} {Measure(measure).label}"
        return f"{code} {what}（{Nature(nature).label}）" if nature else f"{code} {what}"
    if atom[0] == "econ":
        return f"经济分类 {atom[1]} {Nature(atom[2]).label}"
    return f"单项数据 {atom[1]}"


# ---------------------------------------------------------------------------------------------
# A year's code list


@dataclass
class CodeListRead:
    entries: list[dict] = field(default_factory=list)  # {code, name, level}
    problems: list[Problem] = field(default_factory=list)


LEVELS = {"functional": {3: "类", 5: "款", 7: "项"}, "economic": {3: "类", 5: "款"}}
NAME_MAX = ClassificationCode._meta.get_field("name").max_length


def code_list_read(content: bytes, filename: str, *, kind: str) -> CodeListRead:
    """A year's list from a spreadsheet (.xlsx, or .csv in UTF-8 or GBK): a 编码 column and a 名称
    column under a header row; the level follows from the code's length. Raises WorkbookRefused
    for a file that cannot be read."""
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                decoded = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise WorkbookRefused("CSV 文件的编码无法识别，请保存为 UTF-8。", "encoding")
        rows = []
        for row in csv.reader(io.StringIO(decoded)):
            if len(rows) == MAX_ROWS:
                raise WorkbookRefused(f"CSV 文件超过 {MAX_ROWS:,} 行的上限。", "too_many_rows")
            rows.append([text_clean(v) for v in row[:MAX_COLUMNS]])
        title = filename
    else:
        size_check(len(content))
        title, rows = next(iter(workbook_sheets(content).items()))
    read = CodeListRead()
    header = None
    for r, row in enumerate(rows[:20]):
        cells = [text(v) for v in row]
        code_col = next((i for i, v in enumerate(cells) if v in ("科目编码", "编码", "代码")), None)
        name_col = next((i for i, v in enumerate(cells) if v in ("科目名称", "名称")), None)
        if code_col is not None and name_col is not None:
            header = (r, code_col, name_col)
            break
    if header is None:
        raise WorkbookRefused("找不到表头：第一张工作表应有“科目编码”和“科目名称”两列。", "header")
    start, code_col, name_col = header
    seen: set[str] = set()
    for r in range(start + 1, len(rows)):
        row = rows[r]
        raw = row[code_col] if code_col < len(row) else None
        name = str(row[name_col]).strip() if name_col < len(row) and row[name_col] else ""
        code = text(raw)
        if not code and not name:
            continue
        place = f"{title}!{get_column_letter(code_col + 1)}{r + 1}"
        if not (code.isascii() and code.isdigit()):
            read.problems.append(Problem(place, f"“{raw}”不是科目编码：只能是数字。", "not_digits"))
            continue
        level = LEVELS[kind].get(len(code))
        if level is None:
            lengths = "、".join(str(n) for n in LEVELS[kind])
            read.problems.append(
                Problem(place, f"编码 {code} 的位数不对：应为 {lengths} 位。", "bad_length")
            )
            continue
        if not name:
            read.problems.append(Problem(place, f"编码 {code} 没有名称。", "no_name"))
            continue
        if len(name) > NAME_MAX:
            read.problems.append(
                Problem(
                    place,
                    f"编码 {code} 的名称有 {len(name)} 个字，超过 {NAME_MAX} 字的上限。",
                    "name_too_long",
                )
            )
            continue
        if code in seen:
            read.problems.append(Problem(place, f"编码 {code} 重复。", "duplicate"))
            continue
        seen.add(code)
        read.entries.append({"code": code, "name": name, "level": level})
    parents = {e["code"] for e in read.entries}
    for entry in read.entries:
        parent = entry["code"][:-2]
        if len(entry["code"]) > 3 and parent not in parents:
            read.problems.append(
                Problem(
                    title,
                    f"编码 {entry['code']} 的上级 {parent} 不在表中。",
                    "no_parent",
                    "warning",
                )
            )
    return read
