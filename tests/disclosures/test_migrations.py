"""Migrations that move data keep it: each report takes the profile its department had."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("disclosures", "0002_templates_printed_figures")]
AFTER = [("disclosures", "0005_report_profile_department_fields")]


@pytest.mark.django_db(transaction=True)
def test_profile_moves_from_the_department_to_each_report():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Region = apps.get_model("disclosures", "Region")
    Department = apps.get_model("disclosures", "Department")
    Report = apps.get_model("disclosures", "Report")
    Duty = apps.get_model("disclosures", "Duty")
    OrgUnit = apps.get_model("disclosures", "OrgUnit")
    region = Region.objects.create(name="泽州县", level="county")
    department = Department.objects.create(
        region=region,
        code="021001",
        name="泽州县总工会",
        nature="群众团体",
        admin_quota=5,
        actual_total=21,
    )
    for year in (2021, 2022):
        Report.objects.create(department=department, year=year, template="standard-10")
    Duty.objects.create(department=department, number=1, text="维护职工合法权益")
    OrgUnit.objects.create(department=department, kind="internal", name="办公室", order=1)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Report = apps.get_model("disclosures", "Report")
    for report in Report.objects.order_by("year"):
        assert report.profile.admin_quota == 5 and report.profile.actual_total == 21
        assert list(report.duties.values_list("number", "text")) == [(1, "维护职工合法权益")]
        assert list(report.org_units.values_list("kind", "name")) == [("internal", "办公室")]
    assert apps.get_model("disclosures", "Duty").objects.count() == 2

    # Leave the database at the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_spending_of_other_money_becomes_nonfiscal_and_adds_up():
    before = [("disclosures", "0005_report_profile_department_fields")]
    after = [("disclosures", "0007_nonfiscal_source")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Region = apps.get_model("disclosures", "Region")
    Department = apps.get_model("disclosures", "Department")
    Report = apps.get_model("disclosures", "Report")
    Fact = apps.get_model("disclosures", "Fact")
    region = Region.objects.create(name="泽州县", level="county")
    department = Department.objects.create(region=region, code="1", name="测试", nature="其他")
    report = Report.objects.create(department=department, year=2022, template="standard-10")
    for measure, source, nature, amount in (
        ("income", "service", "", "80.00"),
        ("expense", "service", "basic", "10.00"),
        ("expense", "other", "basic", "5.00"),
        ("expense", "general", "basic", "7.00"),
        ("expense", "general", "remit", "3.00"),
        ("closing", "service", "", "65.00"),
        ("closing", "general", "", "1.00"),
    ):
        Fact.objects.create(
            report=report,
            measure=measure,
            code="2012901",
            source=source,
            nature=nature,
            amount=amount,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    Fact = executor.loader.project_state(after).apps.get_model("disclosures", "Fact")
    assert sorted((f.measure, f.source, f.nature, str(f.amount)) for f in Fact.objects.all()) == [
        ("closing", "general", "", "1.00"),
        ("closing", "nonfiscal", "", "65.00"),
        ("expense", "general", "basic", "7.00"),
        ("expense", "nonfiscal", "basic", "15.00"),
        ("expense", "nonfiscal", "remit", "3.00"),
        ("income", "service", "", "80.00"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
