"""The table engine: one definition language, one fill function, one filled-table shape.

A definition (see `tables.py`) says what a table's rows and columns are and where each value
comes from: a sum over facts, a scalar item, or a sum of other cells. `table_fill` turns a
definition and a report's facts (`ReportData`) into a `FilledTable`: the logical values keyed by
(row, column), and the printed grid (header rows with spans, body rows of cells) that the HTML,
PDF and Excel renderers format without adding anything up.

Nothing here touches the database, so the arithmetic is tested on plain data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .vocab import FUNCTIONAL_LEVEL_BY_LENGTH, CodeLevel

ZERO = Decimal("0.00")
NO_DATA_NOTE = "说明：本表无数据"

Value = Decimal | int | None


# ---------------------------------------------------------------------------------------------
# The facts a table is filled from


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    level: str
    group: str = ""
    basic_applicable: bool = True


@dataclass(frozen=True)
class FactRow:
    measure: str
    code: str
    source: str
    nature: str
    amount: Decimal


@dataclass(frozen=True)
class EconomicRow:
    code: str
    nature: str
    amount: Decimal


@dataclass
class ReportData:
    """Everything the engine and the checks need about one report, with no database behind it."""

    department: str
    year: int
    unit: str = "元"
    functional_codes: list[Code] = field(default_factory=list)
    economic_codes: list[Code] = field(default_factory=list)
    facts: list[FactRow] = field(default_factory=list)
    economic_facts: list[EconomicRow] = field(default_factory=list)
    figures: dict[str, Value] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)

    def functional_name(self, code: str) -> str | None:
        return self._functional_index.get(code)

    @cached_property
    def _functional_index(self) -> dict[str, str]:
        return {c.code: c.name for c in self.functional_codes}


# ---------------------------------------------------------------------------------------------
# The definition language


@dataclass(frozen=True)
class Facts:
    """The sum of the functional facts of a measure, optionally limited by source and nature."""

    measure: str
    sources: tuple[str, ...] = ()
    natures: tuple[str, ...] = ()

    def matches(self, fact: FactRow) -> bool:
        return (
            fact.measure == self.measure
            and (not self.sources or fact.source in self.sources)
            and (not self.natures or fact.nature in self.natures)
        )


@dataclass(frozen=True)
class Figure:
    """A scalar item of the report (`ReportFigures` field)."""

    name: str


@dataclass(frozen=True)
class Cols:
    """The sum of other columns of the same row."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Lines:
    """The sum of other rows (by key) in the same column."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """The sum of the rows tagged with a group, in the same column."""

    name: str


Expr = Facts | Figure | Cols | Lines | Group


@dataclass(frozen=True)
class Col:
    """A column; a header node when it has children. `number` is its 栏次."""

    key: str
    label: str
    children: tuple[Col, ...] = ()
    number: str = ""
    kind: str = "amount"  # amount | count | label | code | line
    value: Expr | None = None
    check: str = "sum.columns"  # the finding code when a derived column does not add up

    def leaves(self) -> list[Col]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


@dataclass(frozen=True)
class TreeTable:
    """Rows are 合计 then 类/款/项 of the functional classification, as the facts have them."""

    number: str
    title: str
    columns: tuple[Col, ...]
    note: str = ""
    unit_label: str = "金额单位"
    landscape: bool = False  # printed on a landscape page

    kind = "tree"


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    values: dict[str, Expr] = field(default_factory=dict)
    group: str = ""


BLANK = Line("", "")


@dataclass(frozen=True)
class CategoryLines:
    """One line per functional 类 of the year's list, each value limited to that 类's codes."""

    key_prefix: str
    values: dict[str, Expr]
    group: str = "categories"


@dataclass(frozen=True)
class StatementTable:
    """Two sides (收入 | 支出) printed next to each other, with 行次 running down both."""

    number: str
    title: str
    left_title: str
    right_title: str
    left_columns: tuple[Col, ...]
    right_columns: tuple[Col, ...]
    left: tuple[Line, ...]
    left_tail: tuple[Line, ...]
    right: CategoryLines
    right_tail: tuple[Line, ...]
    balance: tuple[tuple[str, str], tuple[str, str]]  # (row, col) of 收入总计 and 支出总计
    note: str = ""
    unit_label: str = "金额单位"
    landscape: bool = False

    kind = "statement"


@dataclass(frozen=True)
class Section:
    label: str


@dataclass(frozen=True)
class FormRow:
    key: str
    label: str
    line: str = ""
    values: dict[str, Expr] = field(default_factory=dict)
    kind: str = "amount"


@dataclass(frozen=True)
class FormTable:
    """Fixed rows of scalar items (公开07表, 公开10表)."""

    number: str
    title: str
    columns: tuple[Col, ...]
    rows: tuple[FormRow | Section, ...]
    stub: bool = True  # print 项目 and 行次 columns
    note: str = ""
    unit_label: str = "金额单位"
    column_numbers: bool = True
    landscape: bool = False

    kind = "form"


@dataclass(frozen=True)
class EconomicTable:
    """The economic classification in groups, each group flowed over side-by-side blocks."""

    number: str
    title: str
    groups: tuple[tuple[str, int], ...]  # (group, number of blocks)
    note: str = ""
    unit_label: str = "金额单位"
    landscape: bool = False

    kind = "economic"


TableDef = TreeTable | StatementTable | FormTable | EconomicTable


# ---------------------------------------------------------------------------------------------
# The filled table


@dataclass
class Cell:
    value: Decimal | int | str | None = None
    kind: str = "text"  # text | label | code | line | amount | count | na | head | section
    colspan: int = 1
    rowspan: int = 1
    ref: tuple[str, str] | None = None  # (row key, column key) for value cells
    derived: bool = False
    level: str = ""  # 类/款/项 for classification rows, "total" for 合计 rows


@dataclass
class RowMeta:
    key: str
    label: str
    code: str = ""
    level: str = ""
    parent: str | None = None
    line: str = ""


@dataclass
class FilledTable:
    definition: TableDef
    department: str
    year: int
    unit: str
    header: list[list[Cell]]
    body: list[list[Cell]]
    values: dict[tuple[str, str], Value]
    rows: dict[str, RowMeta]
    columns: dict[str, Col]
    derived: set[tuple[str, str]]
    empty: bool
    empty_note: str = ""
    # Where one key names different columns on different rows (the two sides of 01 and 04).
    row_columns: dict[str, dict[str, Col]] = field(default_factory=dict)

    def column_for(self, row: str, col: str) -> Col | None:
        return self.row_columns.get(row, {}).get(col) or self.columns.get(col)

    @property
    def number(self) -> str:
        return self.definition.number

    @property
    def caption(self) -> str:
        return f"公开{self.definition.number}表"

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def note(self) -> str:
        return self.definition.note

    def value(self, row: str, col: str) -> Value:
        return self.values.get((row, col))

    @property
    def column_kinds(self) -> list[str]:
        """The kind of each printed column (label, code, line, amount…), for column widths."""
        width = max((sum(c.colspan for c in row) for row in self.body), default=0)
        for row in self.body:
            if len(row) == width and all(c.kind not in ("text", "section") for c in row):
                return ["amount" if c.kind in ("na", "count") else c.kind for c in row]
        return ["amount"] * width

    def amount(self, row: str, col: str) -> Decimal:
        """The value as money, blank and missing counting as zero (for comparisons)."""
        value = self.values.get((row, col))
        return Decimal(value) if value is not None else ZERO

    def column_label(self, key: str) -> str:
        col = self.columns.get(key)
        return col.label if col else key

    def row_label(self, key: str) -> str:
        meta = self.rows.get(key)
        if meta is None:
            return key
        return meta.code or meta.label or meta.line or key


# ---------------------------------------------------------------------------------------------
# Filling


def _money_sum(values: Iterable[Value]) -> Value:
    """Adds cell values; blank (None) only when every part is blank (an undisclosed item)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, int) for v in present):
        return sum(present)  # counts (vehicles, equipment) stay whole numbers
    return sum((Decimal(v) for v in present), ZERO)


class _Evaluator:
    """Evaluates expressions for one table, with memory, so any cell may refer to any other."""

    def __init__(self, data: ReportData, facts: Sequence[FactRow] | None = None):
        self.data = data
        self.facts = data.facts if facts is None else facts
        self.cells: dict[tuple[str, str], Expr] = {}
        self.groups: dict[str, list[str]] = defaultdict(list)
        self.prefix: dict[str, str] = {}  # row key -> functional code prefix
        self.memo: dict[tuple[str, str], Value] = {}

    def define(self, row: str, col: str, expr: Expr) -> None:
        self.cells[(row, col)] = expr

    def get(self, row: str, col: str) -> Value:
        key = (row, col)
        if key not in self.memo:
            expr = self.cells.get(key)
            self.memo[key] = None if expr is None else self._eval(row, col, expr)
        return self.memo[key]

    def _eval(self, row: str, col: str, expr: Expr) -> Value:
        if isinstance(expr, Facts):
            prefix = self.prefix.get(row, "")
            return sum(
                (f.amount for f in self.facts if expr.matches(f) and f.code.startswith(prefix)),
                ZERO,
            )
        if isinstance(expr, Figure):
            return self.data.figures.get(expr.name)
        if isinstance(expr, Cols):
            return _money_sum(self.get(row, k) for k in expr.keys)
        if isinstance(expr, Lines):
            return _money_sum(self.get(k, col) for k in expr.keys)
        if isinstance(expr, Group):
            return _money_sum(self.get(k, col) for k in self.groups[expr.name])
        raise TypeError(f"unknown expression {expr!r}")


def header_rows(columns: Sequence[Col], numbers: bool) -> list[list[Cell]]:
    """Header rows with colspan/rowspan from a column tree, then the 栏次 row if wanted."""

    def depth(col: Col) -> int:
        return 1 + max((depth(c) for c in col.children), default=0)

    total = max(depth(c) for c in columns)
    rows: list[list[Cell]] = [[] for _ in range(total)]

    def place(col: Col, level: int) -> None:
        if col.children:
            rows[level].append(Cell(col.label, "head", colspan=len(col.leaves())))
            for child in col.children:
                place(child, level + 1)
        else:
            rows[level].append(Cell(col.label, "head", rowspan=total - level))

    for col in columns:
        place(col, 0)
    if numbers:
        row: list[Cell] = []
        for leaf in (leaf for col in columns for leaf in col.leaves()):
            if leaf.kind in ("amount", "count"):
                row.append(Cell(leaf.number, "head"))
            elif row and row[-1].value == "栏次":
                row[-1].colspan += 1
            else:
                row.append(Cell("栏次", "head"))
        rows.append(row)
    return rows


def _leaf_columns(columns: Sequence[Col]) -> dict[str, Col]:
    return {leaf.key: leaf for col in columns for leaf in col.leaves()}


def _is_empty(values: dict[tuple[str, str], Value]) -> bool:
    return all(v is None or v == 0 for v in values.values())


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else digits[tens] + "十"
    return head + (digits[ones] if ones else "")


def _fill_tree(table: TreeTable, data: ReportData) -> FilledTable:
    leaves = _leaf_columns(table.columns)
    value_cols = [c for c in leaves.values() if c.kind == "amount"]
    fact_cols = [c for c in value_cols if isinstance(c.value, Facts)]
    # The 项 codes with a non-zero figure in this table, and their parents.
    by_item: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for fact in data.facts:
        for col in fact_cols:
            if col.value.matches(fact):  # type: ignore[union-attr]
                by_item[fact.code][col.key] += fact.amount
    items = sorted(code for code, cols in by_item.items() if any(cols.values()))
    codes = sorted({c[:n] for c in items for n in (3, 5, 7) if len(c) >= n})

    rows: dict[str, RowMeta] = {"total": RowMeta("total", "合计", level="total")}
    for code in codes:
        parent = "total" if len(code) == 3 else code[: len(code) - 2]
        level = FUNCTIONAL_LEVEL_BY_LENGTH.get(len(code), "")
        rows[code] = RowMeta(code, data.functional_name(code) or "", code, level, parent)

    values: dict[tuple[str, str], Value] = {}
    derived: set[tuple[str, str]] = set()

    def leaf_value(row: str, col: Col) -> Value:
        if isinstance(col.value, Cols):
            return _money_sum(leaf_value(row, leaves[k]) for k in col.value.keys)
        if row in by_item:
            return by_item[row][col.key]
        # 类, 款 and 合计 rows: the sum of the 项 rows below them.
        prefix = "" if row == "total" else row
        return sum((by_item[c][col.key] for c in items if c.startswith(prefix)), ZERO)

    for row in rows:
        for col in value_cols:
            values[(row, col.key)] = leaf_value(row, col)
            if row not in by_item or not isinstance(col.value, Facts):
                derived.add((row, col.key))

    body = []
    for key, meta in rows.items():
        if key == "total":
            cells = [Cell("合计", "label", colspan=2, level="total")]
        else:
            cells = [
                Cell(meta.code, "code", level=meta.level),
                Cell(meta.label, "label"),
            ]
        for col in value_cols:
            cells.append(
                Cell(
                    values[(key, col.key)],
                    "amount",
                    ref=(key, col.key),
                    derived=(key, col.key) in derived,
                    level=meta.level,
                )
            )
        body.append(cells)
    empty = _is_empty(values)
    if empty:
        body.append([Cell(None, "text") for _ in range(2 + len(value_cols))])
    return FilledTable(
        definition=table,
        department=data.department,
        year=data.year,
        unit=data.unit,
        header=header_rows(table.columns, numbers=True),
        body=body,
        values=values,
        rows=rows,
        columns=leaves,
        derived=derived,
        empty=empty,
        empty_note=NO_DATA_NOTE if empty else "",
    )


def _fill_statement(table: StatementTable, data: ReportData) -> FilledTable:
    ev = _Evaluator(data)
    categories = [c for c in data.functional_codes if c.level == CodeLevel.CATEGORY]
    right_items = [
        Line(
            f"{table.right.key_prefix}.{c.code}",
            f"{_chinese_number(i)}、{c.name}",
            dict(table.right.values),
            table.right.group,
        )
        for i, c in enumerate(categories, start=1)
    ]
    for line in right_items:
        ev.prefix[line.key] = line.key.split(".", 1)[1]
    padding = max(0, len(right_items) - len(table.left))
    left_lines = [*table.left, *([BLANK] * padding), *table.left_tail]
    right_lines = [*right_items, *table.right_tail]
    width = max(len(left_lines), len(right_lines))
    left_lines += [BLANK] * (width - len(left_lines))
    right_lines += [BLANK] * (width - len(right_lines))

    rows: dict[str, RowMeta] = {}
    row_columns: dict[str, dict[str, Col]] = {}
    sides = [(line, table.left_columns) for line in left_lines]
    sides += [(line, table.right_columns) for line in right_lines]
    for number, (line, side_columns) in enumerate(sides, start=1):
        if line.key:
            rows[line.key] = RowMeta(line.key, line.label, line=str(number))
            row_columns[line.key] = {c.key: c for col in side_columns for c in col.leaves()}
            if line.group:
                ev.groups[line.group].append(line.key)
            for col, expr in line.values.items():
                ev.define(line.key, col, expr)

    left_cols = [c for col in table.left_columns for c in col.leaves()]
    right_cols = [c for col in table.right_columns for c in col.leaves()]
    values: dict[tuple[str, str], Value] = {}
    derived: set[tuple[str, str]] = set()
    for key, col in ev.cells:
        values[(key, col)] = ev.get(key, col)
        if not isinstance(ev.cells[(key, col)], Facts | Figure):
            derived.add((key, col))

    def side(line: Line, number: int, cols: list[Col]) -> list[Cell]:
        cells = [Cell(line.label, "label"), Cell(str(number), "line")]
        for col in cols:
            ref = (line.key, col.key)
            if line.key and col.key in line.values:
                cells.append(Cell(values[ref], "amount", ref=ref, derived=ref in derived))
            else:
                cells.append(Cell(None, "amount"))
        return cells

    body = [
        side(left, i + 1, left_cols) + side(right, width + i + 1, right_cols)
        for i, (left, right) in enumerate(zip(left_lines, right_lines, strict=True))
    ]
    columns = (
        Col(
            "left",
            table.left_title,
            (
                Col("left_label", "项目", kind="label"),
                Col("left_line", "行次", kind="line"),
                *table.left_columns,
            ),
        ),
        Col(
            "right",
            table.right_title,
            (
                Col("right_label", "项目", kind="label"),
                Col("right_line", "行次", kind="line"),
                *table.right_columns,
            ),
        ),
    )
    empty = _is_empty(values)
    return FilledTable(
        definition=table,
        department=data.department,
        year=data.year,
        unit=data.unit,
        header=header_rows(columns, numbers=True),
        body=body,
        values=values,
        rows=rows,
        columns={c.key: c for c in [*left_cols, *right_cols]},
        derived=derived,
        empty=empty,
        empty_note=NO_DATA_NOTE if empty else "",
        row_columns=row_columns,
    )


def _fill_form(table: FormTable, data: ReportData) -> FilledTable:
    ev = _Evaluator(data)
    leaves = _leaf_columns(table.columns)
    value_cols = [c for c in leaves.values() if c.kind in ("amount", "count")]
    rows: dict[str, RowMeta] = {}
    for row in table.rows:
        if isinstance(row, FormRow):
            rows[row.key] = RowMeta(row.key, row.label, line=row.line)
            for col in value_cols:
                expr = row.values.get(col.key, col.value)
                if expr is not None:
                    ev.define(row.key, col.key, expr)
    values = {key: ev.get(*key) for key in ev.cells}
    derived = {key for key, expr in ev.cells.items() if isinstance(expr, Cols | Lines | Group)}

    width = len(value_cols) + (2 if table.stub else 0)
    body: list[list[Cell]] = []
    for row in table.rows:
        if isinstance(row, Section):
            body.append([Cell(row.label, "section", colspan=width)])
            continue
        cells = [Cell(row.label, "label"), Cell(row.line, "line")] if table.stub else []
        for col in value_cols:
            ref = (row.key, col.key)
            kind = "count" if row.kind == "count" else "amount"
            cells.append(Cell(values.get(ref), kind, ref=ref, derived=ref in derived))
        body.append(cells)
    columns = table.columns
    if table.stub:
        columns = (
            Col("label", "项目", kind="label"),
            Col("line", "行次", kind="line"),
            *columns,
        )
    empty = _is_empty(values)
    return FilledTable(
        definition=table,
        department=data.department,
        year=data.year,
        unit=data.unit,
        header=header_rows(columns, numbers=table.column_numbers),
        body=body,
        values=values,
        rows=rows,
        columns=leaves,
        derived=derived,
        empty=empty,
        empty_note=NO_DATA_NOTE if empty else "",
    )


def _fill_economic(table: EconomicTable, data: ReportData) -> FilledTable:
    codes = {c.code: c for c in data.economic_codes}
    amount: dict[str, Decimal] = defaultdict(lambda: ZERO)
    basic: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for fact in data.economic_facts:
        amount[fact.code] += fact.amount
        if fact.nature == "basic":
            basic[fact.code] += fact.amount

    rows: dict[str, RowMeta] = {}
    values: dict[tuple[str, str], Value] = {}
    derived: set[tuple[str, str]] = set()
    blocks: list[list[str]] = []
    totals: list[tuple[str, str]] = []
    for group, block_count in table.groups:
        total_key = "personnel_total" if group == "人员经费" else "public_total"
        categories = [c for c in data.economic_codes if c.group == group and c.level == "类"]
        ordered: list[str] = []
        for cat in categories:
            ordered.append(cat.code)
            ordered += [
                c.code
                for c in data.economic_codes
                if c.level == "款" and c.code.startswith(cat.code)
            ]
        for code in ordered:
            entry = codes[code]
            parent = code[:3] if len(code) == 5 else total_key
            rows[code] = RowMeta(code, entry.name, code, entry.level, parent)
            if len(code) == 3:
                sections = [c for c in ordered if len(c) == 5 and c.startswith(code)]
                values[(code, "amount")] = sum((amount[c] for c in sections), ZERO)
                values[(code, "basic")] = sum((basic[c] for c in sections), ZERO)
                derived |= {(code, "amount"), (code, "basic")}
            else:
                values[(code, "amount")] = amount[code]
                values[(code, "basic")] = basic[code]
            if not entry.basic_applicable:
                values[(code, "basic")] = None
        per_block = math.ceil(len(ordered) / block_count) if ordered else 0
        blocks += [ordered[i * per_block : (i + 1) * per_block] for i in range(block_count)]
        rows[total_key] = RowMeta(total_key, f"{group}合计", level="total")
        for col in ("amount", "basic"):
            values[(total_key, col)] = sum(
                (values[(c.code, col)] or ZERO for c in categories), ZERO
            )
            derived.add((total_key, col))
        totals.append((total_key, f"{group}合计"))
    # Facts on codes outside the year's list have no row here; the checks report them.
    height = max((len(b) for b in blocks), default=0)
    body: list[list[Cell]] = []
    for i in range(height):
        cells: list[Cell] = []
        for block in blocks:
            if i < len(block):
                code = block[i]
                meta = rows[code]
                cells += [
                    Cell(code, "code", level=meta.level),
                    Cell(meta.label, "label", level=meta.level),
                    Cell(
                        values[(code, "amount")],
                        "amount",
                        ref=(code, "amount"),
                        derived=(code, "amount") in derived,
                        level=meta.level,
                    ),
                ]
                if values[(code, "basic")] is None:
                    cells.append(Cell("────", "na", level=meta.level))
                else:
                    cells.append(
                        Cell(
                            values[(code, "basic")],
                            "amount",
                            ref=(code, "basic"),
                            derived=(code, "basic") in derived,
                            level=meta.level,
                        )
                    )
            else:
                cells += [Cell(None, "text") for _ in range(4)]
        body.append(cells)
    total_row: list[Cell] = []
    for (_group, block_count), (key, label) in zip(table.groups, totals, strict=True):
        total_row.append(Cell(label, "label", colspan=4 * block_count - 2, level="total"))
        for col in ("amount", "basic"):
            total_row.append(
                Cell(
                    values[(key, col)],
                    "amount",
                    ref=(key, col),
                    derived=True,
                    level="total",
                )
            )
    body.append(total_row)

    block_cols = (
        Col("code", "科目编码", kind="code"),
        Col("name", "科目名称", kind="label"),
        Col("amount", "金额"),
        Col("basic", "其中：基本支出"),
    )
    header_cols = tuple(
        Col(f"{group}{i}", group if i == 0 else "", block_cols)
        for group, block_count in table.groups
        for i in range(block_count)
    )
    header = header_rows(header_cols, numbers=False)
    # Group names span their blocks: merge the top header cells of each group.
    top: list[Cell] = []
    for group, block_count in table.groups:
        top.append(Cell(group, "head", colspan=4 * block_count))
    header[0] = top
    empty = _is_empty(values)
    return FilledTable(
        definition=table,
        department=data.department,
        year=data.year,
        unit=data.unit,
        header=header,
        body=body,
        values=values,
        rows=rows,
        columns={c.key: c for c in block_cols},
        derived=derived,
        empty=empty,
        empty_note=NO_DATA_NOTE if empty else "",
    )


_FILLERS = {
    "tree": _fill_tree,
    "statement": _fill_statement,
    "form": _fill_form,
    "economic": _fill_economic,
}


def table_fill(table: TableDef, data: ReportData) -> FilledTable:
    """Fill one table definition from a report's facts.

    Returns the logical values (every derived cell computed from the facts) and the printed grid.
    Raises nothing for odd data: codes outside the year's list print without a name and the
    checks report them.
    """
    return _FILLERS[table.kind](table, data)


def report_fill(tables: Sequence[TableDef], data: ReportData) -> list[FilledTable]:
    """Fill every table of a template, in order."""
    return [table_fill(t, data) for t in tables]
