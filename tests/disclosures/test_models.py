"""What must never happen is refused by the database itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from disclosures.models import (
    ClassificationCode,
    Department,
    EconomicFact,
    Fact,
    Region,
    Report,
    ReportFigures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    county = Region.objects.create(name="测试县", level=Region.Level.COUNTY)
    return Department.objects.create(
        region=county, code="999001", name="测试局", nature=Department.Nature.ADMINISTRATIVE
    )


@pytest.fixture
def report(department):
    return Report.objects.create(department=department, year=2022)


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_report_per_department_and_year(report):
    refused(lambda: Report.objects.create(department=report.department, year=2022))
    Report.objects.create(department=report.department, year=2023)


def test_year_out_of_range_refused(department):
    refused(lambda: Report.objects.create(department=department, year=1899))


def test_duplicate_fact_refused(report):
    fact = {"report": report, "measure": "income", "code": "2012901", "source": "general"}
    Fact.objects.create(**fact, amount=Decimal("1.00"))
    refused(lambda: Fact.objects.create(**fact, amount=Decimal("2.00")))


def test_negative_income_and_spending_refused_but_balances_allowed(report):
    refused(
        lambda: Fact.objects.create(
            report=report, measure="income", code="2012901", source="general", amount=-1
        )
    )
    refused(
        lambda: Fact.objects.create(
            report=report,
            measure="expense",
            code="2012901",
            source="general",
            nature="basic",
            amount=-1,
        )
    )
    Fact.objects.create(
        report=report, measure="closing", code="2012901", source="general", amount=-5
    )


def test_expense_needs_a_nature_and_income_has_none(report):
    refused(
        lambda: Fact.objects.create(
            report=report, measure="expense", code="2012901", source="general", amount=1
        )
    )
    refused(
        lambda: Fact.objects.create(
            report=report,
            measure="income",
            code="2012901",
            source="general",
            nature="basic",
            amount=1,
        )
    )


def test_economic_fact_negative_or_duplicate_refused(report):
    EconomicFact.objects.create(report=report, code="30101", nature="basic", amount=1)
    refused(
        lambda: EconomicFact.objects.create(report=report, code="30101", nature="basic", amount=2)
    )
    refused(
        lambda: EconomicFact.objects.create(report=report, code="30102", nature="basic", amount=-1)
    )


def test_figures_not_negative_but_three_public_may_be_blank(report):
    refused(lambda: ReportFigures.objects.create(report=report, admin_cost_admin_units=-1))
    figures = ReportFigures.objects.create(report=report)
    assert figures.tp_actual_abroad is None
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFigures.objects.filter(pk=figures.pk).update(tp_actual_reception=-3)


def test_code_level_must_match_length():
    refused(
        lambda: ClassificationCode.objects.create(
            year=2022, kind="functional", code="2012", name="坏", level="款"
        )
    )
    ClassificationCode.objects.create(
        year=2022, kind="functional", code="20129", name="好", level="款"
    )
    refused(
        lambda: ClassificationCode.objects.create(
            year=2022, kind="functional", code="20129", name="重复", level="款"
        )
    )


def test_full_clean_reports_codes_in_chinese(department):
    department.code = "AB01"
    with pytest.raises(ValidationError) as error:
        department.full_clean()
    assert error.value.error_dict["code"][0].code == "code_not_digits"
    assert "编码只能由半角数字0-9组成" in error.value.messages[0]


def test_money_is_decimal(report):
    fact = Fact.objects.create(
        report=report, measure="income", code="2012901", source="general", amount="29510.50"
    )
    fact.refresh_from_db()
    assert fact.amount == Decimal("29510.50") and isinstance(fact.amount, Decimal)


def test_verbose_names_are_chinese():
    for model in (
        Region,
        Department,
        Report,
        Fact,
        EconomicFact,
        ReportFigures,
        ClassificationCode,
    ):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(model._meta.verbose_name)), model
        for field in model._meta.get_fields():
            if getattr(field, "verbose_name", None) and field.name not in ("id",):
                assert any("\u4e00" <= ch <= "\u9fff" for ch in str(field.verbose_name)), (
                    model,
                    field.name,
                )
