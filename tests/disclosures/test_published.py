"""Published pages served like files: a published revision's report page, table pages and
downloads are rendered once and kept under the department's stamp; they carry ETag,
Last-Modified and a Cache-Control a reverse proxy may keep them under; a stored download is served
without filling the tables; anything that changes what they show gives a fresh render."""

import pytest
from django.utils.http import parse_http_date

from disclosures import views
from disclosures.models import Department, RenderedFile

pytestmark = pytest.mark.django_db
REPORT = "/departments/021001/2022/"


@pytest.fixture
def no_filling(monkeypatch):
    """Makes filling a report's tables fail: what is served must come from the cache or storage."""

    def refuse(*args, **kwargs):
        raise AssertionError("the tables were filled")

    def arm():
        monkeypatch.setattr(views.selectors, "report_document_get", refuse)

    return arm


@pytest.mark.parametrize("url", [REPORT, REPORT + "tables/03/", "/departments/021001/2022/r1/"])
def test_a_published_page_is_rendered_once_then_served_with_two_queries(
    client, demo_report, no_filling, django_assert_max_num_queries, url
):
    first = client.get(url)
    assert first.status_code == 200
    no_filling()
    with django_assert_max_num_queries(2):  # the department's stamp and the code lists'
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["ETag"].startswith('"')
    assert parse_http_date(again["Last-Modified"]) == int(demo_report.published_at.timestamp())
    assert "public" in again["Cache-Control"] and "max-age=300" in again["Cache-Control"]


def test_a_reader_who_has_the_page_is_answered_304(client, demo_report):
    first = client.get(REPORT)
    by_etag = client.get(REPORT, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = client.get(REPORT, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304
    assert client.get(REPORT, headers={"if-none-match": '"stale"'}).status_code == 200


def test_a_correction_or_a_renamed_department_is_shown_at_once(client, demo_report):
    from tests.disclosures.test_views import correct, publish

    before = client.get(REPORT).content.decode()
    assert "第2版" not in before
    publish(correct(demo_report))
    corrected = client.get(REPORT).content.decode()
    assert "第2版" in corrected
    # The first revision's own page now says it was corrected.
    assert "已被更正" in client.get("/departments/021001/2022/r1/").content.decode()
    department = Department.objects.get(code="021001")
    department.name = "泽州县总工会（新名称）"
    department.save()  # forgets this process's stamps; another process's within 2 s
    assert "泽州县总工会（新名称）" in client.get(REPORT).content.decode()


def test_missing_pages_are_not_cached_and_stay_404(client, demo_report):
    assert client.get(REPORT + "tables/11/").status_code == 404
    assert client.get("/departments/021001/2019/").status_code == 404
    assert client.get("/departments/999999/2022/").status_code == 404
    assert client.get(REPORT + "tables/03/").status_code == 200


@pytest.mark.parametrize("path", ["download.pdf", "download.xlsx", "tables/03/download.csv"])
def test_a_stored_download_is_served_without_filling_the_tables(
    client, demo_report, no_filling, django_assert_max_num_queries, path
):
    first = client.get(REPORT + path)
    body = first.getvalue()
    assert RenderedFile.objects.get(stamp__gt="").filename
    no_filling()
    # The stamp (2 queries), the report, the stored file's row: 4, and not one table filled.
    with django_assert_max_num_queries(4):
        again = client.get(REPORT + path)
        assert again.getvalue() == body
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["ETag"] == first["ETag"] and "max-age=300" in again["Cache-Control"]
    with django_assert_max_num_queries(4):
        assert (
            client.get(REPORT + path, headers={"if-none-match": first["ETag"]}).status_code == 304
        )


def test_a_stored_download_under_an_old_stamp_takes_the_full_path(client, demo_report):
    first = client.get(REPORT + "download.csv").getvalue()
    department = Department.objects.get(code="021001")
    department.name = "泽州县总工会（新名称）"
    department.save()
    again = client.get(REPORT + "download.csv").getvalue()
    assert again != first and "新名称" in again.decode()
    record = RenderedFile.objects.get(format="csv")
    assert "新名称" in record.filename


def test_a_deploy_that_changes_the_templates_gives_new_keys(client, demo_report, monkeypatch):
    from disclosures import published

    first = client.get(REPORT)
    monkeypatch.setattr(published, "_site_fingerprint_kept", lambda: "another deploy")
    published.forget_stamps()
    rendered = []
    monkeypatch.setattr(
        views.selectors,
        "report_document_get",
        lambda real=views.selectors.report_document_get, **kw: rendered.append(1) or real(**kw),
    )
    again = client.get(REPORT)
    assert rendered == [1] and again.content == first.content
