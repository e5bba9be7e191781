"""Roles that hold: every role × every staff URL × own draft / another department's draft / own
published report, each status asserted. Permissions come from the role and the departments, never
from per-user permission boxes (the users here have none)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, User
from disclosures.models import Department, Region, Report
from disclosures.services import report_create

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "filler", "reviewer", "admin")
TARGETS = ("own_draft", "other_draft", "own_published")

# (name, method, url name, extra args): the staff pages of one report.
REPORT_PAGES = [
    ("change", "get", "admin:disclosures_report_change", ()),
    ("entry index", "get", "admin:disclosures_report_entry_index", ()),
    ("entry form", "get", "admin:disclosures_report_entry", ("05",)),
    ("read-only form", "get", "admin:disclosures_report_entry", ("01",)),
    ("entry save", "post", "admin:disclosures_report_entry", ("05",)),
    ("other data", "get", "admin:disclosures_report_figures", ()),
    ("other data save", "post", "admin:disclosures_report_figures", ()),
    ("profile", "get", "admin:disclosures_report_profile", ()),
    ("profile save", "post", "admin:disclosures_report_profile", ()),
    ("texts", "get", "admin:disclosures_report_texts", ()),
    ("texts save", "post", "admin:disclosures_report_texts", ()),
    ("checks", "get", "admin:disclosures_report_checks", ()),
    ("preview", "get", "admin:disclosures_report_preview", ()),
    ("preview csv", "get", "admin:disclosures_report_preview_file", ("csv",)),
    ("preview table xlsx", "get", "admin:disclosures_report_preview_table_file", ("03", "xlsx")),
    ("workbook", "get", "admin:disclosures_report_workbook", ()),
    ("import", "get", "admin:disclosures_report_import", ()),
    ("evaluations", "get", "admin:disclosures_report_evaluations", ()),
    ("evaluations import", "post", "admin:disclosures_report_evaluations", ()),
]
# Lists: a system admin's alone, or every staff user's (each seeing their own).
ADMIN_ONLY = [
    "admin:accounts_user_changelist",
    "admin:accounts_membership_changelist",
    "admin:disclosures_region_changelist",
    "admin:disclosures_department_changelist",
    "admin:disclosures_classificationcode_changelist",
    "admin:disclosures_classificationcode_import",
    "admin:disclosures_glossaryentry_changelist",
    "admin:disclosures_fact_changelist",
    "admin:disclosures_economicfact_changelist",
    "admin:disclosures_reportfigures_changelist",
    "admin:disclosures_printedcell_changelist",
    "admin:disclosures_renderedfile_changelist",
]
EVERY_STAFF = ["admin:index", "admin:disclosures_report_changelist"]


@pytest.fixture
def world(demo_report):
    """The seed department (021001, supervised by 021) with a published 2022 and a 2023 draft,
    and another county department with a draft."""
    own = demo_report.department
    supervisor = own.supervisor
    region = Region.objects.create(name="陵川县", level=Region.Level.COUNTY)
    other = Department.objects.create(
        region=region, code="031001", name="陵川县总工会", nature="群众团体"
    )
    reports = {
        "own_draft": report_create(department=own, year=2023),
        "other_draft": report_create(department=other, year=2023),
        "own_published": demo_report,
    }
    users = {
        "filler": User.objects.create_user(
            "filler", password="pw-123456-x", role="filler", is_staff=True
        ),
        "reviewer": User.objects.create_user(
            "reviewer", password="pw-123456-x", role="reviewer", is_staff=True
        ),
        "admin": User.objects.create_user(
            "sysadmin", password="pw-123456-x", role="admin", is_staff=True
        ),
    }
    Membership.objects.create(user=users["filler"], department=own)
    # The reviewer belongs to the 主管部门 (021) and so supervises 021001.
    Membership.objects.create(user=users["reviewer"], department=supervisor)
    for user in users.values():
        assert not user.user_permissions.exists() and not user.is_superuser
    return reports, users


def may_view(role: str, target: str) -> bool:
    return {
        "filler": target in ("own_draft", "own_published"),
        "reviewer": target in ("own_draft", "own_published"),
        "admin": True,
    }.get(role, False)


def may_edit(role: str, target: str) -> bool:
    return {"filler": target == "own_draft", "admin": target != "own_published"}.get(role, False)


def expected_status(role: str, target: str, page: str, method: str) -> int:
    if role == "anonymous":
        return 302  # to the login page
    if not may_view(role, target):
        return 302 if page == "change" else 404  # the admin sends unknown objects to its index
    if method == "post":
        return 302 if may_edit(role, target) else 403
    return 200


def post_data(page: str, report: Report) -> dict:
    if page == "other data save":
        return {
            "use_of_non_appropriation_balance": "0",
            "balance_distribution": "0",
        }
    if page == "profile save":
        return {
            "admin_quota": "5",
            "service_quota": "0",
            "institution_quota": "0",
            "actual_total": "1",
            "actual_admin": "1",
            "actual_institution": "0",
            "independent_accounting_units": "1",
            "duties-TOTAL_FORMS": "0",
            "duties-INITIAL_FORMS": str(report.duties.count()),
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": str(report.org_units.count()),
        }
    if page == "texts save":
        return {
            f"{part}-{k}": v
            for part in ("explanation", "glossary")
            for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        }
    if page == "evaluations import":
        entry = {
            "kind": "project",
            "name": "职工培训",
            "budget": "1000",
            "executed": "900",
            "score": "90",
            "indicators": [],
        }
        return {"file": SimpleUploadedFile("e.json", json.dumps([entry]).encode())}
    return {"action": "save"}


def test_every_role_every_staff_url_every_report(client, world):
    reports, users = world
    cases = 0
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        for target, report in reports.items():
            for page, method, name, args in REPORT_PAGES:
                url = reverse(name, args=[report.pk, *args])
                if method == "post":
                    response = client.post(url, post_data(page, report))
                else:
                    response = client.get(url)
                want = expected_status(role, target, page, method)
                if response.status_code != want:
                    failures.append((role, target, page, response.status_code, want))
                cases += 1
        for name in ADMIN_ONLY + EVERY_STAFF:
            status = client.get(reverse(name)).status_code
            if role == "anonymous":
                want = 302
            elif name in EVERY_STAFF or role == "admin":
                want = 200
            else:
                want = 403
            if status != want:
                failures.append((role, "-", name, status, want))
            cases += 1
        # Starting a report: a filler (for their departments) and a system admin.
        status = client.get(reverse("admin:disclosures_report_add")).status_code
        want = {"anonymous": 302, "reviewer": 403}.get(role, 200)
        if status != want:
            failures.append((role, "-", "report add", status, want))
        cases += 1
    print(f"\nrole matrix: {cases} cases, {len(failures)} failures")
    assert failures == []
    assert cases == len(ROLES) * (len(TARGETS) * len(REPORT_PAGES) + len(ADMIN_ONLY) + 3)


def test_lists_show_each_role_only_its_reports(client, world):
    reports, users = world
    for role, visible in (
        ("filler", {"own_draft", "own_published"}),
        ("reviewer", {"own_draft", "own_published"}),
        ("admin", set(TARGETS)),
    ):
        client.force_login(users[role])
        page = client.get(reverse("admin:disclosures_report_changelist")).content.decode()
        shown = {
            target
            for target, report in reports.items()
            if reverse("admin:disclosures_report_change", args=[report.pk]) in page
        }
        assert shown == visible, role


def test_a_filler_cannot_publish_or_move_a_report(client, world):
    reports, users = world
    client.force_login(users["filler"])
    report = reports["own_draft"]
    url = reverse("admin:disclosures_report_change", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page  # the state is read-only here
    response = client.post(
        url,
        {
            "department": reports["other_draft"].department_id,
            "year": "2023",
            "template": "national-9",
            "unit": "万元",
            "status": "published",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "draft" and report.department.code == "021001"
    assert report.unit == "万元"  # what a filler may change, changed
    # A filler's new report is for one of their departments only.
    page = client.get(reverse("admin:disclosures_report_add")).content.decode()
    assert "021001" in page and "031001" not in page


def test_a_reviewer_changes_nothing_through_the_admin(client, world):
    reports, users = world
    client.force_login(users["reviewer"])
    report = reports["own_draft"]
    response = client.post(
        reverse("admin:disclosures_report_change", args=[report.pk]),
        {"template": "national-9", "unit": "万元"},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.unit == "元"


def test_nobody_sets_the_state_in_the_change_form(client, world):
    """The state changes only through the review steps (tests/disclosures/test_workflow.py)."""
    reports, users = world
    report = reports["own_draft"]
    url = reverse("admin:disclosures_report_change", args=[report.pk])
    for role in ("admin", "filler"):
        client.force_login(users[role])
        assert 'name="status"' not in client.get(url).content.decode()
    client.force_login(users["admin"])
    client.post(url, {"template": report.template, "unit": "元", "status": "published"})
    report.refresh_from_db()
    assert report.status == "draft" and report.published_at is None


def test_editable_reports_agree_with_report_may(world):
    from accounts.selectors import Action, report_may, reports_editable_by

    _, users = world
    for user in users.values():
        editable = set(reports_editable_by(user))
        assert editable == {r for r in Report.objects.all() if report_may(user, r, Action.EDIT)}
