"""Every rule of the check engine, each with data that breaks it; the seed passes the arithmetic."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from disclosures.checks import ERROR, RULES, WARNING, findings_summary, report_check
from disclosures.engine import FactRow, report_fill
from disclosures.tables import STANDARD_10

D = Decimal


def run(data, tables=None):
    tables = tables if tables is not None else report_fill(STANDARD_10.tables, data)
    if isinstance(tables, dict):
        tables = list(tables.values())
    return report_check(data, tables, template=STANDARD_10)


def codes(findings):
    return {f.code for f in findings}


def test_seed_passes_every_arithmetic_rule(seed_data):
    findings = run(seed_data)
    assert [f for f in findings if f.severity == ERROR] == []
    # The one finding is real: the seed publishes 公开07表 with no data at all.
    assert [(f.code, f.severity, f.table) for f in findings] == [
        ("three_public.no_data", WARNING, "07")
    ]
    assert findings_summary(findings) == "共 1 条：错误 0 条，警告 1 条"


def test_every_rule_has_code_severity_and_a_breaking_test():
    registered = {r.code for r in RULES}
    from tests.disclosures.test_narrative import BREAKS as TEXT_BREAKS
    from tests.performance.test_checks import BREAKS as EVALUATION_BREAKS

    # Rules with their breaking tests elsewhere: the text rules (test_narrative.py), the
    # self-evaluation rules and the cross checks of separately entered figures
    # (tests/performance/test_checks.py).
    elsewhere = {
        "text.figures",  # its codes: text.amount_differs, text.percent_differs, …
        "evaluation.coverage",
        "cross.three_public_economic",
        "fund.code_not_fund",
    }
    breaking = {c for c in TEXT_BREAKS if c in registered} | set(EVALUATION_BREAKS) | elsewhere
    assert registered == set(BREAKERS) | {"three_public.no_data"} | breaking
    for r in RULES:
        assert r.severity in (ERROR, WARNING)
        assert r.title
    # Cross-table rules are named by what they compare, not by a set's table numbers.
    assert not any(re.search(r"\d\d", code) for code in registered)


# Each breaker takes the seed data and its filled tables, breaks one rule, and returns the
# (data, tables) to check and the location (table, row, column) the finding must point at.


def break_tree(data, tables):
    tables["02"].values[("201", "fiscal")] = D("1.00")  # a typed 类 subtotal
    return data, tables, ("02", "201", "fiscal")


def break_columns(data, tables):
    tables["05"].values[("2012901", "subtotal")] = D("2659668.01")
    return data, tables, ("05", "2012901", "subtotal")


def break_balance_lines(data, tables):
    tables["01"].values[("income.total", "amount")] = D("5939149.00")
    return data, tables, ("01", "27", "amount")


def break_balance_totals(data, tables):
    # A closing balance with nothing on the income side to fund it: 01 and 04 no longer balance.
    data.facts.append(FactRow("closing", "2012901", "general", "", D("100.00")))
    tables = {t.number: t for t in report_fill(STANDARD_10.tables, data)}
    return data, tables, ("01", "62", "amount")


def break_t01_t02(data, tables):
    tables["02"].values[("total", "fiscal")] = D("5939100.00")
    return data, tables, ("02", "合计", "fiscal")


def break_t01_t03(data, tables):
    tables["03"].values[("210", "total")] = D("88716.00")
    return data, tables, ("03", "210", "total")


def break_t04_t05(data, tables):
    tables["05"].values[("221", "subtotal")] = D("0.00")
    return data, tables, ("05", "221", "subtotal")


def break_t04_t08(data, tables):
    tables["08"].values[("total", "income")] = D("50.00")
    return data, tables, ("08", "合计", "income")


def break_t04_t09(data, tables):
    tables["09"].values[("total", "total")] = D("50.00")
    return data, tables, ("09", "合计", "total")


def break_t06_t05(data, tables):
    # An economic figure missing from 06: the facts no longer agree with 05.
    data.economic_facts = [f for f in data.economic_facts if f.code != "30201"]
    tables = {t.number: t for t in report_fill(STANDARD_10.tables, data)}
    return data, tables, ("05", "合计", "subtotal")


def _with_three_public(data):
    for kind in ("budget", "actual"):
        for item, amount in (
            ("abroad", "0"),
            ("vehicle_purchase", "0"),
            ("vehicle_operation", "12000"),
            ("reception", "3000"),
        ):
            data.figures[f"tp_{kind}_{item}"] = D(amount)
    return {t.number: t for t in report_fill(STANDARD_10.tables, data)}


def break_three_public_sum(data, tables):
    tables = _with_three_public(data)
    assert tables["07"].value("three_public", "actual_total") == D("15000")
    tables["07"].values[("three_public", "actual_total")] = D("14000")
    return data, tables, ("07", "“三公”经费", "actual_total")


def break_three_public_vehicle(data, tables):
    tables = _with_three_public(data)
    tables["07"].values[("three_public", "budget_vehicle")] = D("11000")
    return data, tables, ("07", "“三公”经费", "budget_vehicle")


def break_three_public_undisclosed(data, tables):
    tables = _with_three_public(data)
    data.figures["tp_actual_abroad"] = None
    return data, tables, ("07", "“三公”经费", "actual_abroad")


def break_code_unknown(data, tables):
    data.facts.append(FactRow("income", "2019999", "general", "", D("10.00")))
    data.facts.append(FactRow("expense", "2019999", "general", "basic", D("10.00")))
    return data, None, ("", "2019999", "")


def break_code_level(data, tables):
    data.facts.append(FactRow("income", "20129", "general", "", D("10.00")))
    return data, None, ("", "20129", "")


def break_negative(data, tables):
    data.facts[0] = replace(data.facts[0], amount=-data.facts[0].amount)
    return data, None, ("", data.facts[0].code, "general")


def break_table_missing(data, tables):
    del tables["09"]
    return data, tables, ("09", "", "")


def break_no_data_note(data, tables):
    tables["08"].empty_note = ""
    return data, tables, ("08", "", "")


def break_text_three_public(data, tables):
    data.texts = [(h, b) for h, b in data.texts if "三公" not in h + b]
    return data, tables, ("", "", "")


def break_text_admin_cost(data, tables):
    data.texts = [(h, b) for h, b in data.texts if "机关运行经费" not in h + b]
    return data, tables, ("", "", "")


def break_printed_differs(data, tables):
    # The seed's 03 合计 as a published document might misprint it: 1,234.50 for 5,939,150.00.
    data.printed[("03", "total", "total")] = D("1234.50")
    return data, tables, ("03", "合计", "total")


def break_printed_unplaced(data, tables):
    data.printed[("03", "total", "no_such_column")] = D("1.00")
    return data, tables, ("03", "total", "no_such_column")


def break_name_differs(data, tables):
    # An older name for 210, as reports before 2019 print it.
    data.names[("functional", "210")] = "医疗卫生与计划生育支出"
    return data, tables, ("01", "210", "")


BREAKERS = {
    "sum.tree": break_tree,
    "sum.columns": break_columns,
    "balance.lines": break_balance_lines,
    "balance.totals": break_balance_totals,
    "cross.income": break_t01_t02,
    "cross.expense": break_t01_t03,
    "cross.general_budget": break_t04_t05,
    "cross.fund": break_t04_t08,
    "cross.capital": break_t04_t09,
    "cross.economic": break_t06_t05,
    "three_public.sum": break_three_public_sum,
    "three_public.vehicle_sum": break_three_public_vehicle,
    "three_public.undisclosed": break_three_public_undisclosed,
    "code.unknown": break_code_unknown,
    "code.level": break_code_level,
    "amount.negative": break_negative,
    "code.name_differs": break_name_differs,
    "printed.differs": break_printed_differs,
    "printed.unplaced": break_printed_unplaced,
    "complete.table_missing": break_table_missing,
    "complete.no_data_note": break_no_data_note,
    "complete.text_three_public": break_text_three_public,
    "complete.text_admin_cost": break_text_admin_cost,
}


@pytest.mark.parametrize("code", sorted(BREAKERS))
def test_rule_catches_broken_data(code, seed_data, seed_tables):
    assert code not in codes(run(seed_data, seed_tables))
    data, tables, (table, row, column) = BREAKERS[code](seed_data, seed_tables)
    findings = [f for f in run(data, tables) if f.code == code]
    assert findings, f"{code} found nothing"
    assert any((f.table, f.row, f.column) == (table, row, column) for f in findings), findings
    severity = next(r.severity for r in RULES if r.code == code)
    assert all(f.severity == severity for f in findings)
    assert all(f.message for f in findings)


def test_three_public_no_data_is_a_warning_until_items_are_disclosed(seed_data):
    assert "three_public.no_data" in codes(run(seed_data))
    _with_three_public(seed_data)
    findings = run(seed_data)
    assert "three_public.no_data" not in codes(findings)
    # All items disclosed, sums right: nothing to report but the text, which still says 0.00.
    # And 06, which has no line for the 07 amounts _with_three_public discloses.
    assert {f.code for f in findings} == {"text.amount_differs", "cross.three_public_economic"}


def test_finding_prints_severity_code_and_location():
    from disclosures.checks import Finding

    finding = Finding("sum.tree", ERROR, "不平", "02", "201", "fiscal")
    assert str(finding) == "错误 sum.tree 公开02表 行 201 列 fiscal：不平"
    assert Finding("complete.text_admin_cost", ERROR, "缺").location == "报告"
