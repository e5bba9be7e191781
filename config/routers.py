"""Read replicas: the public site's reads from a replica, everything else from the primary.

With `DATABASE_REPLICA_URL` set, the settings add a `replica` database and this router. A public
GET request (anything outside /admin/ and the login) runs inside `public_reads()` — the
`PublicReads` middleware does it — and its reads go to the replica. Staff pages, every write, and
every read in a request that writes stay on the primary, so staff never read their own write back
from a replica that lags. The public site reads only published revisions, which never change, so
a lagging replica shows a new publication late and nothing wrong.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_public = ContextVar("public_reads", default=False)
STAFF_PREFIXES = ("/admin/", "/accounts/")


@contextmanager
def public_reads():
    token = _public.set(True)
    try:
        yield
    finally:
        _public.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _public.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PublicReads:
    """Marks a public GET request's reads for the replica (ReplicaRouter)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.path.startswith(STAFF_PREFIXES):
            return self.get_response(request)
        with public_reads():
            return self.get_response(request)
