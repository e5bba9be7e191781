"""操作指南: one page for every staff role, linked from every staff page."""

import re

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from tests.disclosures.test_staff import visible_words

pytestmark = pytest.mark.django_db
GUIDE = "/admin/guide/"
SECTIONS = [
    "一年的工作步骤",
    "报告的状态",
    "在网页上填报各表",
    "工作簿的版式",
    "导入 Excel 的步骤",
    "审核：错误和警告",
    "科目编码表",
]
TERMS = [
    *("草稿", "已提交", "已审核", "已公开", "退回", "更正", "退回原因", "更正原因"),
    *("公开01表", "（补充）", "栏次", "行次", "万元", "上传并预览", "确认导入"),
    *("从表格导入一年的科目表", "科目编码", "错误", "警告", "说明"),
]


def staff(username: str, role: str, department=None, **extra) -> User:
    user = User.objects.create_user(
        username, password="Pw-2022-test!", role=role, is_staff=True, **extra
    )
    if department is not None:
        Membership.objects.create(user=user, department=department)
    return user


@pytest.fixture
def people(demo_draft):
    own = demo_draft.department
    return {
        "filler": staff("tianbao", "filler", own),
        "reviewer": staff("shenhe", "reviewer", own),
        "admin": staff("guanli", "admin"),
        "superuser": staff("root", "filler", is_superuser=True),
    }


def test_the_guide_is_an_admin_page_at_admin_guide():
    assert reverse("staff_guide") == GUIDE


@pytest.mark.parametrize("who", ["filler", "reviewer", "admin", "superuser"])
def test_the_guide_answers_every_role_with_its_sections(client, people, who):
    client.force_login(people[who])
    response = client.get(GUIDE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>操作指南</h1>" in page
    for words in [*SECTIONS, *TERMS]:
        assert words in page, words
    for key, role in (("filler", "填报人"), ("reviewer", "审核人"), ("admin", "系统管理员")):
        assert f'<h3 id="role-{key}-title">{role}' in page
    # The reader's own role is marked and linked from the top; the others are not marked.
    mine = "admin" if who == "superuser" else who
    assert f'id="role-{mine}" class="guide-role is-mine"' in page
    assert page.count("is-mine") == 1
    assert f'请先看<a href="#role-{mine}">' in page
    assert page.count("请先看") == 1
    assert visible_words(page) - {people[who].username} == set()
    assert "style=" not in page and "<style" not in page and "<script>" not in page


def test_the_guide_needs_a_staff_login(client, people):
    response = client.get(GUIDE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    outsider = User.objects.create_user("gongzhong", password="Pw-2022-test!", is_staff=False)
    client.force_login(outsider)
    response = client.get(GUIDE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def user_tools(page: str) -> str:
    match = re.search(r'<div id="user-tools">(.*?)</div>', page, flags=re.S)
    assert match, "no user links"
    return match.group(1)


def test_every_staff_page_links_to_the_guide(client, people, demo_draft):
    pk = demo_draft.pk
    pages = {
        "filler": [
            reverse("admin:index"),
            reverse("admin:disclosures_report_dashboard"),
            reverse("admin:disclosures_report_changelist"),
            reverse("admin:disclosures_report_change", args=[pk]),
            reverse("admin:disclosures_report_entry_index", args=[pk]),
            reverse("admin:disclosures_report_entry", args=[pk, "05"]),
            reverse("admin:disclosures_report_import", args=[pk]),
            reverse("admin:disclosures_report_checks", args=[pk]),
            reverse("admin:disclosures_report_workflow", args=[pk]),
            reverse("admin:disclosures_report_records", args=[pk]),
            reverse("admin:password_change"),
            GUIDE,
        ],
        "reviewer": [
            reverse("admin:index"),
            reverse("admin:disclosures_report_workflow", args=[pk]),
        ],
        "admin": [
            reverse("admin:disclosures_classificationcode_changelist"),
            reverse("admin:disclosures_classificationcode_import"),
            reverse("admin:accounts_user_changelist"),
        ],
    }
    for who, urls in pages.items():
        client.force_login(people[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            page = response.content.decode()
            links = user_tools(page)
            assert f'<a href="{GUIDE}" class="guide-link">操作指南</a>' in links, (who, url)
            # The admin's own links are still there, and its branding.
            assert "修改密码" in links and "注销" in links, (who, url)
            assert "部门决算公开 管理后台" in page, (who, url)


def test_the_login_page_keeps_the_branding(client):
    page = client.get("/admin/login/").content.decode()
    assert "部门决算公开 管理后台" in page


def test_the_preview_of_a_draft_links_back_and_to_the_guide(client, people, demo_draft):
    # The preview is the public page's layout, under /admin/: its banner carries the links.
    client.force_login(people["filler"])
    page = client.get(reverse("admin:disclosures_report_preview", args=[demo_draft.pk]))
    banner = re.search(r'<p class="preview-banner".*?</p>', page.content.decode(), flags=re.S)
    assert f'<a href="{GUIDE}">操作指南</a>' in banner.group(0)
    assert reverse("admin:disclosures_report_change", args=[demo_draft.pk]) in banner.group(0)
