"""Reads: the facts of a report in the engine's shape, and the filled tables."""

from django.db.models import QuerySet

from .engine import Code, EconomicRow, FactRow, FilledTable, ReportData, report_fill
from .models import ClassificationCode, Report, ReportFigures, ReportSection
from .tables import TEMPLATES
from .vocab import CodeKind

FIGURE_FIELDS = [
    f.name
    for f in ReportFigures._meta.get_fields()
    if f.concrete and f.name not in ("id", "report")
]


def report_get(*, department_code: str, year: int) -> Report | None:
    return (
        Report.objects.select_related("department", "department__region", "figures")
        .filter(department__code=department_code, year=year)
        .first()
    )


def code_list(*, year: int, kind: str) -> QuerySet[ClassificationCode]:
    return ClassificationCode.objects.filter(year=year, kind=kind).order_by("order", "code")


def report_data_get(*, report: Report) -> ReportData:
    """Everything the engine and the checks need about `report`, in five queries."""
    codes = {CodeKind.FUNCTIONAL: [], CodeKind.ECONOMIC: []}
    for c in ClassificationCode.objects.filter(year=report.year).order_by("order", "code"):
        codes[c.kind].append(Code(c.code, c.name, c.level, c.group, c.basic_applicable))
    figures = ReportFigures.objects.filter(report=report).values(*FIGURE_FIELDS).first() or {}
    return ReportData(
        department=report.department.name,
        year=report.year,
        unit=report.unit,
        functional_codes=codes[CodeKind.FUNCTIONAL],
        economic_codes=codes[CodeKind.ECONOMIC],
        facts=[
            FactRow(*row)
            for row in report.facts.values_list("measure", "code", "source", "nature", "amount")
        ],
        economic_facts=[
            EconomicRow(*row)
            for row in report.economic_facts.values_list("code", "nature", "amount")
        ],
        figures=figures,
        texts=list(
            report.sections.filter(part=ReportSection.Part.EXPLANATION).values_list(
                "heading", "body"
            )
        ),
    )


def report_tables(*, report: Report, data: ReportData | None = None) -> list[FilledTable]:
    """The report's tables, filled from its facts by the engine, in template order."""
    data = data if data is not None else report_data_get(report=report)
    return report_fill(TEMPLATES[report.template], data)
