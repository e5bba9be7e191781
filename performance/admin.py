from django.contrib import admin

from disclosures.admin import ReportScoped

from .models import OUTLINE, Evaluation, Funding, Indicator


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(ReportScoped):
    list_display = ["name", "report", "kind", "budget", "executed", "score", "grade"]
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
    list_display = ["evaluation", "order", "source", "budget", "executed"]
    list_filter = ["evaluation__report__year"]
    search_fields = ["source", "evaluation__name"]
    list_select_related = ["evaluation"]
