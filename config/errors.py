"""The error pages: 400, 403, 404, 429, 500 and the CSRF failure, in Chinese, each saying what to
do next. A public address gets the public site's look (`templates/<status>.html`), an address under
the admin the admin's (`templates/admin/<status>.html`).

Django shows its own technical pages while DEBUG is on, and the demo runs with DEBUG on, so ours
take their place there too: `ErrorPageReporter` draws the 400 and 500 pages (with the exception in
small print), `ErrorPages` the 404 of an address no URL matches or of a view's Http404. A 403 always
goes through `permission_denied`, which shows the reason the permission service gave.

A rate limit answers `too_many_requests` (or raises `TooManyRequests` in a view): django-axes'
lockout does (`AXES_LOCKOUT_CALLABLE`).
"""

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from csp.constants import HEADER as CSP
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.views.debug import ExceptionReporter

logger = logging.getLogger(__name__)

FORBIDDEN = "您没有权限访问这个页面或进行这项操作。"
TOO_MANY = "您的请求过于频繁，请稍后再试。"
CSRF_REASONS = {
    REASON_NO_CSRF_COOKIE: (
        "浏览器没有送回本站的 Cookie：可能是登录已过期，或者浏览器禁止了 Cookie。"
    ),
    REASON_NO_REFERER: "浏览器没有说明这次提交来自哪个页面，无法确认它来自本站。",
}
CSRF_DEFAULT = "这次提交无法确认来自本站的页面：页面可能已打开太久，或者您已在别处退出登录。"
# Shown when an error page itself cannot be drawn (a broken template, the database gone).
FALLBACK = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>出错了 - 部门决算公开</title></head><body><main><h1>出错了（{status}）</h1>"
    '<p>系统出现了问题，我们已记录。请稍后再试，或返回<a href="/">首页</a>。</p>'
    "</main></body></html>"
)
HAN = re.compile(r"[\u3400-\u9fff]")


class TooManyRequests(Exception):
    """Raised by a view that limits how often it may be asked: answered with the 429 page."""

    def __init__(self, reason: str = "", retry_after: timedelta | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def is_staff_address(request: HttpRequest) -> bool:
    """True when the address is under the admin (staff pages get the admin's look)."""
    try:
        prefix = reverse("admin:index")
    except NoReverseMatch:  # a URLconf without the admin
        return False
    return request.path.startswith(prefix)


def _template(request: HttpRequest, status: int | str) -> str:
    return f"admin/{status}.html" if is_staff_address(request) else f"{status}.html"


def _render(
    request: HttpRequest,
    status: int,
    context: dict | None = None,
    *,
    template: str = "",
    with_request: bool = True,
) -> HttpResponse:
    """The page for `status`, or a plain one when the page itself cannot be drawn: an error page
    never fails. Without `with_request` no context processor runs (no session, user or database):
    the 500 and 400 pages are drawn that way, as the cause may be any of those."""
    name = template or _template(request, status)
    try:
        page = dict(context or {}, status=status)
        if name.startswith("admin/"):
            page = {**_admin_context(request, with_request=with_request), **page}
        html = loader.get_template(name).render(page, request if with_request else None)
    except Exception:
        logger.exception("Error page %s could not be drawn for %s", name, request.path)
        html = FALLBACK.format(status=status)
    response = HttpResponse(html, status=status)
    # The policy, whichever middleware the error came from (one before django-csp's, or while
    # DEBUG is on, when django-csp leaves 404 and 500 pages without it).
    response[CSP] = build_policy()
    return response


def _admin_context(request: HttpRequest, *, with_request: bool) -> dict:
    """What admin/base_site.html needs: the site's names, and, when the request may be used, the
    user's menu (a query or two)."""
    from django.contrib import admin

    if with_request and hasattr(request, "user"):
        return admin.site.each_context(request)
    return {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "site_url": admin.site.site_url,
        "has_permission": False,
        "is_nav_sidebar_enabled": False,
    }


def _reason(exception: BaseException | None, default: str) -> str:
    """The message an exception was raised with, when it is written for a reader (in Chinese);
    else `default`. Django's own refusals carry English or nothing."""
    text = exception.args[0] if exception is not None and exception.args else ""
    # A Resolver404 carries a dict (the patterns tried), never a sentence.
    return text if isinstance(text, str) and HAN.search(text) else default


def _login_url(request: HttpRequest) -> str:
    """The admin's login, coming back here (to the page, for a form that was posted)."""
    try:
        login = reverse("admin:login")
    except NoReverseMatch:
        return ""
    path = request.get_full_path() if request.method == "GET" else request.path
    return login if path.startswith(login) else f"{login}?{urlencode({'next': path})}"


# ---------------------------------------------------------------------------------------------
# The handlers (config/urls.py) and the CSRF failure view (CSRF_FAILURE_VIEW)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """400: a request the site cannot read (a bad host header, a broken upload, a bad form)."""
    return _render(request, 400, with_request=False)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """403 with the reason the refusal gave (`PermissionDenied("…")`), or a general one. A
    refused form links back to its page, which shows what may be done now."""
    return _render(
        request,
        403,
        {
            "reason": _reason(exception, FORBIDDEN),
            "retry_url": request.path if request.method == "POST" else "",
            "login_url": _login_url(request),
        },
    )


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """404: an address that does not exist, a report not (yet) published, a report a user may
    not see — with what the view said (`Http404("没有找到这份报告，或您无权查看。")`)."""
    return _render(request, 404, {"reason": _reason(exception, "")})


def server_error(request: HttpRequest, detail: str = "") -> HttpResponse:
    """500, drawn without the request's context (the session or the database may be the fault).
    `detail`, the exception in small print, only while DEBUG is on."""
    return _render(request, 500, {"detail": detail}, with_request=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid CSRF token: mostly a page left open past the session's
    30 minutes, or one from before a login. Says so, and how to go on."""
    return _render(
        request,
        403,
        {
            "reason": CSRF_REASONS.get(reason, CSRF_DEFAULT),
            "retry_url": request.path,
            "login_url": _login_url(request),
        },
        template=_template(request, "403_csrf"),
    )


def too_many_requests(
    request: HttpRequest,
    *,
    reason: str = "",
    retry_after: timedelta | None = None,
    heading: str = "",
) -> HttpResponse:
    """429 with why and when to try again (also as `Retry-After`, in seconds); `heading` in place
    of "请求过于频繁"."""
    response = _render(
        request,
        429,
        {
            "heading": heading,
            "reason": reason or TOO_MANY,
            "retry_minutes": _minutes(retry_after),
            "login_url": _login_url(request),
        },
    )
    if retry_after:
        response["Retry-After"] = str(int(retry_after.total_seconds()))
    return response


def _minutes(delta: timedelta | None) -> int | None:
    return None if delta is None else max(1, -(-int(delta.total_seconds()) // 60))


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout (`AXES_LOCKOUT_CALLABLE`): the account is locked after too many
    failed logins."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    if cool_off:
        reason = f"该账号连续 {limit} 次登录失败，已锁定 {_minutes(cool_off)} 分钟。"
    else:
        reason = f"该账号连续 {limit} 次登录失败，已被锁定，请联系系统管理员解锁。"
    return too_many_requests(request, reason=reason, retry_after=cool_off, heading="登录已锁定")


# ---------------------------------------------------------------------------------------------
# With DEBUG on, in place of Django's technical pages


class ErrorPageReporter(ExceptionReporter):
    """`DEFAULT_EXCEPTION_REPORTER`: while DEBUG is on Django draws a 500 (and a 400 from a bad
    request) with the reporter's HTML; ours is the site's page with the exception in small print.
    The traceback is still logged (LOGGING), and mails and plain-text reports are Django's."""

    def get_traceback_html(self) -> str:
        if self.is_email or self.request is None:
            return super().get_traceback_html()
        detail = f"{self.exc_type.__name__}: {self.exc_value}" if self.exc_type else ""
        if self.exc_type and issubclass(
            self.exc_type, (BadRequest, SuspiciousOperation, MultiPartParserError)
        ):
            response = _render(self.request, 400, {"detail": detail}, with_request=False)
        else:
            response = server_error(self.request, detail=detail)
        return response.content.decode()


class ErrorPages:
    """While DEBUG is on, a 404 gets our page, not Django's technical one: an address no URL
    matches (the resolver leaves no `resolver_match`) or a view's Http404. And the 404 and 500
    pages get the Content-Security-Policy django-csp leaves off while DEBUG is on (for Django's
    technical pages, which run inline script; ours run none). In any mode, a view's
    `TooManyRequests` is the 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and (
                request.resolver_match is None
                or isinstance(getattr(request, "view_exception", None), Http404)
            )
        ):
            response = page_not_found(request, getattr(request, "view_exception", None))
        if settings.DEBUG and response.status_code in (404, 500) and CSP not in response:
            response[CSP] = build_policy()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TooManyRequests):
            return too_many_requests(
                request, reason=exception.reason, retry_after=exception.retry_after
            )
        request.view_exception = exception
        return None
