"""The checks (审核): one rule engine over a report's facts and its filled tables.

Each rule is a plain function registered with a code and a severity; it reads the filled tables
(and, for codes and amounts, the facts) and yields findings with a location. The tables are filled
from the facts, so the arithmetic rules hold on anything the engine produced; they are what catches
a table whose printed figures were typed or imported rather than derived, and the rules that
compare independent inputs (income vs expense, economic vs functional, codes, 三公, texts, cells as
printed) catch real data.

Rules find tables by role (`TableRole`), never by number, so they run on any template. A rule
names the roles it needs, or a predicate on the template; where a template lacks them the rule is
skipped, not failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from .display import money_text
from .engine import (
    ZERO,
    Cols,
    EconomicTable,
    FilledTable,
    Group,
    Lines,
    ReportData,
    StatementTable,
    Template,
    TreeTable,
    counting_data,
    report_fill,
)
from .units import from_unit, rounding_allowance, to_unit
from .vocab import (
    ECONOMIC_LEVEL_BY_LENGTH,
    FUNCTIONAL_LEVEL_BY_LENGTH,
    CodeKind,
    Measure,
    TableRole,
)

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}

# Scalar items that may never be negative; balances (年初/年末结转和结余) may.
NON_NEGATIVE_MEASURES = {Measure.INCOME, Measure.EXPENSE}
R = TableRole


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    table: str = ""  # "02" for 公开02表; blank for report-level findings
    row: str = ""  # row code or key
    column: str = ""  # column key
    # Where outside the tables: 情况说明「一、…」, or 绩效自评「养老救助」 (its row and column then
    # name an indicator and a column of the evaluation's tables).
    part: str = ""

    @property
    def location(self) -> str:
        parts = [self.part] if self.part else []
        if self.table:
            parts.append(f"公开{self.table}表")
        if self.row:
            parts.append(f"行 {self.row}")
        if self.column:
            parts.append(f"列 {self.column}")
        return " ".join(parts) or "报告"

    def __str__(self) -> str:
        return f"{SEVERITY_LABELS[self.severity]} {self.code} {self.location}：{self.message}"

    @property
    def key(self) -> str:
        """Which finding this is, stable across runs: a warning's explanation is kept by it."""
        key = "|".join((self.code, self.table, self.row, self.column))
        return f"{key}|{self.part}" if self.part else key


@dataclass
class Context:
    """What a rule reads: the report's facts, its template and its filled tables."""

    data: ReportData
    template: Template
    tables: list[FilledTable]

    def role(self, role: str) -> FilledTable | None:
        return next((t for t in self.tables if t.role == role), None)

    def number(self, number: str) -> FilledTable | None:
        return next((t for t in self.tables if t.number == number), None)

    def where(self, role: str) -> str:
        """The number of the table with this role, or blank where the set has none."""
        table = self.role(role)
        return table.number if table else ""

    @cached_property
    def inputs(self) -> dict[str, FilledTable]:
        """Each table filled with every non-zero input counted as 1: how many inputs a cell adds
        up, so how much rounding it may carry when the facts came from a 万元 table."""
        return {t.number: t for t in report_fill(self.template.tables, counting_data(self.data))}

    def input_count(self, number: str, row: str, col: str) -> int:
        table = self.inputs.get(number)
        return int(table.value(row, col) or 0) if table else 0

    @cached_property
    def text_allowance(self) -> Decimal:
        """How far (in 元) a figure the text states may lie from the tables: nothing, unless the
        tables were taken from a 万元 document, whose figures carry its rounding (up to 20 rounded
        items in a total)."""
        if not self.data.printed:
            return ZERO
        return from_unit(rounding_allowance(self.data.unit, 20), self.data.unit)

    def allowance(self, refs: Sequence[tuple[str, str, str]]) -> Decimal:
        """How far (in 元) sums of independently entered facts at `refs` (table number, row,
        column) may differ. Only a report taken from a published document (it keeps the cells as
        printed) has facts rounded to its unit; facts entered in 元 must agree to the cent,
        whatever unit the report prints in."""
        if not self.data.printed:
            return ZERO
        roundings = sum(self.input_count(*ref) for ref in refs)
        return from_unit(rounding_allowance(self.data.unit, roundings), self.data.unit)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    func: Callable[[Context], Iterator[Finding]]
    roles: tuple[str, ...] = ()  # the table roles the rule reads
    applies: Callable[[Template], bool] | None = None

    def applies_to(self, template: Template) -> bool:
        if any(template.table(role) is None for role in self.roles):
            return False
        return self.applies is None or self.applies(template)


RULES: list[Rule] = []


@dataclass(frozen=True)
class RuleText:
    """What a finding's code means to a finance officer: the rule's name, and what it checks and
    how to fix what it finds, in plain Chinese. The code itself is for the record and support."""

    code: str
    name: str
    explanation: str


# Every code a check can emit, with its name and explanation: registered next to the rule that
# emits it (`explain`), so a new rule or code comes with its words (tests/disclosures/
# test_rule_texts.py runs the checks on broken data and asserts each code it sees is here).
RULE_TEXTS: dict[str, RuleText] = {}


def explain(code: str, name: str, explanation: str):
    """Registers the name and explanation of a finding code; returns a decorator that leaves the
    rule it is stacked on unchanged, so it may sit right above `@rule` or be called alone.

    Raises ValueError for a code explained twice."""
    if code in RULE_TEXTS:
        raise ValueError(f"{code} is explained twice")
    RULE_TEXTS[code] = RuleText(code, name, explanation)

    def unchanged(func):
        return func

    return unchanged


def finding_line(finding: Finding) -> str:
    """A finding on one line for people: severity, the rule's Chinese name, where, what — the code
    last, in brackets (the command line and the refusal of a submission print it)."""
    name = rule_text(finding.code).name
    return (
        f"{SEVERITY_LABELS[finding.severity]}【{name}】{finding.location}：{finding.message}"
        f"（{finding.code}）"
    )


def rule_text(code: str) -> RuleText:
    """The name and explanation of a code; a code nobody explained (never in a tested build)
    shows as itself rather than failing a page."""
    return RULE_TEXTS.get(code) or RuleText(code, code, "")


def rule(
    code: str,
    severity: str,
    title: str,
    *,
    roles: tuple[str, ...] = (),
    applies: Callable[[Template], bool] | None = None,
):
    def register(func):
        RULES.append(Rule(code, severity, title, func, roles, applies))
        return func

    return register


def _fmt(value: Decimal | int | None) -> str:
    if value is None:
        return "空"
    if isinstance(value, int):
        return str(value)
    return money_text(value)


def _differs(a: Decimal, b: Decimal) -> bool:
    return Decimal(a) != Decimal(b)


def _num(value: Decimal | int | None) -> Decimal:
    return ZERO if value is None else Decimal(value)


# ------------------------------------------------------------------------------------------
# 1. Sums


@explain(
    "sum.tree",
    "类、款、项逐级相加一致",
    "按功能分类列示的表中，每个“类”应等于其下各“款”之和，每个“款”应等于其下各“项”之和，"
    "“合计”行应等于各“类”之和。各级小计由系统按“项”自动相加，不必填写；出现此问题，请核对"
    "该行下各“项”的金额是否填对、是否漏填了某个“项”。",
)
@rule("sum.tree", ERROR, "类/款/项逐级汇总与合计")
def check_tree_sums(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables:
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

    def check(ctx: Context) -> Iterator[Finding]:
        for table in ctx.tables:
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

explain(
    "sum.columns",
    "合计栏等于各分栏之和",
    "每一行的合计栏（如“本年收入合计”“本年支出合计”“小计”）应等于该行各分栏之和。合计栏由系统"
    "自动相加；请核对该行各分栏（如基本支出、项目支出，或各项收入）的金额。",
)
explain(
    "three_public.sum",
    "“三公”经费合计等于三项之和",
    "“三公”经费的合计应等于因公出国（境）费、公务用车购置及运行维护费、公务接待费三项之和，"
    "预算数和决算数分别核对。请在“三公”经费表逐项核对这三项的金额。",
)
explain(
    "three_public.vehicle_sum",
    "公务用车小计等于购置费加运行维护费",
    "“公务用车购置及运行维护费”应等于公务用车购置费与公务用车运行维护费之和。请核对这两项的金额。",
)


# ------------------------------------------------------------------------------------------
# 2. Balance of 01 and 04


@explain(
    "balance.lines",
    "总表的合计行、总计行等于各项之和",
    "收入支出决算总表和财政拨款收入支出决算总表的“本年收入合计”“本年支出合计”“总计”等行，"
    "应等于其上各项之和。这两张表由其他各表自动汇总，不能直接修改；请到链接所指的表核对组成"
    "该行的数据。",
)
@rule("balance.lines", ERROR, "总表合计行与总计行")
def check_statement_lines(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables:
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


@explain(
    "balance.totals",
    "收入总计等于支出总计",
    "总表左边的收入总计（本年收入 + 使用非财政拨款结余 + 年初结转和结余）应等于右边的支出总计"
    "（本年支出 + 结余分配 + 年末结转和结余）。不相等，通常是某笔收入、支出或年初、年末结转和"
    "结余多填、漏填或填错了位置。请逐项核对各表的收入、支出和年初、年末结转和结余。",
)
@rule("balance.totals", ERROR, "收入总计等于支出总计")
def check_balance(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables:
        definition = table.definition
        if not isinstance(definition, StatementTable):
            continue
        (income_row, income_col), (expense_row, expense_col) = definition.balance
        income = table.amount(income_row, income_col)
        expense = table.amount(expense_row, expense_col)
        # Income and spending are entered apart: in 万元 each side may carry its rounding.
        refs = [(table.number, income_row, income_col), (table.number, expense_row, expense_col)]
        if abs(income - expense) > ctx.allowance(refs):
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
# 3. Across tables (DESIGN.md §5.3), by role: each pair is two sums that must agree.

Ref = tuple[str, str, str]  # (table role, row, column)


@dataclass(frozen=True)
class Cross:
    code: str
    title: str
    roles: tuple[str, str]


CROSS_RULES = (
    Cross("cross.income", "总表各项收入等于收入决算表", (R.STATEMENT, R.INCOME)),
    Cross("cross.expense", "总表各类支出等于支出决算表", (R.STATEMENT, R.EXPENSE)),
    Cross(
        "cross.general_budget",
        "财政拨款总表一般公共预算支出等于一般公共预算财政拨款支出决算表",
        (R.APPROPRIATION_STATEMENT, R.GENERAL_BUDGET),
    ),
    Cross(
        "cross.fund",
        "财政拨款总表政府性基金收支等于政府性基金预算财政拨款收入支出决算表",
        (R.APPROPRIATION_STATEMENT, R.FUND),
    ),
    Cross(
        "cross.capital",
        "财政拨款总表国有资本经营支出等于国有资本经营预算财政拨款支出决算表",
        (R.APPROPRIATION_STATEMENT, R.CAPITAL),
    ),
    Cross(
        "cross.economic",
        "经济分类表人员经费、公用经费合计等于一般公共预算财政拨款支出",
        (R.ECONOMIC, R.GENERAL_BUDGET),
    ),
)

# The economic table's columns and the general-budget table's columns that hold the same money.
ECONOMIC_COLUMNS = {"amount": "subtotal", "basic": "basic"}


def _categories(ctx: Context) -> list[str]:
    """The functional 类 printed anywhere: the statements' category lines and the trees' 类 rows."""
    found: set[str] = set()
    for table in ctx.tables:
        if isinstance(table.definition, StatementTable):
            prefix = f"{table.definition.right.key_prefix}."
            found |= {k.removeprefix(prefix) for k in table.rows if k.startswith(prefix)}
        elif isinstance(table.definition, TreeTable):
            found |= {k for k in table.rows if len(k) == 3}
    return sorted(c for c in found if c.isdigit())


def _cross_pairs(ctx: Context) -> Iterator[tuple[str, str, list[Ref], list[Ref]]]:
    """(code, what, left refs, right refs): the two sums that must agree."""
    for col, sources in (
        ("fiscal", ("general", "fund", "capital")),
        ("superior", ("superior",)),
        ("service", ("service",)),
        ("operating", ("operating",)),
        ("subsidiary", ("subsidiary",)),
        ("other", ("other",)),
        ("total", ("total",)),
    ):
        left = [(R.STATEMENT, f"income.{s}", "amount") for s in sources]
        yield (
            "cross.income",
            f"总表收入与收入决算表合计行「{col}」",
            left,
            [(R.INCOME, "total", col)],
        )
    for cat in _categories(ctx):
        yield (
            "cross.expense",
            f"总表与支出决算表 {cat} 类支出",
            [(R.STATEMENT, f"expense.{cat}", "amount")],
            [(R.EXPENSE, cat, "total")],
        )
        yield (
            "cross.general_budget",
            f"财政拨款总表与一般公共预算支出表 {cat} 类",
            [(R.APPROPRIATION_STATEMENT, f"expense.{cat}", "general")],
            [(R.GENERAL_BUDGET, cat, "subtotal")],
        )
        yield (
            "cross.fund",
            f"财政拨款总表与政府性基金表 {cat} 类支出",
            [(R.APPROPRIATION_STATEMENT, f"expense.{cat}", "fund")],
            [(R.FUND, cat, "subtotal")],
        )
        yield (
            "cross.capital",
            f"财政拨款总表与国有资本经营表 {cat} 类支出",
            [(R.APPROPRIATION_STATEMENT, f"expense.{cat}", "capital")],
            [(R.CAPITAL, cat, "total")],
        )
    yield (
        "cross.expense",
        "总表本年支出合计与支出决算表合计",
        [(R.STATEMENT, "expense.total", "amount")],
        [(R.EXPENSE, "total", "total")],
    )
    yield (
        "cross.general_budget",
        "财政拨款总表一般公共预算支出合计与一般公共预算支出表合计",
        [(R.APPROPRIATION_STATEMENT, "expense.total", "general")],
        [(R.GENERAL_BUDGET, "total", "subtotal")],
    )
    for row, col, what in (
        ("income.fund", "income", "政府性基金收入与政府性基金表本年收入"),
        ("income.opening.fund", "opening", "年初政府性基金结转与政府性基金表"),
    ):
        yield (
            "cross.fund",
            f"财政拨款总表{what}",
            [(R.APPROPRIATION_STATEMENT, row, "amount")],
            [(R.FUND, "total", col)],
        )
    yield (
        "cross.fund",
        "财政拨款总表年末政府性基金结转与政府性基金表",
        [(R.APPROPRIATION_STATEMENT, "expense.closing", "fund")],
        [(R.FUND, "total", "closing")],
    )
    yield (
        "cross.capital",
        "财政拨款总表国有资本经营支出合计与国有资本经营表合计",
        [(R.APPROPRIATION_STATEMENT, "expense.total", "capital")],
        [(R.CAPITAL, "total", "total")],
    )
    economic = ctx.role(R.ECONOMIC)
    if economic is not None:
        totals = [g.total_key for g in economic.definition.groups]  # type: ignore[union-attr]
        for col, label in (("amount", "全部支出"), ("basic", "基本支出")):
            if col not in economic.columns:
                continue  # a set whose economic table shows basic spending only
            yield (
                "cross.economic",
                f"经济分类表人员经费与公用经费合计（{label}）与一般公共预算支出表",
                [(R.ECONOMIC, total, col) for total in totals],
                [(R.GENERAL_BUDGET, "total", ECONOMIC_COLUMNS[col])],
            )


def _cross_rule(cross: Cross):
    def check(ctx: Context) -> Iterator[Finding]:
        for pair_code, what, left, right in _cross_pairs(ctx):
            if pair_code != cross.code or any(ctx.role(t) is None for t, _, _ in left + right):
                continue  # a table left out of this run: complete.table_missing says so
            a = sum((ctx.role(t).amount(r, c) for t, r, c in left), ZERO)  # type: ignore[union-attr]
            b = sum((ctx.role(t).amount(r, c) for t, r, c in right), ZERO)  # type: ignore[union-attr]
            refs = [(ctx.where(t), r, c) for t, r, c in (*left, *right)]
            if abs(a - b) > ctx.allowance(refs):
                role, row, col = right[0]
                table = ctx.role(role)
                yield Finding(
                    cross.code,
                    ERROR,
                    f"{what}不一致：{_fmt(a)} ≠ {_fmt(b)}",
                    table.number,  # type: ignore[union-attr]
                    table.row_label(row),  # type: ignore[union-attr]
                    col,
                )

    return check


for _cross in CROSS_RULES:
    rule(_cross.code, ERROR, _cross.title, roles=_cross.roles)(_cross_rule(_cross))

explain(
    "cross.income",
    "总表各项收入与收入决算表一致",
    "收入支出决算总表的各项收入（财政拨款收入、上级补助收入、事业收入等）应等于收入决算表合计行"
    "的对应栏次。两张表来自同一组数据；请到链接所指的表核对各“项”的收入金额。",
)
explain(
    "cross.expense",
    "总表各类支出与支出决算表一致",
    "收入支出决算总表中每一“类”的支出和本年支出合计，应等于支出决算表中该“类”的合计。"
    "请核对该“类”下各“项”的支出金额。",
)
explain(
    "cross.general_budget",
    "财政拨款总表与一般公共预算支出表一致",
    "财政拨款收入支出决算总表中一般公共预算财政拨款的每一“类”支出和合计，应等于一般公共预算"
    "财政拨款支出决算表中该“类”的小计。请在一般公共预算财政拨款支出决算表核对该“类”下各“项”"
    "的基本支出和项目支出。",
)
explain(
    "cross.fund",
    "财政拨款总表与政府性基金表一致",
    "财政拨款收入支出决算总表中政府性基金预算财政拨款的收入、支出和年初、年末结转和结余，"
    "应等于政府性基金预算财政拨款收入支出决算表的对应数。请在政府性基金表核对各“项”的金额。",
)
explain(
    "cross.capital",
    "财政拨款总表与国有资本经营支出表一致",
    "财政拨款收入支出决算总表中国有资本经营预算财政拨款的每一“类”支出和合计，应等于国有资本"
    "经营预算财政拨款支出决算表的对应数。请在国有资本经营表核对各“项”的金额。",
)
explain(
    "cross.economic",
    "经济分类与一般公共预算支出一致",
    "同一笔一般公共预算财政拨款支出，按经济分类（人员经费、公用经费各“款”）填一次，按功能分类"
    "（各“项”的基本支出、项目支出）也填一次，两者合计必须相等，基本支出部分也必须相等（只列"
    "基本支出的经济分类表，与基本支出比较）。请对照经济分类表各“款”和一般公共预算财政拨款支出"
    "决算表各“项”，找出多填、漏填或填错栏的一笔。",
)


# ------------------------------------------------------------------------------------------
# 4. 三公

THREE_PUBLIC_FIGURES = [
    f"tp_{kind}_{item}"
    for kind in ("budget", "actual")
    for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
]


def _blank_means_undisclosed(template: Template) -> bool:
    """Where a set prints zero as blank in the 三公 table, a blank item is a zero, not a gap."""
    return not template.three_public_blank_is_zero


@explain(
    "three_public.undisclosed",
    "“三公”经费各项都要填写",
    "“三公”经费的预算数和决算数要逐项公开：没有发生的项目也要填 0，表示已公开且为零；空着会被"
    "当作未公开。请在“三公”经费表把空着的项目填上金额或 0。",
)
@rule(
    "three_public.undisclosed",
    ERROR,
    "三公经费各项均须公开（为零也填0）",
    applies=_blank_means_undisclosed,
)
def check_three_public_items(ctx: Context) -> Iterator[Finding]:
    missing = [name for name in THREE_PUBLIC_FIGURES if ctx.data.figures.get(name) is None]
    if missing and len(missing) < len(THREE_PUBLIC_FIGURES):
        table = ctx.role(R.THREE_PUBLIC)
        row = next(iter(table.rows), "") if table else ""
        for name in missing:
            yield Finding(
                "three_public.undisclosed",
                ERROR,
                "“三公”经费该项未填写；没有发生也应填 0",
                ctx.where(R.THREE_PUBLIC),
                table.row_label(row) if table else "",
                name.removeprefix("tp_"),
            )


@explain(
    "three_public.no_data",
    "“三公”经费表没有数据",
    "“三公”经费的预算数和决算数全都空着，公开时这张表将显示“本表无数据”。如果本单位确实没有"
    "“三公”经费，建议逐项填 0，表明已公开且为零；如确应空着，提交时请说明原因。",
)
@rule("three_public.no_data", WARNING, "三公经费整表无数据", applies=_blank_means_undisclosed)
def check_three_public_empty(ctx: Context) -> Iterator[Finding]:
    if all(ctx.data.figures.get(name) is None for name in THREE_PUBLIC_FIGURES):
        table = ctx.role(R.THREE_PUBLIC)
        where = f"{table.caption}将显示“本表无数据”；" if table else ""
        yield Finding(
            "three_public.no_data",
            WARNING,
            f"“三公”经费预算数和决算数均未填写，{where}如确无支出，建议逐项填 0 以示公开",
            ctx.where(R.THREE_PUBLIC),
        )


# ------------------------------------------------------------------------------------------
# 5. Codes, names and amounts


@explain(
    "code.unknown",
    "科目编码在当年科目表中",
    "所用的功能分类、经济分类科目编码都应在本年度的科目表中。编码填错，或用了本年已停用的科目，"
    "都会出现此问题。请把金额改填到正确的科目下（清空原行的金额，再添加正确的科目）；如确为本年"
    "新增的科目，请系统管理员导入本年度科目表。",
)
@rule("code.unknown", ERROR, "科目编码须在当年科目表中")
def check_codes_known(ctx: Context) -> Iterator[Finding]:
    """Each code a fact uses, and its 类 and 款, is in the year's list. A filler cannot fix a
    list, so a year with no list of a kind is one warning, not one error per code, and a code
    missing from a list carried from another year (the year's own may have it) is a warning."""
    data = ctx.data
    kinds = (
        (CodeKind.FUNCTIONAL, data.functional_codes, {f.code for f in data.facts}, (3, 5, 7), ""),
        (
            CodeKind.ECONOMIC,
            data.economic_codes,
            {f.code for f in data.economic_facts},
            (3, 5),
            ctx.where(R.ECONOMIC),
        ),
    )
    for kind, listed, used, lengths, table in kinds:
        label = CodeKind(kind).label
        if used and not listed:
            yield Finding(
                "code.unknown",
                WARNING,
                f"{data.year}年度尚无{label}科目表，科目编码未能核对：请系统管理员导入该年度的"
                "科目表，或以上一年度的科目表为基础新建",
                table,
            )
            continue
        known = {c.code for c in listed}
        carried = data.codes_carried.get(kind)
        severity = WARNING if carried else ERROR
        note = (
            f"（本年度{label}科目表沿用{carried}年度，待系统管理员确认或导入）" if carried else ""
        )
        seen: set[str] = set()
        for full in sorted(used):
            for n in lengths:
                code = full[:n]
                if len(full) >= n and code not in known and code not in seen:
                    seen.add(code)
                    yield Finding(
                        "code.unknown",
                        severity,
                        f"{label}科目 {code} 不在 {data.year} 年科目表中{note}",
                        table,
                        code,
                    )


@explain(
    "code.level",
    "数据填到最明细一级科目",
    "功能分类的数据要填到7位的“项”级科目，经济分类的数据要填到5位的“款”级科目；“类”“款”的"
    "合计由系统相加。请把该金额改填到具体的“项”（或“款”）下：在导入的 Excel 中改正后重新导入，"
    "或请系统管理员删除填在上级科目上的数据。",
)
@rule("code.level", ERROR, "数据须填在最明细一级（功能分类到项，经济分类到款）")
def check_code_levels(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
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
                ctx.where(R.ECONOMIC),
                code,
            )


def _first_printing(ctx: Context, kind: str, code: str) -> FilledTable | None:
    """The first table that prints a row for `code` of this classification."""
    for table in ctx.tables:
        definition = table.definition
        economic = isinstance(definition, EconomicTable)
        if (kind == CodeKind.ECONOMIC) != economic:
            continue
        if code in table.rows:
            return table
        if isinstance(definition, StatementTable) and (
            f"{definition.right.key_prefix}.{code}" in table.rows
        ):
            return table
    return None


@explain(
    "code.name_differs",
    "科目名称与当年科目表一致",
    "报告印制的科目名称与本年度科目表中的名称不同，常见于沿用了以前年度的名称。如是笔误，请在"
    "原文件中改正后重新导入；如确是按原公开文件照印，提交时请说明。",
)
@rule("code.name_differs", WARNING, "报告印制的科目名称与当年科目表一致")
def check_printed_names(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    listed = {(CodeKind.FUNCTIONAL, c.code): c.name for c in data.functional_codes}
    listed |= {(CodeKind.ECONOMIC, c.code): c.name for c in data.economic_codes}
    for (kind, code), name in sorted(data.names.items()):
        official = listed.get((kind, code))
        if official is None or official == name:
            continue  # an unknown code is code.unknown's finding
        table = _first_printing(ctx, kind, code)
        yield Finding(
            "code.name_differs",
            WARNING,
            f"报告印作“{name}”，{data.year}年科目表为“{official}”",
            table.number if table else "",
            code,
        )


@explain(
    "amount.negative",
    "金额不能是负数",
    "收入、支出等金额不能为负数（只有年初、年末结转和结余可以为负）。负数多是录入时多打了负号，"
    "或把冲减的数填成了负数。请在所指的格中改为正确的金额。",
)
@rule("amount.negative", ERROR, "金额不得为负数")
def check_negative(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
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
                ctx.where(R.ECONOMIC),
                fact.code,
                fact.nature,
            )
    for name, value in data.figures.items():
        if isinstance(value, Decimal | int) and value < 0:
            yield Finding("amount.negative", ERROR, f"{name} 为负数 {_fmt(value)}", "", name)


# ------------------------------------------------------------------------------------------
# 6. Cells as a published document printed them


def _value_columns(table: FilledTable) -> set[str]:
    return {col for (_, col) in table.values}


def _rows_are_codes(table: FilledTable) -> bool:
    return isinstance(table.definition, TreeTable | EconomicTable)


@explain(
    "printed.unplaced",
    "印制数能对应到表中的格",
    "按已公开文件导入的报告，每个印制的数字都应对应到本表样中的一个格。找不到对应的格，通常是"
    "导入文件的行次、栏次与表样不一致。请检查导入文件的行次和栏次，改正后重新导入。",
)
@rule("printed.unplaced", ERROR, "印制数须对应模板中的单元格")
def check_printed_placed(ctx: Context) -> Iterator[Finding]:
    for (number, row, col), value in sorted(ctx.data.printed.items()):
        table = ctx.number(number)
        placed = table is not None and (
            (row, col) in table.values
            or (_rows_are_codes(table) and row.isdigit() and col in _value_columns(table))
        )
        if not placed:
            yield Finding(
                "printed.unplaced",
                ERROR,
                f"印制数 {_fmt(value)} 在本报告的表样中没有对应的单元格"
                f"（表 {number}，行 {row}，列 {col}）",
                number,
                row,
                col,
            )


@explain(
    "printed.differs",
    "印制数与明细汇总数一致",
    "按已公开文件导入的报告保留了原文件印制的数字，并与由明细数据汇总出的数比较；两者之差超过了"
    "单位换算允许的尾差。请核对组成该格的明细数据；如是原文件本身印错，提交时请说明。",
)
@rule("printed.differs", ERROR, "印制数与由明细汇总的数一致（允许单位换算尾差）")
def check_printed_cells(ctx: Context) -> Iterator[Finding]:
    """Each cell received as printed against the one derived from the facts, in the report's
    unit. A 万元 cell that adds up n rounded items may differ by the rounding those carry."""
    data = ctx.data
    if not data.printed:
        return
    for (number, row, col), printed in sorted(data.printed.items()):
        table = ctx.number(number)
        if table is None or table.kinds.get((row, col), "amount") != "amount":
            continue
        if (row, col) not in table.values and not (_rows_are_codes(table) and row.isdigit()):
            continue  # printed.unplaced
        derived = to_unit(table.amount(row, col), data.unit)
        # A cell that adds up n rounded items against its own printed rounding: n + 1 roundings;
        # a single item is its own printed figure.
        count = ctx.input_count(number, row, col)
        allowance = rounding_allowance(data.unit, count + 1 if count > 1 else 0)
        difference = _num(printed) - derived
        if abs(difference) > allowance:
            tolerance = f"，超出单位换算允许的尾差 {allowance:.3f}" if allowance else ""
            yield Finding(
                "printed.differs",
                ERROR,
                f"印制数 {_fmt(printed)} 与由明细汇总的 {_fmt(derived)}（{data.unit}）"
                f"相差 {_fmt(difference)}{tolerance}",
                number,
                table.row_label(row),
                col,
            )


# ------------------------------------------------------------------------------------------
# 7. Completeness


@explain(
    "complete.table_missing",
    "表样规定的各表齐全",
    "报告应包含本表样规定的全部表格。缺表通常是报告的表样设置有误，请联系系统管理员核对。",
)
@rule("complete.table_missing", ERROR, "模板规定的各表齐全")
def check_tables_present(ctx: Context) -> Iterator[Finding]:
    present = {t.number for t in ctx.tables}
    for definition in ctx.template.tables:
        if definition.number not in present:
            yield Finding("complete.table_missing", ERROR, "缺少该表", definition.number)


@explain(
    "complete.no_data_note",
    "没有数据的表注明“本表无数据”",
    "没有数据的表也要公开，并注明“本表无数据”。这句说明由表样提供，出现此问题请联系系统管理员"
    "检查表样设置。",
)
@rule("complete.no_data_note", ERROR, "无数据的表须注明“本表无数据”")
def check_empty_notes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables:
        if table.empty and "本表无数据" not in table.empty_note:
            yield Finding(
                "complete.no_data_note", ERROR, "该表没有数据，但未注明“本表无数据”", table.number
            )


TEXT_REQUIREMENTS = (
    ("complete.text_three_public", "三公", "情况说明未对“三公”经费支出作出说明"),
    ("complete.text_admin_cost", "机关运行经费", "情况说明未对机关运行经费支出作出说明"),
)


def _text_rule(code: str, keyword: str, message: str):
    def check(ctx: Context) -> Iterator[Finding]:
        if not any(keyword in heading or keyword in body for heading, body in ctx.data.texts):
            yield Finding(code, ERROR, message)

    return check


for _code, _keyword, _message in TEXT_REQUIREMENTS:
    rule(_code, ERROR, _message)(_text_rule(_code, _keyword, _message))

explain(
    "complete.text_three_public",
    "情况说明中说明了“三公”经费",
    "情况说明中必须有一段说明“三公”经费的支出情况，没有支出也要写明。请在“情况说明与名词解释”"
    "页添加或补充这一段。",
)
explain(
    "complete.text_admin_cost",
    "情况说明中说明了机关运行经费",
    "情况说明中必须有一段说明机关运行经费的支出情况，没有支出也要写明。请在“情况说明与名词解释”"
    "页添加或补充这一段。",
)


# ------------------------------------------------------------------------------------------
# 7b. Figures entered separately: 06's 三公 lines against 07, 08's codes

# 经济分类 款 of each 三公 item.
THREE_PUBLIC_ECONOMIC = (
    ("abroad", "30212", "因公出国（境）费用"),
    ("reception", "30217", "公务接待费"),
    ("vehicle_operation", "30231", "公务用车运行维护费"),
    ("vehicle_purchase", "31013", "公务用车购置"),
)


@explain(
    "cross.three_public_economic",
    "经济分类中的“三公”科目与“三公”经费表一致",
    "经济分类表中的因公出国（境）费用（30212）、公务接待费（30217）、公务用车运行维护费（30231）、"
    "公务用车购置（31013）应与“三公”经费表对应项目的决算数相等；经济分类表只列基本支出时，不能"
    "大于“三公”经费表的数。请核对两张表中这几项的金额。",
)
@rule(
    "cross.three_public_economic",
    ERROR,
    "公开06表的三公经济分类科目与公开07表决算数一致",
    roles=(R.ECONOMIC, R.THREE_PUBLIC),
)
def check_three_public_economic(ctx: Context) -> Iterator[Finding]:
    """06 prints the general budget's spending by economic class. Where it has a total column
    (basic and project), each 三公 line equals 07's 决算数; where it shows 基本支出 only, 07 may
    be larger by the project spending 06 cannot show, and only a 06 line above 07 is wrong."""
    economic = ctx.role(R.ECONOMIC)
    if economic is None:
        return
    total_column = "amount" in economic.columns
    col = "amount" if total_column else "basic"
    for item, code, label in THREE_PUBLIC_ECONOMIC:
        actual = ctx.data.figures.get(f"tp_actual_{item}")
        line = economic.value(code, col) if code in economic.rows else None
        if actual is None and not line:
            continue
        line, actual = _num(line), _num(actual)
        if total_column and line != actual:
            yield Finding(
                "cross.three_public_economic",
                ERROR,
                f"公开06表 {code} {label} {_fmt(line)} 元，公开07表决算数 {_fmt(actual)} 元",
                economic.number,
                code,
                col,
            )
        elif not total_column and line > actual:
            yield Finding(
                "cross.three_public_economic",
                ERROR,
                f"公开06表 {code} {label}（基本支出）{_fmt(line)} 元，超过公开07表决算数 "
                f"{_fmt(actual)} 元（07表含项目支出，只可能更大）",
                economic.number,
                code,
                col,
            )


@explain(
    "fund.code_not_fund",
    "政府性基金支出使用基金预算科目",
    "列入政府性基金预算财政拨款的支出，只能使用政府性基金预算支出科目。如这笔支出其实是一般公共"
    "预算财政拨款，请把金额移到一般公共预算财政拨款支出决算表的相应行；如是科目选错，请改用"
    "正确的基金科目。",
)
@rule("fund.code_not_fund", ERROR, "政府性基金预算支出只能使用政府性基金预算科目")
def check_fund_codes(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    spent = sorted({f.code for f in data.facts if f.source == "fund"})
    if not spent:
        return
    funds = {c.code for c in data.functional_codes if c.fund}
    table = ctx.where(R.FUND)
    if not funds:
        return  # the year's list does not mark its fund subjects: nothing to check against
    for code in spent:
        if code not in funds and code[:5] not in funds:
            yield Finding(
                "fund.code_not_fund",
                ERROR,
                f"{code} {data.functional_name(code) or ''}不是政府性基金预算支出科目，"
                "不能列入政府性基金预算财政拨款",
                table,
                code,
            )


# ------------------------------------------------------------------------------------------
# 8. Text against tables (情况说明) and the self-evaluations (附件): their own modules.

from performance import checks as _evaluation_checks  # noqa: E402, F401

from . import narrative  # noqa: E402, F401

# ------------------------------------------------------------------------------------------


def rules_skipped(template: Template) -> list[Rule]:
    """The rules that do not apply to a template (it lacks the tables they compare)."""
    return [r for r in RULES if not r.applies_to(template)]


def report_check(
    data: ReportData, tables: Sequence[FilledTable], *, template: Template
) -> list[Finding]:
    """Runs every rule that applies to the template over a report's facts and filled tables.

    Returns the findings, errors first, each with its code, severity and location. A rule whose
    tables the template does not have is skipped (`rules_skipped`), never failed.
    """
    ctx = Context(data, template, list(tables))
    findings = [f for r in RULES if r.applies_to(template) for f in r.func(ctx)]
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.table, f.code))


def table_row_key(table: FilledTable, row: str) -> str | None:
    """The key of the row a finding names: by its key, code, 行次 or label (a statement's 类 by
    its code: 210 is expense.210)."""
    if row in table.rows:
        return row
    for attr in ("code", "line", "label"):
        for key, meta in table.rows.items():
            if getattr(meta, attr) == row:
                return key
    return next((key for key in table.rows if key.endswith(f".{row}")), None)


def finding_place(finding: Finding, tables: Sequence[FilledTable]) -> str:
    """Where a finding is, as staff read it: the row by its code and name or its 行次 and label,
    the column by its printed label, the text by its section and sentence."""
    if finding.part:
        if finding.table:  # a claim of the text against a table's figure
            return f"{finding.part}（对照公开{finding.table}表 {finding.row}）".replace(" ）", "）")
        detail = finding.row
        if finding.column and detail.endswith("处"):
            detail = f"「{finding.column}」{detail}"  # a match in an evaluation's text part
        elif finding.column:
            detail += f"「{finding.column}」"
        return f"{finding.part}{detail}"
    table = next((t for t in tables if t.number == finding.table and finding.table), None)
    if table is None:
        return finding.location
    parts = [f"公开{finding.table}表"]
    key = table_row_key(table, finding.row) if finding.row else None
    if key is not None:
        meta = table.rows[key]
        if meta.code:
            parts.append(f"{meta.code} {meta.label}".strip())
        elif meta.line:
            parts.append(f"第{meta.line}行 {meta.label}".strip())
        else:
            parts.append(meta.label or finding.row)
    elif finding.row:
        parts.append(finding.row)
    if finding.column:
        column = table.column_for(key or "", finding.column)
        parts.append(f"「{column.label if column is not None else finding.column}」")
    return " ".join(parts[:2]) + "".join(parts[2:])


def findings_summary(findings: Sequence[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    return f"共 {len(findings)} 条：错误 {errors} 条，警告 {warnings} 条"
