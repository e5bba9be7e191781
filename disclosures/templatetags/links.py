"""Links to a report's files and tables: the public ones, or the staff preview's for a draft."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def file_url(context, fmt: str, number: str = "") -> str:
    """A download of the whole report (or of table `number`) in `fmt`."""
    report = context["report"]
    if context.get("preview"):
        if number:
            return reverse(
                "admin:disclosures_report_preview_table_file", args=[report.pk, number, fmt]
            )
        return reverse("admin:disclosures_report_preview_file", args=[report.pk, fmt])
    code = report.department.code
    if number:
        return reverse("disclosures:table_file", args=[code, report.year, number, fmt])
    return reverse("disclosures:report_file", args=[code, report.year, fmt])


@register.simple_tag(takes_context=True)
def table_url(context, number: str) -> str:
    """A table on its own page; in a preview, its place on the previewed report."""
    report = context["report"]
    if context.get("preview"):
        return f"#table-{number}"
    return reverse("disclosures:table", args=[report.department.code, report.year, number])
