"""Downloads of a published report: rendered once, kept in storage, re-rendered on a correction.

A file is keyed by the report, the format and the table; it carries the fingerprint of everything
the document shows and of what prints it: the template's definition (tables, labels, notes) and
the renderers' own code, templates and style sheets. When staff correct a figure, or a developer
edits a definition or a renderer, the fingerprint changes and the next download renders the file
anew and replaces the stored one. There is no version number to bump by hand.
"""

import hashlib
import io
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from performance.models import EVALUATION_PRINTED, FUNDING_PRINTED, INDICATOR_PRINTED

from .engine import FilledTable
from .models import RenderedFile, Report
from .published import PROXY_SECONDS
from .renderers import excel, opendata, pdf
from .selectors import ReportDocument
from .services import PROFILE_STAFFING as PROFILE_FIELDS

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024

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


def sources_fingerprint(patterns: tuple[str, ...]) -> str:
    """A hash of the project's files matching `patterns` (globs under BASE_DIR): names and bytes."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for pattern in patterns:
        for path in sorted(base.glob(pattern)):
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def renderer_fingerprint() -> str:
    """A hash of the renderers' sources, read once per process (a deploy starts new ones)."""
    return sources_fingerprint(RENDERER_SOURCES)


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
            department.synthetic,
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
    """A file ready to send: its bytes as a stream (the stored file, opened and verified, or
    the bytes just rendered) and what the response says of it."""

    stream: BinaryIO
    size: int
    filename: str
    content_type: str
    rendered: bool  # rendered for this request, rather than served from storage
    sha256: str = ""  # the published file's hash: its ETag
    modified: datetime | None = None  # when the published file was rendered: Last-Modified

    @property
    def content(self) -> bytes:
        """The whole file (for the staff side and tests; the public views stream it)."""
        self.stream.seek(0)
        return self.stream.read()

    def response(self, ascii_name: str, request: HttpRequest | None = None) -> HttpResponse:
        """Streams the file: never read whole into the response. A published file carries its
        hash as ETag and its rendering time as Last-Modified, so a reader (or a proxy) that has
        it already is answered 304 with no body."""
        validators = {}
        if self.sha256:
            validators["etag"] = f'"{self.sha256}"'
        if self.modified is not None:
            validators["last_modified"] = int(self.modified.timestamp())
        response = None
        if request is not None and validators:
            response = get_conditional_response(request, **validators)
        if response is not None:
            self.stream.close()
        else:
            self.stream.seek(0)
            response = FileResponse(self.stream, content_type=self.content_type)
            response["Content-Disposition"] = content_disposition(self.filename, ascii_name)
            response["Content-Length"] = str(self.size)
        if "etag" in validators:
            response["ETag"] = validators["etag"]
        if "last_modified" in validators:
            response["Last-Modified"] = http_date(validators["last_modified"])
            patch_cache_control(response, public=True, max_age=PROXY_SECONDS)
        return response


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


def stored_download(
    *, code: str, year: int, revision: int | None, fmt: str, table: str, stamp: str
) -> tuple[Download, int] | None:
    """The stored file of a published report (and the report's revision), when it was last
    found current under this stamp (disclosures.published) and is still whole: served without
    filling the tables. None otherwise, and the caller takes the full path (`report_download`)."""
    reports = Report.objects.filter(
        department__code=code, year=year, status=Report.Status.PUBLISHED
    )
    if revision is not None:
        reports = reports.filter(revision=revision)
    report = reports.order_by("-revision").only("pk", "revision").first()
    if report is None:
        return None
    record = RenderedFile.objects.filter(
        report=report, format=fmt, table=table, stamp=stamp
    ).first()
    if record is None or not record.filename:
        return None
    stream = _current(record, record.fingerprint)
    if stream is None:
        return None
    return _stored_download(record, stream, record.filename), report.revision


def report_download(
    *,
    document: ReportDocument,
    fmt: str,
    table: FilledTable | None = None,
    stamp: str = "",
) -> Download:
    """The file for a published report (or one of its tables): from storage when it is current
    and whole, else rendered once however many readers ask at the same time, stored and served.

    A stored file is served only when its fingerprint is current and its bytes still have the
    size and SHA-256 recorded when it was written; otherwise it is rendered again. Concurrent
    first requests queue on a lock (a thread lock in the process, the file's row locked in the
    database across processes) and all but the first find the file the first one stored. When
    storage cannot be written, the rendered bytes are still served and the failure is logged."""
    number = "" if table is None else table.number
    fingerprint = document_fingerprint(document)
    filename = download_filename(document, fmt, table)
    key = (document.report.pk, fmt, number)
    record = RenderedFile.objects.filter(report=document.report, format=fmt, table=number).first()
    stored = _current(record, fingerprint)
    if stored is not None:
        _restamp(record, stamp, filename)
        return _stored_download(record, stored, filename)
    with _process_lock(key), transaction.atomic():
        record = _locked_record(document, fmt, number)
        stored = _current(record, fingerprint)
        if stored is not None:
            return _stored_download(record, stored, filename)
        content = RENDERERS[fmt](document, document.tables if table is None else [table])
        modified = timezone.now()
        try:
            with transaction.atomic():
                record.stamp, record.filename = stamp, filename
                _store(record, document, number, fingerprint, content)
            modified = record.rendered_at
        except Exception:
            logger.exception("下载文件无法写入存储，已直接发送本次生成的文件：%s %s %s", *key)
    return Download(
        io.BytesIO(content),
        len(content),
        filename,
        CONTENT_TYPES[fmt],
        rendered=True,
        sha256=hashlib.sha256(content).hexdigest(),
        modified=modified,
    )


def _restamp(record: RenderedFile, stamp: str, filename: str) -> None:
    """Notes that the stored file is current under this stamp (the next request's fast path)."""
    if stamp and (record.stamp, record.filename) != (stamp, filename):
        RenderedFile.objects.filter(pk=record.pk).update(stamp=stamp, filename=filename)


def _stored_download(record: RenderedFile, stream: BinaryIO, filename: str) -> Download:
    return Download(
        stream,
        record.size,
        filename,
        CONTENT_TYPES[record.format],
        rendered=False,
        sha256=record.sha256,
        modified=record.rendered_at,
    )


def _current(record: RenderedFile | None, fingerprint: str) -> BinaryIO | None:
    """The stored file, opened at its start, if it is current and whole; else None."""
    if record is None or record.fingerprint != fingerprint or not record.file.name:
        return None
    try:
        stream = record.file.storage.open(record.file.name, "rb")
    except OSError:
        return None
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    if size != record.size or (record.sha256 and digest.hexdigest() != record.sha256):
        stream.close()
        logger.warning(
            "已存储的下载文件与记录不符（%s 字节，应为 %s），重新生成：%s",
            size,
            record.size,
            record.file.name,
        )
        return None
    stream.seek(0)
    return stream


_locks: dict[tuple, threading.Lock] = {}
_locks_guard = threading.Lock()


def _process_lock(key: tuple) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _locked_record(document: ReportDocument, fmt: str, number: str) -> RenderedFile:
    """The file's row, created if need be and locked until the transaction ends: the database's
    unique constraint makes the second creator wait for the first and then find its row."""
    record, _ = RenderedFile.objects.get_or_create(
        report=document.report, format=fmt, table=number, defaults={"fingerprint": ""}
    )
    return RenderedFile.objects.select_for_update().get(pk=record.pk)


def draft_download(
    *, document: ReportDocument, fmt: str, table: FilledTable | None = None
) -> Download:
    """A file of a report not yet published (the staff preview): rendered each time, never kept."""
    tables = document.tables if table is None else [table]
    content = RENDERERS[fmt](document, tables)
    filename = download_filename(document, fmt, table)
    return Download(io.BytesIO(content), len(content), filename, CONTENT_TYPES[fmt], rendered=True)


def _store(record: RenderedFile, document, number, fingerprint, content: bytes) -> None:
    """Writes the file under a new name, then points the row at it and removes the old one; a
    failure leaves no new file behind."""
    old_name = record.file.name
    name = f"{document.department.code}-{document.report.year}-{number or 'report'}.{record.format}"
    record.file.save(name, ContentFile(content), save=False)
    try:
        record.fingerprint = fingerprint
        record.size = len(content)
        record.sha256 = hashlib.sha256(content).hexdigest()
        record.save()
    except Exception:
        record.file.storage.delete(record.file.name)
        raise
    if old_name and old_name != record.file.name:
        try:
            record.file.storage.delete(old_name)
        except OSError:
            logger.warning("旧的下载文件无法删除：%s", old_name)
