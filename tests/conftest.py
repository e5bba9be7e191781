import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from disclosures.engine import (
    Code,
    EconomicRow,
    EvaluationRow,
    FactRow,
    FundingRow,
    IndicatorRow,
    ReportData,
    report_fill,
)
from disclosures.services import DEMO_DIR
from disclosures.tables import STANDARD_10

GOLDEN_PATH = Path(__file__).parent / "golden" / "zezhou-2022-golden.json"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the suite also runs with CACHE_URL pointing at a
    shared Redis): the database is rolled back after a test, so must what it cached be."""
    from django.core.cache import cache

    from disclosures.published import forget_stamps

    cache.clear()
    forget_stamps()
    yield
    cache.clear()


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
        functional_codes=[
            Code(c["code"], c["name"], c["level"], fund=c.get("fund", False))
            for c in codes["functional"]
        ],
        economic_codes=[
            Code(c["code"], c["name"], c["level"], c["group"], c["basic_applicable"])
            for c in codes["economic"]
        ],
        facts=[FactRow(m, c, s, n, Decimal(a)) for m, c, s, n, a in demo["facts"]],
        economic_facts=[EconomicRow(c, n, Decimal(a)) for c, n, a in demo["economic_facts"]],
        figures=figures,
        texts=[(s["heading"], s["body"]) for s in demo["explanation"]],
        evaluations=[evaluation_row(e) for e in demo["evaluations"]],
    )


def evaluation_row(e: dict) -> EvaluationRow:
    """A self-evaluation of the demo file as the checks read it."""
    from performance.models import TEXTS, Evaluation

    def d(value):
        return None if value is None else Decimal(str(value))

    return EvaluationRow(
        kind=e["kind"],
        name=e["name"],
        budget=d(e["budget"]),
        executed=d(e["executed"]),
        score=d(e["score"]),
        grade=e.get("grade", ""),
        execution_rate=d(e.get("execution_rate")),
        execution_weight=d(e.get("budget_execution_weight", 10)),
        execution_score=d(e.get("budget_execution_score")),
        texts=tuple((Evaluation._meta.get_field(n).verbose_name, e.get(n, "")) for n in TEXTS),
        funding=tuple(
            FundingRow(f["source"], d(f["budget"]), d(f["executed"])) for f in e["funding"]
        ),
        indicators=tuple(
            IndicatorRow(
                n,
                i["level1"],
                i["level2"],
                i["name"],
                i.get("initial_target", ""),
                i["target"],
                i["actual"],
                d(i["weight"]),
                d(i["score"]),
                i.get("deviation_note", ""),
            )
            for n, i in enumerate(e["indicators"], start=1)
        ),
    )


@pytest.fixture
def seed_data() -> ReportData:
    """The seed with its text and self-evaluation mistakes fixed: what the table rules are tested
    on. The seed as printed is `seed_as_printed`."""
    return clean_seed_data()


@pytest.fixture
def seed_as_printed() -> ReportData:
    return seed_report_data()


# The seed's real inconsistencies (DESIGN.md §5 items 7, 8) and how a careful filler would fix them:
# what `clean_seed_data` applies so each new rule can be broken one at a time.
TEXT_FIXES = (
    ("。。", "。"),
    ("。；", "；"),
    (
        "人员经费2,861,353.00元，主要包括人员经费2,861,353.00元，主要包括",
        "人员经费2,861,353.00元，主要包括",
    ),
    ("0.00个", "0个"),
    ("0.00人次", "0人次"),
    ("0.00批次", "0批次"),
    ("0.00辆", "0辆"),
    ("公务用车保有量共0辆", "公务用车保有量共1辆"),
    ("，完成全年预算的0.00%", ""),
    ("，占政府采购支出总额的0.00%", ""),
    ("年初预算安排的所有项目资金全面开展了绩效自评", "年初预算安排的项目资金开展了绩效自评"),
    ("项目支出总额的100%", "项目支出总额的97.94%"),
    ("其中一般公共预算项目支出2850000元", "其中一般公共预算项目2850000元"),
)


def clean_seed_data() -> ReportData:
    data = seed_report_data()
    texts = []
    for heading, body in data.texts:
        for old, new in TEXT_FIXES:
            body = body.replace(old, new)
        texts.append((heading, body))
    evaluations = []
    for ev in data.evaluations:
        ev_texts = []
        for heading, body in ev.texts:
            for old, new in TEXT_FIXES:
                body = body.replace(old, new)
            ev_texts.append((heading, body.replace("5285700", "5939150")))
        if ev.kind == "department":
            ev = replace(ev, budget=Decimal("5939150"), executed=Decimal("5939150"))
        indicators = tuple(
            replace(i, target="＝1000元/人", actual="1000")
            if i.name == "帮扶标准"
            else replace(i, actual="90")
            if (ev.name, i.name) == ("两节送温暖", "受益人员满意度")
            else i
            for i in ev.indicators
        )
        evaluations.append(replace(ev, texts=tuple(ev_texts), indicators=indicators))
    return replace(data, texts=texts, evaluations=evaluations)


@pytest.fixture
def clean_seed() -> ReportData:
    return clean_seed_data()


@pytest.fixture
def seed_tables(seed_data):
    return {t.number: t for t in report_fill(STANDARD_10.tables, seed_data)}


@pytest.fixture
def boss(client, django_user_model):
    """The test client, logged in as a superuser."""
    user = django_user_model.objects.create_superuser("boss", "boss@example.cn", "pw-123456-x")
    client.force_login(user)
    return client


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
            fund=c.fund,
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
    from disclosures.selectors import public_cache_clear

    Report.objects.filter(pk=report.pk).update(status="published", published_at=timezone.now())
    public_cache_clear()  # as publishing does (workflow._publish)
    report.refresh_from_db()
    return report


@pytest.fixture
def demo_draft(db):
    """The seed report, loaded but not published: a draft to write to, with the seed's text and
    self-evaluation mistakes fixed as `clean_seed_data` fixes them (nothing but its one warning
    stands in the way of submitting it)."""
    from disclosures.services import demo_load

    report = demo_load(publish=False)
    clean_demo(report)
    return report


def clean_demo(report) -> None:
    from disclosures.models import ReportSection
    from performance.models import TEXTS, Evaluation, Indicator

    for section in ReportSection.objects.filter(report=report):
        for old, new in TEXT_FIXES:
            section.body = section.body.replace(old, new)
        section.save()
    for ev in Evaluation.objects.filter(report=report):
        for name in TEXTS:
            value = getattr(ev, name)
            for old, new in TEXT_FIXES:
                value = value.replace(old, new)
            setattr(ev, name, value.replace("5285700", "5939150"))
        if ev.kind == "department":
            ev.budget = ev.executed = Decimal("5939150")
        ev.save()
    Indicator.objects.filter(evaluation__report=report, name="帮扶标准").update(
        target="＝1000元/人", actual="1000"
    )
    Indicator.objects.filter(
        evaluation__report=report, evaluation__name="两节送温暖", name="受益人员满意度"
    ).update(actual="90")
