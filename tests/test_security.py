"""等级保护 for the staff login, the Content-Security-Policy, errors logged, and URLs and codes
that can only be a 404 or a form error, never a 500."""

import io
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
PASSWORD = "Pw-2022-secure!"


@pytest.fixture
def filler(db):
    return User.objects.create_user("tianbao", password=PASSWORD, role="filler", is_staff=True)


def login(client, password: str):
    return client.post(LOGIN, {"username": "tianbao", "password": password, "next": "/admin/"})


def test_five_failures_lock_the_account_for_fifteen_minutes(client, filler):
    for _ in range(4):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    locked = login(client, "wrong")
    assert locked.status_code == 429 and "已锁定 15 分钟" in locked.content.decode()
    # Locked: even the right password is refused, from any client.
    assert login(client, PASSWORD).status_code == 429
    # 15 minutes later the lock is gone.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, PASSWORD).status_code == 302
    # Logins and failures are in the record, read-only for a system admin.
    assert AccessLog.objects.filter(username="tianbao").count() == 1
    assert AccessFailureLog.objects.filter(username="tianbao").count() >= 5
    admin = User.objects.create_superuser("root", "r@example.gov.cn", PASSWORD)
    client.force_login(admin)
    log = AccessFailureLog.objects.first()
    url = reverse("admin:axes_accessfailurelog_change", args=[log.pk])
    assert client.get(url).status_code == 200
    assert (
        client.post(reverse("admin:axes_accessfailurelog_delete", args=[log.pk])).status_code == 403
    )
    assert "登录记录" in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Short-1", False),  # under 10
        ("abcdefghijk", False),  # one kind
        ("abcdefgh12", False),  # two kinds
        ("Zezhou-2022", True),
        ("juesuan#2022x", True),  # three kinds: small letters, digits, symbols
    ],
)
def test_passwords_need_length_and_three_kinds(password, accepted):
    if accepted:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_a_session_ends_after_thirty_idle_minutes(client, filler):
    assert login(client, PASSWORD).status_code == 302
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/admin/").status_code == 200
    # Each request pushes the end 30 minutes on: an idle timeout, not a fixed one.
    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and LOGIN in response["Location"]


# ---------------------------------------------------------------------------------------------
# Content-Security-Policy, on public and staff pages


def test_csp_has_no_inline_script_or_style(client, demo_report, filler):
    for url in ("/", "/departments/021001/2022/", "/search/?q=总工会", LOGIN):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page = client.get("/departments/021001/2022/").content.decode()
    assert " style=" not in page and "<script>" not in page


def test_width_classes_match_their_style_sheet():
    from django.conf import settings

    from disclosures.templatetags.figures import width_class, widths_css

    sheet = (settings.BASE_DIR / "static" / "css" / "widths.css").read_text(encoding="utf-8")
    assert sheet == widths_css()
    assert width_class("37.26%") == "w-370" and width_class("0") == "w-0"  # rounded down
    assert width_class("100%") == "w-1000" and width_class("130") == "w-1000"


# ---------------------------------------------------------------------------------------------
# A 500 leaves its traceback on stderr


def test_a_server_error_is_logged_with_its_traceback(client, demo_report, monkeypatch):
    from disclosures import views

    def broken(*args, **kwargs):
        raise RuntimeError("测试：页面出错")

    monkeypatch.setattr(views.selectors, "latest_publications", broken)
    handler = next(
        h
        for h in logging.getLogger("django.request").handlers
        if isinstance(h, logging.StreamHandler)
    )
    from django.conf import settings

    # A StreamHandler with no stream of its own writes to sys.stderr (pytest swaps that here).
    assert settings.LOGGING["handlers"]["stderr"] == {
        "class": "logging.StreamHandler",
        "formatter": "plain",
    }
    captured = io.StringIO()
    old = handler.setStream(captured)
    client.raise_request_exception = False
    try:
        response = client.get("/")
    finally:
        handler.setStream(old)
    assert response.status_code == 500 and "已记录" in response.content.decode()
    log = captured.getvalue()
    assert "Internal Server Error: /" in log
    assert "Traceback" in log and "RuntimeError: 测试：页面出错" in log


# ---------------------------------------------------------------------------------------------
# NUL bytes and non-ASCII digits: a 404 or a form error, never a 500


@pytest.mark.parametrize(
    "url",
    [
        "/departments/%00/",
        "/departments/021001%00/",
        "/departments/０２１００１/",
        "/departments/021001/２０２２/",
        "/departments/021001/2022/tables/０３/",
        "/departments/021001/2022/r０/",
        "/departments/021001/2022/r0/",
        "/search/?q=%00",
        "/search/?q=abc%00def&year=2022",
        "/%00",
    ],
)
def test_bad_urls_are_404(client, demo_report, url):
    assert client.get(url).status_code == 404


def test_bad_admin_queries_and_codes_are_404_or_form_errors(client, demo_report):
    admin = User.objects.create_superuser("root", "r@example.gov.cn", PASSWORD)
    client.force_login(admin)
    assert client.get("/admin/disclosures/report/?q=%00").status_code == 404
    assert client.get("/admin/disclosures/department/%00/change/").status_code == 404
    add = reverse("admin:disclosures_department_add")
    for code in ("０２１００２", "٠٢١"):
        response = client.post(
            add,
            {
                "code": code,
                "name": "测试单位",
                "nature": "行政单位",
                "region": demo_report.department.region_id,
            },
        )
        assert response.status_code == 200, code
        assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    from disclosures.models import Department

    assert not Department.objects.filter(name="测试单位").exists()
    # A NUL is cleaned at the door (config.middleware.CleanText), not refused: 021002 is saved.
    from disclosures.models import Department

    client.post(
        add,
        {
            "code": "021\x00002",
            "name": "测试单位",
            "nature": "行政单位",
            "region": demo_report.department.region_id,
        },
    )
    assert Department.objects.filter(code="021002").exists()
