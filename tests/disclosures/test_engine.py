"""The engine on small hand-made data: no database, no seed."""

from decimal import Decimal

from disclosures.engine import (
    Code,
    Col,
    EconomicRow,
    FactRow,
    ReportData,
    chinese_number,
    header_rows,
    table_fill,
)
from disclosures.tables import T01, T02, T06, T07, T08, T10

D = Decimal


def small_data() -> ReportData:
    return ReportData(
        department="测试局",
        year=2023,
        functional_codes=[
            Code("201", "一般公共服务支出", "类"),
            Code("205", "教育支出", "类"),
            Code("20101", "人大事务", "款"),
            Code("2010101", "行政运行", "项"),
            Code("2010102", "一般行政管理事务", "项"),
            Code("20502", "普通教育", "款"),
            Code("2050201", "学前教育", "项"),
        ],
        economic_codes=[
            Code("301", "工资福利支出", "类", "人员经费"),
            Code("30101", "基本工资", "款", "人员经费"),
            Code("302", "商品和服务支出", "类", "公用经费"),
            Code("30201", "办公费", "款", "公用经费"),
            Code("309", "资本性支出（基本建设）", "类", "公用经费", False),
            Code("30901", "房屋构筑物构建", "款", "公用经费", False),
        ],
        facts=[
            FactRow("income", "2010101", "general", "", D("100.10")),
            FactRow("income", "2010102", "service", "", D("50.00")),
            FactRow("income", "2050201", "fund", "", D("30.00")),
            FactRow("expense", "2010101", "general", "basic", D("90.10")),
            FactRow("expense", "2010102", "nonfiscal", "project", D("50.00")),
            FactRow("expense", "2050201", "fund", "project", D("20.00")),
            FactRow("opening", "2050201", "fund", "", D("5.00")),
            FactRow("closing", "2050201", "fund", "", D("15.00")),
            FactRow("closing", "2010101", "general", "", D("10.00")),
        ],
        economic_facts=[
            EconomicRow("30101", "basic", D("80.00")),
            EconomicRow("30201", "basic", D("10.10")),
            EconomicRow("30901", "project", D("7.00")),
        ],
        figures={"vehicles_other": 2, "vehicles_emergency": 1, "procurement_goods": D("3.50")},
    )


def test_tree_rows_sums_and_sources():
    t = table_fill(T02, small_data())
    assert list(t.rows) == [
        "total",
        "201",
        "20101",
        "2010101",
        "2010102",
        "205",
        "20502",
        "2050201",
    ]
    assert t.value("total", "total") == D("180.10")
    assert t.value("total", "fiscal") == D("130.10")  # general + fund appropriations
    assert t.value("201", "service") == D("50.00")
    assert t.value("2010102", "total") == D("50.00")
    assert not t.empty


def test_fund_table_has_balances_and_only_fund_rows():
    t = table_fill(T08, small_data())
    assert list(t.rows) == ["total", "205", "20502", "2050201"]
    assert t.value("total", "opening") == D("5.00")
    assert t.value("total", "income") == D("30.00")
    assert t.value("total", "subtotal") == D("20.00")
    assert t.value("total", "closing") == D("15.00")


def test_statement_balances_with_carryovers():
    t = table_fill(T01, small_data())
    assert t.value("income.total", "amount") == D("180.10")
    assert t.value("income.opening", "amount") == D("5.00")
    assert t.value("income.grand_total", "amount") == D("185.10")
    assert t.value("expense.201", "amount") == D("140.10")
    assert t.value("expense.205", "amount") == D("20.00")
    assert t.value("expense.closing", "amount") == D("25.00")
    assert t.value("expense.grand_total", "amount") == D("185.10")
    # Two 类 in the list: the left side is not padded past its own items.
    assert len(t.body) == 8 + 5


def test_economic_table_blocks_and_not_applicable():
    t = table_fill(T06, small_data())
    assert t.value("301", "amount") == D("80.00")
    assert t.value("309", "amount") == D("7.00")
    assert t.value("309", "basic") is None
    assert t.value("public_total", "amount") == D("17.10")
    assert t.value("public_total", "basic") == D("10.10")
    assert len(t.body) == 2 + 1  # two rows per block at most, then the totals row


def test_three_public_blank_until_disclosed():
    data = small_data()
    t = table_fill(T07, data)
    assert t.empty and t.value("three_public", "actual_total") is None
    data.figures["tp_actual_reception"] = D("0")
    t = table_fill(T07, data)
    assert t.value("three_public", "actual_total") == D("0")
    assert t.value("three_public", "actual_vehicle") is None


def test_form_counts_stay_whole_numbers():
    t = table_fill(T10, small_data())
    assert t.value("vehicles.total", "value") == 3
    assert isinstance(t.value("vehicles.total", "value"), int)
    assert t.value("procurement.total", "value") == D("3.50")


def test_header_spans_from_column_tree():
    cols = (
        Col("stub", "项目", (Col("code", "编码", kind="code"), Col("name", "名称", kind="label"))),
        Col("a", "甲", number="1"),
        Col("g", "乙", (Col("b", "丙", number="2"), Col("c", "丁", number="3"))),
    )
    rows = header_rows(cols, numbers=True)
    assert [[(c.value, c.colspan, c.rowspan) for c in r] for r in rows] == [
        [("项目", 2, 1), ("甲", 1, 2), ("乙", 2, 1)],
        [("编码", 1, 1), ("名称", 1, 1), ("丙", 1, 1), ("丁", 1, 1)],
        [("栏次", 2, 1), ("1", 1, 1), ("2", 1, 1), ("3", 1, 1)],
    ]


def testchinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 19, 20, 21, 26)] == [
        "一",
        "九",
        "十",
        "十一",
        "十九",
        "二十",
        "二十一",
        "二十六",
    ]
