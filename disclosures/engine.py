"""The table engine: one definition language, one fill function, one filled-table shape.

A definition (see `tables.py`) says what a table's rows and columns are and where each value
comes from: a sum over facts, a scalar item, or a sum of other cells. `table_fill` turns a
definition and a report's facts (`ReportData`) into a `FilledTable`: the logical values keyed by
(row, column), and the printed grid (header rows with spans, body rows of cells) that the HTML,
PDF and Excel renderers format without adding anything up.

Nothing here touches the database, so the arithmetic is tested on plain data.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from .units import CENT, from_unit, to_unit
from .vocab import FUNCTIONAL_LEVEL_BY_LENGTH, CodeKind, CodeLevel, Nature, fact_keys

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
    fund: bool = False  # a government-fund budget subject (政府性基金预算)


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


@dataclass(frozen=True)
class IndicatorRow:
    """One row of a self-evaluation's indicator table, as printed."""

    order: int
    level1: str
    level2: str
    name: str
    initial_target: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    deviation_note: str = ""


@dataclass(frozen=True)
class FundingRow:
    """One 资金来源 row of a self-evaluation's 预算执行情况 table."""

    source: str
    budget: Decimal
    executed: Decimal


@dataclass(frozen=True)
class EvaluationRow:
    """A self-evaluation (附件) as the checks read it."""

    kind: str  # project | department
    name: str
    budget: Decimal
    executed: Decimal
    score: Decimal
    grade: str = ""
    execution_rate: Decimal | None = None  # as printed, percent
    execution_weight: Decimal = Decimal(10)
    execution_score: Decimal | None = None
    texts: tuple[tuple[str, str], ...] = ()  # (heading, text) in printed order
    funding: tuple[FundingRow, ...] = ()
    indicators: tuple[IndicatorRow, ...] = ()


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
    # A report that comes from a published document keeps its cells as printed, in its unit:
    # (table number, row key, column key) -> value; None is a cell printed blank.
    printed: dict[tuple[str, str, str], Decimal | None] = field(default_factory=dict)
    # Names the report prints for codes, where they differ from the year's list: (kind, code).
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    # The self-evaluations published with the report (附件).
    evaluations: list[EvaluationRow] = field(default_factory=list)
    # The main figures of the year before (`overview.main_figures` of the previous report, and
    # expense by 类 as `class.<code>`), where the portal has that report.
    previous: dict[str, Value] = field(default_factory=dict)
    # The kinds of the year's code list carried forward from another year and not yet confirmed:
    # kind -> the year carried from (`selectors.code_list_carried`).
    codes_carried: dict[str, int] = field(default_factory=dict)

    def functional_name(self, code: str) -> str | None:
        return self.names.get((CodeKind.FUNCTIONAL, code)) or self._functional_index.get(code)

    def economic_name(self, code: str, listed: str) -> str:
        return self.names.get((CodeKind.ECONOMIC, code)) or listed

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

    def reads(self) -> list[tuple[str, str, str]]:
        """The (measure, source, nature) keys this sum reads, within the facts that may exist."""
        return [
            (self.measure, source, nature)
            for source, nature in fact_keys(self.measure)
            if (not self.sources or source in self.sources)
            and (not self.natures or nature in self.natures)
        ]


@dataclass(frozen=True)
class Figure:
    """A scalar item of the report (`ReportFigures` field)."""

    name: str


@dataclass(frozen=True)
class Figures:
    """The sum of several scalar items; blank when every one is blank."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Econ:
    """The economic facts of a row's code, optionally limited by nature (基本 / 项目)."""

    natures: tuple[str, ...] = ()

    def matches(self, fact: EconomicRow) -> bool:
        return not self.natures or fact.nature in self.natures

    def reads(self) -> list[str]:
        """The natures this sum reads: general-budget spending is basic or project."""
        return [n for n in (Nature.BASIC, Nature.PROJECT) if not self.natures or n in self.natures]

    @property
    def basic_only(self) -> bool:
        return self.natures == (Nature.BASIC,)


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


@dataclass(frozen=True)
class Share:
    """`part` as a percentage of `whole` (two decimals); blank against a zero or blank base."""

    part: Expr
    whole: Expr


Expr = Facts | Figure | Figures | Econ | Cols | Lines | Group | Share


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
    role: str = ""  # what the table is for (vocab.TableRole): checks find tables by role
    entity_label: str = "部门名称"  # the heading line names the 部门 (or the 单位)
    # Columns staff fill in on this table's entry form that the table does not print: the facts
    # no printed cell holds alone (an appropriation's income and balances by 项, the spending of
    # non-appropriated money by nature). See `disclosures/entry.py`.
    entry_columns: tuple[Col, ...] = ()

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
    role: str = ""  # what the table is for (vocab.TableRole): checks find tables by role
    entity_label: str = "部门名称"  # the heading line names the 部门 (or the 单位)

    kind = "statement"


@dataclass(frozen=True)
class Section:
    """A heading row across the table; `heads` is the section's own header row printed under
    it (公开10表 heads each part: 项目 行次 采购金额, 项目 行次 统计数)."""

    label: str
    heads: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormRow:
    key: str
    label: str
    line: str = ""
    values: dict[str, Expr] = field(default_factory=dict)
    kind: str = "amount"  # amount | count | percent
    unit: str = ""  # what a count counts (辆, 台（套）); amounts are in the report's unit


@dataclass(frozen=True)
class FormTable:
    """Fixed rows of scalar items (公开07表, 公开10表)."""

    number: str
    title: str
    columns: tuple[Col, ...]
    rows: tuple[FormRow | Section, ...]
    stub: bool = True  # print 项目 and 行次 columns
    column_numbers: bool = True
    note: str = ""
    unit_label: str = "金额单位"
    role: str = ""  # what the table is for (vocab.TableRole): checks find tables by role
    entity_label: str = "部门名称"  # the heading line names the 部门 (or the 单位)
    # False when each section has its own header row (Section.heads) and the table none on top.
    top_header: bool = True

    kind = "form"


@dataclass(frozen=True)
class EconGroup:
    """A group of the economic classification (人员经费, 公用经费) and how it is printed."""

    name: str  # the codes' group in the year's list
    blocks: int  # side-by-side blocks its rows are flowed over
    total_key: str  # the key of its 合计 row


@dataclass(frozen=True)
class EconomicTable:
    """The economic classification in groups, each group flowed over side-by-side blocks.

    Each block prints 科目编码, 科目名称 and the value columns (`Econ` expressions). With
    `basic_only`, the rows are the codes basic spending can use (06 of the nine-table set).
    """

    number: str
    title: str
    columns: tuple[Col, ...]
    groups: tuple[EconGroup, ...]
    basic_only: bool = False
    note: str = ""
    unit_label: str = "金额单位"
    role: str = ""  # what the table is for (vocab.TableRole): checks find tables by role
    entity_label: str = "部门名称"  # the heading line names the 部门 (or the 单位)
    entry_columns: tuple[Col, ...] = ()  # entered on the form, not printed (as TreeTable's)

    kind = "economic"


TableDef = TreeTable | StatementTable | FormTable | EconomicTable


@dataclass(frozen=True)
class Template:
    """A table set: the tables a region publishes for a range of years, in order.

    The only place a set of tables lives. `text_items` are the scalar items the set discloses in
    情况说明 rather than in a table; they are stored all the same and shown there.
    `three_public_blank_is_zero`: the set prints zero as blank in the 三公 table, so a blank item
    there means zero, not "not disclosed".
    """

    key: str
    name: str
    tables: tuple[TableDef, ...]
    years: tuple[int, int] = (2000, 2100)  # first and last fiscal year served
    regions: tuple[str, ...] = ()  # region names served (a province, a city…); empty: any
    text_items: FormTable | None = None
    three_public_blank_is_zero: bool = False

    def table(self, role: str) -> TableDef | None:
        return next((t for t in self.tables if t.role == role), None)

    def serves(self, *, year: int, regions: Iterable[str]) -> bool:
        first, last = self.years
        return first <= year <= last and (
            not self.regions or bool(set(self.regions) & set(regions))
        )

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the whole definition: any edit to a table, a label or a note changes it."""
        return hashlib.sha256(repr(self).encode()).hexdigest()


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
    as_received: bool = False  # printed as the published document printed it, not derived
    unit: str = ""  # what a count counts (辆); amounts are in the table's unit


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
    # Each value as the table prints it, in its unit: rounded from 元, or as received.
    printed: dict[tuple[str, str], Value] = field(default_factory=dict)
    # The kind of each value cell (amount, count, percent), for formats and units.
    kinds: dict[tuple[str, str], str] = field(default_factory=dict)
    # The cells printed as received from a published document rather than derived.
    received: set[tuple[str, str]] = field(default_factory=set)
    # A table too wide for a page at the printed size is printed in bands of its column groups,
    # one after another (renderers.layout.table_bands): this is band `band` of `bands`.
    band: int = 1
    bands: int = 1

    def column_for(self, row: str, col: str) -> Col | None:
        return self.row_columns.get(row, {}).get(col) or self.columns.get(col)

    @property
    def number(self) -> str:
        return self.definition.number

    @property
    def caption(self) -> str:
        return f"公开{self.definition.number}表" + ("（续）" if self.band > 1 else "")

    @property
    def last_band(self) -> bool:
        """The whole table, or its last band: where its notes print."""
        return self.band == self.bands

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def note(self) -> str:
        return self.definition.note

    def value(self, row: str, col: str) -> Value:
        return self.values.get((row, col))

    @property
    def role(self) -> str:
        return self.definition.role

    def printed_value(self, row: str, col: str) -> Value:
        """The value as printed, in the table's unit."""
        return self.printed.get((row, col))

    def as_printed(self, row: str, col: str) -> Value:
        """The value in 元 as the table prints it: a figure received as printed wins over the one
        derived from the facts, so headline figures agree with the printed table."""
        key = (row, col)
        if key in self.received and self.kinds.get(key) == "amount":
            printed = self.printed.get(key)
            return None if printed is None else from_unit(printed, self.unit)
        return self.values.get(key)

    @property
    def column_kinds(self) -> list[str]:
        """The kind of each printed column (label, code, line, amount…), for column widths."""
        width = max((sum(c.colspan for c in row) for row in self.body), default=0)
        for row in self.body:
            if len(row) == width and all(c.kind not in ("text", "section", "head") for c in row):
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
        if isinstance(expr, Figures):
            return _money_sum(self.data.figures.get(name) for name in expr.names)
        if isinstance(expr, Share):
            part, whole = self._eval(row, col, expr.part), self._eval(row, col, expr.whole)
            if part is None or not whole:
                return None
            return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)
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


def chinese_number(n: int) -> str:
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
            f"{chinese_number(i)}、{data.functional_name(c.code) or c.name}",
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
    derived = {
        key
        for key, expr in ev.cells.items()
        if isinstance(expr, Cols | Lines | Group | Share)
        or (isinstance(expr, Figures) and len(expr.names) > 1)
    }

    width = len(value_cols) + (2 if table.stub else 0)
    body: list[list[Cell]] = []
    for row in table.rows:
        if isinstance(row, Section):
            body.append([Cell(row.label, "section", colspan=width)])
            if row.heads:
                body.append([Cell(head, "head") for head in row.heads])
            continue
        cells = [Cell(row.label, "label"), Cell(row.line, "line")] if table.stub else []
        for col in value_cols:
            ref = (row.key, col.key)
            cells.append(
                Cell(values.get(ref), row.kind, ref=ref, derived=ref in derived, unit=row.unit)
            )
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
        header=header_rows(columns, numbers=table.column_numbers) if table.top_header else [],
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
    value_cols = [leaf for col in table.columns for leaf in col.leaves()]
    by_code: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for fact in data.economic_facts:
        for col in value_cols:
            if col.value.matches(fact):  # type: ignore[union-attr]
                by_code[(fact.code, col.key)] += fact.amount

    def shown(code: Code) -> bool:
        return code.basic_applicable or not table.basic_only

    rows: dict[str, RowMeta] = {}
    values: dict[tuple[str, str], Value] = {}
    derived: set[tuple[str, str]] = set()
    blocks: list[list[str]] = []
    for group in table.groups:
        categories = [
            c for c in data.economic_codes if c.group == group.name and c.level == "类" and shown(c)
        ]
        ordered: list[str] = []
        for cat in categories:
            ordered.append(cat.code)
            ordered += [
                c.code
                for c in data.economic_codes
                if c.level == "款" and c.code.startswith(cat.code) and shown(c)
            ]
        for code in ordered:
            entry = codes[code]
            parent = code[:3] if len(code) == 5 else group.total_key
            name = data.economic_name(code, entry.name)
            rows[code] = RowMeta(code, name, code, entry.level, parent)
            sections = [c for c in ordered if len(c) == 5 and c.startswith(code)]
            for col in value_cols:
                key = (code, col.key)
                if col.value.basic_only and not entry.basic_applicable:  # type: ignore[union-attr]
                    values[key] = None  # printed "────": basic spending cannot use this code
                elif len(code) == 3:
                    values[key] = sum((by_code[(c, col.key)] for c in sections), ZERO)
                    derived.add(key)
                else:
                    values[key] = by_code[key]
        per_block = math.ceil(len(ordered) / group.blocks) if ordered else 0
        blocks += [ordered[i * per_block : (i + 1) * per_block] for i in range(group.blocks)]
        rows[group.total_key] = RowMeta(group.total_key, f"{group.name}合计", level="total")
        for col in value_cols:
            values[(group.total_key, col.key)] = sum(
                (values[(c.code, col.key)] or ZERO for c in categories), ZERO
            )
            derived.add((group.total_key, col.key))
    # Facts on codes outside the year's list have no row here; the checks report them.
    width = 2 + len(value_cols)
    height = max((len(b) for b in blocks), default=0)
    body: list[list[Cell]] = []
    for i in range(height):
        cells: list[Cell] = []
        for block in blocks:
            if i >= len(block):
                cells += [Cell(None, "text") for _ in range(width)]
                continue
            code = block[i]
            meta = rows[code]
            cells += [
                Cell(code, "code", level=meta.level),
                Cell(meta.label, "label", level=meta.level),
            ]
            for col in value_cols:
                ref = (code, col.key)
                if values[ref] is None:
                    cells.append(Cell("────", "na", level=meta.level))
                else:
                    cells.append(
                        Cell(
                            values[ref], "amount", ref=ref, derived=ref in derived, level=meta.level
                        )
                    )
        body.append(cells)
    total_row: list[Cell] = []
    for group in table.groups:
        total_row.append(
            Cell(
                rows[group.total_key].label,
                "label",
                colspan=width * group.blocks - len(value_cols),
                level="total",
            )
        )
        for col in value_cols:
            ref = (group.total_key, col.key)
            total_row.append(Cell(values[ref], "amount", ref=ref, derived=True, level="total"))
    body.append(total_row)

    block_cols = (
        Col("code", "科目编码", kind="code"),
        Col("name", "科目名称", kind="label"),
        *value_cols,
    )
    header_cols = tuple(
        Col(f"{group.name}{i}", group.name, block_cols)
        for group in table.groups
        for i in range(group.blocks)
    )
    header = header_rows(header_cols, numbers=False)
    # Group names span their blocks: one top header cell per group.
    header[0] = [Cell(group.name, "head", colspan=width * group.blocks) for group in table.groups]
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


def _print(table: FilledTable, data: ReportData) -> FilledTable:
    """Sets every value cell as printed: amounts in the report's unit, each rounded from its own 元
    value (subtotals too, as the official software does), or as received from a published document.
    """
    for row in table.body:
        for cell in row:
            if cell.ref is None:
                continue
            value = table.values.get(cell.ref)
            if cell.kind == "amount" and value is not None:
                value = to_unit(value, data.unit)
            received = (table.number, *cell.ref)
            if received in data.printed:
                value = data.printed[received]
                cell.as_received = True
                table.received.add(cell.ref)
            cell.value = value
            table.printed[cell.ref] = value
            table.kinds[cell.ref] = cell.kind
    return table


_FILLERS = {
    "tree": _fill_tree,
    "statement": _fill_statement,
    "form": _fill_form,
    "economic": _fill_economic,
}


def table_fill(table: TableDef, data: ReportData) -> FilledTable:
    """Fill one table definition from a report's facts.

    Returns the logical values (every derived cell computed from the facts) and the printed grid.
    Each printed cell (`Cell.value`, `FilledTable.printed`) is in the report's unit; the logical
    values (`FilledTable.values`) stay in 元. Raises nothing for odd data: codes outside the
    year's list print without a name and the checks report them.
    """
    return _print(_FILLERS[table.kind](table, data), data)


def report_fill(tables: Sequence[TableDef], data: ReportData) -> list[FilledTable]:
    """Fill every table of a template, in order."""
    return [table_fill(t, data) for t in tables]


def counting_data(data: ReportData) -> ReportData:
    """The same report with every non-zero input counted as 1: filled by the same definitions,
    each cell then holds how many inputs it adds up (for the rounding a printed sum may carry)."""

    def one(amount: Value) -> Value:
        return None if amount is None else Decimal(1 if amount else 0)

    return replace(
        data,
        unit="元",
        facts=[replace(f, amount=one(f.amount)) for f in data.facts],
        economic_facts=[replace(f, amount=one(f.amount)) for f in data.economic_facts],
        figures={k: one(v) for k, v in data.figures.items()},
        printed={},
    )
