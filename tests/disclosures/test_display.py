"""Times and amounts on the staff side: in the site's time zone (Asia/Shanghai), amounts as the
tables print them ("1,234.50"), in messages, the record, the dashboard and the admin's lists."""

from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from disclosures import records
from disclosures.display import kept_text, local_text, money_text
from disclosures.models import ChangeRecord, Fact, Report
from disclosures.templatetags.figures import amount, figure, kept, money
from performance.models import Evaluation

D = Decimal
# 08:05 in UTC is 16:05 in Shanghai; 23:30 in UTC is 07:30 the next day.
MORNING_UTC = datetime(2024, 3, 1, 8, 5, tzinfo=UTC)
LATE_UTC = datetime(2024, 3, 1, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def shanghai(settings):
    """The settings these tests rely on, whatever the environment says."""
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.USE_TZ = True


def test_one_money_format_for_templates_and_python():
    assert money_text(D("1234.5")) == "1,234.50"
    assert money_text(D("-5939150")) == "-5,939,150.00"
    assert money_text(D("0")) == "0.00"
    assert money_text(D("0"), blank_zero=True) == ""
    assert money_text(None) == "" and money_text("") == ""
    # The filters are the same function.
    assert money(D("1234.5")) == "1,234.50" and money(D("0")) == ""
    assert amount(D("0")) == "0.00" and amount(None) == "—"


def test_a_kept_value_reads_as_the_tables_print_it():
    assert kept_text("1234.50") == "1,234.50"
    assert kept_text("-5000.00") == "-5,000.00"
    assert kept_text(D("1234.5")) == "1,234.50"
    # Counts, codes and texts are kept whole and stay as they are.
    assert kept_text("3") == "3"
    assert kept_text("2012901") == "2012901"
    assert kept_text("行政运行") == "行政运行"
    assert kept_text("12.5") == "12.5"
    assert kept_text(None) == ""
    assert kept("1234.50") == "1,234.50"
    # An import preview keeps counts as numbers, amounts as text.
    assert figure(3) == "3" and figure("1234.50") == "1,234.50" and figure(None) == "—"


def test_a_time_is_read_in_the_sites_time_zone():
    assert local_text(MORNING_UTC) == "2024-03-01 16:05"
    assert local_text(LATE_UTC) == "2024-03-02 07:30"
    assert local_text(None) == ""
    assert str(ChangeRecord(at=LATE_UTC, username="lisi", action="entry")).startswith(
        "2024-03-02 07:30 lisi"
    )


def test_the_conflict_message_shows_shanghai_time_and_formatted_amounts():
    others = [
        ChangeRecord(
            at=MORNING_UTC,
            username="lisi",
            summary="填报 公开05表",
            changes=[["2012901 行政运行 基本支出", "1234.50", "-5000.00"], ["其他用车", "3", None]],
        )
    ]
    message = records.conflict_refusal(others)
    assert "lisi 于 2024-03-01 16:05 填报 公开05表" in message
    assert "08:05" not in message
    assert "2012901 行政运行 基本支出：1,234.50 → -5,000.00" in message
    assert "其他用车：3 → 空" in message
    # Today's change is told by its time alone, in Shanghai.
    now = timezone.now()
    today = ChangeRecord(at=now, username="lisi", summary="修改概况", changes=[])
    assert f"于 {timezone.localtime(now):%H:%M} 修改概况" in records.conflict_message([today])


def filler(username: str, report: Report) -> User:
    user = User.objects.create_user(
        username, password="Pw-2022-test!", role="filler", is_staff=True
    )
    Membership.objects.create(user=user, department=report.department)
    return user


def test_a_refused_save_names_the_others_change_in_shanghai_time(client, demo_draft):
    me, other = filler("zhangsan", demo_draft), filler("lisi", demo_draft)
    client.force_login(me)
    url = reverse("admin:disclosures_report_figures", args=[demo_draft.pk])
    page = client.get(url)
    form = page.context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items()}
    data.update(balance_distribution="99.00", version=page.context["version"])
    # Someone else saves first, at 08:05 UTC.
    with mock.patch("django.utils.timezone.now", return_value=MORNING_UTC):
        records.record(
            report=demo_draft,
            user=other,
            action="entry",
            summary="填报 其他数据",
            changes=[["结余分配", D("0.00"), D("1234.50")]],
        )
    response = client.post(url, data)
    assert response.status_code == 200  # refused, the input kept on the page
    message = " ".join(str(m) for m in response.context["messages"])
    assert "没有保存" in message
    assert "lisi 于 2024-03-01 16:05 填报 其他数据（结余分配：0.00 → 1,234.50）" in message
    assert "08:05" not in message


def test_the_record_pages_show_local_times_and_formatted_amounts(boss, demo_draft):
    with mock.patch("django.utils.timezone.now", return_value=LATE_UTC):
        record = records.record(
            report=demo_draft,
            user=None,
            action="entry",
            summary="填报 其他数据",
            changes=[["结余分配", D("0.00"), D("1234.50")], ["其他用车", 2, 3]],
        )
    page = boss.get(reverse("admin:disclosures_report_records", args=[demo_draft.pk]))
    text = page.content.decode()
    assert "2024-03-02 07:30:00" in text and "2024-03-01 23:30" not in text
    assert "结余分配：0.00 → 1,234.50" in text and "其他用车：2 → 3" in text
    workflow = boss.get(reverse("admin:disclosures_report_workflow", args=[demo_draft.pk]))
    assert "2024-03-02 07:30 系统 填报 其他数据" in workflow.content.decode()
    # The admin's own page of the record: its title and its changes.
    change = boss.get(reverse("admin:disclosures_changerecord_change", args=[record.pk]))
    text = change.content.decode()
    assert "2024-03-02 07:30 系统" in text
    assert "结余分配：0.00 → 1,234.50" in text
    listing = boss.get(reverse("admin:disclosures_changerecord_changelist")).content.decode()
    assert "2024年3月2日 07:30" in listing


def test_the_dashboard_shows_local_times(boss, demo_draft):
    Report.objects.filter(pk=demo_draft.pk).update(submitted_at=MORNING_UTC)
    page = boss.get(reverse("admin:disclosures_report_dashboard")).content.decode()
    assert "2024-03-01 16:05" in page and "2024-03-01 08:05" not in page


def test_admin_lists_and_the_evaluations_page_print_amounts_as_the_tables(boss, demo_draft):
    fact = Fact.objects.filter(report=demo_draft, amount__gte=1000).first()
    facts = boss.get(reverse("admin:disclosures_fact_changelist"), {"q": fact.code})
    assert money_text(fact.amount) in facts.content.decode()
    evaluation = Evaluation.objects.filter(report=demo_draft, budget__gte=1000).first()
    listing = boss.get(reverse("admin:performance_evaluation_changelist")).content.decode()
    assert money_text(evaluation.budget) in listing
    staff_page = boss.get(reverse("admin:disclosures_report_evaluations", args=[demo_draft.pk]))
    assert money_text(evaluation.budget) in staff_page.content.decode()
