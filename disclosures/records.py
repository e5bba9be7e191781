"""The record of every staff write (ChangeRecord) and the version that guards against lost updates.

Every service that changes a report's content calls `record` in the same transaction: it appends
who, when and what (each cell or field, old → new), adds one to the report's version and keeps the
report's error and warning counts current for the staff dashboard. A form carries the version it
was rendered on; `conflict` tells a save posted on an older version what the others changed.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, Model
from django.forms import BaseFormSet, BaseModelForm

from .display import kept_text, recent_text
from .models import ChangeRecord, Report

Change = list  # [place, old, new], each a string or None


def show(value: Any) -> str | None:
    """A value as the record keeps it: text, None for blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Model):
        return str(value)
    return str(value)


def _username(user) -> str:
    return getattr(user, "username", "") or "系统"


def record(
    *,
    report: Report,
    user,
    action: str,
    summary: str,
    changes: Sequence[Change] = (),
    note: str = "",
    refresh_checks: bool = True,
) -> ChangeRecord:
    """Appends one record of a write to `report`, adds one to its version and, for a draft,
    refreshes its error and warning counts. Call inside the write's transaction."""
    if not report.is_published:
        Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
        report.version = Report.objects.values_list("version", flat=True).get(pk=report.pk)
        if refresh_checks:
            checks_count(report)
    return ChangeRecord.objects.create(
        report=report,
        report_label=str(report)[:200],
        user=user if getattr(user, "pk", None) else None,
        username=_username(user)[:150],
        action=action,
        summary=summary[:255],
        changes=[[place, show(old), show(new)] for place, old, new in changes],
        note=note,
        version=report.version,
    )


def record_changes(
    *, report: Report, user, action: str, summary: str, changes: Sequence[Change]
) -> ChangeRecord | None:
    """`record`, when there is something to record: a save that changed nothing leaves none."""
    if not changes:
        return None
    return record(report=report, user=user, action=action, summary=summary, changes=changes)


def checks_count(report: Report, findings: list | None = None) -> tuple[int, int]:
    """Runs the checks (or takes the findings just made) and keeps the counts on the unpublished
    report, for the dashboard; writes only when they differ."""
    from .checks import ERROR
    from .selectors import report_findings

    findings = report_findings(report=report) if findings is None else findings
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    stored = Report.objects.filter(pk=report.pk).exclude(status=Report.Status.PUBLISHED)
    if stored.exclude(check_errors=errors, check_warnings=warnings).exists():
        stored.update(check_errors=errors, check_warnings=warnings)
    report.check_errors, report.check_warnings = errors, warnings
    return errors, warnings


def report_lock(report: Report) -> None:
    """Takes `report` for the rest of this transaction, so that a save checks the version and
    writes before the next one may: the next waits until this one commits. PostgreSQL locks the
    row (FOR UPDATE); SQLite has no row lock, so a write that changes nothing takes its write
    lock. Call inside `transaction.atomic`, before `conflict`."""
    if connection.features.has_select_for_update:
        list(Report.objects.select_for_update().filter(pk=report.pk).values_list("pk"))
    else:
        Report.objects.filter(pk=report.pk).update(version=F("version"))


def conflict(report: Report, posted_version: str | int | None) -> list[ChangeRecord]:
    """The writes made since the version a form was rendered on; empty when there are none (or
    when the form carried no version, as an API call may not). Race-free only after
    `report_lock` in the same transaction."""
    try:
        base = int(posted_version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []
    current = Report.objects.values_list("version", flat=True).get(pk=report.pk)
    if current == base:
        return []
    return list(
        ChangeRecord.objects.filter(report=report, version__gt=base).order_by("version", "pk")
    )


def conflict_refusal(records: Iterable[ChangeRecord]) -> str:
    """The message of a save refused because others saved since the form was rendered."""
    return (
        f"没有保存：在您打开本页之后，其他人修改了这份报告——{conflict_message(records)}。"
        "您填写的内容仍在下方，请核对后再次保存。"
    )


def conflict_message(records: Iterable[ChangeRecord]) -> str:
    """What the others changed, as the refused editor reads it: when in the site's time zone,
    amounts as the tables print them."""
    lines = []
    for r in records:
        cells = "；".join(
            f"{p}：{kept_text(o) or '空'} → {kept_text(n) or '空'}" for p, o, n in r.changes[:8]
        )
        more = f" 等 {len(r.changes)} 处" if len(r.changes) > 8 else ""
        lines.append(
            f"{r.username} 于 {recent_text(r.at)} {r.summary}"
            + (f"（{cells}{more}）" if cells else "")
        )
    return "；".join(lines)


def form_changes(form: BaseModelForm, prefix: str = "") -> list[Change]:
    """Each changed field of a bound, valid model form: [label, old, new]. The primary key a
    formset adds is never a change: it names a row, and what it names is not the poster's to
    read."""
    out = []
    pk_name = form._meta.model._meta.pk.name
    for name in form.changed_data:
        if name == pk_name and name not in (form._meta.fields or ()):
            continue
        field = form.fields[name]
        old = form.initial.get(name)
        new = form.cleaned_data.get(name)
        if hasattr(field, "choices") and not isinstance(new, Model):
            labels = {str(k): v for k, v in getattr(field, "choices", [])}
            old, new = labels.get(str(old), old), labels.get(str(new), new)
        out.append([f"{prefix}{field.label or name}", old, new])
    return out


def formset_changes(formset: BaseFormSet, label: str) -> list[Change]:
    """Each added, changed and deleted row of a saved model formset, as the formset's `save()`
    writes them. A posted row whose id is not among the formset's own (another report's row, or
    one deleted meanwhile) is saved by nobody, so it is no change either: Django leaves its form
    without an instance, and reading the posted id would copy a foreign row's text here."""
    out: list[Change] = []
    initial = formset.initial_form_count()
    for index, form in enumerate(formset.forms):
        if not form.has_changed() or not hasattr(form, "cleaned_data"):
            continue
        if index < initial and form.instance.pk is None:
            continue
        title = str(form.instance) if form.instance.pk else "新增"
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            out.append([f"{label}：{title}", title, None])
        else:
            out.extend(form_changes(form, prefix=f"{label}：{title}："))
    return out
