"""The vocabulary of the facts: what a fact measures, whose money it is and what kind of spending.

Plain choices with no database behind them, so the table engine and the checks can use them in
tests that never touch a database.
"""

from django.db import models


class Measure(models.TextChoices):
    INCOME = "income", "本年收入"
    EXPENSE = "expense", "本年支出"
    OPENING = "opening", "年初结转和结余"
    CLOSING = "closing", "年末结转和结余"


class Source(models.TextChoices):
    """Where the money comes from: the three kinds of appropriation, then the other income."""

    GENERAL = "general", "一般公共预算财政拨款"
    FUND = "fund", "政府性基金预算财政拨款"
    CAPITAL = "capital", "国有资本经营预算财政拨款"
    SUPERIOR = "superior", "上级补助收入"
    SERVICE = "service", "事业收入"
    OPERATING = "operating", "经营收入"
    SUBSIDIARY = "subsidiary", "附属单位上缴收入"
    OTHER = "other", "其他收入"


APPROPRIATIONS = (Source.GENERAL, Source.FUND, Source.CAPITAL)


class Nature(models.TextChoices):
    """The kind of spending; blank for income and balances."""

    NONE = "", "—"
    BASIC = "basic", "基本支出"
    PROJECT = "project", "项目支出"
    REMIT = "remit", "上缴上级支出"
    OPERATING = "operating", "经营支出"
    SUBSIDIARY = "subsidiary", "对附属单位补助支出"


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
