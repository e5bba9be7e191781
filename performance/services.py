"""Writes of self-evaluations: one entry (a dict, as the demo file and the import give it)
becomes an evaluation with its rows."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from disclosures.models import Report

from .models import TEXTS, Evaluation, Funding, Indicator
from .selectors import evaluation_place, evaluation_printed_rows
from .targets import normalised

COVER = ("project_unit", "supervisor", "dated")
FUNDING_MONEY = ("initial_declared", "initial_budgeted", "budget", "executed")
INDICATOR_TEXTS = ("level1", "level2", "name", "initial_target", "target", "actual")


def _decimal(value: Any, label: str, *, optional: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ValidationError(f"{label}未填写")
    try:
        number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise ValidationError(f"{label}“{value}”不是数字") from None
    if not number.is_finite():
        raise ValidationError(f"{label}“{value}”不是数字")
    return number


def _save_if_changed(obj: models.Model, values: Mapping[str, Any]) -> models.Model:
    changed = obj._state.adding or any(getattr(obj, k) != v for k, v in values.items())
    for k, v in values.items():
        setattr(obj, k, v)
    if changed:
        obj.full_clean(validate_unique=False)
        obj.save()
    return obj


def _rows(model, existing, entries: list[Mapping], values) -> None:
    """Makes the evaluation's rows of `model` the given entries, in order; a row whose figures did
    not change is left alone."""
    by_order = {row.order: row for row in existing}
    for order, entry in enumerate(entries, start=1):
        row = by_order.pop(order, None) or model(order=order)
        _save_if_changed(row, values(order, entry))
    for row in by_order.values():
        row.delete()


def evaluation_load(*, report: Report, order: int, entry: Mapping) -> Evaluation:
    """Creates or updates one self-evaluation of `report` from `entry` (the demo file's shape:
    kind, name, the cover, budget, executed, score, grade, the text parts, `funding` rows and
    `indicators`). Raises `ValidationError` naming the evaluation and the field at fault."""
    name = str(entry.get("name") or "").strip()
    where = f"绩效自评“{name or order}”"
    try:
        kind = entry.get("kind") or Evaluation.Kind.PROJECT
        if kind not in Evaluation.Kind.values:
            raise ValidationError(f"类型“{kind}”应为 project 或 department")
        values: dict[str, Any] = {
            "order": order,
            "budget": _decimal(entry.get("budget"), "全年预算数"),
            "executed": _decimal(entry.get("executed"), "全年执行数"),
            "execution_rate": _decimal(entry.get("execution_rate"), "执行率", optional=True),
            "budget_execution_weight": _decimal(
                entry.get("budget_execution_weight", 10), "预算执行率分值"
            ),
            "budget_execution_score": _decimal(
                entry.get("budget_execution_score"), "预算执行率得分", optional=True
            ),
            "score": _decimal(entry.get("score"), "自评得分"),
            "grade": str(entry.get("grade") or ""),
            **{k: str(entry.get(k) or "").strip() for k in (*COVER, *TEXTS)},
        }
        evaluation = Evaluation.objects.filter(report=report, kind=kind, name=name).first()
        evaluation = evaluation or Evaluation(report=report, kind=kind, name=name)
        _save_if_changed(evaluation, values)
        funding = list(entry.get("funding") or [])
        _rows(
            Funding,
            evaluation.funding.all() if evaluation.pk else [],
            funding,
            lambda n, row: {
                "evaluation": evaluation,
                "source": str(row.get("source") or "").strip(),
                **{
                    k: _decimal(
                        row.get(k),
                        f"资金来源第{n}行 {Funding._meta.get_field(k).verbose_name}",
                        optional=k.startswith("initial"),
                    )
                    for k in FUNDING_MONEY
                },
            },
        )
        _rows(
            Indicator,
            evaluation.indicators.all(),
            list(entry.get("indicators") or []),
            lambda n, row: {
                "evaluation": evaluation,
                **{k: str(row.get(k) or "").strip() for k in INDICATOR_TEXTS},
                "initial_target": normalised(str(row.get("initial_target") or "")),
                "target": normalised(str(row.get("target") or "")),
                "weight": _decimal(row.get("weight"), f"指标第{n}行 权重"),
                "score": _decimal(row.get("score"), f"指标第{n}行 得分"),
                "deviation_note": str(row.get("deviation_note") or "").strip(),
            },
        )
    except ValidationError as error:
        raise ValidationError([f"{where}：{m}" for m in error.messages]) from None
    return evaluation


def evaluations_load(*, report: Report, entries: list[Mapping]) -> list[Evaluation]:
    """Makes `entries` the report's self-evaluations: each created or updated in place, any other
    deleted. Call inside a transaction: a `ValidationError` on any entry leaves nothing half
    written."""
    kept = [evaluation_load(report=report, order=n, entry=e) for n, e in enumerate(entries, 1)]
    Evaluation.objects.filter(report=report).exclude(pk__in=[e.pk for e in kept]).delete()
    return kept


def evaluations_import(
    *, report: Report, entries: list[Mapping], user, filename: str, replace: bool = False
) -> int:
    """Writes the evaluations read from an uploaded file into the draft `report`, all or nothing,
    and records each changed field. The file's evaluations come first, in its order; with
    `replace` the report's others are deleted, else kept after them. Returns the number of fields
    changed; raises `ValidationError` (nothing written) naming the evaluation and row at fault."""
    from disclosures import records
    from disclosures.workflow import rows_changes

    seen: set[tuple[str, str]] = set()
    for entry in entries:
        key = (entry.get("kind") or Evaluation.Kind.PROJECT, str(entry.get("name") or "").strip())
        if key in seen:
            raise ValidationError(f"文件中有两项同名的绩效自评“{key[1]}”：每项的项目名称应不同。")
        seen.add(key)
    with transaction.atomic():
        before = evaluation_printed_rows(report=report)
        kept = [evaluation_load(report=report, order=n, entry=e) for n, e in enumerate(entries, 1)]
        others = Evaluation.objects.filter(report=report).exclude(pk__in=[e.pk for e in kept])
        if replace:
            others.delete()
        else:
            for n, evaluation in enumerate(others.order_by("kind", "order"), len(kept) + 1):
                Evaluation.objects.filter(pk=evaluation.pk).update(order=n)
        changes = rows_changes(
            "绩效自评", before, evaluation_printed_rows(report=report), evaluation_place
        )
        records.record(
            report=report,
            user=user,
            action="import",
            summary=f"导入绩效自评 {filename}：{len(kept)} 项，修改 {len(changes)} 处"[:255],
            changes=changes,
        )
    return len(changes)
