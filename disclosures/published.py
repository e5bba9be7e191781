"""Published pages served like files.

A published revision never changes, so its page is rendered once and kept in the cache. What can
still change around it is small and cheap to read: the department (name, region), its other
publications (a correction, the next year: the banner, the charts' previous year), the code lists
and the code that renders. All of that is the department's *stamp*: two queries, hashed with the
renderers' fingerprint, and kept in the process for STAMP_SECONDS. A page is cached under its
address and the stamp, so any change gives new keys and the stale entries simply expire.

`PublishedPages`, a middleware right after WhiteNoise, serves a kept page before the rest of the
middleware and the view run, with the headers they added when it was rendered (CSP). Every
response carries the page's hash as `ETag`, the department's last publication as `Last-Modified`
and `Cache-Control: public, max-age=…`, so a reverse proxy can keep it and a reader's browser can
ask again with `If-None-Match` and be answered 304.

Downloads use the same stamp: a stored file last found current under this stamp is served
without filling the tables (downloads.stored_download).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache as cache_once

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .models import ClassificationCode, Department, Report
from .tables import TEMPLATES

PAGE_SECONDS = 24 * 3600  # how long a rendered page stays in the cache
PROXY_SECONDS = 300  # how long a proxy or browser may reuse a page without asking again


@dataclass(frozen=True)
class Stamp:
    key: str  # a hash of everything a published page or file of the department depends on
    modified: datetime  # its last publication: Last-Modified


# What renders a page besides its data: a deploy that changes any of these gives new keys, also in
# a cache (Redis) that outlives the processes.
SITE_SOURCES = (
    "templates/**/*.html",
    "static/css/*.css",
    "disclosures/**/*.py",
    "performance/**/*.py",
    "locale/**/*.po",
)


def site_fingerprint() -> str:
    """A hash of the templates, style sheets and code pages are rendered with: read once per
    process (each request while DEBUG is on, so a template edit shows at once)."""
    if settings.DEBUG:
        return _site_fingerprint()
    return _site_fingerprint_kept()


def _site_fingerprint() -> str:
    from .downloads import sources_fingerprint

    return sources_fingerprint(SITE_SOURCES)


_site_fingerprint_kept = cache_once(_site_fingerprint)


def _code_lists_stamp() -> str:
    latest = ClassificationCode.objects.aggregate(at=Max("updated_at"), n=Count("pk"))
    return f"{latest['at']}:{latest['n']}"


# A department's stamp, kept in this process for a moment: a page served from the cache then
# takes no query at all. A publication clears it at once in the process that publishes
# (`forget_stamps`); another process sees it within STAMP_SECONDS.
STAMP_SECONDS = 2.0
_stamps: dict[str, tuple[float, Stamp | None]] = {}
_stamps_lock = threading.Lock()


def forget_stamps() -> None:
    with _stamps_lock:
        _stamps.clear()


def department_stamp(*, code: str, fresh: bool = False) -> Stamp | None:
    """The stamp of a department that has published; None when it has published nothing."""
    now = time.monotonic()
    if not fresh:
        with _stamps_lock:
            kept = _stamps.get(code)
        if kept is not None and kept[0] > now:
            return kept[1]
    stamp = _stamp_read(code)
    with _stamps_lock:
        if len(_stamps) > 10_000:
            _stamps.clear()
        _stamps[code] = (now + STAMP_SECONDS, stamp)
    return stamp


def _stamp_read(code: str) -> Stamp | None:
    from .downloads import renderer_fingerprint

    published = Q(reports__status=Report.Status.PUBLISHED)
    row = (
        Department.objects.filter(code=code)
        .annotate(last=Max("reports__published_at", filter=published))
        .annotate(n=Count("reports", filter=published))
        .values_list(
            "pk", "code", "name", "nature", "synthetic", "region__name", "supervisor", "last", "n"
        )
        .first()
    )
    if row is None or row[-2] is None:
        return None
    parts = [
        *map(str, row),
        _code_lists_stamp(),
        renderer_fingerprint(),
        site_fingerprint(),
        *(t.fingerprint for t in TEMPLATES.values()),
    ]
    return Stamp(hashlib.sha256("\x1f".join(parts).encode()).hexdigest(), row[-2])


# The pages kept: a published report's page and its table pages, at the latest or a revision.
PAGE_PATH = re.compile(
    r"^/departments/(?P<code>[0-9]{1,32})/[0-9]{4}/(?:r[0-9]+/)?(?:tables/[0-9]{2}/)?$"
)
NOT_KEPT = {"set-cookie", "vary"}


def _page_key(path: str, stamp: Stamp) -> str:
    return "page:" + hashlib.sha256(f"{path}\x1f{stamp.key}".encode()).hexdigest()


class PublishedPages:
    """Serves a published page from the cache before the rest of the middleware and the view
    run; keeps the page, with the headers the middleware below added (CSP), as the view rendered
    it. Placed right after WhiteNoise: a kept page is served almost as a static file is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = PAGE_PATH.match(request.path_info)
        if match is None or request.method not in ("GET", "HEAD") or request.GET:
            return self.get_response(request)
        stamp = department_stamp(code=match["code"])
        if stamp is None:
            return self.get_response(request)  # the view answers its own 404
        key = _page_key(request.path_info, stamp)
        kept = cache.get(key)
        if kept is None:
            response = self.get_response(request)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response
            headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_KEPT]
            kept = (response.content, headers, hashlib.sha256(response.content).hexdigest())
            cache.set(key, kept, PAGE_SECONDS)
        else:
            body, headers, digest = kept
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
        body, headers, digest = kept
        validators = {"etag": f'"{digest}"', "last_modified": int(stamp.modified.timestamp())}
        not_modified = get_conditional_response(request, **validators)
        if not_modified is not None:
            response = not_modified
        published_headers(response, digest, stamp.modified)
        return response


def published_headers(response: HttpResponse, digest: str, modified: datetime) -> None:
    """ETag, Last-Modified and a Cache-Control a reverse proxy may keep the response under."""
    response["ETag"] = f'"{digest}"'
    response["Last-Modified"] = http_date(int(modified.timestamp()))
    patch_cache_control(response, public=True, max_age=PROXY_SECONDS)
