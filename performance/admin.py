from django.contrib import admin

from accounts.selectors import Action, may_create_reports, report_may
from disclosures.admin import ReportScoped, money_column

from .models import OUTLINE, Evaluation, Funding, Indicator


class EvaluationRowsInline(admin.TabularInline):
    """A self-evaluation's rows in its form: seen and edited as its report is (`report_may`),
    as the form itself is, not by the model permissions the roles leave unset — without this a
    填报人 got the form with no 资金来源 and no 绩效指标 rows."""

    extra = 0

    def _may(self, request, obj, action: Action) -> bool:
        if obj is None:  # a new evaluation: its report is chosen among the user's drafts
            return may_create_reports(request.user)
        return report_may(request.user, obj.report, action)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj, Action.VIEW)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj, Action.EDIT)

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj, Action.EDIT)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj, Action.EDIT)


class FundingInline(EvaluationRowsInline):
    model = Funding


class IndicatorInline(EvaluationRowsInline):
    model = Indicator


@admin.register(Evaluation)
class EvaluationAdmin(ReportScoped):
    list_display = [
        "name",
        "report",
        "kind",
        money_column("budget", "全年预算数"),
        money_column("executed", "全年执行数"),
        "score",
        "grade",
    ]
    list_filter = ["kind", "grade", "report__year"]
    search_fields = ["name", "report__department__name", "report__department__code"]
    list_select_related = ["report__department"]
    inlines = [FundingInline, IndicatorInline]

    class Media:
        # A finding's link (审核) opens this form at the field or indicator row it is about.
        css = {"all": ["css/findings.css"]}
        js = ["js/findings.js"]

    fieldsets = [
        (None, {"fields": ["report", "kind", "order", "name", "grade", "score"]}),
        ("封面", {"fields": ["project_unit", "supervisor", "dated"]}),
        (
            "预算执行情况（合计行）",
            {
                "fields": [
                    "budget",
                    "executed",
                    "execution_rate",
                    "budget_execution_weight",
                    "budget_execution_score",
                ]
            },
        ),
        *((heading, {"fields": list(names)}) for heading, names in OUTLINE),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "report":
            kwargs["queryset"] = self.editable_reports(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EvaluationRowAdmin(ReportScoped):
    """A row of a self-evaluation: chosen among the evaluations of reports the user may edit."""

    report_path = "evaluation__report"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "evaluation":
            kwargs["queryset"] = Evaluation.objects.filter(
                report__in=self.editable_reports(request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Indicator)
class IndicatorAdmin(EvaluationRowAdmin):
    list_display = ["evaluation", "order", "level1", "level2", "name", "weight", "score"]
    list_filter = ["level1", "level2"]
    search_fields = ["name", "evaluation__name"]
    list_select_related = ["evaluation"]


@admin.register(Funding)
class FundingAdmin(EvaluationRowAdmin):
    list_display = [
        "evaluation",
        "order",
        "source",
        money_column("budget", "全年预算数"),
        money_column("executed", "全年执行数"),
    ]
    list_filter = ["evaluation__report__year"]
    search_fields = ["source", "evaluation__name"]
    list_select_related = ["evaluation"]
