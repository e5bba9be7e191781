"""Formatting at the edge, one way for the templates (`templatetags.figures`) and for the text
Python writes (messages, the record, mails, admin columns): money as the official tables print it,
times in the site's time zone.

Values are kept as they are (Decimal in 元, aware datetimes in UTC); only what a person reads goes
through here.
"""

import re
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

MINUTE = "%Y-%m-%d %H:%M"
# How the record keeps an amount (`records.show`): a plain decimal with two places. Counts and
# codes are kept whole, so they never look like one.
_KEPT_AMOUNT = re.compile(r"-?\d+\.\d{2}")


def money_text(value, *, blank_zero: bool = False) -> str:
    """An amount as the tables print it: 1234.5 -> "1,234.50"; blank ("" or None) prints blank,
    and so does zero with `blank_zero`."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if blank_zero and value == 0:
        return ""
    return f"{value:,.2f}"


def local_text(moment: datetime | None, fmt: str = MINUTE) -> str:
    """A moment in the site's time zone (TIME_ZONE): "2024-03-01 16:05" for 08:05 UTC; blank
    for None."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime(fmt)


def recent_text(moment: datetime) -> str:
    """A moment in running text: the time alone when it is today, else with its date."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime(MINUTE)


def kept_text(value) -> str:
    """A value as the record keeps it (text, or None for blank), as a person reads it: an amount
    with separators ("1234.50" -> "1,234.50"), a count, a code or a text as it is, blank as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return money_text(value)
    text = str(value)
    return money_text(text) if _KEPT_AMOUNT.fullmatch(text) else text
