"""Reads for the self-evaluations shown in the report's 附件."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from disclosures.models import Report

from .models import Evaluation


@dataclass
class EvaluationView:
    evaluation: Evaluation
    execution_rate: Decimal | None  # 执行率, percent

    def __getattr__(self, name):
        return getattr(self.evaluation, name)


def evaluations_for_page(*, report: Report) -> list[EvaluationView]:
    """The report's self-evaluations (prefetched with their indicators), projects first."""
    views = []
    for evaluation in report.evaluations.all():
        rate = None
        if evaluation.budget:
            rate = (evaluation.executed * 100 / evaluation.budget).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        views.append(EvaluationView(evaluation, rate))
    return sorted(views, key=lambda v: (v.evaluation.kind != "project", v.evaluation.order))
