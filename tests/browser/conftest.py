"""Real Chromium (Debian's package) driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

from disclosures.chromium import CHROMIUM, CHROMIUM_FLAGS

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are
# ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server):
    contexts = []

    def make(width: int = 1280, height: int = 900, mobile: bool = False):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=mobile,
            has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
            locale="zh-CN",
        )
        contexts.append(context)
        page = context.new_page()
        page.outside_requests = []
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith(live_server.url) or request.url.startswith("data:")
                else page.outside_requests.append(request.url)
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy (no
    # inline script) does not govern, as an injected <script> tag would be.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


STAFF_PASSWORD = "Pw-2022-browser!"


@pytest.fixture
def demo_draft_and_filler(transactional_db):
    """The demo draft as the seed printed it (its real inconsistencies) and its 填报人 `tianbao`
    (password `STAFF_PASSWORD`)."""
    from accounts.models import Membership, User
    from disclosures.services import demo_load

    report = demo_load(publish=False)
    user = User.objects.create_user(
        "tianbao", password=STAFF_PASSWORD, role="filler", is_staff=True
    )
    Membership.objects.create(user=user, department=report.department)
    return report


def login(page, base: str, username: str = "tianbao", password: str = STAFF_PASSWORD) -> None:
    """Through the admin's login page, landing on the admin home."""
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/"), page.url
