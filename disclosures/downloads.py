"""Downloads of a published report: rendered once, kept in storage, re-rendered on a correction.

A file is keyed by the report, the format and the table; it carries the fingerprint of everything
the document shows and of what prints it: the template's definition (tables, labels, notes) and
the renderers' own code, templates and style sheets. When staff correct a figure, or a developer
edits a definition or a renderer, the fingerprint changes and the next download renders the file
anew and replaces the stored one. There is no version number to bump by hand.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from performance.models import EVALUATION_PRINTED, FUNDING_PRINTED, INDICATOR_PRINTED

from .engine import FilledTable
from .models import RenderedFile
from .renderers import excel, opendata, pdf
from .selectors import ReportDocument
from .services import PROFILE_STAFFING as PROFILE_FIELDS

# What prints a download besides the data: a change to any of these re-renders stored files.
RENDERER_SOURCES = (
    "disclosures/engine.py",
    "disclosures/units.py",
    "disclosures/renderers/*.py",
    "disclosures/templatetags/figures.py",
    "templates/disclosures/_table.html",
    "templates/disclosures/_text_items.html",
    "templates/disclosures/pdf/*.html",
    "static/css/pdf.css",
    "static/css/widths.css",
)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}

Renderer = Callable[[ReportDocument, list[FilledTable]], bytes]
RENDERERS: dict[str, Renderer] = {
    "pdf": lambda doc, tables: pdf.pdf_from_html(
        pdf.document_html(doc, None if tables is doc.tables else tables)
    ),
    # The whole report's workbook carries a sheet per self-evaluation; a table's, only the table.
    "xlsx": lambda doc, tables: excel.workbook(doc, tables, evaluations=tables is doc.tables),
    "csv": opendata.tables_csv,
    "json": opendata.tables_json,
}


@cache
def renderer_fingerprint() -> str:
    """A hash of the renderers' sources, read once per process (a deploy starts new ones)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for pattern in RENDERER_SOURCES:
        for path in sorted(base.glob(pattern)):
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def document_fingerprint(document: ReportDocument) -> str:
    """A hash of everything a download of this report shows, and of what prints it."""
    department = document.department
    data = document.data
    content = {
        "renderers": renderer_fingerprint(),
        "template": document.template.fingerprint,
        "report": [document.report.year, document.report.unit, document.template.key],
        "department": [
            department.code,
            department.name,
            department.nature,
            department.region.name,
        ],
        "profile": [
            repr(getattr(document.profile, name)) for name in ("organisation", *PROFILE_FIELDS)
        ],
        "duties": [[d.number, d.text] for d in document.duties],
        "units": [document.internal_units, document.subordinate_units],
        "facts": sorted(map(repr, data.facts)),
        "economic": sorted(map(repr, data.economic_facts)),
        "figures": sorted((k, repr(v)) for k, v in data.figures.items()),
        "printed": sorted((k, repr(v)) for k, v in data.printed.items()),
        "names": sorted(data.names.items()),
        "codes": [repr(data.functional_codes), repr(data.economic_codes)],
        "sections": [
            [s.part, s.order, s.heading, s.body] for s in document.explanation + document.glossary
        ],
        "evaluations": [
            [repr(getattr(ev.evaluation, name)) for name in EVALUATION_PRINTED]
            + [[repr(getattr(f, name)) for name in FUNDING_PRINTED] for f in ev.funding.all()]
            + [
                [i.order] + [repr(getattr(i, name)) for name in INDICATOR_PRINTED]
                for i in ev.indicators.all()
            ]
            for ev in document.evaluations
        ],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Download:
    content: bytes
    filename: str
    content_type: str
    rendered: bool  # rendered for this request, rather than served from storage


def download_filename(document: ReportDocument, fmt: str, table: FilledTable | None) -> str:
    base = f"{document.department.name}{document.report.year}年度部门决算"
    if table is not None:
        base = f"{document.department.name}{document.report.year}年度{table.caption}{table.title}"
    if document.report.revision > 1:
        base += f"（更正第{document.report.revision}版）"
    return f"{base}.{fmt}"


def content_disposition(filename: str, ascii_fallback: str) -> str:
    """RFC 6266 with an RFC 5987 UTF-8 name, and a plain ASCII name for old clients."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


def report_download(
    *, document: ReportDocument, fmt: str, table: FilledTable | None = None
) -> Download:
    """The file for a published report (or one of its tables), from storage when still current."""
    tables = document.tables if table is None else [table]
    number = "" if table is None else table.number
    fingerprint = document_fingerprint(document)
    stored = RenderedFile.objects.filter(report=document.report, format=fmt, table=number).first()
    if (
        stored
        and stored.fingerprint == fingerprint
        and stored.file.storage.exists(stored.file.name)
    ):
        with stored.file.open("rb") as f:
            content = f.read()
        rendered = False
    else:
        content = RENDERERS[fmt](document, tables)
        _store(document, fmt, number, fingerprint, content, stored)
        rendered = True
    return Download(content, download_filename(document, fmt, table), CONTENT_TYPES[fmt], rendered)


def draft_download(
    *, document: ReportDocument, fmt: str, table: FilledTable | None = None
) -> Download:
    """A file of a report not yet published (the staff preview): rendered each time, never kept."""
    tables = document.tables if table is None else [table]
    content = RENDERERS[fmt](document, tables)
    return Download(content, download_filename(document, fmt, table), CONTENT_TYPES[fmt], True)


@transaction.atomic
def _store(document, fmt, number, fingerprint, content, stored: RenderedFile | None) -> None:
    old_name = stored.file.name if stored else None
    record = stored or RenderedFile(report=document.report, format=fmt, table=number)
    record.fingerprint = fingerprint
    record.size = len(content)
    name = f"{document.department.code}-{document.report.year}-{number or 'report'}.{fmt}"
    record.file.save(name, ContentFile(content), save=False)
    record.save()
    if old_name and old_name != record.file.name:
        record.file.storage.delete(old_name)
