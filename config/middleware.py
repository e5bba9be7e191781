"""Requests no page can answer, refused before a view or the database sees them; posted text
cleaned before a form sees it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from disclosures.plaintext import CONTROL, text_clean

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseNul:
    """A NUL byte in the path or the query string is a 404 (PostgreSQL cannot even compare with
    such a string: it would be a 500 deep in a query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return render(request, "404.html", status=404)
        return self.get_response(request)


class CleanText:
    """Every posted form field without control characters (`disclosures.plaintext`), before any
    form sees it: a U+000B pasted from Word into a department's name or an evaluation's text
    otherwise reached the database and made the published workbook a 500 for good. Uploaded
    files are left to their importers, which clean what they read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_TYPES:
            posted = request.POST
            if any(CONTROL.search(v) for values in posted.lists() for v in values[1]):
                cleaned = QueryDict(mutable=True, encoding=posted.encoding)
                for name, values in posted.lists():
                    cleaned.setlist(name, [text_clean(v) for v in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)
