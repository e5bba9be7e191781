"""Self-evaluations in Excel: a sheet per evaluation in the public and the staff workbook, read
back with openpyxl; the staff upload (workbook or JSON) writes them all or none, with the record."""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from disclosures.models import ChangeRecord, Report
from disclosures.selectors import report_draft_document_get
from disclosures.services import DEMO_DIR
from performance.importer import EvaluationFileRefused, evaluations_read
from performance.models import Evaluation, Funding, Indicator

pytestmark = pytest.mark.django_db
D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def demo_report(demo_draft):
    """The seed as a draft: what an upload writes to."""
    return demo_draft


def staff_workbook(client, report) -> bytes:
    response = client.get(reverse("admin:disclosures_report_workbook", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def upload(client, report, content: bytes, name: str = "自评.xlsx", **extra):
    url = reverse("admin:disclosures_report_evaluations", args=[report.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **extra}, follow=True)


def column(ws, label: str) -> int:
    """The column under `label` in the header row that has it."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return cell.column
    raise AssertionError(f"no header {label}")


def row_of(ws, first: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no row {first}")


def snapshot(report) -> list:
    return [
        (
            e.kind,
            e.name,
            e.budget,
            e.executed,
            e.score,
            e.overview,
            e.improvements,
            [(f.source, f.budget, f.executed, f.initial_declared) for f in e.funding.all()],
            [
                (i.name, i.initial_target, i.target, i.actual, i.weight, i.score)
                for i in e.indicators.all()
            ],
        )
        for e in Evaluation.objects.filter(report=report).order_by("kind", "order")
    ]


def test_public_workbook_has_a_sheet_per_evaluation_as_the_report_prints_it(demo_report):
    from disclosures.renderers.excel import report_xlsx

    document = report_draft_document_get(pk=demo_report.pk)
    wb = load_workbook(io.BytesIO(report_xlsx(document)))
    evaluations = list(Evaluation.objects.filter(report=demo_report).order_by("kind", "order"))
    titles = [t for t in wb.sheetnames if "绩效自评" in t]
    assert titles == ["项目绩效自评1", "项目绩效自评2", "项目绩效自评3", "整体绩效自评1"]
    assert wb.sheetnames[: len(document.tables)] == [t.caption for t in document.tables]
    ws = wb["项目绩效自评1"]
    first = next(e for e in evaluations if e.kind == "project" and e.order == 1)
    assert ws["A1"].value == "项目支出绩效自评表"
    assert ws.cell(row_of(ws, "项目名称"), 2).value == first.name
    assert ws.cell(row_of(ws, "主管部门"), 2).value == first.supervisor
    assert ws.cell(row_of(ws, "实施单位"), 2).value == first.project_unit
    assert D(str(ws.cell(row_of(ws, "自评得分"), 2).value)) == first.score
    # 预算执行情况: the 合计 row and each 资金来源 row, amounts in the report's unit.
    total = row_of(ws, "合计")
    assert D(str(ws.cell(total, column(ws, "全年预算数")).value)) == first.budget
    assert D(str(ws.cell(total, column(ws, "全年执行数")).value)) == first.executed
    rate = ws.cell(total, column(ws, "执行率"))
    assert rate.number_format == "0.00%"
    assert D(str(rate.value)) * 100 == first.executed * 100 / first.budget
    funding = list(first.funding.all())
    assert funding
    for n, f in enumerate(funding, start=1):
        assert ws.cell(total + n, 1).value == f.source
        assert D(str(ws.cell(total + n, column(ws, "全年预算数")).value)) == f.budget
    assert any(c.value == "金额单位：元" for row in ws.iter_rows() for c in row)
    # Both target columns, ≥ as printed, and each indicator's score.
    start = column(ws, "年初指标值")
    assert ws.cell(row_of(ws, "一级指标"), start + 1).value == "调整后指标值"
    targets = [
        ws.cell(r, start + 1).value for r in range(row_of(ws, "一级指标") + 1, ws.max_row + 1)
    ]
    printed = [i.target for i in first.indicators.all()]
    assert targets[: len(printed)] == printed
    all_targets = [
        c.value for name in titles for row in wb[name].iter_rows() for c in row if c.value
    ]
    assert any(str(v).startswith("≥") for v in all_targets)
    assert not any(str(v).startswith(">=") for v in all_targets)
    # The text parts under their headings, each text in a wrapped cell merged across the sheet.
    heading = row_of(ws, "项目概况")
    text = ws.cell(heading + 1, 1)
    assert text.value == first.overview and text.alignment.wrap_text
    assert any(str(m).startswith(f"A{heading + 1}:") for m in ws.merged_cells.ranges)
    assert ws.row_dimensions[heading + 1].height >= 15 * (len(first.overview) // 70)
    assert row_of(ws, "一、项目基本信息") < heading


def test_a_wan_yuan_report_prints_the_sheets_in_wan_yuan(demo_report):
    from disclosures.renderers.excel import report_xlsx

    Report.objects.filter(pk=demo_report.pk).update(unit="万元")
    document = report_draft_document_get(pk=demo_report.pk)
    ws = load_workbook(io.BytesIO(report_xlsx(document)))["项目绩效自评1"]
    first = Evaluation.objects.get(report=demo_report, kind="project", order=1)
    assert any(c.value == "金额单位：万元" for row in ws.iter_rows() for c in row)
    budget = ws.cell(row_of(ws, "合计"), column(ws, "全年预算数")).value
    assert D(str(budget)) == (first.budget / 10000).quantize(D("0.01"))


def test_a_table_download_has_no_evaluation_sheets(client, demo_report):
    url = reverse(
        "admin:disclosures_report_preview_table_file", args=[demo_report.pk, "03", "xlsx"]
    )
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("b", "b@x.cn", "pw-123456-x"))
    wb = load_workbook(io.BytesIO(client.get(url).getvalue()))
    assert wb.sheetnames == ["公开03表"]


def test_the_staff_workbook_reads_back_exactly_and_changes_nothing(boss, demo_report):
    before = snapshot(demo_report)
    content = staff_workbook(boss, demo_report)
    entries = evaluations_read(content, "x.xlsx")
    assert [e["name"] for e in entries] == [e[1] for e in before if e[0] == "project"] + [
        e[1] for e in before if e[0] == "department"
    ]
    response = upload(boss, demo_report, content)
    assert "绩效自评 4 项，修改 0 处" in response.content.decode()
    assert snapshot(demo_report) == before
    # The report's own Excel import ignores the evaluation sheets.
    preview = boss.post(
        reverse("admin:disclosures_report_import", args=[demo_report.pk]),
        {"file": SimpleUploadedFile("x.xlsx", content, content_type=XLSX)},
    )
    assert preview.status_code == 302


def test_an_edited_sheet_updates_the_evaluation_and_records_each_change(boss, demo_report):
    wb = load_workbook(io.BytesIO(staff_workbook(boss, demo_report)))
    ws = wb["项目绩效自评1"]
    first = Evaluation.objects.get(report=demo_report, kind="project", order=1)
    indicator = first.indicators.first()
    r = next(c.row for c in ws["C"] if c.value == indicator.name and c.row > row_of(ws, "一级指标"))
    ws.cell(r, column(ws, "得分")).value = float(indicator.score) - 1
    ws.cell(r, column(ws, "实际完成值")).value = "≥85%"
    ws.cell(row_of(ws, "项目概况") + 1, 1).value = "新的项目概况。"
    # A new 资金来源 row, inserted under the last one.
    last = row_of(ws, "合计") + first.funding.count()
    ws.insert_rows(last + 1)
    ws.cell(last + 1, 1).value = "其他资金"
    ws.cell(last + 1, column(ws, "全年预算数")).value = 1000
    ws.cell(last + 1, column(ws, "全年执行数")).value = 500
    out = io.BytesIO()
    wb.save(out)
    records = ChangeRecord.objects.filter(report=demo_report).count()
    response = upload(boss, demo_report, out.getvalue())
    page = response.content.decode()
    assert "绩效自评 4 项" in page and "修改 0 处" not in page
    first.refresh_from_db()
    indicator.refresh_from_db()
    assert first.overview == "新的项目概况。"
    assert indicator.actual == "≥85%"
    assert indicator.score == first.indicators.first().score
    extra = Funding.objects.get(evaluation=first, source="其他资金")
    assert (extra.budget, extra.executed) == (D("1000.00"), D("500.00"))
    assert ChangeRecord.objects.filter(report=demo_report).count() == records + 1
    record = ChangeRecord.objects.filter(report=demo_report).latest("at")
    assert record.action == "import" and record.summary.startswith("导入绩效自评")
    places = [place for place, _, _ in record.changes]
    assert f"绩效自评：{first.name} 项目概况" in places
    assert f"绩效自评：{first.name} {indicator.name} 实际完成值" in places
    assert f"绩效自评：{first.name} 其他资金 全年预算数" in places


@pytest.mark.parametrize(
    "break_it, message",
    [
        (lambda ws: setattr(ws.cell(row_of(ws, "合计"), 4), "value", "一百万"), "不是数字"),
        (lambda ws: setattr(ws.cell(row_of(ws, "自评得分"), 2), "value", 120), "0至100"),
        (lambda ws: setattr(ws.cell(row_of(ws, "合计"), 4), "value", None), "全年预算数未填写"),
    ],
    ids=["text in an amount", "score over 100", "budget blank"],
)
def test_a_bad_sheet_is_refused_with_its_place_and_nothing_changes(
    boss, demo_report, break_it, message
):
    before = snapshot(demo_report)
    records = ChangeRecord.objects.filter(report=demo_report).count()
    wb = load_workbook(io.BytesIO(staff_workbook(boss, demo_report)))
    ws = wb["项目绩效自评2"]
    ws.cell(row_of(ws, "项目概况") + 1, 1).value = "这一改动不应写入。"
    break_it(wb["项目绩效自评3"])
    out = io.BytesIO()
    wb.save(out)
    page = upload(boss, demo_report, out.getvalue()).content.decode()
    assert "没有导入，报告没有任何改动" in page and message in page
    name = Evaluation.objects.get(report=demo_report, kind="project", order=3).name
    assert name in page or "项目绩效自评3" in page
    assert snapshot(demo_report) == before
    assert ChangeRecord.objects.filter(report=demo_report).count() == records


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("x.xlsx", b"not a workbook", "无法读取这个文件"),
        ("x.json", b"{not json", "JSON 格式有误"),
        ("x.json", b'{"evaluations": []}', "JSON 中没有绩效自评"),
    ],
)
def test_an_unreadable_file_is_refused(boss, demo_report, name, content, message):
    before = snapshot(demo_report)
    page = upload(boss, demo_report, content, name).content.decode()
    assert message in page and snapshot(demo_report) == before


def test_a_workbook_without_evaluation_sheets_is_refused(boss, demo_report):
    response = boss.get(
        reverse("admin:disclosures_report_preview_table_file", args=[demo_report.pk, "03", "xlsx"])
    )
    with pytest.raises(EvaluationFileRefused, match="没有绩效自评表"):
        evaluations_read(response.getvalue(), "t.xlsx")


def test_two_evaluations_of_one_name_are_refused(boss, demo_report):
    entry = {"name": "两节送温暖", "budget": 1, "executed": 1, "score": 90}
    page = upload(boss, demo_report, json.dumps([entry, entry]).encode(), "e.json")
    assert "两项同名的绩效自评“两节送温暖”" in page.content.decode()


def test_json_import_keeps_others_unless_asked_to_replace(boss, demo_report):
    demo = json.loads((DEMO_DIR / "zezhou-2022.json").read_text(encoding="utf-8"))
    project = next(e for e in demo["evaluations"] if e["kind"] == "project")
    one = dict(project, name="新增项目", score=88)
    upload(boss, demo_report, json.dumps([one]).encode(), "e.json")
    names = list(
        Evaluation.objects.filter(report=demo_report, kind="project")
        .order_by("order")
        .values_list("name", flat=True)
    )
    assert names[0] == "新增项目" and len(names) == 4
    assert Evaluation.objects.filter(report=demo_report).count() == 5
    assert Indicator.objects.filter(evaluation__name="新增项目").count() == len(
        project["indicators"]
    )
    upload(boss, demo_report, json.dumps({"evaluations": [one]}).encode(), "e.json", replace="on")
    assert list(Evaluation.objects.filter(report=demo_report).values_list("name", flat=True)) == [
        "新增项目"
    ]


def test_the_evaluations_page_lists_them_and_a_published_report_refuses_an_upload(
    boss, demo_report
):
    url = reverse("admin:disclosures_report_evaluations", args=[demo_report.pk])
    page = boss.get(url).content.decode()
    for e in Evaluation.objects.filter(report=demo_report):
        assert e.name in page
    assert "下载本报告的工作簿" in page
    from tests.conftest import publish

    publish(demo_report)
    response = boss.post(url, {"file": SimpleUploadedFile("e.json", b"[]")})
    assert response.status_code == 403
