"""The public site: finding, reading and comparing published reports; nothing else is public."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosures.models import ClassificationCode, Department, Fact, Region, Report
from tests.conftest import make_report, publish

pytestmark = pytest.mark.django_db

REPORT_URL = "/departments/021001/2022/"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_urls_are_readable_and_permanent():
    assert reverse("disclosures:report", args=["021001", 2022]) == REPORT_URL
    assert reverse("disclosures:table", args=["021001", 2022, "03"]) == REPORT_URL + "tables/03/"
    assert reverse("disclosures:department", args=["021001"]) == "/departments/021001/"
    assert reverse("disclosures:compare", args=["021001"]) == "/departments/021001/compare/"


def test_home_lists_latest_and_regions_and_each_region_has_its_page(client, demo_report):
    from disclosures.models import Region

    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-CN">' in page
    assert f'href="{REPORT_URL}"' in page
    # Provinces and their cities, with how many departments under each have published.
    regions = page[page.index("按地区浏览") :]
    province, city, county = (
        Region.objects.get(name=name) for name in ("山西省", "晋城市", "泽州县")
    )
    assert regions.index("山西省") < regions.index("晋城市")
    assert f'href="/regions/{province.pk}/"' in regions
    assert f'href="/regions/{city.pk}/"' in regions
    assert "1 个单位" in regions and "泽州县总工会" not in regions
    # A city's page lists its counties; a county's page its departments (paginated).
    city_page = client.get(f"/regions/{city.pk}/").content.decode()
    assert f'href="/regions/{county.pk}/"' in city_page and "山西省" in city_page
    county_page = client.get(f"/regions/{county.pk}/").content.decode()
    assert 'href="/departments/021001/"' in county_page
    assert 'href="/departments/021001/2022/">2022年度</a>' in county_page
    # The supervising department has no report of its own: it is not listed.
    assert 'href="/departments/021/"' not in county_page
    # A region with nothing published, or none at all, is not found.
    empty = Region.objects.create(name="空县", level="county", parent=city)
    assert client.get(f"/regions/{empty.pk}/").status_code == 404
    assert client.get("/regions/999999/").status_code == 404


@pytest.mark.parametrize("query", ["泽州县总工会", "总工会", "021001", "0210", "工会"])
def test_search_by_chinese_substring_or_code(client, demo_report, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert f'href="{REPORT_URL}"' in response.content.decode()
    assert "找到 1 份报告" in text(response)


def test_search_year_filter_and_no_match(client, demo_report):
    assert (
        f'href="{REPORT_URL}"'
        in client.get("/search/", {"q": "总工会", "year": 2022}).content.decode()
    )
    response = client.get("/search/", {"q": "教育局"})
    assert "没有找到符合条件的公开报告" in text(response)
    response = client.get("/search/", {"q": "总工会", "year": "abc"})
    assert response.status_code == 200  # a bad year is a form error, never a 500
    assert f'href="{REPORT_URL}"' not in response.content.decode()


def test_department_page_lists_years(client, demo_report):
    make_report(demo_report.department, 2023)
    response = client.get("/departments/021001/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index('href="/departments/021001/2023/"') < page.index(f'href="{REPORT_URL}"')
    assert "群众团体" in page and "021 泽州县总工会" in page


def test_report_page_has_five_parts_in_order_with_contents(client, demo_report):
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    page = text(response)
    parts = [
        "第一部分 概况",
        "第二部分 2022年部门决算表",
        "第三部分 情况说明",
        "第四部分 名词解释",
        "第五部分 附件",
    ]
    body = page[page.index("要点图解 第一部分") :]
    positions = [body.index(p) for p in parts]
    assert positions == sorted(positions)
    for n in range(1, 11):
        assert f'href="#table-{n:02d}"' in response.content.decode()
        assert f'id="table-{n:02d}"' in response.content.decode()
    assert "一、收入支出决算总体情况说明" in page
    assert "机关运行经费 指行政单位" in page
    assert "办公室、财务部、经济部、组宣部" in page
    assert "养老救助 绩效指标完成情况" in page
    assert "部门整体支出绩效自评：部门整体支出" in page


def unglued(html: str) -> str:
    """The page's text without the spans that keep a label's last two characters together."""
    return re.sub(r'<span class="nobr">(.*?)</span>', r"\1", html)


def table_html(response, number: str) -> str:
    page = unglued(response.content.decode())
    start = page.index(f'id="table-{number}"')
    return page[start : page.index("</table>", start)]


def test_tables_render_in_official_layout(client, demo_report):
    response = client.get(REPORT_URL)
    t03 = table_html(response, "03")
    assert "公开03表" in t03 and "支出决算表" in t03
    assert "部门名称：泽州县总工会" in t03 and "2022年度" in t03 and "金额单位：元" in t03
    assert '<th scope="colgroup" colspan="2">项目</th>' in t03
    assert '<th scope="col" rowspan="2">本年支出合计</th>' in t03
    assert '<th scope="colgroup" colspan="2">栏次</th>' in t03
    total_row = re.search(
        r"<tr>\s*<th scope=\"row\" class=\"label level-total\" colspan=\"2\">合计</th>(.*?)</tr>",
        t03,
        re.S,
    )
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", total_row.group(1))
    assert cells == ["5,939,150.00", "3,029,150.00", "2,910,000.00", "", "", ""]
    # 公开10表: no header on top; each part its own header row, column headers for its cells.
    t10 = table_html(response, "10")
    assert "<thead>" not in t10 and "金额（数量）" not in t10
    assert re.findall(r'<th scope="col" class="subhead">([^<]*)</th>', t10) == [
        *("项目", "行次", "采购金额"),
        *("项目", "行次", "统计数"),
    ]
    row = re.search(r"<td class=\"code level-项\">2012999</td>(.*?)</tr>", t03, re.S)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1)) == [
        "2,710,000.00",
        "",
        "2,710,000.00",
        "",
        "",
        "",
    ]
    t01 = table_html(response, "01")
    assert '<td class="line">32</td>' in t01 and '<td class="line">62</td>' in t01
    t06 = table_html(response, "06")
    assert t06.count("────") == 20
    assert '<th scope="colgroup" colspan="12">公用经费</th>' in t06
    page = response.content.decode()
    for number in ("07", "08", "09"):
        section = page[page.index(f'id="table-{number}"') :]
        # As the seed prints it: the 注 line first, then 说明：本表无数据.
        assert section.index('class="table-note"') < section.index("说明：本表无数据")


def test_charts_have_text_alternatives(client, demo_report):
    page = client.get(REPORT_URL).content.decode()
    for key in ("by-category", "basic-project", "income-sources", "year-change"):
        assert f'id="chart-{key}"' in page
    assert "一般公共服务支出5,369,668.00元（90.41%）" in page
    assert "基本支出3,029,150.00元（51.00%）" in page
    assert "增加643,550.00元，增长12.15%" in page
    assert "<script" not in page and "http://" not in page.replace("http://testserver", "")


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(1, 11)])
def test_each_table_has_its_own_page(client, demo_report, number):
    response = client.get(f"{REPORT_URL}tables/{number}/")
    assert response.status_code == 200
    assert f"公开{number}表" in response.content.decode()


def test_year_comparison_with_change_and_percentage(client, demo_report):
    make_report(
        demo_report.department,
        2023,
        facts=[
            ("income", "2012901", "general", "", "3000000.00"),
            ("expense", "2012901", "general", "basic", "3000000.00"),
        ],
        figures={"admin_cost_admin_units": Decimal("200000.00")},
    )
    response = client.get("/departments/021001/compare/")
    assert response.status_code == 200
    page = text(response)
    assert "2021年（摘自2022年报告） 2022年 2023年" in page
    # 收入总计: 5,295,600 → 5,939,150 (+12.15%) → 3,000,000 (−49.49%)
    assert (
        "收入总计 5,295,600.00 5,939,150.00 +643,550.00 +12.15% 3,000,000.00 -2,939,150.00 -49.49%"
        in page
    )
    assert (
        "机关运行经费 212,000.00 235,594.00 +23,594.00 +11.13% 200,000.00 -35,594.00 -15.11%"
        in page
    )
    # 三公 was not disclosed: no change is made up.
    assert "“三公”经费决算 — — — — — — —" in page


def test_comparison_with_zero_base_has_no_rate(client, demo_report):
    make_report(demo_report.department, 2023, figures={"procurement_goods": Decimal("10.00")})
    page = text(client.get("/departments/021001/compare/"))
    assert "政府采购 — 0.00 — — 10.00 +10.00 —" in page


@pytest.mark.parametrize(
    "url",
    [
        REPORT_URL,
        REPORT_URL + "tables/03/",
        "/departments/021001/",
        "/departments/021001/compare/",
    ],
)
def test_drafts_are_not_public(client, demo_draft, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert "找到 0 份报告" in text(client.get("/search/", {"q": "总工会"}))
    assert REPORT_URL not in client.get("/").content.decode()


def test_draft_year_hidden_while_published_year_shows(client, demo_report):
    make_report(demo_report.department, 2023, status=Report.Status.SUBMITTED)
    assert client.get("/departments/021001/2023/").status_code == 404
    assert "/departments/021001/2023/" not in client.get("/departments/021001/").content.decode()
    assert "2023年" not in text(client.get("/departments/021001/compare/"))


@pytest.mark.parametrize(
    "url",
    [
        "/nope/",
        "/departments/999999/",
        "/departments/021001/2021/",
        "/departments/021001/0000/",
        "/departments/021001/2022/tables/11/",
        "/departments/021001/2022/tables/00/",
        "/departments/%E6%B3%BD/2022/",
        "/departments/021001/2022/tables/3/",
    ],
)
def test_unknown_urls_answer_404_never_500(client, demo_report, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def add_rows(report, n: int) -> None:
    """n more 项 rows of spending and income under new 款 codes, with their code list entries."""
    codes = []
    for i in range(n):
        section = f"2{10 + i % 20:02d}{50 + i // 20:02d}"
        item = f"{section}{i % 90 + 1:02d}"
        codes += [(section, "款"), (item, "项")]
        Fact.objects.create(report=report, measure="income", code=item, source="general", amount=1)
        Fact.objects.create(
            report=report, measure="expense", code=item, source="general", nature="basic", amount=1
        )
    for code, level in set(codes):
        ClassificationCode.objects.get_or_create(
            year=report.year,
            kind="functional",
            code=code,
            defaults={"name": "测试", "level": level},
        )


def count_queries(client, url: str) -> int:
    """The queries a page takes when rendered, not served from the cache of published pages."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def correct(report):
    """A published report's next revision, as a draft (`workflow.report_correct`)."""
    from django.contrib.auth import get_user_model

    from disclosures.workflow import report_correct

    admin, _ = get_user_model().objects.get_or_create(
        username="fixer", defaults={"is_staff": True, "is_superuser": True}
    )
    return report_correct(report=report, user=admin, reason="测试更正")


def test_report_page_query_count_does_not_grow_with_rows(
    client, demo_report, django_assert_max_num_queries
):
    # The department's stamp and the code lists' (published.department_stamp), then the report,
    # its facts, economic facts, texts, printed cells and names, duties, units, evaluations,
    # indicators, funding rows, the code list and the year before: 15, however many rows.
    with django_assert_max_num_queries(15):
        client.get(REPORT_URL)
    # Rendered once: the next reader is served from the cache after the two stamp queries.
    with django_assert_max_num_queries(2):
        assert client.get(REPORT_URL).status_code == 200
    # A corrected year also lists its revisions: one more query, and still none per row.
    second = publish(correct(demo_report))
    cache.clear()
    with django_assert_max_num_queries(16):
        client.get(REPORT_URL)
    before = count_queries(client, REPORT_URL)
    third = correct(second)
    add_rows(third, 60)
    publish(third)
    page = client.get(REPORT_URL).content.decode()
    assert page.count("<tr>") > 180 and "第3版" in page
    assert count_queries(client, REPORT_URL) == before


def test_other_pages_query_counts_are_fixed(client, demo_report, django_assert_max_num_queries):
    pages = [
        "/",
        "/search/?q=总工会",
        "/departments/021001/",
        "/departments/021001/compare/",
        REPORT_URL + "tables/02/",
    ]
    before = {url: count_queries(client, url) for url in pages}
    earlier = make_report(demo_report.department, 2021, status="draft")
    add_rows(earlier, 30)
    publish(earlier)
    region = Region.objects.get(name="泽州县")
    for i in range(5):
        dept = Department.objects.create(
            region=region, code=f"0990{i:02d}", name=f"测试单位{i}", nature="行政单位"
        )
        make_report(dept, 2022)
    make_report(demo_report.department, 2023)
    for url in pages:
        with django_assert_max_num_queries(before[url]):
            client.get(url)
