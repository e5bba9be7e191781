"""A save posted after the staff session expired: the input is kept, shown once to the same user
after they log in again (never saved by itself, never shown to anyone else), and the real save
still meets the lost-update check."""

import html
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.expiry import EXPIRED_AT_LOGIN, KEPT, KEPT_SHOWN, OWNER_COOKIE
from accounts.models import Membership, User
from disclosures.models import Fact, ReportFigures, ReportProfile, ReportSection

pytestmark = pytest.mark.django_db
PASSWORD = "Pw-2022-expiry!"
BASIC = "fact|expense|2012901|general|basic"


@pytest.fixture(autouse=True)
def sessions_in_the_database(settings):
    """What these tests rely on: sessions kept in the database (expired by deleting their rows),
    cookies over plain http as the test client speaks it."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.SESSION_COOKIE_SECURE = False


@pytest.fixture
def people(demo_draft):
    """Two 填报人 of the seed department."""
    users = {}
    for name in ("tianbao", "lisi"):
        users[name] = User.objects.create_user(
            name, password=PASSWORD, role="filler", is_staff=True
        )
        Membership.objects.create(user=users[name], department=demo_draft.department)
    return users


def page_url(name: str, report, *args) -> str:
    return reverse(f"admin:disclosures_report_{name}", args=[report.pk, *args])


def entry_data(page: str) -> dict[str, str]:
    """What the 05 form posts: its inputs, its version and the 保存 button."""
    data = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="text" name="([^"]+)" value="([^"]*)"', page)
    }
    data["version"] = re.search(r'name="version" value="(\d+)"', page)[1]
    data["action"] = "save"
    return data


def form_data(*forms) -> dict[str, str]:
    """What a page's forms and formsets post as rendered (their initial values)."""
    data: dict[str, str] = {}
    for form in forms:
        if hasattr(form, "management_form"):
            data.update(form_data(form.management_form, *form.forms))
            continue
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def log_in(client, username: str, next_url: str):
    """Through the admin's login page, as the browser does after being sent there."""
    return client.post(
        f"{reverse('admin:login')}?next={quote(next_url)}",
        {"username": username, "password": PASSWORD, "next": next_url},
    )


def expire_sessions() -> None:
    """Thirty idle minutes later: the session is gone on the server."""
    Session.objects.all().delete()


def expired_save(client, user, url: str, data: dict[str, str]):
    """`user` had the form at `url` open and saves `data` after their session expired."""
    client.force_login(user)
    assert client.get(url).status_code == 200
    expire_sessions()
    return client.post(url, data)


def test_an_entry_form_saved_after_expiry_comes_back_filled_after_login(client, people, demo_draft):
    url = page_url("entry", demo_draft, "05")
    client.force_login(people["tianbao"])
    data = entry_data(client.get(url).content.decode())
    assert OWNER_COOKIE in client.cookies
    assert data[BASIC] == "2,459,668.00"
    data[BASIC] = "2,400,000.00"
    expire_sessions()

    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={quote(url)}"
    assert EXPIRED_AT_LOGIN in client.get(response.url).content.decode()
    stored = Fact.objects.get(report=demo_draft, code="2012901", source="general", nature="basic")
    assert stored.amount == Decimal("2459668.00")  # nothing saved

    response = log_in(client, "tianbao", url)
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert KEPT_SHOWN in page
    assert entry_data(page)[BASIC] == "2,400,000.00"
    assert entry_data(page)["version"] == data["version"]
    assert "data-rebound" in page
    stored.refresh_from_db()
    assert stored.amount == Decimal("2459668.00")  # shown, still not saved
    # Once: the next visit shows what is stored.
    assert entry_data(client.get(url).content.decode())[BASIC] == "2,459,668.00"

    # Checked and saved: stored.
    assert client.post(url, entry_data(page)).status_code == 302
    stored.refresh_from_db()
    assert stored.amount == Decimal("2400000.00")


def test_another_user_logging_in_on_the_same_browser_never_sees_the_kept_input(
    client, people, demo_draft
):
    url = page_url("entry", demo_draft, "05")
    client.force_login(people["tianbao"])
    data = entry_data(client.get(url).content.decode())
    data[BASIC] = "1,111.00"
    expire_sessions()
    assert client.post(url, data).status_code == 302
    assert KEPT in client.session

    # 李四 sits down at the same browser and logs in from the page it was sent to.
    assert log_in(client, "lisi", url).status_code == 302
    assert KEPT not in client.session  # dropped at the login
    page = client.get(url).content.decode()
    assert KEPT_SHOWN not in page
    assert entry_data(page)[BASIC] == "2,459,668.00"
    assert "1,111.00" not in page

    # Nor does it wait for 田宝's own next login.
    client.logout()
    assert log_in(client, "tianbao", url).status_code == 302
    assert "1,111.00" not in client.get(url).content.decode()


def test_the_kept_save_still_meets_the_lost_update_check(client, people, demo_draft):
    url = page_url("entry", demo_draft, "05")
    client.force_login(people["tianbao"])
    data = entry_data(client.get(url).content.decode())
    data[BASIC] = "2,400,000.00"
    expire_sessions()
    assert client.post(url, data).status_code == 302

    # Meanwhile 李四 saves the same table from his own browser.
    other = client.__class__()
    other.force_login(people["lisi"])
    theirs = entry_data(other.get(url).content.decode())
    theirs["fact|expense|2012901|general|project"] = "300,000.00"
    assert other.post(url, theirs).status_code == 302

    log_in(client, "tianbao", url)
    page = client.get(url).content.decode()
    response = client.post(url, entry_data(page))
    assert response.status_code == 200  # refused, the input shown again
    text = response.content.decode()
    assert "没有保存" in text and "lisi" in text
    basic = Fact.objects.get(report=demo_draft, code="2012901", source="general", nature="basic")
    assert basic.amount == Decimal("2459668.00")


@pytest.mark.parametrize("page", ["figures", "profile", "texts"])
def test_other_data_profile_and_texts_keep_their_input_too(client, people, demo_draft, page):
    url = page_url(page, demo_draft)
    client.force_login(people["tianbao"])
    context = client.get(url).context
    if page == "figures":
        data = form_data(context["form"])
        data["use_of_non_appropriation_balance"] = "12.34"
        typed = "12.34"
    elif page == "profile":
        data = form_data(context["form"], *(fs for _, fs in context["formsets"]))
        data["organisation"] = typed = "内设办公室、财务部和宣传部。"
    else:
        data = form_data(*(fs for _, _, fs in context["formsets"]))
        data["explanation-0-body"] = typed = "本年度收入支出总体情况如下。"
    data["version"] = str(demo_draft.version)
    expire_sessions()
    assert client.post(url, data).status_code == 302

    assert log_in(client, "tianbao", url).url == url
    response = client.get(url)
    shown = response.content.decode()
    assert KEPT_SHOWN in shown and typed in shown
    assert f'name="version" value="{demo_draft.version}"' in shown
    figures = ReportFigures.objects.get(report=demo_draft)
    assert figures.use_of_non_appropriation_balance != Decimal("12.34")
    assert ReportProfile.objects.get(report=demo_draft).organisation != typed
    assert not ReportSection.objects.filter(report=demo_draft, body=typed).exists()
    # Saved as shown: stored.
    forms = response.context
    again = (
        form_data(forms["form"])
        if page == "figures"
        else form_data(forms["form"], *(fs for _, fs in forms["formsets"]))
        if page == "profile"
        else form_data(*(fs for _, _, fs in forms["formsets"]))
    )
    again["version"] = str(demo_draft.version)
    assert client.post(url, again).status_code == 302
    if page == "figures":
        figures.refresh_from_db()
        assert figures.use_of_non_appropriation_balance == Decimal("12.34")
    elif page == "profile":
        assert ReportProfile.objects.get(report=demo_draft).organisation == typed
    else:
        assert ReportSection.objects.filter(report=demo_draft, body=typed).exists()


def test_nothing_is_kept_without_a_genuine_owner_or_anything_typed(client, people, demo_draft):
    url = page_url("entry", demo_draft, "05")
    client.force_login(people["tianbao"])
    data = entry_data(client.get(url).content.decode())
    expire_sessions()
    # A forged owner (not signed by the server): sent to the login, nothing kept.
    client.cookies[OWNER_COOKIE] = str(people["lisi"].pk)
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert KEPT not in client.session
    # No owner at all (a form that was never served to a user here): the same.
    del client.cookies[OWNER_COOKIE]
    assert client.post(url, data).status_code == 302
    assert KEPT not in client.session
    # A button that carries nothing typed (载入标准名词解释) is not kept either.
    texts = page_url("texts", demo_draft)
    response = expired_save(
        client, people["tianbao"], texts, {"action": "glossary", "version": "1"}
    )
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert KEPT not in client.session


def test_kept_input_is_only_ever_returned_to_its_own_user(client, people, demo_draft):
    """Even input that somehow outlived a login is dropped, unseen, when another user opens it."""
    url = page_url("entry", demo_draft, "05")
    client.force_login(people["lisi"])
    session = client.session
    session[KEPT] = {url: {"user": str(people["tianbao"].pk), "fields": {BASIC: ["9.99"]}}}
    session.save()
    page = client.get(url).content.decode()
    assert KEPT_SHOWN not in page
    assert entry_data(page)[BASIC] == "2,459,668.00"
    assert KEPT not in client.session
