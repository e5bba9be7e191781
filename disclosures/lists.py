"""The staff lists served by django-tables2 (the official tables have their own renderer)."""

import copy

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .models import Department, Report
from .selectors import PUBLICATION_DAYS, publication_overdue

# The most rows a list shows on one page, whatever `?per_page=` asks: a page of 100,000 search
# results took 54 times the server time of a normal one and weighed 2.9 MB.
MAX_PER_PAGE = 100


class RequestConfig(tables.RequestConfig):
    """django-tables2's RequestConfig, with the page size a request may ask for (`?per_page=`)
    kept between 1 and MAX_PER_PAGE: the library takes any integer, and a negative one is an
    exception (a 500) deep in the paginator."""

    def configure(self, table):
        name = table.prefixed_per_page_field
        asked = self.request.GET.get(name)
        if asked is None:
            return super().configure(table)
        query = self.request.GET.copy()
        try:
            query[name] = str(min(max(int(asked), 1), MAX_PER_PAGE))
        except ValueError:
            del query[name]
        real, self.request = self.request, copy.copy(self.request)
        self.request.GET = query
        try:
            super().configure(table)
        finally:
            self.request = real
        table.request = real  # links and sorting keep the address as the reader typed it
        return table


class DashboardTable(tables.Table):
    department = tables.Column(verbose_name="部门", order_by=("department__code",), linkify=False)
    year = tables.Column(verbose_name="年度")
    revision = tables.Column(verbose_name="版次")
    status = tables.Column(verbose_name="状态")
    check_errors = tables.Column(verbose_name="错误")
    check_warnings = tables.Column(verbose_name="警告")
    submitted_at = tables.DateTimeColumn(verbose_name="提交时间", format="Y-m-d H:i")
    approved_at = tables.DateTimeColumn(verbose_name="审核通过", format="Y-m-d H:i")
    published_at = tables.DateTimeColumn(verbose_name="公开时间", format="Y-m-d H:i")

    class Meta:
        model = Report
        fields = ()
        sequence = (
            "department",
            "year",
            "revision",
            "status",
            "check_errors",
            "check_warnings",
            "submitted_at",
            "approved_at",
            "published_at",
        )
        attrs = {"class": "dashboard"}
        empty_text = "没有符合条件的报告。"
        row_attrs = {
            "class": lambda record: (
                "overdue"
                if publication_overdue(record)
                else "returned"
                if record.status == Report.Status.DRAFT and record.returned_reason
                else ""
            )
        }

    def render_department(self, record: Report) -> str:
        url = reverse("admin:disclosures_report_workflow", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.department.name)

    def render_status(self, record: Report) -> str:
        if publication_overdue(record):
            days = (timezone.now() - record.approved_at).days
            return format_html(
                '{} <strong class="overdue-note">已审核 {} 天未公开（应在{}天内公开）</strong>',
                record.get_status_display(),
                days,
                PUBLICATION_DAYS,
            )
        if record.status == Report.Status.DRAFT and record.returned_reason:
            return format_html(
                '<strong class="returned-note">已退回</strong>（{}）',
                record.returned_reason,
            )
        return record.get_status_display()


def marked(link: str, department: Department) -> str:
    """A link to a department's page or report, marked 合成数据 when the department is synthetic
    (as templates/disclosures/_synthetic.html marks it on the pages)."""
    if department.synthetic:
        return format_html('{} <span class="synthetic-badge">合成数据</span>', link)
    return link


class PublicReportTable(tables.Table):
    """Search results on the public site: one published report a row, sortable, paginated."""

    department = tables.Column(
        verbose_name="部门（单位）", accessor="department__name", order_by=("department__name",)
    )
    year = tables.Column(verbose_name="年度", order_by=("year", "department__code"))
    code = tables.Column(
        verbose_name="单位编码", accessor="department__code", order_by=("department__code",)
    )
    region = tables.Column(
        verbose_name="地区",
        accessor="department__region__name",
        orderable=False,
        attrs={"td": {"class": "nowrap"}},
    )

    class Meta:
        model = Report
        fields = ()
        sequence = ("department", "year", "code", "region")
        attrs = {"class": "results"}
        empty_text = "没有找到符合条件的公开报告。请换一个关键词，或选择“全部年度”。"
        order_by = ("-year",)

    def render_department(self, record: Report) -> str:
        url = reverse("disclosures:report", args=[record.department.code, record.year])
        link = format_html(
            '<a href="{}">{} {}年度部门决算</a>', url, record.department.name, record.year
        )
        return marked(link, record.department)

    def render_year(self, value: int) -> str:
        return f"{value}年"


class DepartmentTable(tables.Table):
    """A region's departments on the public site, paginated."""

    name = tables.Column(verbose_name="部门（单位）")
    code = tables.Column(verbose_name="单位编码")
    nature = tables.Column(verbose_name="单位性质")
    latest_year = tables.Column(verbose_name="最新公开年度", orderable=False)

    class Meta:
        model = Department
        fields = ()
        sequence = ("name", "code", "nature", "latest_year")
        attrs = {"class": "results"}
        empty_text = "该地区没有直属的公开单位，请查看下级地区。"

    def render_name(self, record: Department) -> str:
        url = reverse("disclosures:department", args=[record.code])
        return marked(format_html('<a href="{}">{}</a>', url, record.name), record)

    def render_latest_year(self, record: Department, value: int) -> str:
        url = reverse("disclosures:report", args=[record.code, value])
        return format_html('<a href="{}">{}年度</a>', url, value)
