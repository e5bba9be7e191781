"""The tables and rows most sets share, as data for the engine.

01–04 and 07–09 are printed alike by the seed's ten-table set and the nine-table set; the rows of
政府采购, 机关运行经费 and 国有资产占用 are the same whether a set prints them in a table (公开10表)
or discloses them in 情况说明.
"""

from ..engine import (
    BLANK,
    CategoryLines,
    Col,
    Cols,
    Facts,
    Figure,
    Figures,
    FormRow,
    FormTable,
    Group,
    Line,
    Lines,
    Section,
    Share,
    StatementTable,
    TreeTable,
)
from ..vocab import APPROPRIATIONS, VEHICLE_USES, Measure, Nature, Source, TableRole

INCOME, EXPENSE, OPENING, CLOSING = (
    Measure.INCOME,
    Measure.EXPENSE,
    Measure.OPENING,
    Measure.CLOSING,
)
GENERAL, FUND, CAPITAL = Source.GENERAL, Source.FUND, Source.CAPITAL
NONFISCAL = Source.NONFISCAL
BASIC, PROJECT = Nature.BASIC, Nature.PROJECT


def spending_columns(
    source: str, *, total: tuple[str, str] = ("subtotal", "小计"), first: int = 1
) -> tuple[Col, Col, Col]:
    """An appropriation's spending as 05, 08 and 09 print it: its total (key, label), 基本支出 and
    项目支出, with 栏次 from `first`."""
    key, label = total
    return (
        Col(key, label, number=str(first), value=Cols(("basic", "project"))),
        Col("basic", "基本支出", number=str(first + 1), value=Facts(EXPENSE, (source,), (BASIC,))),
        Col(
            "project",
            "项目支出",
            number=str(first + 2),
            value=Facts(EXPENSE, (source,), (PROJECT,)),
        ),
    )


def appropriation_entry(source: str, label: str) -> tuple[Col, ...]:
    """What an appropriation's spending table does not print but its form takes, by 项: the
    appropriation's income and its opening and closing balances (as 08 prints them for funds)."""
    return (
        Col("entry_income", f"本年收入（{label}）", value=Facts(INCOME, (source,))),
        Col("entry_opening", f"年初结转和结余（{label}）", value=Facts(OPENING, (source,))),
        Col("entry_closing", f"年末结转和结余（{label}）", value=Facts(CLOSING, (source,))),
    )


CODE_STUB = Col(
    "item",
    "项目",
    (
        Col("code", "功能分类科目编码", kind="code"),
        Col("name", "科目名称", kind="label"),
    ),
)

T01 = StatementTable(
    role=TableRole.STATEMENT,
    number="01",
    title="收入支出决算总表",
    note="注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。",
    left_title="收入",
    right_title="支出",
    left_columns=(Col("amount", "决算数", number="1"),),
    right_columns=(Col("amount", "决算数", number="2"),),
    left=tuple(
        Line(
            f"income.{source}",
            label,
            {"amount": Facts(INCOME, (source,))},
            group="income",
        )
        for source, label in (
            (Source.GENERAL, "一、一般公共预算财政拨款收入"),
            (Source.FUND, "二、政府性基金预算财政拨款收入"),
            (Source.CAPITAL, "三、国有资本经营预算财政拨款收入"),
            (Source.SUPERIOR, "四、上级补助收入"),
            (Source.SERVICE, "五、事业收入"),
            (Source.OPERATING, "六、经营收入"),
            (Source.SUBSIDIARY, "七、附属单位上缴收入"),
            (Source.OTHER, "八、其他收入"),
        )
    ),
    left_tail=(
        Line("income.total", "本年收入合计", {"amount": Group("income")}),
        Line(
            "income.use_of_balance",
            "使用非财政拨款结余",
            {"amount": Figure("use_of_non_appropriation_balance")},
        ),
        Line("income.opening", "年初结转和结余", {"amount": Facts(OPENING)}),
        BLANK,
        Line(
            "income.grand_total",
            "总计",
            {"amount": Lines(("income.total", "income.use_of_balance", "income.opening"))},
        ),
    ),
    right=CategoryLines("expense", {"amount": Facts(EXPENSE)}),
    right_tail=(
        Line("expense.total", "本年支出合计", {"amount": Group("categories")}),
        Line(
            "expense.distribution",
            "结余分配",
            {"amount": Figure("balance_distribution")},
        ),
        Line("expense.closing", "年末结转和结余", {"amount": Facts(CLOSING)}),
        BLANK,
        Line(
            "expense.grand_total",
            "总计",
            {"amount": Lines(("expense.total", "expense.distribution", "expense.closing"))},
        ),
    ),
    balance=(("income.grand_total", "amount"), ("expense.grand_total", "amount")),
)

T02 = TreeTable(
    role=TableRole.INCOME,
    number="02",
    title="收入决算表",
    note="注：本表反映部门本年度取得的各项收入情况。",
    columns=(
        CODE_STUB,
        Col(
            "total",
            "本年收入合计",
            number="1",
            value=Cols(("fiscal", "superior", "service", "operating", "subsidiary", "other")),
        ),
        Col("fiscal", "财政拨款收入", number="2", value=Facts(INCOME, APPROPRIATIONS)),
        Col(
            "superior",
            "上级补助收入",
            number="3",
            value=Facts(INCOME, (Source.SUPERIOR,)),
        ),
        Col("service", "事业收入", number="4", value=Facts(INCOME, (Source.SERVICE,))),
        Col(
            "operating",
            "经营收入",
            number="5",
            value=Facts(INCOME, (Source.OPERATING,)),
        ),
        Col(
            "subsidiary",
            "附属单位上缴收入",
            number="6",
            value=Facts(INCOME, (Source.SUBSIDIARY,)),
        ),
        Col("other", "其他收入", number="7", value=Facts(INCOME, (Source.OTHER,))),
    ),
)

T03 = TreeTable(
    role=TableRole.EXPENSE,
    number="03",
    title="支出决算表",
    note="注：本表反映部门本年度各项支出情况。",
    columns=(
        CODE_STUB,
        Col(
            "total",
            "本年支出合计",
            number="1",
            value=Cols(("basic", "project", "remit", "operating", "subsidiary")),
        ),
        Col("basic", "基本支出", number="2", value=Facts(EXPENSE, natures=(BASIC,))),
        Col("project", "项目支出", number="3", value=Facts(EXPENSE, natures=(PROJECT,))),
        Col(
            "remit",
            "上缴上级支出",
            number="4",
            value=Facts(EXPENSE, natures=(Nature.REMIT,)),
        ),
        Col(
            "operating",
            "经营支出",
            number="5",
            value=Facts(EXPENSE, natures=(Nature.OPERATING,)),
        ),
        Col(
            "subsidiary",
            "对附属单位补助支出",
            number="6",
            value=Facts(EXPENSE, natures=(Nature.SUBSIDIARY,)),
        ),
    ),
    # 基本支出 and 项目支出 add up the appropriations' spending (entered on their own tables) and
    # that of other money, entered here; so are other money's balances.
    entry_columns=(
        Col("entry_basic", "基本支出（非财政拨款）", value=Facts(EXPENSE, (NONFISCAL,), (BASIC,))),
        Col(
            "entry_project",
            "项目支出（非财政拨款）",
            value=Facts(EXPENSE, (NONFISCAL,), (PROJECT,)),
        ),
        Col("entry_opening", "年初结转和结余（非财政拨款）", value=Facts(OPENING, (NONFISCAL,))),
        Col("entry_closing", "年末结转和结余（非财政拨款）", value=Facts(CLOSING, (NONFISCAL,))),
    ),
)

T04 = StatementTable(
    role=TableRole.APPROPRIATION_STATEMENT,
    number="04",
    title="财政拨款收入支出决算总表",
    note=(
        "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算"
        "财政拨款的总收支和年末结转结余情况。"
    ),
    left_title="收入",
    right_title="支出",
    left_columns=(Col("amount", "金额", number="1"),),
    right_columns=(
        Col("total", "合计", number="2", value=Cols(("general", "fund", "capital"))),
        Col("general", "一般公共预算财政拨款", number="3"),
        Col("fund", "政府性基金预算财政拨款", number="4"),
        Col("capital", "国有资本经营预算财政拨款", number="5"),
    ),
    left=(
        Line(
            "income.general",
            "一、一般公共预算财政拨款",
            {"amount": Facts(INCOME, (GENERAL,))},
            "income",
        ),
        Line(
            "income.fund",
            "二、政府性基金预算财政拨款",
            {"amount": Facts(INCOME, (FUND,))},
            "income",
        ),
        Line(
            "income.capital",
            "三、国有资本经营预算财政拨款",
            {"amount": Facts(INCOME, (CAPITAL,))},
            "income",
        ),
    ),
    left_tail=(
        Line("income.total", "本年收入合计", {"amount": Group("income")}),
        Line("income.opening", "年初财政拨款结转和结余", {"amount": Group("opening")}),
        Line(
            "income.opening.general",
            "一般公共预算财政拨款",
            {"amount": Facts(OPENING, (GENERAL,))},
            "opening",
        ),
        Line(
            "income.opening.fund",
            "政府性基金预算财政拨款",
            {"amount": Facts(OPENING, (FUND,))},
            "opening",
        ),
        Line(
            "income.opening.capital",
            "国有资本经营预算财政拨款",
            {"amount": Facts(OPENING, (CAPITAL,))},
            "opening",
        ),
        Line(
            "income.grand_total",
            "收入总计",
            {"amount": Lines(("income.total", "income.opening"))},
        ),
    ),
    right=CategoryLines(
        "expense",
        {
            "total": Cols(("general", "fund", "capital")),
            "general": Facts(EXPENSE, (GENERAL,)),
            "fund": Facts(EXPENSE, (FUND,)),
            "capital": Facts(EXPENSE, (CAPITAL,)),
        },
    ),
    right_tail=(
        Line(
            "expense.total",
            "本年支出合计",
            {k: Group("categories") for k in ("total", "general", "fund", "capital")},
        ),
        Line(
            "expense.closing",
            "年末财政拨款结转和结余",
            {
                "total": Cols(("general", "fund", "capital")),
                "general": Facts(CLOSING, (GENERAL,)),
                "fund": Facts(CLOSING, (FUND,)),
                "capital": Facts(CLOSING, (CAPITAL,)),
            },
        ),
        BLANK,
        BLANK,
        BLANK,
        Line(
            "expense.grand_total",
            "总计",
            {
                k: Lines(("expense.total", "expense.closing"))
                for k in ("total", "general", "fund", "capital")
            },
        ),
    ),
    balance=(("income.grand_total", "amount"), ("expense.grand_total", "total")),
)


def _three_public(kind: str, label: str, first: int) -> Col:
    n = [str(first + i) for i in range(6)]
    return Col(
        kind,
        label,
        (
            Col(
                f"{kind}_total",
                "合计",
                number=n[0],
                value=Cols((f"{kind}_abroad", f"{kind}_vehicle", f"{kind}_reception")),
                check="three_public.sum",
            ),
            Col(
                f"{kind}_abroad",
                "因公出国（境）费",
                number=n[1],
                value=Figure(f"tp_{kind}_abroad"),
            ),
            Col(
                f"{kind}_vehicle_group",
                "公务用车购置及运行维护费",
                (
                    Col(
                        f"{kind}_vehicle",
                        "小计",
                        number=n[2],
                        value=Cols((f"{kind}_vehicle_purchase", f"{kind}_vehicle_operation")),
                        check="three_public.vehicle_sum",
                    ),
                    Col(
                        f"{kind}_vehicle_purchase",
                        "公务用车购置费",
                        number=n[3],
                        value=Figure(f"tp_{kind}_vehicle_purchase"),
                    ),
                    Col(
                        f"{kind}_vehicle_operation",
                        "公务用车运行维护费",
                        number=n[4],
                        value=Figure(f"tp_{kind}_vehicle_operation"),
                    ),
                ),
            ),
            Col(
                f"{kind}_reception",
                "公务接待费",
                number=n[5],
                value=Figure(f"tp_{kind}_reception"),
            ),
        ),
    )


T07 = FormTable(
    role=TableRole.THREE_PUBLIC,
    number="07",
    title="财政拨款“三公”经费支出决算表",
    note=(
        "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
        "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。"
    ),
    columns=(
        _three_public("budget", "预算数", 1),
        _three_public("actual", "决算数", 7),
    ),
    rows=(FormRow("three_public", "“三公”经费"),),
    stub=False,
)


def _line(first: int | None, offset: int) -> str:
    return "" if first is None else str(first + offset)


PROCUREMENT_PARTS = ("procurement_goods", "procurement_works", "procurement_services")
ADMIN_COST_PARTS = ("admin_cost_admin_units", "admin_cost_civil_servant_institutions")


def vehicle_rows(*, first_line: int | None = None, numbered: bool = True) -> tuple[FormRow, ...]:
    """车辆数合计 and the vehicles by use: in 公开10表 (行次 from `first_line`) or in the text."""
    uses = tuple(
        FormRow(
            f"vehicles.{name}",
            f"{i}.{label}" if numbered else label,
            _line(first_line, i),
            {"value": Figure(f"vehicles_{name}")},
            "count",
            "辆",
        )
        for i, (name, label) in enumerate(VEHICLE_USES, start=1)
    )
    total = FormRow(
        "vehicles.total",
        "（一）车辆数合计（辆）" if numbered else "车辆数合计",
        _line(first_line, 0),
        {"value": Lines(tuple(r.key for r in uses))},
        "count",
        "辆",
    )
    return (total, *uses)


def equipment_row(
    *, line: str = "", label: str = "单价100万元（含）以上设备（不含车辆）"
) -> FormRow:
    return FormRow(
        "equipment_over_1m",
        label,
        line,
        {"value": Figure("equipment_over_1m")},
        "count",
        "台（套）",
    )


def _share(item: str, label: str) -> FormRow:
    return FormRow(
        f"procurement.{item}_share",
        label,
        values={"value": Share(Figure(f"procurement_{item}"), Figures(PROCUREMENT_PARTS))},
        kind="percent",
    )


# Contracts awarded to small and medium firms: every set discloses them in 情况说明.
PROCUREMENT_SME_ROWS = (
    FormRow("procurement.sme", "授予中小企业合同金额", values={"value": Figure("procurement_sme")}),
    _share("sme", "占政府采购支出总额的比例"),
    FormRow(
        "procurement.micro",
        "其中：授予小微企业合同金额",
        values={"value": Figure("procurement_micro")},
    ),
    _share("micro", "占政府采购支出总额的比例"),
)

# Every scalar item a set may disclose in 情况说明 instead of a table, as the text states them.
TEXT_ADMIN_COST = (
    Section("机关运行经费"),
    FormRow("admin_cost.total", "机关运行经费支出", values={"value": Figures(ADMIN_COST_PARTS)}),
    FormRow(
        "admin_cost.admin_units",
        "其中：行政单位",
        values={"value": Figure("admin_cost_admin_units")},
    ),
    FormRow(
        "admin_cost.civil_servant_institutions",
        "参照公务员法管理事业单位",
        values={"value": Figure("admin_cost_civil_servant_institutions")},
    ),
)
TEXT_PROCUREMENT = (
    Section("政府采购"),
    FormRow("procurement.total", "政府采购支出总额", values={"value": Figures(PROCUREMENT_PARTS)}),
    FormRow("procurement.goods", "其中：货物", values={"value": Figure("procurement_goods")}),
    FormRow("procurement.works", "工程", values={"value": Figure("procurement_works")}),
    FormRow("procurement.services", "服务", values={"value": Figure("procurement_services")}),
    *PROCUREMENT_SME_ROWS,
)
TEXT_ASSETS = (
    Section("国有资产占用"),
    *vehicle_rows(numbered=False),
    equipment_row(),
)


def text_items(*rows: FormRow | Section) -> FormTable:
    """The items a set discloses in 情况说明, filled like a table and shown there."""
    return FormTable(
        role=TableRole.TEXT_ITEMS,
        number="",
        title="其他重要事项",
        columns=(Col("value", "金额（数量）"),),
        rows=rows,
        column_numbers=False,
    )


T08 = TreeTable(
    role=TableRole.FUND,
    number="08",
    title="政府性基金预算财政拨款收入支出决算表",
    note="注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    unit_label="单位",
    columns=(
        CODE_STUB,
        Col("opening", "年初结转和结余", number="1", value=Facts(OPENING, (FUND,))),
        Col("income", "本年收入", number="2", value=Facts(INCOME, (FUND,))),
        Col(
            "spending",
            "本年支出",
            spending_columns(FUND, first=3),
        ),
        Col("closing", "年末结转和结余", number="6", value=Facts(CLOSING, (FUND,))),
    ),
)

T09 = TreeTable(
    role=TableRole.CAPITAL,
    number="09",
    title="国有资本经营预算财政拨款支出决算表",
    note="注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
    unit_label="单位",
    columns=(
        CODE_STUB,
        Col(
            "spending",
            "本年支出",
            spending_columns(CAPITAL, total=("total", "合计")),
        ),
    ),
    entry_columns=appropriation_entry(CAPITAL, "国有资本经营预算财政拨款"),
)
