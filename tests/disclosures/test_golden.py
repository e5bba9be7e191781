"""The ten tables filled from the seed's facts agree with every printed figure of the seed."""

from decimal import Decimal

import pytest

from disclosures.engine import NO_DATA_NOTE
from disclosures.selectors import report_tables

D = Decimal

INCOME_KEYS = {
    "general_budget_appropriation": "income.general",
    "government_fund_appropriation": "income.fund",
    "soe_capital_appropriation": "income.capital",
    "superior_subsidy": "income.superior",
    "service_revenue": "income.service",
    "operating_revenue": "income.operating",
    "subsidiary_remittance": "income.subsidiary",
    "other": "income.other",
    "total_this_year": "income.total",
    "use_of_non_appropriation_balance": "income.use_of_balance",
    "opening_carryover": "income.opening",
    "grand_total": "income.grand_total",
}
EXPENSE_KEYS = {
    "total_this_year": "expense.total",
    "balance_distribution": "expense.distribution",
    "closing_carryover": "expense.closing",
    "grand_total": "expense.grand_total",
}


def printed(table) -> dict:
    """Every cell the table prints as a number (zero prints blank)."""
    return {k: D(v) for k, v in table.values.items() if v is not None and v != 0}


def nonzero(expected: dict) -> dict:
    return {k: D(v) for k, v in expected.items() if D(v) != 0}


def tree_expected(leaves: dict[str, dict[str, str]], columns: dict[str, list[str]]) -> dict:
    """项 figures from the golden file, with their 款, 类 and 合计 rows (sums, as printed)."""
    expected: dict = {}
    for code, figures in leaves.items():
        for col, parts in columns.items():
            amount = sum((D(figures[p]) for p in parts), D(0))
            for row in (code[:3], code[:5], code, "total"):
                expected[(row, col)] = expected.get((row, col), D(0)) + amount
    return expected


@pytest.fixture
def tables(demo_report):
    return {t.number: t for t in report_tables(report=demo_report)}


@pytest.mark.django_db
def test_table01_every_printed_cell(tables, golden):
    t = tables["01"]
    g = golden["table01"]
    expected = {(INCOME_KEYS[k], "amount"): v for k, v in g["income"].items()}
    expected |= {(EXPENSE_KEYS[k], "amount"): v for k, v in g["expense"].items()}
    expected |= {(f"expense.{c}", "amount"): v for c, v in g["expense_by_category"].items()}
    assert printed(t) == nonzero(expected)
    # Layout as printed: 26 类 rows, 行次 1–31 on the left and 32–62 on the right.
    assert len(t.body) == 31
    assert [c.value for c in t.body[0]] == [
        "一、一般公共预算财政拨款收入",
        "1",
        D("5939150.00"),
        "一、一般公共服务支出",
        "32",
        D("5369668.00"),
    ]
    assert t.rows["income.total"].line == "27"
    assert t.rows["income.grand_total"].line == "31"
    assert t.rows["expense.total"].line == "58"
    assert t.rows["expense.grand_total"].line == "62"
    assert t.rows["expense.221"].label == "十九、住房保障支出"
    assert t.rows["expense.234"].line == "57"
    assert ("income.total", "amount") in t.derived
    assert ("expense.grand_total", "amount") in t.derived


@pytest.mark.django_db
def test_table02_every_printed_cell(tables, golden):
    t = tables["02"]
    leaves = golden["table02_income_by_item"]
    expected = tree_expected(leaves, {"total": ["total"], "fiscal": ["fiscal_appropriation"]})
    assert printed(t) == nonzero(expected)
    # Derived cells as the seed prints them.
    assert t.value("total", "total") == D("5939150.00")
    assert t.value("201", "fiscal") == D("5369668.00")
    assert t.value("20805", "total") == D("333790.00")
    assert t.value("21011", "total") == D("88717.00")
    assert {("total", "total"), ("201", "fiscal"), ("2012901", "total")} <= t.derived
    assert ("2012901", "fiscal") not in t.derived
    assert [c.value for c in t.header[-1]] == ["栏次", "1", "2", "3", "4", "5", "6", "7"]
    assert [r.code for r in t.rows.values()][:5] == ["", "201", "20129", "2012901", "2012999"]
    assert t.rows["2080505"].label == "机关事业单位基本养老保险缴费支出"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "key", "columns"),
    [
        ("03", "table03_expense_by_item", {"total": ["basic", "project"]}),
        ("05", "table05_general_budget_by_item", {"subtotal": ["basic", "project"]}),
    ],
)
def test_tables03_05_every_printed_cell(tables, golden, number, key, columns):
    t = tables[number]
    leaves = golden[key]
    expected = tree_expected(leaves, {**columns, "basic": ["basic"], "project": ["project"]})
    assert printed(t) == nonzero(expected)
    total = next(iter(columns))
    assert t.value("total", total) == D("5939150.00")
    assert t.value("total", "basic") == D("3029150.00")
    assert t.value("total", "project") == D("2910000.00")
    assert t.value("201", "project") == D("2910000.00")
    assert t.value("2012999", "basic") == 0  # printed blank


@pytest.mark.django_db
def test_table04_every_printed_cell(tables, golden):
    t = tables["04"]
    by_category = golden["table01"]["expense_by_category"]
    expected = {
        ("income.general", "amount"): "5939150.00",
        ("income.total", "amount"): "5939150.00",
    }
    expected[("income.grand_total", "amount")] = "5939150.00"
    for code, amount in by_category.items():
        expected[(f"expense.{code}", "total")] = amount
        expected[(f"expense.{code}", "general")] = amount
    for row in ("expense.total", "expense.grand_total"):
        expected[(row, "total")] = expected[(row, "general")] = "5939150.00"
    assert printed(t) == nonzero(expected)
    assert len(t.body) == 32
    assert t.rows["income.grand_total"].line == "32"
    assert t.rows["expense.201"].line == "33"
    assert t.rows["expense.total"].line == "59"
    assert t.rows["expense.closing"].line == "60"
    assert t.rows["expense.grand_total"].line == "64"
    assert [c.value for c in t.header[-1]] == ["栏次", "1", "栏次", "2", "3", "4", "5"]


@pytest.mark.django_db
def test_table06_every_printed_cell(tables, golden):
    t = tables["06"]
    expected = {}
    for code, row in golden["table06_economic"].items():
        expected[(code, "amount")] = row["amount"]
        expected[(code, "basic")] = row["basic"]
    keys = {"personnel_total": "personnel_total", "public_total": "public_total"}
    for code, (amount, basic) in golden["table06_printed_totals"].items():
        row = keys.get(code, code)
        expected[(row, "amount")] = amount
        expected[(row, "basic")] = basic
    assert printed(t) == nonzero(expected)
    # The seed's layout: 人员经费 in one block, 公用经费 flowed over three, 28 rows and a total row.
    assert len(t.body) == 29
    assert all(sum(c.colspan for c in row) == 16 for row in t.body)
    assert [c.value for c in t.body[0][::4]] == ["301", "302", "307", "31011"]
    assert [c.value for c in t.body[-1]] == [
        "人员经费合计",
        D("4811353.00"),
        D("2861353.00"),
        "公用经费合计",
        D("1127797.00"),
        D("167797.00"),
    ]
    # 基本支出 is not applicable to 309, 311, 313 and their 款: printed "────".
    for code in ("309", "30901", "311", "31199", "313", "31304"):
        assert t.value(code, "basic") is None
    na = [c for row in t.body for c in row if c.kind == "na"]
    assert len(na) == 13 + 3 + 4 and {c.value for c in na} == {"────"}
    assert [c.value for c in t.header[0]] == ["人员经费", "公用经费"]
    assert [c.colspan for c in t.header[0]] == [4, 12]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["07", "08", "09"])
def test_empty_tables_carry_the_note(tables, number):
    t = tables[number]
    assert t.empty
    assert t.empty_note == NO_DATA_NOTE == "说明：本表无数据"
    assert printed(t) == {}


@pytest.mark.django_db
def test_table07_layout(tables):
    t = tables["07"]
    assert [c.value for c in t.header[-1]] == [str(n) for n in range(1, 13)]
    assert [c.value for c in t.header[0]] == ["预算数", "决算数"]
    assert all(v is None for v in t.values.values())  # undisclosed, not zero


@pytest.mark.django_db
def test_table10_every_printed_cell(tables, golden):
    t = tables["10"]
    g = golden["table10"]
    assert t.value("procurement.total", "value") == D(g["procurement"]["total"])
    assert t.value("admin_cost.admin_units", "value") == D("235594.00")
    assert t.value("vehicles.total", "value") == g["vehicles"]["total"] == 1
    assert t.value("vehicles.other", "value") == g["vehicles"]["other"]
    assert t.value("equipment_over_1m", "value") == g["equipment_over_1m"]
    assert printed(t) == {
        ("admin_cost.admin_units", "value"): D("235594.00"),
        ("vehicles.total", "value"): D(1),
        ("vehicles.other", "value"): D(1),
    }
    assert [r.line for r in t.rows.values()] == [str(n) for n in (*range(1, 16), 17)]


@pytest.mark.django_db
def test_every_table_has_caption_and_heading_line(tables):
    assert [t.caption for t in tables.values()] == [f"公开{n:02d}表" for n in range(1, 11)]
    for t in tables.values():
        assert t.department == "泽州县总工会" and t.year == 2022 and t.unit == "元"
        assert t.note.startswith("注：")
