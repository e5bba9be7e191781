"""情况说明 against the tables (DESIGN.md §5 item 7): the rules over the hand-typed text.

The text is read sentence by sentence. Each number with its unit is a token: an amount (元, 万元),
a percentage or a count (个, 辆, 人次 …). The words before a token, back to the last comma or
colon, are its label; the label names the figure (收入总计, 基本支出, 公务接待费 …)
in the standard phrasing every report uses, so an amount is compared with that figure of the
tables. An amount whose label names no figure must still be one the tables, the scalar items or
the self-evaluations carry. A percentage is read by what precedes it: 增长/下降 (a rate against the
year before), 占 (a share of the paragraph's total or of the figure named),
完成…预算 / 执行率 (a
completion rate against the budget stated in the sentence).

Findings quote the sentence and name the figure it should equal; their place is the section
(`part`) and the sentence number (`row`), which stays stable while the text does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .checks import ERROR, WARNING, Context, Finding, explain, rule
from .engine import FilledTable, Value
from .overview import PRIOR_YEAR_FIGURES, main_figures
from .vocab import VEHICLE_USES, TableRole

R = TableRole
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)

_NUMBER = r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
AMOUNT = re.compile(rf"{_NUMBER}\s*(?P<unit>万元|元)(?!\s*(?:（含）|\(含\))?\s*(?:以上|以下))")
PERCENT = re.compile(rf"{_NUMBER}\s*(?P<unit>[%％])")
COUNT = re.compile(rf"{_NUMBER}\s*(?P<unit>人次|批次|台（套）|台|套|个|辆|户|家|项)")
SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")
CLAUSE = re.compile(r"[，,：:、]")
CHANGE_VERB = re.compile(r"(增加|减少|增长|下降|降低|上升|减少了|增加了|增长了|下降了)$")
DECREASE = ("减少", "下降", "降低")

PLACEHOLDER = re.compile(
    r"[XxＸｘ]{2,}|×{2,}|…{2,}|\.{6,}|待补充|待填写|待完善|"
    r"错误[！!]\s*未定义书签|错误[！!]\s*未找到引用源|Error!\s*(?:Bookmark not defined|"
    r"Reference source not found)|#REF!|#VALUE!|#DIV/0!|MERGEFIELD"
)
DOUBLED = re.compile(r"([。，；：、！？,;])\s*([。，；：、！？,;])")
REPEATED = re.compile(r"(.{8,}?)\1")


@dataclass(frozen=True)
class Token:
    kind: str  # amount | percent | count
    value: Decimal  # as stated, in its own unit (元, 万元, %, 个)
    unit: str
    text: str
    label: str
    start: int


@dataclass(frozen=True)
class Figure:
    name: str  # as the finding names it: 公开01表 收入总计
    value: Decimal


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def tokens(sentence: str) -> list[Token]:
    """The numbers of a sentence with their units and labels, in order."""
    found = []
    for kind, pattern in (("amount", AMOUNT), ("percent", PERCENT), ("count", COUNT)):
        for m in pattern.finditer(sentence):
            found.append((m.start(), m.end(), kind, m))
    found.sort()
    result = []
    previous_end = 0
    for start, end, kind, m in found:
        before = sentence[previous_end:start]
        label = CLAUSE.split(before)[-1].strip()
        label = re.sub(r"^(?:其中|另外|共计|合计|共)", "", label).strip()
        result.append(Token(kind, _decimal(m["num"]), m["unit"], m.group(0), label, start))
        previous_end = end
    return result


def _yuan(token: Token) -> Decimal:
    return token.value * TEN_THOUSAND if token.unit == "万元" else token.value


def same_amount(token: Token, value: Decimal, allowance: Decimal = Decimal(0)) -> bool:
    """Whether an amount as stated (to its own precision, in 元 or 万元) is `value` 元, or within
    `allowance` 元 of it."""
    if allowance and abs(_yuan(token) - value) <= allowance:
        return True
    places = max(0, -token.value.as_tuple().exponent)
    scaled = value / TEN_THOUSAND if token.unit == "万元" else value
    return scaled.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) == token.value


def same_percent(stated: Decimal, numerator: Decimal, base: Decimal) -> bool:
    """A percentage as stated against numerator/base, to the stated decimals (0.01% at most)."""
    places = max(0, -stated.as_tuple().exponent)
    computed = Decimal(numerator) * HUNDRED / Decimal(base)
    return computed.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) == stated


def _pct(numerator: Decimal, base: Decimal) -> str:
    return f"{(Decimal(numerator) * HUNDRED / Decimal(base)).quantize(Decimal('0.01'))}%"


def _money(value: Value) -> str:
    return f"{Decimal(value or 0):,.2f}"


# ------------------------------------------------------------------------------------------
# What the labels name


def _cell(table: FilledTable | None, row: str, col: str) -> Value:
    return table.as_printed(row, col) if table is not None else None


def _strip_number(label: str) -> str:
    return re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?", "", label).strip()


THREE_PUBLIC_NAMES = ("因公出国", "公务用车", "公务接待")


class Vocabulary:
    """The figures a report's text may name, by the phrases that name them."""

    def __init__(self, ctx: Context):
        tables = {t.role: t for t in ctx.tables if t.role}
        figures = ctx.data.figures
        main = main_figures(ctx.tables, figures)
        statement, appropriation = tables.get(R.STATEMENT), tables.get(R.APPROPRIATION_STATEMENT)
        expense, general = tables.get(R.EXPENSE), tables.get(R.GENERAL_BUDGET)
        self.main = main
        self.figures = figures

        def fig(name: str) -> Value:
            value = figures.get(name)
            return 0 if value is None and name.startswith("tp_") else value

        three_public_items = {
            "abroad": ("因公出国（境）费", "因公出国(境)费", "因公出国境费", "因公出国费"),
            "vehicle_purchase": ("公务用车购置",),
            "vehicle_operation": ("公务用车运行维护费", "公务用车运行费"),
            "reception": ("公务接待费",),
        }
        phrases: dict[str, list[tuple[str, Value]]] = {
            "收入总计": [("公开01表 收入总计", main["income_grand_total"])],
            "支出总计": [("公开01表 支出总计", main["expense_grand_total"])],
            "收入合计": [("公开01表 本年收入合计", main["income_total"])],
            "支出合计": [("公开01表 本年支出合计", main["expense_total"])],
            "财政拨款收入总计": [
                ("公开04表 收入总计", _cell(appropriation, "income.grand_total", "amount"))
            ],
            "财政拨款支出总计": [
                ("公开04表 支出总计", _cell(appropriation, "expense.grand_total", "amount"))
            ],
            "财政拨款收入": [("财政拨款收入", main["appropriation_income"])],
            "财政拨款支出": [
                ("公开04表 本年支出合计", _cell(appropriation, "expense.total", "amount"))
            ],
            "财政拨款决算支出": [
                ("公开04表 本年支出合计", _cell(appropriation, "expense.total", "amount"))
            ],
            "财政拨款基本支出": [("公开05表 基本支出合计", _cell(general, "total", "basic"))],
            "基本支出": [("公开03表 基本支出合计", main["basic"])],
            "项目支出": [("公开03表 项目支出合计", main["project"])],
            "人员经费": [("公开06表 人员经费合计（基本支出）", main["personnel"])],
            "公用经费": [("公开06表 公用经费合计（基本支出）", main["public"])],
            "机关运行经费": [("公开10表 机关运行经费", main["admin_cost"])],
            "上级补助收入": [
                ("公开01表 上级补助收入", _cell(statement, "income.superior", "amount"))
            ],
            "事业收入": [("公开01表 事业收入", _cell(statement, "income.service", "amount"))],
            "经营收入": [("公开01表 经营收入", _cell(statement, "income.operating", "amount"))],
            "附属单位上缴收入": [
                ("公开01表 附属单位上缴收入", _cell(statement, "income.subsidiary", "amount"))
            ],
            "其他收入": [("公开01表 其他收入", _cell(statement, "income.other", "amount"))],
            "上缴上级支出": [("公开03表 上缴上级支出", _cell(expense, "total", "remit"))],
            "经营支出": [("公开03表 经营支出", _cell(expense, "total", "operating"))],
            "对附属单位补助支出": [
                ("公开03表 对附属单位补助支出", _cell(expense, "total", "subsidiary"))
            ],
            "政府采购支出总额": [("政府采购支出总额", main["procurement"] or 0)],
            "政府采购货物支出": [("政府采购货物支出", figures.get("procurement_goods"))],
            "政府采购工程支出": [("政府采购工程支出", figures.get("procurement_works"))],
            "政府采购服务支出": [("政府采购服务支出", figures.get("procurement_services"))],
            "授予中小企业合同金额": [("授予中小企业合同金额", figures.get("procurement_sme"))],
            "授予小微企业合同金额": [("授予小微企业合同金额", figures.get("procurement_micro"))],
            "三公": [("“三公”经费决算", main["three_public"] or 0)],
        }
        budgets: dict[str, list[tuple[str, Value]]] = {
            "三公": [("“三公”经费预算", sum(fig(f"tp_budget_{k}") for k in three_public_items))],
            "财政拨款支出": [("年初预算数", figures.get("initial_budget"))],
            "人员经费": [("人员经费年初预算数", figures.get("personnel_initial_budget"))],
        }
        for key, names in three_public_items.items():
            for name in names:
                phrases[name] = [(f"公开07表 {names[0]}决算", fig(f"tp_actual_{key}"))]
                budgets[name] = [(f"公开07表 {names[0]}预算", fig(f"tp_budget_{key}"))]
        # Spending by 类, as 01 and 04 print it (an 04 figure is the appropriation's share).
        if statement is not None:
            for row in statement.rows:
                if row.startswith("expense.") and row[8:].isdigit():
                    name = _strip_number(statement.row_label(row))
                    phrases[name] = [
                        (f"公开01表 {name}", _cell(statement, row, "amount")),
                        (f"公开04表 {name}", _cell(appropriation, row, "amount")),
                    ]
        # 基本支出 / 项目支出 of one kind of budget.
        self.qualified = {
            "一般公共预算": tables.get(R.GENERAL_BUDGET),
            "政府性基金": tables.get(R.FUND),
            "国有资本经营": tables.get(R.CAPITAL),
            "国有资金经营": tables.get(R.CAPITAL),
            "社会保险基金": None,
        }
        self.phrases = {k: [(n, v) for n, v in vs if v is not None] for k, vs in phrases.items()}
        self.budgets = {k: [(n, v) for n, v in vs if v is not None] for k, vs in budgets.items()}
        self.vehicles = {
            "车辆": ("公开10表 车辆数合计", main["vehicles"]),
            **{
                label: (f"公开10表 {label}", figures.get(f"vehicles_{key}"))
                for key, label in VEHICLE_USES
            },
        }
        self.known = self._known(ctx, main)
        self.allowance = ctx.text_allowance

    def _known(self, ctx: Context, main: dict) -> list[Decimal]:
        values: set[Decimal] = {Decimal(0)}
        for table in ctx.tables:
            for key, value in table.values.items():
                if isinstance(value, Decimal) and table.kinds.get(key, "amount") == "amount":
                    values.add(value)
        for value in [*self.figures.values(), *main.values(), *ctx.data.previous.values()]:
            if isinstance(value, Decimal):
                values.add(value)
        projects = [ev for ev in ctx.data.evaluations if ev.kind == "project"]
        for ev in ctx.data.evaluations:
            values |= {ev.budget, ev.executed}
        values.add(sum((ev.budget for ev in projects), Decimal(0)))
        values.add(sum((ev.executed for ev in projects), Decimal(0)))
        return sorted(values)

    def resolve(self, label: str, *, budget: bool = False) -> tuple[str, list[Figure]] | None:
        """The figure a label names: the longest phrase it contains (the later one on a tie)."""
        for qualifier, table in self.qualified.items():
            if qualifier in label and re.search(r"(基本|项目)支出", label):
                if table is None:
                    return None
                col = "basic" if "基本" in label else "project"
                value = _cell(table, "total", col)
                name = f"公开{table.number}表 {'基本' if col == 'basic' else '项目'}支出合计"
                return ("qualified", [Figure(name, value)] if value is not None else [])
        source = self.budgets if budget else self.phrases
        if "三公" in label and not any(k in label for k in THREE_PUBLIC_NAMES):
            return "三公", [Figure(n, Decimal(v)) for n, v in source["三公"]]
        best = None
        for phrase in source:
            at = label.rfind(phrase)
            if at >= 0 and (best is None or (len(phrase), at) > (len(best[0]), best[1])):
                best = (phrase, at)
        if best is None:
            return None
        return best[0], [Figure(n, Decimal(v)) for n, v in source[best[0]]]

    def previous(self, phrase: str) -> Decimal | None:
        """The year before's value of a named figure: the portal's report of that year, or the
        comparative the report states."""
        keys = {
            "收入总计": "income_grand_total",
            "支出总计": "expense_grand_total",
            "收入合计": "income_total",
            "支出合计": "expense_total",
            "财政拨款收入": "appropriation_income",
            "财政拨款收入总计": "income_grand_total",
            "财政拨款支出总计": "expense_grand_total",
            "基本支出": "basic",
            "项目支出": "project",
            "人员经费": "personnel",
            "公用经费": "public",
            "机关运行经费": "admin_cost",
            "三公": "three_public",
        }
        key = keys.get(phrase)
        return self._previous_value(key) if key else None

    def _previous_value(self, key: str) -> Decimal | None:
        value = self.ctx_previous.get(key)
        if value is None and key in PRIOR_YEAR_FIGURES:
            value = self.figures.get(PRIOR_YEAR_FIGURES[key])
        return None if value is None else Decimal(value)

    ctx_previous: dict = {}


# ------------------------------------------------------------------------------------------
# Reading the sections


@dataclass(frozen=True)
class Sentence:
    heading: str
    number: int  # in its section, from 1
    text: str
    line: str  # the paragraph it is in


def sentences(texts: list[tuple[str, str]]) -> Iterator[Sentence]:
    for heading, body in texts:
        n = 0
        for line in body.splitlines():
            for part in SENTENCE_END.split(line):
                if part.strip():
                    n += 1
                    yield Sentence(heading, n, part.strip(), line)


def _finding(code: str, severity: str, s: Sentence, message: str, column: str = "") -> Finding:
    return Finding(
        code, severity, f"「{s.text}」{message}", "", f"第{s.number}句", column, _part(s)
    )


def _part(s: Sentence) -> str:
    return f"情况说明「{s.heading}」"


@dataclass
class _Reading:
    """What one section has stated so far: its amounts (bases of shares) and the last change."""

    amounts: list[Decimal]
    change: tuple[Decimal, Decimal | None, str] | None = None  # (difference, base, subject)


def _text_findings(ctx: Context) -> list[Finding]:
    vocabulary = Vocabulary(ctx)
    vocabulary.ctx_previous = ctx.data.previous
    findings: list[Finding] = []
    readings: dict[str, _Reading] = {}
    for s in sentences(ctx.data.texts):
        reading = readings.setdefault(s.heading, _Reading([]))
        findings += _sentence(ctx, vocabulary, s, reading)
    return findings


def _sentence(ctx: Context, vocabulary: Vocabulary, s: Sentence, reading: _Reading):
    subject: str | None = None
    last_amount: Decimal | None = None
    budget: Decimal | None = None
    decimals = []
    for token in tokens(s.text):
        if token.kind == "amount":
            value = _yuan(token)
            verb = CHANGE_VERB.search(token.label)
            if verb:
                yield from _change(vocabulary, s, token, verb, subject, reading)
                continue
            is_budget = "预算" in token.label and "决算" not in token.label
            resolved = vocabulary.resolve(token.label, budget=is_budget)
            if resolved is not None:
                subject = resolved[0] if resolved[0] != "qualified" else subject
                figures = resolved[1]
                if figures and not any(
                    same_amount(token, f.value, ctx.text_allowance) for f in figures
                ):
                    yield _finding(
                        "text.amount_differs",
                        ERROR,
                        s,
                        f"写 {token.label}{token.text}，应等于{figures[0].name} "
                        f"{_money(figures[0].value)} 元",
                    )
            elif not any(same_amount(token, v, ctx.text_allowance) for v in vocabulary.known):
                yield _finding(
                    "text.amount_unknown",
                    WARNING,
                    s,
                    f"中的 {token.label}{token.text} 在决算表、单项数据和绩效自评中都找不到",
                )
            if is_budget:
                budget = value
            else:
                last_amount = value
            reading.amounts.append(value)
        elif token.kind == "percent":
            yield from _percent(vocabulary, s, token, reading, last_amount, budget, subject)
        else:
            if token.value != token.value.to_integral_value() or "." in token.text:
                decimals.append(token.text)
            yield from _count(ctx, vocabulary, s, token)
    if decimals:
        yield _finding(
            "text.count_decimal",
            WARNING,
            s,
            f"中的个数写成了小数：{'、'.join(decimals)}；个数应为整数，如“3个”",
        )


def _change(vocabulary, s, token, verb, subject, reading):
    label = token.label[: verb.start()]
    resolved = vocabulary.resolve(label) if label else None
    phrase = resolved[0] if resolved and resolved[0] != "qualified" else subject
    difference = _yuan(token) * (-1 if verb[1].startswith(DECREASE) else 1)
    current = None
    if phrase and vocabulary.phrases.get(phrase):
        current = vocabulary.phrases[phrase][0][1]
    previous = vocabulary.previous(phrase) if phrase else None
    allowance = vocabulary.allowance
    if (
        current is not None
        and previous is not None
        and abs(current - previous - difference) > allowance
    ):
        yield _finding(
            "text.change_differs",
            ERROR,
            s,
            f"写{phrase or ''}{verb[1]}{token.text}，按本年 {_money(current)} 元、上年 "
            f"{_money(previous)} 元应{'增加' if current >= previous else '减少'} "
            f"{_money(abs(current - previous))} 元",
        )
    base = (
        previous
        if previous is not None
        else (current - difference if current is not None else None)
    )
    reading.change = (difference, base, phrase or "")


def _percent(vocabulary, s, token, reading, last_amount, budget, subject):
    label = token.label
    if CHANGE_VERB.search(label) and reading.change is not None:
        difference, base, phrase = reading.change
        if base is None:
            return
        if base == 0:
            yield _finding(
                "text.rate_zero_base", WARNING, s, f"对上年为零的数写了增减率 {token.text}"
            )
        elif not same_percent(token.value, abs(difference), base):
            yield _finding(
                "text.percent_differs",
                ERROR,
                s,
                f"写{phrase}{CHANGE_VERB.search(label)[1]}{token.text}，按增减额 "
                f"{_money(abs(difference))} 元、上年 {_money(base)} 元应为 "
                f"{_pct(abs(difference), base)}",
            )
        return
    if "占" in label:
        if last_amount is None:
            return
        named = label[label.index("占") + 1 :]
        resolved = vocabulary.resolve(named) if named.strip("比的") else None
        if resolved is not None and resolved[1]:
            bases = [(f.name, f.value) for f in resolved[1]]
        else:
            bases = [("本段合计", a) for a in reading.amounts if a >= last_amount]
        if not bases:
            return
        if all(b == 0 for _, b in bases):
            yield _finding("text.rate_zero_base", WARNING, s, f"对为零的总额写了占比 {token.text}")
            return
        if not any(b and same_percent(token.value, last_amount, b) for _, b in bases):
            name, base = next((n, b) for n, b in bases if b)
            yield _finding(
                "text.percent_differs",
                ERROR,
                s,
                f"写占比 {token.text}，{_money(last_amount)} 元占{name} {_money(base)} 元应为 "
                f"{_pct(last_amount, base)}",
            )
        return
    if re.search(r"完成.*预算|执行率", label):
        base = budget
        if base is None and subject:
            resolved = vocabulary.budgets.get(subject)
            base = Decimal(resolved[0][1]) if resolved else None
        if base is None or last_amount is None:
            return
        if base == 0:
            yield _finding(
                "text.rate_zero_base", WARNING, s, f"对为零的预算数写了完成率 {token.text}"
            )
        elif not same_percent(token.value, last_amount, base):
            yield _finding(
                "text.percent_differs",
                ERROR,
                s,
                f"写完成率 {token.text}，{_money(last_amount)} 元 ÷ 预算 {_money(base)} 元应为 "
                f"{_pct(last_amount, base)}",
            )


def _count(ctx: Context, vocabulary: Vocabulary, s: Sentence, token: Token):
    label = token.label
    after = s.text[token.start + len(token.text) : token.start + len(token.text) + 12]
    projects = [ev for ev in ctx.data.evaluations if ev.kind == "project"]
    if token.unit == "辆":
        if "保有量" in label:
            name, value = vocabulary.vehicles["车辆"]
            severity, code = WARNING, "text.vehicles_fleet"
        else:
            match = next(
                (k for k in sorted(vocabulary.vehicles, key=len, reverse=True) if k in label),
                None,
            )
            if match is None:
                return
            name, value = vocabulary.vehicles[match]
            severity, code = ERROR, "text.count_differs"
        if value is not None and Decimal(value) != token.value:
            yield _finding(code, severity, s, f"写 {label}{token.text}，{name}为 {value} 辆")
    elif token.unit.startswith("台") and "设备" in (label + after):
        value = vocabulary.figures.get("equipment_over_1m")
        if value is not None and Decimal(value) != token.value:
            yield _finding(
                "text.count_differs",
                ERROR,
                s,
                f"写设备 {token.text}，公开10表单价100万元以上设备为 {value} 台（套）",
            )
    elif token.unit == "个" and "二级项目" not in s.text[: token.start]:
        grade = re.match(r"项目自评等级为[“\"]?(优|良|中|差)", after)
        if grade:
            count = sum(1 for ev in projects if ev.grade == grade[1])
            what = f"自评等级为“{grade[1]}”的项目"
        elif "一级项目" in label or re.search(r"项目(?:绩效)?自评个数$", label):
            if "二级" in label:
                return
            count, what = len(projects), "公开的项目绩效自评"
        else:
            return
        if Decimal(count) != token.value:
            yield _finding(
                "text.evaluation_count",
                ERROR,
                s,
                f"写 {token.text}，本报告附件中{what}为 {count} 个",
            )


# The codes text.figures emits, one for each way a figure of the text can disagree.
explain(
    "text.amount_differs",
    "情况说明中的金额与表中一致",
    "情况说明这句话写到的金额，按它所说的项目（如“财政拨款收入”“基本支出”）应等于表中的数，"
    "但两者不同。请以表中的数为准改正这句话；如是表中的数有误，先改正表中的数据。",
)
explain(
    "text.amount_unknown",
    "情况说明中的金额能在表中找到",
    "这句话中的金额在决算表、单项数据和绩效自评中都找不到，可能是笔误，或引用了没有填报的数。"
    "请核对后改正；如这个金额确有出处（如其他口径的数），提交时请说明。",
)
explain(
    "text.percent_differs",
    "情况说明中的百分比计算正确",
    "增减率、占比、完成率应由句中或表中的数算出，并四舍五入到所写的小数位（不能直接截断）。"
    "请按说明栏给出的正确值改正这句话。",
)
explain(
    "text.change_differs",
    "情况说明中的增减额等于本年数减上年数",
    "“比上年增加（减少）多少”应等于本年数减上年数。上年数取自上年报告，或“其他数据”中填写的"
    "上年数。请改正这句话的增减额；如是上年数有误，请在“其他数据”中改正。",
)
explain(
    "text.rate_zero_base",
    "不对零写增减率或占比",
    "上年数、预算数或总额为零时，增减率、完成率、占比无法计算，写出来没有意义。请删去这个百分比，"
    "改用文字说明，如“上年无此项支出”。",
)
explain(
    "text.count_decimal",
    "个数写成整数",
    "个数、辆数、批次、人次等应写成整数，如“3个”，不要写成“3.00个”。请改正这句话。",
)
explain(
    "text.count_differs",
    "情况说明中的车辆数、设备数与表中一致",
    "情况说明写的车辆数或单价100万元以上设备数，应与相关信息统计表（或情况说明中公开的事项）"
    "中的数一致。请改正这句话或表中的数。",
)
explain(
    "text.vehicles_fleet",
    "公务用车保有量与车辆数一致",
    "情况说明写的公务用车保有量，一般应等于车辆数合计。如两者口径确实不同，提交时请说明；"
    "否则请改正这句话或车辆数。",
)
explain(
    "text.evaluation_count",
    "情况说明中的绩效自评个数与附件一致",
    "情况说明写的项目绩效自评个数（或某一等级的项目个数），应等于报告附件中实际公开的项目绩效"
    "自评个数。请改正这句话中的个数，或补齐附件中的绩效自评。",
)
explain(
    "text.figures",
    "情况说明中的数字与决算表一致",
    "逐句读取情况说明中的金额、百分比和个数，与决算表、单项数据和绩效自评核对。具体是哪一种"
    "不一致，见每条问题的名称。",
)


@rule("text.figures", ERROR, "情况说明中的金额、比例、个数与决算表一致")
def check_text_figures(ctx: Context) -> Iterator[Finding]:
    """Amounts, percentages and counts of 情况说明 against the tables (codes text.*)."""
    yield from _text_findings(ctx)


CHANGE_LINES = (
    ("收入合计", "income_total"),
    ("支出合计", "expense_total"),
    ("财政拨款收入", "appropriation_income"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    ("三公", "three_public"),
    ("机关运行经费", "admin_cost"),
)


@explain(
    "text.reason_missing",
    "增减变化说明了原因",
    "情况说明写到增加或减少时，同一段中应说明“主要原因”；与上年相比变化10%以上，或由零变为"
    "非零的项目，也必须说明原因。请在相应的句子后补写原因，如“主要原因是……”。",
)
@rule("text.reason_missing", WARNING, "增减变化须说明原因（增减10%以上或由零变为非零的项目）")
def check_reasons(ctx: Context) -> Iterator[Finding]:
    vocabulary = Vocabulary(ctx)
    vocabulary.ctx_previous = ctx.data.previous
    stated = list(sentences(ctx.data.texts))
    # Every stated change is followed, in its paragraph, by its reason.
    for s in stated:
        for token in tokens(s.text):
            verb = CHANGE_VERB.search(token.label)
            if not verb or token.kind == "count":
                continue
            rest = s.line[s.line.find(s.text) + token.start :]
            if "原因" not in rest and "由于" not in rest:
                yield _finding(
                    "text.reason_missing",
                    WARNING,
                    s,
                    f"写了{verb[1]}{token.text}，本段未说明原因",
                )
                break
    # Every line that changed by 10% or more, or from zero, has a reason somewhere.
    lines = [(p, k) for p, k in CHANGE_LINES]
    expense = ctx.role(R.EXPENSE)
    if expense is not None:
        for row in expense.rows:
            if len(row) == 3 and row.isdigit():
                phrase = _strip_number(expense.row_label(row))
                lines.append((phrase, f"class.{row}"))
    for phrase, key in lines:
        current = (
            vocabulary.main.get(key)
            if not key.startswith("class.")
            else expense.value(key[6:], "total")
        )
        previous = vocabulary._previous_value(key)
        if current is None or previous is None:
            continue
        current, previous = Decimal(current), Decimal(previous)
        big = previous == 0 and current != 0
        big = big or (previous != 0 and abs(current - previous) * 10 >= abs(previous))
        if not big:
            continue
        explained = any(phrase in s.line and ("原因" in s.line or "由于" in s.line) for s in stated)
        if not explained:
            rate = "由零增加" if previous == 0 else f"变化 {_pct(current - previous, previous)}"
            yield Finding(
                "text.reason_missing",
                WARNING,
                f"{phrase}上年 {_money(previous)} 元、本年 {_money(current)} 元，{rate}，"
                "情况说明未说明原因",
                "",
                phrase,
                "",
                "情况说明",
            )


def _matches(ctx: Context, code: str, severity: str, pattern: re.Pattern, message: str):
    """A finding for each match of `pattern` in every text, placed by its count in the part;
    `message` is formatted with the surrounding words and the match."""
    for heading, part, text in _all_texts(ctx):
        for n, m in enumerate(pattern.finditer(text), start=1):
            yield Finding(
                code,
                severity,
                message.format(around=_around(text, m), match=m.group(0)),
                "",
                f"第{n}处",
                heading,
                part,
            )


@explain(
    "text.leftover",
    "没有未完成的占位文字",
    "文中留有“XX”“……”“待补充”之类的占位文字，或从文字处理软件带来的错误提示（如“错误！未定义"
    "书签”）。请把它换成实际内容。",
)
@rule("text.leftover", ERROR, "情况说明没有占位符和文字处理软件的错误提示")
def check_leftovers(ctx: Context) -> Iterator[Finding]:
    yield from _matches(
        ctx, "text.leftover", ERROR, PLACEHOLDER, "「{around}」中有未完成的“{match}”"
    )


@explain(
    "text.punctuation",
    "没有重复或冲突的标点",
    "文中有重复或相互冲突的标点，如“。。”“。；”。请删去多余的标点。",
)
@rule("text.punctuation", WARNING, "没有重复或冲突的标点")
def check_punctuation(ctx: Context) -> Iterator[Finding]:
    yield from _matches(
        ctx, "text.punctuation", WARNING, DOUBLED, "「{around}」标点“{match}”重复或冲突"
    )


@explain(
    "text.repeated",
    "没有重复粘贴的语句",
    "同一段文字连续出现了两次，多是复制粘贴时重复了。请删去重复的部分。",
)
@rule("text.repeated", WARNING, "没有重复粘贴的语句")
def check_repeated(ctx: Context) -> Iterator[Finding]:
    for heading, part, text in _all_texts(ctx):
        for n, m in enumerate(REPEATED.finditer(text), start=1):
            if not re.search(r"[\u4e00-\u9fff]{4}", m[1]):
                continue
            yield Finding(
                "text.repeated",
                WARNING,
                f"「{m[1]}」连续出现了两次",
                "",
                f"第{n}处",
                heading,
                part,
            )


def _all_texts(ctx: Context) -> Iterator[tuple[str, str, str]]:
    """(heading, part, text) of 情况说明 and of each self-evaluation's text parts."""
    for heading, body in ctx.data.texts:
        yield "", f"情况说明「{heading}」", body
    for ev in ctx.data.evaluations:
        for heading, body in ev.texts:
            if body:
                yield heading, f"绩效自评「{ev.name}」", body


def _around(text: str, m: re.Match) -> str:
    return text[max(0, m.start() - 12) : m.end() + 12].replace("\n", " ")
