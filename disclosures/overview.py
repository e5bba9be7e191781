"""The main figures of a report, their change across years, and the charts of the report page.

Plain functions over filled tables: every number is read from a table the engine filled; what is
computed here is only a share, a difference or a rate between two such numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .engine import FilledTable, Value

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    cells: tuple[tuple[str, str, str], ...]  # (table, row, column), added up
    kind: str = "amount"  # amount | count


MAIN_FIGURES = (
    Metric("income_grand_total", "收入总计", (("01", "income.grand_total", "amount"),)),
    Metric("income_total", "本年收入合计", (("01", "income.total", "amount"),)),
    Metric("appropriation_income", "其中：财政拨款收入", (("02", "total", "fiscal"),)),
    Metric("expense_grand_total", "支出总计", (("01", "expense.grand_total", "amount"),)),
    Metric("expense_total", "本年支出合计", (("01", "expense.total", "amount"),)),
    Metric("basic", "其中：基本支出", (("03", "total", "basic"),)),
    Metric("project", "其中：项目支出", (("03", "total", "project"),)),
    Metric("personnel", "基本支出中的人员经费", (("06", "personnel_total", "basic"),)),
    Metric("public", "基本支出中的公用经费", (("06", "public_total", "basic"),)),
    Metric("closing", "年末结转和结余", (("01", "expense.closing", "amount"),)),
    Metric("three_public", "“三公”经费决算", (("07", "three_public", "actual_total"),)),
    Metric(
        "admin_cost",
        "机关运行经费",
        (
            ("10", "admin_cost.admin_units", "value"),
            ("10", "admin_cost.civil_servant_institutions", "value"),
        ),
    ),
    Metric("procurement", "政府采购", (("10", "procurement.total", "value"),)),
    Metric("vehicles", "车辆数（辆）", (("10", "vehicles.total", "value"),), "count"),
)

# Comparatives a report states for the year before it (情况说明), for when that year is not here.
PRIOR_YEAR_FIGURES = {
    "income_grand_total": "prior_year_total",
    "expense_grand_total": "prior_year_total",
    "admin_cost": "admin_cost_prior_year",
}


def _by_number(tables: Sequence[FilledTable]) -> dict[str, FilledTable]:
    return {t.number: t for t in tables}


def main_figures(tables: Sequence[FilledTable]) -> dict[str, Value]:
    """The headline figures of one report; None where the report does not disclose one."""
    by_number = _by_number(tables)
    result: dict[str, Value] = {}
    for metric in MAIN_FIGURES:
        parts = [by_number[t].value(r, c) for t, r, c in metric.cells if t in by_number]
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

    `reports` is (year, filled tables, scalar figures) per published report. When the year before
    the oldest report is not published, the comparatives that report states (上年数) fill a column
    of their own, marked as stated.
    """
    columns = [YearColumn(y, f"{y}年", main_figures(t)) for y, t, _ in sorted(reports)]
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
    parts = [f"{b.label}{_fmt(b.value)}{unit}（{b.share}%）" for b in bars]
    return prefix + "；".join(parts) + "。" if parts else prefix + "无数据。"


def report_charts(
    tables: Sequence[FilledTable], *, previous: dict[str, Value] | None, previous_label: str = ""
) -> list[Chart]:
    """The report page's charts: spending by 类, basic vs project, income sources, vs last year."""
    t = _by_number(tables)
    unit = tables[0].unit if tables else "元"
    charts = []

    expense = t["03"]
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
        )
    )

    natures = [
        (expense.column_label(col), expense.amount("total", col))
        for col in ("basic", "project", "remit", "operating", "subsidiary")
    ]
    bars = _bars(natures, sort=False)
    charts.append(
        Chart(
            "basic-project",
            "基本支出与项目支出",
            _describe("本年支出中：", bars, unit),
            bars,
            kind="stacked",
        )
    )

    statement = t["01"]
    income = [
        (line.label.split("、", 1)[-1], statement.amount(line.key, "amount"))
        for line in getattr(statement.definition, "left", ())
        if line.group == "income"
    ]
    bars = _bars(income)
    charts.append(
        Chart("income-sources", "收入来源", _describe("本年收入来源：", bars, unit), bars)
    )

    if previous:
        current = main_figures(tables)
        pair_bars = []
        sentences = []
        for key, label in (("income_grand_total", "收入总计"), ("expense_grand_total", "支出总计")):
            now, before = current.get(key), previous.get(key)
            if now is None or before is None:
                continue
            diff, pct = change(now, before)
            longest = max(now, before) or Decimal(1)
            pair_bars += [
                Bar(
                    label,
                    Decimal(before),
                    None,
                    _pct(before, longest) or Decimal(0),
                    previous_label,
                ),
                Bar(
                    label, Decimal(now), pct, _pct(now, longest) or Decimal(0), f"{expense.year}年"
                ),
            ]
            trend = "增加" if diff >= 0 else "减少"
            rate = f"，{'增长' if diff >= 0 else '下降'}{abs(pct)}%" if pct is not None else ""
            sentences.append(
                f"{label}{previous_label}{_fmt(before)}{unit}，{expense.year}年{_fmt(now)}{unit}，"
                f"{trend}{_fmt(abs(diff))}{unit}{rate}"
            )
        if pair_bars:
            charts.append(
                Chart(
                    "year-change",
                    "与上年比较",
                    "；".join(sentences) + "。",
                    pair_bars,
                    kind="pairs",
                )
            )
    return charts
