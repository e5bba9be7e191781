"""Formatting for the entry forms: what an input shows, a cell's error, data for the script."""

from decimal import Decimal

from django import template
from django.conf import settings

from .figures import money

register = template.Library()


@register.simple_tag
def input_value(cell, posted: dict) -> str:
    """What an input shows: what was just typed (when a save was refused), else the stored
    figure with separators. A blank fact and a zero fact are the same; a scalar item keeps 0."""
    if cell.name in posted:
        return posted[cell.name]
    value = cell.value
    if value is None:
        return ""
    if cell.count:
        return str(value)
    if cell.atom and cell.atom[0] != "figure" and value == 0:
        return ""
    return money(value, blank_zero=False)


@register.filter
def error_for(errors: dict, cell) -> str:
    return errors.get(cell.name, "")


@register.filter
def plain(value) -> str:
    """A Decimal as the script reads it: "1234.50"."""
    return f"{Decimal(value or 0):.2f}"


@register.filter
def joined(names) -> str:
    return " ".join(names)


@register.filter
def shown(cell) -> str:
    """A derived cell as the table prints it (zero blank)."""
    if cell.kind == "percent":
        return "" if cell.value is None else f"{cell.value:.2f}%"
    if cell.count:
        return "" if not cell.value else str(cell.value)
    return money(cell.value)


@register.simple_tag
def session_seconds() -> int:
    """How long a staff login lasts without a request: the form warns before it ends."""
    return settings.SESSION_COOKIE_AGE
