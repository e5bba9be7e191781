"""Writes: code lists and the demo report."""

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model

from performance.models import Evaluation, Indicator

from .models import (
    ClassificationCode,
    Department,
    Duty,
    EconomicFact,
    Fact,
    OrgUnit,
    PrintedCell,
    PrintedName,
    Region,
    Report,
    ReportFigures,
    ReportProfile,
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
