"""The checks (审核): one rule engine over a report's facts and its filled tables.

Each rule is a plain function registered with a code and a severity; it reads the filled tables
(and, for codes and amounts, the facts) and yields findings with a location. The tables are filled
from the facts, so the arithmetic rules hold on anything the engine produced; they are what catches
a table whose printed figures were typed or imported rather than derived, and the rules that
compare independent inputs (01 income vs expense, 06 vs 05, codes, 三公, texts) catch real data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .engine import (
    ZERO,
    Cols,
    EconomicTable,
    FilledTable,
    Group,
    Lines,
    ReportData,
    StatementTable,
    TreeTable,
)
from .vocab import ECONOMIC_LEVEL_BY_LENGTH, FUNCTIONAL_LEVEL_BY_LENGTH, Measure

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}

# Scalar items that may never be negative; balances (年初/年末结转和结余) may.
NON_NEGATIVE_MEASURES = {Measure.INCOME, Measure.EXPENSE}
REQUIRED_TABLES = tuple(f"{n:02d}" for n in range(1, 11))


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    table: str = ""  # "02" for 公开02表; blank for report-level findings
    row: str = ""  # row code or key
    column: str = ""  # column key

    @property
    def location(self) -> str:
        parts = []
        if self.table:
            parts.append(f"公开{self.table}表")
        if self.row:
            parts.append(f"行 {self.row}")
        if self.column:
            parts.append(f"列 {self.column}")
        return " ".join(parts) or "报告"

    def __str__(self) -> str:
        return f"{SEVERITY_LABELS[self.severity]} {self.code} {self.location}：{self.message}"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    func: Callable[[ReportData, dict[str, FilledTable]], Iterator[Finding]]


RULES: list[Rule] = []


def rule(code: str, severity: str, title: str):
    def register(func):
        RULES.append(Rule(code, severity, title, func))
        return func

    return register


def _fmt(value: Decimal | int | None) -> str:
    if value is None:
        return "空"
    if isinstance(value, int):
        return str(value)
    return f"{value:,.2f}"


def _differs(a: Decimal, b: Decimal) -> bool:
    return Decimal(a) != Decimal(b)


def _num(value: Decimal | int | None) -> Decimal:
    return ZERO if value is None else Decimal(value)


# ------------------------------------------------------------------------------------------
# 1. Sums


@rule("sum.tree", ERROR, "类/款/项逐级汇总与合计")
def check_tree_sums(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    for table in tables.values():
        if not isinstance(table.definition, TreeTable | EconomicTable):
            continue
        children: dict[str, list[str]] = {}
        for key, meta in table.rows.items():
            if meta.parent:
                children.setdefault(meta.parent, []).append(key)
        value_cols = {col for (_, col) in table.values}
        for parent, kids in children.items():
            for col in value_cols:
                if table.value(parent, col) is None:
                    continue  # not applicable (────)
                expected = sum((_num(table.value(k, col)) for k in kids), ZERO)
                actual = _num(table.value(parent, col))
                if _differs(actual, expected):
                    yield Finding(
                        "sum.tree",
                        ERROR,
                        f"{table.row_label(parent)}「{table.column_label(col)}」为 {_fmt(actual)}，"
                        f"下级合计为 {_fmt(expected)}",
                        table.number,
                        parent,
                        col,
                    )


def _column_sums(code: str):
    """Columns defined as a sum of others (本年收入合计, 小计, 三公 合计) must add up."""

    def check(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
        for table in tables.values():
            for col in table.columns.values():
                if not isinstance(col.value, Cols) or col.check != code:
                    continue
                for row in table.rows:
                    if (row, col.key) not in table.values:
                        continue
                    parts = [table.value(row, k) for k in col.value.keys]
                    if all(p is None for p in parts) and table.value(row, col.key) is None:
                        continue
                    expected = sum((_num(p) for p in parts), ZERO)
                    actual = _num(table.value(row, col.key))
                    if _differs(actual, expected):
                        labels = "、".join(table.column_label(k) for k in col.value.keys)
                        yield Finding(
                            code,
                            ERROR,
                            f"「{col.label}」为 {_fmt(actual)}，{labels} 之和为 {_fmt(expected)}",
                            table.number,
                            table.row_label(row),
                            col.key,
                        )

    return check


for _code, _title in (
    ("sum.columns", "合计栏等于各分栏之和"),
    ("three_public.sum", "三公经费合计等于三项之和"),
    ("three_public.vehicle_sum", "公务用车小计等于购置费加运行维护费"),
):
    rule(_code, ERROR, _title)(_column_sums(_code))


# ------------------------------------------------------------------------------------------
# 2. Balance of 01 and 04


@rule("balance.lines", ERROR, "总表合计行与总计行")
def check_statement_lines(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    for table in tables.values():
        definition = table.definition
        if not isinstance(definition, StatementTable):
            continue
        groups: dict[str, list[str]] = {}
        for line in (*definition.left, *definition.left_tail, *definition.right_tail):
            if line.group:
                groups.setdefault(line.group, []).append(line.key)
        groups[definition.right.group] = [
            key
            for key in table.rows
            if key.startswith(f"{definition.right.key_prefix}.") and key.split(".", 1)[1].isdigit()
        ]
        for line in (*definition.left_tail, *definition.right_tail):
            for col, expr in line.values.items():
                if isinstance(expr, Group):
                    parts = groups.get(expr.name, [])
                elif isinstance(expr, Lines):
                    parts = list(expr.keys)
                else:
                    continue
                expected = sum((table.amount(k, col) for k in parts), ZERO)
                actual = table.amount(line.key, col)
                if _differs(actual, expected):
                    yield Finding(
                        "balance.lines",
                        ERROR,
                        f"{line.label}为 {_fmt(actual)}，各项之和为 {_fmt(expected)}",
                        table.number,
                        table.rows[line.key].line,
                        col,
                    )


@rule("balance.totals", ERROR, "收入总计等于支出总计")
def check_balance(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    for table in tables.values():
        definition = table.definition
        if not isinstance(definition, StatementTable):
            continue
        (income_row, income_col), (expense_row, expense_col) = definition.balance
        income = table.amount(income_row, income_col)
        expense = table.amount(expense_row, expense_col)
        if _differs(income, expense):
            yield Finding(
                "balance.totals",
                ERROR,
                f"收入总计 {_fmt(income)} 与支出总计 {_fmt(expense)} 不相等，差额 "
                f"{_fmt(income - expense)}",
                table.number,
                table.rows[expense_row].line,
                expense_col,
            )


# ------------------------------------------------------------------------------------------
# 3. Across tables

Ref = tuple[str, str, str]  # (table, row, column)


def _cross_pairs(
    data: ReportData, tables: dict[str, FilledTable]
) -> Iterator[tuple[str, str, list[Ref], list[Ref]]]:
    """(code, what, left refs, right refs): the two sums that must agree."""
    categories = sorted(
        {
            k.split(".", 1)[1]
            for t in ("01", "04")
            if t in tables
            for k in tables[t].rows
            if k.startswith("expense.") and k.split(".", 1)[1].isdigit()
        }
        | {
            k
            for t in ("02", "03", "05", "08", "09")
            if t in tables
            for k in tables[t].rows
            if len(k) == 3
        }
    )
    for col, source in (
        ("fiscal", ("general", "fund", "capital")),
        ("superior", ("superior",)),
        ("service", ("service",)),
        ("operating", ("operating",)),
        ("subsidiary", ("subsidiary",)),
        ("other", ("other",)),
        ("total", ("total",)),
    ):
        left = [("01", f"income.{s}", "amount") for s in source]
        yield "cross.t01_t02", f"01表收入与02表合计行「{col}」", left, [("02", "total", col)]
    for cat in categories:
        yield (
            "cross.t01_t03",
            f"01表与03表 {cat} 类支出",
            [("01", f"expense.{cat}", "amount")],
            [("03", cat, "total")],
        )
        yield (
            "cross.t04_t05",
            f"04表与05表 {cat} 类一般公共预算支出",
            [("04", f"expense.{cat}", "general")],
            [("05", cat, "subtotal")],
        )
        yield (
            "cross.t04_t08",
            f"04表与08表 {cat} 类政府性基金支出",
            [("04", f"expense.{cat}", "fund")],
            [("08", cat, "subtotal")],
        )
        yield (
            "cross.t04_t09",
            f"04表与09表 {cat} 类国有资本经营支出",
            [("04", f"expense.{cat}", "capital")],
            [("09", cat, "total")],
        )
    yield (
        "cross.t01_t03",
        "01表本年支出合计与03表合计",
        [("01", "expense.total", "amount")],
        [("03", "total", "total")],
    )
    yield (
        "cross.t04_t05",
        "04表一般公共预算支出合计与05表合计",
        [("04", "expense.total", "general")],
        [("05", "total", "subtotal")],
    )
    yield (
        "cross.t04_t08",
        "04表政府性基金收入与08表本年收入",
        [("04", "income.fund", "amount")],
        [("08", "total", "income")],
    )
    yield (
        "cross.t04_t08",
        "04表年初政府性基金结转与08表",
        [("04", "income.opening.fund", "amount")],
        [("08", "total", "opening")],
    )
    yield (
        "cross.t04_t08",
        "04表年末政府性基金结转与08表",
        [("04", "expense.closing", "fund")],
        [("08", "total", "closing")],
    )
    yield (
        "cross.t04_t09",
        "04表国有资本经营支出合计与09表合计",
        [("04", "expense.total", "capital")],
        [("09", "total", "total")],
    )
    yield (
        "cross.t06_t05",
        "06表人员经费合计+公用经费合计与05表合计",
        [
            ("06", "personnel_total", "amount"),
            ("06", "public_total", "amount"),
        ],
        [("05", "total", "subtotal")],
    )
    yield (
        "cross.t06_t05",
        "06表基本支出与05表基本支出",
        [
            ("06", "personnel_total", "basic"),
            ("06", "public_total", "basic"),
        ],
        [("05", "total", "basic")],
    )


CROSS_CODES = (
    "cross.t01_t02",
    "cross.t01_t03",
    "cross.t04_t05",
    "cross.t04_t08",
    "cross.t04_t09",
    "cross.t06_t05",
)


def _cross_rule(code: str):
    def check(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
        for pair_code, what, left, right in _cross_pairs(data, tables):
            if pair_code != code or any(t not in tables for t, _, _ in (*left, *right)):
                continue
            a = sum((tables[t].amount(r, c) for t, r, c in left), ZERO)
            b = sum((tables[t].amount(r, c) for t, r, c in right), ZERO)
            if _differs(a, b):
                table, row, col = right[0]
                yield Finding(
                    code,
                    ERROR,
                    f"{what}不一致：{_fmt(a)} ≠ {_fmt(b)}",
                    table,
                    tables[table].row_label(row),
                    col,
                )

    return check


for _code in CROSS_CODES:
    rule(_code, ERROR, "表间关系")(_cross_rule(_code))


# ------------------------------------------------------------------------------------------
# 4. 三公

THREE_PUBLIC_FIGURES = [
    f"tp_{kind}_{item}"
    for kind in ("budget", "actual")
    for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
]


@rule("three_public.undisclosed", ERROR, "三公经费各项均须公开（为零也填0）")
def check_three_public_items(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    missing = [name for name in THREE_PUBLIC_FIGURES if data.figures.get(name) is None]
    if missing and len(missing) < len(THREE_PUBLIC_FIGURES):
        for name in missing:
            yield Finding(
                "three_public.undisclosed",
                ERROR,
                "“三公”经费该项未填写；没有发生也应填 0",
                "07",
                "“三公”经费",
                name.removeprefix("tp_"),
            )


@rule("three_public.no_data", WARNING, "三公经费整表无数据")
def check_three_public_empty(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    if all(data.figures.get(name) is None for name in THREE_PUBLIC_FIGURES):
        yield Finding(
            "three_public.no_data",
            WARNING,
            "“三公”经费预算数和决算数均未填写，公开07表将显示“本表无数据”；"
            "如确无支出，建议逐项填 0 以示公开",
            "07",
        )


# ------------------------------------------------------------------------------------------
# 5. Codes and amounts


@rule("code.unknown", ERROR, "科目编码须在当年科目表中")
def check_codes_known(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    functional = {c.code for c in data.functional_codes}
    economic = {c.code for c in data.economic_codes}
    seen: set[tuple[str, str]] = set()
    for fact in data.facts:
        for n in (3, 5, 7):
            code = fact.code[:n]
            if len(fact.code) >= n and code not in functional and ("f", code) not in seen:
                seen.add(("f", code))
                yield Finding(
                    "code.unknown",
                    ERROR,
                    f"功能分类科目 {code} 不在 {data.year} 年科目表中",
                    "",
                    code,
                )
    for fact in data.economic_facts:
        for n in (3, 5):
            code = fact.code[:n]
            if len(fact.code) >= n and code not in economic and ("e", code) not in seen:
                seen.add(("e", code))
                yield Finding(
                    "code.unknown",
                    ERROR,
                    f"经济分类科目 {code} 不在 {data.year} 年科目表中",
                    "06",
                    code,
                )


@rule("code.level", ERROR, "数据须填在最明细一级（功能分类到项，经济分类到款）")
def check_code_levels(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    listed = {c.code: c.level for c in data.functional_codes}
    for code in sorted({f.code for f in data.facts}):
        level = FUNCTIONAL_LEVEL_BY_LENGTH.get(len(code))
        if level != "项" or listed.get(code, level) != level:
            yield Finding(
                "code.level",
                ERROR,
                f"功能分类数据填在了 {code}（{level or '编码长度不对'}）上，应填到7位的“项”级科目",
                "",
                code,
            )
    listed = {c.code: c.level for c in data.economic_codes}
    for code in sorted({f.code for f in data.economic_facts}):
        level = ECONOMIC_LEVEL_BY_LENGTH.get(len(code))
        if level != "款" or listed.get(code, level) != level:
            yield Finding(
                "code.level",
                ERROR,
                f"经济分类数据填在了 {code}（{level or '编码长度不对'}）上，应填到5位的“款”级科目",
                "06",
                code,
            )


@rule("amount.negative", ERROR, "金额不得为负数")
def check_negative(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    for fact in data.facts:
        if fact.measure in NON_NEGATIVE_MEASURES and fact.amount < 0:
            yield Finding(
                "amount.negative",
                ERROR,
                f"{fact.code} 的{Measure(fact.measure).label}为负数 {_fmt(fact.amount)}",
                "",
                fact.code,
                fact.source,
            )
    for fact in data.economic_facts:
        if fact.amount < 0:
            yield Finding(
                "amount.negative",
                ERROR,
                f"经济分类 {fact.code} 金额为负数 {_fmt(fact.amount)}",
                "06",
                fact.code,
                fact.nature,
            )
    for name, value in data.figures.items():
        if isinstance(value, Decimal | int) and value < 0:
            yield Finding("amount.negative", ERROR, f"{name} 为负数 {_fmt(value)}", "", name)


# ------------------------------------------------------------------------------------------
# 6. Completeness


@rule("complete.table_missing", ERROR, "十张表齐全")
def check_tables_present(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    for number in REQUIRED_TABLES:
        if number not in tables:
            yield Finding("complete.table_missing", ERROR, "缺少该表", number)


@rule("complete.no_data_note", ERROR, "无数据的表须注明“本表无数据”")
def check_empty_notes(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
    for table in tables.values():
        if table.empty and "本表无数据" not in table.empty_note:
            yield Finding(
                "complete.no_data_note", ERROR, "该表没有数据，但未注明“本表无数据”", table.number
            )


TEXT_REQUIREMENTS = (
    ("complete.text_three_public", "三公", "情况说明未对“三公”经费支出作出说明"),
    ("complete.text_admin_cost", "机关运行经费", "情况说明未对机关运行经费支出作出说明"),
)


def _text_rule(code: str, keyword: str, message: str):
    def check(data: ReportData, tables: dict[str, FilledTable]) -> Iterator[Finding]:
        if not any(keyword in heading or keyword in body for heading, body in data.texts):
            yield Finding(code, ERROR, message)

    return check


for _code, _keyword, _message in TEXT_REQUIREMENTS:
    rule(_code, ERROR, _message)(_text_rule(_code, _keyword, _message))


# ------------------------------------------------------------------------------------------


def report_check(data: ReportData, tables: Sequence[FilledTable]) -> list[Finding]:
    """Runs every rule over a report's facts and filled tables.

    Returns the findings, errors first, each with its code, severity and location.
    """
    by_number = {t.number: t for t in tables}
    findings = [f for r in RULES for f in r.func(data, by_number)]
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.table, f.code))


def findings_summary(findings: Sequence[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    return f"共 {len(findings)} 条：错误 {errors} 条，警告 {warnings} 条"
