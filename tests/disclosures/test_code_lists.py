"""A new year starts ready: a report created for a year with no code list carries the nearest
year's forward (marked carried), the filler is told, the forms name every code, the checks do not
cry wolf, and a system admin confirms the carried list, makes one from another year or replaces it
by importing the year's own."""

import io
import re

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Membership, User
from disclosures import services, workflow
from disclosures.checks import ERROR, WARNING, report_check
from disclosures.engine import Code, EconomicRow, FactRow, ReportData
from disclosures.entry import UNLISTED
from disclosures.models import (
    ChangeRecord,
    ClassificationCode,
    EconomicFact,
    Fact,
    Report,
    ReportRow,
)
from disclosures.selectors import (
    code_list_carried,
    code_list_notice,
    report_entry_index,
    report_findings,
)
from disclosures.synthetic import synthetic_generate, synthetic_remove
from disclosures.tables import STANDARD_10

pytestmark = pytest.mark.django_db
PASSWORD = "Pw-2023-codes!"
NOTICE = "2023年度尚无科目表，已沿用2022年度科目表，待系统管理员确认或导入"


def staff(username: str, role: str, *departments) -> User:
    user = User.objects.create_user(username, password=PASSWORD, role=role, is_staff=True)
    for department in departments:
        Membership.objects.create(user=user, department=department)
    return user


@pytest.fixture
def filler(client, demo_report):
    client.force_login(staff("tianbao", "filler", demo_report.department))
    return client


@pytest.fixture
def sysadmin(client, demo_report):
    client.force_login(staff("xitong", "admin"))
    return client


def codes(year: int) -> set[tuple]:
    return set(
        ClassificationCode.objects.filter(year=year).values_list(
            "kind", "code", "name", "level", "group", "basic_applicable", "fund", "order"
        )
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def entry_url(report: Report, key: str = "") -> str:
    if not key:
        return reverse("admin:disclosures_report_entry_index", args=[report.pk])
    return reverse("admin:disclosures_report_entry", args=[report.pk, key])


def assert_carried_from_2022(year: int = 2023) -> None:
    assert codes(year) == codes(2022) and codes(2022)
    assert set(
        ClassificationCode.objects.filter(year=year).values_list("carried_from", flat=True)
    ) == {2022}
    assert not ClassificationCode.objects.filter(year=2022, carried_from__isnull=False).exists()


def next_year_with_last_years_figures(report: Report) -> Report:
    """2023 from the published 2022, with the 2022 amounts typed in again (every code the
    seed uses, functional and economic)."""
    new = services.report_next_year(report=report, user=None)
    Fact.objects.bulk_create(
        Fact(report=new, measure=f.measure, code=f.code, source=f.source, nature=f.nature,
             amount=f.amount)
        for f in report.facts.all()
    )  # fmt: skip
    EconomicFact.objects.bulk_create(
        EconomicFact(report=new, code=f.code, nature=f.nature, amount=f.amount)
        for f in report.economic_facts.all()
    )
    return new


# ---------------------------------------------------------------------------------------------
# Creating a report carries the list forward, by every path


def test_the_admin_add_form_carries_last_years_list_and_tells_the_filler(filler, demo_report):
    assert not ClassificationCode.objects.filter(year=2023).exists()
    response = filler.post(
        reverse("admin:disclosures_report_add"),
        {"department": demo_report.department.pk, "year": "2023", "template": "", "unit": "元"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_carried_from_2022()
    assert any(NOTICE in m for m in messages_of(response))
    new = Report.objects.get(department=demo_report.department, year=2023)
    # The notice stays on the report's staff pages while the list is carried.
    for url in (entry_url(new), entry_url(new, "05"), reverse(
        "admin:disclosures_report_checks", args=[new.pk]
    )):  # fmt: skip
        page = filler.get(url).content.decode()
        assert 'class="code-list-notice"' in page and NOTICE in page, url
    record = ChangeRecord.objects.get(report=None, report_label="2023年度科目表")
    assert record.username == "tianbao" and "沿用2022年度" in record.summary


def test_the_admin_add_form_starts_with_the_years_standard_glossary(filler, demo_report):
    from disclosures.models import GlossaryEntry

    GlossaryEntry.objects.create(year=2023, order=1, heading="财政拨款收入", body="标准解释。")
    filler.post(
        reverse("admin:disclosures_report_add"),
        {"department": demo_report.department.pk, "year": "2023", "template": "", "unit": "元"},
    )
    new = Report.objects.get(department=demo_report.department, year=2023)
    glossary = new.sections.filter(part="glossary")
    assert list(glossary.values_list("heading", "body")) == [("财政拨款收入", "标准解释。")]


def test_next_year_carries_the_list_and_a_second_report_of_the_year_copies_nothing(
    client, demo_report
):
    client.force_login(staff("xitong", "admin"))
    response = client.post(reverse("admin:disclosures_report_next_year", args=[demo_report.pk]))
    assert response.status_code == 302
    assert any(NOTICE in m for m in messages_of(response))
    assert_carried_from_2022()
    before = ClassificationCode.objects.filter(year=2023).count()
    other = services.report_create(department=demo_report.department.supervisor, year=2023)
    assert ClassificationCode.objects.filter(year=2023).count() == before
    assert services.code_list_carry_forward(year=other.year) == 0


def test_the_new_years_forms_name_every_code_and_06_has_its_rows(filler, demo_report):
    new = next_year_with_last_years_figures(demo_report)
    assert_carried_from_2022()
    names = dict(
        ClassificationCode.objects.filter(year=2023).values_list("code", "name").distinct()
    )
    printed = 0
    for key, *_ in report_entry_index(report=new):
        page = filler.get(entry_url(new, key)).content.decode()
        assert UNLISTED not in page, key
        # Every code the form prints is followed by its name in the next cell.
        rows = re.findall(
            r'<td class="code[^"]*">(\d+)</td>\s*<th scope="row" class="label[^"]*">([^<]*)</th>',
            page,
        )
        printed += len(rows)
        for code, name in rows:
            assert name == names[code], (key, code, name)
    assert printed > 100  # 02, 03, 05, 08, 09 by 类/款/项 and 06 by 类/款
    page = filler.get(entry_url(new, "06")).content.decode()
    for code, name in (("30101", "基本工资"), ("30201", "办公费"), ("302", "商品和服务支出")):
        assert re.search(rf">{code}</td>\s*<th[^>]*>{name}</th>", page), code
    assert 'name="econ|30101|basic"' in page
    page = filler.get(entry_url(new, "05")).content.decode()
    assert ">2012901</td>" in page and "行政运行" in page


def test_the_checks_raise_no_code_unknown_on_the_carried_draft(demo_report):
    new = next_year_with_last_years_figures(demo_report)
    findings = report_findings(report=new)
    assert new.facts.exists() and new.economic_facts.exists()
    assert [f for f in findings if f.code == "code.unknown"] == []
    # The same figures, checked against 2022's own list, raise none either.
    assert not [f for f in report_findings(report=demo_report) if f.code == "code.unknown"]


def test_a_correction_keeps_its_years_list(demo_report):
    before = codes(2022)
    new = workflow.report_correct(
        report=demo_report, user=staff("xitong", "admin"), reason="更正一处数字。"
    )
    assert new.year == 2022 and codes(2022) == before
    assert not code_list_carried(year=2022)


def test_the_workbook_import_of_a_year_without_a_list_carries_one_first(sysadmin, demo_report):
    # A report made before carrying forward existed: its year has no list.
    old = Report.objects.create(
        department=demo_report.department, year=2023, template="standard-10"
    )
    assert not ClassificationCode.objects.filter(year=2023).exists()
    # The seed's figures, in the seed's workbook, imported into it.
    workbook = sysadmin.get(reverse("admin:disclosures_report_workbook", args=[demo_report.pk]))
    batch = services.import_preview(
        report=old, content=workbook.content, filename="2022.xlsx", user=None
    )
    assert_carried_from_2022()
    assert batch.changes and not [p for p in batch.problems if p[2] == "unknown_code"]


def test_the_nearest_earlier_year_is_carried_else_the_nearest_later(db):
    for year in (2020, 2022):
        services.code_list_import(
            year=year,
            functional=[{"code": "201", "name": f"一般公共服务支出{year}", "level": "类"}],
            economic=[{"code": "301", "name": "工资福利支出", "level": "类"}],
        )
    assert services.code_list_carry_forward(year=2021) == 2
    assert code_list_carried(year=2021) == {"functional": 2020, "economic": 2020}
    assert services.code_list_carry_forward(year=2019) == 2
    assert code_list_carried(year=2019) == {"functional": 2020, "economic": 2020}
    assert services.code_list_carry_forward(year=2025) == 2
    assert code_list_carried(year=2025) == {"functional": 2022, "economic": 2022}
    # A year with one kind of its own carries only the other.
    services.code_list_import(
        year=2030, functional=[{"code": "201", "name": "一般公共服务", "level": "类"}], economic=[]
    )
    assert services.code_list_carry_forward(year=2030) == 1
    assert code_list_carried(year=2030) == {"economic": 2025}
    assert code_list_notice(year=2030) == (
        "2030年度科目表中，支出经济分类沿用2025年度，待系统管理员确认或导入。"
    )


def test_a_list_copied_for_synthetic_data_is_kept_once_a_real_report_needs_it(demo_report):
    synthetic_generate(departments=2, years=range(2021, 2022))
    assert code_list_carried(year=2021) == {"functional": 2022, "economic": 2022}
    services.report_create(department=demo_report.department, year=2021)
    assert not ClassificationCode.objects.filter(year=2021, synthetic=True).exists()
    synthetic_remove()
    assert codes(2021) == codes(2022)
    assert code_list_carried(year=2021) == {"functional": 2022, "economic": 2022}


# ---------------------------------------------------------------------------------------------
# The checks do not cry wolf


def data_with(functional: list[Code], economic: list[Code], carried=None) -> ReportData:
    return ReportData(
        department="测试单位",
        year=2023,
        functional_codes=functional,
        economic_codes=economic,
        facts=[
            FactRow("expense", "2012901", "general", "basic", 100),
            FactRow("expense", "2080101", "general", "basic", 50),
        ],
        economic_facts=[EconomicRow("30101", "basic", 150)],
        codes_carried=carried or {},
    )


def unknown(data: ReportData) -> list:
    return [f for f in report_check(data, [], template=STANDARD_10) if f.code == "code.unknown"]


def test_a_year_without_a_list_is_one_warning_per_kind_not_a_cascade():
    findings = unknown(data_with([], []))
    assert [(f.severity, f.row) for f in findings] == [(WARNING, ""), (WARNING, "")]
    assert "2023年度尚无支出功能分类科目表" in findings[0].message


def test_a_code_missing_from_a_carried_list_is_a_warning_and_from_the_years_own_an_error():
    functional = [Code("201", "一般公共服务支出", "类"), Code("20129", "群众团体事务", "款")]
    functional.append(Code("2012901", "行政运行", "项"))
    economic = [Code("301", "工资福利支出", "类"), Code("30101", "基本工资", "款")]
    own = unknown(data_with(functional, economic))
    assert [(f.severity, f.row) for f in own] == [
        (ERROR, "208"),
        (ERROR, "20801"),
        (ERROR, "2080101"),
    ]
    carried = unknown(data_with(functional, economic, {"functional": 2022, "economic": 2022}))
    assert [(f.severity, f.row) for f in carried] == [
        (WARNING, "208"),
        (WARNING, "20801"),
        (WARNING, "2080101"),
    ]
    assert "沿用2022年度" in carried[0].message


# ---------------------------------------------------------------------------------------------
# No form shows a code without its name


def test_a_code_the_list_does_not_name_is_labelled_not_left_blank(filler, demo_report):
    new = services.report_next_year(report=demo_report, user=None)
    ReportRow.objects.create(report=new, code="2299999")
    page = filler.get(entry_url(new, "05")).content.decode()
    assert re.search(rf">2299999</td>\s*<th[^>]*>{re.escape(UNLISTED)}</th>", page)
    assert f'aria-label="2299999 {UNLISTED} ' in page


# ---------------------------------------------------------------------------------------------
# The code-list admin: 以某年为基础, 确认沿用, import


def test_create_from_a_year_is_previewed_then_copied_marked_carried(sysadmin):
    url = reverse("admin:disclosures_classificationcode_create_from")
    page = sysadmin.get(url).content.decode()
    assert "作为基础的年度" in page and 'value="2023"' in page  # the next year, suggested
    page = sysadmin.post(url, {"source": "2022", "year": "2023", "action": "preview"})
    page = page.content.decode()
    assert "预览：以2022年度为基础新建2023年度科目表" in page and "确认新建" in page
    assert not ClassificationCode.objects.filter(year=2023).exists()
    response = sysadmin.post(url, {"source": "2022", "year": "2023", "action": "apply"})
    assert response.status_code == 302
    assert_carried_from_2022()
    listing = sysadmin.get(reverse("admin:disclosures_classificationcode_changelist"))
    assert "沿用2022年度，待确认或导入" in listing.content.decode()
    # A year with a list of its own is refused, with the reason, and nothing changes.
    page = sysadmin.post(url, {"source": "2023", "year": "2022", "action": "apply"})
    assert "2022年度已有科目表" in page.content.decode()
    assert not ClassificationCode.objects.filter(year=2022, carried_from__isnull=False).exists()


def test_confirm_clears_the_mark_and_is_recorded(sysadmin, demo_report):
    services.report_next_year(report=demo_report, user=None)
    listing = sysadmin.get(reverse("admin:disclosures_classificationcode_changelist"))
    assert "确认沿用" in listing.content.decode()
    response = sysadmin.post(
        reverse("admin:disclosures_classificationcode_confirm"), {"year": "2023"}
    )
    assert response.status_code == 302
    assert "已确认沿用2023年度科目表" in " ".join(messages_of(response))
    assert not ClassificationCode.objects.filter(year=2023, carried_from__isnull=False).exists()
    assert codes(2023) == codes(2022)
    record = ChangeRecord.objects.get(report=None, summary__startswith="确认沿用")
    assert record.username == "xitong" and record.changes[0][1:] == ["沿用2022年度", "已确认"]
    assert code_list_notice(year=2023) == ""
    # Nothing left to confirm: said so, nothing changes.
    response = sysadmin.post(
        reverse("admin:disclosures_classificationcode_confirm"), {"year": "2023"}
    )
    assert "不是沿用的" in " ".join(messages_of(response))


def test_a_filler_may_neither_create_from_a_year_nor_confirm(filler, demo_report):
    services.report_next_year(report=demo_report, user=None)
    create_from = reverse("admin:disclosures_classificationcode_create_from")
    assert filler.get(create_from).status_code == 403
    response = filler.post(create_from, {"source": "2022", "year": "2024", "action": "apply"})
    assert response.status_code == 403
    confirm = reverse("admin:disclosures_classificationcode_confirm")
    assert filler.post(confirm, {"year": "2023"}).status_code == 403
    assert not ClassificationCode.objects.filter(year=2024).exists()
    assert code_list_carried(year=2023) == {"functional": 2022, "economic": 2022}
    assert filler.get(reverse("admin:disclosures_classificationcode_changelist")).status_code == 403


def code_sheet(rows: list[list]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["科目编码", "科目名称"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "codes-2023.xlsx"
    return out


def test_importing_the_years_list_replaces_the_carried_one(sysadmin, demo_report):
    services.report_next_year(report=demo_report, user=None)
    url = reverse("admin:disclosures_classificationcode_import")
    rows = [["201", "一般公共服务支出"], ["20129", "群众团体事务"], ["2012901", "行政运行"]]
    page = sysadmin.post(url, {"year": "2023", "kind": "functional", "file": code_sheet(rows)})
    page = page.content.decode()
    carried = ClassificationCode.objects.filter(year=2023, kind="functional").count()
    assert "目前沿用2022年度" in page and f"本文件没有的 {carried - 3} 条将删除" in page
    assert code_list_carried(year=2023) == {"functional": 2022, "economic": 2022}  # not yet
    assert sysadmin.post(url, {"action": "apply"}).status_code == 302
    functional = ClassificationCode.objects.filter(year=2023, kind="functional")
    assert set(functional.values_list("code", flat=True)) == {"201", "20129", "2012901"}
    assert not functional.filter(carried_from__isnull=False).exists()
    # The economic list is still carried, and the notice says so.
    assert code_list_carried(year=2023) == {"economic": 2022}
    assert "支出经济分类沿用2022年度" in code_list_notice(year=2023)
    assert ChangeRecord.objects.filter(report=None, action="import").exists()
