"""Every model is in the admin, in Chinese, with list filters and search that work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPS = ("accounts", "disclosures", "performance")
MODELS = [m for m in apps.get_models() if m._meta.app_label in APPS]


@pytest.fixture
def staff_client(client, django_user_model, demo_report):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-123456-x")
    client.force_login(user)
    return client


def test_every_model_is_registered_with_filters_and_search():
    for model in MODELS:
        assert model in admin.site._registry, model
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_search_filter_and_change_pages(staff_client, model):
    info = (model._meta.app_label, model._meta.model_name)
    url = reverse("admin:{}_{}_changelist".format(*info))
    response = staff_client.get(url, {"q": "泽州"})
    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural) in response.content.decode()
    add = staff_client.get(reverse("admin:{}_{}_add".format(*info)))
    # Records nobody creates by hand (imports, stored files) refuse the add page.
    can_add = admin.site._registry[model].has_add_permission(response.wsgi_request)
    assert add.status_code == (200 if can_add else 403)
    obj = model.objects.first()
    if obj is not None:
        change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        assert staff_client.get(change).status_code == 200


def test_admin_index_is_chinese(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "部门决算公开 管理后台" in page
    assert "部门决算报告" in page and "功能分类数据" in page and "绩效自评" in page


def test_staff_can_correct_a_figure(staff_client, demo_report):
    from django.contrib.auth import get_user_model

    from disclosures.models import Fact
    from disclosures.workflow import report_correct

    # A published figure is corrected in a new revision (更正), a draft the admin may edit.
    boss = get_user_model().objects.get(username="boss")
    demo_report = report_correct(report=demo_report, user=boss, reason="更正收入")
    fact = Fact.objects.filter(report=demo_report, measure="income").first()
    url = reverse("admin:disclosures_fact_change", args=[fact.pk])
    form = {
        "report": demo_report.pk,
        "measure": fact.measure,
        "code": fact.code,
        "source": fact.source,
        "nature": "",
    }
    response = staff_client.post(url, {**form, "amount": "-1"})
    # A negative income is refused with a message, not a 500, and nothing is lost.
    assert response.status_code == 200
    assert "收入和支出金额不能为负数。" in response.content.decode()
    fact.refresh_from_db()
    assert fact.amount > 0
    response = staff_client.post(url, {**form, "amount": "123.45"})
    assert response.status_code == 302
    fact.refresh_from_db()
    assert str(fact.amount) == "123.45"
