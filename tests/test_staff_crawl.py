"""Every link and button of the staff side works for the role that sees it.

As each role, starting from the admin home, the crawler follows every link and submits every form
with each of its buttons, filled as a browser would send it (the values on the page, a file the
page links to for an upload, a sentence in each required empty text box). Each POST runs in a
transaction that is rolled back, so every page is crawled against the same demo. No response may
be a 4xx or 5xx, and no page may nest a form in another (a browser drops the inner one, so its
button would submit the outer form).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from tests.conftest import copy_code_lists
from tests.html_forms import Form, Page

pytestmark = pytest.mark.django_db

# How many addresses of one shape (digits as N, the query's keys) are visited: enough for each
# table's form and each model's objects, not every one of a thousand facts.
PER_SHAPE = 12
PER_QUERY = 2  # a list's filters and sorts: a few of each list
PER_OBJECT = 1  # the admin's own pages of one model's objects (change, delete, history)
# Links that end the session or leave the staff side's reach; each is tested elsewhere.
SKIP = ("/admin/logout/",)


def shape(url: str) -> str:
    """An address's shape: digits as N; a query (a list's filter or sort) as one shape."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?…" if parts.query else "")


def limit_of(key: str) -> int:
    if key.endswith("?…"):
        return PER_QUERY
    if re.search(r"/N/(change|delete|history)/$", key):
        return PER_OBJECT
    return PER_SHAPE


@dataclass
class Crawl:
    pages: int = 0
    posts: int = 0
    failures: list = field(default_factory=list)
    buttons: set = field(default_factory=set)


def crawl(client, start: str = "/admin/", limit: int = 1500) -> Crawl:
    result = Crawl()
    queue, queued, shapes, posted = [start], {start}, {}, {}
    while queue and result.pages < limit:
        url = queue.pop(0)
        response = client.get(url)
        result.pages += 1
        if response.status_code >= 400:
            result.failures.append(("GET", url, response.status_code))
            continue
        if response.status_code in (301, 302):
            target = urljoin(url, response["Location"])
            if target not in queued and urlsplit(target).path.startswith("/admin/"):
                queue.append(target)
                queued.add(target)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = Page()
        page.feed(response.content.decode())
        result.failures += [("nested form", url, inner) for inner in page.nested]
        links = [urljoin(url, href) for href in page.links]
        for form in page.forms:
            action = urljoin(url, form.action or url)
            if urlsplit(action).path in SKIP:
                continue
            if form.method == "get":
                query = urlencode([(k, v) for k, v in form.fields if v])
                links.append(action.split("?")[0] + ("?" + query if query else ""))
                continue
            # A form without a button cannot be sent by a click (the admin's read-only pages).
            for button in form.buttons:
                sent = (shape(action), button)
                if posted.get(sent, 0) >= limit_of(sent[0]):
                    continue
                posted[sent] = posted.get(sent, 0) + 1
                status = submit(client, action, form, button, links)
                result.posts += 1
                result.buttons.add(button)
                if status >= 400:
                    result.failures.append(("POST", action, button, status))
        for link in links:
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https", "") or link.startswith("mailto:"):
                continue
            path = parts.path + ("?" + parts.query if parts.query else "")
            if not parts.path.startswith("/") or parts.path in SKIP or path in queued:
                continue
            if not parts.path.startswith("/admin/"):
                # A public page the staff side links to: it must answer, but is not crawled.
                status = client.get(path).status_code
                if status >= 400:
                    result.failures.append(("GET", path, status))
                queued.add(path)
                continue
            key = shape(path)
            if shapes.get(key, 0) >= limit_of(key):
                continue
            shapes[key] = shapes.get(key, 0) + 1
            queued.add(path)
            queue.append(path)
    return result


def submit(client, action: str, form: Form, button: tuple[str, str], links: list[str]) -> int:
    """POSTs the form as a browser would with `button`, then rolls everything back."""
    data: dict[str, list] = {}
    for name, value in form.fields:
        if name in form.required_empty and not value:
            value = "核对无误，特此说明。"
        data.setdefault(name, []).append(value)
    if button[0]:
        data.setdefault(button[0], []).append(button[1])
    for name in form.files:
        # An upload gets the workbook the page offers (the import pages link their draft's).
        workbook = next((u for u in links if urlsplit(u).path.endswith(".xlsx")), None)
        if workbook:
            content = client.get(urlsplit(workbook).path).getvalue()
            data[name] = [SimpleUploadedFile("workbook.xlsx", content)]
    with transaction.atomic():
        response = client.post(action, {k: v if len(v) > 1 else v[0] for k, v in data.items()})
        status = response.status_code
        if status in (301, 302):
            status = client.get(response["Location"]).status_code
        transaction.set_rollback(True)
    return status


@pytest.fixture
def demo_year(settings):
    """The demo as `make run` loads it (published 2022 with its staff), a 2023 draft started from
    it and a submitted 2021, so that each role has every step in front of it."""
    from accounts.models import User
    from disclosures.models import Report
    from disclosures.services import report_create, report_next_year

    settings.DEBUG = False
    call_command("load_demo", with_staff=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = Report.objects.get(year=2022)
    copy_code_lists(to_year=2023)
    copy_code_lists(to_year=2021)
    report_next_year(report=published, user=User.objects.get(username="admin"))
    submitted = report_create(department=published.department, year=2021)
    Report.objects.filter(pk=submitted.pk).update(status=Report.Status.SUBMITTED)
    return published


# The review steps each role must have found and taken on the demo's three reports.
STEPS = {
    "tianbao": {("action", "submit"), ("action", "correct")},
    "shenhe": {("action", "approve"), ("action", "return")},
    "admin": {("action", "correct")},
}


@pytest.mark.parametrize("username", ["tianbao", "shenhe", "admin"])
def test_every_link_and_button_works_for_the_role_that_sees_it(client, demo_year, username):
    from accounts.models import User

    client.force_login(User.objects.get(username=username))
    result = crawl(client)
    print(f"\n{username}: {result.pages} pages, {result.posts} forms submitted")
    assert result.failures == []
    assert result.pages > 40
    assert STEPS[username] <= result.buttons


def test_the_crawler_sees_a_nested_form_and_a_broken_link():
    page = Page()
    page.feed(
        '<form method="post" action="/a/"><input name="x" value="1">'
        '<form method="post" action="/b/"><button>inner</button></form>'
        '<textarea name="t" required></textarea><select name="s"><option value="1">'
        '<option value="2" selected></select></form><a href="/admin/x/">x</a>'
    )
    assert page.nested == ["/b/"]
    # The inner form's end tag closes the outer one, as in a browser.
    assert page.forms[0].fields == [("x", "1")] and len(page.forms) == 1
    assert page.links == ["/admin/x/"]
    assert shape("/admin/disclosures/report/12/entry/05/?o=1&q=2") == (
        "/admin/disclosures/report/N/entry/N/?…"
    )
