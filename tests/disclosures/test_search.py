"""Search at a province's scale: paginated and sortable (django-tables2), a fixed number of
queries whatever the results, and on PostgreSQL a trigram index under Chinese substrings."""

import re

import pytest
from django.db import connection

from disclosures.synthetic import synthetic_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(demo_report):
    synthetic_generate(departments=90, years=range(2021, 2023))


def rows(page: str) -> list[str]:
    body = page[page.index("<tbody") : page.index("</tbody>")]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def test_results_are_paginated_and_the_count_is_of_all_of_them(client, province):
    page = client.get("/search/", {"q": "财政局"}).content.decode()
    # Three counties, two years: six reports of a 财政局, one page.
    assert "找到 6 份报告" in page and len(rows(page)) == 6
    everything = client.get("/search/", {"q": "合成"}).content.decode()
    assert "找到 180 份报告" in everything and len(rows(everything)) == 20
    assert 'href="?q=%E5%90%88%E6%88%90&amp;page=2"' in everything
    last = client.get("/search/", {"q": "合成", "page": 9}).content.decode()
    assert len(rows(last)) == 20 and "合成数据" in last
    # A page past the end (an old link) shows the last page rather than an error.
    beyond = client.get("/search/", {"q": "合成", "page": 99})
    assert beyond.status_code == 200 and rows(beyond.content.decode()) == rows(last)


def test_results_sort_by_each_column(client, province):
    def years(sort):
        page = client.get("/search/", {"q": "财政局", "sort": sort}).content.decode()
        return re.findall(r"<td[^>]*>(\d{4})年</td>", page)

    assert years("year") == ["2021"] * 3 + ["2022"] * 3
    assert years("-year") == ["2022"] * 3 + ["2021"] * 3
    page = client.get("/search/", {"q": "财政局", "sort": "code"}).content.decode()
    codes = re.findall(r"<td[^>]*>(9\d{6})</td>", page)
    assert codes == sorted(codes) and len(codes) == 6


@pytest.mark.parametrize("query", ["合成", "财政局", "9000", "021001", "没有这个单位"])
def test_search_takes_the_same_queries_however_many_it_finds(
    client, province, django_assert_max_num_queries, query
):
    with django_assert_max_num_queries(4):
        assert client.get("/search/", {"q": query}).status_code == 200


def test_a_code_prefix_finds_the_departments_under_it(client, province):
    page = client.get("/search/", {"q": "90001"}).content.decode()
    codes = set(re.findall(r"<td[^>]*>(9\d{6})</td>", page))
    assert codes and all(code.startswith("90001") for code in codes)


def test_latin_letters_match_in_either_case_and_chinese_as_typed(client, demo_report):
    from disclosures.models import Department, Report

    department = Department.objects.create(
        code="021009",
        name="泽州县CBD管理委员会",
        nature="行政单位",
        region=demo_report.department.region,
    )
    Report.objects.create(
        department=department, year=2022, status="published", published_at=demo_report.published_at
    )
    for query in ("cbd", "CbD管理", "CBD", "管理委员会"):
        page = client.get("/search/", {"q": query}).content.decode()
        assert "泽州县CBD管理委员会 2022年度部门决算" in page, query


def explain(queryset) -> str:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_name_searches_are_served_by_trigram_indexes(province):
    from disclosures.models import Department

    # Chinese (no case): LIKE on the name itself; Latin letters: on the upper-cased name.
    assert "department_name_plain_trgm" in explain(
        Department.objects.filter(name__contains="县财政")
    )
    assert "department_name_trgm" in explain(Department.objects.filter(name__icontains="cbd"))
