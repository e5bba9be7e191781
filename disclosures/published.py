"""Published pages served like files.

A published revision never changes, so its page is rendered once and kept in the cache. What can
still change around it is small and cheap to read: the department (name, region), its other
publications (a correction, the next year: the banner, the charts' previous year), the code lists
and the code that renders. All of that is the department's *stamp*: one query, hashed with the
renderers' fingerprint. A page is cached under its address and the stamp, so any change gives new
keys and the stale entries simply expire.

Every response carries the page's hash as `ETag`, the department's last publication as
`Last-Modified` and `Cache-Control: public, max-age=…`, so a reverse proxy can keep it and a
reader's browser can ask again with `If-None-Match` and be answered 304.

Downloads use the same stamp: a stored file last found current under this stamp is served
without filling the tables (downloads.report_download).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

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


def _code_lists_stamp() -> str:
    latest = ClassificationCode.objects.aggregate(at=Max("updated_at"), n=Count("pk"))
    return f"{latest['at']}:{latest['n']}"


def department_stamp(*, code: str) -> Stamp | None:
    """The stamp of a department that has published; None when it has published nothing."""
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
        *(t.fingerprint for t in TEMPLATES.values()),
    ]
    return Stamp(hashlib.sha256("\x1f".join(parts).encode()).hexdigest(), row[-2])


def cached_page(
    request: HttpRequest, stamp: Stamp | None, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page at this address: from the cache when rendered under the same stamp, else built
    (and kept when it is a 200). Answers 304 to a reader who has it."""
    if stamp is None:
        return build()  # nothing published: the view answers its own 404
    key = "page:" + hashlib.sha256(f"{request.get_full_path()}\x1f{stamp.key}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        response = build()
        if response.status_code != 200:
            return response
        body = response.content
        cached = (body, response["Content-Type"], hashlib.sha256(body).hexdigest())
        cache.set(key, cached, PAGE_SECONDS)
    body, content_type, digest = cached
    validators = {"etag": f'"{digest}"', "last_modified": int(stamp.modified.timestamp())}
    response = get_conditional_response(request, **validators)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    published_headers(response, digest, stamp.modified)
    return response


def published_headers(response: HttpResponse, digest: str, modified: datetime) -> None:
    """ETag, Last-Modified and a Cache-Control a reverse proxy may keep the response under."""
    response["ETag"] = f'"{digest}"'
    response["Last-Modified"] = http_date(int(modified.timestamp()))
    patch_cache_control(response, public=True, max_age=PROXY_SECONDS)
