"""Writes: code lists and the demo report."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model

from performance.models import Evaluation, Indicator

from .entry import Atom, EntryForm
from .forms import parse_amount
from .models import (
    ClassificationCode,
    Department,
    Duty,
    EconomicFact,
    Fact,
    GlossaryEntry,
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
from .selectors import report_template
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
    """Loads a year's classification lists (entries: code, name, level[, group, basic_applicable]).

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
                    "order": order,
                },
            )
            count += 1
    return count


@transaction.atomic
def report_create(
    *, department: Department, year: int, unit: str = Report.Unit.YUAN, template: str = ""
) -> Report:
    """A new draft report. Without a template, the set its region and year call for is used.

    Raises `ValidationError` for a year already reported, an unknown unit or template.
    """
    report = Report(department=department, year=year, unit=unit, template=template)
    report.template = report.template or report_template(report).key
    report.full_clean()
    report.save()
    ReportFigures.objects.create(report=report)
    ReportProfile.objects.create(report=report)
    glossary_start(report=report)
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
def demo_load(*, path: Path = DEMO_DIR / "zezhou-2022.json") -> Report:
    """Loads the seed report (泽州县总工会 2022): profile, facts, texts, self-evaluations.

    Idempotent: a second run finds every row as it should be and writes nothing.
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
        {"department": department, "year": demo["year"]},
        # The seed is a report that was published: the demo shows it as the public sees it.
        {"unit": demo["unit"], "template": "standard-10", "status": Report.Status.PUBLISHED},
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

    evaluations = []
    for n, ev in enumerate(demo["evaluations"], start=1):
        evaluation = _upsert(
            Evaluation,
            {"report": report, "kind": ev["kind"], "name": ev["name"]},
            {
                "order": n,
                "budget": Decimal(ev["budget"]),
                "executed": Decimal(ev["executed"]),
                "score": Decimal(ev["score"]),
                "grade": ev["grade"],
                "budget_execution_score": (
                    None
                    if ev["budget_execution_score"] is None
                    else Decimal(ev["budget_execution_score"])
                ),
                "content": ev["content"],
            },
        )
        indicators = [
            _upsert(
                Indicator,
                {"evaluation": evaluation, "order": i},
                {
                    **{k: row[k] for k in ("level1", "level2", "name", "target", "actual")},
                    "weight": Decimal(row["weight"]),
                    "score": Decimal(row["score"]),
                    "deviation_note": row["deviation_note"],
                },
            )
            for i, row in enumerate(ev["indicators"], start=1)
        ]
        _sync(Indicator, indicators, evaluation=evaluation)
        evaluations.append(evaluation)
    _sync(Evaluation, evaluations, report=report)
    return report


# ---------------------------------------------------------------------------------------------
# Entry forms


@dataclass
class EntrySaved:
    """What a save did: the cells it refused (name -> Chinese message) or how many it changed."""

    errors: dict[str, str]
    changed: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


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


@transaction.atomic
def entry_save(*, report: Report, form: EntryForm, posted: Mapping[str, str]) -> EntrySaved:
    """Saves one entry form: every input cell of `form` from `posted` (input name -> text).

    All or nothing: if any cell is not a valid amount (letters, three decimals, a negative where
    none is allowed), nothing is saved and the errors come back by cell. A blank or zero fact is
    removed (its 项 row stays); a blank scalar item is "not disclosed", zero is zero.
    """
    values, errors = _entry_values(form, posted)
    if errors:
        return EntrySaved(errors)
    Report.objects.select_for_update().filter(pk=report.pk).first()
    facts = {
        (f.measure, f.code, f.source, f.nature): f
        for f in report.facts.filter(code__in={a[2] for a in values if a[0] == "fact"})
    }
    econ = {(f.code, f.nature): f for f in report.economic_facts.all()}
    figures, _ = ReportFigures.objects.get_or_create(report=report)
    changed = 0
    figure_fields = {f.name: f for f in ReportFigures._meta.concrete_fields}
    for atom, amount in values.items():
        kind, *key = atom
        if kind == "figure":
            field = figure_fields[key[0]]
            if amount is None and not field.null:
                amount = field.get_default()
            if isinstance(field, models.PositiveIntegerField) and amount is not None:
                amount = int(amount)
            if getattr(figures, key[0]) != amount:
                setattr(figures, key[0], amount)
                changed += 1
            continue
        rows, model, fields = (
            (facts, Fact, ("measure", "code", "source", "nature"))
            if kind == "fact"
            else (econ, EconomicFact, ("code", "nature"))
        )
        existing = rows.get(tuple(key))
        if not amount:
            if existing is not None:
                existing.delete()
                changed += 1
        elif existing is None:
            model.objects.create(
                report=report, amount=amount, **dict(zip(fields, key, strict=True))
            )
            changed += 1
        elif existing.amount != amount:
            existing.amount = amount
            existing.save(update_fields=["amount"])
            changed += 1
    figures.full_clean()
    figures.save()
    codes = {a[2] for a in values if a[0] == "fact"}
    ReportRow.objects.bulk_create(
        [ReportRow(report=report, code=c) for c in codes], ignore_conflicts=True
    )
    return EntrySaved({}, changed)


def report_row_add(*, report: Report, text: str) -> str:
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
    ReportRow.objects.get_or_create(report=report, code=code)
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
def report_next_year(*, report: Report) -> Report:
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
