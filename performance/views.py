"""The public list of evaluated projects: every published self-evaluation of a region and year."""

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from disclosures import selectors as disclosure_selectors
from disclosures.lists import RequestConfig
from disclosures.models import Department, Region, Report

from . import selectors
from .forms import EvaluationFilterForm
from .lists import EvaluationTable

PER_PAGE = 50


def evaluation_list(request: HttpRequest) -> HttpResponse:
    published = Report.objects.latest_published().filter(evaluations__isnull=False)
    regions = Region.objects.filter(
        Exists(Department.objects.filter(region=OuterRef("pk"), reports__in=published))
        | Exists(Department.objects.filter(region__parent=OuterRef("pk"), reports__in=published))
        | Exists(
            Department.objects.filter(region__parent__parent=OuterRef("pk"), reports__in=published)
        )
    ).order_by("level", "name")
    form = EvaluationFilterForm(
        request.GET or None, regions=regions, years=disclosure_selectors.published_years()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    evaluations = selectors.evaluations_published(
        region=filters.get("region"),
        year=filters.get("year"),
        kind=filters.get("kind", ""),
        grade=filters.get("grade", ""),
        query=filters.get("q", ""),
    )
    table = EvaluationTable(evaluations)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "performance/evaluation_list.html",
        {"form": form, "table": table, "summary": selectors.evaluations_summary(evaluations)},
    )
