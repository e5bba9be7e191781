"""Text as the portal keeps it: no C0 control character but tab and line break.

Word's soft line break (U+000B) and page break (U+000C) come in with a paste and become line
breaks; every other control character (NUL, the escape, DEL, …) goes. Nothing else is changed.
Every form (the `CleanText` middleware) and every import applies `text_clean` at the door, and the
Excel renderer applies it again on the way out, because openpyxl refuses these characters and a
published revision's workbook must open whatever its text holds.
"""

import re

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = "\x0b\x0c"


def _swap(match: re.Match) -> str:
    return "\n" if match.group() in LINE_BREAKS else ""


def text_clean(value: str) -> str:
    """`value` without control characters (tab, LF and CR stay; VT and FF become LF)."""
    if not CONTROL.search(value):
        return value
    return CONTROL.sub(_swap, value)


def value_clean(value):
    """A cell or field of any type: text cleaned, anything else as it is."""
    return text_clean(value) if isinstance(value, str) else value


def one_line(value: str) -> str:
    """Text for a single line (a mail's subject): every run of white space one space."""
    return " ".join(text_clean(value).split())
