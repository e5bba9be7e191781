"""A synthetic report of the nine-table set: every appropriation kind, fund and capital spending,
basic and project spending, 三公 items left blank (zero in this set), items disclosed in the text.

Internally consistent by construction: income = spending + the change in balances, the economic
basic lines add up to the general-budget basic spending. Built as plain data for the engine and
the checks, and in the database for the pages and the downloads.
"""

import json
from decimal import Decimal

from disclosures.engine import Code, EconomicRow, FactRow, ReportData
from disclosures.services import DEMO_DIR

D = Decimal

# Codes the seed's list lacks: a fund 项 and a capital 项 (政府收支分类科目 2022).
EXTRA_FUNCTIONAL = [
    {"code": "21208", "name": "国有土地使用权出让收入安排的支出", "level": "款", "fund": True},
    {"code": "2120801", "name": "征地和拆迁补偿支出", "level": "项", "fund": True},
    {"code": "22301", "name": "解决历史遗留问题及改革成本支出", "level": "款"},
    {"code": "2230105", "name": "国有企业退休人员社会化管理补助支出", "level": "项"},
]

FACTS = [
    # General budget: income equals spending, 项 by 项.
    ("income", "2012901", "general", "", "1234567.89"),
    ("expense", "2012901", "general", "basic", "1034567.89"),
    ("expense", "2012901", "general", "project", "200000.00"),
    ("income", "2080505", "general", "", "345678.12"),
    ("expense", "2080505", "general", "basic", "345678.12"),
    ("income", "2101101", "general", "", "98765.43"),
    ("expense", "2101101", "general", "basic", "98765.43"),
    ("income", "2210201", "general", "", "123456.78"),
    ("expense", "2210201", "general", "basic", "123456.78"),
    # 事业收入, partly carried over.
    ("income", "2012999", "service", "", "50000.00"),
    ("expense", "2012999", "nonfiscal", "project", "45000.00"),
    ("closing", "2012999", "nonfiscal", "", "5000.00"),
    # Government fund: an opening balance, spending, a closing balance.
    ("opening", "2120801", "fund", "", "20000.00"),
    ("income", "2120801", "fund", "", "300000.00"),
    ("expense", "2120801", "fund", "project", "280000.00"),
    ("closing", "2120801", "fund", "", "40000.00"),
    # State capital.
    ("income", "2230105", "capital", "", "60000.00"),
    ("expense", "2230105", "capital", "project", "60000.00"),
]

# General-budget spending by economic 款: the basic lines add up to 1,602,468.22.
ECONOMIC = [
    ("30101", "basic", "800000.00"),
    ("30102", "basic", "200000.00"),
    ("30108", "basic", "345678.12"),
    ("30110", "basic", "98765.43"),
    ("30113", "basic", "123456.78"),
    ("30201", "basic", "20000.00"),
    ("30211", "basic", "14567.89"),
    ("30227", "project", "200000.00"),
]

FIGURES = {
    "admin_cost_admin_units": D("34567.89"),
    "procurement_goods": D("50000.00"),
    "procurement_services": D("120000.00"),
    "procurement_sme": D("150000.00"),
    "procurement_micro": D("80000.00"),
    "vehicles_law_enforcement": 2,
    "vehicles_other": 1,
    # 三公: what this set prints. The blank items are zero here, not undisclosed.
    "tp_budget_vehicle_operation": D("15000.00"),
    "tp_budget_reception": D("5000.00"),
    "tp_actual_vehicle_operation": D("12000.00"),
    "tp_actual_reception": D("3000.00"),
}

TEXTS = [
    (
        "一、收入支出决算总体情况说明",
        "2025年度收支总计223.25万元。",
    ),
    (
        "七、财政拨款“三公”经费支出决算情况说明",
        "2025年度“三公”经费支出1.50万元，其中公务接待费0.30万元。",
    ),
    (
        "十、其他重要事项的情况说明",
        "2025年度机关运行经费支出3.46万元；政府采购支出总额17.00万元。",
    ),
]


def code_lists() -> tuple[list[dict], list[dict]]:
    """The 2022 lists the demo ships, with the fund and capital codes added."""
    codes = json.loads((DEMO_DIR / "codes-2022.json").read_text(encoding="utf-8"))
    return codes["functional"] + EXTRA_FUNCTIONAL, codes["economic"]


def nine_table_data(*, unit: str = "万元", year: int = 2025) -> ReportData:
    functional, economic = code_lists()
    return ReportData(
        department="浦东新区测试局",
        year=year,
        unit=unit,
        functional_codes=[
            Code(c["code"], c["name"], c["level"], fund=c.get("fund", False)) for c in functional
        ],
        economic_codes=[
            Code(c["code"], c["name"], c["level"], c["group"], c["basic_applicable"])
            for c in economic
        ],
        facts=[FactRow(m, c, s, n, D(a)) for m, c, s, n, a in FACTS],
        economic_facts=[EconomicRow(c, n, D(a)) for c, n, a in ECONOMIC],
        figures=dict(FIGURES),
        texts=list(TEXTS),
    )


def nine_table_report(
    *, department=None, year: int = 2025, unit: str = "万元", publish: bool = True
):
    """The synthetic report in the database, published (unless `publish` is False): a 上海市
    department by default, so the template comes from its region (the nine-table set), not from
    an argument."""
    from django.utils import timezone

    from disclosures.models import (
        Department,
        EconomicFact,
        Fact,
        Region,
        Report,
        ReportFigures,
        ReportSection,
    )
    from disclosures.services import code_list_import, report_create

    functional, economic = code_lists()
    code_list_import(year=year, functional=functional, economic=economic)
    if department is None:
        city = Region.objects.create(name="上海市", level=Region.Level.PROVINCE)
        district = Region.objects.create(name="浦东新区", level=Region.Level.COUNTY, parent=city)
        department = Department.objects.create(
            region=district, code="310115001", name="浦东新区测试局", nature="行政单位"
        )
    report = report_create(department=department, year=year, unit=unit)
    Fact.objects.bulk_create(
        Fact(report=report, measure=m, code=c, source=s, nature=n, amount=D(a))
        for m, c, s, n, a in FACTS
    )
    EconomicFact.objects.bulk_create(
        EconomicFact(report=report, code=c, nature=n, amount=D(a)) for c, n, a in ECONOMIC
    )
    ReportFigures.objects.filter(report=report).update(**FIGURES)
    ReportSection.objects.bulk_create(
        ReportSection(report=report, part="explanation", order=i, heading=h, body=b)
        for i, (h, b) in enumerate(TEXTS, start=1)
    )
    if not publish:
        return report
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.PUBLISHED, published_at=timezone.now()
    )
    report.refresh_from_db()
    return report


def staff_user(username: str, role: str, *departments, **extra):
    """A staff user of `role` ("filler", "reviewer", "admin") working for `departments`."""
    from accounts.models import Membership, User

    user = User.objects.create_user(
        username,
        email=f"{username}@example.gov.cn",
        password="Zezhou-2022-staff!",
        role=role,
        is_staff=True,
        **extra,
    )
    for department in departments:
        Membership.objects.create(user=user, department=department)
    return user
