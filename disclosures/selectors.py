"""Reads: published reports for the public site, and a report's facts in the engine's shape."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.core.cache import cache as shared_cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from performance.models import Evaluation, Indicator

from .engine import (
    Code,
    EconomicRow,
    EvaluationRow,
    FactRow,
    FilledTable,
    FundingRow,
    IndicatorRow,
    ReportData,
    StatementTable,
    Template,
    Value,
    report_fill,
    table_fill,
)
from .entry import (
    UNLISTED,
    EntryForm,
    entry_form,
    entry_tables,
    form_caption,
    form_key,
    template_homes,
)
from .models import (
    ClassificationCode,
    Department,
    OrgUnit,
    Region,
    Report,
    ReportFigures,
    ReportProfile,
    ReportSection,
)
from .overview import PRIOR_YEAR_FIGURES, main_figures
from .tables import template_for, template_get
from .vocab import CodeKind, TableRole

FIGURE_FIELDS = [
    f.name
    for f in ReportFigures._meta.get_fields()
    if f.concrete and f.name not in ("id", "report")
]
CodeLists = dict[int, tuple[list[Code], list[Code]]]


# ---------------------------------------------------------------------------------------------
# Facts for the engine


def code_lists(*, years: Iterable[int]) -> CodeLists:
    """The functional and economic code lists of the given years, in one query."""
    lists: CodeLists = {}
    for c in ClassificationCode.objects.filter(year__in=set(years)).order_by("order", "code"):
        functional, economic = lists.setdefault(c.year, ([], []))
        target = functional if c.kind == CodeKind.FUNCTIONAL else economic
        target.append(Code(c.code, c.name, c.level, c.group, c.basic_applicable, c.fund))
    return lists


def code_list_source_year(*, year: int, kind: str) -> int | None:
    """The year whose `kind` list a year without one carries forward: the nearest earlier year
    that has one, else the nearest later; None when no other year has one. Lists copied for
    synthetic data are not sources."""
    years = set(
        ClassificationCode.objects.filter(kind=kind, synthetic=False)
        .exclude(year=year)
        .values_list("year", flat=True)
        .distinct()
    )
    earlier = [y for y in years if y < year]
    if earlier:
        return max(earlier)
    later = [y for y in years if y > year]
    return min(later) if later else None


def code_list_carried(*, year: int) -> dict[str, int]:
    """The kinds of `year`'s list that are carried from another year and not yet confirmed:
    kind -> the year carried from."""
    return dict(
        ClassificationCode.objects.filter(year=year, carried_from__isnull=False)
        .values_list("kind", "carried_from")
        .distinct()
    )


def code_list_notice(*, year: int) -> str:
    """What staff are told while `year`'s list is carried and unconfirmed; blank otherwise."""
    carried = code_list_carried(year=year)
    if not carried:
        return ""
    sources = set(carried.values())
    if len(carried) == len(CodeKind) and len(sources) == 1:
        return f"{year}年度尚无科目表，已沿用{sources.pop()}年度科目表，待系统管理员确认或导入。"
    parts = "、".join(
        f"{CodeKind(kind).label}沿用{source}年度" for kind, source in sorted(carried.items())
    )
    return f"{year}年度科目表中，{parts}，待系统管理员确认或导入。"


@dataclass(frozen=True)
class CodeListYear:
    """One year's code list as the code-list admin lists it."""

    year: int
    functional: int  # how many codes of each kind
    economic: int
    carried: dict[str, int]  # kind -> the year carried from, while not confirmed
    synthetic: bool  # copied for synthetic data

    @property
    def carried_from(self) -> str:
        return "、".join(str(y) for y in sorted(set(self.carried.values())))


def code_list_years() -> list[CodeListYear]:
    """Every year that has a code list, latest first, in one query."""
    rows = (
        ClassificationCode.objects.values("year", "kind", "carried_from")
        .annotate(n=Count("pk"), synthetic=Count("pk", filter=Q(synthetic=True)))
        .order_by()
    )
    years: dict[int, dict] = {}
    for row in rows:
        entry = years.setdefault(row["year"], {"counts": {}, "carried": {}, "synthetic": False})
        entry["counts"][row["kind"]] = entry["counts"].get(row["kind"], 0) + row["n"]
        if row["carried_from"] is not None:
            entry["carried"][row["kind"]] = row["carried_from"]
        entry["synthetic"] |= row["synthetic"] > 0
    return [
        CodeListYear(
            year,
            entry["counts"].get(CodeKind.FUNCTIONAL, 0),
            entry["counts"].get(CodeKind.ECONOMIC, 0),
            entry["carried"],
            entry["synthetic"],
        )
        for year, entry in sorted(years.items(), reverse=True)
    ]


def code_list_copy_refusal(*, source: int, year: int) -> str:
    """Why `year`'s list may not be made from `source`'s (以某年为基础); blank when it may. A
    year whose list is carried and unconfirmed may be made again from another year."""
    if source == year:
        return "新年度不能与作为基础的年度相同。"
    if not ClassificationCode.objects.filter(year=source).exists():
        return f"{source}年度没有科目表，不能作为基础。"
    if ClassificationCode.objects.filter(year=year, carried_from__isnull=True).exists():
        return f"{year}年度已有科目表；如需更换，请导入该年度的科目表。"
    return ""


def _figures(report: Report) -> dict:
    try:
        figures = report.figures
    except ReportFigures.DoesNotExist:
        return {}
    return {name: getattr(figures, name) for name in FIGURE_FIELDS}


def region_names(region: Region) -> list[str]:
    """A region's name and its ancestors' (泽州县, 晋城市, 山西省)."""
    names = []
    seen: set[int] = set()
    while region is not None and region.pk not in seen:
        seen.add(region.pk)
        names.append(region.name)
        region = region.parent
    return names


def report_template(report: Report) -> Template:
    """The table set a report publishes: its own, or the one its region and year call for."""
    if report.template:
        return template_get(report.template)
    return template_for(year=report.year, regions=region_names(report.department.region))


def _three_public_zero(figures: dict, template: Template) -> dict:
    """Where a set prints a zero 三公 item blank, a blank item is read as zero."""
    if not template.three_public_blank_is_zero:
        return figures
    return {k: (0 if k.startswith("tp_") and v is None else v) for k, v in figures.items()}


def report_data_build(*, report: Report, codes: CodeLists) -> ReportData:
    """The engine's view of a report whose facts, figures, sections, printed cells and names are
    already loaded (`_with_facts`)."""
    functional, economic = codes.get(report.year, ([], []))
    template = report_template(report)
    return ReportData(
        department=report.department.name,
        year=report.year,
        unit=report.unit,
        functional_codes=functional,
        economic_codes=economic,
        facts=[
            FactRow(f.measure, f.code, f.source, f.nature, f.amount) for f in report.facts.all()
        ],
        economic_facts=[
            EconomicRow(f.code, f.nature, f.amount) for f in report.economic_facts.all()
        ],
        figures=_three_public_zero(_figures(report), template),
        texts=[
            (s.heading, s.body)
            for s in report.sections.all()
            if s.part == ReportSection.Part.EXPLANATION
        ],
        printed={(c.table, c.row, c.column): c.value for c in report.printed_cells.all()},
        names={(n.kind, n.code): n.name for n in report.printed_names.all()},
        evaluations=[_evaluation_row(e) for e in report.evaluations.all()],
    )


def _evaluation_row(e) -> EvaluationRow:
    return EvaluationRow(
        kind=e.kind,
        name=e.name,
        budget=e.budget,
        executed=e.executed,
        score=e.score,
        grade=e.grade,
        execution_rate=e.execution_rate,
        execution_weight=e.budget_execution_weight,
        execution_score=e.budget_execution_score,
        texts=tuple(e.texts),
        funding=tuple(FundingRow(f.source, f.budget, f.executed) for f in e.funding.all()),
        indicators=tuple(
            IndicatorRow(
                i.order,
                i.level1,
                i.level2,
                i.name,
                i.initial_target,
                i.target,
                i.actual,
                i.weight,
                i.score,
                i.deviation_note,
            )
            for i in e.indicators.all()
        ),
    )


def _with_facts(reports: QuerySet[Report]) -> QuerySet[Report]:
    # The region with its ancestors (county, city, province): a report without a template of its
    # own takes the one its region calls for, with no query per report.
    return reports.select_related("department__region__parent__parent", "figures").prefetch_related(
        "facts",
        "economic_facts",
        "sections",
        "printed_cells",
        "printed_names",
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.order_by("kind", "order").prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.order_by("order")), "funding"
            ),
        ),
    )


def report_profile(report: Report) -> ReportProfile:
    """The report's 概况, or an empty one for a report that has none yet."""
    try:
        return report.profile
    except ReportProfile.DoesNotExist:
        return ReportProfile(report=report)


def report_get(*, department_code: str, year: int) -> Report | None:
    """The year's latest revision, in whatever state."""
    return (
        Report.objects.select_related("department__region__parent__parent")
        .filter(department__code=department_code, year=year)
        .order_by("-revision")
        .first()
    )


def report_data_get(*, report: Report) -> ReportData:
    """Everything the engine and the checks need about `report`, in a fixed number of queries."""
    loaded = _with_facts(Report.objects.filter(pk=report.pk)).get()
    return report_data_build(report=loaded, codes=code_lists(years=[report.year]))


def report_tables(*, report: Report, data: ReportData | None = None) -> list[FilledTable]:
    """The report's tables, filled from its facts by the engine, in template order."""
    data = data if data is not None else report_data_get(report=report)
    return report_fill(report_template(report).tables, data)


def report_findings(*, report: Report, tables: list[FilledTable] | None = None) -> list:
    """Every finding of the checks on `report` (`disclosures.checks`), errors first."""
    from .checks import report_check

    data = report_data_get(report=report)
    data.previous = previous_figures(report=report)
    data.codes_carried = code_list_carried(year=report.year)
    tables = tables if tables is not None else report_tables(report=report, data=data)
    return report_check(data, tables, template=report_template(report))


def previous_figures(*, report: Report) -> dict[str, Value]:
    """The year before's main figures and expense by 类 (`class.<code>`), from the portal's report
    of that year; empty where it has none."""
    from .overview import main_figures

    previous = previous_report(report=report)
    if previous is None:
        return {}
    data = report_data_get(report=previous)
    tables = report_tables(report=previous, data=data)
    figures = dict(main_figures(tables, data.figures))
    expense = next((t for t in tables if t.role == TableRole.EXPENSE), None)
    if expense is not None:
        for row in expense.rows:
            if len(row) == 3 and row.isdigit():
                figures[f"class.{row}"] = expense.value(row, "total")
    return figures


def report_text_items(*, report: Report, data: ReportData) -> FilledTable | None:
    """The items the report's set discloses in 情况说明, filled; None when it has none to show."""
    definition = report_template(report).text_items
    if definition is None:
        return None
    filled = table_fill(definition, data)
    return None if all(v is None for v in filled.values.values()) else filled


# ---------------------------------------------------------------------------------------------
# The public site: only published reports are ever read here


def published_reports() -> QuerySet[Report]:
    """The latest published revision of each department's year: what the public lists."""
    return Report.objects.latest_published()


def latest_publications(*, limit: int = 10) -> QuerySet[Report]:
    return (
        published_reports()
        .select_related("department", "department__region")
        # The order of the `report_latest_published` index: read from its start, not sorted.
        .order_by("-year", "-published_at", "-pk")[:limit]
    )


PUBLIC_CACHE_SECONDS = 600  # a fallback: publishing clears the public lists at once
PUBLIC_CACHE_KEYS = ("public:published_years", "public:region_counts")


def public_cache_clear() -> None:
    """Forgets the cached public lists (year list, region counts): called when a report is
    published and when synthetic data is generated or removed; and the departments' stamps this
    process keeps (published.department_stamp)."""
    from .published import forget_stamps

    shared_cache.delete_many(PUBLIC_CACHE_KEYS)
    forget_stamps()


def region_counts() -> dict[int, int]:
    """For each region, how many departments in it or under it have published a report. One
    grouped query over departments, cached until the next publication."""

    def count() -> dict[int, int]:
        published = Report.objects.filter(department=OuterRef("pk"), status=Report.Status.PUBLISHED)
        direct = dict(
            Department.objects.filter(Exists(published))
            .values("region")
            .annotate(n=Count("pk"))
            .values_list("region", "n")
        )
        parents = dict(Region.objects.values_list("pk", "parent"))
        totals: dict[int, int] = {}
        for region, n in direct.items():
            while region is not None:
                totals[region] = totals.get(region, 0) + n
                region = parents.get(region)
        return totals

    return shared_cache.get_or_set("public:region_counts", count, PUBLIC_CACHE_SECONDS)


@dataclass
class RegionEntry:
    region: Region
    departments: int  # in it or under it, with a published report
    children: list["RegionEntry"]


def region_entries(*, parent: Region | None = None, depth: int = 1) -> list[RegionEntry]:
    """The regions under `parent` (the top level when None) that have published reports, with
    their counts, `depth` levels down: one query a level, whatever the number of departments."""
    counts = region_counts()
    regions = list(Region.objects.filter(parent=parent, pk__in=list(counts)).order_by("name"))
    entries = [RegionEntry(r, counts[r.pk], []) for r in regions]
    if depth > 1 and entries:
        children = Region.objects.filter(
            parent__in=[r.pk for r in regions], pk__in=list(counts)
        ).order_by("name")
        by_parent: dict[int, list[RegionEntry]] = {}
        for child in children:
            by_parent.setdefault(child.parent_id, []).append(
                RegionEntry(child, counts[child.pk], [])
            )
        for entry in entries:
            entry.children = by_parent.get(entry.region.pk, [])
    return entries


def region_get(*, pk: int) -> Region | None:
    """A region with published reports in it or under it, with its ancestors (a region is three
    levels deep at most)."""
    region = Region.objects.select_related("parent", "parent__parent").filter(pk=pk).first()
    return region if region is not None and region_counts().get(region.pk) else None


def region_departments(*, region: Region) -> QuerySet[Department]:
    """The departments directly in a region that have published, with their latest year."""
    published = Report.objects.filter(department=OuterRef("pk"), status=Report.Status.PUBLISHED)
    return (
        Department.objects.filter(region=region)
        .filter(Exists(published))
        .annotate(latest_year=Subquery(published.order_by("-year").values("year")[:1]))
        .order_by("code")
    )


def report_search(*, query: str = "", year: int | None = None) -> QuerySet[Report]:
    """Published reports whose department name contains `query` or whose code starts with it."""
    reports = published_reports().select_related("department", "department__region")
    query = query.strip()
    if query:
        # The departments first, by the name's trigram indexes (PostgreSQL; migration 0015) and,
        # for digits, the code's prefix index, then their reports. Codes are digits only, so a
        # query with anything else is a name; with no OR the planner takes the index.
        # Chinese has no case: a query without cased letters is matched as it is (LIKE), which
        # spares upper-casing every name (three times faster on 10,000 names).
        cased = query.upper() != query.lower()
        matches = Q(name__icontains=query) if cased else Q(name__contains=query)
        if query.isdigit():
            matches |= Q(code__startswith=query)
        departments = Department.objects.filter(matches)
        reports = reports.filter(department__in=departments.values("pk"))
    if year:
        reports = reports.filter(year=year)
    return reports.order_by("-year", "department__code")


def published_years() -> list[int]:
    """The years with a published report, newest first: cached until the next publication."""

    def years() -> list[int]:
        return list(
            Report.objects.filter(status=Report.Status.PUBLISHED)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )

    return shared_cache.get_or_set("public:published_years", years, PUBLIC_CACHE_SECONDS)


def department_get(*, code: str) -> Department | None:
    """A department that has at least one published report."""
    return (
        Department.objects.select_related("region", "supervisor")
        .filter(code=code, reports__status=Report.Status.PUBLISHED)
        .distinct()
        .first()
    )


def department_reports(*, department: Department) -> QuerySet[Report]:
    return published_reports().filter(department=department).order_by("-year")


def report_page_get(
    *, department_code: str, year: int, revision: int | None = None
) -> Report | None:
    """A published revision with everything its page shows, in a fixed number of queries: the
    latest, or the one asked for."""
    reports = Report.objects.filter(status=Report.Status.PUBLISHED)
    reports = reports.filter(revision=revision) if revision else reports.latest_published()
    latest = Report.objects.filter(
        department=OuterRef("department"), year=OuterRef("year"), status=Report.Status.PUBLISHED
    ).order_by("-revision")
    return (
        _report_page(reports)
        .annotate(latest_revision=Subquery(latest.values("revision")[:1]))
        .filter(department__code=department_code, year=year)
        .first()
    )


def report_revisions(*, report: Report) -> list[Report]:
    """Every published revision of the report's year, latest first (the 更正说明 lists them); no
    query for a year published once (`latest_revision`, from `report_page_get`)."""
    if report.revision == 1 and getattr(report, "latest_revision", None) == 1:
        return [report]
    return list(
        Report.objects.filter(
            department=report.department_id, year=report.year, status=Report.Status.PUBLISHED
        ).order_by("-revision")
    )


def _report_page(reports: QuerySet[Report]) -> QuerySet[Report]:
    return (
        _with_facts(reports)
        .select_related("department__region", "department__supervisor", "profile")
        .prefetch_related("duties", "org_units")
    )


def department_history(*, department: Department) -> list[tuple[Report, ReportData]]:
    """Every published report of a department with its facts, oldest first, in six queries."""
    reports = list(_with_facts(department_reports(department=department)).order_by("year"))
    codes = code_lists(years=[r.year for r in reports])
    return [(r, report_data_build(report=r, codes=codes)) for r in reports]


def previous_year_figures(*, report: Report) -> tuple[str, dict | None]:
    """The main figures of the year before: its published report, else what this report states."""
    previous = (
        _with_facts(published_reports())
        .filter(department=report.department, year=report.year - 1)
        .first()
    )
    if previous is not None:
        data = report_data_build(report=previous, codes=code_lists(years=[previous.year]))
        tables = report_tables(report=previous, data=data)
        return f"{previous.year}年", main_figures(tables, data.figures)
    figures = _figures(report)
    stated = {
        k: figures.get(n) for k, n in PRIOR_YEAR_FIGURES.items() if figures.get(n) is not None
    }
    if not stated:
        return "", None
    return f"{report.year - 1}年", stated


@dataclass
class ReportDocument:
    """A published report with all it shows, as the HTML page and every download render it."""

    report: Report
    template: Template
    data: ReportData
    tables: list[FilledTable]
    text_items: FilledTable | None  # what the set discloses in 情况说明 rather than a table
    internal_units: list[str]
    subordinate_units: list[str]
    explanation: list[ReportSection]
    glossary: list[ReportSection]
    evaluations: list

    @property
    def department(self) -> Department:
        return self.report.department

    @property
    def profile(self) -> ReportProfile:
        return report_profile(self.report)

    @property
    def duties(self) -> list:
        return list(self.report.duties.all())

    @property
    def title(self) -> str:
        return f"{self.department.name}{self.report.year}年度部门决算公开报告"

    def table(self, number: str) -> FilledTable | None:
        return next((t for t in self.tables if t.number == number), None)


def report_document_get(
    *, department_code: str, year: int, revision: int | None = None
) -> ReportDocument | None:
    """A published report's document, or None: drafts and unknown reports are not public."""
    report = report_page_get(department_code=department_code, year=year, revision=revision)
    return None if report is None else _document(report)


def report_draft_document_get(*, pk: int) -> ReportDocument | None:
    """Any report's document, as it would be published: the staff preview (the caller checks
    that the user may see it)."""
    report = _report_page(Report.objects.filter(pk=pk)).first()
    return None if report is None else _document(report)


def _document(report: Report) -> ReportDocument:
    from performance.selectors import evaluations_for_page

    data = report_data_build(report=report, codes=code_lists(years=[report.year]))
    units = report.org_units.all()
    sections = list(report.sections.all())
    return ReportDocument(
        report=report,
        template=report_template(report),
        data=data,
        tables=report_tables(report=report, data=data),
        text_items=report_text_items(report=report, data=data),
        internal_units=[u.name for u in units if u.kind == OrgUnit.Kind.INTERNAL],
        subordinate_units=[u.name for u in units if u.kind == OrgUnit.Kind.SUBORDINATE],
        explanation=[s for s in sections if s.part == ReportSection.Part.EXPLANATION],
        glossary=[s for s in sections if s.part == ReportSection.Part.GLOSSARY],
        evaluations=evaluations_for_page(report=report),
    )


# ---------------------------------------------------------------------------------------------
# The staff side: reports in any state, read for the entry forms and the checks


def report_staff_get(*, pk: int) -> Report | None:
    """A report in any state, with what its staff pages show."""
    return (
        Report.objects.select_related("department__region__parent__parent", "figures", "profile")
        .filter(pk=pk)
        .first()
    )


def previous_report(*, report: Report) -> Report | None:
    """The same department's report of the year before, in whatever state: its latest revision."""
    return (
        Report.objects.filter(department=report.department, year=report.year - 1)
        .order_by("-revision")
        .first()
    )


def report_of_year(*, department, year: int) -> Report | None:
    """The department's report of `year`, in whatever state: its latest revision."""
    return Report.objects.filter(department=department, year=year).order_by("-revision").first()


def report_item_codes(*, report: Report) -> list[str]:
    """The 项 rows a report's tree forms show: every code it has a figure on, and the rows staff
    added (or a new year carried over)."""
    codes = set(report.facts.values_list("code", flat=True))
    codes |= set(report.rows.values_list("code", flat=True))
    return sorted(c for c in codes if len(c) == 7)


@cache
def _homes(template_key: str) -> dict:
    return template_homes(template_get(template_key), FIGURE_FIELDS)


def report_homes(*, report: Report) -> dict:
    """Where each key of the report's set is typed (see `disclosures.entry`)."""
    return _homes(report_template(report).key)


def report_entry_form(*, report: Report, key: str) -> EntryForm | None:
    """One entry form of a report, by its key (a table's number, or "text"); None if the
    report's set has no such form."""
    template = report_template(report)
    data = report_data_get(report=report)
    previous = previous_report(report=report)
    homes = report_homes(report=report)
    for table in [*template.tables, *entry_tables(template)]:
        if form_key(table) != key:
            continue
        filled = table_fill(table, data) if isinstance(table, StatementTable) else None
        return entry_form(
            table,
            data,
            homes,
            previous=report_data_get(report=previous) if previous is not None else None,
            item_codes=report_item_codes(report=report),
            filled=filled,
        )
    return None


def report_entry_index(*, report: Report) -> list[tuple[str, str, str, bool]]:
    """The report's forms in order: (key, caption, title, read only)."""
    template = report_template(report)
    editable = {form_key(t) for t in entry_tables(template)}
    forms = [
        (form_key(t), form_caption(t), t.title, form_key(t) not in editable)
        for t in template.tables
    ]
    if template.text_items is not None:
        forms.append(("text", "情况说明中公开的事项", template.text_items.title, False))
    return forms


def report_input_forms(*, report: Report, data: ReportData | None = None) -> list[EntryForm]:
    """Every form of the report that takes figures (not 01 and 04), built from one read of its
    data: where the findings' links find the input cells."""
    template = report_template(report)
    data = data if data is not None else report_data_get(report=report)
    homes = report_homes(report=report)
    codes = report_item_codes(report=report)
    return [entry_form(t, data, homes, item_codes=codes) for t in entry_tables(template)]


def report_finding_rows(*, report: Report, only_texts: bool = False) -> list:
    """Every finding of the checks on `report`, errors first, as the staff pages show it: its
    rule's name and explanation, where it is, and the link to where it is fixed
    (`disclosures.places.FindingRow`). With `only_texts`, the findings the texts page lists."""
    from .checks import report_check
    from .places import EvaluationForm, FindingPlaces, TextSection

    data = report_data_get(report=report)
    data.previous = previous_figures(report=report)
    template = report_template(report)
    tables = report_tables(report=report, data=data)
    findings = report_check(data, tables, template=template)

    def sections() -> list[TextSection]:
        explanation = report.sections.filter(part=ReportSection.Part.EXPLANATION)
        return [TextSection(s.pk, s.heading, s.body) for s in explanation.order_by("order")]

    def evaluations() -> list[EvaluationForm]:
        found = report.evaluations.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk"))
        )
        return [
            EvaluationForm(
                e.pk,
                e.name,
                tuple(i.order for i in e.indicators.all()),
                {heading: (name, getattr(e, name)) for name, heading in _evaluation_texts()},
            )
            for e in found.order_by("kind", "order")
        ]

    places = FindingPlaces(
        report=report.pk,
        data=data,
        tables=tables,
        homes=report_homes(report=report),
        item_codes=report_item_codes(report=report),
        forms=lambda: report_input_forms(report=report, data=data),
        sections=sections,
        evaluations=evaluations,
    )
    rows = [places.row(f) for f in findings]
    if only_texts:
        rows = [r for r in rows if r.target is not None and r.target.page == "texts"]
    return rows


def _evaluation_texts() -> list[tuple[str, str]]:
    """(field name, heading) of a self-evaluation's text parts."""
    from performance.models import TEXTS

    return [(name, Evaluation._meta.get_field(name).verbose_name) for name in TEXTS]


def item_choices(*, year: int) -> list[tuple[str, str]]:
    """The year's 项 codes for the 添加科目 list: (code, "code name（款 name）")."""
    codes = list(
        ClassificationCode.objects.filter(year=year, kind=CodeKind.FUNCTIONAL).order_by("code")
    )
    names = {c.code: c.name for c in codes}
    return [
        (c.code, f"{c.code} {c.name}（{names.get(c.code[:5], UNLISTED)}）")
        for c in codes
        if c.level == "项"
    ]


# ---------------------------------------------------------------------------------------------
# The staff dashboard

# 财预〔2016〕143号: a department's final accounts are published within 20 days of approval.
PUBLICATION_DAYS = 20


def publication_overdue(report: Report) -> bool:
    """Approved more than 20 days ago and still not published."""
    if report.status != Report.Status.APPROVED or report.approved_at is None:
        return False
    return report.approved_at < timezone.now() - timedelta(days=PUBLICATION_DAYS)


def _waiting_for(user) -> Q:
    """What waits for `user`: a filler's drafts, a reviewer's submitted reports to review and
    approved ones to publish, a system admin's approved ones to publish."""
    from accounts.models import User
    from accounts.selectors import is_system_admin

    if is_system_admin(user):
        return Q(status=Report.Status.APPROVED)
    if user.role == User.Role.REVIEWER:
        return Q(status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED])
    return Q(status=Report.Status.DRAFT)


def dashboard_reports(
    *, user, year: int | None = None, status: str = "", waiting: bool = False, query: str = ""
) -> QuerySet[Report]:
    """The reports of the user's departments (every revision), for the dashboard."""
    from accounts.selectors import departments_for

    reports = Report.objects.filter(department__in=departments_for(user)).select_related(
        "department"
    )
    if year:
        reports = reports.filter(year=year)
    if status:
        reports = reports.filter(status=status)
    if waiting:
        reports = reports.filter(_waiting_for(user))
    query = query.strip()
    if query:
        reports = reports.filter(
            Q(department__name__icontains=query) | Q(department__code__startswith=query)
        )
    return reports.order_by("-year", "department__code", "-revision")


def staff_years(*, user) -> list[int]:
    from accounts.selectors import departments_for

    years = Report.objects.filter(department__in=departments_for(user)).values_list(
        "year", flat=True
    )
    return sorted(set(years), reverse=True)
