"""A save posted after the staff session expired: the input is kept for the same user.

A staff session ends `SESSION_COOKIE_AGE` idle seconds after its last request (30 minutes). A form
posted after that reaches the admin as an anonymous request, which `admin_view` sends to the login
page: the figures typed would be lost. A form page's view wrapped in `keeps_input` keeps such a POST
instead (its fields, without the CSRF token; files are never kept) in the new, anonymous session,
under the page's path and with the user who had the form, and sends the browser to the login with
``?next=<the page>``. Logging in keeps an anonymous session's data (`login` cycles the key), and
`drop_others_input` (on `user_logged_in`) drops whatever another user left in it. The page's GET
after the login binds `kept_input(request)` once: shown in the form, not saved, with the version
it was rendered with, so the lost-update check still applies to the real save.

Whose form it was: the expired session no longer says, so each page the wrapper serves to a user
sets a signed cookie with that user's id. Without it (or with a forged one) nothing is kept. A
form left open by someone else on a shared browser cannot be posted into another user's login:
logging in rotates the CSRF token, which refuses it first.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

KEPT = "kept_input"  # session key: {path: {"user": id, "fields": {name: [values]}}}
OWNER_COOKIE = "form_user"
OWNER_SALT = "accounts.expiry.owner"
MAX_PAGES = 5  # pages kept at once in one browser; the oldest goes first
NOT_KEPT = frozenset({"csrfmiddlewaretoken"})
# A POST with nothing but these carries nothing typed (a button such as 载入标准名词解释).
NOT_TYPED = frozenset({"csrfmiddlewaretoken", "version", "action"})

EXPIRED_AT_LOGIN = "登录已过期，请重新登录。您填写的内容已保留，登录后将回到原页面。"
KEPT_SHOWN = "登录已过期，您填写的内容已保留，请核对后再保存。"


def keeps_input(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps a staff form page (already wrapped in `admin_view`): an anonymous POST, that is one
    whose session expired, is kept for its user and sent to the login; every page served to a
    user names that user in the signed cookie."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and not request.user.is_authenticated:
            owner = request.get_signed_cookie(OWNER_COOKIE, default=None, salt=OWNER_SALT)
            fields = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
            if owner and set(fields) - NOT_TYPED:
                input_keep(request=request, owner=owner, fields=fields)
                messages.warning(request, EXPIRED_AT_LOGIN)
                response = redirect_to_login(request.get_full_path(), reverse("admin:login"))
                add_never_cache_headers(response)
                return response
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            response.set_signed_cookie(
                OWNER_COOKIE,
                str(request.user.pk),
                salt=OWNER_SALT,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    return wrapped


def session_keepalive(request: HttpRequest) -> HttpResponse:
    """What an open form asks every few minutes while its user types (inside `admin_view`): the
    request itself moves the session's end on (SESSION_SAVE_EVERY_REQUEST). An expired session
    is sent to the login instead, which tells the form its login has ended."""
    return HttpResponse(status=204)


def input_keep(*, request: HttpRequest, owner: str, fields: dict[str, list[str]]) -> None:
    """Keeps `fields` posted to this page for the user `owner` (an id), in the session."""
    kept = dict(request.session.get(KEPT) or {})
    kept.pop(request.path, None)
    kept[request.path] = {"user": owner, "fields": fields}
    while len(kept) > MAX_PAGES:
        kept.pop(next(iter(kept)))
    request.session[KEPT] = kept


def kept_input(request: HttpRequest) -> QueryDict | None:
    """On a GET, what this user posted to this page when their login expired, as a POST's data,
    once (with the message saying so); else None. What another user left is never returned."""
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    kept = dict(request.session.get(KEPT) or {})
    entry = kept.pop(request.path, None)
    if entry is None:
        return None
    if kept:
        request.session[KEPT] = kept
    else:
        del request.session[KEPT]
    if entry.get("user") != str(request.user.pk):
        return None
    data = QueryDict(mutable=True)
    for name, values in entry["fields"].items():
        data.setlist(name, values)
    messages.warning(request, KEPT_SHOWN)
    return data


def drop_others_input(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """On login: the input kept in this browser for anyone but `user` is dropped."""
    if request is None or not hasattr(request, "session"):
        return
    kept = request.session.get(KEPT)
    if not kept:
        return
    mine = {path: entry for path, entry in kept.items() if entry.get("user") == str(user.pk)}
    if mine:
        request.session[KEPT] = mine
    else:
        del request.session[KEPT]
