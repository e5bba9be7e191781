"""Templates are data: the only place a table set lives. Checks and figures find tables by role."""

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from disclosures.checks import RULES, report_check, rules_skipped
from disclosures.engine import EconomicRow, EconomicTable, FormTable, report_fill
from disclosures.overview import MAIN_FIGURES, main_figures
from disclosures.tables import (
    NATIONAL_9,
    STANDARD_10,
    TEMPLATES,
    template_choices,
    template_for,
    template_get,
)
from disclosures.vocab import TableRole
from tests.factories import nine_table_data

D = Decimal
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda t: t.key)
def test_a_template_names_its_tables_roles_years_and_regions(template):
    numbers = [t.number for t in template.tables]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    roles = [t.role for t in template.tables]
    assert all(roles) and len(set(roles)) == len(roles), "one table per role"
    assert set(roles) <= set(TableRole.values)
    first, last = template.years
    assert 2000 <= first <= last <= 2100
    assert template.name and template.key in dict(template_choices())
    assert template_get(template.key) is template
    if template.text_items is not None:
        assert template.text_items.role == TableRole.TEXT_ITEMS


def test_the_two_sets_differ_where_design_says():
    assert [t.number for t in STANDARD_10.tables] == [f"{n:02d}" for n in range(1, 11)]
    assert [t.number for t in NATIONAL_9.tables] == [f"{n:02d}" for n in range(1, 10)]
    assert NATIONAL_9.table(TableRole.INFO) is None
    economic = NATIONAL_9.table(TableRole.ECONOMIC)
    assert isinstance(economic, EconomicTable) and economic.basic_only
    assert economic.title == "一般公共预算财政拨款基本支出决算表"
    assert [c.label for c in economic.columns] == ["决算数"]
    general = NATIONAL_9.table(TableRole.GENERAL_BUDGET)
    assert [c.label for c in general.columns[1:]] == ["合计", "基本支出", "项目支出"]
    # The rest is shared, definition for definition.
    for role in ("statement", "income", "expense", "appropriation_statement", "three_public"):
        assert NATIONAL_9.table(role) is STANDARD_10.table(role)


def test_template_for_a_region_and_year():
    assert template_for(year=2022, regions=["泽州县", "晋城市", "山西省"]) is STANDARD_10
    assert template_for(year=2022, regions=["浦东新区", "上海市"]) is NATIONAL_9
    # Before the Shanxi set's years, the default set.
    assert template_for(year=2015, regions=["山西省"]) is NATIONAL_9


def test_template_fingerprint_follows_the_definition():
    edited = replace(
        STANDARD_10,
        tables=tuple(
            replace(t, note=t.note + "（修订）") if t.number == "03" else t
            for t in STANDARD_10.tables
        ),
    )
    assert edited.fingerprint != STANDARD_10.fingerprint
    assert replace(STANDARD_10).fingerprint == STANDARD_10.fingerprint


SOURCES = [
    p
    for p in (ROOT / "disclosures").rglob("*.py")
    if "tables" not in p.relative_to(ROOT / "disclosures").parts[:1] and "migrations" not in p.parts
]
TEMPLATE_FILES = list((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize(
    "pattern", [r'"06"', r'"10"', r"range\(1, 11\)", r"'06'", r"'10'", r'number == "']
)
def test_no_table_number_outside_the_template_definitions(pattern):
    """The grep of issue #8: table sets live only in disclosures/tables/."""
    assert SOURCES and TEMPLATE_FILES
    hits = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in [*SOURCES, *TEMPLATE_FILES]
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(pattern, line)
    ]
    assert hits == []


def test_a_rule_whose_tables_a_template_lacks_is_skipped_not_failed(seed_data):
    # A set with no economic and no fund table at all.
    bare = replace(
        STANDARD_10,
        key="bare",
        tables=tuple(
            t for t in STANDARD_10.tables if t.role not in (TableRole.ECONOMIC, TableRole.FUND)
        ),
    )
    skipped = {r.code for r in rules_skipped(bare)}
    assert skipped == {"cross.economic", "cross.fund", "cross.three_public_economic"}
    tables = report_fill(bare.tables, seed_data)
    findings = report_check(seed_data, tables, template=bare)
    # The text still states figures of the 06 this set lacks: found in no table, a warning.
    assert {f.code for f in findings} == {"three_public.no_data", "text.amount_unknown"}
    assert {r.code for r in rules_skipped(NATIONAL_9)} == {
        "three_public.undisclosed",
        "three_public.no_data",
    }
    assert rules_skipped(STANDARD_10) == []
    for r in RULES:
        assert set(r.roles) <= set(TableRole.values)


# ---------------------------------------------------------------------------------------------
# The nine-table set on plain data


@pytest.fixture
def nine():
    data = nine_table_data(unit="元")
    return data, {t.number: t for t in report_fill(NATIONAL_9.tables, data)}


def test_nine_table_set_fills_nine_tables(nine):
    _, tables = nine
    assert list(tables) == [f"{n:02d}" for n in range(1, 10)]
    t06 = tables["06"]
    # Basic spending only: codes basic spending cannot use (309, 311, 313) have no row.
    assert "309" not in t06.rows and "30901" not in t06.rows and "301" in t06.rows
    assert {col for _, col in t06.values} == {"basic"}
    assert [c.value for c in t06.header[0]] == ["人员经费", "公用经费"]
    assert [c.value for c in t06.header[1]] == ["科目编码", "科目名称", "决算数"] * 3
    assert all(sum(c.colspan for c in row) == 9 for row in t06.body)
    assert t06.value("personnel_total", "basic") == D("1567900.33")
    assert t06.value("public_total", "basic") == D("34567.89")
    # 06 equals 05's 基本支出, not its 合计.
    t05 = tables["05"]
    assert t05.value("total", "basic") == D("1602468.22")
    assert t05.value("total", "subtotal") == D("1802468.22")
    assert [c.value for c in t05.header[0]][1:] == ["合计", "基本支出", "项目支出"]
    assert not any(t.empty for n, t in tables.items() if n != "07")
    assert tables["08"].value("total", "closing") == D("40000.00")
    assert tables["09"].value("total", "total") == D("60000.00")


def test_every_check_runs_on_the_nine_table_set_with_no_false_finding(nine):
    data, tables = nine
    assert report_check(data, list(tables.values()), template=NATIONAL_9) == []


def test_checks_still_catch_errors_in_the_nine_table_set(nine):
    data, tables = nine
    # A basic economic line dropped: 06 no longer equals 05's basic spending.
    data.economic_facts = [f for f in data.economic_facts if f.code != "30211"]
    tables = report_fill(NATIONAL_9.tables, data)
    findings = report_check(data, tables, template=NATIONAL_9)
    assert [(f.code, f.table, f.row, f.column) for f in findings] == [
        ("cross.economic", "05", "合计", "basic")
    ]


def test_project_spending_never_enters_the_basic_table(nine):
    _, tables = nine
    # 30227 委托业务费 is 200,000.00 of project spending: its row prints, empty.
    assert tables["06"].value("30227", "basic") == 0
    # Basic spending on a code that basic spending cannot use has no row to go to: reported.
    data = nine_table_data(unit="元")
    data.economic_facts.append(EconomicRow("30901", "basic", D("10.00")))
    data.economic_facts.append(EconomicRow("30211", "basic", D("-10.00")))
    findings = report_check(data, report_fill(NATIONAL_9.tables, data), template=NATIONAL_9)
    assert {(f.code, f.table) for f in findings} == {
        ("cross.economic", "05"),
        ("amount.negative", "06"),
    }


def test_headline_figures_by_meaning_in_either_set(nine, seed_data, seed_tables):
    data, tables = nine
    nine_figures = main_figures(list(tables.values()), data.figures)
    seed_figures = main_figures(list(seed_tables.values()), seed_data.figures)
    assert {m.key for m in MAIN_FIGURES} == set(nine_figures) == set(seed_figures)
    # Disclosed in the text (no table 10) and still a headline figure.
    assert nine_figures["admin_cost"] == D("34567.89")
    assert nine_figures["procurement"] == D("170000.00")
    assert nine_figures["vehicles"] == 3
    assert nine_figures["personnel"] == D("1567900.33")
    assert nine_figures["three_public"] == D("15000.00")
    assert seed_figures["admin_cost"] == D("235594.00")
    assert seed_figures["personnel"] == D("2861353.00")
    assert seed_figures["vehicles"] == 1
    assert seed_figures["three_public"] is None


def test_text_items_of_the_nine_table_set(nine):
    data, _ = nine
    items = report_fill([NATIONAL_9.text_items], data)[0]
    assert isinstance(items.definition, FormTable)
    assert items.value("admin_cost.total", "value") == D("34567.89")
    assert items.value("procurement.total", "value") == D("170000.00")
    assert items.value("procurement.sme_share", "value") == D("88.24")  # 150,000 / 170,000
    assert items.value("procurement.micro_share", "value") == D("47.06")
    assert items.value("vehicles.total", "value") == 3
    assert items.value("equipment_over_1m", "value") is None
    # The seed's set keeps the small-and-medium-firm lines in its text, as the seed does.
    seed_items = [r.key for r in STANDARD_10.text_items.rows if hasattr(r, "key")]
    assert seed_items == [
        "procurement.sme",
        "procurement.sme_share",
        "procurement.micro",
        "procurement.micro_share",
    ]
