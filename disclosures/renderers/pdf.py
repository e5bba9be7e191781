"""The official PDF, rendered by WeasyPrint from the same filled tables the HTML page shows."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from ..engine import FilledTable
from ..fonts import fonts_css
from ..selectors import ReportDocument
from .layout import FUNDING_HEADS, INDICATOR_HEADS
from .weasy import pdf_write

PDF_CSS = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"
WIDTHS_CSS = PDF_CSS.with_name("widths.css")


def document_html(document: ReportDocument, tables: list[FilledTable] | None = None) -> str:
    """The HTML the PDF is made from: the whole report, or only the given tables."""
    chosen = document.tables if tables is None else tables
    title = document.title
    if tables is not None and len(tables) == 1:
        table = tables[0]
        title = (
            f"{document.department.name}{document.report.year}年度 {table.caption} {table.title}"
        )
    return render_to_string(
        "disclosures/pdf/document.html",
        {
            "doc": document,
            "title": title,
            "tables": chosen,
            "font_css": fonts_css(),
            "funding_heads": [h.format(unit=document.report.unit) for h in FUNDING_HEADS],
            "indicator_heads": INDICATOR_HEADS,
            "pdf_css": PDF_CSS.read_text(encoding="utf-8") + WIDTHS_CSS.read_text(encoding="utf-8"),
        },
    )


def pdf_from_html(html: str) -> bytes:
    return pdf_write(html, base_url=str(settings.BASE_DIR))


def report_pdf(document: ReportDocument) -> bytes:
    return pdf_from_html(document_html(document))


def table_pdf(document: ReportDocument, table: FilledTable) -> bytes:
    return pdf_from_html(document_html(document, [table]))
