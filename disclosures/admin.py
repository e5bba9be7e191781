from django.contrib import admin

from .models import (
    ClassificationCode,
    Department,
    Duty,
    EconomicFact,
    Fact,
    OrgUnit,
    PrintedCell,
    PrintedName,
    Region,
    RenderedFile,
    Report,
    ReportFigures,
    ReportSection,
)
from .selectors import report_template

admin.site.site_header = "部门决算公开 管理后台"
admin.site.site_title = "部门决算公开"
admin.site.index_title = "数据管理"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]


class DutyInline(admin.TabularInline):
    model = Duty
    extra = 0


class OrgUnitInline(admin.TabularInline):
    model = OrgUnit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "nature", "supervisor", "region", "actual_total"]
    list_filter = ["nature", "region"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["supervisor", "region"]
    inlines = [DutyInline, OrgUnitInline]
    fieldsets = [
        (None, {"fields": ["region", "code", "name", "supervisor", "nature"]}),
        (
            "编制与人员",
            {
                "fields": [
                    ("admin_quota", "service_quota", "institution_quota"),
                    ("actual_total", "actual_admin", "actual_institution"),
                    "independent_accounting_units",
                ]
            },
        ),
    ]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["department", "number", "text"]
    list_filter = ["department"]
    search_fields = ["text", "department__name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["department", "kind", "name", "order"]
    list_filter = ["kind", "department"]
    search_fields = ["name", "department__name"]


@admin.register(ClassificationCode)
class ClassificationCodeAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "code", "name", "level", "group", "basic_applicable"]
    list_filter = ["year", "kind", "level", "group", "basic_applicable"]
    search_fields = ["code", "name"]


class FactInline(admin.TabularInline):
    model = Fact
    extra = 0


class EconomicFactInline(admin.TabularInline):
    model = EconomicFact
    extra = 0


class FiguresInline(admin.StackedInline):
    model = ReportFigures
    can_delete = False


class SectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0


class PrintedCellInline(admin.TabularInline):
    model = PrintedCell
    extra = 0


class PrintedNameInline(admin.TabularInline):
    model = PrintedName
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["department", "year", "template", "status", "unit", "published_at"]
    list_filter = ["status", "year", "template", "unit", "department__region"]
    search_fields = ["department__name", "department__code"]
    autocomplete_fields = ["department"]
    list_select_related = ["department"]
    inlines = [
        FiguresInline,
        FactInline,
        EconomicFactInline,
        SectionInline,
        PrintedNameInline,
        PrintedCellInline,
    ]

    def save_model(self, request, obj, form, change):
        # A report saved without a template gets the set its region and year call for.
        obj.template = obj.template or report_template(obj).key
        super().save_model(request, obj, form, change)


@admin.register(PrintedCell)
class PrintedCellAdmin(admin.ModelAdmin):
    list_display = ["report", "table", "row", "column", "value"]
    list_filter = ["table", "report__year"]
    search_fields = ["row", "report__department__name", "report__department__code"]
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]


@admin.register(PrintedName)
class PrintedNameAdmin(admin.ModelAdmin):
    list_display = ["report", "kind", "code", "name"]
    list_filter = ["kind", "report__year"]
    search_fields = ["code", "name", "report__department__name"]
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ["report", "measure", "code", "source", "nature", "amount"]
    list_filter = ["measure", "source", "nature", "report__year"]
    search_fields = ["code", "report__department__name", "report__department__code"]
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]


@admin.register(EconomicFact)
class EconomicFactAdmin(admin.ModelAdmin):
    list_display = ["report", "code", "nature", "amount"]
    list_filter = ["nature", "report__year"]
    search_fields = ["code", "report__department__name", "report__department__code"]
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]


@admin.register(ReportFigures)
class ReportFiguresAdmin(admin.ModelAdmin):
    list_display = ["report", "admin_cost_admin_units", "vehicles_other", "equipment_over_1m"]
    list_filter = ["report__year"]
    search_fields = ["report__department__name", "report__department__code"]
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ["report", "part", "order", "heading"]
    list_filter = ["part", "report__year"]
    search_fields = ["heading", "body", "report__department__name"]
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]


@admin.register(RenderedFile)
class RenderedFileAdmin(admin.ModelAdmin):
    list_display = ["report", "format", "table", "size", "rendered_at"]
    list_filter = ["format", "report__year"]
    search_fields = ["report__department__name", "report__department__code", "table"]
    list_select_related = ["report__department"]
    readonly_fields = ["fingerprint", "size", "rendered_at"]
