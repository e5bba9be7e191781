"""Review and publication: 草稿 → 已提交 → 已审核 → 已公开, 退回 back to 草稿, and 更正.

Who may take each step is `accounts.selectors.transition_may`; this module takes it. Submitting
runs the checks: an error blocks it, and each warning needs the filler's written explanation,
kept with the report for the reviewer. Publishing freezes the revision (see `models.Report`); a
correction copies it into the next revision, a draft again, and once that is published the report
page states what changed, when and why.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import Transition, transition_may, transition_recipients
from performance.models import (
    Evaluation,
    Funding,
    Indicator,
)
from performance.selectors import evaluation_place, evaluation_printed_rows

from .checks import ERROR, finding_line
from .models import (
    Duty,
    EconomicFact,
    Fact,
    OrgUnit,
    PrintedCell,
    PrintedName,
    Report,
    ReportFigures,
    ReportProfile,
    ReportRow,
    ReportSection,
)
from .plaintext import one_line
from .records import checks_count, record
from .selectors import (
    public_cache_clear,
    report_data_get,
    report_findings,
    report_homes,
    report_tables,
    report_template,
)
from .services import code_list_carry_forward

log = logging.getLogger(__name__)

Status = Report.Status
FROM_STATES: dict[Transition, tuple[str, ...]] = {
    Transition.SUBMIT: (Status.DRAFT,),
    Transition.APPROVE: (Status.SUBMITTED,),
    Transition.RETURN: (Status.SUBMITTED, Status.APPROVED),
    Transition.PUBLISH: (Status.APPROVED,),
    Transition.CORRECT: (Status.PUBLISHED,),
}
LABELS = {
    Transition.SUBMIT: "提交审核",
    Transition.APPROVE: "审核通过",
    Transition.RETURN: "退回修改",
    Transition.PUBLISH: "公开",
    Transition.CORRECT: "更正",
}


def transition_refusal(user, report: Report, transition: Transition) -> str:
    """Why `user` may not take `transition` on `report` now; "" when they may."""
    if report.status not in FROM_STATES[transition]:
        states = "、".join(Status(s).label for s in FROM_STATES[transition])
        now = report.get_status_display()
        return f"报告当前为“{now}”，只有“{states}”的报告可以{LABELS[transition]}。"
    if not transition_may(user, report, transition):
        who = {
            Transition.SUBMIT: "本部门的填报人",
            Transition.APPROVE: "本部门的审核人",
            Transition.RETURN: "本部门的审核人",
            Transition.PUBLISH: "本部门的审核人或系统管理员",
            Transition.CORRECT: "本部门的填报人或系统管理员",
        }[transition]
        return f"只有{who}可以{LABELS[transition]}。"
    if transition == Transition.CORRECT:
        if report.revision != latest_revision(report):
            return "这不是最新的公开版本：请在最新版本上更正。"
        if open_revision(report) is not None:
            return "该年度已有一份未公开的修订版，请先完成它。"
    return ""


def previous_published(report: Report) -> Report | None:
    """The latest published revision before `report`'s (the one a correction replaces)."""
    return (
        Report.objects.filter(
            department=report.department_id,
            year=report.year,
            status=Status.PUBLISHED,
            revision__lt=report.revision,
        )
        .order_by("-revision")
        .first()
    )


def latest_revision(report: Report) -> int:
    return Report.objects.filter(department=report.department_id, year=report.year).aggregate(
        m=Max("revision")
    )["m"]


def open_revision(report: Report) -> Report | None:
    """The year's revision that is not yet published (a draft or in review), if any."""
    return (
        Report.objects.filter(department=report.department_id, year=report.year)
        .exclude(status=Status.PUBLISHED)
        .first()
    )


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("department").get(pk=report.pk)


def _check_or_refuse(user, report: Report, transition: Transition) -> None:
    why = transition_refusal(user, report, transition)
    if why:
        raise PermissionDenied(why)


def _set(report: Report, **fields) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def report_submit(*, report: Report, user, notes: Mapping[str, str] | None = None) -> Report:
    """A filler submits a draft for review. Refused (ValidationError) while the checks find an
    error, or while a warning has no written explanation; `notes` maps each warning's key to it."""
    report = _locked(report)
    _check_or_refuse(user, report, Transition.SUBMIT)
    findings = report_findings(report=report)
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        raise ValidationError(
            "审核发现 %(n)s 条错误，改正后才能提交：%(first)s",
            code="has_errors",
            params={"n": len(errors), "first": "；".join(finding_line(f) for f in errors[:3])},
        )
    warnings = [f for f in findings if f.severity != ERROR]
    notes = {k: (v or "").strip() for k, v in (notes or {}).items()}
    missing = [f for f in warnings if not notes.get(f.key)]
    if missing:
        raise ValidationError(
            "还有 %(n)s 条警告没有填写说明：%(first)s",
            code="warning_unexplained",
            params={"n": len(missing), "first": "；".join(str(f) for f in missing[:3])},
        )
    kept = {f.key: {"finding": str(f), "note": notes[f.key]} for f in warnings}
    _set(
        report,
        status=Status.SUBMITTED,
        warning_notes=kept,
        submitted_at=timezone.now(),
        returned_reason="",
    )
    record(
        report=report,
        user=user,
        action="submit",
        summary="提交审核",
        changes=[["状态", "草稿", "已提交"]]
        + [[f"警告说明：{v['finding']}", None, v["note"]] for v in kept.values()],
    )
    _mail_after_commit(report, Transition.SUBMIT, user)
    return report


@transaction.atomic
def report_approve(*, report: Report, user) -> Report:
    report = _locked(report)
    _check_or_refuse(user, report, Transition.APPROVE)
    _set(report, status=Status.APPROVED, approved_at=timezone.now())
    record(
        report=report,
        user=user,
        action="approve",
        summary="审核通过",
        changes=[["状态", "已提交", "已审核"]],
    )
    return report


@transaction.atomic
def report_return(*, report: Report, user, reason: str) -> Report:
    """A reviewer sends a report back to its fillers as a draft, with a written reason."""
    report = _locked(report)
    _check_or_refuse(user, report, Transition.RETURN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("退回须写明原因。", code="reason_required")
    old = report.get_status_display()
    _set(report, status=Status.DRAFT, returned_reason=reason, approved_at=None)
    record(
        report=report,
        user=user,
        action="return",
        summary="退回修改",
        changes=[["状态", old, "草稿"]],
        note=reason,
    )
    _mail_after_commit(report, Transition.RETURN, user)
    return report


@transaction.atomic
def report_publish(*, report: Report, user) -> Report:
    """Publishes an approved revision: from now on nothing of it changes."""
    report = _locked(report)
    _check_or_refuse(user, report, Transition.PUBLISH)
    return _publish(report, user)


def _publish(report: Report, user, *, as_published: bool = False) -> Report:
    errors, _ = checks_count(report)
    if errors and not as_published:
        raise ValidationError(
            "审核发现 %(n)s 条错误，不能公开。", code="has_errors", params={"n": errors}
        )
    previous = previous_published(report)
    changes = revision_changes(previous, report) if previous is not None else []
    _set(
        report,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        template=report.template or report_template(report).key,
        correction_changes=changes,
    )
    # At once for this process (the publisher's next page), and again after the commit for
    # anything another request cached in between.
    public_cache_clear()
    transaction.on_commit(public_cache_clear)
    record(
        report=report,
        user=user,
        action="publish",
        summary="公开",
        changes=[["状态", "已审核", "已公开"]],
    )
    return report


@transaction.atomic
def report_publish_loaded(*, report: Report) -> Report:
    """Publishes a report loaded by the system (the demo), without the staff review: a document
    that was already published elsewhere, as it was, whatever the checks find in it (they are
    counted and shown to staff, as on any report)."""
    report = _locked(report)
    if report.is_published:
        return report
    return _publish(report, None, as_published=True)


# ---------------------------------------------------------------------------------------------
# Corrections

COPIED = (Fact, EconomicFact, ReportSection, ReportRow, PrintedCell, PrintedName, Duty, OrgUnit)


def _clone(obj, **overrides):
    fields = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    return type(obj)(**{**fields, **overrides})


@transaction.atomic
def report_correct(*, report: Report, user, reason: str) -> Report:
    """更正: a new draft revision with everything of the published one, for the same review."""
    report = _locked(report)
    _check_or_refuse(user, report, Transition.CORRECT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("更正须写明原因。", code="reason_required")
    new = Report.objects.create(
        department=report.department,
        year=report.year,
        revision=report.revision + 1,
        template=report.template,
        unit=report.unit,
        correction_reason=reason,
    )
    code_list_carry_forward(year=new.year, user=user)  # the same year: its list is there already
    for model in (ReportFigures, ReportProfile):
        old = model.objects.filter(report=report).first()
        (_clone(old, report_id=new.pk) if old else model(report=new)).save()
    for model in COPIED:
        model.objects.bulk_create(
            _clone(o, report_id=new.pk) for o in model.objects.filter(report=report)
        )
    for evaluation in Evaluation.objects.filter(report=report).prefetch_related(
        "indicators", "funding"
    ):
        copy = _clone(evaluation, report_id=new.pk)
        copy.save()
        Indicator.objects.bulk_create(
            _clone(i, evaluation_id=copy.pk) for i in evaluation.indicators.all()
        )
        Funding.objects.bulk_create(
            _clone(f, evaluation_id=copy.pk) for f in evaluation.funding.all()
        )
    record(
        report=new,
        user=user,
        action="correct",
        summary=f"由第{report.revision}版更正，新建第{new.revision}版草稿",
        note=reason,
    )
    return new


def _label(table, row: str, col: str) -> str:
    meta = table.rows.get(row)
    column = table.column_for(row, col)
    line = (f"{meta.code} {meta.label}" if meta.code else meta.label) if meta else row
    parts = [table.caption, line, column.label if column else col]
    return " ".join(p for p in parts if p)


def revision_changes(old: Report, new: Report) -> list[list]:
    """What `new` changed against `old`, as the tables print it: each cell, each scalar item,
    each text and profile field and each self-evaluation figure — [place, old, new]."""
    from .records import show

    out: list[list] = []
    if old.unit != new.unit:
        out.append(["金额单位", old.unit, new.unit])
    old_tables = {t.number: t for t in report_tables(report=old)}
    for table in report_tables(report=new):
        before = old_tables.get(table.number)
        old_cells = before.printed if before is not None else {}
        for key in sorted(set(table.printed) | set(old_cells)):
            a, b = old_cells.get(key), table.printed.get(key)
            if (a or 0) != (b or 0):
                out.append(
                    [_label(table if key in table.printed else before, *key), show(a), show(b)]
                )
    # The scalar items no table prints (a table's own are among its cells above).
    homes = report_homes(report=new)
    before, after = report_data_get(report=old).figures, report_data_get(report=new).figures
    labels = {f.name: f.verbose_name for f in ReportFigures._meta.concrete_fields}
    for name in sorted(set(before) | set(after)):
        home = homes.get(("figure", name))
        if home is not None and home.form in old_tables:
            continue
        if before.get(name) != after.get(name):
            out.append([labels.get(name, name), show(before.get(name)), show(after.get(name))])
    out += rows_changes(
        "文字",
        {(s.part, s.order): (s.heading, s.body) for s in old.sections.all()},
        {(s.part, s.order): (s.heading, s.body) for s in new.sections.all()},
        lambda key, value: f"{ReportSection.Part(key[0]).label}：{value[0]}",
    )
    out += rows_changes(
        "部门职责",
        {d.number: d.text for d in old.duties.all()},
        {d.number: d.text for d in new.duties.all()},
        lambda key, value: f"部门职责 第{key}条",
    )
    out += rows_changes(
        "机构",
        {(u.kind, u.name): u.order for u in old.org_units.all()},
        {(u.kind, u.name): u.order for u in new.org_units.all()},
        lambda key, value: f"{OrgUnit.Kind(key[0]).label}：{key[1]}",
    )
    old_profile = ReportProfile.objects.filter(report=old).first()
    new_profile = ReportProfile.objects.filter(report=new).first()
    if old_profile and new_profile:
        for f in ReportProfile._meta.concrete_fields:
            if f.name in ("id", "report"):
                continue
            a, b = getattr(old_profile, f.attname), getattr(new_profile, f.attname)
            if a != b:
                out.append([f"概况：{f.verbose_name}", show(a), show(b)])
    out += rows_changes(
        "绩效自评",
        evaluation_printed_rows(report=old),
        evaluation_printed_rows(report=new),
        evaluation_place,
    )
    return out


@dataclass(frozen=True)
class CorrectionReview:
    revision: int  # the published revision this one corrects
    changes: list[list]  # [place, old, new], as `revision_changes`


def correction_review(*, report: Report) -> CorrectionReview | None:
    """What a correction (revision 2 on) changes against the published revision it replaces, for
    the reviewer to read before approving: computed while it is in review, as kept once published.
    None for a first revision."""
    previous = previous_published(report)
    if previous is None:
        return None
    if report.is_published:
        return CorrectionReview(previous.revision, report.correction_changes or [])
    return CorrectionReview(previous.revision, revision_changes(previous, report))


def rows_changes(kind: str, old: dict, new: dict, place) -> list[list]:
    out = []
    for key in sorted(set(old) | set(new), key=str):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        shown_a = None if a is None else (a[1] if isinstance(a, tuple) else a)
        shown_b = None if b is None else (b[1] if isinstance(b, tuple) else b)
        out.append([place(key, b if b is not None else a), _text(shown_a), _text(shown_b)])
    return out


def _text(value) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Mail


def _mail_after_commit(report: Report, transition: Transition, user) -> None:
    transaction.on_commit(lambda: _mail(report, transition, user))


def _mail(report: Report, transition: Transition, user) -> None:
    recipients = transition_recipients(report, transition)
    if not recipients:
        return
    link = settings.SITE_URL + reverse("admin:disclosures_report_workflow", args=[report.pk])
    who = getattr(user, "username", "")
    if transition == Transition.SUBMIT:
        subject = f"【待审核】{report}"
        body = f"{who} 已提交 {report}，请审核：\n{link}\n"
        notes = report.warning_notes or {}
        if notes:
            body += "\n警告及说明：\n" + "\n".join(
                f"- {v['finding']}\n  说明：{v['note']}" for v in notes.values()
            )
    else:
        subject = f"【已退回】{report}"
        body = (
            f"{who} 退回了 {report}。\n退回原因：{report.returned_reason}\n"
            f"请修改后重新提交：\n{link}\n"
        )
    try:
        # A name's line break (posted by hand) must not become a header's: one line.
        send_mail(one_line(subject), body, None, recipients)
    except OSError:
        # The step is taken either way; a mail server that is down must not undo it.
        log.exception("通知邮件发送失败：%s", subject)
