"""generate_synthetic: a province's worth of synthetic departments and years, consistent enough
that the checks find no error, marked as synthetic on every page, and removed by one command."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db.models import Sum

from disclosures.checks import ERROR
from disclosures.models import (
    ClassificationCode,
    Department,
    EconomicFact,
    Fact,
    Region,
    RenderedFile,
    Report,
)
from disclosures.selectors import report_findings
from disclosures.synthetic import BUREAUS, PROVINCE, synthetic_generate, synthetic_remove

pytestmark = pytest.mark.django_db
DEPARTMENTS = len(BUREAUS) + 5  # two counties: one full, one with five departments


@pytest.fixture
def synthetic(demo_report):
    return synthetic_generate(departments=DEPARTMENTS, years=range(2021, 2023))


def test_generates_departments_over_a_province_each_with_a_published_report_a_year(
    synthetic, demo_report
):
    assert synthetic.departments == DEPARTMENTS and synthetic.reports == DEPARTMENTS * 2
    departments = Department.objects.filter(synthetic=True)
    assert departments.count() == DEPARTMENTS
    assert departments.values("region").distinct().count() == 2
    province = Region.objects.get(name=PROVINCE, parent=None)
    assert province.synthetic and province.children.get().synthetic
    assert set(Region.objects.filter(synthetic=True).values_list("level", flat=True)) == {
        "province",
        "city",
        "county",
    }
    reports = Report.objects.filter(department__synthetic=True)
    assert reports.count() == DEPARTMENTS * 2
    assert set(reports.values_list("status", flat=True)) == {Report.Status.PUBLISHED}
    # Varied: sizes differ across departments and the same department differs across years.
    totals = (
        Fact.objects.filter(report__in=reports, measure="expense")
        .values("report")
        .annotate(total=Sum("amount"))
        .values_list("total", flat=True)
    )
    assert len(set(totals)) == DEPARTMENTS * 2
    # The real seed is untouched, in its own region.
    assert not demo_report.department.synthetic and not demo_report.department.region.synthetic
    assert Report.objects.get(pk=demo_report.pk).is_published


def test_every_synthetic_report_passes_the_checks_without_an_error(synthetic):
    reports = Report.objects.filter(department__synthetic=True).select_related("department")
    errors = {
        (r.department.code, r.year): [
            f.code for f in report_findings(report=r) if f.severity == ERROR
        ]
        for r in reports
    }
    assert len(errors) == DEPARTMENTS * 2
    assert {key: codes for key, codes in errors.items() if codes} == {}


def test_amounts_balance_and_the_economic_split_matches_spending(synthetic):
    for report in Report.objects.filter(department__synthetic=True)[:20]:

        def total(report=report, **kw):
            found = Fact.objects.filter(report=report, **kw).aggregate(s=Sum("amount"))["s"]
            return found or Decimal(0)

        assert total(measure="income") + total(measure="opening") == total(
            measure="expense"
        ) + total(measure="closing")
        economic = EconomicFact.objects.filter(report=report)
        for nature in ("basic", "project"):
            split = economic.filter(nature=nature).aggregate(s=Sum("amount"))["s"] or 0
            assert split == total(measure="expense", source="general", nature=nature)


def test_a_second_run_adds_only_what_is_missing_and_years_without_a_code_list_get_a_copy(
    demo_report,
):
    first = synthetic_generate(departments=10, years=range(2020, 2023))
    assert first.code_lists_copied == (2020, 2021)
    assert ClassificationCode.objects.filter(year=2021, synthetic=True).exists()
    assert not ClassificationCode.objects.filter(year=2022, synthetic=True).exists()
    again = synthetic_generate(departments=12, years=range(2020, 2023))
    assert (again.departments, again.reports) == (2, 6)
    assert Report.objects.filter(department__synthetic=True).count() == 36


def test_the_site_marks_synthetic_data(client, synthetic):
    department = Department.objects.filter(synthetic=True).first()
    for url in (
        f"/departments/{department.code}/",
        f"/departments/{department.code}/2022/",
        f"/departments/{department.code}/2022/tables/01/",
        f"/departments/{department.code}/compare/",
    ):
        page = client.get(url)
        assert page.status_code == 200 and "合成数据" in page.content.decode(), url
    seed = client.get("/departments/021001/2022/").content.decode()
    assert "synthetic-badge" not in seed


def test_one_command_removes_all_of_it_and_nothing_real(demo_report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("generate_synthetic", departments=8, years="2021-2022", verbosity=0)
    report = Report.objects.filter(department__synthetic=True).first()
    stored = RenderedFile(report=report, format="pdf", fingerprint="x", size=3)
    stored.file.save("synthetic.pdf", ContentFile(b"pdf"), save=True)
    path = tmp_path / stored.file.name
    assert path.exists()

    call_command("generate_synthetic", remove=True, verbosity=0)
    assert not Department.objects.filter(synthetic=True).exists()
    assert not Region.objects.filter(synthetic=True).exists()
    assert not Report.objects.filter(department__synthetic=True).exists()
    assert not ClassificationCode.objects.filter(synthetic=True).exists()
    assert not RenderedFile.objects.exists() and not path.exists()
    assert Report.objects.get(pk=demo_report.pk).is_published
    assert Fact.objects.filter(report=demo_report).count() == 17
    assert ClassificationCode.objects.filter(year=2022).exists()
    assert synthetic_remove() == {"报告及其数据行": 0, "单位": 0, "地区": 0, "科目": 0}


def test_refuses_to_mix_into_a_real_region_or_real_codes(demo_report):
    Region.objects.create(name=PROVINCE, level="province")
    with pytest.raises(CommandError, match="真实地区"):
        call_command("generate_synthetic", departments=3, years="2022", verbosity=0)
    Region.objects.filter(name=PROVINCE).delete()
    Department.objects.create(
        code="9000001", name="真实单位", nature="行政单位", region=demo_report.department.region
    )
    with pytest.raises(CommandError, match="真实单位编码"):
        call_command("generate_synthetic", departments=3, years="2022", verbosity=0)
    with pytest.raises(CommandError, match="年度应写成"):
        call_command("generate_synthetic", departments=3, years="去年", verbosity=0)


def test_the_command_prints_progress_and_its_rate(demo_report, capsys):
    call_command("generate_synthetic", departments=3, years="2022")
    out = capsys.readouterr().out
    assert "3/3 个单位" in out and "每秒" in out and "新报告 3 份" in out
