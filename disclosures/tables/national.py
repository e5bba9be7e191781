"""The nine-table set many provinces and years publish (DESIGN.md §3b), often in 万元.

As the seed's set but: 05 heads its columns 合计 | 基本支出 | 项目支出; 06 is the general-budget
**basic** spending by economic 类/款 in one 决算数 column; there is no table 10, and 机关运行经费,
政府采购, the vehicles and the equipment of 100万元 and more are disclosed in 情况说明.
"""

from ..engine import Col, Econ, EconGroup, EconomicTable, Template, TreeTable
from ..vocab import Nature, Source, TableRole
from .common import (
    CODE_STUB,
    T01,
    T02,
    T03,
    T04,
    T07,
    T08,
    T09,
    TEXT_ADMIN_COST,
    TEXT_ASSETS,
    TEXT_PROCUREMENT,
    appropriation_entry,
    spending_columns,
    text_items,
)

BASIC = Nature.BASIC

N05 = TreeTable(
    role=TableRole.GENERAL_BUDGET,
    number="05",
    entry_columns=appropriation_entry(Source.GENERAL, "一般公共预算财政拨款"),
    title="一般公共预算财政拨款支出决算表",
    note="注：本表反映部门本年度一般公共预算财政拨款实际支出情况。",
    columns=(
        CODE_STUB,
        *spending_columns(Source.GENERAL, total=("subtotal", "合计")),
    ),
)

# Basic spending only: the rows are the codes basic spending can use, and the one column is the
# basic part, so the table's totals equal 05's 基本支出 column, not its 合计.
N06 = EconomicTable(
    role=TableRole.ECONOMIC,
    number="06",
    title="一般公共预算财政拨款基本支出决算表",
    note="注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    columns=(Col("basic", "决算数", value=Econ((BASIC,))),),
    groups=(
        EconGroup("人员经费", 1, "personnel_total"),
        EconGroup("公用经费", 2, "public_total"),
    ),
    basic_only=True,
)

NATIONAL_9 = Template(
    key="national-9",
    name="九张表（全国通用样式，2019年起）",
    tables=(T01, T02, T03, T04, N05, N06, T07, T08, T09),
    years=(2019, 2100),
    text_items=text_items(*TEXT_ADMIN_COST, *TEXT_PROCUREMENT, *TEXT_ASSETS),
    three_public_blank_is_zero=True,
)
