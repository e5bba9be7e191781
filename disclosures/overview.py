"""The main figures of a report, their change across years, and the charts of the report page.

Plain functions over filled tables: every number is read from a table the engine filled; what is
computed here is only a share, a difference or a rate between two such numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .engine import Facts, FilledTable, Value
from .units import to_unit
from .vocab import VEHICLE_USES, TableRole

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
R = TableRole


@dataclass(frozen=True)
class Metric:
    """A headline figure, found by meaning: cells of the tables with given roles (added up), or
    scalar items, which are stored whether a set prints them in a table or in 情况说明."""

    key: str
    label: str
    cells: tuple[tuple[str, str, str], ...] = ()  # (table role, row, column), added up
    figures: tuple[str, ...] = ()  # or scalar items, added up
    kind: str = "amount"  # amount | count


MAIN_FIGURES = (
    Metric("income_grand_total", "收入总计", ((R.STATEMENT, "income.grand_total", "amount"),)),
    Metric("income_total", "本年收入合计", ((R.STATEMENT, "income.total", "amount"),)),
    Metric("appropriation_income", "其中：财政拨款收入", ((R.INCOME, "total", "fiscal"),)),
    Metric("expense_grand_total", "支出总计", ((R.STATEMENT, "expense.grand_total", "amount"),)),
    Metric("expense_total", "本年支出合计", ((R.STATEMENT, "expense.total", "amount"),)),
    Metric("basic", "其中：基本支出", ((R.EXPENSE, "total", "basic"),)),
    Metric("project", "其中：项目支出", ((R.EXPENSE, "total", "project"),)),
    Metric("personnel", "基本支出中的人员经费", ((R.ECONOMIC, "personnel_total", "basic"),)),
    Metric("public", "基本支出中的公用经费", ((R.ECONOMIC, "public_total", "basic"),)),
    Metric("closing", "年末结转和结余", ((R.STATEMENT, "expense.closing", "amount"),)),
    Metric(
        "three_public",
        "“三公”经费决算",
        figures=tuple(
            f"tp_actual_{item}"
            for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
        ),
    ),
    Metric(
        "admin_cost",
        "机关运行经费",
        figures=("admin_cost_admin_units", "admin_cost_civil_servant_institutions"),
    ),
    Metric(
        "procurement",
        "政府采购",
        figures=("procurement_goods", "procurement_works", "procurement_services"),
    ),
    Metric(
        "vehicles",
        "车辆数（辆）",
        figures=tuple(f"vehicles_{name}" for name, _ in VEHICLE_USES),
        kind="count",
    ),
)

# Comparatives a report states for the year before it (情况说明), for when that year is not here.
PRIOR_YEAR_FIGURES = {
    "income_grand_total": "prior_year_total",
    "expense_grand_total": "prior_year_total",
    "admin_cost": "admin_cost_prior_year",
}


def _by_role(tables: Sequence[FilledTable]) -> dict[str, FilledTable]:
    return {t.role: t for t in tables if t.role}


def main_figures(tables: Sequence[FilledTable], figures: dict[str, Value]) -> dict[str, Value]:
    """The headline figures of one report in 元, whatever its table set; None where the report
    does not disclose one. A figure the report printed as received wins over the derived one."""
    by_role = _by_role(tables)
    result: dict[str, Value] = {}
    for metric in MAIN_FIGURES:
        parts = [by_role[t].as_printed(r, c) for t, r, c in metric.cells if t in by_role]
        parts += [figures.get(name) for name in metric.figures]
        present = [p for p in parts if p is not None]
        result[metric.key] = sum(present) if present else None
    return result


def change(current: Value, previous: Value) -> tuple[Value, Decimal | None]:
    """The difference and the rate of change in percent (None against a zero or missing base)."""
    if current is None or previous is None:
        return None, None
    diff = current - previous
    if previous == 0:
        return diff, None
    return diff, (Decimal(diff) * HUNDRED / Decimal(previous)).quantize(CENT, ROUND_HALF_UP)


@dataclass
class YearColumn:
    year: int
    label: str
    values: dict[str, Value]
    stated: bool = False  # taken from the next year's report text, not from a report of its own


@dataclass
class ComparisonCell:
    value: Value
    diff: Value = None
    pct: Decimal | None = None
    first: bool = False


@dataclass
class ComparisonRow:
    metric: Metric
    cells: list[ComparisonCell] = field(default_factory=list)


def year_comparison(
    reports: Sequence[tuple[int, Sequence[FilledTable], dict]],
) -> tuple[list[YearColumn], list[ComparisonRow]]:
    """Main figures side by side, oldest year first, each with its change from the column before.

    `reports` is (year, filled tables, scalar figures) per published report; each year may use
    another table set, the figures are found by meaning. Values stay in 元 (the page prints them
    in one unit). When the year before the oldest report is not published, the comparatives that
    report states (上年数) fill a column of their own, marked as stated.
    """
    columns = [
        YearColumn(y, f"{y}年", main_figures(t, f))
        for y, t, f in sorted(reports, key=lambda r: r[0])
    ]
    if reports:
        oldest_year, _, figures = min(reports, key=lambda r: r[0])
        stated = {
            key: figures.get(name)
            for key, name in PRIOR_YEAR_FIGURES.items()
            if figures.get(name) is not None
        }
        if stated:
            columns.insert(
                0,
                YearColumn(
                    oldest_year - 1,
                    f"{oldest_year - 1}年（摘自{oldest_year}年报告）",
                    stated,
                    stated=True,
                ),
            )
    rows = []
    for metric in MAIN_FIGURES:
        row = ComparisonRow(metric)
        previous: Value = None
        for i, column in enumerate(columns):
            value = column.values.get(metric.key)
            diff, pct = change(value, previous) if i else (None, None)
            row.cells.append(ComparisonCell(value, diff, pct, first=i == 0))
            previous = value
        rows.append(row)
    return columns, rows


# ---------------------------------------------------------------------------------------------
# Charts


@dataclass
class Bar:
    label: str
    value: Decimal
    share: Decimal | None = None  # percent of the chart's total
    width: Decimal = Decimal(0)  # percent of the longest bar
    series: str = ""


@dataclass
class Chart:
    key: str
    title: str
    summary: str  # the text alternative: what the chart shows, in one sentence
    bars: list[Bar]
    kind: str = "bars"  # bars | stacked | pairs
    note: str = ""
    unit: str = "元"  # the unit the chart prints its amounts in (bars keep 元)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    return f"{value:,.2f}"


def _bars(items: list[tuple[str, Decimal]], *, sort: bool = True) -> list[Bar]:
    items = [(label, Decimal(v)) for label, v in items if v]
    if sort:
        items.sort(key=lambda item: item[1], reverse=True)
    total = sum((v for _, v in items), Decimal(0))
    longest = max((v for _, v in items), default=Decimal(0))
    return [Bar(label, v, _pct(v, total), _pct(v, longest) or Decimal(0)) for label, v in items]


def _describe(prefix: str, bars: list[Bar], unit: str) -> str:
    parts = [f"{b.label}{_fmt(to_unit(b.value, unit))}{unit}（{b.share}%）" for b in bars]
    return prefix + "；".join(parts) + "。" if parts else prefix + "无数据。"


def report_charts(
    tables: Sequence[FilledTable],
    figures: dict[str, Value],
    *,
    previous: dict[str, Value] | None,
    previous_label: str = "",
) -> list[Chart]:
    """The report page's charts: spending by 类, by nature, income sources, vs last year.

    Bars keep their values in 元; shares come from them, and every amount a chart prints (its bars
    and its text alternative) is in the report's unit. Tables are found by role.
    """
    t = _by_role(tables)
    unit = tables[0].unit if tables else "元"
    charts = []

    expense = t.get(R.EXPENSE)
    statement = t.get(R.STATEMENT)
    if expense is not None:
        by_category = [
            (meta.label or code, expense.amount(code, "total"))
            for code, meta in expense.rows.items()
            if len(meta.code) == 3
        ]
        bars = _bars(by_category)
        charts.append(
            Chart(
                "by-category",
                "支出按功能分类（类）",
                _describe("本年支出按功能分类：", bars, unit),
                bars,
                unit=unit,
            )
        )
        charts.append(_nature_chart(expense, unit))
    if statement is not None:
        charts.append(_income_chart(statement, unit))
    if previous:
        chart = _change_chart(main_figures(tables, figures), previous, previous_label, unit, t)
        if chart is not None:
            charts.append(chart)
    return charts


def _nature_chart(expense: FilledTable, unit: str) -> Chart:
    """Spending by nature: the expense table's columns that each sum facts of given natures."""
    natures = [
        (col.label, expense.amount("total", col.key))
        for col in expense.columns.values()
        if isinstance(col.value, Facts) and col.value.natures
    ]
    bars = _bars(natures, sort=False)
    return Chart(
        "basic-project",
        "基本支出与项目支出",
        _describe("本年支出中：", bars, unit),
        bars,
        kind="stacked",
        unit=unit,
    )


def _income_chart(statement: FilledTable, unit: str) -> Chart:
    income = [
        (line.label.split("、", 1)[-1], statement.amount(line.key, "amount"))
        for line in getattr(statement.definition, "left", ())
        if line.group == "income"
    ]
    bars = _bars(income)
    return Chart(
        "income-sources", "收入来源", _describe("本年收入来源：", bars, unit), bars, unit=unit
    )


def _change_chart(
    current: dict[str, Value],
    previous: dict[str, Value],
    previous_label: str,
    unit: str,
    tables: dict[str, FilledTable],
) -> Chart | None:
    year = next(iter(tables.values())).year
    pair_bars = []
    sentences = []
    for key, label in (("income_grand_total", "收入总计"), ("expense_grand_total", "支出总计")):
        now, before = current.get(key), previous.get(key)
        if now is None or before is None:
            continue
        diff, pct = change(now, before)
        longest = max(now, before) or Decimal(1)
        pair_bars += [
            Bar(label, Decimal(before), None, _pct(before, longest) or Decimal(0), previous_label),
            Bar(label, Decimal(now), pct, _pct(now, longest) or Decimal(0), f"{year}年"),
        ]
        trend = "增加" if diff >= 0 else "减少"
        rate = f"，{'增长' if diff >= 0 else '下降'}{abs(pct)}%" if pct is not None else ""

        def amount(value: Value) -> str:
            return f"{_fmt(to_unit(value, unit))}{unit}"  # type: ignore[arg-type]

        sentences.append(
            f"{label}{previous_label}{amount(before)}，{year}年{amount(now)}，"
            f"{trend}{amount(abs(diff))}{rate}"  # type: ignore[arg-type]
        )
    if not pair_bars:
        return None
    return Chart(
        "year-change", "与上年比较", "；".join(sentences) + "。", pair_bars, kind="pairs", unit=unit
    )
