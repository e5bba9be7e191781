"""Entry forms, generated from the table definitions: where each fact is typed, and how a form's
derived cells add up while staff type.

Every cell of every table is a sum of **atoms**: one fact key at one 项 code, one economic key at
one 款 code, or one scalar item. A cell whose column reads a single key is an **input**; any other
cell is derived. Each key has exactly one **home** in a template (`template_homes`), so no figure
is ever typed twice: 05, 08 and 09 take an appropriation's spending, income and balances by 项
(05 and 09 on columns they do not print), 03 takes the spending and balances of other money, 02
the income that is not appropriated, 06 the economic lines, 07 and 10 the scalar items, and the
items a set discloses in 情况说明 their own form. 01 and 04 add up the rest and are read-only.

Nothing here touches the database: a form is built from a definition and the report's data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .engine import (
    ZERO,
    Cell,
    Col,
    Cols,
    Econ,
    EconomicTable,
    Facts,
    Figure,
    Figures,
    FilledTable,
    FormRow,
    FormTable,
    Group,
    Lines,
    ReportData,
    Section,
    Share,
    StatementTable,
    TableDef,
    Template,
    TreeTable,
    Value,
    header_rows,
)
from .vocab import FUNCTIONAL_LEVEL_BY_LENGTH, Measure

Atom = tuple  # ("fact", measure, code, source, nature) | ("econ", code, nature) | ("figure", name)
Key = tuple  # an atom without its code: ("fact", measure, source, nature) | ("econ", nature) | …
OTHER_FORM = "figures"  # the form of scalar items no table form takes
# What a form shows for a code the year's list does not name, rather than an empty name.
UNLISTED = "（未在科目表中）"


# ---------------------------------------------------------------------------------------------
# Keys and homes


def column_keys(col: Col, columns: dict[str, Col]) -> list[Key]:
    """The keys a tree or economic column adds up (a sum of columns adds up theirs)."""
    value = col.value
    if isinstance(value, Facts):
        return [("fact", *key) for key in value.reads()]
    if isinstance(value, Econ):
        return [("econ", nature) for nature in value.reads()]
    if isinstance(value, Cols):
        return [k for part in value.keys for k in column_keys(columns[part], columns)]
    return []


def input_key(col: Col, columns: dict[str, Col]) -> Key | None:
    """The one key a column takes, if it is an input column."""
    if isinstance(col.value, Facts | Econ):
        keys = column_keys(col, columns)
        return keys[0] if len(keys) == 1 else None
    return None


def _form_columns(table: TreeTable | EconomicTable) -> list[Col]:
    printed = [leaf for col in table.columns for leaf in col.leaves()]
    return [c for c in printed if c.kind == "amount"] + list(table.entry_columns)


def _row_expr(row: FormRow, col: Col):
    return row.values.get(col.key, col.value)


@dataclass(frozen=True)
class Home:
    form: str  # the table's number, or OTHER_FORM / the text-items form
    column: str
    label: str  # where it is typed, as staff read it: 公开05表「本年收入（一般公共预算财政拨款）」


def entry_tables(template: Template) -> list[TableDef]:
    """The tables that have an entry form, in order: every table but the statements (01, 04),
    then the items the set discloses in 情况说明."""
    tables = [t for t in template.tables if not isinstance(t, StatementTable)]
    return tables + ([template.text_items] if template.text_items is not None else [])


def form_key(table: TableDef) -> str:
    return table.number or "text"


def form_caption(table: TableDef) -> str:
    return f"公开{table.number}表" if table.number else "情况说明中公开的事项"


def template_homes(template: Template, figure_names: Iterable[str]) -> dict[Key, Home]:
    """Where each key is typed. Raises ValueError if a template would have a key typed twice.

    Scalar items no table form takes (such as 使用非财政拨款结余 in 01) go to the 其他数据 form.
    """
    homes: dict[Key, Home] = {}

    def place(key: Key, home: Home) -> None:
        if key in homes:
            raise ValueError(f"{key} is typed both in {homes[key].label} and in {home.label}")
        homes[key] = home

    for table in entry_tables(template):
        caption = form_caption(table)
        if isinstance(table, FormTable):
            for row in table.rows:
                if not isinstance(row, FormRow):
                    continue
                for col in table.columns:
                    for leaf in col.leaves():
                        expr = _row_expr(row, leaf)
                        if isinstance(expr, Figure):
                            home = Home(form_key(table), leaf.key, f"{caption}「{row.label}」")
                            place(("figure", expr.name), home)
            continue
        columns = {c.key: c for c in _form_columns(table)}
        for col in columns.values():
            key = input_key(col, columns)
            if key is not None:
                place(key, Home(form_key(table), col.key, f"{caption}「{col.label}」"))
    for name in figure_names:
        if ("figure", name) not in homes:
            homes[("figure", name)] = Home(OTHER_FORM, name, f"其他数据「{name}」")
    return homes


def read_keys(template: Template) -> set[Key]:
    """Every key some printed cell of the template reads: each must have a home."""
    keys: set[Key] = set()

    def figure_names(expr) -> set[str]:
        if isinstance(expr, Figure):
            return {expr.name}
        if isinstance(expr, Figures):
            return set(expr.names)
        if isinstance(expr, Share):
            return figure_names(expr.part) | figure_names(expr.whole)
        return set()

    for table in [*template.tables, *([template.text_items] if template.text_items else [])]:
        if isinstance(table, TreeTable | EconomicTable):
            columns = {c.key: c for c in _form_columns(table)}
            for col in columns.values():
                keys |= set(column_keys(col, columns))
        elif isinstance(table, StatementTable):
            for line in (*table.left, *table.left_tail, *table.right_tail):
                for expr in line.values.values():
                    keys |= _statement_keys(expr)
            for expr in table.right.values.values():
                keys |= _statement_keys(expr)
        elif isinstance(table, FormTable):
            for row in table.rows:
                if isinstance(row, FormRow):
                    for leaf in (c for col in table.columns for c in col.leaves()):
                        keys |= {("figure", n) for n in figure_names(_row_expr(row, leaf))}
    return keys


def _statement_keys(expr) -> set[Key]:
    if isinstance(expr, Facts):
        return {("fact", *key) for key in expr.reads()}
    if isinstance(expr, Figure):
        return {("figure", expr.name)}
    return set()


# ---------------------------------------------------------------------------------------------
# Atoms and their values


def atom_values(data: ReportData) -> dict[Atom, Value]:
    values: dict[Atom, Value] = {}
    for f in data.facts:
        atom = ("fact", f.measure, f.code, f.source, f.nature)
        values[atom] = (values.get(atom) or ZERO) + f.amount
    for f in data.economic_facts:
        atom = ("econ", f.code, f.nature)
        values[atom] = (values.get(atom) or ZERO) + f.amount
    for name, value in data.figures.items():
        values[("figure", name)] = value
    return values


def atom_name(atom: Atom) -> str:
    """The input's name in the form: the atom itself, readable."""
    return "|".join(atom)


def atom_from_name(name: str) -> Atom | None:
    parts = tuple(name.split("|"))
    if parts[0] == "fact" and len(parts) == 5:
        return parts
    if parts[0] == "econ" and len(parts) == 3:
        return parts
    if parts[0] == "figure" and len(parts) == 2:
        return parts
    return None


def place_atom(key: Key, code: str) -> Atom:
    """A key at a code: ("fact", m, s, n) at 2012901 -> ("fact", m, "2012901", s, n)."""
    if key[0] == "fact":
        return ("fact", key[1], code, key[2], key[3])
    if key[0] == "econ":
        return ("econ", code, key[1])
    return key


def atom_key(atom: Atom) -> tuple[Key, str]:
    """(key, code) of an atom; the code is blank for a scalar item."""
    if atom[0] == "fact":
        return ("fact", atom[1], atom[3], atom[4]), atom[2]
    if atom[0] == "econ":
        return ("econ", atom[2]), atom[1]
    return atom, ""


def atom_caption(atom: Atom, homes: dict[Key, Home], data: ReportData) -> str:
    """Where an atom is typed and what it is: "公开05表「基本支出」 2012901 行政运行"."""
    key, code = atom_key(atom)
    home = homes.get(key)
    where = home.label if home else "/".join(key)
    if not code:
        return where
    if atom[0] == "econ":
        name = next((c.name for c in data.economic_codes if c.code == code), UNLISTED)
    else:
        name = data.functional_name(code) or UNLISTED
    return f"{where} {code} {name}"


def cell_anchor(table: str, row_label: str, column: str) -> str:
    """The id of a cell on its form, and the fragment a finding links to."""
    return f"cell-{table}-{row_label}-{column}".replace(" ", "_")


# ---------------------------------------------------------------------------------------------
# A form


@dataclass
class EntryCell:
    kind: str  # input | derived | percent | label | code | section | blank | na | head
    value: Value | str = None
    colspan: int = 1
    rowspan: int = 1
    atom: Atom | None = None
    count: bool = False  # a whole number (vehicles), not money
    negative_ok: bool = False
    base: Decimal = ZERO  # derived: what the other forms contribute
    terms: list[str] = field(default_factory=list)  # derived: this form's inputs it adds up
    part: list[str] = field(default_factory=list)  # percent: inputs of the part
    whole: list[str] = field(default_factory=list)  # percent: inputs of the whole
    part_base: Decimal = ZERO
    whole_base: Decimal = ZERO
    previous: Value = None  # last year's figure, for inputs
    anchor: str = ""
    level: str = ""
    label: str = ""  # what an input is, for screen readers: "2012901 行政运行 基本支出"

    @property
    def name(self) -> str:
        return atom_name(self.atom) if self.atom else ""


@dataclass(frozen=True)
class FormColumn:
    """A column of a form's body, for the paste of a block copied from Excel with its header:
    the header's labels and 栏次 name it, and only an input column takes a value."""

    label: str
    groups: tuple[str, ...] = ()  # the labels of the header cells above it, outermost first
    number: str = ""  # 栏次, where the printed table numbers the column
    kind: str = "stub"  # stub (code, name, 行次) | input | derived


def form_columns(
    header_cols: Iterable[Col], body: list[list[EntryCell]], input_keys: Iterable[str] = ()
) -> list[FormColumn]:
    """The body's columns in order, named by the header they sit under. A value column is an
    input column when some row takes a figure there (or its key is in `input_keys`: a tree
    form's before it has a row), else derived (a 小计, a 合计)."""
    input_keys = set(input_keys)
    leaves: list[tuple[Col, tuple[str, ...]]] = []

    def walk(col: Col, groups: tuple[str, ...]) -> None:
        if not col.children:
            leaves.append((col, groups))
        for child in col.children:
            walk(child, (*groups, col.label))

    for col in header_cols:
        walk(col, ())
    typed: set[int] = set()
    for row in body:
        position = 0
        for cell in row:
            if cell.kind == "input":
                typed.add(position)
            position += cell.colspan
    return [
        FormColumn(
            col.label,
            groups,
            col.number,
            "stub"
            if col.kind not in ("amount", "count")
            else "input"
            if i in typed or col.key in input_keys
            else "derived",
        )
        for i, (col, groups) in enumerate(leaves)
    ]


@dataclass
class EntryForm:
    table: TableDef
    key: str
    caption: str
    title: str
    header: list[list[Cell]]
    body: list[list[EntryCell]]
    read_only: bool
    notes: list[str]
    tree: bool = False  # rows are 项 codes: staff may add one
    columns: list[FormColumn] = field(default_factory=list)  # the body's, for a paste

    @property
    def inputs(self) -> list[EntryCell]:
        return [c for row in self.body for c in row if c.kind == "input"]


def _money(value: Value) -> Decimal:
    return ZERO if value is None else Decimal(value)


class _Builder:
    def __init__(
        self,
        table: TableDef,
        data: ReportData,
        previous: ReportData | None,
        homes: dict[Key, Home],
    ):
        self.table = table
        self.data = data
        self.values = atom_values(data)
        self.previous = atom_values(previous) if previous is not None else {}
        self.homes = homes
        self.key = form_key(table)
        self.inputs: set[Atom] = set()

    def is_input(self, key: Key) -> bool:
        home = self.homes.get(key)
        return home is not None and home.form == self.key

    def input_cell(self, atom: Atom, anchor: str, *, negative_ok: bool = False, count=False):
        self.inputs.add(atom)
        return EntryCell(
            "input",
            self.values.get(atom),
            atom=atom,
            previous=self.previous.get(atom),
            anchor=anchor,
            negative_ok=negative_ok,
            count=count,
        )

    def derived_cell(self, atoms: Iterable[Atom], anchor: str, level: str = ""):
        atoms = list(atoms)
        mine = [a for a in atoms if a in self.inputs]
        base = sum((_money(self.values.get(a)) for a in atoms if a not in self.inputs), ZERO)
        total = base + sum((_money(self.values.get(a)) for a in mine), ZERO)
        return EntryCell(
            "derived",
            total,
            base=base,
            terms=[atom_name(a) for a in mine],
            anchor=anchor,
            level=level,
        )


def _tree_rows(codes: Iterable[str]) -> list[str]:
    items = sorted({c for c in codes if len(c) == 7})
    return sorted({c[:n] for c in items for n in (3, 5, 7)})


def _tree_form(b: _Builder, table: TreeTable, item_codes: Iterable[str]) -> EntryForm:
    columns = {c.key: c for c in _form_columns(table)}
    # Input cells first, so derived cells know this form's inputs.
    codes = _tree_rows(item_codes)
    items = [c for c in codes if len(c) == 7]
    input_cols = {k: input_key(c, columns) for k, c in columns.items()}
    for code in items:
        for _col_key, key in input_cols.items():
            if key is not None and b.is_input(key):
                b.inputs.add(place_atom(key, code))
    notes = []
    for col in columns.values():
        key = input_cols[col.key]
        if isinstance(col.value, Facts) and (key is None or not b.is_input(key)):
            where = [b.homes[k].label for k in column_keys(col, columns) if k in b.homes]
            where = list(dict.fromkeys(where))
            if where:
                notes.append(f"「{col.label}」由 {'、'.join(where)} 汇总得出，不在本列填写。")
    if table.entry_columns:
        labels = "、".join(f"「{c.label}」" for c in table.entry_columns)
        notes.append(f"{labels} 只在本表填报，不印在公开的表上。")

    body: list[list[EntryCell]] = []
    for row in ["total", *codes]:
        level = "total" if row == "total" else FUNCTIONAL_LEVEL_BY_LENGTH.get(len(row), "")
        label = "合计" if row == "total" else b.data.functional_name(row) or UNLISTED
        under = items if row == "total" else [c for c in items if c.startswith(row)]
        cells = (
            [EntryCell("label", "合计", colspan=2, level="total")]
            if row == "total"
            else [EntryCell("code", row, level=level), EntryCell("label", label, level=level)]
        )
        row_label = "合计" if row == "total" else row
        for col in columns.values():
            anchor = cell_anchor(table.number, row_label, col.key)
            key = input_cols[col.key]
            if len(row) == 7 and key is not None and b.is_input(key):
                negative = key[0] == "fact" and key[1] in (Measure.OPENING, Measure.CLOSING)
                cells.append(b.input_cell(place_atom(key, row), anchor, negative_ok=negative))
                cells[-1].label = f"{row} {label} {col.label}"
            else:
                atoms = [place_atom(k, c) for k in column_keys(col, columns) for c in under]
                cells.append(b.derived_cell(atoms, anchor, level=level))
        body.append(cells)
    header_cols = list(table.columns)
    if table.entry_columns:
        header_cols.append(Col("entry", "只在本表填报（不印制）", table.entry_columns))
    return EntryForm(
        table,
        b.key,
        form_caption(table),
        table.title,
        header_rows(header_cols, numbers=False),
        body,
        # Editable when a column is typed here, even before it has a row (an empty draft).
        read_only=not any(k is not None and b.is_input(k) for k in input_cols.values()),
        notes=notes,
        tree=True,
        columns=form_columns(
            header_cols,
            body,
            [k for k, key in input_cols.items() if key is not None and b.is_input(key)],
        ),
    )


def _economic_form(b: _Builder, table: EconomicTable) -> EntryForm:
    columns = {c.key: c for c in _form_columns(table)}
    data = b.data
    input_cols = {k: input_key(c, columns) for k, c in columns.items()}

    def shown(code) -> bool:
        return code.basic_applicable or not table.basic_only

    groups = []
    for group in table.groups:
        rows = []
        for cat in (
            c for c in data.economic_codes if c.group == group.name and c.level == "类" and shown(c)
        ):
            sections = [
                c
                for c in data.economic_codes
                if c.level == "款" and c.code.startswith(cat.code) and shown(c)
            ]
            rows.append((cat, sections))
        groups.append((group, rows))
    for _, rows in groups:
        for _, sections in rows:
            for section in sections:
                for key in input_cols.values():
                    if key is not None and b.is_input(key) and _applies(key, section):
                        b.inputs.add(place_atom(key, section.code))

    def cells_for(row_label: str, codes: list, level: str, entry=None) -> list[EntryCell]:
        cells = []
        for col in columns.values():
            anchor = cell_anchor(table.number, row_label, col.key)
            key = input_cols[col.key]
            applicable = [c for c in codes if all(_applies(k, c) for k in [key] if k)]
            if entry is not None and key is not None and b.is_input(key):
                if _applies(key, entry):
                    cells.append(b.input_cell(place_atom(key, entry.code), anchor))
                    cells[-1].label = f"{entry.code} {entry.name} {col.label}"
                else:
                    cells.append(EntryCell("na", "────", anchor=anchor))
                continue
            if key is not None and not applicable:
                cells.append(EntryCell("na", "────", anchor=anchor))
                continue
            atoms = [
                place_atom(k, c.code)
                for k in column_keys(col, columns)
                for c in codes
                if _applies(k, c)
            ]
            cells.append(b.derived_cell(atoms, anchor, level=level))
        return cells

    body: list[list[EntryCell]] = []
    width = 2 + len(columns)
    for group, rows in groups:
        body.append([EntryCell("section", group.name, colspan=width)])
        all_sections = [s for _, sections in rows for s in sections]
        for cat, sections in rows:
            name = data.economic_name(cat.code, cat.name)
            body.append(
                [
                    EntryCell("code", cat.code, level="类"),
                    EntryCell("label", name, level="类"),
                    *cells_for(cat.code, sections, "类"),
                ]
            )
            for section in sections:
                name = data.economic_name(section.code, section.name)
                body.append(
                    [
                        EntryCell("code", section.code),
                        EntryCell("label", name),
                        *cells_for(section.code, [section], "", entry=section),
                    ]
                )
        label = f"{group.name}合计"
        body.append(
            [
                EntryCell("label", label, colspan=2, level="total"),
                *cells_for(label, all_sections, "total"),
            ]
        )
    notes = []
    for col in columns.values():
        key = input_cols[col.key]
        if key is None:
            parts = "、".join(
                f"「{c.label}」" for c in columns.values() if input_cols[c.key] is not None
            )
            notes.append(f"「{col.label}」为 {parts} 之和，不在本列填写。")
    if table.entry_columns:
        labels = "、".join(f"「{c.label}」" for c in table.entry_columns)
        notes.append(f"{labels} 只在本表填报，不印在公开的表上。")
    header_cols = (
        Col("code", "科目编码", kind="code"),
        Col("name", "科目名称", kind="label"),
        *columns.values(),
    )
    return EntryForm(
        table,
        b.key,
        form_caption(table),
        table.title,
        header_rows(header_cols, numbers=False),
        body,
        not b.inputs,
        notes,
        columns=form_columns(header_cols, body),
    )


def _applies(key: Key | None, code) -> bool:
    """Basic spending cannot use some codes (printed "────")."""
    return not (key and key[0] == "econ" and key[1] == "basic" and not code.basic_applicable)


def _form_atoms(expr, row: FormRow, col: Col, table: FormTable) -> set[Atom]:
    rows = {r.key: r for r in table.rows if isinstance(r, FormRow)}
    leaves = {c.key: c for top in table.columns for c in top.leaves()}
    if isinstance(expr, Figure):
        return {("figure", expr.name)}
    if isinstance(expr, Figures):
        return {("figure", n) for n in expr.names}
    if isinstance(expr, Lines):
        return {
            a for k in expr.keys for a in _form_atoms(_row_expr(rows[k], col), rows[k], col, table)
        }
    if isinstance(expr, Cols):
        return {
            a
            for k in expr.keys
            for a in _form_atoms(_row_expr(row, leaves[k]), row, leaves[k], table)
        }
    if isinstance(expr, Group):
        raise TypeError("a form row sums named rows, not groups")
    return set()


def _form_form(b: _Builder, table: FormTable) -> EntryForm:
    leaves = [c for top in table.columns for c in top.leaves() if c.kind in ("amount", "count")]
    width = len(leaves) + (2 if table.stub else 0)
    for row in table.rows:
        if isinstance(row, FormRow):
            for col in leaves:
                expr = _row_expr(row, col)
                if isinstance(expr, Figure) and b.is_input(("figure", expr.name)):
                    b.inputs.add(("figure", expr.name))
    paths = _column_paths(table.columns)
    body: list[list[EntryCell]] = []
    for row in table.rows:
        if isinstance(row, Section):
            body.append([EntryCell("section", row.label, colspan=width)])
            continue
        cells = [EntryCell("label", row.label), EntryCell("blank", row.line)] if table.stub else []
        for col in leaves:
            expr = _row_expr(row, col)
            anchor = cell_anchor(table.number, row.label, col.key)
            if expr is None:
                cells.append(EntryCell("blank", anchor=anchor))
            elif isinstance(expr, Figure) and ("figure", expr.name) in b.inputs:
                cells.append(b.input_cell(("figure", expr.name), anchor, count=row.kind == "count"))
                cells[-1].label = f"{row.label} {paths[col.key]}"
            elif isinstance(expr, Share):
                part = _form_atoms(expr.part, row, col, table)
                whole = _form_atoms(expr.whole, row, col, table)
                cells.append(_percent_cell(b, part, whole, anchor))
            else:
                cells.append(b.derived_cell(_form_atoms(expr, row, col, table), anchor))
                cells[-1].count = row.kind == "count"
        body.append(cells)
    header_cols = table.columns
    if table.stub:
        header_cols = (
            Col("label", "项目", kind="label"),
            Col("line", "行次", kind="line"),
            *table.columns,
        )
    return EntryForm(
        table,
        b.key,
        form_caption(table),
        table.title,
        header_rows(header_cols, numbers=table.column_numbers),
        body,
        read_only=not b.inputs,
        notes=[],
        columns=form_columns(header_cols, body),
    )


def _column_paths(columns: Iterable[Col], above: str = "") -> dict[str, str]:
    """Each leaf column's label under its headers: "决算数 因公出国（境）费"."""
    paths: dict[str, str] = {}
    for col in columns:
        label = f"{above} {col.label}".strip()
        if col.children:
            paths |= _column_paths(col.children, label)
        else:
            paths[col.key] = label
    return paths


def _percent_cell(b: _Builder, part: set[Atom], whole: set[Atom], anchor: str) -> EntryCell:
    def split(atoms):
        mine = [atom_name(a) for a in atoms if a in b.inputs]
        base = sum((_money(b.values.get(a)) for a in atoms if a not in b.inputs), ZERO)
        return mine, base

    part_terms, part_base = split(part)
    whole_terms, whole_base = split(whole)
    p = sum((_money(b.values.get(a)) for a in part), ZERO)
    w = sum((_money(b.values.get(a)) for a in whole), ZERO)
    value = (p * 100 / w).quantize(Decimal("0.01"), ROUND_HALF_UP) if w else None
    return EntryCell(
        "percent",
        value,
        part=part_terms,
        whole=whole_terms,
        part_base=part_base,
        whole_base=whole_base,
        anchor=anchor,
    )


def _statement_form(b: _Builder, filled: FilledTable) -> EntryForm:
    body = []
    for row in filled.body:
        cells = []
        for c in row:
            if c.ref is None:
                cells.append(EntryCell(c.kind, c.value, colspan=c.colspan, level=c.level))
                continue
            # A statement's findings name the row by its 行次.
            anchor = cell_anchor(filled.number, filled.rows[c.ref[0]].line, c.ref[1])
            cells.append(
                EntryCell(
                    "derived",
                    filled.values.get(c.ref),
                    base=_money(filled.values.get(c.ref)),
                    anchor=anchor,
                    level=c.level,
                )
            )
        body.append(cells)
    return EntryForm(
        filled.definition,
        b.key,
        form_caption(filled.definition),
        filled.title,
        filled.header,
        body,
        read_only=True,
        notes=["本表全部由其他各表汇总生成，无需填写。"],
    )


def entry_form(
    table: TableDef,
    data: ReportData,
    homes: dict[Key, Home],
    *,
    previous: ReportData | None = None,
    item_codes: Iterable[str] = (),
    filled: FilledTable | None = None,
) -> EntryForm:
    """The entry form of one table: its printed layout (with its entry-only columns), an input
    where a key is at home, the rest derived as base + this form's inputs.

    `item_codes` are the 项 rows a tree form shows (the report's facts and the rows staff added);
    `filled` is the engine's table, which read-only statement forms show as they print.
    """
    b = _Builder(table, data, previous, homes)
    if isinstance(table, StatementTable):
        assert filled is not None, "a statement form shows the filled table"
        return _statement_form(b, filled)
    if isinstance(table, TreeTable):
        return _tree_form(b, table, item_codes)
    if isinstance(table, EconomicTable):
        return _economic_form(b, table)
    return _form_form(b, table)


# ---------------------------------------------------------------------------------------------
# What every printed cell adds up: the equations an import is read with


def printed_cell_atoms(
    table: TableDef, data: ReportData, item_codes: Iterable[str]
) -> dict[tuple[str, str], set[Atom]]:
    """(row key, column key) -> the atoms a printed cell of `table` adds up, for a report whose
    tree tables have the 项 rows `item_codes` and whose code lists are `data`'s."""
    items = sorted({c for c in item_codes if len(c) == 7})
    if isinstance(table, TreeTable):
        return _tree_atoms(table, items)
    if isinstance(table, EconomicTable):
        return _economic_atoms(table, data)
    if isinstance(table, StatementTable):
        return _statement_atoms(table, data, items)
    return {
        (row.key, leaf.key): _form_atoms(_row_expr(row, leaf), row, leaf, table)
        for row in table.rows
        if isinstance(row, FormRow)
        for top in table.columns
        for leaf in top.leaves()
        if leaf.kind in ("amount", "count") and _row_expr(row, leaf) is not None
    }


def _tree_atoms(table: TreeTable, items: list[str]) -> dict[tuple[str, str], set[Atom]]:
    leaves = {c.key: c for top in table.columns for c in top.leaves()}
    columns = [c for c in leaves.values() if c.kind == "amount"]
    cells: dict[tuple[str, str], set[Atom]] = {}
    below: dict[str, list[str]] = defaultdict(list)  # 类 and 款 -> their 项, in one pass
    for item in items:
        for n in (3, 5, 7):
            below[item[:n]].append(item)
    keys = {col.key: column_keys(col, leaves) for col in columns}
    for row in ["total", *_tree_rows(items)]:
        under = items if row == "total" else below[row]
        for col in columns:
            cells[(row, col.key)] = {place_atom(k, code) for k in keys[col.key] for code in under}
    return cells


def _economic_atoms(table: EconomicTable, data: ReportData) -> dict[tuple[str, str], set[Atom]]:
    columns = {c.key: c for top in table.columns for c in top.leaves()}
    cells: dict[tuple[str, str], set[Atom]] = {}
    for group in table.groups:
        group_sections: list = []
        for cat in data.economic_codes:
            if cat.group != group.name or cat.level != "类":
                continue
            if table.basic_only and not cat.basic_applicable:
                continue
            sections = [
                c
                for c in data.economic_codes
                if c.level == "款"
                and c.code.startswith(cat.code)
                and (c.basic_applicable or not table.basic_only)
            ]
            group_sections += sections
            for row, codes in [(cat.code, sections), *((s.code, [s]) for s in sections)]:
                for col in columns.values():
                    keys = column_keys(col, columns)
                    atoms = {place_atom(k, c.code) for k in keys for c in codes if _applies(k, c)}
                    if any(_applies(k, c) for k in keys for c in codes):
                        cells[(row, col.key)] = atoms
        for col in columns.values():
            keys = column_keys(col, columns)
            cells[(group.total_key, col.key)] = {
                place_atom(k, c.code) for k in keys for c in group_sections if _applies(k, c)
            }
    return cells


def _statement_atoms(
    table: StatementTable, data: ReportData, items: list[str]
) -> dict[tuple[str, str], set[Atom]]:
    lines = {line.key: line for line in (*table.left, *table.left_tail, *table.right_tail)}
    prefix: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for line in lines.values():
        if line.group:
            groups.setdefault(line.group, []).append(line.key)
    for cat in (c for c in data.functional_codes if c.level == "类"):
        key = f"{table.right.key_prefix}.{cat.code}"
        lines[key] = type(table.left[0])(key, cat.name, dict(table.right.values), table.right.group)
        prefix[key] = cat.code
        groups.setdefault(table.right.group, []).append(key)
    lines.pop("", None)

    def atoms(key: str, col: str, seen=()) -> set[Atom]:
        expr = lines[key].values.get(col)
        if expr is None or (key, col) in seen:
            return set()
        seen = (*seen, (key, col))
        if isinstance(expr, Facts):
            codes = [c for c in items if c.startswith(prefix.get(key, ""))]
            return {("fact", *k[:1], c, *k[1:]) for k in expr.reads() for c in codes}
        if isinstance(expr, Figure):
            return {("figure", expr.name)}
        if isinstance(expr, Lines):
            return {a for k in expr.keys for a in atoms(k, col, seen)}
        if isinstance(expr, Group):
            return {a for k in groups.get(expr.name, []) for a in atoms(k, col, seen)}
        if isinstance(expr, Cols):
            return {a for k in expr.keys for a in atoms(key, k, seen)}
        return set()

    return {(key, col): atoms(key, col) for key, line in lines.items() for col in line.values}
