"""Where a finding is fixed: the link from the 审核 page to the place staff change.

A check finds a problem at a place: a cell of a table, a sentence of 情况说明, a field of a
self-evaluation. A table's cell is often derived — a 类 subtotal, a 合计 column, any cell of 01 or
04 — and staff fix it where the facts it adds up are typed, often on another table. So each finding
becomes a `Target`:

- a table figure: the input cells that feed it, on the form where those facts are typed (the cell
  itself when it is an input); the form highlights them all and focuses the first;
- a finding about the text: the sentence (or the words) on the texts page, selected in its box;
- a finding about a self-evaluation: the field, or the indicator's row, in its admin form.

Nothing here reads the database: `selectors.report_finding_rows` hands in what it loaded, the
entry forms lazily (a page of text findings needs none).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from .checks import (
    ERROR,
    TEXT_REQUIREMENTS,
    Finding,
    RuleText,
    finding_place,
    rule_text,
    table_row_key,
)
from .engine import EconomicTable, FilledTable, ReportData, Value
from .entry import (
    OTHER_FORM,
    Atom,
    EntryForm,
    Home,
    Key,
    atom_key,
    cell_anchor,
    printed_cell_atoms,
)
from .narrative import DOUBLED, PLACEHOLDER, REPEATED, sentences

# Findings of the words rather than the figures of 情况说明: counted matches ("第2处") of these.
TEXT_MATCHES = {
    "text.leftover": PLACEHOLDER,
    "text.punctuation": DOUBLED,
    "text.repeated": REPEATED,
}
# Report-level findings that staff fix by writing 情况说明.
TEXT_CODES = {code for code, _, _ in TEXT_REQUIREMENTS}
# Findings no staff page fixes: the table set is the system administrator's.
UNLINKED = {"complete.table_missing", "complete.no_data_note"}

# A self-evaluation finding's (row, column) -> the field of the evaluation's admin form.
EVALUATION_FIELDS = {
    ("", "得分"): "score",
    ("", "绩效等级"): "grade",
    ("合计", "执行率"): "execution_rate",
    ("合计", "全年预算数"): "budget",
    ("合计", "全年执行数"): "executed",
    ("预算执行率", "得分"): "budget_execution_score",
}
# An indicator's column -> its field in the admin form's 绩效指标 rows.
INDICATOR_FIELDS = {
    "得分": "score",
    "权重": "weight",
    "调整后指标值": "target",
    "年初指标值": "initial_target",
    "实际完成值": "actual",
}
INDICATOR_ROW = re.compile(r"^第(\d+)行")
SENTENCE_ROW = re.compile(r"^第(\d+)句$")
MATCH_ROW = re.compile(r"^第(\d+)处$")


@dataclass(frozen=True)
class TextSection:
    """A section of 情况说明 as the texts page edits it."""

    pk: int
    heading: str
    body: str


@dataclass(frozen=True)
class EvaluationForm:
    """A self-evaluation as its admin form shows it: its indicators' `order` in the order of the
    form's 绩效指标 rows, and its text fields by heading: heading -> (field name, text)."""

    pk: int
    name: str
    indicators: tuple[int, ...]
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """Where staff fix a finding. `page` is entry, figures, texts, evaluation or import."""

    page: str
    label: str  # what the link says: 公开05表 2012901 行政运行 基本支出
    anchor: str = ""  # the element focused and highlighted: the link's fragment
    form: str = ""  # entry: the form's key
    marks: tuple[str, ...] = ()  # every element highlighted with it (the inputs a figure adds up)
    pk: int = 0  # texts: the section (0: 情况说明 as a whole); evaluation: the evaluation
    span: tuple[int, int] | None = None  # the characters of the section or field to select
    quote: str = ""  # those characters


@dataclass(frozen=True)
class FindingRow:
    """A finding as the staff pages show it."""

    finding: Finding
    text: RuleText
    place: str  # where the finding is: 公开05表 合计「小计」
    target: Target | None
    url: str  # where it is fixed, or blank

    @property
    def error(self) -> bool:
        return self.finding.severity == ERROR


@dataclass
class RuleGroup:
    """The findings of one rule, under its name and explanation."""

    text: RuleText
    severity: str
    rows: list[FindingRow]


def rule_groups(rows: Iterable[FindingRow]) -> list[RuleGroup]:
    """The rows by rule, in the order their rules first appear (errors first, as checked)."""
    groups: dict[tuple[str, str], RuleGroup] = {}
    for row in rows:
        key = (row.finding.code, row.finding.severity)
        if key not in groups:
            groups[key] = RuleGroup(row.text, row.finding.severity, [])
        groups[key].rows.append(row)
    return list(groups.values())


def rule_counts(findings: Sequence[Finding]) -> list[tuple[RuleText, str, int]]:
    """(rule, severity, how many) of each rule that found something, errors first."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[(f.code, f.severity)] = counts.get((f.code, f.severity), 0) + 1
    return [(rule_text(code), severity, n) for (code, severity), n in counts.items()]


def text_anchor(finding: Finding) -> str:
    """The id of a finding on the texts page: stable while the finding is the same one."""
    return "finding-" + hashlib.sha1(finding.key.encode()).hexdigest()[:12]


def _quoted(part: str) -> str:
    """情况说明「一、…」 -> 一、…"""
    m = re.search(r"「(.*)」", part)
    return m[1] if m else ""


def _normalised(text: str) -> str:
    """A text as its box in the browser holds it: line ends as \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class _Input:
    form: str
    anchor: str
    label: str
    value: Value
    order: int  # its place in the form


class _Inputs:
    """Every input cell of a report's forms, by the atom it holds and by its anchor."""

    def __init__(self, forms: Sequence[EntryForm], homes: dict[Key, Home], data: ReportData):
        self.by_atom: dict[Atom, _Input] = {}
        self.by_anchor: dict[str, dict[str, _Input]] = {}
        self.captions = {form.key: form.caption for form in forms} | {OTHER_FORM: "其他数据"}
        self.order = [form.key for form in forms] + [OTHER_FORM]
        for form in forms:
            cells = self.by_anchor.setdefault(form.key, {})
            n = 0
            for row in form.body:
                for c in row:
                    if c.kind != "input" or c.atom is None:
                        continue
                    home = homes.get(atom_key(c.atom)[0])
                    label = c.label or (home.label if home else "")
                    cell = _Input(form.key, c.anchor, label, c.value, n)
                    self.by_atom[c.atom] = cells[c.anchor] = cell
                    n += 1
        others = self.by_anchor.setdefault(OTHER_FORM, {})
        for key, home in homes.items():
            if home.form == OTHER_FORM:
                anchor = f"id_{home.column}"
                label = home.label.removeprefix("其他数据")
                cell = _Input(OTHER_FORM, anchor, label, data.figures.get(home.column), len(others))
                self.by_atom[key] = others[anchor] = cell

    def form_inputs(self, form: str) -> list[_Input]:
        return list(self.by_anchor.get(form, {}).values())

    def choose(self, cells: Iterable[_Input], *, prefer: str = "") -> list[_Input]:
        """The cells of one form, in its order: the preferred form when it has any, else the
        form holding the most figures (the first form on a tie)."""
        by_form: dict[str, list[_Input]] = {}
        for cell in cells:
            by_form.setdefault(cell.form, []).append(cell)
        if not by_form:
            return []
        if prefer not in by_form:
            prefer = max(
                by_form,
                key=lambda f: (sum(1 for c in by_form[f] if c.value), -self.order.index(f)),
            )
        return sorted(by_form[prefer], key=lambda c: c.order)


class FindingPlaces:
    """Each finding of one report with its place, its rule's words and where it is fixed."""

    def __init__(
        self,
        *,
        report: int,
        data: ReportData,
        tables: Sequence[FilledTable],
        homes: dict[Key, Home],
        item_codes: Sequence[str],
        forms: Callable[[], Sequence[EntryForm]],
        sections: Callable[[], Sequence[TextSection]],
        evaluations: Callable[[], Sequence[EvaluationForm]],
    ):
        self.report = report
        self.data = data
        self.tables = list(tables)
        self.by_number = {t.number: t for t in tables if t.number}
        self.homes = homes
        self.item_codes = item_codes
        self._forms = forms
        self._sections = sections
        self._evaluations = evaluations
        self._atoms: dict[str, dict] = {}
        self._anchors: dict[str, int] = {}  # a text finding's anchor, and how often it came

    @cached_property
    def inputs(self) -> _Inputs:
        return _Inputs(self._forms(), self.homes, self.data)

    @cached_property
    def sections(self) -> list[TextSection]:
        return [TextSection(s.pk, s.heading, _normalised(s.body)) for s in self._sections()]

    @cached_property
    def evaluations(self) -> list[EvaluationForm]:
        return list(self._evaluations())

    def row(self, finding: Finding) -> FindingRow:
        """Call once per finding, in the checks' order: two findings with one key (two amounts
        of a sentence) get anchors of their own on the texts page."""
        target = self.target(finding)
        if target is not None and target.page == "texts":
            seen = self._anchors.get(target.anchor, 0)
            self._anchors[target.anchor] = seen + 1
            if seen:
                target = replace(target, anchor=f"{target.anchor}-{seen + 1}")
        url = target_url(target, report=self.report) if target else ""
        return FindingRow(
            finding, rule_text(finding.code), finding_place(finding, self.tables), target, url
        )

    def target(self, f: Finding) -> Target | None:
        if f.code in UNLINKED:
            return None
        if f.code == "printed.unplaced":
            return Target("import", "导入 Excel，改正后重新导入")
        if f.part.startswith("绩效自评"):
            return self._evaluation_target(f)
        if f.part.startswith("情况说明") or f.code in TEXT_CODES:
            return self._text_target(f)
        if f.table and f.table in self.by_number:
            return self._table_target(f, self.by_number[f.table])
        if f.row:
            return self._code_target(f)
        return None

    # ---------------------------------------------------------------------------------------
    # Figures of the tables

    def _cell_atoms(self, table: FilledTable) -> dict[tuple[str, str], set[Atom]]:
        if table.number not in self._atoms:
            self._atoms[table.number] = printed_cell_atoms(
                table.definition, self.data, self.item_codes
            )
        return self._atoms[table.number]

    def _own_input(self, table: FilledTable, key: str, column: str) -> _Input | None:
        """The input cell at (row, column) of the table's own form, if the cell is one."""
        meta = table.rows[key]
        cells = self.inputs.by_anchor.get(table.number, {})
        for label in (meta.code, meta.label, meta.line, key):
            cell = cells.get(cell_anchor(table.number, label, column)) if label else None
            if cell is not None:
                return cell
        return None

    def _table_target(self, f: Finding, table: FilledTable) -> Target | None:
        if not f.row:
            return self._cells_target(self.inputs.form_inputs(table.number))
        key = table_row_key(table, f.row)
        if key is None:
            return self._code_target(f)  # a code the table prints no row for
        if f.column:
            own = self._own_input(table, key, f.column)
            if own is not None:
                return self._cells_target([own])
        columns = [f.column] if (key, f.column) in table.values else []
        columns = columns or [c for (r, c) in table.values if r == key]
        atoms = self._cell_atoms(table)
        fed = {a for c in columns for a in atoms.get((key, c), ())}
        cells = [self.inputs.by_atom[a] for a in fed if a in self.inputs.by_atom]
        return self._cells_target(self.inputs.choose(cells, prefer=table.number))

    def _code_target(self, f: Finding) -> Target | None:
        """A finding about a code or a scalar item rather than a cell (code.unknown,
        amount.negative): the inputs of that code (and source or nature, when it says)."""
        table = self.by_number.get(f.table)
        economic = table is not None and isinstance(table.definition, EconomicTable)

        def about(atom: Atom) -> bool:
            if atom[0] == "figure":
                return not economic and atom[1] == f.row
            if (atom[0] == "econ") != economic:
                return False
            code, detail = (atom[2], atom[3]) if atom[0] == "fact" else (atom[1], atom[2])
            return code.startswith(f.row) and (not f.column or detail == f.column)

        cells = [c for a, c in self.inputs.by_atom.items() if about(a)]
        return self._cells_target(self.inputs.choose(cells))

    def _cells_target(self, cells: list[_Input]) -> Target | None:
        if not cells:
            return None
        first = cells[0]
        caption = self.inputs.captions.get(first.form, first.form)
        label = f"{caption} {first.label}".strip()
        if len(cells) > 1:
            label += f" 等 {len(cells)} 格"
        page = "figures" if first.form == OTHER_FORM else "entry"
        return Target(
            page,
            label,
            first.anchor,
            form=first.form,
            marks=tuple(c.anchor for c in cells),
        )

    # ---------------------------------------------------------------------------------------
    # 情况说明

    def _text_target(self, f: Finding) -> Target:
        heading = _quoted(f.part)
        anchor = text_anchor(f)
        section = next((s for s in self.sections if s.heading == heading), None)
        span = _span(f, section) if section is not None else None
        if section is None and f.row:
            # A line that changed without a reason stated anywhere: where the text speaks of it.
            section, span = self._first_mention(f.row)
        if section is None:
            return Target("texts", "情况说明", anchor)
        where = f"情况说明「{section.heading}」"
        if SENTENCE_ROW.match(f.row) or (MATCH_ROW.match(f.row) and span):
            where += f.row
        quote = section.body[span[0] : span[1]] if span else ""
        return Target("texts", where, anchor, pk=section.pk, span=span, quote=quote)

    def _first_mention(self, phrase: str) -> tuple[TextSection | None, tuple[int, int] | None]:
        for section in self.sections:
            for start, end, text in _sentence_spans(section):
                if phrase in text:
                    return section, (start, end)
        return None, None

    # ---------------------------------------------------------------------------------------
    # Self-evaluations

    def _evaluation_target(self, f: Finding) -> Target | None:
        name = _quoted(f.part)
        ev = next((e for e in self.evaluations if e.name == name), None)
        if ev is None:
            return None
        where = f"绩效自评「{ev.name}」"
        row = INDICATOR_ROW.match(f.row)
        heading = f.column if f.column in ev.texts else f.row if f.row in ev.texts else ""
        span = None
        if row and int(row[1]) in ev.indicators:
            i = ev.indicators.index(int(row[1]))
            anchor = f"id_indicators-{i}-{INDICATOR_FIELDS.get(f.column, 'score')}"
            marks = (anchor,)
            where += f"{f.row}「{f.column}」" if f.column else f.row
        elif heading:
            name_of_field, text = ev.texts[heading]
            anchor, marks = f"id_{name_of_field}", (f"id_{name_of_field}",)
            where += f"「{heading}」"
            match = MATCH_ROW.match(f.row)
            pattern = TEXT_MATCHES.get(f.code)
            if match and pattern is not None:
                span = _nth_match(pattern, _normalised(text), int(match[1]))
        elif f.column == "权重":
            weights = [f"id_indicators-{i}-weight" for i in range(len(ev.indicators))]
            marks = (*weights, "id_budget_execution_weight")
            anchor = marks[0]
            where += "「权重」"
        elif (f.row, f.column) in EVALUATION_FIELDS:
            anchor = f"id_{EVALUATION_FIELDS[(f.row, f.column)]}"
            marks = (anchor,)
            if f.column == "得分" and not f.row:
                scores = [f"id_indicators-{i}-score" for i in range(len(ev.indicators))]
                marks = (anchor, *scores, "id_budget_execution_score")
            where += f"{f.row}「{f.column}」"
        else:
            return Target("evaluation", where, pk=ev.pk)
        return Target("evaluation", where, anchor, marks=marks, pk=ev.pk, span=span)


def _sentence_spans(section: TextSection) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence of a section, numbered as the checks number them."""
    spans = []
    cursor = 0
    for s in sentences([(section.heading, section.body)]):
        start = section.body.find(s.text, cursor)
        if start < 0:
            start = cursor
        spans.append((start, start + len(s.text), s.text))
        cursor = start + len(s.text)
    return spans


def _nth_match(pattern: re.Pattern, text: str, n: int) -> tuple[int, int] | None:
    for i, m in enumerate(pattern.finditer(text), start=1):
        if i == n:
            return m.span()
    return None


def _span(f: Finding, section: TextSection) -> tuple[int, int] | None:
    """The characters of a section a text finding is about: its sentence (第3句), its match
    (第2处), or the sentence it quotes."""
    sentence = SENTENCE_ROW.match(f.row)
    if sentence:
        spans = _sentence_spans(section)
        n = int(sentence[1])
        return spans[n - 1][:2] if 0 < n <= len(spans) else None
    match = MATCH_ROW.match(f.row)
    if match and f.code in TEXT_MATCHES:
        return _nth_match(TEXT_MATCHES[f.code], section.body, int(match[1]))
    # A finding that quotes its sentence: 「…」 first in its message, the longest that is there.
    if f.message.startswith("「"):
        ends = [i for i, ch in enumerate(f.message) if ch == "」"]
        for end in reversed(ends):
            at = section.body.find(f.message[1:end])
            if at >= 0 and end > 1:
                return at, at + end - 1
    return None


def target_url(target: Target, *, report: int) -> str:
    """The link to a target: its page, the cells to highlight (`?mark=`) or the characters to
    select (`?sel=`), and the element to focus as the fragment."""
    if target.page == "entry":
        url = reverse("admin:disclosures_report_entry", args=[report, target.form])
    elif target.page == "figures":
        url = reverse("admin:disclosures_report_figures", args=[report])
    elif target.page == "texts":
        url = reverse("admin:disclosures_report_texts", args=[report])
    elif target.page == "evaluation":
        url = reverse("admin:performance_evaluation_change", args=[target.pk])
    else:
        url = reverse("admin:disclosures_report_import", args=[report])
    query = {}
    if len(target.marks) > 1:
        query["mark"] = ",".join(target.marks)
    if target.page == "evaluation" and target.span:
        query["sel"] = f"{target.span[0]},{target.span[1]}"
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{target.anchor}" if target.anchor else "")
