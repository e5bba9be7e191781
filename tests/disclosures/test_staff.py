"""The staff side of a report: entry forms from the definitions, other data, profile, texts,
checks linked to cells, preview, a new year from the last."""

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from disclosures.entry import cell_anchor, read_keys, template_homes
from disclosures.models import (
    ClassificationCode,
    EconomicFact,
    Fact,
    GlossaryEntry,
    Report,
    ReportFigures,
    ReportRow,
    ReportSection,
)
from disclosures.selectors import FIGURE_FIELDS, report_entry_index
from disclosures.tables import TEMPLATES
from tests.conftest import copy_code_lists
from tests.factories import nine_table_report

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def draft(demo_draft):
    return demo_draft


def url(name: str, report, *args) -> str:
    return reverse(f"admin:disclosures_report_{name}", args=[report.pk, *args])


def inputs(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="text" name="([^"]+)" value="([^"]*)"', page)
    }


# ---------------------------------------------------------------------------------------------
# Homes: every figure typed in exactly one place


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=lambda t: t.key)
def test_every_key_a_printed_cell_reads_has_exactly_one_home(template):
    homes = template_homes(template, FIGURE_FIELDS)  # raises if a key had two homes
    assert read_keys(template) <= set(homes)
    by_form = {}
    for key, home in homes.items():
        by_form.setdefault(home.form, []).append(key)
    # The appropriations' spending is typed on their own tables, never on 03.
    assert ("fact", "expense", "general", "basic") in by_form["05"]
    assert ("fact", "expense", "fund", "basic") in by_form["08"]
    assert ("fact", "expense", "capital", "project") in by_form["09"]
    assert ("fact", "expense", "nonfiscal", "basic") in by_form["03"]
    assert ("fact", "income", "service", "") in by_form["02"]
    assert not any(k[:2] == ("fact", "income") and k[2] == "general" for k in by_form["02"])
    assert "01" not in by_form and "04" not in by_form


def test_a_key_typed_twice_is_refused():
    from dataclasses import replace

    from disclosures.engine import Col, Facts

    standard = TEMPLATES["standard-10"]
    t03 = standard.tables[2]
    twice = replace(
        t03,
        entry_columns=(
            *t03.entry_columns,
            Col("dup", "重复", value=Facts("expense", ("general",), ("basic",))),
        ),
    )
    broken = replace(standard, tables=tuple(twice if t is t03 else t for t in standard.tables))
    with pytest.raises(ValueError, match="typed both"):
        template_homes(broken, FIGURE_FIELDS)


# ---------------------------------------------------------------------------------------------
# Forms


@pytest.mark.parametrize("which", ["seed", "nine"])
def test_every_form_of_either_set_opens(boss, draft, which):
    report = draft if which == "seed" else nine_table_report(publish=False)
    forms = report_entry_index(report=report)
    assert len(forms) == (11 if which == "seed" else 10)
    for key, caption, _title, read_only in forms:
        page = boss.get(url("entry", report, key)).content.decode()
        assert caption in page
        assert bool(inputs(page)) != read_only, key
    assert {key for key, *_, ro in forms if ro} == {"01", "04"}
    assert boss.get(url("entry", report, "10" if which == "nine" else "11")).status_code == 404


def test_a_form_looks_like_its_table_and_says_where_figures_are_typed(boss, draft):
    page = boss.get(url("entry", draft, "03")).content.decode()
    assert "「基本支出」由 公开05表「基本支出」、公开08表「基本支出」、公开09表「基本支出」" in page
    assert "只在本表填报" in page
    # The 03 合计 row: 5,939,150.00, of which nothing is typed here: base is all of it.
    anchor = cell_anchor("03", "合计", "total")
    cell = re.search(rf'id="{anchor}" data-base="([^"]+)" data-terms="([^"]*)"', page)
    assert cell.group(1) == "5939150.00"
    assert "fact|expense|2012901|nonfiscal|basic" in cell.group(2).split()
    page05 = boss.get(url("entry", draft, "05")).content.decode()
    values = inputs(page05)
    assert values["fact|expense|2012901|general|basic"] == "2,459,668.00"
    assert values["fact|income|2012901|general|"] == "2,659,668.00"
    assert 'aria-label="2012901 行政运行 基本支出"' in page05
    page06 = boss.get(url("entry", draft, "06")).content.decode()
    assert 'id="cell-06-30901-basic">────' in page06  # basic spending cannot use 309
    assert "econ|30901|project" in inputs(page06)


def test_a_form_names_its_body_columns_for_a_paste_with_its_header(boss, draft):
    """Each body column: its header label, the headings above it, its 栏次, and whether it
    takes a figure (input), adds others up (derived) or holds the code or name (stub)."""
    columns = re.findall(
        r'<col data-label="([^"]*)" data-groups="([^"]*)" data-number="([^"]*)" '
        r'data-kind="([^"]*)">',
        boss.get(url("entry", draft, "05")).content.decode(),
    )
    assert columns == [
        ("功能分类科目编码", "项目", "", "stub"),
        ("科目名称", "项目", "", "stub"),
        ("小计", "本年支出", "1", "derived"),
        ("基本支出", "本年支出", "2", "input"),
        ("项目支出", "本年支出", "3", "input"),
        ("本年收入（一般公共预算财政拨款）", "只在本表填报（不印制）", "", "input"),
        ("年初结转和结余（一般公共预算财政拨款）", "只在本表填报（不印制）", "", "input"),
        ("年末结转和结余（一般公共预算财政拨款）", "只在本表填报（不印制）", "", "input"),
    ]
    page07 = boss.get(url("entry", draft, "07")).content.decode()
    assert (
        '<col data-label="小计" data-groups="决算数|公务用车购置及运行维护费" data-number="9" '
        'data-kind="derived">' in page07
    )
    # A tree form with no 项 row yet still knows its input columns.
    ReportRow.objects.filter(report=draft).delete()
    Fact.objects.filter(report=draft).delete()
    page09 = boss.get(url("entry", draft, "09")).content.decode()
    assert (
        '<col data-label="基本支出" data-groups="本年支出" data-number="2" data-kind="input">'
        in page09
    )


def test_save_accepts_separators_and_recomputes(boss, draft):
    form = inputs(boss.get(url("entry", draft, "05")).content.decode())
    form["fact|expense|2012901|general|basic"] = "2,459,668.5"
    form["fact|expense|2012901|general|project"] = "200000.50"
    response = boss.post(url("entry", draft, "05"), {**form, "action": "save"})
    assert response.status_code == 302
    assert "已保存 公开05表（修改 2 处）" in boss.get(response["Location"]).content.decode()
    facts = {
        (f.code, f.nature): f.amount
        for f in Fact.objects.filter(report=draft, measure="expense", source="general")
    }
    assert facts[("2012901", "basic")] == D("2459668.50")
    assert facts[("2012901", "project")] == D("200000.50")
    page = boss.get(url("entry", draft, "03")).content.decode()
    cell = re.search(rf'id="{cell_anchor("03", "合计", "total")}" data-base="([^"]+)"', page)
    assert cell.group(1) == "5939151.00"


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("fact|expense|2012901|general|basic", "12a", "不是金额"),
        ("fact|expense|2012901|general|basic", "1.234", "最多保留两位小数"),
        ("fact|expense|2012901|general|basic", "-5", "不能为负数"),
        ("fact|expense|2012901|general|basic", "12,34", "千位分隔符位置不对"),
    ],
)
def test_a_bad_cell_is_marked_and_nothing_is_saved(boss, draft, name, typed, message):
    before = sorted(Fact.objects.filter(report=draft).values_list("code", "nature", "amount"))
    form = inputs(boss.get(url("entry", draft, "05")).content.decode())
    form["fact|expense|2012999|general|project"] = "1.00"  # a good change beside the bad one
    form[name] = typed
    response = boss.post(url("entry", draft, "05"), {**form, "action": "save"})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "本次没有保存任何数据" in page
    # The refused input stays on screen, marked at its cell.
    assert f'name="{name}" value="{typed}"' in page and 'aria-invalid="true"' in page
    after = sorted(Fact.objects.filter(report=draft).values_list("code", "nature", "amount"))
    assert after == before


def test_balances_may_be_negative_and_counts_are_whole(boss, draft):
    form = inputs(boss.get(url("entry", draft, "05")).content.decode())
    form["fact|closing|2012901|general|"] = "-100.00"
    assert boss.post(url("entry", draft, "05"), {**form, "action": "save"}).status_code == 302
    assert Fact.objects.get(report=draft, measure="closing").amount == D("-100.00")
    form = inputs(boss.get(url("entry", draft, "10")).content.decode())
    form["figure|vehicles_other"] = "1.5"
    page = boss.post(url("entry", draft, "10"), {**form, "action": "save"}).content.decode()
    assert "数量须为整数" in page
    form["figure|vehicles_other"] = "2"
    form["figure|admin_cost_admin_units"] = "２３５，５９４．００"  # full-width, as IMEs type
    assert boss.post(url("entry", draft, "10"), {**form, "action": "save"}).status_code == 302
    figures = ReportFigures.objects.get(report=draft)
    assert figures.vehicles_other == 2 and figures.admin_cost_admin_units == D("235594.00")


def test_three_public_blank_is_undisclosed_and_zero_is_zero(boss, draft):
    form = inputs(boss.get(url("entry", draft, "07")).content.decode())
    assert set(form) == {
        f"figure|tp_{k}_{i}"
        for k in ("budget", "actual")
        for i in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
    }
    form["figure|tp_actual_reception"] = "0"
    boss.post(url("entry", draft, "07"), {**form, "action": "save"})
    figures = ReportFigures.objects.get(report=draft)
    assert figures.tp_actual_reception == 0 and figures.tp_actual_abroad is None


def test_add_a_row_by_code_or_name(boss, draft):
    ClassificationCode.objects.create(
        year=2022, kind="functional", code="2010101", name="人大行政运行", level="项"
    )
    ClassificationCode.objects.create(
        year=2022, kind="functional", code="20101", name="人大事务", level="款"
    )
    form = inputs(boss.get(url("entry", draft, "05")).content.decode())
    form["fact|expense|2012999|general|project"] = "2710001.00"  # typed, not yet saved
    response = boss.post(
        url("entry", draft, "05"), {**form, "action": "add_row", "new_row": "2010101"}
    )
    page = response.content.decode()
    assert "已添加科目行 2010101" in page
    assert 'name="fact|expense|2010101|general|basic"' in page
    assert 'value="2710001.00"' in page  # what was typed is still there
    assert ReportRow.objects.filter(report=draft, code="2010101").exists()
    assert not Fact.objects.filter(report=draft, amount=D("2710001.00")).exists()
    response = boss.post(
        url("entry", draft, "05"), {"action": "add_row", "new_row": "人大行政运行"}
    )
    assert response.status_code == 200 and "已添加科目行 2010101" in response.content.decode()
    for text, message in (
        ("9999999", "不是2022年科目表"),
        ("２０１０１０１", "没有名为"),
        ("行政", "没有名为"),
    ):
        page = boss.post(
            url("entry", draft, "05"), {"action": "add_row", "new_row": text}
        ).content.decode()
        assert message in page, text


def test_other_data_form(boss, draft):
    page = boss.get(url("figures", draft)).content.decode()
    assert "使用非财政拨款结余" in page and "年初预算数" in page
    response = boss.post(
        url("figures", draft),
        {
            "use_of_non_appropriation_balance": "10.00",
            "balance_distribution": "0",
            "prior_year_total": "5295600.00",
            "initial_budget": "5285700.00",
            "personnel_initial_budget": "2267900.00",
            "admin_cost_prior_year": "212000.00",
        },
    )
    assert response.status_code == 302
    assert ReportFigures.objects.get(report=draft).use_of_non_appropriation_balance == 10


def test_checks_page_links_each_finding_to_the_cells_where_it_is_fixed(boss, draft):
    EconomicFact.objects.filter(report=draft, code="30201").delete()  # 06 no longer equals 05
    page = html.unescape(boss.get(url("checks", draft)).content.decode())
    # 06 against 05, and the text's 公用经费 against 06 (the text still says 167,797.00).
    assert "经济分类与一般公共预算支出一致" in page and "情况说明中的金额与表中一致" in page
    errors = re.search(r"错误 (\d+) 条", page)[1]
    # 05's 合计 is derived: the link opens 05 at the 项 inputs that add up to it, all marked.
    path, anchor = re.search(r'href="([^"]+/entry/05/\?mark=[^"#]+)#([^"]+)"', page).groups()
    marks = parse_qs(urlsplit(path).query)["mark"][0].split(",")
    assert anchor == marks[0] == cell_anchor("05", "2012901", "basic")
    form = boss.get(path).content.decode()
    for mark in marks:
        assert f'<td class="input" id="{mark}">' in form
    # The index counts them too, and a save reports the checks.
    assert f"错误 {errors} 条，警告 1 条" in boss.get(url("entry_index", draft)).content.decode()


# ---------------------------------------------------------------------------------------------
# Profile, texts, preview, a new year


def test_profile_is_this_years_only(boss, draft):
    nxt = boss.post(url("next_year", draft))
    assert nxt.status_code == 302
    later = Report.objects.get(department=draft.department, year=2023)
    page = boss.get(url("profile", later)).content.decode()
    assert "三部一室" in page
    form = {
        "organisation": "内设办公室、财务部。",
        "admin_quota": "6",
        "service_quota": "0",
        "institution_quota": "18",
        "actual_total": "22",
        "actual_admin": "6",
        "actual_institution": "16",
        "independent_accounting_units": "1",
        "duties-TOTAL_FORMS": "1",
        "duties-INITIAL_FORMS": "0",
        "duties-0-number": "1",
        "duties-0-text": "新的职责",
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
    }
    # Replace the carried duties: delete them all, add one.
    for i, duty in enumerate(later.duties.order_by("number")):
        form.update(
            {
                f"duties-{i}-id": str(duty.pk),
                f"duties-{i}-number": str(duty.number),
                f"duties-{i}-text": duty.text,
                f"duties-{i}-DELETE": "on",
            }
        )
    n = later.duties.count()
    form["duties-TOTAL_FORMS"] = str(n + 1)
    form["duties-INITIAL_FORMS"] = str(n)
    form[f"duties-{n}-number"] = "1"
    form[f"duties-{n}-text"] = "新的职责"
    del form["duties-0-number"], form["duties-0-text"]
    form["duties-0-number"] = "1"
    form["duties-0-text"] = later.duties.order_by("number").first().text
    assert boss.post(url("profile", later), form).status_code == 302
    later.refresh_from_db()
    assert later.profile.actual_total == 22
    assert list(later.duties.values_list("text", flat=True)) == ["新的职责"]
    draft.refresh_from_db()
    assert draft.profile.actual_total == 21 and draft.duties.count() == 8


def test_glossary_starts_from_the_years_standard(boss, draft):
    assert GlossaryEntry.objects.filter(year=2022).count() == 12
    boss.post(url("next_year", draft))
    later = Report.objects.get(department=draft.department, year=2023)
    # No standard text for 2023 yet: last year's glossary is carried over.
    glossary = later.sections.filter(part="glossary").order_by("order")
    assert glossary.count() == 12 and glossary.first().body
    explanation = later.sections.filter(part="explanation").order_by("order")
    assert explanation.first().heading == "一、收入支出决算总体情况说明"
    assert all(s.body == "" for s in explanation)  # headings only
    page = boss.get(url("texts", later)).content.decode()
    assert "第三部分 情况说明" in page and "第四部分 名词解释" in page
    # The system admin keeps 2023's standard text; an empty glossary loads it.
    GlossaryEntry.objects.create(year=2023, order=1, heading="财政拨款收入", body="新的解释。")
    ReportSection.objects.filter(report=later, part="glossary").delete()
    page = boss.post(url("texts", later), {"action": "glossary"}, follow=True).content.decode()
    assert "已载入2023年度标准名词解释 1 条" in page
    assert list(later.sections.filter(part="glossary").values_list("body", flat=True)) == [
        "新的解释。"
    ]


def test_a_new_year_carries_rows_not_amounts_and_shows_last_years_figure(boss, draft):
    response = boss.post(url("next_year", draft))
    later = Report.objects.get(department=draft.department, year=2023)
    assert response["Location"] == url("entry_index", later)
    assert later.status == "draft" and later.template == draft.template and later.unit == "元"
    assert not later.facts.exists() and not later.economic_facts.exists()
    assert set(later.rows.values_list("code", flat=True)) == set(
        draft.facts.values_list("code", flat=True)
    )
    copy_code_lists(to_year=2023)
    page = boss.get(url("entry", later, "05")).content.decode()
    assert inputs(page)["fact|expense|2012901|general|basic"] == ""
    assert "上年 2,459,668.00" in page
    # A second time: the year exists.
    page = boss.post(url("next_year", draft), follow=True).content.decode()
    assert "2023年度的报告已经存在" in page


def test_preview_of_a_draft_and_its_files(boss, client, draft):
    page = boss.get(url("preview", draft)).content.decode()
    assert "预览：本报告处于“草稿”状态" in page
    assert url("preview_file", draft, "pdf") in page
    assert url("preview_table_file", draft, "03", "xlsx") in page
    assert boss.get(url("preview_file", draft, "csv")).status_code == 200
    assert boss.get(url("preview_table_file", draft, "03", "json")).status_code == 200
    response = boss.get(url("preview_file", draft, "xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert boss.get(url("preview_table_file", draft, "42", "csv")).status_code == 404
    # Drafts stay off the public site.
    assert client.get("/departments/021001/2022/").status_code == 404


def test_staff_side_is_chinese_whatever_the_browser_asks(client, draft):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in page and "登录" in page and "Username" not in page


ENGLISH = re.compile(r"[A-Za-z]{3,}")
# Words a Chinese staff page may show: formats, and the names and codes staff gave things.
ALLOWED = {"PDF", "Excel", "CSV", "JSON", "xlsx", "csv", "Tab", "boss", "BOSS"}


def visible_words(page: str) -> set[str]:
    # Scripts, styles and pictures are not read; rule codes (<code>) are identifiers on purpose.
    page = re.sub(r"<(script|style|svg|code)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return {w for w in ENGLISH.findall(" ".join([text, *attributes])) if w not in ALLOWED}


def test_staff_pages_are_all_chinese(boss, draft):
    pages = [
        reverse("admin:index"),
        reverse("admin:disclosures_report_changelist"),
        url("change", draft),
        url("entry_index", draft),
        url("entry", draft, "05"),
        url("entry", draft, "01"),
        url("figures", draft),
        url("profile", draft),
        url("texts", draft),
        url("checks", draft),
        url("import", draft),
        reverse("admin:disclosures_classificationcode_import"),
        reverse("admin:accounts_user_changelist"),
    ]
    for page in pages:
        words = visible_words(boss.get(page).content.decode())
        assert words == set(), (page, sorted(words))
