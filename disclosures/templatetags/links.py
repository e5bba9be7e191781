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
    # A page read at a revision's own address (…/r1/) links to that revision's files.
    pinned = [report.revision] if context.get("pinned") else []
    suffix = "_rev" if pinned else ""
    if number:
        return reverse(
            f"disclosures:table_file{suffix}", args=[code, report.year, *pinned, number, fmt]
        )
    return reverse(f"disclosures:report_file{suffix}", args=[code, report.year, *pinned, fmt])


@register.simple_tag(takes_context=True)
def table_url(context, number: str) -> str:
    """A table on its own page; in a preview, its place on the previewed report."""
    if context.get("preview"):
        return f"#table-{number}"
    return report_url(context, "table", number)


@register.simple_tag(takes_context=True)
def report_url(context, name: str = "report", *args) -> str:
    """The report page (or table page `args`) at the address the reader came by: the permalink,
    or the revision's own."""
    report = context["report"]
    if context.get("pinned"):
        return reverse(
            f"disclosures:{name}_rev",
            args=[report.department.code, report.year, report.revision, *args],
        )
    return reverse(f"disclosures:{name}", args=[report.department.code, report.year, *args])
