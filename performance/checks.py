"""The checks on the self-evaluations (DESIGN.md §5 item 8), registered with the report's rules.

Each finding names the evaluation (`part`), and where it can the indicator (row) and the column of
the evaluation's tables, as staff see them in the entry form and the printed 附件.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from disclosures.checks import ERROR, WARNING, Context, Finding, explain, rule
from disclosures.display import money_text
from disclosures.engine import EvaluationRow, IndicatorRow
from disclosures.overview import main_figures
from disclosures.vocab import TableRole

from .targets import cost, meets, number, parse

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# 优 ≥ 90, 良 80–89.99, 中 60–79.99, 差 < 60.
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))
PROJECT = "project"
DEPARTMENT = "department"


def grade_for(score: Decimal) -> str:
    return next(grade for floor, grade in GRADES if score >= floor)


def execution_rate(budget: Decimal, executed: Decimal) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数, in percent to 0.01; None against a zero budget."""
    if not budget:
        return None
    return (executed * HUNDRED / budget).quantize(CENT, ROUND_HALF_UP)


def _n(value: Decimal | None) -> str:
    return "空" if value is None else f"{value.normalize():f}"


def _money(value: Decimal) -> str:
    return money_text(value)


def _part(ev: EvaluationRow) -> str:
    return f"绩效自评「{ev.name}」"


def _finding(code: str, severity: str, ev: EvaluationRow, message: str, row="", column=""):
    return Finding(code, severity, message, "", row, column, _part(ev))


def _row(indicator: IndicatorRow) -> str:
    return f"第{indicator.order}行 {indicator.name}"


@explain(
    "evaluation.weights",
    "绩效指标分值合计为100",
    "各绩效指标的分值（权重）加上预算执行率的分值，合计应为100分。"
    "请核对这份绩效自评中各指标的“权重”和预算执行率分值。",
)
@rule("evaluation.weights", ERROR, "绩效指标分值与预算执行率分值合计为100")
def check_weights(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        if not ev.indicators:
            continue
        weights = sum((i.weight for i in ev.indicators), Decimal(0))
        total = weights + (ev.execution_weight if ev.execution_score is not None else 0)
        if total != HUNDRED:
            yield _finding(
                "evaluation.weights",
                ERROR,
                ev,
                f"指标分值合计 {_n(weights)}，加预算执行率分值 "
                f"{_n(ev.execution_weight if ev.execution_score is not None else Decimal(0))}"
                f"，共 {_n(total)}，应为 100",
                column="权重",
            )


@explain(
    "evaluation.score_sum",
    "自评得分等于各项得分之和",
    "自评得分应等于各绩效指标的得分加预算执行率得分。请核对各指标的“得分”，或改正自评得分。",
)
@rule("evaluation.score_sum", ERROR, "自评得分等于各指标得分与预算执行率得分之和")
def check_score_sum(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        if not ev.indicators:
            continue
        total = sum((i.score for i in ev.indicators), Decimal(0)) + (ev.execution_score or 0)
        if total != ev.score:
            yield _finding(
                "evaluation.score_sum",
                ERROR,
                ev,
                f"自评得分 {_n(ev.score)} 分，各指标得分与预算执行率得分之和为 {_n(total)} 分",
                column="得分",
            )


@explain(
    "evaluation.score_over_weight",
    "指标得分不超过其分值",
    "每项指标的得分不能超过该指标的分值（权重），预算执行率得分也不能超过其分值。"
    "请改正所指的得分。",
)
@rule("evaluation.score_over_weight", ERROR, "指标得分不超过其分值")
def check_score_over_weight(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        for i in ev.indicators:
            if i.score > i.weight:
                yield _finding(
                    "evaluation.score_over_weight",
                    ERROR,
                    ev,
                    f"得分 {_n(i.score)} 超过分值 {_n(i.weight)}",
                    _row(i),
                    "得分",
                )
        if ev.execution_score is not None and ev.execution_score > ev.execution_weight:
            yield _finding(
                "evaluation.score_over_weight",
                ERROR,
                ev,
                f"预算执行率得分 {_n(ev.execution_score)} 超过分值 {_n(ev.execution_weight)}",
                "预算执行率",
                "得分",
            )


@explain(
    "evaluation.grade",
    "绩效等级与得分相符",
    "绩效等级按自评得分确定：90分及以上为“优”，80分至90分以下为“良”，"
    "60分至80分以下为“中”，60分以下为“差”。请按得分改正绩效等级。",
)
@rule("evaluation.grade", ERROR, "绩效等级与得分相符（优≥90，良80–89.99，中60–79.99，差<60）")
def check_grade(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        if ev.grade and ev.grade != grade_for(ev.score):
            yield _finding(
                "evaluation.grade",
                ERROR,
                ev,
                f"得分 {_n(ev.score)} 分应评为“{grade_for(ev.score)}”，填报为“{ev.grade}”",
                column="绩效等级",
            )


@explain(
    "evaluation.execution_rate",
    "执行率等于执行数除以预算数",
    "预算执行率应等于全年执行数 ÷ 全年预算数，四舍五入到所写的小数位。"
    "请核对预算执行情况合计行的全年预算数、全年执行数和执行率。",
)
@rule("evaluation.execution_rate", ERROR, "执行率 = 全年执行数 ÷ 全年预算数")
def check_execution_rate(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        rate = execution_rate(ev.budget, ev.executed)
        if rate is None:
            if ev.executed or ev.execution_rate:
                yield _finding(
                    "evaluation.execution_rate",
                    ERROR,
                    ev,
                    f"全年预算数为 0，执行数 {_money(ev.executed)} 元、执行率无从计算",
                    "合计",
                    "执行率",
                )
            continue
        stated = ev.execution_rate
        places = max(0, -stated.as_tuple().exponent) if stated is not None else 2
        if stated is not None and rate.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) != (
            stated
        ):
            yield _finding(
                "evaluation.execution_rate",
                ERROR,
                ev,
                f"印制执行率 {_n(stated)}%，执行数 {_money(ev.executed)} ÷ 全年预算数 "
                f"{_money(ev.budget)} = {rate}%",
                "合计",
                "执行率",
            )


@explain(
    "evaluation.execution_score",
    "预算执行率得分按规则计算",
    "预算执行率得分一般为：分值 × 执行率（执行率超过100%的按100%计）。"
    "请核对这个得分；如按其他办法计分，提交时请说明。",
)
@rule(
    "evaluation.execution_score",
    WARNING,
    "预算执行率得分按规则计算（得分 = 分值 × 执行率，执行率超过100%按100%计）",
)
def check_execution_score(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        rate = execution_rate(ev.budget, ev.executed)
        if ev.execution_score is None or rate is None:
            continue
        expected = (ev.execution_weight * min(rate, HUNDRED) / HUNDRED).quantize(
            CENT, ROUND_HALF_UP
        )
        if abs(expected - ev.execution_score) > CENT:
            yield _finding(
                "evaluation.execution_score",
                WARNING,
                ev,
                f"执行率 {rate}% × 分值 {_n(ev.execution_weight)} = {_n(expected)} 分，"
                f"填报得分 {_n(ev.execution_score)} 分",
                "预算执行率",
                "得分",
            )


@explain(
    "evaluation.funding_sum",
    "各资金来源之和等于合计",
    "预算执行情况中各资金来源的全年预算数、全年执行数相加，应等于合计行。"
    "请核对各资金来源行或合计行的金额。",
)
@rule("evaluation.funding_sum", ERROR, "各资金来源之和等于合计行")
def check_funding_sum(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        if not ev.funding:
            continue
        for attr, label in (("budget", "全年预算数"), ("executed", "全年执行数")):
            total = sum((getattr(f, attr) for f in ev.funding), Decimal(0))
            if total != getattr(ev, attr):
                yield _finding(
                    "evaluation.funding_sum",
                    ERROR,
                    ev,
                    f"各资金来源{label}之和 {_money(total)} 元，合计行为 "
                    f"{_money(getattr(ev, attr))} 元",
                    "合计",
                    label,
                )


@explain(
    "evaluation.short_of_target",
    "未达到指标值的指标不得满分",
    "实际完成值没有达到指标值的指标，不应得满分。请核对该指标的实际完成值和得分，"
    "并在“偏差原因分析及改进措施”中说明。",
)
@rule("evaluation.short_of_target", WARNING, "未达到指标值的指标不得满分")
def check_short_of_target(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        for i in ev.indicators:
            target, actual = parse(i.target), parse(i.actual)
            if meets(target, actual) is False and i.weight and i.score >= i.weight:
                yield _finding(
                    "evaluation.short_of_target",
                    WARNING,
                    ev,
                    f"实际完成值 {i.actual} 未达到指标值 {i.target}，却得满分 {_n(i.score)}",
                    _row(i),
                    "得分",
                )


@explain(
    "evaluation.cost_quantity",
    "成本指标与数量指标、预算相符",
    "成本指标（如每人标准）乘以数量指标（如人数），应与全年预算数大体相符：不超过预算数，"
    "也不少于预算数的一半。请核对成本指标、数量指标的指标值或全年预算数。",
)
@rule("evaluation.cost_quantity", WARNING, "成本指标（标准）× 数量指标与预算相符")
def check_cost_quantity(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        if not ev.budget:
            continue
        quantities = [
            (i, parse(i.target))
            for i in ev.indicators
            if "数量" in i.level2 and parse(i.target).quantitative
        ]
        for i in ev.indicators:
            if "成本" not in i.level2:
                continue
            standard = cost(i.target) or cost(i.initial_target)
            if standard is None:
                continue
            for q, target in quantities:
                if not target.unit.endswith(standard.per):
                    continue
                product = standard.amount * target.number * standard.periods
                if product > ev.budget or product * 2 < ev.budget:
                    per_year = f" × {standard.periods}" if standard.periods != 1 else ""
                    relation = "超过" if product > ev.budget else "不足"
                    yield _finding(
                        "evaluation.cost_quantity",
                        WARNING,
                        ev,
                        f"成本标准 {i.target} × {q.name} {target.text}{per_year} = "
                        f"{_money(product)} 元，{relation}全年预算数 {_money(ev.budget)} 元"
                        + ("的一半" if relation == "不足" else ""),
                        _row(i),
                        "调整后指标值",
                    )


FULL_COVERAGE = re.compile(r"所有项目|全部项目|全面开展|项目支出总额的\s*100(?:\.0+)?\s*[%％]")


def _project_spending(ctx: Context) -> Decimal | None:
    expense = ctx.role(TableRole.EXPENSE)
    return None if expense is None else expense.as_printed("total", "project")


@explain(
    "evaluation.coverage",
    "未全部自评时不称“全面开展”",
    "项目绩效自评涉及的资金合计与项目支出不相等时，"
    "情况说明中不应写“所有项目”“全面开展”或“占项目支出总额的100%”。"
    "请按实际自评的项目和资金改写这句话，或补齐绩效自评。",
)
@rule(
    "evaluation.coverage",
    ERROR,
    "自评覆盖的资金与项目支出相符，否则说明中不得称已全面覆盖",
    roles=(TableRole.EXPENSE,),
)
def check_coverage(ctx: Context) -> Iterator[Finding]:
    projects = [ev for ev in ctx.data.evaluations if ev.kind == PROJECT]
    spending = _project_spending(ctx)
    if not projects or spending is None:
        return
    evaluated = sum((ev.budget for ev in projects), Decimal(0))
    if evaluated == spending:
        return
    for heading, body in ctx.data.texts:
        for sentence in re.split(r"(?<=[。；\n])", body):
            if FULL_COVERAGE.search(sentence):
                share = (evaluated * HUNDRED / spending).quantize(CENT) if spending else None
                yield Finding(
                    "evaluation.coverage",
                    ERROR,
                    f"「{sentence.strip()}」称已全面覆盖，但{len(projects)}个项目自评的资金合计 "
                    f"{_money(evaluated)} 元，公开03表项目支出为 {_money(spending)} 元"
                    + (f"（覆盖 {share}%）" if share is not None else ""),
                    ctx.where(TableRole.EXPENSE),
                    "合计",
                    "",
                    f"情况说明「{heading}」",
                )
                return


@explain(
    "evaluation.department_vs_tables",
    "部门整体自评的执行数与决算表一致",
    "部门整体支出绩效自评的全年执行数，应等于决算表的本年支出合计或财政拨款支出合计。"
    "请核对这份自评的全年执行数。",
)
@rule("evaluation.department_vs_tables", ERROR, "部门整体自评的执行数与决算表支出相符")
def check_department_totals(ctx: Context) -> Iterator[Finding]:
    figures = main_figures(ctx.tables, ctx.data.figures)
    appropriation = ctx.role(TableRole.APPROPRIATION_STATEMENT)
    candidates = {
        "本年支出合计": figures.get("expense_total"),
        "财政拨款支出合计": appropriation.value("expense.total", "amount")
        if appropriation
        else None,
    }
    known = {k: v for k, v in candidates.items() if v is not None}
    if not known:
        return
    for ev in ctx.data.evaluations:
        if ev.kind != DEPARTMENT or any(
            abs(ev.executed - v) <= ctx.text_allowance for v in known.values()
        ):
            continue
        stated = "、".join(f"{k} {_money(v)} 元" for k, v in known.items())
        yield _finding(
            "evaluation.department_vs_tables",
            ERROR,
            ev,
            f"整体支出自评的全年执行数 {_money(ev.executed)} 元，与决算表不符（{stated}）",
            "合计",
            "全年执行数",
        )


_NUM = r"(\d[\d,]*(?:\.\d+)?)"
# What an evaluation's own text states about its tables: (pattern, what, table value).
_STATED = (
    (rf"预算执行(?:情况|率)?得分\s*{_NUM}\s*分", "预算执行率得分", lambda ev: ev.execution_score),
    (
        rf"指标完成情况得分\s*{_NUM}\s*分",
        "指标得分合计",
        lambda ev: sum((i.score for i in ev.indicators), Decimal(0)) if ev.indicators else None,
    ),
    (rf"(?:总得分|自评得分为?|绩效自评得分为?)\s*{_NUM}\s*分", "自评得分", lambda ev: ev.score),
    (rf"(?:预算)?执行率(?:为|达到)?\s*{_NUM}\s*[%％]", "执行率", lambda ev: _rate(ev)),
)
_MONEY_STATED = (
    (rf"(?:全年预算数?|实际预算)(?:为)?\s*{_NUM}\s*(万元|元)", "全年预算数", "budget"),
    (rf"(?:执行数|实际执行)(?:为)?\s*{_NUM}\s*(万元|元)", "全年执行数", "executed"),
)


def _rate(ev: EvaluationRow) -> Decimal | None:
    return execution_rate(ev.budget, ev.executed)


def _same(stated: Decimal, value: Decimal) -> bool:
    places = max(0, -stated.as_tuple().exponent)
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) == stated


@explain(
    "evaluation.text_vs_tables",
    "自评报告文字与评分表一致",
    "绩效自评报告正文中写的得分、执行率、预算数、执行数、等级或指标完成值，"
    "应与这份自评的评分表、预算执行情况表一致。请改正正文中的数字。",
)
@rule("evaluation.text_vs_tables", WARNING, "自评报告文字与其评分表、预算执行表一致")
def check_text(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.data.evaluations:
        for heading, text in ev.texts:
            if not text:
                continue

            def finding(what: str, stated: str, value: str, _heading=heading, ev=ev):
                return _finding(
                    "evaluation.text_vs_tables",
                    WARNING,
                    ev,
                    f"「{_heading}」写{what} {stated}，表中为 {value}",
                    _heading,
                )

            for pattern, what, value_of in _STATED:
                for match in re.finditer(pattern, text):
                    value = value_of(ev)
                    stated = number(match[1])
                    if value is not None and stated is not None and not _same(stated, value):
                        yield finding(what, match[0], _n(value))
            for pattern, what, attr in _MONEY_STATED:
                for match in re.finditer(pattern, text):
                    stated = number(match[1])
                    scale = 10000 if match[2] == "万元" else 1
                    value = getattr(ev, attr) / scale
                    if stated is not None and not _same(stated, value):
                        yield finding(what, match[0], f"{_money(getattr(ev, attr))} 元")
            for match in re.finditer(r"属于\s*[\"“”']?(优|良|中|差)", text):
                if ev.grade and match[1] != ev.grade:
                    yield finding("等级", match[0], ev.grade)
            for i in ev.indicators:
                actual = parse(i.actual)
                name = re.sub(r"[（(].*?[)）]", "", i.name).strip()
                if actual.number is None or len(name) < 2:
                    continue
                unit = parse(i.target).unit or actual.unit
                pattern = rf"{re.escape(name)}(?:达到|为|达|是)?\s*{_NUM}\s*{re.escape(unit)}"
                for match in re.finditer(pattern, text):
                    stated = number(match[1])
                    if stated is not None and stated != actual.number:
                        yield finding(f"{i.name}", match[0], f"实际完成值 {i.actual}")
