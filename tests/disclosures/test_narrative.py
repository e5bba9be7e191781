"""情况说明 against the tables (DESIGN.md §5 item 7): each rule broken on the seed once its real
inconsistencies are fixed (`clean_seed`), and the parser on the usual phrasings."""

from dataclasses import replace
from decimal import Decimal

import pytest

from disclosures.checks import RULES, report_check
from disclosures.engine import report_fill
from disclosures.narrative import same_amount, tokens
from disclosures.tables import STANDARD_10

D = Decimal
S1 = "一、收入支出决算总体情况说明"
S2 = "二、收入决算情况说明"
S5 = "五、一般公共预算财政拨款支出决算情况说明"
S9 = "九、财政拨款“三公”经费支出决算情况说明"
S10 = "十、其他重要事项情况说明"


def run(data):
    return report_check(data, report_fill(STANDARD_10.tables, data), template=STANDARD_10)


def edit(data, heading, old, new):
    texts = []
    for h, body in data.texts:
        if h == heading:
            assert old in body, (old, body)
            body = body.replace(old, new, 1)
        texts.append((h, body))
    return replace(data, texts=texts)


def test_the_clean_seed_has_no_text_finding(clean_seed):
    assert [f.code for f in run(clean_seed)] == ["three_public.no_data"]


# code -> (section, old, new, row of the finding)
BREAKS = {
    "text.amount_differs": (
        S2,
        "财政拨款收入5,939,150.00元",
        "财政拨款收入5,939,105.00元",
        "第2句",
    ),
    "text.amount_unknown": (S5, "支出决算5,939,150.00元", "支出决算5,939,151.00元", ""),
    "text.percent_differs": (S2, "占比100.00%", "占比99.99%", "第2句"),
    "text.change_differs": (S1, "收入总计增加643,550.00元", "收入总计增加643,500.00元", "第2句"),
    "text.rate_zero_base": (
        S10,
        "政府采购授予中小企业合同金额0.00元",
        "政府采购授予中小企业合同金额0.00元，占政府采购支出总额的0.00%",
        "",
    ),
    "text.count_decimal": (S9, "出国团组共0个", "出国团组共0.00个", ""),
    "text.count_differs": (S10, "其他用车1辆", "其他用车2辆", ""),
    "text.vehicles_fleet": (S9, "保有量共1辆", "保有量共0辆", ""),
    "text.evaluation_count": (S10, "一级项目绩效自评个数3个", "一级项目绩效自评个数4个", ""),
    "text.reason_missing": (S1, "主要原因是人员工资和专项费用增加影响。", "", "第2句"),
    "text.leftover": (S2, "其他收入0.00元", "其他收入XX元", "第1处"),
    "text.punctuation": (S2, "占比100.00%；", "占比100.00%；；", "第1处"),
    "text.repeated": (
        S2,
        "上级补助收入0.00元，占比0.00%；",
        "上级补助收入0.00元，占比0.00%；上级补助收入0.00元，占比0.00%；",
        "第1处",
    ),
}


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_text_rule_catches_broken_text(code, clean_seed):
    heading, old, new, row = BREAKS[code]
    data = edit(clean_seed, heading, old, new)
    findings = [f for f in run(data) if f.code == code]
    assert findings, f"{code} found nothing"
    assert any(f.part == f"情况说明「{heading}」" for f in findings), findings
    if row:
        assert any(f.row == row for f in findings), findings
    assert all(f.message and f.severity in ("error", "warning") for f in findings)


def test_the_finding_quotes_the_sentence_and_names_the_figure(clean_seed):
    data = edit(clean_seed, S2, "财政拨款收入5,939,150.00元", "财政拨款收入5,939,105.00元")
    [finding] = [f for f in run(data) if f.code == "text.amount_differs"]
    assert "「财政拨款收入5,939,105.00元，占比100.00%；」" in finding.message
    assert "应等于财政拨款收入 5,939,150.00 元" in finding.message
    assert finding.location == f"情况说明「{S2}」 行 第2句"


def test_a_growth_rate_is_checked_against_the_portals_previous_report(clean_seed):
    # The portal's report of 2021 says 5,000,000: the stated increase and rate are both wrong.
    data = replace(clean_seed, previous={"income_grand_total": D("5000000.00")})
    findings = [f for f in run(data) if f.part == f"情况说明「{S1}」"]
    assert {f.code for f in findings} == {"text.change_differs", "text.percent_differs"}
    assert "上年 5,000,000.00 元应增加 939,150.00 元" in findings[0].message


def test_a_line_that_changed_by_ten_percent_needs_a_reason(clean_seed):
    # 2021's 项目支出 was half: a 100 % rise nobody explains.
    data = replace(clean_seed, previous={"project": D("1455000.00")})
    [finding] = [f for f in run(data) if f.code == "text.reason_missing"]
    assert finding.row == "项目支出" and "变化 100.00%" in finding.message
    explained = edit(
        data,
        "三、支出决算情况说明",
        "项目支出2,910,000.00元，占比49.00%；",
        "项目支出2,910,000.00元，占比49.00%，主要原因是新增项目；",
    )
    assert "text.reason_missing" not in {f.code for f in run(explained)}


def test_the_parser_reads_the_usual_phrasings():
    found = tokens(
        "收入合计1,234,567.89元，比上年增加12.5万元（增长10.12%），其中：事业收入300000元，占24.30%，共3个项目、2辆车"
    )
    assert [(t.kind, t.value, t.unit, t.label) for t in found] == [
        ("amount", D("1234567.89"), "元", "收入合计"),
        ("amount", D("12.5"), "万元", "比上年增加"),
        ("percent", D("10.12"), "%", "（增长"),
        ("amount", D("300000"), "元", "事业收入"),
        ("percent", D("24.30"), "%", "占"),
        ("count", D("3"), "个", ""),
        ("count", D("2"), "辆", ""),
    ]
    assert same_amount(found[1], D("125000.00"))
    assert same_amount(tokens("人员经费286.1353万元")[0], D("2861353.00"))
    assert not same_amount(tokens("人员经费286.14万元")[0], D("2861300.00"))
    # A price threshold is not an amount of the report.
    assert tokens("单价100万元以上设备0台（套）")[0].kind == "count"


def test_growth_with_a_percentage_in_brackets_is_checked(clean_seed):
    data = edit(
        clean_seed,
        S1,
        "收入总计增加643,550.00元，增长12.15%",
        "收入总计增加64.355万元（增长12.51%）",
    )
    findings = [f for f in run(data) if f.code == "text.percent_differs"]
    assert findings and "应为 12.15%" in findings[0].message


def test_every_text_rule_is_registered_with_a_title():
    codes = {r.code for r in RULES}
    assert {"text.figures", "text.reason_missing", "text.leftover", "text.punctuation"} <= codes
