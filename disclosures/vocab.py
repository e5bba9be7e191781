"""The vocabulary of the facts: what a fact measures, whose money it is and what kind of spending.

Plain choices with no database behind them, so the table engine and the checks can use them in
tests that never touch a database.
"""

from functools import cache

from django.db import models


class Measure(models.TextChoices):
    INCOME = "income", "本年收入"
    EXPENSE = "expense", "本年支出"
    OPENING = "opening", "年初结转和结余"
    CLOSING = "closing", "年末结转和结余"


class Source(models.TextChoices):
    """Where the money comes from: the three kinds of appropriation, then the other income.

    Income is recorded by its kind; spending and balances of money that is not an appropriation
    are recorded as 非财政拨款, because no table tells them apart by the income they came from.
    """

    GENERAL = "general", "一般公共预算财政拨款"
    FUND = "fund", "政府性基金预算财政拨款"
    CAPITAL = "capital", "国有资本经营预算财政拨款"
    SUPERIOR = "superior", "上级补助收入"
    SERVICE = "service", "事业收入"
    OPERATING = "operating", "经营收入"
    SUBSIDIARY = "subsidiary", "附属单位上缴收入"
    OTHER = "other", "其他收入"
    NONFISCAL = "nonfiscal", "非财政拨款"


APPROPRIATIONS = (Source.GENERAL, Source.FUND, Source.CAPITAL)
INCOME_SOURCES = (
    *APPROPRIATIONS,
    Source.SUPERIOR,
    Source.SERVICE,
    Source.OPERATING,
    Source.SUBSIDIARY,
    Source.OTHER,
)
SPENDING_SOURCES = (*APPROPRIATIONS, Source.NONFISCAL)  # spending and balances


class Nature(models.TextChoices):
    """The kind of spending; blank for income and balances."""

    NONE = "", "—"
    BASIC = "basic", "基本支出"
    PROJECT = "project", "项目支出"
    REMIT = "remit", "上缴上级支出"
    OPERATING = "operating", "经营支出"
    SUBSIDIARY = "subsidiary", "对附属单位补助支出"


# An appropriation is spent as 基本支出 or 项目支出 only; 上缴上级支出, 经营支出 and
# 对附属单位补助支出 are spent from other money.
APPROPRIATION_NATURES = (Nature.BASIC, Nature.PROJECT)
SPENDING_NATURES = (
    Nature.BASIC,
    Nature.PROJECT,
    Nature.REMIT,
    Nature.OPERATING,
    Nature.SUBSIDIARY,
)


@cache
def fact_keys(measure: str) -> tuple[tuple[str, str], ...]:
    """The (source, nature) pairs a fact of `measure` may have: the whole space the tables read."""
    if measure == Measure.INCOME:
        return tuple((s, "") for s in INCOME_SOURCES)
    if measure == Measure.EXPENSE:
        return tuple((s, n) for s in APPROPRIATIONS for n in APPROPRIATION_NATURES) + tuple(
            (Source.NONFISCAL, n) for n in SPENDING_NATURES
        )
    return tuple((s, "") for s in SPENDING_SOURCES)


class CodeKind(models.TextChoices):
    FUNCTIONAL = "functional", "支出功能分类"
    ECONOMIC = "economic", "支出经济分类"


class CodeLevel(models.TextChoices):
    CATEGORY = "类", "类"
    SECTION = "款", "款"
    ITEM = "项", "项"


# The level a code's length stands for, per classification.
FUNCTIONAL_LEVEL_BY_LENGTH = {
    3: CodeLevel.CATEGORY,
    5: CodeLevel.SECTION,
    7: CodeLevel.ITEM,
}
ECONOMIC_LEVEL_BY_LENGTH = {3: CodeLevel.CATEGORY, 5: CodeLevel.SECTION}


class EconomicGroup(models.TextChoices):
    PERSONNEL = "人员经费", "人员经费"
    PUBLIC = "公用经费", "公用经费"


class TableRole(models.TextChoices):
    """What a table of a template is for. Checks and headline figures find tables by role, never by
    number: the same role may be 公开06表 in one province's set and 表6 or absent in another."""

    STATEMENT = "statement", "收入支出决算总表"
    INCOME = "income", "收入决算表"
    EXPENSE = "expense", "支出决算表（全部支出按性质）"
    APPROPRIATION_STATEMENT = "appropriation_statement", "财政拨款收入支出决算总表"
    GENERAL_BUDGET = "general_budget", "一般公共预算财政拨款支出决算表"
    ECONOMIC = "economic", "一般公共预算财政拨款支出按经济分类"
    THREE_PUBLIC = "three_public", "“三公”经费支出决算表"
    FUND = "fund", "政府性基金预算财政拨款收入支出决算表"
    CAPITAL = "capital", "国有资本经营预算财政拨款支出决算表"
    INFO = "info", "政府采购、机关运行经费和国有资产占用情况"
    TEXT_ITEMS = "text_items", "在情况说明中公开的事项"


# 车辆 by use, as 公开10表 and the texts list them: (field suffix, label).
VEHICLE_USES = (
    ("ministerial", "副部（省）级及以上领导用车"),
    ("leaders", "主要领导干部用车"),
    ("confidential", "机要通信用车"),
    ("emergency", "应急保障用车"),
    ("law_enforcement", "执法执勤用车"),
    ("special", "特种专业技术用车"),
    ("retirees", "离退休干部用车"),
    ("other", "其他用车"),
)
