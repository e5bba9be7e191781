"""The staff side: the Django admin, with every permission taken from the user's role.

系统管理员 manage users, regions, departments, code lists and see the raw data (facts, figures,
printed cells, stored files). Fillers and reviewers work on reports: the report admin lists what
`accounts.selectors.reports_for` allows, and its pages (entry forms, import, checks, preview) ask
`report_may` before anything is shown or written.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html_join

from accounts.selectors import (
    Action,
    departments_for,
    is_staff_user,
    is_system_admin,
    may_create_reports,
    may_start_next_year,
    report_may,
    reports_editable_by,
    reports_for,
)

from .display import kept_text, money_text
from .models import (
    ChangeRecord,
    ClassificationCode,
    Department,
    Duty,
    EconomicFact,
    Fact,
    GlossaryEntry,
    ImportBatch,
    OrgUnit,
    PrintedCell,
    PrintedName,
    Region,
    RenderedFile,
    Report,
    ReportFigures,
    ReportProfile,
    ReportRow,
    ReportSection,
)
from .records import (
    conflict,
    conflict_refusal,
    form_changes,
    formset_changes,
    record,
    record_changes,
    report_lock,
)
from .selectors import code_list_notice, code_list_years, report_template
from .services import code_list_carry_forward, glossary_start

admin.site.site_header = "部门决算公开 管理后台"
admin.site.site_title = "部门决算公开"
admin.site.index_title = "数据管理"


def yes_no(field: str, label: str):
    """A boolean column as 是 / 否: Django's icons carry English alternative text."""

    @admin.display(description=label, ordering=field)
    def column(obj) -> str:
        return "是" if getattr(obj, field) else "否"

    column.__name__ = f"{field}_display"
    return column


def money_column(field: str, label: str):
    """An amount column as the tables print it ("1,234.50"): the admin's own shows "1234.50"."""

    @admin.display(description=label, ordering=field)
    def column(obj) -> str:
        return money_text(getattr(obj, field))

    column.__name__ = f"{field}_display"
    return column


class SystemAdminOnly(admin.ModelAdmin):
    """Models only a 系统管理员 manages or sees: the permission is the role, nothing else."""

    def has_module_permission(self, request):
        return is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def has_add_permission(self, request):
        return is_system_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_system_admin(request.user)


@admin.register(Region)
class RegionAdmin(SystemAdminOnly):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(SystemAdminOnly):
    list_display = ["code", "name", "nature", "supervisor", "region"]
    list_filter = ["nature", "region"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["supervisor", "region"]


@admin.register(ClassificationCode)
class ClassificationCodeAdmin(SystemAdminOnly):
    """A year's lists: imported from a spreadsheet, or made from another year's (以某年为基础)
    and carried until confirmed (确认沿用) or replaced by an import."""

    list_display = [
        "year",
        "kind",
        "code",
        "name",
        "level",
        "group",
        yes_no("basic_applicable", "适用基本支出"),
        "carried_from",
    ]
    list_filter = ["year", "kind", "level", "group", "basic_applicable", "carried_from"]
    search_fields = ["code", "name"]
    # The mark changes only by 确认沿用 or an import, both recorded.
    readonly_fields = ["carried_from"]
    change_list_template = "admin/disclosures/classificationcode/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "code_list_years": code_list_years()}
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        from django.urls import path

        from . import staff_views

        def bind(view):
            return self.admin_site.admin_view(
                lambda request: view(request, admin_site=self.admin_site)
            )

        urls = [
            path(
                "import/",
                bind(staff_views.code_list_import),
                name="disclosures_classificationcode_import",
            ),
            path(
                "create-from/",
                bind(staff_views.code_list_create_from),
                name="disclosures_classificationcode_create_from",
            ),
            path(
                "confirm/",
                bind(staff_views.code_list_confirm),
                name="disclosures_classificationcode_confirm",
            ),
        ]
        return urls + super().get_urls()


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(SystemAdminOnly):
    list_display = ["year", "order", "heading"]
    list_filter = ["year"]
    search_fields = ["heading", "body"]


# ---------------------------------------------------------------------------------------------
# Every admin write to a report's content is recorded (who, when, each field old → new).


class RecordedAdmin(admin.ModelAdmin):
    """Records each save and delete of a report's row in the report's ChangeRecord. A change form
    carries the report's version it was rendered on (`report_version`): a form posted after
    someone else saved the report is refused with what they changed, the report locked for the
    check, so a stale form never overwrites the first save."""

    report_path = "report"
    change_form_template = "admin/disclosures/recorded_change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["report_version"] = self._report(obj).version
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or not obj.pk:
            return form
        report = self._report(obj)

        class Versioned(form):
            def clean(self):
                data = super().clean()
                # The admin's change view runs in one transaction: the lock holds to its end.
                report_lock(report)
                others = conflict(report, self.data.get("report_version"))
                if others:
                    raise ValidationError(conflict_refusal(others), code="stale")
                return data

        return Versioned

    def _report(self, obj) -> Report:
        for part in self.report_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def _record(self, request, obj, summary: str, changes: list) -> None:
        record_changes(
            report=self._report(obj),
            user=request.user,
            action="admin",
            summary=f"{summary}{obj._meta.verbose_name}：{obj}"[:255],
            changes=changes,
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._record(request, obj, "后台修改" if change else "后台新增", form_changes(form))

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record(request, obj, "后台删除", [[str(obj._meta.verbose_name), str(obj), None]])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        changes = formset_changes(formset, str(formset.model._meta.verbose_name))
        super().save_formset(request, form, formset, change)
        self._record(request, form.instance, "后台修改", changes)


# ---------------------------------------------------------------------------------------------
# Raw data: the facts behind the tables, for a system admin to inspect and repair (a draft's
# only: a published revision is never changed).


class RawReportData(RecordedAdmin, SystemAdminOnly):
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]

    def has_change_permission(self, request, obj=None):
        draft = obj is None or self._report(obj).status == Report.Status.DRAFT
        return super().has_change_permission(request, obj) and draft

    def has_delete_permission(self, request, obj=None):
        draft = obj is None or self._report(obj).status == Report.Status.DRAFT
        return super().has_delete_permission(request, obj) and draft

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "report":
            kwargs["queryset"] = Report.objects.filter(status=Report.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Fact)
class FactAdmin(RawReportData):
    list_display = ["report", "measure", "code", "source", "nature", money_column("amount", "金额")]
    list_filter = ["measure", "source", "nature", "report__year"]
    search_fields = ["code", "report__department__name", "report__department__code"]


@admin.register(EconomicFact)
class EconomicFactAdmin(RawReportData):
    list_display = ["report", "code", "nature", money_column("amount", "金额")]
    list_filter = ["nature", "report__year"]
    search_fields = ["code", "report__department__name", "report__department__code"]


@admin.register(ReportFigures)
class ReportFiguresAdmin(RawReportData):
    list_display = [
        "report",
        money_column("admin_cost_admin_units", "机关运行经费：行政单位"),
        "vehicles_other",
        "equipment_over_1m",
    ]
    list_filter = ["report__year"]
    search_fields = ["report__department__name", "report__department__code"]


@admin.register(ReportProfile)
class ReportProfileAdmin(RawReportData):
    list_display = ["report", "actual_total", "independent_accounting_units"]
    list_filter = ["report__year"]
    search_fields = ["report__department__name", "report__department__code"]


@admin.register(Duty)
class DutyAdmin(RawReportData):
    list_display = ["report", "number", "text"]
    list_filter = ["report__year"]
    search_fields = ["text", "report__department__name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(RawReportData):
    list_display = ["report", "kind", "name", "order"]
    list_filter = ["kind", "report__year"]
    search_fields = ["name", "report__department__name"]


@admin.register(ReportSection)
class ReportSectionAdmin(RawReportData):
    list_display = ["report", "part", "order", "heading"]
    list_filter = ["part", "report__year"]
    search_fields = ["heading", "body", "report__department__name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(RawReportData):
    """Uploaded workbooks and what they changed: a record, not something to edit."""

    list_display = ["report", "filename", "status", "user", "created_at"]
    list_filter = ["status", "report__year"]
    search_fields = ["filename", "report__department__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportRow)
class ReportRowAdmin(RawReportData):
    list_display = ["report", "code"]
    list_filter = ["report__year"]
    search_fields = ["code", "report__department__name"]


@admin.register(PrintedCell)
class PrintedCellAdmin(RawReportData):
    list_display = ["report", "table", "row", "column", money_column("value", "印制数")]
    list_filter = ["table", "report__year"]
    search_fields = ["row", "report__department__name", "report__department__code"]


@admin.register(PrintedName)
class PrintedNameAdmin(RawReportData):
    list_display = ["report", "kind", "code", "name"]
    list_filter = ["kind", "report__year"]
    search_fields = ["code", "name", "report__department__name"]


@admin.register(RenderedFile)
class RenderedFileAdmin(SystemAdminOnly):
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]
    list_display = ["report", "format", "table", "size", "rendered_at"]
    list_filter = ["format", "report__year"]
    search_fields = ["report__department__name", "report__department__code", "table"]
    readonly_fields = ["fingerprint", "size", "rendered_at"]


# ---------------------------------------------------------------------------------------------
# Reports: what each role may see and do, from one service.


class ReportScoped(RecordedAdmin):
    """A model that belongs to a report: visible and editable as its report is (`report_may`)."""

    report_path = "report"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{f"{self.report_path}__in": reports_for(request.user)})
        )

    def has_module_permission(self, request):
        return is_staff_user(request.user) and reports_for(request.user).exists()

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return report_may(request.user, self._report(obj), Action.VIEW)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return is_system_admin(request.user) or may_create_reports(request.user)
        return report_may(request.user, self._report(obj), Action.EDIT)

    def has_add_permission(self, request):
        return may_create_reports(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) if obj is not None else False

    def editable_reports(self, request):
        """The reports the user may write to (a draft of their own, for a filler)."""
        return reports_editable_by(request.user)


@admin.register(Report)
class ReportAdmin(ReportScoped):
    report_path = "pk"
    list_display = [
        "department",
        "year",
        "revision",
        "template",
        "status",
        "check_errors",
        "check_warnings",
        "unit",
        "published_at",
    ]
    list_filter = ["status", "year", "template", "unit", "department__region"]
    search_fields = ["department__name", "department__code"]
    list_select_related = ["department"]
    # The state changes only through the review (提交, 审核, 退回, 公开, 更正): the 流程 page.
    fields = ["department", "year", "revision", "template", "unit", "status", "published_at"]
    readonly_fields = ["revision", "status", "published_at"]

    def get_autocomplete_fields(self, request):
        # A system admin picks from every department; a filler from the few of their own.
        return ["department"] if is_system_admin(request.user) else []

    def _report(self, obj) -> Report:
        return obj

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request).filter(pk__in=reports_for(request.user))

    def get_readonly_fields(self, request, obj=None):
        # A saved report keeps its department and year.
        readonly = list(self.readonly_fields)
        if obj is not None:
            readonly += ["department_name", "year"]
        return readonly

    def get_fields(self, request, obj=None):
        # Shown by name, not as the admin's link to the department, which only a system admin
        # may open.
        fields = super().get_fields(request, obj)
        return [("department_name" if f == "department" else f) for f in fields] if obj else fields

    @admin.display(description="部门")
    def department_name(self, obj) -> str:
        return str(obj.department)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = departments_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return is_system_admin(request.user) and (obj is None or obj.status == "draft")

    change_form_template = "admin/disclosures/report/change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_start_next_year"] = obj is not None and may_start_next_year(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        from .staff_views import report_urls

        return report_urls(self.admin_site.admin_view, self.admin_site) + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        # The report's history is its full record (each cell old → new), not the admin's log.
        return redirect(reverse("admin:disclosures_report_records", args=[object_id]))

    def save_model(self, request, obj, form, change):
        # A report saved without a template gets the set its region and year call for.
        obj.template = obj.template or report_template(obj).key
        with transaction.atomic():
            admin.ModelAdmin.save_model(self, request, obj, form, change)
            ReportFigures.objects.get_or_create(report=obj)
            ReportProfile.objects.get_or_create(report=obj)
            if change:
                self._record(request, obj, "后台修改", form_changes(form))
            else:
                code_list_carry_forward(year=obj.year, user=request.user)
                glossary_start(report=obj)  # as every other way of starting a report
                record(report=obj, user=request.user, action="create", summary="新建报告")
        notice = "" if change else code_list_notice(year=obj.year)
        if notice:
            messages.warning(request, notice)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """The record of every write and review step: read by whoever may read the report, and
    changed or deleted by nobody."""

    list_display = ["at", "report_label", "username", "action", "summary"]
    list_filter = ["action", "report__year"]
    search_fields = ["report_label", "username", "summary"]
    list_select_related = ["report"]
    # The user by name (the account's page is a system admin's), as the record keeps it; the
    # changes as `changes_shown`.
    fields = readonly_fields = [
        "at",
        "report",
        "report_label",
        "username",
        "action",
        "summary",
        "changes_shown",
        "note",
        "version",
    ]

    @admin.display(description="变动")
    def changes_shown(self, obj) -> str:
        """Each cell or field, old → new, amounts as the tables print them."""
        return format_html_join(
            "",
            "<p>{}：{} → {}</p>",
            (
                (place, kept_text(old) or "（空）", kept_text(new) or "（空）")
                for place, old, new in obj.changes
            ),
        )

    def get_queryset(self, request):
        records = super().get_queryset(request)
        if is_system_admin(request.user):
            return records
        return records.filter(report__in=reports_for(request.user))

    def has_module_permission(self, request):
        return is_staff_user(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None or is_system_admin(request.user):
            return is_staff_user(request.user)
        return obj.report is not None and report_may(request.user, obj.report, Action.VIEW)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
