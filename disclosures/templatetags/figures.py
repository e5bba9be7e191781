"""Formatting at the edge: money, counts and rates as the official tables print them."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from ..units import to_unit

register = template.Library()


@register.filter
def in_unit(value, unit: str = "元"):
    """An amount kept in 元 as a report in `unit` prints it (593.92 for 5,939,150.00 in 万元)."""
    if value is None or value == "":
        return value
    return to_unit(Decimal(value), unit)


@register.filter
def money(value, blank_zero: bool = True) -> str:
    """1234.5 -> "1,234.50"; zero and blank print blank, as in the official tables."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if blank_zero and value == 0:
        return ""
    return f"{value:,.2f}"


@register.filter
def amount(value) -> str:
    """Money in running text: zero prints as 0.00, blank as “—”."""
    if value is None:
        return "—"
    return money(value, blank_zero=False)


@register.filter
def signed(value) -> str:
    """A change: +1,234.00 / -1,234.00 / 0.00."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{abs(value):,.2f}"
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"-{text}"
    return text


@register.filter
def signed_count(value) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):+.2f}%"


@register.filter
def share(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):.2f}%"


@register.filter
def count(value, blank_zero: bool = True) -> str:
    if value is None or (blank_zero and value == 0):
        return ""
    return str(value)


@register.filter
def cell(c) -> str:
    """A filled-table cell as printed: amounts with separators, counts whole, zero blank."""
    if c.kind == "amount":
        return money(c.value)
    if c.kind == "count":
        return count(c.value)
    if c.kind == "percent":
        return "" if c.value is None else share(c.value)
    return "" if c.value is None else str(c.value)


@register.filter
def stated(c, unit: str) -> str:
    """A cell as running text states it: "235,594.00 元", "1 辆", "12.50%", "—" when blank."""
    if c.value is None:
        return "—"
    if c.kind == "percent":
        return share(c.value)
    if c.kind == "count":
        return f"{c.value} {c.unit}".strip()
    return f"{amount(c.value)} {unit}"


@register.filter
def css_width(value) -> str:
    """A percentage for a CSS width, with a dot whatever the locale."""
    return f"{Decimal(value or 0):.2f}%"


WIDTH_STEP = Decimal("0.5")  # percent


def width_steps(value) -> int:
    """A percentage as a whole number of half percents, 0–200."""
    steps = (Decimal(str(value or 0).rstrip("%")) / WIDTH_STEP).to_integral_value(ROUND_HALF_UP)
    return max(0, min(200, int(steps)))


@register.filter
def width_class(value) -> str:
    """A width in percent as a class of static/css/widths.css (half-percent steps): the pages
    set no inline style, so a Content-Security-Policy without 'unsafe-inline' holds."""
    return f"w-{width_steps(value) * 5}"


def widths_css() -> str:
    """The style sheet `width_class` names (static/css/widths.css, checked by a test)."""
    rules = [f".w-{n * 5} {{ width: {n * WIDTH_STEP}%; }}" for n in range(201)]
    return (
        "/* Widths in half-percent steps (disclosures.templatetags.figures.width_class). */\n"
        + "\n".join(rules)
        + "\n"
    )


@register.filter
def paragraphs(text: str) -> list[str]:
    return [p for p in (text or "").split("\n") if p.strip()]


COLUMN_WEIGHTS = {"code": 1.15, "label": 2.3, "line": 0.55, "amount": 1.7}


@register.filter
def column_widths(kinds: list[str]) -> list[tuple[str, str]]:
    """(kind, percent width) for each printed column, from the kinds of the columns."""
    weights = [COLUMN_WEIGHTS.get(k, 1.7) for k in kinds]
    total = sum(weights) or 1
    return [(k, f"{w * 100 / total:.2f}%") for k, w in zip(kinds, weights, strict=True)]
