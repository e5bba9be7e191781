"""The ten-table set the seed report publishes (泽州县总工会 2022, Shanxi).

Tables 01–04 and 07–09 are shared with other sets (`common`); 05, 06 and 10 are this set's own.
"""

from ..engine import (
    Col,
    Econ,
    EconGroup,
    EconomicTable,
    Figure,
    Figures,
    FormRow,
    FormTable,
    Section,
    Template,
    TreeTable,
)
from ..vocab import Nature, Source, TableRole
from .common import (
    CODE_STUB,
    PROCUREMENT_PARTS,
    PROCUREMENT_SME_ROWS,
    T01,
    T02,
    T03,
    T04,
    T07,
    T08,
    T09,
    appropriation_entry,
    equipment_row,
    spending_columns,
    text_items,
    vehicle_rows,
)

BASIC = Nature.BASIC

T05 = TreeTable(
    role=TableRole.GENERAL_BUDGET,
    number="05",
    entry_columns=appropriation_entry(Source.GENERAL, "一般公共预算财政拨款"),
    title="一般公共预算财政拨款支出决算表",
    note="注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    columns=(
        CODE_STUB,
        Col("spending", "本年支出", spending_columns(Source.GENERAL)),
    ),
)

# All general-budget spending by economic 类/款, with its basic part beside it; 人员经费 in one
# block and 公用经费 flowed over three, as the seed prints it.
T06 = EconomicTable(
    role=TableRole.ECONOMIC,
    number="06",
    title="一般公共预算财政拨款支出决算明细表",
    note="注：本表反映部门本年度一般公共预算财政拨款支出明细情况（其中包括基本支出明细情况）。",
    columns=(
        Col("amount", "金额", value=Econ()),
        Col("basic", "其中：基本支出", value=Econ((BASIC,))),
    ),
    # 金额 is basic plus project spending: the project part is entered beside it.
    entry_columns=(Col("entry_project", "其中：项目支出", value=Econ((Nature.PROJECT,))),),
    groups=(
        EconGroup("人员经费", 1, "personnel_total"),
        EconGroup("公用经费", 3, "public_total"),
    ),
)

T10 = FormTable(
    role=TableRole.INFO,
    entity_label="单位名称",
    number="10",
    title="部门决算公开相关信息统计表",
    note="注：本表反映部门本年度政府采购及机关运行经费和国有资产占用情况。",
    columns=(Col("value", "金额（数量）"),),
    column_numbers=False,
    # As the seed prints it: no header on top, each part its own (国有资产占用 none, its labels
    # carry their units and it reads under 统计数).
    top_header=False,
    rows=(
        Section("一、政府采购情况", heads=("项目", "行次", "采购金额")),
        FormRow("procurement.total", "合计", "1", {"value": Figures(PROCUREMENT_PARTS)}),
        FormRow("procurement.goods", "货物", "2", {"value": Figure("procurement_goods")}),
        FormRow("procurement.works", "工程", "3", {"value": Figure("procurement_works")}),
        FormRow("procurement.services", "服务", "4", {"value": Figure("procurement_services")}),
        Section("二、机关运行经费", heads=("项目", "行次", "统计数")),
        FormRow(
            "admin_cost.admin_units",
            "（一）行政单位",
            "5",
            {"value": Figure("admin_cost_admin_units")},
        ),
        FormRow(
            "admin_cost.civil_servant_institutions",
            "（二）参照公务员法管理事业单位",
            "6",
            {"value": Figure("admin_cost_civil_servant_institutions")},
        ),
        Section("三、国有资产占用情况"),
        *vehicle_rows(first_line=7),
        equipment_row(line="17", label="（二）单价100万元（含）以上设备（不含车辆）"),
    ),
)

STANDARD_10 = Template(
    key="standard-10",
    name="十张表（山西省样式，2019年起）",
    tables=(T01, T02, T03, T04, T05, T06, T07, T08, T09, T10),
    years=(2019, 2100),
    regions=("山西省",),
    # 公开10表 has no line for the contracts awarded to small and medium firms: the text has them.
    text_items=text_items(Section("政府采购"), *PROCUREMENT_SME_ROWS),
)
