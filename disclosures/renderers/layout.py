"""How a filled table sits on an A4 page: its orientation and its column widths, from its column
count and the widths of its texts at the printed size. One rule for every table of every set,
the page and the PDF alike; no table is marked landscape by hand.

Each column is measured at 9 pt (nothing prints smaller): an amount or a code never wraps; a
label or a header may wrap, but never so that a line holds a single character ("编/码"). A table
whose columns fit a portrait A4 line on one line each is portrait; otherwise landscape, where its
text columns give up width, down to two lines for a label and three for a header, until it fits.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from ..engine import Cell, FilledTable

FONT_PT = 9.0
PAD_EM = 0.7  # a cell's padding (.3em a side) and its rules
SLACK_EM = 0.5  # room for the half-percent steps widths are rounded to (static/css/widths.css)
MM = 72 / 25.4
PORTRAIT_PT = (210 - 2 * 16) * MM  # A4 less the page margins of static/css/pdf.css
LANDSCAPE_PT = (297 - 2 * 12) * MM
LABEL_ONE_LINE_EM = 16  # a longer label wraps even when there is room
TEXT_KINDS = ("label", "text", "section", "head")


def char_em(ch: str) -> float:
    """A character's advance in em, as the report's fonts set it (measured on the seed PDF)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in ",.:;'!|":
        return 0.33
    if ch == " ":
        return 0.25
    if ch == "%":
        return 0.93
    return 0.56  # digits: 0.56 in the serif (0.59 in the bold sans of totals, within SLACK_EM)


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


OPENING = "（(“‘《【〔[「"
CLOSING = "）)”’》】〕]」、，。：；！？%,.:;!?"


def tokens_of(text: str) -> list[str]:
    """The pieces a line may not break inside: an ASCII run (a number), an opening bracket with
    the character after it, a character with the closing punctuation after it (the CJK rules
    that keep "（" off a line's end and "）" off a line's start), and the last two characters
    (figures.glue)."""
    tokens: list[str] = []
    attach = False
    for ch in text:
        ascii_run = ch.isascii() and ch != " " and bool(tokens) and tokens[-1][-1:].isascii()
        if tokens and (attach or ch in CLOSING or ascii_run):
            tokens[-1] += ch
        else:
            tokens.append(ch)
        attach = ch in OPENING
    if len(tokens) >= 2 and len(tokens[-1]) == 1:
        tokens[-2:] = [tokens[-2] + tokens[-1]]
    return tokens


def lines_at(text: str, width: float) -> list[str]:
    """`text` broken into lines of at most `width` em where the printer would break it."""
    lines, line = [], ""
    for token in tokens_of(text):
        if line and text_em(line + token) > width + 1e-9:
            lines.append(line)
            line = token
        else:
            line += token
    return [*lines, line] if line else lines


def no_orphan(lines: list[str]) -> bool:
    """No line of a wrapped text holds a single character."""
    return len(lines) == 1 or all(len(line.strip()) > 1 for line in lines)


@lru_cache(maxsize=4096)
def wrap_em(text: str, max_lines: int) -> float:
    """The narrowest width (em) that sets `text` in at most `max_lines` lines, none of them a
    single character."""
    text = text.strip()
    whole = text_em(text)
    if not text or max_lines <= 1:
        return whole
    width = max(max(char_em(ch) for ch in text), math.floor(whole / max_lines * 2) / 2)
    while width < whole:
        lines = lines_at(text, width)
        if len(lines) <= max_lines and no_orphan(lines):
            return width
        width += 0.5
    return whole


def placed(rows: Iterable[list[Cell]]) -> Iterator[tuple[int, int, Cell]]:
    """(row, column, cell) of each cell of a grid with row and column spans, from zero."""
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while (r, col) in taken:
                col += 1
            for rr in range(r, r + cell.rowspan):
                for cc in range(col, col + cell.colspan):
                    taken.add((rr, cc))
            yield r, col, cell
            col += cell.colspan


def cell_text(cell: Cell) -> str:
    """The text a cell prints (the same formats as the page's `cell` filter)."""
    from ..templatetags.figures import cell as printed

    if cell.kind in ("amount", "count", "percent") or cell.ref is not None:
        return printed(cell)
    value = cell.value
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Layout:
    fits: bool  # every text column at its least still leaves the table within the page
    landscape: bool
    widths: tuple[tuple[str, str], ...]  # (column kind, percent of the table's width)
    natural_pt: float  # the width the table asks for with every column on one line
    fitted_pt: float  # the width it takes after wrapping its text columns
    # The headers and labels that wrap: the only ones whose last two characters need gluing.
    wrapping: frozenset[str] = frozenset()


def _columns(
    header_rows: list[list[Cell]], body_rows: list[list[Cell]], count: int
) -> list[tuple[list[str], list[str], list[str]]]:
    """Per printed column: its one-column header texts, its wrapping body texts (labels) and its
    other body texts (amounts, codes, 行次), as printed."""
    columns: list[tuple[list[str], list[str], list[str]]] = [([], [], []) for _ in range(count)]
    for rows, header in ((header_rows, True), (body_rows, False)):
        for _, col, cell in placed(rows):
            if cell.colspan != 1 or col >= count:
                continue
            text = cell_text(cell).strip()
            if text:
                heads, labels, others = columns[col]
                if header:
                    heads.append(text)
                elif cell.kind in TEXT_KINDS:
                    labels.append(text)
                else:
                    others.append(text)
    return columns


def _lines_fit(texts: list[str], width: float, max_lines: int) -> bool:
    return all(len(lines := lines_at(t, width)) <= max_lines and no_orphan(lines) for t in texts)


def _content(column, label_lines: int) -> tuple[float, float]:
    """A column's content width (em): with every text on one line (labels capped), and the least
    it can take with labels in `label_lines` lines and headers in three."""
    heads, labels, others = column
    fixed = max((text_em(t) for t in others), default=0.0)
    one_line = max(
        [min(text_em(t), LABEL_ONE_LINE_EM) for t in labels] + [text_em(t) for t in heads],
        default=0.0,
    )
    least = max(
        [wrap_em(t, 3) for t in heads] + [wrap_em(t, label_lines) for t in labels], default=0.0
    )
    return max(fixed, one_line, least, 2.0), max(fixed, least, 2.0)


def _good(column, k: float, label_lines: int, head_lines: int = 3) -> bool:
    """At a content width from k to just under k + 1 em (where the printed width lands after the
    rounding of the width steps and the fonts' own advances), no text of the column has a line
    of one character (their last two characters glued, figures.glue), labels take at most
    `label_lines` lines and headers `head_lines`, and the column's amounts fit."""
    heads, labels, others = column
    fixed = max((text_em(t) for t in others), default=0.0)
    return k + SLACK_EM >= fixed and all(
        _lines_fit(heads, width, head_lines) and _lines_fit(labels, width, label_lines)
        for width in (k, k + 0.45, k + 0.9)
    )


def _snapped(column, content: float, label_lines: int) -> float:
    """The content width to print: a wrapping column's set at a whole number of em plus a half,
    the widest within `content` (else the narrowest above it) that is `_good`, so the rounding of
    the width steps cannot move a break; a column of amounts alone as measured."""
    heads, labels, _ = column
    if not heads and not labels:
        return content
    top = math.floor(content - SLACK_EM)
    widest = math.ceil(max(text_em(t) for t in heads + labels))
    below = (k for k in range(top, 0, -1) if _good(column, k, label_lines))
    above = (k for k in range(top + 1, widest + 1) if _good(column, k, label_lines))
    k = next(below, None) or next(above, None)
    return content if k is None else k + SLACK_EM


def _squeeze(columns, widths: list[float], room: float, most_lines: int = 6) -> None:
    """While the columns are wider than the page, the widest wrapping column steps down an em at
    a time, its texts taking more lines (up to `most_lines`), where no width without a line of
    one character is left (`_good`): the glued last two characters keep it so."""
    while sum(widths) > room + 1e-6:
        for i in sorted(range(len(columns)), key=lambda i: -widths[i]):
            heads, labels, _ = columns[i]
            if not heads and not labels:
                continue
            top = math.floor(widths[i] - PAD_EM - SLACK_EM) - 1
            k = next((k for k in range(top, 1, -1) if _good(columns[i], k, most_lines, 4)), None)
            if k is not None:
                widths[i] = k + SLACK_EM + PAD_EM
                break
        else:
            return


def _one_line(column) -> float:
    """The column's width (em, padding included) with every text of it on one line."""
    return max((text_em(t) for texts in column for t in texts), default=2.0) + SLACK_EM + PAD_EM


def _widen(columns, widths: list[float], room: float) -> None:
    """Gives the page's spare width to the columns, only where a wider column cannot move a line
    break: first a column is widened until all its texts stand on one line (the cheapest first),
    then the columns whose texts already do share the rest."""
    left = room - sum(widths)

    def order(i: int) -> tuple[bool, float]:  # labels before headers, the cheapest first
        return (not columns[i][1], _one_line(columns[i]) - widths[i])

    for i in sorted(range(len(columns)), key=order):
        need = _one_line(columns[i]) - widths[i]
        if 0 < need <= left:
            widths[i] += need
            left -= need
    free = [
        i
        for i, (_, labels, others) in enumerate(columns)
        if (labels or others) and widths[i] >= _one_line(columns[i]) - 1e-9
    ] or [i for i in range(len(columns)) if widths[i] >= _one_line(columns[i]) - 1e-9]
    if left > 0 and free:
        for i in free:
            widths[i] += left / len(free)


def table_layout(table: FilledTable) -> Layout:
    return grid_layout(table.header, table.body, table.column_kinds)


def grid_layout(
    header: list[list[Cell]], body: list[list[Cell]], kinds: list[str], *, portrait: bool = False
) -> Layout:
    """The layout of any grid of cells: a filled table, or (`portrait`, in running text) a
    self-evaluation's tables."""
    columns = _columns(header, body, len(kinds))
    sizes = [_content(c, 2) for c in columns]
    natural = [n + PAD_EM + SLACK_EM for n, _ in sizes]
    natural_pt = sum(natural) * FONT_PT
    landscape = natural_pt > PORTRAIT_PT and not portrait
    room = (LANDSCAPE_PT if landscape else PORTRAIT_PT) / FONT_PT
    content = [n for n, _ in sizes]
    lines = 2
    if sum(natural) > room:
        # Text columns give up width in proportion to what they can give, down to their least;
        # labels wrap to a third and a fourth line only when two are not enough.
        for lines in (2, 3, 4):
            least = [m for _, m in (_content(c, lines) for c in columns)]
            if sum(least) + len(least) * (PAD_EM + SLACK_EM) <= room:
                break
        spare = room - len(columns) * (PAD_EM + SLACK_EM)
        slack = sum(n - m for n, m in zip(content, least, strict=True))
        share = min(1.0, (sum(content) - spare) / slack) if slack else 0.0
        content = [n - (n - m) * share for n, m in zip(content, least, strict=True)]
    widths = [
        _snapped(c, w + SLACK_EM, lines) + PAD_EM for c, w in zip(columns, content, strict=True)
    ]
    # Fits: within the page with labels in at most four lines. A table that does not is printed
    # in bands (table_bands); one that cannot be (a self-evaluation's) is squeezed further.
    fits = sum(widths) <= room + 1e-6
    _squeeze(columns, widths, room)
    _widen(columns, widths, room)
    total = sum(widths)
    percents = tuple((k, f"{w * 100 / total:.2f}%") for k, w in zip(kinds, widths, strict=True))
    scale = min(1.0, room / total)
    wrapping = frozenset(
        t
        for (heads, labels, _), w in zip(columns, widths, strict=True)
        for t in heads + labels
        if text_em(t) > (w * scale - PAD_EM) - SLACK_EM
    )
    return Layout(fits, landscape, percents, natural_pt, total * FONT_PT, wrapping)


def _clip(rows: list[list[Cell]], start: int, end: int) -> list[list[Cell]]:
    """The rows' cells over columns start..end-1, spans cut at the band's edges."""
    out: list[list[Cell]] = [[] for _ in rows]
    for r, col, cell in placed(rows):
        lo, hi = max(col, start), min(col + cell.colspan, end)
        if lo < hi:
            out[r].append(replace(cell, colspan=hi - lo))
    return out


def column_band(table: FilledTable, start: int, end: int, band: int, bands: int) -> FilledTable:
    return replace(
        table,
        header=_clip(table.header, start, end),
        body=_clip(table.body, start, end),
        band=band,
        bands=bands,
    )


def table_bands(table: FilledTable) -> list[FilledTable]:
    """The table as printed: whole when it fits a page at 9 pt, else in bands of its column
    groups (a group starts at a code column, as 06's four 科目编码/科目名称/金额 groups), as many
    groups to a band as fit, one band after another."""
    if table_layout(table).fits:
        return [table]
    kinds = table.column_kinds
    starts = [0] + [i for i, kind in enumerate(kinds) if kind == "code" and i > 0]
    groups = list(zip(starts, [*starts[1:], len(kinds)], strict=True))
    if len(groups) < 2:
        return [table]
    spans: list[tuple[int, int]] = []
    for start, end in groups:
        if spans and table_layout(column_band(table, spans[-1][0], end, 1, 1)).fits:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [
        column_band(table, start, end, n, len(spans)) for n, (start, end) in enumerate(spans, 1)
    ]


FUNDING_HEADS = (
    "资金来源（{unit}）",
    "年初预算数（目标申报）",
    "年初预算数（预算编制）",
    "全年预算数",
    "全年执行数",
    "资金结（转）余",
    "执行率",
    "得分",
)
INDICATOR_HEADS = (
    "一级指标",
    "二级指标",
    "指标名称",
    "年初指标值",
    "调整后指标值",
    "实际完成值",
    "权重",
    "得分",
    "偏差原因分析及改进措施",
)


def evaluation_layouts(evaluation, unit: str) -> tuple[Layout, Layout]:
    """The column widths of a self-evaluation's 预算执行情况 and indicator tables, measured on
    what they print, by the same rule as the official tables."""
    from ..templatetags.figures import amount, in_unit, share

    def text(value) -> Cell:
        return Cell(value="" if value is None else str(value), kind="label")

    def number(value) -> Cell:
        return Cell(value=value, kind="na")

    def money(value) -> Cell:
        return number("" if value is None else amount(in_unit(value, unit)))

    def score(value) -> Cell:
        return number("" if value is None else f"{Decimal(value).normalize():f}")

    funding_head = [[text(h.format(unit=unit)) for h in FUNDING_HEADS]]
    funding = [
        [
            text("合计"),
            number(""),
            number(""),
            money(evaluation.budget),
            money(evaluation.executed),
            number(""),
            number(share(evaluation.execution_rate)),
            score(evaluation.budget_execution_score),
        ]
    ] + [
        [
            text(f.source),
            money(f.initial_declared),
            money(f.initial_budgeted),
            money(f.budget),
            money(f.executed),
            money(f.balance),
            number(""),
            number(""),
        ]
        for f in evaluation.funding.all()
    ]
    indicator_head = [[text(h) for h in INDICATOR_HEADS]]
    indicators = [
        [
            text(i.level1),
            text(i.level2),
            text(i.name),
            text(i.initial_target),
            text(i.target),
            text(i.actual),
            score(i.weight),
            score(i.score),
            text(i.deviation_note),
        ]
        for i in evaluation.indicators.all()
    ]
    if evaluation.budget_execution_score is not None:  # the 预算执行率 row the tables print last
        indicators.append(
            [
                text("预算执行率"),
                text(""),
                text("全年执行数/全年预算数"),
                text(""),
                text("100%"),
                number(share(evaluation.execution_rate)),
                score(evaluation.budget_execution_weight),
                score(evaluation.budget_execution_score),
                text(""),
            ]
        )
    kinds = ["label"] + ["amount"] * 7
    indicator_kinds = ["label"] * 6 + ["amount", "amount", "label"]
    return (
        grid_layout(funding_head, funding, kinds, portrait=True),
        grid_layout(indicator_head, indicators, indicator_kinds, portrait=True),
    )
