"""Requests no page can answer, refused before a view or the database sees them."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
