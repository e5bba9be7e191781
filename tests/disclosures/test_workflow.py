"""Review, publication and correction: every step by every role, the gate on the checks, the
immutability of a published revision by every path, corrections and the record of changes."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import Transition
from disclosures import workflow
from disclosures.display import money_text
from disclosures.models import (
    ChangeRecord,
    ClassificationCode,
    Department,
    EconomicFact,
    Fact,
    PrintedCell,
    PublishedReportError,
    Report,
    ReportFigures,
    ReportProfile,
    ReportSection,
)
from disclosures.selectors import report_findings
from performance.models import Evaluation, Indicator
from tests.conftest import clean_demo, publish

pytestmark = pytest.mark.django_db
D = Decimal
REPORT = "/departments/021001/2022/"
PASSWORD = "Pw-2022-test!"


def staff(username: str, role: str, *departments, **extra) -> User:
    user = User.objects.create_user(
        username,
        email=f"{username}@example.gov.cn",
        password=PASSWORD,
        role=role,
        is_staff=True,
        **extra,
    )
    for department in departments:
        Membership.objects.create(user=user, department=department)
    return user


@pytest.fixture
def people(demo_draft):
    """Who may act on the seed department (021001, supervised by 021), and who may not."""
    own = demo_draft.department
    other = Department.objects.create(
        region=own.region, code="099001", name="其他单位", nature="行政单位"
    )
    return {
        "filler": staff("filler", "filler", own),
        "filler_other": staff("filler_other", "filler", other),
        "reviewer": staff("reviewer", "reviewer", own.supervisor),
        "reviewer_own": staff("reviewer_own", "reviewer", own),
        "reviewer_other": staff("reviewer_other", "reviewer", other),
        "admin": staff("sysadmin", "admin"),
        "superuser": User.objects.create_superuser("root", "root@example.gov.cn", PASSWORD),
        "inactive_filler": staff("gone", "filler", own, is_active=False),
        "anonymous": AnonymousUser(),
    }


def notes_for(report: Report) -> dict[str, str]:
    return {f.key: "已核实：原因见附注。" for f in report_findings(report=report)}


def take(step: Transition, report: Report, user) -> Report:
    if step == Transition.SUBMIT:
        return workflow.report_submit(report=report, user=user, notes=notes_for(report))
    if step == Transition.APPROVE:
        return workflow.report_approve(report=report, user=user)
    if step == Transition.RETURN:
        return workflow.report_return(report=report, user=user, reason="第三部分文字有误。")
    if step == Transition.PUBLISH:
        return workflow.report_publish(report=report, user=user)
    return workflow.report_correct(report=report, user=user, reason="更正一处数字。")


ALLOWED = {
    Transition.SUBMIT: ({"draft"}, {"filler"}),
    Transition.APPROVE: ({"submitted"}, {"reviewer", "reviewer_own"}),
    Transition.RETURN: ({"submitted", "approved"}, {"reviewer", "reviewer_own"}),
    Transition.PUBLISH: ({"approved"}, {"reviewer", "reviewer_own", "admin", "superuser"}),
    Transition.CORRECT: ({"published"}, {"filler", "admin", "superuser"}),
}
AFTER = {
    Transition.SUBMIT: "submitted",
    Transition.APPROVE: "approved",
    Transition.RETURN: "draft",
    Transition.PUBLISH: "published",
}


def test_every_step_by_every_role_in_every_state(people, demo_draft):
    """5 steps × 4 states × 9 users: allowed exactly where the rules say, refused elsewhere with
    the state unchanged. Each attempt is rolled back, so each starts from the same report."""
    failures = []
    for state in ("draft", "submitted", "approved", "published"):
        for step in Transition:
            states, roles = ALLOWED[step]
            for who, user in people.items():
                want = state in states and who in roles
                with transaction.atomic():
                    if state == "published":
                        publish(demo_draft)
                    else:
                        Report.objects.filter(pk=demo_draft.pk).update(status=state)
                    report = Report.objects.get(pk=demo_draft.pk)
                    try:
                        result = take(step, report, user)
                    except (PermissionDenied, ValidationError):
                        got = False
                        report.refresh_from_db()
                        if report.status != state:
                            failures.append((state, step, who, "state changed on refusal"))
                    else:
                        got = True
                        expected = AFTER.get(step)
                        if expected and result.status != expected:
                            failures.append((state, step, who, result.status))
                        if step == Transition.CORRECT and (
                            result.revision != 2 or result.status != "draft"
                        ):
                            failures.append((state, step, who, "correction"))
                    if got != want:
                        failures.append((state, step, who, got, want))
                    transaction.set_rollback(True)
    assert failures == []


def test_the_full_path_sets_dates_records_each_step_and_mails(
    people, demo_draft, client, django_capture_on_commit_callbacks
):
    report = demo_draft
    with django_capture_on_commit_callbacks(execute=True):
        take(Transition.SUBMIT, report, people["filler"])
    assert [m.to for m in mail.outbox] == [
        ["reviewer@example.gov.cn", "reviewer_own@example.gov.cn"]
    ]
    assert "待审核" in mail.outbox[0].subject and "说明" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        take(Transition.RETURN, report, people["reviewer"])
    assert mail.outbox[1].to == ["filler@example.gov.cn"]
    assert "第三部分文字有误" in mail.outbox[1].body
    report.refresh_from_db()
    assert report.status == "draft" and report.returned_reason == "第三部分文字有误。"
    take(Transition.SUBMIT, report, people["filler"])
    take(Transition.APPROVE, report, people["reviewer_own"])
    report = take(Transition.PUBLISH, report, people["admin"])
    assert report.status == "published" and report.published_at is not None
    actions = list(ChangeRecord.objects.filter(report=report).values_list("action", flat=True))
    assert {"submit", "return", "approve", "publish"} <= set(actions)
    page = client.get(REPORT).content.decode()
    assert (
        f'公开日期 <time datetime="{report.published_at.isoformat()}' in page or "公开日期" in page
    )
    assert timezone.localtime(report.published_at).strftime("%Y年%-m月%-d日") in page


def test_an_error_blocks_submission_and_each_warning_needs_an_explanation(people, demo_draft):
    ReportFigures.objects.filter(report=demo_draft).update(tp_actual_reception=0)
    errors = [f for f in report_findings(report=demo_draft) if f.severity == "error"]
    assert errors
    with pytest.raises(ValidationError) as refused:
        workflow.report_submit(report=demo_draft, user=people["filler"], notes={})
    assert refused.value.code == "has_errors" and errors[0].code in refused.value.messages[0]
    ReportFigures.objects.filter(report=demo_draft).update(tp_actual_reception=None)
    warnings = [f for f in report_findings(report=demo_draft) if f.severity == "warning"]
    assert warnings, "the seed carries at least one warning"
    with pytest.raises(ValidationError) as refused:
        workflow.report_submit(report=demo_draft, user=people["filler"], notes={})
    assert refused.value.code == "warning_unexplained"
    notes = {warnings[0].key: "  "}  # blank is no explanation
    with pytest.raises(ValidationError):
        workflow.report_submit(report=demo_draft, user=people["filler"], notes=notes)
    notes = {f.key: f"说明{i}" for i, f in enumerate(warnings)}
    report = workflow.report_submit(report=demo_draft, user=people["filler"], notes=notes)
    assert report.status == "submitted"
    assert [v["note"] for v in report.warning_notes.values()] == list(notes.values())


def test_the_reviewer_reads_the_explanations_and_returns_with_a_reason(client, people, demo_draft):
    take(Transition.SUBMIT, demo_draft, people["filler"])
    client.force_login(people["reviewer"])
    url = reverse("admin:disclosures_report_workflow", args=[demo_draft.pk])
    page = client.get(url).content.decode()
    assert "已核实：原因见附注。" in page and "审核通过" in page and "退回修改" in page
    response = client.post(url, {"action": "return", "reason": ""})
    assert "退回须写明原因" in client.get(url).content.decode() or response.status_code == 200
    demo_draft.refresh_from_db()
    assert demo_draft.status == "submitted"
    client.post(url, {"action": "return", "reason": "请核对第四部分。"})
    demo_draft.refresh_from_db()
    assert demo_draft.status == "draft" and demo_draft.returned_reason == "请核对第四部分。"
    # A step the user may not take is a 403 with the reason, never a 500.
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 403
    assert client.post(url, {"action": "nonsense"}).status_code == 404


def test_the_filler_submits_through_the_page_with_the_explanations(client, people, demo_draft):
    client.force_login(people["filler"])
    url = reverse("admin:disclosures_report_workflow", args=[demo_draft.pk])
    page = client.get(url).content.decode()
    assert "提交审核" in page and "说明" in page
    warnings = [f for f in report_findings(report=demo_draft) if f.severity == "warning"]
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 200 and "没有填写说明" in response.content.decode()
    posted = {f"note-{f.key}": "年中调整，已说明。" for f in warnings}
    client.post(url, {"action": "submit", **posted})
    demo_draft.refresh_from_db()
    assert demo_draft.status == "submitted"


# ---------------------------------------------------------------------------------------------
# A published revision is immutable, by every path


@pytest.fixture
def published(demo_report):
    return demo_report


def test_model_save_delete_and_bulk_calls_are_refused(published):
    fact = Fact.objects.filter(report=published).first()
    fact.amount += 1
    attempts = [
        fact.save,
        fact.delete,
        lambda: Fact.objects.filter(report=published).update(amount=1),
        lambda: Fact.objects.filter(report=published).delete(),
        lambda: Fact.objects.bulk_update([fact], ["amount"]),
        lambda: Fact.objects.bulk_create(
            [Fact(report=published, measure="income", code="2010101", source="general", amount=1)]
        ),
        lambda: EconomicFact.objects.filter(report=published).update(amount=1),
        lambda: ReportFigures.objects.filter(report=published).update(vehicles_other=9),
        lambda: ReportSection.objects.filter(report=published).update(body="改"),
        lambda: ReportProfile.objects.filter(report=published).update(actual_total=1),
        lambda: PrintedCell.objects.bulk_create(
            [PrintedCell(report=published, table="03", row="total", column="total", value=1)]
        ),
        lambda: Evaluation.objects.filter(report=published).update(score=1),
        lambda: Indicator.objects.filter(evaluation__report=published).update(score=1),
        lambda: Indicator.objects.filter(evaluation__report=published).first().save(),
        lambda: Report.objects.filter(pk=published.pk).update(unit="万元"),
        lambda: Report.objects.filter(pk=published.pk).delete(),
        published.delete,
    ]
    for attempt in attempts:
        with pytest.raises(PublishedReportError):
            attempt()
    published.unit = "万元"
    with pytest.raises(PublishedReportError):
        published.save()
    assert Report.objects.get(pk=published.pk).unit == "元"


def test_services_refuse_a_published_revision(published):
    from disclosures import services
    from disclosures.selectors import report_entry_form

    form = report_entry_form(report=published, key="03")
    posted = {c.name: "1" for c in form.inputs}
    with pytest.raises(PublishedReportError):
        services.entry_save(report=published, form=form, posted=posted)
    with pytest.raises(PublishedReportError):
        services.printed_cells_replace(report=published, cells=[("03", "total", "total", D(1))])
    code = ClassificationCode.objects.filter(year=2022, kind="functional", level="项").first()
    with pytest.raises(PublishedReportError):
        services.report_row_add(report=published, text=code.code)
    assert Fact.objects.filter(report=published, amount=1).count() == 0


def test_the_admin_entry_forms_and_import_refuse_a_published_revision(client, published):
    boss = User.objects.create_superuser("boss", "boss@example.gov.cn", PASSWORD)
    client.force_login(boss)
    fact = Fact.objects.filter(report=published).first()
    attempts = [
        (reverse("admin:disclosures_fact_change", args=[fact.pk]), {"amount": "1"}),
        (reverse("admin:disclosures_fact_delete", args=[fact.pk]), {"post": "yes"}),
        (reverse("admin:disclosures_report_change", args=[published.pk]), {"unit": "万元"}),
        (reverse("admin:disclosures_report_entry", args=[published.pk, "03"]), {}),
        (reverse("admin:disclosures_report_figures", args=[published.pk]), {}),
        (reverse("admin:disclosures_report_profile", args=[published.pk]), {}),
        (reverse("admin:disclosures_report_texts", args=[published.pk]), {}),
        (reverse("admin:disclosures_report_import", args=[published.pk]), {}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    evaluation = Evaluation.objects.filter(report=published).first()
    url = reverse("admin:performance_evaluation_change", args=[evaluation.pk])
    assert client.post(url, {"score": "1"}).status_code == 403
    fact.refresh_from_db()
    assert fact.amount != 1 and Report.objects.get(pk=published.pk).unit == "元"


def test_an_import_previewed_on_a_draft_is_not_applied_once_published(people, demo_draft):
    from disclosures import services
    from disclosures.renderers.excel import report_xlsx
    from disclosures.selectors import report_draft_document_get

    content = report_xlsx(report_draft_document_get(pk=demo_draft.pk))
    batch = services.import_preview(
        report=demo_draft, content=content, filename="seed.xlsx", user=people["filler"]
    )
    publish(demo_draft)
    with pytest.raises(PublishedReportError):
        services.import_apply(batch=batch, user=people["filler"])


# ---------------------------------------------------------------------------------------------
# Corrections


def test_a_correction_is_a_new_revision_with_its_note_and_the_old_one_stays(
    client, people, published, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    old_csv = client.get(REPORT + "download.csv").getvalue()
    revision = take(Transition.CORRECT, published, people["filler"])
    assert (revision.revision, revision.status) == (2, "draft")
    assert (
        Fact.objects.filter(report=revision).count()
        == Fact.objects.filter(report=published).count()
    )
    assert Indicator.objects.filter(evaluation__report=revision).count() == (
        Indicator.objects.filter(evaluation__report=published).count()
    )
    # The public still reads revision 1 while the correction is in review.
    assert "第2版" not in client.get(REPORT).content.decode()
    # The seed as printed has real errors (tests/performance/test_checks.py): the correction fixes
    # them too, or it could not be published.
    clean_demo(revision)
    # 100.00 of 办公费 was booked as 印刷费: two economic lines change, no total the text states.
    fact = EconomicFact.objects.get(report=revision, code="30201", nature="basic")
    old_amount = fact.amount
    new_amount = old_amount + 100
    fact.amount = new_amount
    fact.save()
    other = EconomicFact.objects.get(report=revision, code="30202", nature="basic")
    other.amount -= 100
    other.save()
    take(Transition.SUBMIT, revision, people["filler"])
    take(Transition.APPROVE, revision, people["reviewer"])
    take(Transition.PUBLISH, revision, people["reviewer"])
    revision.refresh_from_db()
    changes = revision.correction_changes
    assert changes and all(len(c) == 3 for c in changes)
    cell = next(c for c in changes if c[0].startswith(f"公开06表 {fact.code} "))
    assert cell[1:] == [format(old_amount, "f"), format(new_amount, "f")]
    page = client.get(REPORT).content.decode()
    assert "更正说明" in page and "更正一处数字。" in page and money_text(new_amount) in page
    assert "第2版" in page and f'href="{REPORT}r1/"' in page
    first = client.get(REPORT + "r1/").content.decode()
    assert "已被更正" in first and "更正说明" not in first
    assert f'href="{REPORT}r1/download.csv"' in first
    assert client.get(REPORT + "r1/download.csv").getvalue() == old_csv
    assert client.get(REPORT + "download.csv").getvalue() != old_csv
    assert client.get(REPORT + "r1/tables/03/").status_code == 200
    assert client.get(REPORT + "r3/").status_code == 404
    # Only the latest revision is listed and searched.
    assert client.get("/search/", {"q": "总工会"}).content.decode().count(REPORT) == 1
    # A correction of a correction starts from the latest, and only one is open at a time.
    with pytest.raises(PermissionDenied):
        take(Transition.CORRECT, published, people["filler"])
    third = take(Transition.CORRECT, revision, people["filler"])
    with pytest.raises(PermissionDenied):
        take(Transition.CORRECT, revision, people["admin"])
    assert third.revision == 3


# ---------------------------------------------------------------------------------------------
# The record of every change


def test_every_staff_write_is_recorded_with_old_and_new(client, people, demo_draft):
    client.force_login(people["filler"])
    entry = reverse("admin:disclosures_report_entry", args=[demo_draft.pk, "10"])
    page = client.get(entry)
    version = page.context["version"]
    form = page.context["form"]
    posted = {c.name: (c.value if c.value is not None else "") for c in form.inputs}
    posted = {k: ("" if v is None else str(v)) for k, v in posted.items()}
    posted["figure|vehicles_other"] = "5"
    response = client.post(entry, {**posted, "version": version})
    assert response.status_code == 302
    record = ChangeRecord.objects.filter(report=demo_draft, action="entry").latest("pk")
    assert record.username == "filler"
    assert any(old != new and new == "5" for _, old, new in record.changes)
    figures = reverse("admin:disclosures_report_figures", args=[demo_draft.pk])
    page = client.get(figures)
    form = page.context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items()}
    data.update(balance_distribution="1234.50", version=page.context["version"])
    assert client.post(figures, data).status_code == 302
    record = ChangeRecord.objects.filter(report=demo_draft, action="entry").latest("pk")
    assert ["结余分配", "0.00", "1234.50"] in record.changes
    records = client.get(reverse("admin:disclosures_report_records", args=[demo_draft.pk]))
    assert "结余分配：0.00 → 1,234.50" in records.content.decode()


def test_the_record_of_an_import_equals_its_preview(people, demo_draft):
    import io

    from openpyxl import load_workbook

    from disclosures import services
    from disclosures.renderers.excel import report_xlsx
    from disclosures.selectors import report_draft_document_get

    content = report_xlsx(report_draft_document_get(pk=demo_draft.pk))
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["公开10表"]  # change two figures
    changed = 0
    for row in sheet.iter_rows():
        for cell in row:
            if (
                isinstance(cell.value, int | float)
                and cell.value
                and changed < 2
                and cell.column == sheet.max_column  # the values, not the 行次
            ):
                cell.value = cell.value + 1
                changed += 1
    out = io.BytesIO()
    workbook.save(out)
    batch = services.import_preview(
        report=demo_draft, content=out.getvalue(), filename="改.xlsx", user=people["filler"]
    )
    assert batch.changes
    services.import_apply(batch=batch, user=people["filler"])
    record = ChangeRecord.objects.filter(report=demo_draft, action="import").get()
    preview = sorted([label, old, new] for _atom, label, old, new in batch.changes)
    assert sorted(record.changes) == preview
    assert record.username == "filler" and "改.xlsx" in record.summary


def test_nobody_edits_or_deletes_the_record(client, people, demo_draft):
    take(Transition.SUBMIT, demo_draft, people["filler"])
    record = ChangeRecord.objects.filter(report=demo_draft).latest("pk")
    record.summary = "改"
    with pytest.raises(PermissionDenied):
        record.save()
    with pytest.raises(PermissionDenied):
        record.delete()
    with pytest.raises(PermissionDenied):
        ChangeRecord.objects.filter(pk=record.pk).update(summary="改")
    with pytest.raises(PermissionDenied):
        ChangeRecord.objects.all().delete()
    client.force_login(people["superuser"])
    change = reverse("admin:disclosures_changerecord_change", args=[record.pk])
    assert client.get(change).status_code == 200  # readable
    assert client.post(change, {"summary": "改"}).status_code == 403
    delete = reverse("admin:disclosures_changerecord_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ChangeRecord.objects.get(pk=record.pk).summary == "提交审核"


# ---------------------------------------------------------------------------------------------
# No lost update


def test_a_save_on_an_older_version_is_refused_with_what_the_other_changed(
    client, people, demo_draft
):
    from disclosures import services
    from disclosures.selectors import report_entry_form

    form = report_entry_form(report=demo_draft, key="10")
    base = demo_draft.version
    posted = {c.name: "" for c in form.inputs}
    posted["figure|vehicles_other"] = "3"
    first = services.entry_save(
        report=demo_draft, form=form, posted=posted, user=people["filler"], version=base
    )
    assert first.ok
    posted["figure|vehicles_other"] = "7"
    second = services.entry_save(
        report=demo_draft, form=form, posted=posted, user=people["admin"], version=base
    )
    assert not second.ok and second.conflicts[0].username == "filler"
    assert ReportFigures.objects.get(report=demo_draft).vehicles_other == 3


# ---------------------------------------------------------------------------------------------
# The dashboard


def test_dashboard_lists_my_reports_with_counts_waiting_and_overdue(
    client, people, demo_draft, django_assert_max_num_queries
):
    take(Transition.SUBMIT, demo_draft, people["filler"])
    client.force_login(people["reviewer"])
    url = reverse("admin:disclosures_report_dashboard")
    page = client.get(url).content.decode()
    assert "泽州县总工会" in page and "已提交" in page and "待我处理：" in page
    waiting = client.get(url, {"waiting": "on"}).content.decode()
    assert "泽州县总工会" in waiting
    client.force_login(people["reviewer_other"])
    assert "泽州县总工会" not in client.get(url).content.decode()
    client.force_login(people["reviewer"])
    take(Transition.APPROVE, demo_draft, people["reviewer"])
    Report.objects.filter(pk=demo_draft.pk).update(approved_at=timezone.now() - timedelta(days=21))
    page = client.get(url).content.decode()
    assert 'class="overdue' in page and "已审核 21 天未公开" in page
    assert (
        "本报告审核通过已超过20天仍未公开"
        in client.get(
            reverse("admin:disclosures_report_workflow", args=[demo_draft.pk])
        ).content.decode()
    )
    # Sorted and filtered by the query string; the query count does not grow with the rows.
    assert client.get(url, {"sort": "-check_warnings", "status": "approved"}).status_code == 200
    with django_assert_max_num_queries(17):
        client.get(url)
    before = len(client.get(url).context["table"].page.object_list)
    for i in range(10):
        dept = Department.objects.create(
            region=demo_draft.department.region,
            code=f"0210{50 + i}",
            name=f"测试{i}",
            nature="行政单位",
            supervisor=demo_draft.department.supervisor,
        )
        Report.objects.create(department=dept, year=2022)
    with django_assert_max_num_queries(17):
        response = client.get(url)
    assert len(response.context["table"].page.object_list) == before + 10


def test_counts_of_a_report_never_counted_are_kept_when_it_is_opened(client, people, demo_draft):
    Report.objects.filter(pk=demo_draft.pk).update(check_errors=0, check_warnings=0)
    warnings = sum(1 for f in report_findings(report=demo_draft) if f.severity == "warning")
    assert warnings
    client.force_login(people["filler"])
    client.get(reverse("admin:disclosures_report_entry_index", args=[demo_draft.pk]))
    demo_draft.refresh_from_db()
    assert (demo_draft.check_errors, demo_draft.check_warnings) == (0, warnings)


# ---------------------------------------------------------------------------------------------
# A filler's year: every report of their department opens, in every state, with their steps


def test_a_filler_opens_every_report_of_their_department_in_every_state(client, people, demo_draft):
    """Read-only when it is not a draft, with the steps that are theirs; another department's
    stays out of reach."""
    client.force_login(people["filler"])
    take(Transition.SUBMIT, demo_draft, people["filler"])
    for status in ("submitted", "approved", "published"):
        Report.objects.filter(pk=demo_draft.pk).update(
            status=status, published_at=timezone.now() if status == "published" else None
        )
        for name in ("change", "entry_index", "workflow", "checks", "preview", "texts"):
            url = reverse(f"admin:disclosures_report_{name}", args=[demo_draft.pk])
            response = client.get(url)
            assert response.status_code == 200, (status, name)
        entry = client.get(reverse("admin:disclosures_report_entry", args=[demo_draft.pk, "05"]))
        assert 'name="action" value="save"' not in entry.content.decode()
        change = client.get(reverse("admin:disclosures_report_change", args=[demo_draft.pk]))
        page = change.content.decode()
        assert "以上年为基础新建" in page and "提交与公开" in page
    page = client.get(reverse("admin:disclosures_report_workflow", args=[demo_draft.pk]))
    assert 'value="correct"' in page.content.decode()  # 更正 is theirs once published
    client.force_login(people["filler_other"])
    url = reverse("admin:disclosures_report_workflow", args=[demo_draft.pk])
    assert client.get(url).status_code == 404


def test_after_submitting_the_filler_lands_on_the_workflow_page_with_the_message(
    client, people, demo_draft
):
    client.force_login(people["filler"])
    url = reverse("admin:disclosures_report_workflow", args=[demo_draft.pk])
    warnings = [f for f in report_findings(report=demo_draft) if f.severity == "warning"]
    response = client.post(
        url,
        {"action": "submit", **{f"note-{f.key}": "已说明。" for f in warnings}},
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    page = response.content.decode()
    assert "已提交审核。" in page and "已提交" in page


def test_next_year_is_a_confirmation_page_of_its_own_not_a_nested_form(client, people, demo_report):
    client.force_login(people["filler"])
    change = client.get(reverse("admin:disclosures_report_change", args=[demo_report.pk]))
    url = reverse("admin:disclosures_report_next_year", args=[demo_report.pk])
    assert f'href="{url}"' in change.content.decode()
    page = client.get(url).content.decode()
    assert "新建2023年度草稿" in page and "不带入" in page
    response = client.post(url)
    later = Report.objects.get(department=demo_report.department, year=2023)
    assert response["Location"] == reverse("admin:disclosures_report_entry_index", args=[later.pk])
    # Once it exists the page says so and links it, and a second post makes nothing.
    again = client.post(url)
    assert "2023年度的报告已经存在" in again.content.decode()
    assert Report.objects.filter(year=2023).count() == 1
    # A reviewer starts no report: no link, and the page refuses with the reason.
    client.force_login(people["reviewer"])
    change = client.get(reverse("admin:disclosures_report_change", args=[demo_report.pk]))
    assert url not in change.content.decode()
    refused = client.get(url)
    assert refused.status_code == 403


def test_publish_and_return_ask_first_and_a_correction_lists_its_changes(client, people, published):
    revision = take(Transition.CORRECT, published, people["filler"])
    clean_demo(revision)
    fact = EconomicFact.objects.get(report=revision, code="30201", nature="basic")
    old = fact.amount
    fact.amount += 100
    fact.save()
    other = EconomicFact.objects.get(report=revision, code="30202", nature="basic")
    other.amount -= 100
    other.save()
    take(Transition.SUBMIT, revision, people["filler"])
    client.force_login(people["reviewer"])
    url = reverse("admin:disclosures_report_workflow", args=[revision.pk])
    page = client.get(url).content.decode()
    assert "本次更正改动（与第1版对比）" in page
    assert f"公开06表 {fact.code} " in page
    assert money_text(old) in page and money_text(old + 100) in page
    assert 'value="return" class="button" data-confirm="确定把' in page
    assert "js/confirm.js" in page
    take(Transition.APPROVE, revision, people["reviewer"])
    page = client.get(url).content.decode()
    assert 'value="publish" class="button default" data-confirm="确定公开' in page


def test_the_dashboard_marks_a_returned_report_with_its_reason(client, people, demo_draft):
    take(Transition.SUBMIT, demo_draft, people["filler"])
    take(Transition.RETURN, demo_draft, people["reviewer"])
    client.force_login(people["filler"])
    page = client.get(reverse("admin:disclosures_report_dashboard")).content.decode()
    assert '<strong class="returned-note">已退回</strong>（第三部分文字有误。）' in page
    assert re.search(r'<tr [^>]*class="[^"]*\breturned\b', page)
