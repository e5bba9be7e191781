"""The public site: find, read and compare published reports. Drafts are never shown."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from performance.selectors import evaluations_for_page

from . import selectors
from .forms import SearchForm
from .models import OrgUnit
from .overview import report_charts, year_comparison
from .tables import TEMPLATES


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "disclosures/home.html",
        {
            "latest": selectors.latest_publications(),
            "tree": selectors.region_tree(),
            "form": SearchForm(years=selectors.published_years()),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, years=selectors.published_years())
    results = None
    if form.is_valid():
        results = selectors.report_search(
            query=form.cleaned_data["q"], year=form.cleaned_data["year"]
        )
    return render(request, "disclosures/search.html", {"form": form, "results": results})


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
    return render(
        request,
        "disclosures/compare.html",
        {"department": department, "columns": columns, "rows": rows},
    )


def _report_context(code: str, year: int) -> dict:
    report = selectors.report_page_get(department_code=code, year=year)
    if report is None:
        raise Http404("没有找到这份公开报告。")
    data = selectors.report_data_build(report=report, codes=selectors.code_lists(years=[year]))
    units = report.department.org_units.all()
    return {
        "report": report,
        "department": report.department,
        "internal_units": [u.name for u in units if u.kind == OrgUnit.Kind.INTERNAL],
        "subordinate_units": [u.name for u in units if u.kind == OrgUnit.Kind.SUBORDINATE],
        "tables": selectors.report_tables(report=report, data=data),
        "data": data,
    }


def report_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    context = _report_context(code, year)
    report, tables = context["report"], context["tables"]
    previous_label, previous = selectors.previous_year_figures(report=report)
    context |= {
        "charts": report_charts(tables, previous=previous, previous_label=previous_label),
        "sections": list(report.sections.all()),
        "evaluations": evaluations_for_page(report=report),
    }
    return render(request, "disclosures/report.html", context)


def table_detail(request: HttpRequest, code: str, year: int, number: str) -> HttpResponse:
    context = _report_context(code, year)
    table = next((t for t in context["tables"] if t.number == number), None)
    if table is None:
        raise Http404("没有这张表。")
    numbers = [t.number for t in TEMPLATES[context["report"].template]]
    index = numbers.index(number)
    context |= {
        "table": table,
        "previous_number": numbers[index - 1] if index > 0 else None,
        "next_number": numbers[index + 1] if index + 1 < len(numbers) else None,
    }
    return render(request, "disclosures/table.html", context)
