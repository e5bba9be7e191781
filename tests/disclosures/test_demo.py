"""`load_demo` loads the whole seed report, and running it again changes nothing."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures.models import ClassificationCode, Department, Fact, Report, ReportSection
from performance.models import Evaluation, Indicator
from performance.targets import normalised

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label in ("disclosures", "performance")
    }


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    first = snapshot()
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo")
    assert snapshot() == first
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []
    assert "泽州县总工会" in capsys.readouterr().out


def test_demo_profile(demo_report, golden):
    department = demo_report.department
    g = golden["department"]
    assert (department.code, department.name, department.nature) == (
        g["code"],
        g["name"],
        "群众团体",
    )
    assert department.supervisor.code == "021"
    assert [
        r.name
        for r in (department.region, department.region.parent, department.region.parent.parent)
    ] == [
        "泽州县",
        "晋城市",
        "山西省",
    ]
    # The profile is the report's (this year's), not the department's.
    report = department.reports.get(year=2022)
    assert report.duties.count() == 8
    assert report.duties.first().text.startswith("根据党的路线、方针、政策")
    units = report.org_units
    assert list(units.filter(kind="internal").values_list("name", flat=True)) == g["internal_units"]
    assert (
        list(units.filter(kind="subordinate").values_list("name", flat=True))
        == g["subordinate_units"]
    )
    staffing = g["staffing"]
    profile = report.profile
    assert profile.admin_quota == staffing["admin_quota"]
    assert profile.institution_quota == staffing["institution_quota"]
    assert profile.actual_total == staffing["actual_total"]
    assert profile.actual_admin == staffing["actual_admin"]
    assert profile.independent_accounting_units == 1
    assert "三部一室" in profile.organisation


def test_demo_figures_texts_and_codes(demo_report, golden):
    assert Report.objects.count() == 1 and Department.objects.count() == 2
    assert ClassificationCode.objects.filter(year=2022, kind="functional", level="类").count() == 26
    assert (
        ClassificationCode.objects.filter(year=2022, kind="economic").count() == 27 + 82
    )  # the rows of 公开06表
    assert Fact.objects.filter(report=demo_report, measure="income").count() == 8
    figures = demo_report.figures
    assert figures.admin_cost_admin_units == Decimal("235594.00")
    assert figures.vehicles_other == 1
    assert figures.tp_actual_abroad is None
    explanation = demo_report.sections.filter(part=ReportSection.Part.EXPLANATION)
    glossary = demo_report.sections.filter(part=ReportSection.Part.GLOSSARY)
    assert explanation.count() == 10 and glossary.count() == 12
    assert explanation.first().heading == "一、收入支出决算总体情况说明"
    assert "5,939,150.00" in explanation.first().body
    assert glossary.get(heading="机关运行经费").body.startswith("指行政单位")


def test_demo_self_evaluations(demo_report, golden):
    projects = Evaluation.objects.filter(report=demo_report, kind="project").order_by("order")
    g = golden["performance"]
    assert [(p.name, p.score, p.grade) for p in projects] == [
        (p["name"], Decimal(p["score"]), p["grade"]) for p in g["projects"]
    ]
    for project, gp in zip(projects, g["projects"], strict=True):
        rows = [
            [i.level1, i.level2, i.name, i.target, i.actual, int(i.weight), int(i.score)]
            for i in project.indicators.all()
        ]
        # As printed: ≥ and ＝, where the golden transcription typed >= and =.
        assert rows == [[*r[:3], normalised(r[3]), *r[4:]] for r in gp["indicators"]]
        assert all(">=" not in r[3] for r in rows)
        assert project.budget == Decimal(gp["budget"])
        assert project.budget_execution_score == gp["budget_execution_score"]
        assert project.overview and project.conclusion and project.dated == "2022年12月"
        [funding] = project.funding.all()
        assert (funding.source, funding.budget, funding.executed) == (
            "市县区财政资金",
            Decimal(gp["budget"]),
            Decimal(gp["executed"]),
        )
        # Both target columns, as the seed prints them.
        assert project.indicators.all()[0].initial_target in ("436", "5", "200")
    overall = Evaluation.objects.get(report=demo_report, kind="department")
    assert overall.score == g["department_overall_score"]
    assert Indicator.objects.count() == 7 + 8 + 7


def test_load_demo_with_staff_prints_login(db, capsys):
    call_command("load_demo", "--with-staff")
    out = capsys.readouterr().out
    assert "用户名 admin" in out and "密码" in out
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/admin/login/")
    for username in ("admin", "tianbao", "shenhe"):
        assert authenticate(request, username=username, password="Zezhou-2022") is not None
