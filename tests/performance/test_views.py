"""The public list of evaluated projects: published only, latest revision, filtered by region
(with the regions under it), year, type, grade and name; sortable; each row linked to its
evaluation on the report page; queries that do not grow with the rows."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from disclosures.models import Department, Region
from performance.models import Evaluation
from tests.conftest import make_report, publish

pytestmark = pytest.mark.django_db
URL = "/evaluations/"


def add_evaluations(report, rows):
    for order, (name, budget, executed, score, grade) in enumerate(rows, start=1):
        Evaluation.objects.create(
            report=report,
            kind="project",
            order=order,
            name=name,
            budget=Decimal(budget),
            executed=Decimal(executed),
            score=Decimal(score),
            grade=grade,
        )


@pytest.fixture
def world(demo_report):
    """The seed (泽州县, 2022, four evaluations) and 陵川县 under the same city, with a 2021
    report of two projects; a draft's evaluation that must never show."""
    city = demo_report.department.region.parent
    county = Region.objects.create(name="陵川县", level=Region.Level.COUNTY, parent=city)
    other = Department.objects.create(
        region=county, code="031001", name="陵川县教育局", nature="行政单位"
    )
    report = make_report(other, 2021, status="draft")
    add_evaluations(
        report,
        [
            ("校舍维修", "400000", "300000", "78.5", "中"),
            ("营养餐补助", "100000", "100000", "92", "优"),
        ],
    )
    publish(report)
    draft = make_report(other, 2022, status="draft")
    add_evaluations(draft, [("草稿中的项目", "1", "1", "60", "差")])
    return demo_report, county


def rows(response) -> list[list[str]]:
    html = response.content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def names(response) -> list[str]:
    return [row[3] for row in rows(response)]


def test_lists_every_published_evaluation_with_its_figures(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    listed = names(response)
    assert sorted(listed) == sorted(
        ["养老救助", "工会经费", "两节送温暖", "部门整体支出", "校舍维修", "营养餐补助"]
    )
    assert "草稿中的项目" not in response.content.decode()
    repair = next(r for r in rows(response) if r[3] == "校舍维修")
    # 年度 部门 地区 项目名称 类型 预算 执行 执行率 得分 等级
    assert repair == [
        "2021",
        "陵川县教育局",
        "陵川县",
        "校舍维修",
        "项目",
        "400,000.00",
        "300,000.00",
        "75.00%",
        "78.5",
        "中",
    ]
    page = response.content.decode()
    assert "共 6 项" in page and "其中项目 5 项" in page


def test_filters_by_region_with_its_children_year_kind_grade_and_name(client, world):
    seed, county = world
    city = county.parent
    assert len(names(client.get(URL, {"region": city.pk}))) == 6
    assert sorted(names(client.get(URL, {"region": county.pk}))) == ["校舍维修", "营养餐补助"]
    assert len(names(client.get(URL, {"region": seed.department.region.pk}))) == 4
    assert sorted(names(client.get(URL, {"year": 2021}))) == ["校舍维修", "营养餐补助"]
    assert names(client.get(URL, {"kind": "department"})) == ["部门整体支出"]
    assert names(client.get(URL, {"grade": "中"})) == ["校舍维修"]
    assert names(client.get(URL, {"q": "送温暖"})) == ["两节送温暖"]
    assert sorted(names(client.get(URL, {"q": "教育局"}))) == ["校舍维修", "营养餐补助"]
    page = client.get(URL).content.decode()
    assert "山西省 / 晋城市 / 陵川县" in page


def test_a_bad_filter_says_so_and_lists_everything(client, world):
    response = client.get(URL, {"year": "1999", "region": "999999"})
    assert response.status_code == 200
    assert "请检查筛选条件" in response.content.decode()
    assert len(names(response)) == 6


def test_sorts_by_score_and_execution_rate(client, world):
    scores = [Decimal(r[8]) for r in rows(client.get(URL, {"sort": "-score"}))]
    assert scores == sorted(scores, reverse=True) and scores[-1] == Decimal("78.5")
    by_rate = names(client.get(URL, {"sort": "rate"}))
    assert by_rate[0] == "校舍维修"  # 75% of its budget, the others 100%
    budgets = [Decimal(r[5].replace(",", "")) for r in rows(client.get(URL, {"sort": "budget"}))]
    assert budgets == sorted(budgets)


def test_each_row_links_to_its_evaluation_on_the_report_page(client, world):
    html = client.get(URL, {"q": "送温暖"}).content.decode()
    link = re.search(r'<a href="(/departments/021001/2022/)#([\w-]+)">两节送温暖</a>', html)
    assert link
    report_page = client.get(link.group(1)).content.decode()
    article = re.search(
        rf'<article class="evaluation" id="{link.group(2)}".*?</article>', report_page, re.S
    )
    assert article and "两节送温暖" in article.group(0)


def test_only_the_latest_revision_is_listed(client, world):
    from disclosures.workflow import report_correct, report_publish_loaded

    seed, _ = world
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss", "b@x.cn", "pw-123456-x")
    correction = report_correct(report=seed, user=boss, reason="更正自评得分")
    Evaluation.objects.filter(report=correction, name="工会经费").update(score=Decimal("91"))
    report_publish_loaded(report=correction)
    listed = rows(client.get(URL, {"q": "工会经费"}))
    assert [(r[3], r[8]) for r in listed] == [("工会经费", "91")]


def test_queries_do_not_grow_with_the_rows_and_pages_hold_fifty(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as few:
        client.get(URL)
    print(f"\nevaluation list: {len(few.captured_queries)} queries")
    other = Department.objects.get(code="031001")
    report = make_report(other, 2020, status="draft")
    add_evaluations(report, [(f"项目{n}", "100", "90", "90", "优") for n in range(60)])
    publish(report)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(names(response)) == 50 and "共 66 项" in response.content.decode()
    assert len(names(client.get(URL, {"page": 2}))) == 16


def test_the_header_links_to_the_list(client, world):
    assert reverse("performance:evaluations") in client.get("/").content.decode()
