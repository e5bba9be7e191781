"""The error pages: 400, 403, 404, 429, 500 and the CSRF failure, in Chinese, with DEBUG on (as the
demo runs) and off; the public look for public addresses, the admin's under /admin/; the reason a
refusal gave; the right status; nothing from outside and nothing the CSP would refuse. And the
favicon."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import Client

from accounts.models import Membership, User
from config.errors import ErrorPages, TooManyRequests, permission_denied
from disclosures.models import Department

pytestmark = pytest.mark.django_db
PASSWORD = "Pw-2022-errors!"
CSP = "Content-Security-Policy"


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings):
    """Each test runs with DEBUG on and with DEBUG off."""
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def staff(db):
    """A 填报人 of no department yet: enough for the pages that need no report."""
    return User.objects.create_user("tianbao", password=PASSWORD, role="filler", is_staff=True)


@pytest.fixture
def filler(staff, demo_draft):
    """A 填报人 of the demo draft's department."""
    Membership.objects.create(user=staff, department=demo_draft.department)
    return staff


def text(response) -> str:
    """The page's words, tags stripped."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def assert_clean(response, *, policy: bool = True) -> None:
    """Served under the strict policy, and nothing in it that the policy would refuse or that
    comes from outside."""
    page = response.content.decode()
    if policy:
        assert "script-src 'self'" in response[CSP] and "style-src 'self'" in response[CSP]
        assert "unsafe-inline" not in response[CSP]
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"
    assert not re.search(r"""(?:src|href|action)=["']?(?:https?:)?//""", page), "outside resource"
    assert '<html lang="zh' in page


def assert_public(response) -> None:
    page = response.content.decode()
    assert 'class="site-header"' in page and "/static/css/site.css" in page
    assert "admin/css/base.css" not in page


def assert_admin(response) -> None:
    page = response.content.decode()
    assert "admin/css/base.css" in page and "部门决算公开 管理后台" in page
    assert 'class="site-header"' not in page


# ---------------------------------------------------------------------------------------------
# 404


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/no-such-page/", ""),
        ("/不存在/", ""),
        ("/departments/999999/", "没有找到该部门的公开报告。"),
    ],
)
def test_a_public_address_that_does_not_exist_is_our_404(client, debug, url, reason):
    response = client.get(url)
    assert response.status_code == 404
    words = text(response)
    assert "页面不存在" in words and "错误代码 404" in words
    assert reason in words and ("error-reason" in response.content.decode()) is bool(reason)
    assert 'href="/"' in response.content.decode()  # back home
    assert "Page not found" not in words and "Traceback" not in words
    assert_public(response)
    assert_clean(response)


@pytest.mark.parametrize("url", ["/admin/no-such-page/", "/admin/disclosures/report/99999/entry/"])
def test_a_staff_address_that_does_not_exist_is_the_admin_404(client, debug, staff, url):
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in text(response)
    page = response.content.decode()
    assert 'href="/admin/"' in page and 'href="/admin/disclosures/report/dashboard/"' in page
    assert_admin(response)
    assert_clean(response)


def test_a_report_a_filler_may_not_open_is_a_404_that_says_so(client, debug, filler, demo_draft):
    # Another department's: a 填报人 sees their own departments' reports only.
    other = Department.objects.create(
        region=demo_draft.department.region, code="099001", name="其他单位", nature="行政单位"
    )
    Membership.objects.filter(user=filler).update(department=other)
    client.force_login(filler)
    response = client.get(f"/admin/disclosures/report/{demo_draft.pk}/workflow/")
    assert response.status_code == 404
    assert "没有找到这份报告，或您无权查看。" in text(response)
    assert_admin(response)
    assert_clean(response)


def test_a_missing_slash_still_redirects(client, debug):
    assert client.get("/admin").status_code == 301


# ---------------------------------------------------------------------------------------------
# 403: the reason the permission service gave


def test_a_refusal_shows_its_reason_on_the_admin_page(client, debug, demo_draft):
    reviewer = User.objects.create_user("shenhe", password=PASSWORD, role="reviewer", is_staff=True)
    Membership.objects.create(user=reviewer, department=demo_draft.department)
    client.force_login(reviewer)
    # The report's page offers 以上年为基础新建 to whoever reads it; a 审核人 may not.
    assert client.get(f"/admin/disclosures/report/{demo_draft.pk}/change/").status_code == 200
    response = client.post(f"/admin/disclosures/report/{demo_draft.pk}/next-year/")
    assert response.status_code == 403
    words = text(response)
    assert "没有权限" in words and "错误代码 403" in words
    assert "您无权为该部门新建报告" in words
    assert "403 Forbidden" not in words
    assert 'href="/admin/"' in response.content.decode()
    assert_admin(response)
    assert_clean(response)


def test_a_refusal_without_a_reason_gets_a_chinese_one(client, debug, staff):
    client.force_login(staff)
    response = client.get("/admin/accounts/user/add/")  # not for a 填报人; Django says no more
    assert response.status_code == 403
    assert "您没有权限访问这个页面或进行这项操作。" in text(response)
    assert_admin(response)
    assert_clean(response)


@pytest.mark.parametrize(
    ("exception", "shown"),
    [
        (PermissionDenied("该报告已公开，不能修改。"), "该报告已公开，不能修改。"),
        (PermissionDenied(), "您没有权限访问这个页面或进行这项操作。"),
        (
            PermissionDenied("Forbidden"),
            "您没有权限访问这个页面或进行这项操作。",
        ),  # not for readers
    ],
)
def test_a_public_refusal_has_the_public_look(rf, exception, shown):
    response = permission_denied(rf.get("/departments/021001/"), exception)
    assert response.status_code == 403
    assert shown in text(response) and "Forbidden" not in text(response)
    assert_public(response)


# ---------------------------------------------------------------------------------------------
# 500: logged, and the exception in small print only while DEBUG is on


def test_a_public_server_error_is_our_500(client, debug, demo_report, monkeypatch):
    from disclosures import views

    def broken(*args, **kwargs):
        raise RuntimeError("测试：首页出错")

    monkeypatch.setattr(views.selectors, "latest_publications", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    words = text(response)
    assert "服务暂时不可用" in words and "已记录" in words and "错误代码 500" in words
    assert ("RuntimeError: 测试：首页出错" in words) is debug
    assert "Traceback" not in words
    assert_public(response)
    assert_clean(response)


def test_a_staff_server_error_is_the_admin_500(client, debug, staff, monkeypatch):
    from disclosures import staff_views

    def broken(*args, **kwargs):
        raise RuntimeError("测试：工作台出错")

    monkeypatch.setattr(staff_views.selectors, "dashboard_reports", broken)
    client.force_login(staff)
    client.raise_request_exception = False
    response = client.get("/admin/disclosures/report/dashboard/")
    assert response.status_code == 500
    words = text(response)
    assert "服务暂时不可用" in words and 'href="/admin/"' in response.content.decode()
    assert ("RuntimeError: 测试：工作台出错" in words) is debug
    assert_admin(response)
    assert_clean(response)


# ---------------------------------------------------------------------------------------------
# 400


@pytest.mark.parametrize(("url", "look"), [("/", assert_public), ("/admin/", assert_admin)])
def test_a_request_the_site_cannot_read_is_our_400(client, debug, url, look):
    client.raise_request_exception = False
    response = client.get(url, HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    words = text(response)
    assert "请求无法处理" in words and "错误代码 400" in words
    assert ("DisallowedHost" in words) is debug
    look(response)
    # With DEBUG on, Django draws this 400 (ErrorPageReporter) before any middleware of ours.
    assert_clean(response, policy=not debug)


# ---------------------------------------------------------------------------------------------
# The CSRF failure


def test_a_form_posted_without_its_token_is_refused_in_chinese(debug, staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "tianbao", "password": PASSWORD})
    assert response.status_code == 403
    words = text(response)
    assert "页面已过期，提交没有完成" in words and "Cookie" in words
    assert "CSRF verification failed" not in words
    page = response.content.decode()
    assert 'href="/admin/login/"' in page  # log in again
    assert_admin(response)
    assert_clean(response)
    public = client.post("/search/", {"q": "x"})
    assert public.status_code == 403 and "页面已过期" in text(public)
    assert_public(public)


# ---------------------------------------------------------------------------------------------
# 429: the login lockout, and any other limit


def test_a_locked_login_is_the_chinese_429(client, debug, staff):
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "tianbao", "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    words = text(response)
    assert "登录已锁定" in words and "已锁定 15 分钟" in words and "15 分钟后再试" in words
    assert "错误代码 429" in words and "联系系统管理员" in words
    assert 'href="/admin/login/"' in response.content.decode()
    assert_admin(response)
    assert_clean(response)


def test_a_rate_limit_raised_in_a_view_is_the_429_page(rf):
    middleware = ErrorPages(lambda request: HttpResponse())
    request = rf.get("/search/")
    limit = TooManyRequests("搜索过于频繁。", retry_after=timedelta(seconds=90))
    response = middleware.process_exception(request, limit)
    assert response.status_code == 429 and response["Retry-After"] == "90"
    words = text(response)
    assert "请求过于频繁" in words and "搜索过于频繁。" in words and "2 分钟后再试" in words
    assert_public(response)
    # Anything else is left to Django.
    assert middleware.process_exception(request, ValueError()) is None


# ---------------------------------------------------------------------------------------------
# The favicon


def test_favicon_answers_and_pages_link_it(client, settings, staff):
    # Static files served from the source folders, whatever DEBUG the suite was started with.
    settings.WHITENOISE_USE_FINDERS = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("favicon.ico")
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"] in (
        "image/x-icon",
        "image/vnd.microsoft.icon",
    )
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO
    svg = Path(finders.find("favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    link = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    assert link in client.get("/").content.decode()
    assert link in client.get("/no-such-page/").content.decode()
    assert link in client.get("/admin/login/").content.decode()
    client.force_login(staff)
    assert link in client.get("/admin/").content.decode()
