"""Indicator values as a self-evaluation prints them: `＝436人`, `≥90%`, `每人每月320元`,
`有所改善`.

A value is kept as printed (the symbol as typed, full-width or not); this reads it into an operator,
a number and a unit for the checks, and says whether an actual value meets it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Each operator as it may be typed, to the one the report prints.
OPERATORS = {
    "＝": "＝",
    "=": "＝",
    "≥": "≥",
    ">=": "≥",
    "＞＝": "≥",
    "≤": "≤",
    "<=": "≤",
    "＜＝": "≤",
    ">": "＞",
    "＞": "＞",
    "<": "＜",
    "＜": "＜",
}
_OPERATOR = "|".join(sorted(map(re.escape, OPERATORS), key=len, reverse=True))
_NUMBER = r"\d[\d,，]*(?:\.\d+)?"
_QUANTITATIVE = re.compile(rf"^\s*(?P<op>{_OPERATOR})?\s*(?P<num>{_NUMBER})\s*(?P<unit>.*?)\s*$")
# A cost standard: 每人每月320元, 320元/人/月, ＝2000元/人.
_PER = re.compile(
    rf"(?:每(?P<per_before>[^\d每]{{1,3}}))?(?:每(?P<period_before>[月年天日季]))?\s*"
    rf"(?P<num>{_NUMBER})\s*(?P<money>万元|元)(?:\s*/\s*(?P<per_after>[^/\s]{{1,3}}))?"
    rf"(?:\s*/\s*(?P<period_after>[月年天日季]))?"
)
PERIODS_PER_YEAR = {"月": 12, "季": 4, "年": 1}


@dataclass(frozen=True)
class Target:
    text: str
    operator: str = ""  # ＝ ≥ ≤ ＞ ＜, or blank for a bare number
    number: Decimal | None = None  # None: a qualitative value (有所改善, 全年)
    unit: str = ""

    @property
    def quantitative(self) -> bool:
        return self.number is not None


def number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


def parse(text: str) -> Target:
    """`＝436人` → (＝, 436, 人); `≥90%` → (≥, 90, %); `90` → ("", 90, "");
    `有所改善` → text only."""
    text = (text or "").strip()
    match = _QUANTITATIVE.match(text)
    if not match:
        return Target(text)
    unit = match["unit"]
    if re.search(r"\d", unit):  # "2022年6月和12月" is a date, not 2022 of 年6月和12月
        return Target(text)
    return Target(text, OPERATORS.get(match["op"] or "", ""), number(match["num"]), unit)


def normalised(text: str) -> str:
    """The operator as a report prints it: `>=90%` → `≥90%`, `=436人` → `＝436人`."""
    match = re.match(rf"^\s*({_OPERATOR})", text or "")
    if not match:
        return (text or "").strip()
    return OPERATORS[match[1]] + text[match.end() :].strip()


def meets(target: Target, actual: Target) -> bool | None:
    """Whether the actual value reaches the target; None where either is not a number."""
    if target.number is None or actual.number is None:
        return None
    a, t = actual.number, target.number
    return {
        "≥": a >= t,
        "＞": a > t,
        "≤": a <= t,
        "＜": a < t,
    }.get(target.operator, a == t)


@dataclass(frozen=True)
class Cost:
    amount: Decimal  # in 元
    per: str  # 人, 户, 次 ...
    periods: int  # payments a year: 12 for 每月


def cost(text: str) -> Cost | None:
    """A cost standard per unit: `每人每月320元` → 320 元 per 人, 12 a year; `＝2000元/人`."""
    match = _PER.search(text or "")
    if not match:
        return None
    per = (match["per_before"] or match["per_after"] or "").strip()
    if not per or per in PERIODS_PER_YEAR:
        return None
    period = match["period_before"] or match["period_after"] or "年"
    amount = number(match["num"])
    if amount is None:
        return None
    if match["money"] == "万元":
        amount *= 10000
    return Cost(amount, per, PERIODS_PER_YEAR.get(period, 1))
