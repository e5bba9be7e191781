"""The public site: find, read and compare published reports. Drafts are never shown."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .downloads import report_download, stored_download
from .forms import SearchForm
from .lists import DepartmentTable, PublicReportTable, RequestConfig
from .overview import report_charts, year_comparison
from .published import department_stamp

SEARCH_PER_PAGE = 20
REGION_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "disclosures/home.html",
        {
            "latest": selectors.latest_publications(),
            "regions": selectors.region_entries(depth=2),
            "form": SearchForm(years=selectors.published_years()),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, years=selectors.published_years())
    table = None
    if form.is_valid():
        results = selectors.report_search(
            query=form.cleaned_data["q"], year=form.cleaned_data["year"]
        )
        table = PublicReportTable(results)
        RequestConfig(request, paginate={"per_page": SEARCH_PER_PAGE}).configure(table)
    return render(request, "disclosures/search.html", {"form": form, "table": table})


def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    region = selectors.region_get(pk=pk)
    if region is None:
        raise Http404("没有找到这个地区，或该地区还没有公开的决算报告。")
    table = DepartmentTable(selectors.region_departments(region=region))
    RequestConfig(request, paginate={"per_page": REGION_PER_PAGE}).configure(table)
    ancestors = [r for r in (region.parent and region.parent.parent, region.parent) if r]
    return render(
        request,
        "disclosures/region.html",
        {
            "region": region,
            "ancestors": ancestors,
            "children": selectors.region_entries(parent=region),
            "count": selectors.region_counts().get(region.pk, 0),
            "table": table,
        },
    )


def _department_or_404(code: str):
    department = selectors.department_get(code=code)
    if department is None:
        raise Http404("没有找到该部门的公开报告。")
    return department


def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    department = _department_or_404(code)
    return render(
        request,
        "disclosures/department.html",
        {"department": department, "reports": selectors.department_reports(department=department)},
    )


def department_compare(request: HttpRequest, code: str) -> HttpResponse:
    department = _department_or_404(code)
    history = selectors.department_history(department=department)
    columns, rows = year_comparison(
        [(r.year, selectors.report_tables(report=r, data=d), d.figures) for r, d in history]
    )
    # One unit for the page: the latest report's, as the department now publishes.
    unit = history[-1][0].unit if history else "元"
    return render(
        request,
        "disclosures/compare.html",
        {"department": department, "columns": columns, "rows": rows, "unit": unit},
    )


def _document_or_404(code: str, year: int, revision: int | None) -> selectors.ReportDocument:
    document = selectors.report_document_get(department_code=code, year=year, revision=revision)
    if document is None:
        raise Http404("没有找到这份公开报告。")
    return document


def report_page_context(document: selectors.ReportDocument, revision: int | None = None) -> dict:
    """What the report page shows: the document and its charts (also the staff preview's), and
    for a published report its revisions: the 更正说明 and the earlier versions' addresses."""
    previous_label, previous = selectors.previous_year_figures(report=document.report)
    charts = report_charts(
        document.tables, document.data.figures, previous=previous, previous_label=previous_label
    )
    return {
        "doc": document,
        "report": document.report,
        "department": document.department,
        "tables": document.tables,
        "charts": charts,
        "pinned": revision is not None,
        "revisions": (
            selectors.report_revisions(report=document.report)
            if document.report.is_published
            else []
        ),
    }


def report_detail(
    request: HttpRequest, code: str, year: int, revision: int | None = None
) -> HttpResponse:
    """A published report's page; kept and served by `published.PublishedPages` once rendered."""
    document = _document_or_404(code, year, revision)
    return render(request, "disclosures/report.html", report_page_context(document, revision))


def table_detail(
    request: HttpRequest, code: str, year: int, number: str, revision: int | None = None
) -> HttpResponse:
    document = _document_or_404(code, year, revision)
    table = document.table(number)
    if table is None:
        raise Http404("没有这张表。")
    numbers = [t.number for t in document.tables]
    index = numbers.index(number)
    return render(
        request,
        "disclosures/table.html",
        {
            "doc": document,
            "report": document.report,
            "department": document.department,
            "table": table,
            "previous_number": numbers[index - 1] if index > 0 else None,
            "next_number": numbers[index + 1] if index + 1 < len(numbers) else None,
            "pinned": revision is not None,
        },
    )


def _ascii_filename(code: str, year: int, revision: int, fmt: str, table: str = "") -> str:
    """The plain ASCII name old clients get: code-year[-rN][-tableNN].fmt."""
    parts = [code, f"{year}-r{revision}" if revision > 1 else str(year)]
    return "-".join(parts + ([f"table{table}"] if table else [])) + f".{fmt}"


def _file(
    request: HttpRequest, code: str, year: int, fmt: str, revision: int | None, number: str = ""
) -> HttpResponse:
    """A download of a published report or table: from storage without filling the tables when
    it is current under the department's stamp, else through the full path."""
    stamp = department_stamp(code=code)
    if stamp is not None:
        stored = stored_download(
            code=code, year=year, revision=revision, fmt=fmt, table=number, stamp=stamp.key
        )
        if stored is not None:
            download, stored_revision = stored
            name = _ascii_filename(code, year, stored_revision, fmt, number)
            return download.response(name, request)
    document = _document_or_404(code, year, revision)
    table = None
    if number:
        table = document.table(number)
        if table is None:
            raise Http404("没有这张表。")
    download = report_download(
        document=document, fmt=fmt, table=table, stamp=stamp.key if stamp else ""
    )
    name = _ascii_filename(code, year, document.report.revision, fmt, number)
    return download.response(name, request)


def report_file(
    request: HttpRequest, code: str, year: int, fmt: str, revision: int | None = None
) -> HttpResponse:
    return _file(request, code, year, fmt, revision)


def table_file(
    request: HttpRequest,
    code: str,
    year: int,
    number: str,
    fmt: str,
    revision: int | None = None,
) -> HttpResponse:
    return _file(request, code, year, fmt, revision, number)


def data_help(request: HttpRequest) -> HttpResponse:
    from .renderers.opendata import CSV_COLUMNS

    return render(request, "disclosures/data_help.html", {"csv_columns": CSV_COLUMNS})
