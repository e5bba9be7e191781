"""Reads for the self-evaluations shown in the report's 附件."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, Round

from disclosures.models import Region, Report

from .models import (
    EVALUATION_PRINTED,
    FUNDING_PRINTED,
    INDICATOR_PRINTED,
    Evaluation,
    Funding,
    Indicator,
)


@dataclass
class EvaluationView:
    evaluation: Evaluation
    execution_rate: Decimal | None  # 执行率, percent: as printed, else 执行数/全年预算数

    def __getattr__(self, name):
        return getattr(self.evaluation, name)


def evaluations_for_page(*, report: Report) -> list[EvaluationView]:
    """The report's self-evaluations (prefetched with their indicators), projects first."""
    views = []
    for evaluation in report.evaluations.all():
        rate = evaluation.execution_rate
        if rate is None and evaluation.budget:
            rate = (evaluation.executed * 100 / evaluation.budget).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        views.append(EvaluationView(evaluation, rate))
    return sorted(views, key=lambda v: (v.evaluation.kind != "project", v.evaluation.order))


def evaluation_printed_rows(*, report: Report) -> dict[tuple[str, str], str | None]:
    """Every printed field of the report's self-evaluations and their rows, keyed by (evaluation,
    field label): what a correction or an import compares, before and after."""

    def shown(value) -> str | None:
        return None if value is None else str(value)

    rows = {}
    evaluations = Evaluation.objects.filter(report=report).prefetch_related("indicators", "funding")
    for e in evaluations:
        for name in EVALUATION_PRINTED:
            rows[(e.name, Evaluation._meta.get_field(name).verbose_name)] = shown(getattr(e, name))
        for f in e.funding.all():
            for name in FUNDING_PRINTED:
                label = f"{f.source} {Funding._meta.get_field(name).verbose_name}"
                rows[(e.name, label)] = shown(getattr(f, name))
        for i in e.indicators.all():
            for name in INDICATOR_PRINTED:
                label = f"{i.name} {Indicator._meta.get_field(name).verbose_name}"
                rows[(e.name, label)] = shown(getattr(i, name))
    return rows


def evaluation_place(key: tuple[str, str], value) -> str:
    return f"绩效自评：{key[0]} {key[1]}"


def region_with_descendants(region: Region) -> list[int]:
    """The region's id and those of every region under it (one query over the region table)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Region.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    ids, todo = [], [region.pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo.extend(children.get(pk, []))
    return ids


def evaluations_published(
    *,
    region: Region | None = None,
    year: int | None = None,
    kind: str = "",
    grade: str = "",
    query: str = "",
) -> QuerySet[Evaluation]:
    """The self-evaluations of the latest published revision of every report, with their
    department and `rate` (执行率 as printed, else 执行数/全年预算数, in percent) for sorting.
    `query` matches the project's or the department's name."""
    rate = ExpressionWrapper(
        F("executed") * Value(100) / NullIf(F("budget"), Value(0)),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )
    evaluations = (
        Evaluation.objects.filter(report__in=Report.objects.latest_published())
        .select_related("report__department__region")
        .annotate(rate=Coalesce(F("execution_rate"), Round(rate, 2)))
    )
    if region is not None:
        evaluations = evaluations.filter(
            report__department__region__in=region_with_descendants(region)
        )
    if year:
        evaluations = evaluations.filter(report__year=year)
    if kind:
        evaluations = evaluations.filter(kind=kind)
    if grade:
        evaluations = evaluations.filter(grade=grade)
    query = query.strip()
    if query:
        evaluations = evaluations.filter(
            Q(name__icontains=query) | Q(report__department__name__icontains=query)
        )
    # Projects before the department's overall evaluation, as the 附件 prints them.
    return evaluations.order_by("-report__year", "report__department__code", "-kind", "order")


def evaluations_summary(evaluations: QuerySet[Evaluation]) -> dict:
    """What the listed evaluations add up to: how many, the projects' budget and spending (an
    overall evaluation covers the same money again, so it is counted apart), the mean score."""
    project = Q(kind=Evaluation.Kind.PROJECT)
    return evaluations.order_by().aggregate(
        count=Count("pk"),
        projects=Count("pk", filter=project),
        budget=Sum("budget", filter=project),
        executed=Sum("executed", filter=project),
        score=Avg("score"),
    )
