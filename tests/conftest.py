import json
from decimal import Decimal
from pathlib import Path

import pytest

from disclosures.engine import Code, EconomicRow, FactRow, ReportData, report_fill
from disclosures.services import DEMO_DIR
from disclosures.tables import STANDARD_10

GOLDEN_PATH = Path(__file__).parent / "golden" / "zezhou-2022-golden.json"


@pytest.fixture(scope="session")
def golden() -> dict:
    return json.loads(GOLDEN_PATH.read_text(encoding="utf-8"))


def seed_report_data() -> ReportData:
    """The seed report as plain data, straight from the demo file: no database involved."""
    demo = json.loads((DEMO_DIR / "zezhou-2022.json").read_text(encoding="utf-8"))
    codes = json.loads((DEMO_DIR / "codes-2022.json").read_text(encoding="utf-8"))
    figures = {k: (v if isinstance(v, int) else Decimal(v)) for k, v in demo["figures"].items()}
    return ReportData(
        department=demo["department"]["name"],
        year=demo["year"],
        unit=demo["unit"],
        functional_codes=[Code(c["code"], c["name"], c["level"]) for c in codes["functional"]],
        economic_codes=[
            Code(c["code"], c["name"], c["level"], c["group"], c["basic_applicable"])
            for c in codes["economic"]
        ],
        facts=[FactRow(m, c, s, n, Decimal(a)) for m, c, s, n, a in demo["facts"]],
        economic_facts=[EconomicRow(c, n, Decimal(a)) for c, n, a in demo["economic_facts"]],
        figures=figures,
        texts=[(s["heading"], s["body"]) for s in demo["explanation"]],
    )


@pytest.fixture
def seed_data() -> ReportData:
    return seed_report_data()


@pytest.fixture
def seed_tables(seed_data):
    return {t.number: t for t in report_fill(STANDARD_10.tables, seed_data)}


@pytest.fixture
def demo_report(db):
    from disclosures.services import demo_load

    return demo_load()


def copy_code_lists(*, to_year: int, from_year: int = 2022) -> None:
    """The year's code lists, as a copy of another year's (when it has none of its own)."""
    from disclosures.models import ClassificationCode

    if ClassificationCode.objects.filter(year=to_year).exists():
        return
    ClassificationCode.objects.bulk_create(
        ClassificationCode(
            year=to_year,
            kind=c.kind,
            code=c.code,
            name=c.name,
            level=c.level,
            group=c.group,
            basic_applicable=c.basic_applicable,
            order=c.order,
        )
        for c in ClassificationCode.objects.filter(year=from_year)
    )


def make_report(department, year: int, *, facts=(), economic=(), figures=None, status="published"):
    """A report for tests: facts as (measure, code, source, nature, amount) tuples."""
    from disclosures.models import EconomicFact, Fact, Report, ReportFigures

    copy_code_lists(to_year=year)
    published = status == "published"
    report = Report.objects.create(
        department=department, year=year, status="draft" if published else status
    )
    Fact.objects.bulk_create(
        Fact(report=report, measure=m, code=c, source=s, nature=n, amount=Decimal(a))
        for m, c, s, n, a in facts
    )
    EconomicFact.objects.bulk_create(
        EconomicFact(report=report, code=c, nature=n, amount=Decimal(a)) for c, n, a in economic
    )
    ReportFigures.objects.create(report=report, **(figures or {}))
    return publish(report) if published else report


def publish(report):
    """Marks a test report published as it stands, without the review (whose steps have tests
    of their own): the last write a revision takes."""
    from django.utils import timezone

    from disclosures.models import Report

    Report.objects.filter(pk=report.pk).update(status="published", published_at=timezone.now())
    report.refresh_from_db()
    return report


@pytest.fixture
def demo_draft(db):
    """The seed report, loaded but not published: a draft to write to."""
    from disclosures.services import demo_load

    return demo_load(publish=False)
