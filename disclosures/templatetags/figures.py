"""Formatting at the edge: money, counts and rates as the official tables print them."""

from decimal import ROUND_FLOOR, Decimal

from django import template
from django.utils.html import conditional_escape, format_html

from ..display import kept_text, money_text
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
    return money_text(value, blank_zero=blank_zero)


@register.filter
def amount(value) -> str:
    """Money in running text: zero prints as 0.00, blank as “—”."""
    if value is None:
        return "—"
    return money(value, blank_zero=False)


@register.filter
def kept(value) -> str:
    """A value as the record keeps it (`records.show`), as staff read it: amounts "1,234.50"."""
    return kept_text(value)


@register.filter
def figure(value) -> str:
    """A value of an import preview: a count whole, an amount as `amount`, blank “—”."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return amount(value)


@register.filter
def signed(value) -> str:
    """A change: +1,234.00 / -1,234.00 / 0.00."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = money_text(abs(value))
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
    """A percentage as a whole number of half percents, 0–200, rounded down."""
    # Down, so a table's widths never add up to more than its whole (which would narrow every
    # column and move the line breaks renderers.layout measured).
    steps = (Decimal(str(value or 0).rstrip("%")) / WIDTH_STEP).to_integral_value(ROUND_FLOOR)
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


@register.filter
def glue(text, wrapping=None) -> str:
    """A header or label whose last two characters cannot be parted, so a wrapped line never
    holds one character alone ("科目编/码"), whatever the width it lands in. With `wrapping`
    (a layout's texts that wrap), only those are glued: a span costs the PDF's layout time."""
    text = "" if text is None else str(text)
    if len(text) <= 2 or (wrapping is not None and text.strip() not in wrapping):
        return conditional_escape(text)
    return format_html('{}<span class="nobr">{}</span>', text[:-2], text[-2:])


@register.filter
def chinese_numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二: how the report numbers its parts and its 名词解释."""
    from ..engine import chinese_number

    return chinese_number(int(n))


@register.filter
def table_bands(table):
    """The table whole, or in bands of column groups when too wide for a page (`layout`)."""
    from ..renderers.layout import table_bands as bands

    return bands(table)


@register.filter
def evaluation_layouts(evaluation, unit: str):
    """(预算执行情况, indicator) layouts of a self-evaluation's tables (`renderers.layout`)."""
    from ..renderers.layout import evaluation_layouts as layouts

    return layouts(evaluation, unit)


@register.filter
def table_layout(table):
    """The table's orientation and column widths (`renderers.layout`)."""
    from ..renderers.layout import table_layout as layout

    return layout(table)
