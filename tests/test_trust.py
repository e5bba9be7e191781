"""What an attacker, a careless paste and a failing disk still get through (issue: trust under
fire). Each test reproduces one attack or fault as it was found and shows it held."""

import pytest
from django.urls import reverse

from disclosures.models import ChangeRecord, Duty, OrgUnit, Report, ReportSection
from performance.models import Evaluation, Indicator
from tests.factories import nine_table_report, staff_user
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# A foreign row's id posted in a formset


@pytest.fixture
def foreign(demo_draft):
    """Another department's draft, with a duty, a text section and a self-evaluation row of its
    own, each holding a sentence its department has not published."""
    other = nine_table_report(publish=False)
    secret = "他人草稿中尚未公开的句子"
    evaluation = Evaluation.objects.create(
        report=other, kind="project", name="他人项目", budget=1, executed=1, score=90
    )
    return {
        "duty": Duty.objects.create(report=other, number=9, text=secret),
        "unit": OrgUnit.objects.create(report=other, kind="internal", name=secret),
        "section": ReportSection.objects.create(
            report=other, part=ReportSection.Part.EXPLANATION, order=9, heading=secret, body=secret
        ),
        "indicator": Indicator.objects.create(
            evaluation=evaluation,
            order=1,
            level1="产出指标",
            level2="数量指标",
            name=secret,
            target="＝1次",
            actual="1次",
            weight=10,
            score=10,
        ),
        "secret": secret,
        "report": other,
    }


@pytest.fixture
def filler(client, demo_draft):
    client.force_login(staff_user("tianbao_t", "filler", demo_draft.department))
    return client


def recorded_text(report: Report) -> str:
    return repr(list(ChangeRecord.objects.filter(report=report).values_list("changes", "summary")))


@pytest.mark.parametrize(
    ("page", "prefix", "row", "field"),
    [
        ("profile", "duties", "duty", "text"),
        ("profile", "units", "unit", "name"),
        ("texts", "explanation", "section", "body"),
    ],
)
def test_a_foreign_rows_id_in_a_form_saves_nothing_and_records_nothing_of_it(
    filler, demo_draft, foreign, page, prefix, row, field
):
    url = reverse(f"admin:disclosures_report_{page}", args=[demo_draft.pk])
    data = page_form(filler.get(url).content.decode(), f"{prefix}-TOTAL_FORMS")
    assert data[f"{prefix}-0-id"][0], "the form's first row is one of the report's own"
    data[f"{prefix}-0-id"] = [str(foreign[row].pk)]
    before = ChangeRecord.objects.filter(report=demo_draft).count()
    response = filler.post(url, data)
    assert response.status_code in (200, 302)
    # Nothing of theirs changed, nothing of theirs read into this report's record, and no
    # change recorded that never happened.
    foreign[row].refresh_from_db()
    assert foreign["secret"] in str(foreign[row].__dict__)
    assert foreign["secret"] not in recorded_text(demo_draft)
    assert ChangeRecord.objects.filter(report=demo_draft).count() == before
    assert foreign["secret"] not in response.content.decode()


def test_a_foreign_indicators_id_in_the_evaluation_form_records_nothing_of_it(
    filler, demo_draft, foreign
):
    evaluation = Evaluation.objects.filter(report=demo_draft, kind="project").first()
    url = reverse("admin:performance_evaluation_change", args=[evaluation.pk])
    data = page_form(filler.get(url).content.decode(), "indicators-TOTAL_FORMS")
    data["indicators-0-id"] = [str(foreign["indicator"].pk)]
    before = ChangeRecord.objects.filter(report=demo_draft).count()
    response = filler.post(url, {**data, "_continue": "保存并继续编辑"})
    assert response.status_code in (200, 302)
    foreign["indicator"].refresh_from_db()
    assert foreign["indicator"].name == foreign["secret"]
    assert foreign["indicator"].evaluation.report == foreign["report"]
    assert foreign["secret"] not in recorded_text(demo_draft)
    assert ChangeRecord.objects.filter(report=demo_draft).count() == before


# ---------------------------------------------------------------------------------------------
# ?per_page= on the lists


@pytest.mark.parametrize(
    ("address", "staff"),
    [
        ("/search/?q=泽州", False),
        ("region", False),
        ("/evaluations/", False),
        ("/admin/disclosures/report/dashboard/", True),
    ],
)
def test_a_list_shows_at_most_a_hundred_rows_whatever_per_page_asks(
    client, demo_report, address, staff
):
    from disclosures.lists import MAX_PER_PAGE

    if address == "region":
        address = f"/regions/{demo_report.department.region_id}/"
    if staff:
        client.force_login(staff_user("shenhe_t", "admin"))
    join = "&" if "?" in address else "?"
    default = client.get(address).context["table"].paginator.per_page
    # A negative size was django-tables2's own 500; a word is ignored.
    for asked, shown in [("100000", MAX_PER_PAGE), ("7", 7), ("-3", 1), ("x", default)]:
        response = client.get(f"{address}{join}per_page={asked}&page=1")
        assert response.status_code == 200, (address, asked)
        assert response.context["table"].paginator.per_page == shown
    # A page past the end of the capped list is its last page, not an error.
    response = client.get(f"{address}{join}per_page=100000&page=9999")
    assert response.status_code == 200
