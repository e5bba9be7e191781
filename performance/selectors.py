"""Reads for the self-evaluations shown in the report's 附件."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from disclosures.models import Report

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
