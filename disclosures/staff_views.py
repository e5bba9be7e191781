"""The staff pages of a report, inside the admin: entry forms, other data, checks.

Each view fetches the report, asks `report_may` (404 when the user may not see it, 403 when they
may see but not change it), calls one selector or service and renders a template that extends
`admin/base_site.html`. `ReportAdmin.get_urls` wraps them in `admin_site.admin_view`.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import inlineformset_factory, modelform_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.expiry import keeps_input, kept_input, session_keepalive
from accounts.selectors import (
    Action,
    Transition,
    is_staff_user,
    is_system_admin,
    may_start_next_year,
    report_may,
)
from performance.importer import EvaluationFileRefused, evaluations_read
from performance.services import evaluations_import

from . import records, selectors, services, workflow
from .checks import ERROR, findings_summary
from .downloads import CONTENT_TYPES, content_disposition, draft_download
from .entry import OTHER_FORM
from .importer import code_list_read
from .models import (
    ClassificationCode,
    Duty,
    ImportBatch,
    OrgUnit,
    PublishedReportError,
    Report,
    ReportFigures,
    ReportProfile,
    ReportSection,
)
from .places import rule_counts, rule_groups
from .renderers import excel
from .services import PROFILE_STAFFING
from .views import report_page_context
from .vocab import CodeKind
from .workbooks import WorkbookRefused, upload_read


def staff_report(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Report:
    """The report, if this user may `action` it: 404 when they may not even see it, 403 when
    they see it but may not change it."""
    report = selectors.report_staff_get(pk=pk)
    if report is None or not report_may(request.user, report, Action.VIEW):
        raise Http404("没有找到这份报告，或您无权查看。")
    if action == Action.EDIT and report.is_published:
        raise PublishedReportError()
    if action == Action.EDIT and not report_may(request.user, report, Action.EDIT):
        raise PermissionDenied(
            "您无权修改这份报告：只有本部门填报人可以修改草稿（已提交、已审核的报告须先退回）。"
        )
    return report


def _context(request: HttpRequest, admin_site, report: Report, title: str, **extra) -> dict:
    return {
        **admin_site.each_context(request),
        "report": report,
        "title": title,
        "opts": Report._meta,
        "editable": report_may(request.user, report, Action.EDIT),
        # The version this page shows: a save posted with an older one is refused (lost update).
        "version": report.version,
        "code_list_notice": selectors.code_list_notice(year=report.year),
        **extra,
    }


def _kept_version(kept) -> dict:
    """The version a form kept through an expired login was rendered with: its save is checked
    against that one, as if it had gone through at once."""
    return {"version": kept["version"]} if kept is not None and "version" in kept else {}


def _saved(request: HttpRequest, report: Report, save: Callable[[], None]) -> bool:
    """Runs `save` in one transaction with the report locked, unless others saved it since this
    form was rendered: then nothing is written, the message says what they changed, and False.
    The lock comes before the check, so two saves at once cannot both pass it."""
    with transaction.atomic():
        records.report_lock(report)
        others = records.conflict(report, request.POST.get("version"))
        if not others:
            save()
    if others:
        messages.error(request, records.conflict_refusal(others))
    return not others


def entry_index(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    report = staff_report(request, pk)
    findings = selectors.report_findings(report=report)
    records.checks_count(report, findings)  # a report checked before the counts were kept
    return render(
        request,
        "admin/disclosures/report/entry_index.html",
        _context(
            request,
            admin_site,
            report,
            f"{report} 填报",
            forms=selectors.report_entry_index(report=report),
            summary=findings_summary(findings),
            rules=rule_counts(findings),
            errors=sum(1 for f in findings if f.severity == ERROR),
        ),
    )


def entry_table(request: HttpRequest, pk: int, key: str, *, admin_site) -> HttpResponse:
    report = staff_report(request, pk, Action.EDIT if request.method == "POST" else Action.VIEW)
    form = selectors.report_entry_form(report=report, key=key)
    if form is None:
        raise Http404("这份报告的表样中没有这张表。")
    kept = kept_input(request)  # typed before the login expired: shown again, not saved
    posted: dict[str, str] = {c.name: kept[c.name] for c in form.inputs if c.name in (kept or {})}
    errors: dict[str, str] = {}
    row_error = ""
    if request.method == "POST":
        posted = {c.name: request.POST.get(c.name, "") for c in form.inputs}
        if request.POST.get("action") == "add_row":
            try:
                code = services.report_row_add(
                    report=report, text=request.POST.get("new_row", ""), user=request.user
                )
            except ValidationError as error:
                row_error = error.messages[0]
            else:
                messages.info(
                    request, f"已添加科目行 {code}；本页尚未保存的数字仍在，请继续填写后保存。"
                )
                form = selectors.report_entry_form(report=report, key=key)
        else:
            saved = services.entry_save(
                report=report,
                form=form,
                posted=posted,
                user=request.user,
                version=request.POST.get("version"),
            )
            if saved.conflicts:
                messages.error(request, records.conflict_refusal(saved.conflicts))
            elif saved.ok:
                findings = selectors.report_findings(report=report)
                messages.success(
                    request,
                    f"已保存 {form.caption}（修改 {saved.changed} 处）。审核结果："
                    f"{findings_summary(findings)}。",
                )
                return redirect(reverse("admin:disclosures_report_entry", args=[pk, key]))
            else:
                errors = saved.errors
                messages.error(
                    request, f"有 {len(errors)} 处填写有误，已在格中标出；本次没有保存任何数据。"
                )
    return render(
        request,
        "admin/disclosures/report/entry_form.html",
        _context(
            request,
            admin_site,
            report,
            f"{form.caption} {form.title}",
            form=form,
            posted=posted,
            cell_errors=errors,
            row_error=row_error,
            item_choices=selectors.item_choices(year=report.year) if form.tree else [],
            **_kept_version(kept),
        ),
    )


def entry_figures(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """The scalar items no table form takes: 01's 使用非财政拨款结余 and 结余分配, and the
    comparatives the 情况说明 states for the year before."""
    report = staff_report(request, pk, Action.EDIT if request.method == "POST" else Action.VIEW)
    homes = selectors.report_homes(report=report)
    fields = [home.column for home in homes.values() if home.form == OTHER_FORM]
    figures, _ = ReportFigures.objects.get_or_create(report=report)
    FiguresForm = modelform_factory(ReportFigures, fields=fields)
    kept = kept_input(request)
    form = FiguresForm(request.POST or kept, instance=figures, label_suffix="：")
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            changes = records.form_changes(form)
            form.save()
            records.record_changes(
                report=report,
                user=request.user,
                action="entry",
                summary="填报 其他数据",
                changes=changes,
            )

        if _saved(request, report, save):
            messages.success(request, "已保存其他数据。")
            return redirect(reverse("admin:disclosures_report_figures", args=[pk]))
    return render(
        request,
        "admin/disclosures/report/entry_figures.html",
        _context(request, admin_site, report, "其他数据", form=form, **_kept_version(kept)),
    )


def report_checks(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """Every finding of the draft, counted and grouped by rule with its name and explanation,
    each linked to where it is fixed (`disclosures.places`)."""
    report = staff_report(request, pk)
    rows = selectors.report_finding_rows(report=report)
    findings = [row.finding for row in rows]
    records.checks_count(report, findings)
    return render(
        request,
        "admin/disclosures/report/checks.html",
        _context(
            request,
            admin_site,
            report,
            f"{report} 审核",
            groups=rule_groups(rows),
            summary=findings_summary(findings),
            errors=sum(1 for f in findings if f.severity == ERROR),
            warnings=sum(1 for f in findings if f.severity != ERROR),
        ),
    )


# ---------------------------------------------------------------------------------------------
# 概况 and texts

ProfileForm = modelform_factory(
    ReportProfile,
    fields=["organisation", *PROFILE_STAFFING],
    widgets={"organisation": forms.Textarea(attrs={"rows": 5})},
)
DutyFormSet = inlineformset_factory(
    Report,
    Duty,
    fields=["number", "text"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 2, "cols": 80})},
)
OrgUnitFormSet = inlineformset_factory(
    Report, OrgUnit, fields=["kind", "name", "order"], extra=1, can_delete=True
)


def _section_formset(part: str):
    return inlineformset_factory(
        Report,
        ReportSection,
        fields=["order", "heading", "body"],
        extra=1,
        can_delete=True,
        widgets={"body": forms.Textarea(attrs={"rows": 6, "cols": 90})},
    )


def report_profile(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """第一部分 概况 of this year: staffing, the 机构设置 text, duties and units. Kept with the
    report, so editing it never changes another year's."""
    report = staff_report(request, pk, Action.EDIT if request.method == "POST" else Action.VIEW)
    profile = selectors.report_profile(report)
    kept = kept_input(request)
    data = request.POST if request.method == "POST" else kept
    form = ProfileForm(data, instance=profile, label_suffix="：")
    duties = DutyFormSet(data, instance=report, prefix="duties")
    units = OrgUnitFormSet(data, instance=report, prefix="units")
    if request.method == "POST" and form.is_valid() and duties.is_valid() and units.is_valid():

        def save() -> None:
            changes = [
                *records.form_changes(form, prefix="概况："),
                *records.formset_changes(duties, "部门职责"),
                *records.formset_changes(units, "机构"),
            ]
            form.save()
            duties.save()
            units.save()
            records.record_changes(
                report=report,
                user=request.user,
                action="profile",
                summary="修改概况",
                changes=changes,
            )

        if _saved(request, report, save):
            messages.success(request, "已保存概况。")
            return redirect(reverse("admin:disclosures_report_profile", args=[pk]))
    return render(
        request,
        "admin/disclosures/report/profile.html",
        _context(
            request,
            admin_site,
            report,
            "概况",
            form=form,
            formsets=[("部门职责", duties), ("内设机构与下属单位", units)],
            **_kept_version(kept),
        ),
    )


def report_texts(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """第三部分 情况说明 and 第四部分 名词解释; the latter starts from the year's standard text."""
    report = staff_report(request, pk, Action.EDIT if request.method == "POST" else Action.VIEW)
    parts = [
        (ReportSection.Part.EXPLANATION, "第三部分 情况说明"),
        (ReportSection.Part.GLOSSARY, "第四部分 名词解释"),
    ]
    if request.method == "POST" and request.POST.get("action") == "glossary":
        with transaction.atomic():
            copied = services.glossary_start(report=report)
            if copied:
                records.record(
                    report=report,
                    user=request.user,
                    action="texts",
                    summary=f"载入{report.year}年度标准名词解释 {copied} 条",
                )
        if copied:
            messages.success(request, f"已载入{report.year}年度标准名词解释 {copied} 条。")
        else:
            messages.warning(request, "名词解释已有内容，或本年度还没有标准名词解释。")
        return redirect(reverse("admin:disclosures_report_texts", args=[pk]))
    kept = kept_input(request)
    data = request.POST if request.method == "POST" else kept
    formsets = [
        (
            label,
            part,
            _section_formset(part)(
                data,
                instance=report,
                prefix=part,
                queryset=ReportSection.objects.filter(report=report, part=part),
            ),
        )
        for part, label in parts
    ]
    if request.method == "POST" and all(fs.is_valid() for _, _, fs in formsets):

        def save() -> None:
            changes = [
                change
                for label, _, formset in formsets
                for change in records.formset_changes(formset, label)
            ]
            records.record_changes(
                report=report,
                user=request.user,
                action="texts",
                summary="修改情况说明和名词解释",
                changes=changes,
            )
            for _, part, formset in formsets:
                for section in formset.save(commit=False):
                    section.part = part
                    section.save()
                for section in formset.deleted_objects:
                    section.delete()

        if _saved(request, report, save):
            messages.success(request, "已保存情况说明和名词解释。")
            return redirect(reverse("admin:disclosures_report_texts", args=[pk]))
    return render(
        request,
        "admin/disclosures/report/texts.html",
        _context(
            request,
            admin_site,
            report,
            "情况说明与名词解释",
            formsets=formsets,
            findings=selectors.report_finding_rows(report=report, only_texts=True),
            **_kept_version(kept),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Preview of a draft, and a new year from this one


def report_preview(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """The report as the public would read it once published: every part and every table."""
    staff_report(request, pk)
    document = selectors.report_draft_document_get(pk=pk)
    return render(
        request, "disclosures/report.html", {**report_page_context(document), "preview": True}
    )


def preview_file(
    request: HttpRequest, pk: int, fmt: str, number: str = "", *, admin_site
) -> HttpResponse:
    staff_report(request, pk)
    document = selectors.report_draft_document_get(pk=pk)
    table = document.table(number) if number else None
    if number and table is None:
        raise Http404("没有这张表。")
    download = draft_download(document=document, fmt=fmt, table=table)
    return download.response(f"{document.department.code}-{document.report.year}-preview.{fmt}")


def report_next_year(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """以上年为基础新建: next year's draft with this year's profile, texts' headings and rows.
    GET asks for confirmation (what is carried, what is not); POST creates it."""
    report = staff_report(request, pk)
    if not may_start_next_year(request.user, report):
        raise PermissionDenied("您无权为该部门新建报告：只有本部门的填报人或系统管理员可以新建。")
    existing = selectors.report_of_year(department=report.department, year=report.year + 1)
    if request.method == "POST" and existing is None:
        try:
            new = services.report_next_year(report=report, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                f"已以{report.year}年度为基础新建{new.year}年度草稿；各表不含金额，格旁显示上年数。",
            )
            notice = selectors.code_list_notice(year=new.year)
            if notice:
                messages.warning(request, notice)
            return redirect(reverse("admin:disclosures_report_entry_index", args=[new.pk]))
    return render(
        request,
        "admin/disclosures/report/next_year.html",
        _context(
            request,
            admin_site,
            report,
            f"以{report.year}年度为基础新建{report.year + 1}年度",
            next_year=report.year + 1,
            existing=existing,
        ),
    )


# ---------------------------------------------------------------------------------------------
# The workbook: download, upload, preview, confirm


class ImportForm(forms.Form):
    file = forms.FileField(
        label="工作簿（.xlsx）",
        help_text="本系统下载的工作簿，或报表软件导出的同样标题和格式的公开表。不超过 10 MB。",
    )
    as_printed = forms.BooleanField(
        label="这是已公开的正式报表：保留原表印制数",
        required=False,
        help_text="补录往年已公开的报告时勾选：公开页面按原表印制数显示，审核时与明细汇总数核对。",
    )


def report_workbook(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """The draft's workbook: the public layout, one sheet per table, with the （补充） sheets of
    what the tables do not print. Fill it in and upload it again."""
    report = staff_report(request, pk)
    document = selectors.report_draft_document_get(pk=pk)
    content = excel.workbook(
        document,
        document.tables,
        supplements=selectors.report_item_codes(report=report),
        evaluations=True,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    name = f"{report.department.name}{report.year}年度部门决算（填报）.xlsx"
    ascii_name = f"{report.department.code}-{report.year}-entry.xlsx"
    response["Content-Disposition"] = content_disposition(name, ascii_name)
    return response


def report_import(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    report = staff_report(request, pk, Action.EDIT if request.method == "POST" else Action.VIEW)
    form = ImportForm(request.POST or None, request.FILES or None, label_suffix="：")
    refused = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_preview(
                report=report,
                content=upload_read(upload),
                filename=upload.name,
                user=request.user,
                as_printed=form.cleaned_data["as_printed"],
            )
        except WorkbookRefused as error:
            refused = error.message
        else:
            return redirect(reverse("admin:disclosures_report_import_preview", args=[pk, batch.pk]))
    return render(
        request,
        "admin/disclosures/report/import.html",
        _context(request, admin_site, report, "导入 Excel", form=form, refused=refused),
    )


def _grouped(changes: list) -> list[tuple[str, object, object, int]]:
    """A preview's changes as rows: (label, old, new, count), identical rows once."""
    rows: dict[tuple[str, str, str], list] = {}
    for _atom, label, old, new in changes:
        row = rows.setdefault((label, repr(old), repr(new)), [label, old, new, 0])
        row[3] += 1
    return [tuple(row) for row in rows.values()]


def report_import_preview(request: HttpRequest, pk: int, batch: int, *, admin_site):
    report = staff_report(request, pk, Action.EDIT if request.method == "POST" else Action.VIEW)
    item = ImportBatch.objects.filter(pk=batch, report=report).first()
    if item is None:
        raise Http404("没有这次导入。")
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            ImportBatch.objects.filter(pk=item.pk).update(status=ImportBatch.Status.DISCARDED)
            messages.info(request, "已放弃这次导入，报告没有任何改动。")
            return redirect(reverse("admin:disclosures_report_import", args=[pk]))
        try:
            changed = services.import_apply(batch=item, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(reverse("admin:disclosures_report_import_preview", args=[pk, batch]))
        summary = findings_summary(selectors.report_findings(report=report))
        done = f"已导入 {item.filename}：修改 {changed} 处。"
        messages.success(request, f"{done}审核结果：{summary}。")
        return redirect(reverse("admin:disclosures_report_entry_index", args=[pk]))
    errors = [p for p in item.problems if p[3] == "error"]
    return render(
        request,
        "admin/disclosures/report/import_preview.html",
        _context(
            request,
            admin_site,
            report,
            f"导入预览：{item.filename}",
            batch=item,
            errors=errors,
            warnings=[p for p in item.problems if p[3] != "error"],
            changes=_grouped(item.changes),
        ),
    )


class EvaluationImportForm(forms.Form):
    file = forms.FileField(
        label="绩效自评文件（.xlsx 或 .json）",
        help_text=(
            "本系统下载的工作簿中的绩效自评表（每项一张工作表，第一行为“项目支出绩效自评表”或"
            "“部门整体支出绩效自评表”），或与演示数据同样格式的 JSON。不超过 10 MB。"
        ),
    )
    replace = forms.BooleanField(
        label="删除文件中没有的绩效自评",
        required=False,
        help_text="不勾选时，文件中没有的绩效自评保留不动；同名的按文件更新。",
    )


def report_evaluations(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """The report's self-evaluations: what is there, and an upload that writes them all or none."""
    report = staff_report(request, pk, Action.EDIT if request.method == "POST" else Action.VIEW)
    form = EvaluationImportForm(request.POST or None, request.FILES or None, label_suffix="：")
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            entries = evaluations_read(upload_read(upload), upload.name)
            changed = evaluations_import(
                report=report,
                entries=entries,
                user=request.user,
                filename=upload.name,
                replace=form.cleaned_data["replace"],
            )
        except (EvaluationFileRefused, WorkbookRefused) as error:
            refused = [error.message]
        except ValidationError as error:
            refused = error.messages
        else:
            summary = findings_summary(selectors.report_findings(report=report))
            messages.success(
                request,
                f"已导入 {upload.name}：绩效自评 {len(entries)} 项，修改 {changed} 处。"
                f"审核结果：{summary}。",
            )
            return redirect(reverse("admin:disclosures_report_evaluations", args=[pk]))
    return render(
        request,
        "admin/disclosures/report/evaluations.html",
        _context(
            request,
            admin_site,
            report,
            "绩效自评",
            form=form,
            refused=refused,
            evaluations=report.evaluations.order_by("kind", "order").prefetch_related(
                "indicators", "funding"
            ),
        ),
    )


# ---------------------------------------------------------------------------------------------
# A year's code list (系统管理员)


class CodeListForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="分类", choices=CodeKind.choices)
    file = forms.FileField(
        label="科目表（.xlsx 或 .csv）",
        help_text="第一张工作表中有“科目编码”和“科目名称”两列；级次按编码位数确定（3位类、5位款、7位项）。",
    )


def code_list_import(request: HttpRequest, *, admin_site) -> HttpResponse:
    """A year's list of one kind from a spreadsheet, previewed, then imported; it replaces a list
    carried from another year."""
    if not is_system_admin(request.user):
        raise PermissionDenied("只有系统管理员可以导入科目表。")
    context = {
        **admin_site.each_context(request),
        "title": "导入科目表",
        "opts": ClassificationCode._meta,
    }
    pending = request.session.get("code_list_import")
    if request.method == "POST" and request.POST.get("action") == "apply" and pending:
        count = services.code_list_replace(
            year=pending["year"],
            kind=pending["kind"],
            entries=pending["entries"],
            user=request.user,
        )
        del request.session["code_list_import"]
        messages.success(
            request, f"已导入{pending['year']}年{CodeKind(pending['kind']).label}科目 {count} 条。"
        )
        return redirect(reverse("admin:disclosures_classificationcode_changelist"))
    form = CodeListForm(request.POST or None, request.FILES or None, label_suffix="：")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            read = code_list_read(upload_read(upload), upload.name, kind=form.cleaned_data["kind"])
        except WorkbookRefused as error:
            context["refused"] = error.message
        else:
            preview = services.code_list_preview(
                year=form.cleaned_data["year"],
                kind=form.cleaned_data["kind"],
                entries=read.entries,
                problems=read.problems,
            )
            errors = [p for p in read.problems if p.severity == "error"]
            if not errors:
                request.session["code_list_import"] = {
                    "year": preview.year,
                    "kind": preview.kind,
                    "entries": preview.entries,
                }
            context.update(preview=preview, errors=errors)
    context["form"] = form
    return render(request, "admin/disclosures/classificationcode/import.html", context)


class CodeListCopyForm(forms.Form):
    source = forms.TypedChoiceField(label="作为基础的年度", coerce=int)
    year = forms.IntegerField(label="新年度", min_value=2000, max_value=2100)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(y, f"{y}年度") for y in years]

    def clean(self):
        data = super().clean()
        if "source" in data and "year" in data:
            refusal = selectors.code_list_copy_refusal(source=data["source"], year=data["year"])
            if refusal:
                raise ValidationError(refusal, code="refused")
        return data


class CodeListYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


def _code_list_admin(request: HttpRequest) -> None:
    if not is_system_admin(request.user):
        raise PermissionDenied("只有系统管理员可以管理科目表。")


def code_list_create_from(request: HttpRequest, *, admin_site) -> HttpResponse:
    """以某年为基础: a new year's list copied from another year's, marked carried; previewed
    first, copied when confirmed."""
    _code_list_admin(request)
    years = [entry.year for entry in selectors.code_list_years()]
    form = CodeListCopyForm(
        request.POST or None,
        years=years,
        initial={"year": max(years) + 1 if years else None},
        label_suffix="：",
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        source, year = form.cleaned_data["source"], form.cleaned_data["year"]
        if request.POST.get("action") == "apply":
            try:
                count = services.code_list_create_from(source=source, year=year, user=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    f"已以{source}年度科目表为基础新建{year}年度科目表（{count} 条），"
                    "标记为沿用，待确认或导入。",
                )
                return redirect(reverse("admin:disclosures_classificationcode_changelist"))
        else:
            preview = {
                "source": next(e for e in selectors.code_list_years() if e.year == source),
                "year": year,
                "replaced": selectors.code_list_carried(year=year),
            }
    return render(
        request,
        "admin/disclosures/classificationcode/create_from.html",
        {
            **admin_site.each_context(request),
            "title": "以某年为基础新建科目表",
            "opts": ClassificationCode._meta,
            "form": form,
            "preview": preview,
        },
    )


def code_list_confirm(request: HttpRequest, *, admin_site) -> HttpResponse:
    """确认沿用: a carried year's list becomes the year's own."""
    _code_list_admin(request)
    if request.method != "POST":
        raise PermissionDenied("请在科目表页面使用“确认沿用”按钮。")
    form = CodeListYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "没有指定要确认的年度。")
        return redirect(reverse("admin:disclosures_classificationcode_changelist"))
    year = form.cleaned_data["year"]
    try:
        count = services.code_list_confirm(year=year, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"已确认沿用{year}年度科目表（{count} 条）。")
    return redirect(reverse("admin:disclosures_classificationcode_changelist"))


# ---------------------------------------------------------------------------------------------
# Review and publication, the record, the dashboard


def report_workflow(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """流程: the report's state, the checks, and the steps this user may take now — 提交 (with
    an explanation for each warning), 审核通过, 退回 (with a reason), 公开, 更正."""
    report = staff_report(request, pk)
    rows = selectors.report_finding_rows(report=report)
    findings = [row.finding for row in rows]
    records.checks_count(report, findings)
    warnings = [f for f in findings if f.severity != ERROR]
    posted_notes = {f.key: request.POST.get(f"note-{f.key}", "") for f in warnings}
    if request.method == "POST":
        step = request.POST.get("action", "")
        try:
            transition = Transition(step)
        except ValueError:
            raise Http404("没有这一步操作。") from None
        why = workflow.transition_refusal(request.user, report, transition)
        if why:
            raise PermissionDenied(why)
        try:
            if transition == Transition.SUBMIT:
                workflow.report_submit(report=report, user=request.user, notes=posted_notes)
            elif transition == Transition.APPROVE:
                workflow.report_approve(report=report, user=request.user)
            elif transition == Transition.RETURN:
                workflow.report_return(
                    report=report, user=request.user, reason=request.POST.get("reason", "")
                )
            elif transition == Transition.PUBLISH:
                workflow.report_publish(report=report, user=request.user)
            else:
                new = workflow.report_correct(
                    report=report, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request, f"已新建第{new.revision}版草稿；改正后提交审核，公开后替换原版本。"
                )
                return redirect(reverse("admin:disclosures_report_workflow", args=[new.pk]))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"已{workflow.LABELS[transition]}。")
            return redirect(reverse("admin:disclosures_report_workflow", args=[pk]))
    steps = [t for t in Transition if not workflow.transition_refusal(request.user, report, t)]
    notes = report.warning_notes or {}
    return render(
        request,
        "admin/disclosures/report/workflow.html",
        _context(
            request,
            admin_site,
            report,
            f"{report} 审核与公开",
            steps=steps,
            errors=rule_groups(row for row in rows if row.error),
            error_count=len(findings) - len(warnings),
            warnings=[
                (
                    row,
                    posted_notes.get(row.finding.key)
                    or notes.get(row.finding.key, {}).get("note", ""),
                )
                for row in rows
                if not row.error
            ],
            kept_notes=list(notes.values()),
            correction=workflow.correction_review(report=report),
            records=report.records.order_by("-at", "-pk")[:5],
            overdue=selectors.publication_overdue(report),
            public_url=(
                reverse(
                    "disclosures:report_rev",
                    args=[report.department.code, report.year, report.revision],
                )
                if report.is_published
                else ""
            ),
        ),
    )


def report_records(request: HttpRequest, pk: int, *, admin_site) -> HttpResponse:
    """变更记录: every write and every step on this revision, newest first (read only)."""
    report = staff_report(request, pk)
    return render(
        request,
        "admin/disclosures/report/records.html",
        _context(
            request,
            admin_site,
            report,
            f"{report} 变更记录",
            records=report.records.order_by("-at", "-pk"),
        ),
    )


def dashboard(request: HttpRequest, *, admin_site) -> HttpResponse:
    """工作台: the reports of my departments by year and state, with their error and warning
    counts; what waits for me first; an approved report unpublished after 20 days stands out."""
    from .lists import DashboardTable, RequestConfig

    if not is_staff_user(request.user):
        raise PermissionDenied("请先登录。")
    form = DashboardForm(request.GET or None, years=selectors.staff_years(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.dashboard_reports(
        user=request.user,
        year=filters.get("year"),
        status=filters.get("status") or "",
        waiting=bool(filters.get("waiting")),
        query=filters.get("q") or "",
    )
    table = DashboardTable(reports)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "admin/disclosures/report/dashboard.html",
        {
            **admin_site.each_context(request),
            "title": "工作台",
            "opts": Report._meta,
            "form": form,
            "table": table,
            "waiting": selectors.dashboard_reports(user=request.user, waiting=True).count(),
            "overdue_days": selectors.PUBLICATION_DAYS,
        },
    )


class DashboardForm(forms.Form):
    q = forms.CharField(label="部门", required=False, max_length=64)
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Report.Status.choices]
    )
    waiting = forms.BooleanField(label="只看待我处理", required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in years]


# ---------------------------------------------------------------------------------------------
# 操作指南


def staff_guide(request: HttpRequest, *, admin_site) -> HttpResponse:
    """操作指南: the year's steps of each role, the states, the workbook, the checks. One page for
    every staff role, linked from every admin page (templates/admin/base_site.html)."""
    user = request.user
    role = "admin" if is_system_admin(user) else getattr(user, "role", "")
    return render(
        request,
        "admin/guide.html",
        {**admin_site.each_context(request), "title": "操作指南", "role": role},
    )


def guide_urls(admin_site) -> list:
    """The guide's address, /admin/guide/, for config/urls.py (before the admin's own, whose
    last pattern answers every other address under /admin/)."""
    from django.urls import path

    def view(request):
        return staff_guide(request, admin_site=admin_site)

    return [path("admin/guide/", admin_site.admin_view(view), name="staff_guide")]


def report_urls(admin_view: Callable, admin_site) -> list:
    """The report's staff pages, for `ReportAdmin.get_urls`."""
    from django.urls import path

    from . import urls  # noqa: F401  (registers the year, table and format converters)

    def bind(view):
        def bound(request, *args, **kwargs):
            return view(request, *args, **kwargs, admin_site=admin_site)

        return admin_view(bound)

    def keep(view):
        # A form page: what was typed survives a save that arrives after the login expired.
        return keeps_input(bind(view))

    return [
        path("dashboard/", bind(dashboard), name="disclosures_report_dashboard"),
        path("keepalive/", admin_view(session_keepalive), name="disclosures_report_keepalive"),
        path("<int:pk>/workflow/", bind(report_workflow), name="disclosures_report_workflow"),
        path("<int:pk>/records/", bind(report_records), name="disclosures_report_records"),
        path("<int:pk>/entry/", bind(entry_index), name="disclosures_report_entry_index"),
        path("<int:pk>/entry/figures/", keep(entry_figures), name="disclosures_report_figures"),
        path("<int:pk>/entry/<str:key>/", keep(entry_table), name="disclosures_report_entry"),
        path("<int:pk>/checks/", bind(report_checks), name="disclosures_report_checks"),
        path("<int:pk>/profile/", keep(report_profile), name="disclosures_report_profile"),
        path("<int:pk>/texts/", keep(report_texts), name="disclosures_report_texts"),
        path("<int:pk>/preview/", bind(report_preview), name="disclosures_report_preview"),
        path(
            "<int:pk>/preview/download.<fmt:fmt>",
            bind(preview_file),
            name="disclosures_report_preview_file",
        ),
        path(
            "<int:pk>/preview/tables/<table:number>/download.<fmt:fmt>",
            bind(preview_file),
            name="disclosures_report_preview_table_file",
        ),
        path("<int:pk>/next-year/", bind(report_next_year), name="disclosures_report_next_year"),
        path("<int:pk>/workbook.xlsx", bind(report_workbook), name="disclosures_report_workbook"),
        path("<int:pk>/import/", bind(report_import), name="disclosures_report_import"),
        path(
            "<int:pk>/evaluations/",
            bind(report_evaluations),
            name="disclosures_report_evaluations",
        ),
        path(
            "<int:pk>/import/<int:batch>/",
            bind(report_import_preview),
            name="disclosures_report_import_preview",
        ),
    ]
