"""Synthetic data: a province's worth of departments and years, for load and scale tests.

Every synthetic region and department is marked `synthetic` and the site shows it as 合成数据. The
generated province is a region of its own, never a real one, and `synthetic_remove` deletes all of
it: reports with their rows and stored files, departments, regions, and any code list it copied.

The amounts are internally consistent, as a real report's should be. For each source, income and
the opening balance equal spending and the closing balance. The general-budget spending is split
over economic codes: basic spending over 人员经费 and 公用经费 codes, project spending over
project codes. The scalar items stay within what they describe (机关运行经费 within the basic
公用经费). So `check_report` finds no error in a synthetic report. They use the real code lists of
their years; a year without one gets a copy of the nearest year's list (the earlier one first),
marked synthetic.

Rows are written with large `bulk_create` batches, a block of departments at a time, each block
in one transaction.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from .models import (
    ClassificationCode,
    Department,
    Duty,
    EconomicFact,
    Fact,
    Region,
    RenderedFile,
    Report,
    ReportFigures,
    ReportProfile,
    ReportSection,
)
from .selectors import code_list_source_year, public_cache_clear
from .services import code_list_copy
from .vocab import CodeKind, Measure, Nature, Source

PROVINCE = "合成省"
CODE_PREFIX = "9"  # synthetic department codes: 9, four digits of county, two of department
BLOCK = 250  # departments written per transaction
CENT = Decimal("0.01")

# A county's departments: name, nature, and whether its staff are civil servants (行政) or not.
BUREAUS: tuple[tuple[str, str], ...] = (
    ("财政局", Department.Nature.ADMINISTRATIVE),
    ("教育局", Department.Nature.ADMINISTRATIVE),
    ("公安局", Department.Nature.ADMINISTRATIVE),
    ("民政局", Department.Nature.ADMINISTRATIVE),
    ("司法局", Department.Nature.ADMINISTRATIVE),
    ("人力资源和社会保障局", Department.Nature.ADMINISTRATIVE),
    ("自然资源局", Department.Nature.ADMINISTRATIVE),
    ("住房和城乡建设局", Department.Nature.ADMINISTRATIVE),
    ("交通运输局", Department.Nature.ADMINISTRATIVE),
    ("水利局", Department.Nature.ADMINISTRATIVE),
    ("农业农村局", Department.Nature.ADMINISTRATIVE),
    ("商务局", Department.Nature.ADMINISTRATIVE),
    ("文化和旅游局", Department.Nature.ADMINISTRATIVE),
    ("卫生健康局", Department.Nature.ADMINISTRATIVE),
    ("退役军人事务局", Department.Nature.ADMINISTRATIVE),
    ("应急管理局", Department.Nature.ADMINISTRATIVE),
    ("审计局", Department.Nature.ADMINISTRATIVE),
    ("市场监督管理局", Department.Nature.ADMINISTRATIVE),
    ("统计局", Department.Nature.ADMINISTRATIVE),
    ("医疗保障局", Department.Nature.ADMINISTRATIVE),
    ("林业局", Department.Nature.ADMINISTRATIVE),
    ("发展和改革局", Department.Nature.ADMINISTRATIVE),
    ("工业和信息化局", Department.Nature.ADMINISTRATIVE),
    ("科学技术局", Department.Nature.ADMINISTRATIVE),
    ("城市管理局", Department.Nature.ADMINISTRATIVE),
    ("信访局", Department.Nature.ADMINISTRATIVE),
    ("档案局", Department.Nature.CIVIL_SERVANT_MANAGED),
    ("地方志研究室", Department.Nature.CIVIL_SERVANT_MANAGED),
    ("机关事务服务中心", Department.Nature.CIVIL_SERVANT_MANAGED),
    ("总工会", Department.Nature.MASS_ORGANIZATION),
    ("共青团委员会", Department.Nature.MASS_ORGANIZATION),
    ("妇女联合会", Department.Nature.MASS_ORGANIZATION),
    ("残疾人联合会", Department.Nature.MASS_ORGANIZATION),
    ("科学技术协会", Department.Nature.MASS_ORGANIZATION),
    ("融媒体中心", Department.Nature.INSTITUTION),
    ("疾病预防控制中心", Department.Nature.INSTITUTION),
    ("人民医院", Department.Nature.INSTITUTION),
    ("第一中学", Department.Nature.INSTITUTION),
    ("实验小学", Department.Nature.INSTITUTION),
    ("农业技术推广中心", Department.Nature.INSTITUTION),
)
CITY_NAMES = "东南西北中"
COUNTIES_PER_CITY = 12
# Economic codes that carry "三公" spending: left out, so the 07 table's zeros agree with 06.
THREE_PUBLIC_CODES = {"30212", "30217", "30231", "30913", "31013"}


@dataclass
class Generated:
    regions: int = 0
    departments: int = 0
    reports: int = 0
    rows: int = 0
    code_lists_copied: tuple[int, ...] = ()
    seconds: float = 0.0


Progress = Callable[[int, int, float], None]  # (departments done, of, seconds so far)


@dataclass(frozen=True)
class _Codes:
    """What a year's list offers a generated report."""

    functional: list[str]  # 项 codes that are not government-fund codes
    personnel: list[str]  # 人员经费 款 codes, for basic spending
    public: list[str]  # 公用经费 款 codes applicable to basic spending
    project: list[str]  # 款 codes for project spending


def _codes(year: int) -> _Codes:
    rows = ClassificationCode.objects.filter(year=year).values_list(
        "kind", "code", "level", "group", "basic_applicable", "fund"
    )
    functional, personnel, public, project = [], [], [], []
    for kind, code, level, group, basic, fund in rows:
        if kind == CodeKind.FUNCTIONAL and level == "项" and not fund:
            functional.append(code)
        elif kind == CodeKind.ECONOMIC and level == "款" and code not in THREE_PUBLIC_CODES:
            if group == "人员经费":
                personnel.append(code)
            elif basic and code.startswith("302"):
                public.append(code)
            if code.startswith(("302", "310")):
                project.append(code)
    if not (functional and personnel and public and project):
        raise ValueError(f"{year}年度的科目表不全，无法生成合成数据。")
    return _Codes(sorted(functional), sorted(personnel), sorted(public), sorted(project))


def code_lists_ensure(years: Iterable[int]) -> tuple[int, ...]:
    """Each year's code list, copied (marked synthetic, and carried from its source) from the
    nearest year a real list was loaded for where the year has none (the same choice as a real
    report's, `services.code_list_carry_forward`). Returns the years copied."""
    loaded = set(ClassificationCode.objects.values_list("year", flat=True).distinct())
    if not loaded:
        raise ValueError("没有任何年度的科目表：请先导入科目表（如 manage.py load_demo）。")
    copied = []
    for year in years:
        if year in loaded:
            continue
        for kind in CodeKind.values:
            source = code_list_source_year(year=year, kind=kind)
            if source is not None:
                code_list_copy(source=source, year=year, kind=kind, synthetic=True)
        copied.append(year)
    return tuple(copied)


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """`total` in `parts` positive amounts to the cent that add up to it exactly."""
    cents = int(total / CENT)
    parts = max(1, min(parts, cents))
    cuts = sorted(rng.sample(range(1, cents), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, cents]
    return [Decimal(b - a) * CENT for a, b in itertools.pairwise(bounds)]


def _money(low: float, high: float, rng: random.Random) -> Decimal:
    """An amount between `low` and `high` yuan, log-uniform, in whole yuan or with cents."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    cents = 100 if rng.random() < 0.7 else 1
    return Decimal(round(value * cents)) / cents


@dataclass
class _Department:
    """A department's lasting traits: what the years vary around."""

    size: float  # yearly spending, yuan
    functional: list[str]
    project_share: float
    nonfiscal: bool
    carryover: bool
    vehicles: int
    staff: int


def _profile(nature: str, codes: _Codes, rng: random.Random) -> _Department:
    keep = [c for c in codes.functional if rng.random() < 0.7] or codes.functional[:1]
    return _Department(
        size=math.exp(rng.uniform(math.log(8e5), math.log(6e7))),
        functional=keep,
        project_share=rng.uniform(0.0, 0.6),
        nonfiscal=nature == Department.Nature.INSTITUTION or rng.random() < 0.2,
        carryover=rng.random() < 0.3,
        vehicles=rng.choice((0, 0, 1, 1, 2, 3)),
        staff=rng.randint(6, 120),
    )


def _year_rows(report: Report, traits: _Department, nature: str, codes: _Codes, rng) -> list:
    """One report's facts, economic facts, scalar items, profile and duties."""
    total = Decimal(round(traits.size * rng.uniform(0.85, 1.2))).quantize(CENT)
    functional = [c for c in traits.functional if c in codes.functional] or codes.functional[:1]
    per_code = _split(total, len(functional), rng)
    rows: list = []

    def fact(measure: str, code: str, source: str, amount: Decimal, nature: str = "") -> Fact:
        return Fact(
            report=report, measure=measure, code=code, source=source, nature=nature, amount=amount
        )

    basic_total = project_total = Decimal(0)
    for code, amount in zip(functional, per_code, strict=True):
        project = (
            (amount * Decimal(traits.project_share)).quantize(CENT) if code != functional[0] else 0
        )
        basic = amount - project
        rows.append(fact(Measure.INCOME, code, Source.GENERAL, amount))
        for part, value in ((Nature.BASIC, basic), (Nature.PROJECT, project)):
            if value:
                rows.append(fact(Measure.EXPENSE, code, Source.GENERAL, value, part))
        basic_total += basic
        project_total += project
    if traits.carryover:
        kept = _money(1e4, float(total) * 0.05 + 2e4, rng)
        for measure in (Measure.OPENING, Measure.CLOSING):
            rows.append(fact(measure, functional[0], Source.GENERAL, kept))
    if traits.nonfiscal:
        other = _money(5e3, float(total) * 0.1 + 1e4, rng)
        source = Source.SERVICE if nature == Department.Nature.INSTITUTION else Source.OTHER
        rows.append(fact(Measure.INCOME, functional[0], source, other))
        rows.append(fact(Measure.EXPENSE, functional[0], Source.NONFISCAL, other, Nature.BASIC))

    # Basic spending: most of it 人员经费, the rest 公用经费; project spending over its codes.
    personnel = (basic_total * Decimal(rng.uniform(0.6, 0.85))).quantize(CENT)
    public = basic_total - personnel
    public_codes = rng.sample(codes.public, min(len(codes.public), rng.randint(3, 9)))
    plan = [
        (
            rng.sample(codes.personnel, min(len(codes.personnel), rng.randint(3, 8))),
            personnel,
            Nature.BASIC,
        ),
        (public_codes, public, Nature.BASIC),
        (
            rng.sample(codes.project, min(len(codes.project), rng.randint(1, 4))),
            project_total,
            Nature.PROJECT,
        ),
    ]
    for chosen, amount, part in plan:
        if amount <= 0:
            continue
        for code, value in zip(chosen, _split(amount, len(chosen), rng), strict=False):
            rows.append(EconomicFact(report=report, code=code, nature=part, amount=value))

    zero = Decimal("0.00")
    admin_cost = (public * Decimal(rng.uniform(0.3, 0.9))).quantize(CENT)
    administrative = nature == Department.Nature.ADMINISTRATIVE
    managed = nature == Department.Nature.CIVIL_SERVANT_MANAGED
    goods = _money(1e4, float(total) * 0.02 + 2e4, rng) if rng.random() < 0.5 else zero
    services = _money(1e4, float(total) * 0.02 + 2e4, rng) if rng.random() < 0.3 else zero
    rows.append(
        ReportFigures(
            report=report,
            **{f"tp_{kind}_{item}": zero for kind in ("budget", "actual") for item in THREE_PUBLIC},
            procurement_goods=goods,
            procurement_services=services,
            procurement_sme=(goods + services) if goods or services else None,
            admin_cost_admin_units=admin_cost if administrative else zero,
            admin_cost_civil_servant_institutions=admin_cost if managed else zero,
            vehicles_other=traits.vehicles,
        )
    )
    quota = traits.staff
    rows.append(
        ReportProfile(
            report=report,
            admin_quota=quota if administrative or managed else 0,
            institution_quota=0 if administrative or managed else quota,
            actual_total=quota - 1,
            actual_admin=quota - 1 if administrative or managed else 0,
            actual_institution=0 if administrative or managed else quota - 1,
            organisation="本单位为合成数据，仅用于系统测试，不是真实单位。",
        )
    )
    rows.append(Duty(report=report, number=1, text="（合成数据）本单位职责从略。"))
    year = report.year
    if administrative or managed:
        admin_text = f"{year}年度本单位机关运行经费支出{admin_cost:,}元。"
    else:
        admin_text = "本单位不是行政单位或参照公务员法管理的事业单位，没有机关运行经费支出。"
    sections = (
        (
            "财政拨款“三公”经费支出决算情况说明",
            f"{year}年度本单位没有“三公”经费财政拨款支出：因公出国（境）费、公务用车购置及"
            "运行维护费、公务接待费均为0元。",
        ),
        ("机关运行经费支出情况说明", admin_text),
    )
    for order, (heading, body) in enumerate(sections, start=1):
        rows.append(
            ReportSection(
                report=report,
                part=ReportSection.Part.EXPLANATION,
                order=order,
                heading=heading,
                body=body,
            )
        )
    return rows


THREE_PUBLIC = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")


def _regions(departments: int) -> list[Region]:
    """The synthetic province, its cities and counties: enough counties for a full set of
    departments each."""
    counties = max(1, math.ceil(departments / len(BUREAUS)))
    cities = max(1, math.ceil(counties / COUNTIES_PER_CITY))
    province, _ = Region.objects.get_or_create(
        name=PROVINCE, parent=None, defaults={"level": Region.Level.PROVINCE, "synthetic": True}
    )
    if not province.synthetic:
        raise ValueError(f"已有名为“{PROVINCE}”的真实地区，合成数据不能混入。")
    result = []
    for c in range(cities):
        city, _ = Region.objects.get_or_create(
            name=f"合成{_city_name(c)}市",
            parent=province,
            defaults={"level": Region.Level.CITY, "synthetic": True},
        )
        for k in range(min(COUNTIES_PER_CITY, counties - c * COUNTIES_PER_CITY)):
            county, _ = Region.objects.get_or_create(
                name=f"{city.name}第{k + 1}县",
                parent=city,
                defaults={"level": Region.Level.COUNTY, "synthetic": True},
            )
            result.append(county)
    return result


def _city_name(index: int) -> str:
    return f"{CITY_NAMES[index % len(CITY_NAMES)]}{index // len(CITY_NAMES) + 1}"


def synthetic_generate(
    *,
    departments: int,
    years: range,
    seed: int = 2022,
    progress: Progress | None = None,
) -> Generated:
    """Generates (or tops up to) `departments` synthetic departments, each with a published
    report for every year in `years`. Deterministic for a seed. A department or report that is
    already there is kept as it is."""
    started = time.perf_counter()
    rng = random.Random(seed)
    result = Generated()
    result.code_lists_copied = code_lists_ensure(years)
    year_codes = {year: _codes(year) for year in years}
    counties = _regions(departments)
    result.regions = Region.objects.filter(synthetic=True).count()
    clash = Department.objects.filter(code__startswith=CODE_PREFIX, synthetic=False)
    if clash.exists():
        raise ValueError(
            f"已有以 {CODE_PREFIX} 开头的真实单位编码（如 {clash.first().code}），"
            "合成数据不能混入。"
        )

    plan = [
        (n, b, name, nature)
        for n in range(len(counties))
        for b, (name, nature) in enumerate(BUREAUS)
        if n * len(BUREAUS) + b < departments
    ]
    existing = set(Department.objects.filter(synthetic=True).values_list("code", flat=True))
    published_at = {year: timezone.make_aware(datetime(year + 1, 8, 30, 9, 0)) for year in years}
    for start in range(0, len(plan), BLOCK):
        block = plan[start : start + BLOCK]
        with transaction.atomic():
            new_departments = []
            for index, b, name, nature in block:
                county = counties[index]
                code = f"{CODE_PREFIX}{index:04d}{b:02d}"
                if code in existing:
                    continue
                new_departments.append(
                    Department(
                        region=county,
                        code=code,
                        name=f"{county.name}{name}",
                        nature=nature,
                        synthetic=True,
                    )
                )
            Department.objects.bulk_create(new_departments, batch_size=1000)
            reports = [
                Report(
                    department=department,
                    year=year,
                    revision=1,
                    template="standard-10",
                    unit=Report.Unit.YUAN,
                )
                for department in new_departments
                for year in years
            ]
            Report.objects.bulk_create(reports, batch_size=1000)
            by_model: dict[type, list] = {}
            traits = {
                d.code: _profile(d.nature, year_codes[years[0]], rng) for d in new_departments
            }
            for report in reports:
                nature = report.department.nature
                rows = _year_rows(
                    report, traits[report.department.code], nature, year_codes[report.year], rng
                )
                for row in rows:
                    by_model.setdefault(type(row), []).append(row)
            for model, rows in by_model.items():
                model.objects.bulk_create(rows, batch_size=2000)
                result.rows += len(rows)
            for year in years:
                Report.objects.filter(
                    department__in=new_departments, year=year, status=Report.Status.DRAFT
                ).update(status=Report.Status.PUBLISHED, published_at=published_at[year])
            result.departments += len(new_departments)
            result.reports += len(reports)
        public_cache_clear()
        if progress is not None:
            progress(min(start + BLOCK, len(plan)), len(plan), time.perf_counter() - started)
    result.seconds = time.perf_counter() - started
    return result


def synthetic_remove() -> dict[str, int]:
    """Deletes every synthetic region, department and report (with its rows and stored files),
    and the code lists copied for synthetic years. Nothing real is touched."""
    reports = Report.objects.filter(department__synthetic=True)
    files = RenderedFile.objects.filter(report__in=reports).exclude(file="")
    for rendered in files.iterator():
        rendered.file.storage.delete(rendered.file.name)
    counts = {}
    with transaction.atomic():
        # Published reports refuse ReportQuerySet.delete(): synthetic ones are deleted as rows.
        deleted, _ = models.QuerySet.delete(reports)
        counts["报告及其数据行"] = deleted
        counts["单位"] = Department.objects.filter(synthetic=True).delete()[0]
        regions = 0
        for level in (Region.Level.COUNTY, Region.Level.CITY, Region.Level.PROVINCE):
            regions += Region.objects.filter(synthetic=True, level=level).delete()[0]
        counts["地区"] = regions
        counts["科目"] = ClassificationCode.objects.filter(synthetic=True).delete()[0]
    public_cache_clear()
    return counts
