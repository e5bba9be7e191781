"""The public list of evaluated projects (django-tables2)."""

from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from disclosures.templatetags.figures import amount, share

from .models import Evaluation


class EvaluationTable(tables.Table):
    year = tables.Column(verbose_name="年度", accessor="report__year")
    department = tables.Column(
        verbose_name="部门",
        accessor="report__department__name",
        order_by="report__department__code",
    )
    region = tables.Column(verbose_name="地区", accessor="report__department__region__name")
    name = tables.Column(verbose_name="项目名称")
    kind = tables.Column(verbose_name="类型")
    budget = tables.Column(verbose_name="全年预算数（元）", attrs={"td": {"class": "amount"}})
    executed = tables.Column(verbose_name="全年执行数（元）", attrs={"td": {"class": "amount"}})
    rate = tables.Column(verbose_name="执行率", default="—", attrs={"td": {"class": "amount"}})
    score = tables.Column(verbose_name="自评得分", attrs={"td": {"class": "amount"}})
    grade = tables.Column(verbose_name="绩效等级", default="—")

    class Meta:
        attrs = {"class": "evaluation-table"}
        empty_text = "没有符合条件的绩效自评。"
        orderable = True

    def render_department(self, record: Evaluation) -> str:
        url = reverse("disclosures:department", args=[record.report.department.code])
        return format_html('<a href="{}">{}</a>', url, record.report.department.name)

    def render_name(self, record: Evaluation) -> str:
        department = record.report.department
        url = reverse("disclosures:report", args=[department.code, record.report.year])
        return format_html('<a href="{}#{}">{}</a>', url, record.anchor, record.name)

    def render_kind(self, record: Evaluation) -> str:
        return "项目" if record.kind == Evaluation.Kind.PROJECT else "部门整体"

    def render_budget(self, value: Decimal) -> str:
        return amount(value)

    def render_executed(self, value: Decimal) -> str:
        return amount(value)

    def render_rate(self, value: Decimal) -> str:
        return share(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))

    def render_score(self, value: Decimal) -> str:
        return f"{value.normalize():f}"
