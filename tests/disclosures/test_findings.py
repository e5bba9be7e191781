"""Findings for people: every code a check emits has a Chinese name and a plain explanation, and
each finding on the 审核 page links to where it is fixed — the input cells a figure adds up, the
sentence of 情况说明, the field of the self-evaluation."""

import html
import re
from dataclasses import replace
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from disclosures import selectors
from disclosures.checks import RULE_TEXTS, RULES, report_check, rule_text
from disclosures.engine import EconomicRow, FactRow, report_fill
from disclosures.tables import STANDARD_10
from tests.conftest import clean_seed_data, seed_report_data
from tests.disclosures import test_checks, test_narrative
from tests.performance import test_checks as test_evaluation_checks

D = Decimal
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(data, tables=None):
    tables = tables if tables is not None else report_fill(STANDARD_10.tables, data)
    return report_check(data, list(tables), template=STANDARD_10)


def broken_runs():
    """The checks on data broken every way the rules' own tests break it, and on the seed as
    printed (its real inconsistencies)."""
    yield run(seed_report_data())
    for breaker in test_checks.BREAKERS.values():
        data = clean_seed_data()
        tables = {t.number: t for t in report_fill(STANDARD_10.tables, data)}
        data, tables, _ = breaker(data, tables)
        yield run(data, tables.values() if tables is not None else None)
    for heading, old, new, _ in test_narrative.BREAKS.values():
        yield run(test_narrative.edit(clean_seed_data(), heading, old, new))
    for breaker, *_ in test_evaluation_checks.BREAKS.values():
        yield run(breaker(clean_seed_data()))
    # 06's 三公 lines against 07, and a general-budget code on the fund table.
    data = clean_seed_data()
    data.figures["tp_actual_reception"] = data.figures["tp_budget_reception"] = D("3000.00")
    yield run(data)
    data = clean_seed_data()
    data.facts.append(FactRow("expense", "2012901", "fund", "project", D("100.00")))
    yield run(data)


@pytest.fixture(scope="module")
def emitted() -> set[str]:
    return {f.code for findings in broken_runs() for f in findings}


def test_every_code_the_checks_emit_on_broken_data_has_a_name_and_an_explanation(emitted):
    assert len(emitted) >= 50
    assert emitted - set(RULE_TEXTS) == set()
    for code in emitted:
        text = rule_text(code)
        assert text.name != code and text.explanation


def test_the_registry_explains_every_rule_and_nothing_stale(emitted):
    rules = {r.code for r in RULES}
    # Every registered rule, every code seen on broken data, and nothing else.
    assert set(RULE_TEXTS) == rules | emitted
    for code, text in RULE_TEXTS.items():
        assert text.code == code
        assert CJK.search(text.name) and 4 <= len(text.name) <= 24, text
        # What the rule checks and how to fix it, for a finance officer: Chinese sentences,
        # no rule code, no programmer's words.
        assert CJK.search(text.explanation) and len(text.explanation) >= 30, text
        assert text.explanation.endswith("。"), text
        assert "请" in text.explanation or "说明" in text.explanation, text
        assert not re.search(r"[a-z_]+\.[a-z_]+|None|null|key", text.explanation), text


def test_a_code_nobody_explained_shows_as_itself():
    assert rule_text("no.such_code").name == "no.such_code"


# ---------------------------------------------------------------------------------------------
# The 审核 page: each family broken in the demo draft, its group and its link


def tamper(change):
    """Breaks the filled tables the checks read (a typed or imported subtotal), as
    tests/disclosures/test_checks.py does."""

    def apply(report, monkeypatch):
        fill = selectors.report_tables

        def tampered(**kwargs):
            tables = fill(**kwargs)
            change({t.number: t for t in tables})
            return tables

        monkeypatch.setattr(selectors, "report_tables", tampered)

    return apply


def in_db(change):
    def apply(report, monkeypatch):
        change(report)

    return apply


def _add_facts(report):
    from disclosures.models import Fact

    Fact.objects.create(
        report=report, measure="income", code="2019999", source="general", amount=D(10)
    )
    Fact.objects.create(
        report=report,
        measure="expense",
        code="2019999",
        source="general",
        nature="basic",
        amount=D(10),
    )


def _fund_on_a_general_code(report):
    from disclosures.models import Fact

    for measure, nature in (("income", ""), ("expense", "project")):
        Fact.objects.create(
            report=report,
            measure=measure,
            code="2012901",
            source="fund",
            nature=nature,
            amount=D(100),
        )


def _old_name(report):
    from disclosures.models import PrintedName

    PrintedName.objects.create(
        report=report, kind="functional", code="210", name="医疗卫生与计划生育支出"
    )


def _three_public_partly(report):
    from disclosures.models import ReportFigures

    items = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
    values = {f"tp_{k}_{i}": D(0) for k in ("budget", "actual") for i in items}
    values["tp_actual_abroad"] = None
    ReportFigures.objects.filter(report=report).update(**values)


def _edit_text(code):
    heading, old, new, _ = test_narrative.BREAKS[code]

    def edit(report):
        from disclosures.models import ReportSection

        section = ReportSection.objects.get(report=report, part="explanation", heading=heading)
        assert old in section.body
        section.body = section.body.replace(old, new, 1)
        section.save()

    return edit


def _without(word):
    def edit(report):
        from disclosures.models import ReportSection

        for section in ReportSection.objects.filter(report=report, part="explanation"):
            if word in section.heading + section.body:
                section.delete()

    return edit


def _printed(row, column, value):
    def add(report):
        from disclosures.models import PrintedCell

        PrintedCell.objects.create(report=report, table="03", row=row, column=column, value=value)

    return add


def _evaluation(name, **changes):
    def change(report):
        from performance.models import Evaluation

        Evaluation.objects.filter(report=report, name=name).update(**changes)

    return change


def _indicator(name, order, **changes):
    def change(report):
        from performance.models import Indicator

        Indicator.objects.filter(
            evaluation__report=report, evaluation__name=name, order=order
        ).update(**changes)

    return change


def _set(table, row, column, value):
    return tamper(lambda tables: tables[table].values.__setitem__((row, column), D(value)))


def _drop_economic(code):
    def drop(report):
        from disclosures.models import EconomicFact

        EconomicFact.objects.filter(report=report, code=code).delete()

    return drop


# code -> (how it is broken, the page its link opens)
CASES = {
    # table sums: a subtotal typed or imported that its parts do not add up to
    "sum.tree": (_set("02", "201", "fiscal", "1.00"), "entry"),
    "sum.columns": (_set("05", "2012901", "subtotal", "2659668.01"), "entry"),
    "balance.lines": (_set("01", "income.total", "amount", "5939149.00"), "entry"),
    # across tables
    "cross.economic": (in_db(_drop_economic("30201")), "entry"),
    "cross.income": (_set("02", "total", "fiscal", "5939100.00"), "entry"),
    "cross.expense": (_set("03", "210", "total", "88716.00"), "entry"),
    # codes and amounts
    "code.unknown": (in_db(_add_facts), "entry"),
    "fund.code_not_fund": (in_db(_fund_on_a_general_code), "entry"),
    "code.name_differs": (in_db(_old_name), "entry"),
    # 三公
    "three_public.undisclosed": (in_db(_three_public_partly), "entry"),
    "three_public.sum": (
        tamper(lambda t: t["07"].values.__setitem__(("three_public", "actual_total"), D(1))),
        "entry",
    ),
    "three_public.no_data": (in_db(lambda report: None), "entry"),
    # 情况说明
    "text.amount_differs": (in_db(_edit_text("text.amount_differs")), "texts"),
    "text.percent_differs": (in_db(_edit_text("text.percent_differs")), "texts"),
    "text.reason_missing": (in_db(_edit_text("text.reason_missing")), "texts"),
    "text.punctuation": (in_db(_edit_text("text.punctuation")), "texts"),
    "complete.text_admin_cost": (in_db(_without("机关运行经费")), "texts"),
    # figures as a published document printed them
    "printed.differs": (in_db(_printed("total", "total", D("1234.50"))), "entry"),
    "printed.unplaced": (in_db(_printed("total", "no_such_column", D(1))), "import"),
    # self-evaluations
    "evaluation.score_over_weight": (in_db(_indicator("工会经费", 6, score=D(12))), "evaluation"),
    "evaluation.grade": (in_db(_evaluation("工会经费", grade="良")), "evaluation"),
    "evaluation.execution_rate": (
        in_db(_evaluation("养老救助", execution_rate=D(98))),
        "evaluation",
    ),
    "evaluation.weights": (
        in_db(_indicator("养老救助", 1, weight=D(25), score=D(25))),
        "evaluation",
    ),
}
PAGES = {
    "entry": "/entry/",
    "texts": "/texts/",
    "evaluation": "/admin/performance/evaluation/",
    "import": "/import/",
}


def group_of(page: str, code: str) -> str:
    m = re.search(
        rf'<section class="rule-group[^"]*" id="rule-{re.escape(code)}".*?</section>', page, re.S
    )
    assert m, f"no group for {code}"
    return m[0]


def field_tag(page: str, element_id: str) -> str:
    m = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', page)
    assert m, f"no field {element_id}"
    return m[0]


def assert_input_cell(form: str, anchor: str) -> None:
    """An input cell of an entry form (or a field of 其他数据): typed in, not derived."""
    if anchor.startswith("id_"):
        tag = field_tag(form, anchor)
    else:
        m = re.search(rf'<td class="([^"]*)" id="{re.escape(anchor)}">\s*(<input\b[^>]*>)', form)
        assert m, f"{anchor} is not an input cell"
        assert m[1].split()[0] == "input"
        tag = m[2]
    assert "disabled" not in tag and "readonly" not in tag


def textarea_text(page: str, element_id: str) -> str:
    m = re.search(
        rf'<textarea\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</textarea>', page, re.S
    )
    assert m, element_id
    return html.unescape(m[1]).removeprefix("\n")


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(CASES))
def test_a_finding_shows_its_rule_and_links_to_where_it_is_fixed(
    code, boss, demo_draft, monkeypatch
):
    breaker, expected = CASES[code]
    breaker(demo_draft, monkeypatch)
    checks = reverse("admin:disclosures_report_checks", args=[demo_draft.pk])
    page = boss.get(checks).content.decode()
    group = group_of(page, code)
    text = RULE_TEXTS[code]
    assert html.unescape(group).count(text.name) == 1
    assert text.explanation in html.unescape(group)
    assert f"<small>规则代码 <code>{code}</code></small>" in group
    links = [html.unescape(u) for u in re.findall(r'<a href="([^"]+)"', group)]
    assert links, f"{code}: no link"
    for link in links[:3]:
        url, _, anchor = link.partition("#")
        assert PAGES[expected] in urlsplit(url).path, link
        target = boss.get(url)
        assert target.status_code == 200, link
        body = target.content.decode()
        marks = parse_qs(urlsplit(url).query).get("mark", [""])[0].split(",")
        if expected == "entry":
            # The cells where the facts are typed, never a derived one: the first focused,
            # every one the figure adds up marked.
            assert_input_cell(body, anchor)
            for mark in filter(None, marks):
                assert_input_cell(body, mark)
            assert not marks[0] or marks[0] == anchor
        elif expected == "texts":
            assert_text_finding(body, anchor, code)
        elif expected == "evaluation":
            assert_input_cell(body, anchor)
            for mark in filter(None, marks):
                assert_input_cell(body, mark)
        else:
            assert "导入" in body


def assert_text_finding(page: str, anchor: str, code: str) -> None:
    """The finding, listed on the texts page under its section: the words it is about are the
    characters its data-start/data-end select in the section's box."""
    m = re.search(
        rf'<li id="{re.escape(anchor)}" class="finding-(?:error|warning)"([^>]*)>(.*?)</li>',
        page,
        re.S,
    )
    assert m, f"{anchor} missing on the texts page"
    item = html.unescape(m[2])
    assert RULE_TEXTS[code].name in item
    box = re.search(r'data-textarea="([^"]+)" data-start="(\d+)" data-end="(\d+)"', m[1])
    if code.startswith("complete."):
        assert box is None  # about 情况说明 as a whole: listed above the sections
        return
    assert box, f"{anchor} selects nothing"
    text = textarea_text(page, box[1])
    chosen = text[int(box[2]) : int(box[3])]
    assert chosen
    if code == "text.punctuation":
        assert chosen in ("。。", "；；", "。；") and f"“{chosen}”" in item
    else:
        assert f"「{chosen}」" in item  # the sentence the finding quotes


@pytest.mark.django_db
def test_the_seeds_findings_link_to_their_sentences_and_fields(boss):
    """The demo draft as the seed printed it (its real inconsistencies): every link of the 审核
    page opens a page where its target exists."""
    from disclosures.services import demo_load

    report = demo_load(publish=False)
    page = boss.get(reverse("admin:disclosures_report_checks", args=[report.pk]))
    groups = "".join(
        re.findall(r'<section class="rule-group.*?</section>', page.content.decode(), re.S)
    )
    links = {html.unescape(u) for u in re.findall(r'<a href="([^"]+)"', groups)}
    assert len(links) >= 40
    pages: dict[str, str] = {}
    for link in sorted(links):
        url, _, anchor = link.partition("#")
        if url not in pages:
            pages[url] = boss.get(url).content.decode()
        assert f'id="{anchor}"' in pages[url], link
    # The text punctuation of a self-evaluation: the doubled marks, selected in their box.
    [link] = [u for u in links if "sel=" in u and "id_improvements" in u][:1]
    url, _, anchor = link.partition("#")
    start, end = map(int, parse_qs(urlsplit(url).query)["sel"][0].split(","))
    assert textarea_text(pages[url], anchor)[start:end] in ("。。", "。；")


@pytest.mark.django_db
def test_the_workflow_page_and_the_entry_index_name_the_rules(boss, demo_draft):
    _edit_text("text.amount_differs")(demo_draft)
    workflow = html.unescape(
        boss.get(
            reverse("admin:disclosures_report_workflow", args=[demo_draft.pk])
        ).content.decode()
    )
    for code in ("text.amount_differs", "three_public.no_data"):
        assert RULE_TEXTS[code].name in workflow and RULE_TEXTS[code].explanation in workflow
        assert f"<code>{code}</code></small>" in workflow
    assert "/texts/#finding-" in workflow and "/entry/07/" in workflow
    index = html.unescape(
        boss.get(
            reverse("admin:disclosures_report_entry_index", args=[demo_draft.pk])
        ).content.decode()
    )
    assert f'#rule-text.amount_differs">{RULE_TEXTS["text.amount_differs"].name}</a> 1 条' in index


@pytest.mark.django_db
def test_a_derived_cell_of_01_links_to_the_inputs_that_feed_it(boss, demo_draft, monkeypatch):
    """01 is read-only: a finding at its 本年收入合计 opens the form where the income is typed by
    项 — 05's 本年收入 column holds all of it in the seed — every 项 marked."""
    _set("01", "income.general", "amount", "1.00")(demo_draft, monkeypatch)
    checks = reverse("admin:disclosures_report_checks", args=[demo_draft.pk])
    page = html.unescape(boss.get(checks).content.decode())
    place = "公开01表 第27行 本年收入合计「决算数」"
    link = re.search(rf"<td>{place}</td>.*?<a href=\"([^\"]+)\"", page, re.S)[1]
    url, _, anchor = link.partition("#")
    marks = parse_qs(urlsplit(url).query)["mark"][0].split(",")
    assert "/entry/05/" in url and anchor == marks[0]
    assert all(m.startswith("cell-05-") and m.endswith("-entry_income") for m in marks)
    assert len(marks) == 8  # the seed's eight 项


def places_for(data):
    """The places of a report's findings with no database: the seed's forms built from `data`."""
    from disclosures.entry import entry_form, entry_tables, template_homes
    from disclosures.places import FindingPlaces
    from disclosures.selectors import FIGURE_FIELDS

    tables = report_fill(STANDARD_10.tables, data)
    homes = template_homes(STANDARD_10, FIGURE_FIELDS)
    codes = sorted({f.code for f in data.facts if len(f.code) == 7})
    places = FindingPlaces(
        report=1,
        data=data,
        tables=tables,
        homes=homes,
        item_codes=codes,
        forms=lambda: [
            entry_form(t, data, homes, item_codes=codes) for t in entry_tables(STANDARD_10)
        ],
        sections=list,
        evaluations=list,
    )
    return [places.row(f) for f in run(data, tables)]


def test_a_finding_on_a_code_links_to_the_rows_of_that_code(seed_data):
    """A fact at a 款 code has no row on any form; a negative economic line (no form stores one,
    an import may bring one) links to its own input cell on 06."""
    facts = [*seed_data.facts, FactRow("income", "20129", "general", "", D("10.00"))]
    [row] = [
        r for r in places_for(replace(seed_data, facts=facts)) if r.finding.code == "code.level"
    ]
    # No row prints it: the link opens the 项 of that 款, where it belongs; the explanation
    # says how the misplaced figure goes.
    assert {m.rsplit("-", 1)[0] for m in row.target.marks} == {
        "cell-05-2012901",
        "cell-05-2012999",
    }
    assert "重新导入" in row.text.explanation
    lines = [*seed_data.economic_facts, EconomicRow("30201", "basic", D(-1))]
    rows = places_for(replace(seed_data, economic_facts=lines))
    [row] = [r for r in rows if r.finding.code == "amount.negative"]
    assert row.target.anchor == "cell-06-30201-basic"
    assert row.url == "/admin/disclosures/report/1/entry/06/#cell-06-30201-basic"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["filler", "reviewer"])
def test_the_indicator_rows_a_finding_links_to_follow_the_report(client, demo_draft, role):
    """The self-evaluation's form shows its 绩效指标 and 资金来源 rows to the staff of the report:
    a 填报人 of the draft edits them, a 审核人 reads them."""
    from accounts.models import Membership, User
    from performance.models import Evaluation

    user = User.objects.create_user("staff", password="Pw-2022-finding!", role=role, is_staff=True)
    Membership.objects.create(user=user, department=demo_draft.department)
    client.force_login(user)
    evaluation = Evaluation.objects.get(report=demo_draft, name="两节送温暖")
    change = reverse("admin:performance_evaluation_change", args=[evaluation.pk])
    page = client.get(change).content.decode()
    assert 'id="indicators-group"' in page and 'id="funding-group"' in page
    assert "受益人员满意度" in page
    if role == "filler":
        assert_input_cell(page, "id_indicators-6-score")
        assert_input_cell(page, "id_funding-0-budget")
    else:
        assert 'id="id_indicators-6-score"' not in page  # read only: shown, not a field
        assert "绩效指标" in page


@pytest.mark.django_db
def test_the_nine_table_set_links_each_finding_to_a_place_that_is_there(boss):
    """A 万元 report of the national nine-table set (no 公开10表; the 情况说明 items on a form of
    their own): the 审核 page opens, and each of its links finds its target."""
    from disclosures.models import Fact
    from tests.factories import nine_table_report

    report = nine_table_report(publish=False)
    fact = Fact.objects.filter(report=report, measure="expense").first()
    Fact.objects.create(
        report=report,
        measure="expense",
        code=fact.code,
        source="fund",
        nature="project",
        amount=D(100),
    )
    page = boss.get(reverse("admin:disclosures_report_checks", args=[report.pk]))
    assert page.status_code == 200
    groups = "".join(
        re.findall(r'<section class="rule-group.*?</section>', page.content.decode(), re.S)
    )
    links = {html.unescape(u) for u in re.findall(r'<a href="([^"]+)"', groups)}
    assert links
    for link in links:
        url, _, anchor = link.partition("#")
        assert f'id="{anchor}"' in boss.get(url).content.decode(), link
