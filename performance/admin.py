from django.contrib import admin

from .models import Evaluation, Indicator


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["name", "report", "kind", "budget", "executed", "score", "grade"]
    list_filter = ["kind", "grade", "report__year"]
    search_fields = ["name", "report__department__name", "report__department__code"]
    list_select_related = ["report__department"]
    autocomplete_fields = ["report"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["evaluation", "order", "level1", "level2", "name", "weight", "score"]
    list_filter = ["level1", "level2"]
    search_fields = ["name", "evaluation__name"]
    list_select_related = ["evaluation"]
