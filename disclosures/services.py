"""Writes: code lists and the demo report."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model, Value
from django.db.models.functions import Coalesce

from performance.models import Evaluation
from performance.services import evaluation_load

from .entry import Atom, EntryForm, atom_caption, atom_values
from .forms import parse_amount
from .importer import may_be_negative, workbook_read
from .models import (
    ChangeRecord,
    ClassificationCode,
    Department,
    Duty,
    EconomicFact,
    Fact,
    GlossaryEntry,
    ImportBatch,
    OrgUnit,
    PrintedCell,
    PrintedName,
    Region,
    Report,
    ReportFigures,
    ReportProfile,
    ReportRow,
    ReportSection,
)
from .records import (
    Change,
    conflict,
    conflict_message,
    record,
    record_changes,
    report_lock,
    show,
)
from .selectors import (
    code_list_carried,
    code_list_copy_refusal,
    code_list_source_year,
    report_data_get,
    report_homes,
    report_template,
)
from .vocab import CodeKind

DEMO_DIR = Path(__file__).resolve().parent / "demo"
PROFILE_STAFFING = (
    "admin_quota",
    "service_quota",
    "institution_quota",
    "actual_total",
    "actual_admin",
    "actual_institution",
    "independent_accounting_units",
)


def _sync(model: type[Model], keep: Iterable[Model], **scope: Any) -> None:
    """Deletes the rows of `model` within `scope` that are not in `keep`."""
    model.objects.filter(**scope).exclude(pk__in=[obj.pk for obj in keep]).delete()


def _upsert(model: type[Model], keys: Mapping[str, Any], values: Mapping[str, Any]) -> Model:
    """update_or_create that writes only when something differs and validates what it writes."""
    obj = model.objects.filter(**keys).first()
    if obj is None:
        obj = model(**keys, **values)
    elif all(getattr(obj, k) == v for k, v in values.items()):
        return obj
    else:
        for k, v in values.items():
            setattr(obj, k, v)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def code_list_import(
    *, year: int, functional: Iterable[Mapping], economic: Iterable[Mapping]
) -> int:
    """Loads a year's classification lists (entries: code, name, level[, group, basic_applicable,
    fund]).

    Existing codes of that year are updated in place; returns how many entries were given.
    Raises `ValidationError` on a code whose length does not match its level.
    """
    count = 0
    for kind, entries in ((CodeKind.FUNCTIONAL, functional), (CodeKind.ECONOMIC, economic)):
        for order, entry in enumerate(entries, start=1):
            _upsert(
                ClassificationCode,
                {"year": year, "kind": kind, "code": entry["code"]},
                {
                    "name": entry["name"],
                    "level": entry["level"],
                    "group": entry.get("group", ""),
                    "basic_applicable": entry.get("basic_applicable", True),
                    "fund": entry.get("fund", False),
                    "order": order,
                    # The year's own list: neither carried from another year nor synthetic.
                    "carried_from": None,
                    "synthetic": False,
                },
            )
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# A year without a code list carries another year's forward


def _code_list_record(*, year: int, user, action: str, summary: str, changes=()) -> None:
    """A write to a year's code list, in the record (no report: the system admin reads it)."""
    ChangeRecord.objects.create(
        report=None,
        report_label=f"{year}年度科目表",
        user=user if getattr(user, "pk", None) else None,
        username=(getattr(user, "username", "") or "系统")[:150],
        action=action,
        summary=summary[:255],
        changes=[list(change) for change in changes],
    )


def code_list_copy(
    *, source: int, year: int, kind: str | None = None, synthetic: bool = False
) -> int:
    """Copies `source`'s list (of `kind`, or both kinds) into `year`, each code marked carried
    from `source` (and synthetic when asked). A code `year` has already is kept as it is.
    Returns how many codes `source` gave."""
    fields = [
        f.attname
        for f in ClassificationCode._meta.concrete_fields
        if f.attname not in ("id", "year", "carried_from", "synthetic", "updated_at")
    ]
    codes = ClassificationCode.objects.filter(year=source)
    if kind is not None:
        codes = codes.filter(kind=kind)
    rows = [
        ClassificationCode(
            year=year,
            carried_from=source,
            synthetic=synthetic,
            **{name: getattr(code, name) for name in fields},
        )
        for code in codes
    ]
    # Two reports created at once for a new year carry the same list: the second adds nothing.
    ClassificationCode.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def code_list_carry_forward(*, year: int, user=None) -> int:
    """Gives `year` each kind of code list (功能分类, 经济分类) it lacks: the nearest earlier year's
    (else the nearest later's), each code marked carried from that year, for a system admin to
    confirm (`code_list_confirm`) or replace by importing the year's own list. A list copied for
    synthetic data is kept the same way once a real report needs it. Called whenever a report is
    created; returns how many codes were carried (0 when the year has its lists, or no year has
    one)."""
    carried: list[tuple[str, int, int]] = []  # (kind, source, codes)
    for kind in CodeKind.values:
        if ClassificationCode.objects.filter(year=year, kind=kind, synthetic=False).exists():
            continue
        source = code_list_source_year(year=year, kind=kind)
        if source is None:
            continue
        synthetic = ClassificationCode.objects.filter(year=year, kind=kind, synthetic=True)
        if synthetic.exists():
            count = synthetic.update(
                synthetic=False, carried_from=Coalesce("carried_from", Value(source))
            )
        else:
            count = code_list_copy(source=source, year=year, kind=kind)
        carried.append((kind, source, count))
    if carried:
        _code_list_record(
            year=year,
            user=user,
            action=ChangeRecord.Action.CREATE,
            summary=f"{year}年度尚无科目表，沿用"
            + "、".join(f"{source}年度{CodeKind(kind).label}" for kind, source, _ in carried),
            changes=[
                [f"{CodeKind(kind).label}科目表", None, f"沿用{source}年度（{count} 条）"]
                for kind, source, count in carried
            ],
        )
    return sum(count for *_, count in carried)


@transaction.atomic
def code_list_create_from(*, source: int, year: int, user=None) -> int:
    """以某年为基础: `year`'s list made from `source`'s, both kinds, each code marked carried from
    `source` until confirmed or imported. A carried, unconfirmed list of `year` is replaced.
    Returns how many codes were copied. Raises ValidationError (code `refused`) when `source`
    has no list, is `year`, or `year` has a list of its own."""
    refusal = code_list_copy_refusal(source=source, year=year)
    if refusal:
        raise ValidationError(refusal, code="refused")
    replaced = ClassificationCode.objects.filter(year=year).delete()[0]
    count = code_list_copy(source=source, year=year)
    _code_list_record(
        year=year,
        user=user,
        action=ChangeRecord.Action.CREATE,
        summary=f"以{source}年度科目表为基础新建{year}年度科目表（{count} 条）"
        + (f"，替换原沿用的 {replaced} 条" if replaced else ""),
    )
    return count


@transaction.atomic
def code_list_confirm(*, year: int, user=None) -> int:
    """确认沿用: `year`'s carried list becomes the year's own (the mark is cleared), recorded.
    Returns how many codes were confirmed. Raises ValidationError (code `not_carried`) when no
    code of the year is carried."""
    carried = code_list_carried(year=year)
    if not carried:
        raise ValidationError(
            "%(year)s年度的科目表不是沿用的，无需确认。",
            code="not_carried",
            params={"year": year},
        )
    count = ClassificationCode.objects.filter(year=year, carried_from__isnull=False).update(
        carried_from=None
    )
    _code_list_record(
        year=year,
        user=user,
        action=ChangeRecord.Action.ADMIN,
        summary=f"确认沿用{year}年度科目表（{count} 条）",
        changes=[
            [f"{CodeKind(kind).label}科目表", f"沿用{source}年度", "已确认"]
            for kind, source in sorted(carried.items())
        ],
    )
    return count


@transaction.atomic
def report_create(
    *,
    department: Department,
    year: int,
    unit: str = Report.Unit.YUAN,
    template: str = "",
    user=None,
    summary: str = "新建报告",
) -> Report:
    """A new draft report. Without a template, the set its region and year call for is used.

    Raises `ValidationError` for a year already reported, an unknown unit or template.
    """
    report = Report(department=department, year=year, unit=unit, template=template)
    report.template = report.template or report_template(report).key
    report.full_clean()
    report.save()
    code_list_carry_forward(year=year, user=user)
    ReportFigures.objects.create(report=report)
    ReportProfile.objects.create(report=report)
    glossary_start(report=report)
    record(report=report, user=user, action="create", summary=summary)
    return report


@transaction.atomic
def printed_cells_replace(
    *, report: Report, cells: Iterable[tuple[str, str, str, Decimal | None]]
) -> int:
    """Keeps a published document's cells as it printed them: (table, row, column, value) in the
    report's unit, None for a cell printed blank. Replaces what the report kept before; returns
    how many cells it keeps. Raises `ValidationError` on a malformed cell (nothing is saved)."""
    rows = [PrintedCell(report=report, table=t, row=r, column=c, value=v) for t, r, c, v in cells]
    for row in rows:
        row.full_clean(exclude=["report"], validate_unique=False)
    PrintedCell.objects.filter(report=report).delete()
    PrintedCell.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def printed_names_replace(*, report: Report, names: Mapping[tuple[str, str], str]) -> int:
    """Keeps the names a report prints for codes ((kind, code) -> name) where they are its own.
    Replaces what the report kept before; returns how many names it keeps."""
    rows = [
        PrintedName(report=report, kind=kind, code=code, name=name)
        for (kind, code), name in names.items()
    ]
    for row in rows:
        row.full_clean(exclude=["report"], validate_unique=False)
    PrintedName.objects.filter(report=report).delete()
    PrintedName.objects.bulk_create(rows)
    return len(rows)


def _region_path(names: list[str]) -> Region:
    parent = None
    for name, level in zip(names, Region.Level.values, strict=False):
        parent = _upsert(Region, {"parent": parent, "name": name}, {"level": level})
    return parent


@transaction.atomic
def demo_load(*, path: Path = DEMO_DIR / "zezhou-2022.json", publish: bool = True) -> Report:
    """Loads the seed report (泽州县总工会 2022): profile, facts, texts, self-evaluations.

    The seed is a report that was published: the demo publishes it (unless `publish` is False),
    so the public site shows it as the public saw it. Idempotent: a second run finds every row as
    it should be and writes nothing (a published demo that differs is refused, as any published
    revision is).
    """
    demo = json.loads(path.read_text(encoding="utf-8"))
    codes = json.loads((DEMO_DIR / f"codes-{demo['year']}.json").read_text(encoding="utf-8"))
    code_list_import(year=codes["year"], functional=codes["functional"], economic=codes["economic"])

    region = _region_path(demo["region"])
    supervisor = _upsert(
        Department,
        {"code": demo["supervisor"]["code"]},
        {
            "name": demo["supervisor"]["name"],
            "nature": demo["supervisor"]["nature"],
            "region": region,
        },
    )
    identity = {k: demo["department"][k] for k in ("name", "nature")}
    department = _upsert(
        Department,
        {"code": demo["department"]["code"]},
        {**identity, "region": region, "supervisor": supervisor},
    )
    report = _upsert(
        Report,
        {"department": department, "year": demo["year"], "revision": 1},
        {"unit": demo["unit"], "template": "standard-10"},
    )
    staffing = {k: v for k, v in demo["department"].items() if k in PROFILE_STAFFING}
    _upsert(
        ReportProfile, {"report": report}, {**staffing, "organisation": demo["organisation_text"]}
    )
    duties = [
        _upsert(Duty, {"report": report, "number": n}, {"text": text})
        for n, text in enumerate(demo["duties"], start=1)
    ]
    _sync(Duty, duties, report=report)
    units = [
        _upsert(OrgUnit, {"report": report, "kind": kind, "name": name}, {"order": n})
        for kind, names in (
            (OrgUnit.Kind.INTERNAL, demo["internal_units"]),
            (OrgUnit.Kind.SUBORDINATE, demo["subordinate_units"]),
        )
        for n, name in enumerate(names, start=1)
    ]
    _sync(OrgUnit, units, report=report)

    facts = [
        _upsert(
            Fact,
            {"report": report, "measure": m, "code": c, "source": s, "nature": n},
            {"amount": Decimal(a)},
        )
        for m, c, s, n, a in demo["facts"]
    ]
    _sync(Fact, facts, report=report)
    econ = [
        _upsert(EconomicFact, {"report": report, "code": c, "nature": n}, {"amount": Decimal(a)})
        for c, n, a in demo["economic_facts"]
    ]
    _sync(EconomicFact, econ, report=report)
    figures = {k: (v if isinstance(v, int) else Decimal(v)) for k, v in demo["figures"].items()}
    _upsert(ReportFigures, {"report": report}, figures)
    # The seed's 名词解释 is Shanxi's standard text for the year: every new 2022 report starts
    # from it.
    entries = [
        _upsert(
            GlossaryEntry,
            {"year": demo["year"], "order": n},
            {"heading": s["heading"], "body": s["body"]},
        )
        for n, s in enumerate(demo["glossary"], start=1)
    ]
    _sync(GlossaryEntry, entries, year=demo["year"])
    sections = [
        _upsert(
            ReportSection,
            {"report": report, "part": part, "order": n},
            {"heading": s["heading"], "body": s["body"]},
        )
        for part in (ReportSection.Part.EXPLANATION, ReportSection.Part.GLOSSARY)
        for n, s in enumerate(demo[part], start=1)
    ]
    _sync(ReportSection, sections, report=report)

    evaluations = [
        evaluation_load(report=report, order=n, entry=ev)
        for n, ev in enumerate(demo["evaluations"], start=1)
    ]
    _sync(Evaluation, evaluations, report=report)
    if publish:
        from .workflow import report_publish_loaded

        report = report_publish_loaded(report=report)
    return report


# ---------------------------------------------------------------------------------------------
# Entry forms


@dataclass
class EntrySaved:
    """What a save did: the cells it refused (name -> Chinese message), the writes of others it
    was refused for (a form rendered on an older version), or how many cells it changed."""

    errors: dict[str, str]
    changed: int = 0
    conflicts: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def atom_changes(report: Report, changed: list[tuple[Atom, Any, Any]]) -> list[Change]:
    """The written atoms as the record keeps them: [caption, old, new]."""
    if not changed:
        return []
    homes = report_homes(report=report)
    data = report_data_get(report=report)
    return [[atom_caption(atom, homes, data), old, new] for atom, old, new in changed]


def _entry_values(
    form: EntryForm, posted: Mapping[str, str]
) -> tuple[dict[Atom, Decimal | None], dict[str, str]]:
    values: dict[Atom, Decimal | None] = {}
    errors: dict[str, str] = {}
    for cell in form.inputs:
        try:
            values[cell.atom] = parse_amount(
                posted.get(cell.name, ""), negative_ok=cell.negative_ok, whole=cell.count
            )
        except ValidationError as error:
            errors[cell.name] = error.messages[0]
    return values, errors


def atoms_write(
    *, report: Report, values: Mapping[Atom, Decimal | int | None]
) -> list[tuple[Atom, Any, Any]]:
    """Writes atoms into a report's facts, economic facts and scalar items; returns what changed,
    (atom, old, new) in the order given. A blank or zero fact is removed; a blank scalar item is
    "not disclosed"."""
    facts = {(f.measure, f.code, f.source, f.nature): f for f in report.facts.all()}
    econ = {(f.code, f.nature): f for f in report.economic_facts.all()}
    figures, _ = ReportFigures.objects.get_or_create(report=report)
    figure_fields = {f.name: f for f in ReportFigures._meta.concrete_fields}
    changed: list[tuple[Atom, Any, Any]] = []
    for atom, amount in values.items():
        kind, *key = atom
        if kind == "figure":
            field = figure_fields[key[0]]
            if amount is None and not field.null:
                amount = field.get_default()
            if isinstance(field, models.PositiveIntegerField) and amount is not None:
                amount = int(amount)
            if getattr(figures, key[0]) != amount:
                changed.append((atom, getattr(figures, key[0]), amount))
                setattr(figures, key[0], amount)
            continue
        rows, model, fields = (
            (facts, Fact, ("measure", "code", "source", "nature"))
            if kind == "fact"
            else (econ, EconomicFact, ("code", "nature"))
        )
        existing = rows.get(tuple(key))
        if not amount:
            if existing is not None:
                changed.append((atom, existing.amount, amount))
                existing.delete()
        elif existing is None:
            values_ = dict(zip(fields, key, strict=True))
            fact = model(report=report, amount=amount, **values_)
            fact.full_clean()
            fact.save()
            changed.append((atom, None, amount))
        elif existing.amount != amount:
            changed.append((atom, existing.amount, amount))
            existing.amount = amount
            existing.full_clean()
            existing.save(update_fields=["amount"])
    figures.full_clean()
    figures.save()
    codes = {a[2] for a in values if a[0] == "fact"}
    ReportRow.objects.bulk_create(
        [ReportRow(report=report, code=c) for c in codes if len(c) == 7], ignore_conflicts=True
    )
    return changed


@transaction.atomic
def entry_save(
    *,
    report: Report,
    form: EntryForm,
    posted: Mapping[str, str],
    user=None,
    version: int | str | None = None,
) -> EntrySaved:
    """Saves one entry form: every input cell of `form` from `posted` (input name -> text).

    All or nothing: if any cell is not a valid amount (letters, three decimals, a negative where
    none is allowed), nothing is saved and the errors come back by cell. A blank or zero fact is
    removed (its 项 row stays); a blank scalar item is "not disclosed", zero is zero.

    `version` is the report's version the form was rendered on: if someone else saved since,
    nothing is saved and their writes come back (`conflicts`), so no one's update is lost.
    """
    values, errors = _entry_values(form, posted)
    if errors:
        return EntrySaved(errors)
    report_lock(report)
    others = conflict(report, version)
    if others:
        return EntrySaved({}, conflicts=others)
    changed = atoms_write(report=report, values=values)
    record_changes(
        report=report,
        user=user,
        action="entry",
        summary=f"填报 {form.caption}",
        changes=atom_changes(report, changed),
    )
    return EntrySaved({}, len(changed))


def report_row_add(*, report: Report, text: str, user=None) -> str:
    """Adds a 项 row to a report's forms from its code or name in the year's list; returns the
    code. Raises ValidationError (code unknown_code or ambiguous_name) for anything else."""
    text = (text or "").strip()
    items = ClassificationCode.objects.filter(
        year=report.year, kind=CodeKind.FUNCTIONAL, level="项"
    )
    code = text.split()[0] if text else ""
    if code.isascii() and code.isdigit():
        if not items.filter(code=code).exists():
            raise ValidationError(
                "“%(code)s”不是%(year)s年科目表中的“项”级功能分类科目（7位数字）。",
                code="unknown_code",
                params={"code": code, "year": report.year},
            )
    else:
        matches = list(items.filter(name=text).values_list("code", flat=True))
        if len(matches) != 1:
            raise ValidationError(
                "%(why)s：请输入科目编码，或从列表中选择。",
                code="unknown_code" if not matches else "ambiguous_name",
                params={
                    "why": f"没有名为“{text}”的项级科目"
                    if not matches
                    else f"“{text}”对应多个科目（{'、'.join(matches)}）"
                },
            )
        code = matches[0]
    _, created = ReportRow.objects.get_or_create(report=report, code=code)
    if created:
        record(
            report=report,
            user=user,
            action="entry",
            summary=f"添加科目行 {code}",
            changes=[["填报科目行", None, code]],
            refresh_checks=False,
        )
    return code


# ---------------------------------------------------------------------------------------------
# Texts, profile and a new year


def glossary_start(*, report: Report) -> int:
    """Gives a report the year's standard 名词解释 when it has none yet; returns how many
    entries it copied (0 when the report has its own already or the year has no standard)."""
    if report.sections.filter(part=ReportSection.Part.GLOSSARY).exists():
        return 0
    entries = GlossaryEntry.objects.filter(year=report.year).order_by("order")
    ReportSection.objects.bulk_create(
        ReportSection(
            report=report,
            part=ReportSection.Part.GLOSSARY,
            order=n,
            heading=entry.heading,
            body=entry.body,
        )
        for n, entry in enumerate(entries, start=1)
    )
    return len(entries)


@transaction.atomic
def report_next_year(*, report: Report, user=None) -> Report:
    """Next year's draft, started from this report: its template and unit, its profile (duties,
    units, staffing), its texts' headings (empty), its 项 rows — and no amount at all. Each entry
    cell then shows this year's figure beside it.

    Raises ValidationError if the department already has a report for the next year.
    """
    if Report.objects.filter(department=report.department, year=report.year + 1).exists():
        raise ValidationError(
            "%(year)s年度的报告已经存在。", code="year_exists", params={"year": report.year + 1}
        )
    new = report_create(
        department=report.department,
        year=report.year + 1,
        unit=report.unit,
        template=report.template,
        user=user,
        summary=f"以{report.year}年度为基础新建",
    )
    profile = getattr(report, "profile", None)
    if profile is not None:
        ReportProfile.objects.filter(report=new).update(
            organisation=profile.organisation,
            **{name: getattr(profile, name) for name in PROFILE_STAFFING},
        )
    Duty.objects.bulk_create(
        Duty(report=new, number=d.number, text=d.text) for d in report.duties.all()
    )
    OrgUnit.objects.bulk_create(
        OrgUnit(report=new, kind=u.kind, name=u.name, order=u.order) for u in report.org_units.all()
    )
    ReportSection.objects.bulk_create(
        ReportSection(report=new, part=s.part, order=s.order, heading=s.heading, body="")
        for s in report.sections.filter(part=ReportSection.Part.EXPLANATION)
    )
    if not glossary_start(report=new):
        ReportSection.objects.bulk_create(
            ReportSection(report=new, part=s.part, order=s.order, heading=s.heading, body=s.body)
            for s in report.sections.filter(part=ReportSection.Part.GLOSSARY)
        )
    codes = {f.code for f in report.facts.all()} | set(report.rows.values_list("code", flat=True))
    ReportRow.objects.bulk_create(
        ReportRow(report=new, code=c) for c in sorted(codes) if len(c) == 7
    )
    return new


# ---------------------------------------------------------------------------------------------
# Excel import: a preview first, then all of it or nothing


def report_state(report: Report) -> str:
    """A hash of a report's figures: an import previewed on one state is not applied to another."""
    data = report_data_get(report=report)
    content = sorted((repr(a), repr(v)) for a, v in atom_values(data).items())
    return hashlib.sha256(repr(content).encode()).hexdigest()


def _same(old, new) -> bool:
    """Two scalar items: blank (not disclosed) is not zero."""
    if (old is None) != (new is None):
        return False
    return (old or 0) == (new or 0)


@transaction.atomic
def import_preview(
    *, report: Report, content: bytes, filename: str, user, as_printed: bool = False
) -> ImportBatch:
    """Reads a workbook for `report` and keeps what it would change, for staff to confirm.

    Nothing in the report changes here. Raises WorkbookRefused (with a Chinese message) for a file
    that cannot be read as a workbook at all; every other problem is kept in the batch, with its
    place. The workbook is the new content of every table it has a sheet for.
    """
    # Codes are read against the year's list: a year still without one carries one forward.
    code_list_carry_forward(year=report.year, user=user)
    data = report_data_get(report=report)
    template = report_template(report)
    read = workbook_read(content, template=template, data=data)
    # A blank cell of an item that cannot be blank (a count, a procurement amount) is its zero.
    fields = {f.name: f for f in ReportFigures._meta.concrete_fields}
    for atom, value in read.atoms.items():
        if atom[0] == "figure" and value is None and not fields[atom[1]].null:
            read.atoms[atom] = fields[atom[1]].get_default()
    current = atom_values(data)
    read_kinds = {a[0] for a in read.atoms}
    replaced = {a for a in current if a[0] in read_kinds - {"figure"}}
    homes = report_homes(report=report)
    changes = []
    for atom in sorted((set(read.atoms) | replaced) - read.undetermined, key=repr):
        old, new = current.get(atom), read.atoms.get(atom)
        if atom[0] == "figure" and atom not in read.atoms:
            continue
        changed = not _same(old, new) if atom[0] == "figure" else (old or 0) != (new or 0)
        if changed:
            # What it is and where the workbook gives it, so no two rows read alike.
            what = read.captions.get(atom) or atom_caption(atom, homes, data)
            where = read.sources.get(atom, "工作簿中没有这一项")
            changes.append([list(atom), f"{what}（{where}）", _json(old), _json(new)])
    return ImportBatch.objects.create(
        report=report,
        user=user if getattr(user, "pk", None) else None,
        filename=filename[:255],
        unit=read.unit,
        as_printed=as_printed,
        base=report_state(report),
        changes=changes,
        problems=[[p.place, p.message, p.code, p.severity] for p in read.problems],
        comparisons=[
            [c.place, c.label, str(c.printed), str(c.derived), c.unit] for c in read.comparisons
        ],
        names=[[kind, code, name] for (kind, code), name in sorted(read.names.items())],
        printed=[[t, r, c, _json(v)] for (t, r, c), v in sorted(read.printed.items())]
        if as_printed
        else [],
    )


def _json(value) -> str | int | None:
    return value if value is None or isinstance(value, int) else str(value)


def _value(value) -> Decimal | int | None:
    return value if value is None or isinstance(value, int) else Decimal(value)


@transaction.atomic
def import_apply(*, batch: ImportBatch, user=None) -> int:
    """Applies a previewed import: every change, or nothing. Returns how many figures changed.

    Raises ValidationError, naming the cells, when the batch is no longer pending, has errors,
    would write an amount below zero, or the report changed since the preview (another save or
    import: what changed is told): the preview would no longer be what is applied.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    report = Report.objects.select_for_update().get(pk=batch.report_id)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(
            "这次导入已经%(state)s。",
            code="not_pending",
            params={"state": batch.get_status_display()},
        )
    errors = [
        f"{place or '工作簿'}：{message.rstrip('。')}"
        for place, message, _code, severity in batch.problems
        if severity == "error"
    ]
    if errors:
        raise ValidationError(
            f"工作簿有错误，不能导入：{_listed(errors, 3)}。请改正后重新上传。", code="has_errors"
        )
    negative = [
        label
        for atom, label, _old, new in batch.changes
        if new is not None and _value(new) < 0 and not may_be_negative(tuple(atom))
    ]
    if negative:
        raise ValidationError(
            f"金额不能为负数，没有导入任何数据：{_listed(negative, 5)}。", code="negative"
        )
    if report_state(report) != batch.base:
        since = _since_preview(report, batch)
        raise ValidationError(
            f"预览之后报告已被修改，预览已过时（{since}）：请重新上传工作簿。",
            code="stale_preview",
        )
    labels = {tuple(atom): label for atom, label, _old, _new in batch.changes}
    changed = atoms_write(
        report=report,
        values={tuple(atom): _value(new) for atom, _label, _old, new in batch.changes},
    )
    changes = [[labels[atom], old, new] for atom, old, new in changed]
    printed_names_replace(
        report=report, names={(kind, code): name for kind, code, name in batch.names}
    )
    if batch.as_printed:
        # A published document's cells are kept as it printed them, so the report prints in its
        # unit from now on.
        Report.objects.filter(pk=report.pk).update(unit=batch.unit)
        printed_cells_replace(
            report=report,
            cells=[(t, r, c, None if v is None else Decimal(v)) for t, r, c, v in batch.printed],
        )
    batch.status = ImportBatch.Status.APPLIED
    batch.save(update_fields=["status"])
    printed = f"，保留原表印制数 {len(batch.printed)} 格" if batch.as_printed else ""
    # The record is the preview: each change under the label (and place) it was previewed with.
    record(
        report=report,
        user=user,
        action="import",
        summary=f"导入 {batch.filename}{printed}",
        changes=changes,
    )
    return len(changed)


def _listed(items: list[str], most: int) -> str:
    """A few items of a list, and how many in all: "a；b；c 等 12 处"."""
    shown = "；".join(items[:most])
    return f"{shown} 等 {len(items)} 处" if len(items) > most else shown


def _since_preview(report: Report, batch: ImportBatch) -> str:
    """What changed in a report since an import was previewed: the writes recorded since, or
    else the figures the import would change that no longer hold what the preview read."""
    since = ChangeRecord.objects.filter(report=report, at__gt=batch.created_at)
    if since.exists():
        return conflict_message(since.order_by("at", "pk"))
    current = atom_values(report_data_get(report=report))
    moved = []
    for atom, label, old, _new in batch.changes:
        now = current.get(tuple(atom))
        same = _same(_value(old), now) if atom[0] == "figure" else (_value(old) or 0) == (now or 0)
        if not same:
            moved.append(
                f"{label}：预览时为 {old if old is not None else '空'}，现为 {show(now) or '空'}"
            )
    return _listed(moved, 5) if moved else "报告中的数据已被修改"


# ---------------------------------------------------------------------------------------------
# A year's code list from a spreadsheet


@dataclass
class CodeListPreview:
    year: int
    kind: str
    entries: list[dict]
    added: list[dict]  # not in the year's list yet
    renamed: list[tuple[str, str, str]]  # (code, name in the year's list, new name)
    changed_from_last_year: list[tuple[str, str, str]]  # (code, last year's name, this year's)
    problems: list
    # While the year's list of this kind is carried from another year: that year, and the carried
    # codes the file does not have (the import replaces the carried list, so they go).
    carried_from: int | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (code, name)


def code_list_preview(
    *, year: int, kind: str, entries: list[dict], problems: list
) -> CodeListPreview:
    """What importing `entries` as `year`'s `kind` list would change, and the names that differ
    from the year before. A list carried from another year is replaced: its codes the file does
    not have are dropped."""
    listed = ClassificationCode.objects.filter(year=year, kind=kind)
    current = {c.code: c.name for c in listed}
    last = {c.code: c.name for c in ClassificationCode.objects.filter(year=year - 1, kind=kind)}
    given = {e["code"] for e in entries}
    carried = listed.filter(carried_from__isnull=False)
    preview = CodeListPreview(
        year,
        kind,
        entries,
        [e for e in entries if e["code"] not in current],
        [
            (e["code"], current[e["code"]], e["name"])
            for e in entries
            if current.get(e["code"], e["name"]) != e["name"]
        ],
        [
            (e["code"], last[e["code"]], e["name"])
            for e in entries
            if last.get(e["code"], e["name"]) != e["name"]
        ],
        problems,
    )
    preview.carried_from = code_list_carried(year=year).get(kind)
    preview.dropped = [(c.code, c.name) for c in carried.order_by("code") if c.code not in given]
    return preview


ECONOMIC_PERSONNEL = ("301", "303")  # 工资福利支出, 对个人和家庭的补助: the rest is 公用经费


@transaction.atomic
def code_list_replace(*, year: int, kind: str, entries: list[dict], user=None) -> int:
    """Makes `entries` the year's list of `kind`: codes are added or renamed in place (a code of
    the year's own list is never deleted: a report may refer to it). An economic code keeps its
    group and whether basic spending may use it from the year's or last year's list; a new one is
    grouped by its 类.

    A list carried from another year was never the year's: it is replaced. Every code is the
    year's own afterwards (the mark is cleared) and the carried codes `entries` lacks are deleted
    (`code_list_preview` lists them). Recorded."""
    carried = ClassificationCode.objects.filter(year=year, kind=kind, carried_from__isnull=False)
    carried_from = carried.values_list("carried_from", flat=True).first()
    dropped = carried.exclude(code__in=[e["code"] for e in entries]).delete()[0]
    if kind == CodeKind.ECONOMIC:
        known = {
            c.code: c
            for c in ClassificationCode.objects.filter(
                year__in=(year - 1, year), kind=kind
            ).order_by("year")
        }
        for entry in entries:
            before = known.get(entry["code"])
            entry["group"] = (
                before.group
                if before
                else ("人员经费" if entry["code"][:3] in ECONOMIC_PERSONNEL else "公用经费")
            )
            entry["basic_applicable"] = before.basic_applicable if before else True
    else:
        funds = dict(
            ClassificationCode.objects.filter(year__in=(year - 1, year), kind=kind)
            .order_by("year")
            .values_list("code", "fund")
        )
        for entry in entries:
            entry.setdefault("fund", funds.get(entry["code"], funds.get(entry["code"][:5], False)))
    functional = entries if kind == CodeKind.FUNCTIONAL else []
    economic = entries if kind == CodeKind.ECONOMIC else []
    count = code_list_import(year=year, functional=functional, economic=economic)
    replaced = (
        f"，替换沿用{carried_from}年度的科目表（删除文件中没有的 {dropped} 条）"
        if carried_from
        else ""
    )
    _code_list_record(
        year=year,
        user=user,
        action=ChangeRecord.Action.IMPORT,
        summary=f"导入{year}年度{CodeKind(kind).label}科目表（{count} 条）{replaced}",
    )
    return count
