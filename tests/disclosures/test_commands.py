import pytest
from django.core.management import CommandError, call_command

from disclosures.models import ReportFigures

pytestmark = pytest.mark.django_db


def test_check_report_prints_findings_and_counts(demo_draft, capsys):
    # The seed with its text and evaluation mistakes fixed (the seed as printed: test_checks.py
    # in tests/performance).
    call_command("check_report", "021001", "2022")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "共 1 条：错误 0 条，警告 1 条"
    assert lines[0].startswith("警告【")
    assert "】公开07表：" in lines[0] and lines[0].endswith("（three_public.no_data）")


def test_check_report_lists_real_errors(demo_draft, capsys):
    ReportFigures.objects.filter(report=demo_draft).update(tp_actual_reception=0)
    with pytest.raises(CommandError):
        call_command("check_report", "021001", "2022", "--fail-on-error")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 8  # seven undisclosed 三公 items, then the counts
    assert all(
        line.startswith("错误【") and line.endswith("（three_public.undisclosed）")
        for line in lines[:-1]
    )
    assert lines[-1] == "共 7 条：错误 7 条，警告 0 条"


def test_check_report_unknown_report_is_a_clear_error(db):
    with pytest.raises(CommandError, match="找不到单位编码 999999 的 2022 年度决算报告"):
        call_command("check_report", "999999", "2022")
