import pytest
from django.db import IntegrityError, transaction

from accounts.models import Membership, User

pytestmark = pytest.mark.django_db


def test_staff_user_has_role_and_departments(demo_report):
    department = demo_report.department
    user = User.objects.create_user("filler", password="pw-123456-x", role=User.Role.FILLER)
    Membership.objects.create(user=user, department=department)
    assert list(user.departments.all()) == [department]
    assert list(department.members.all()) == [user]
    assert user.get_role_display() == "填报人"
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, department=department)


def test_roles_are_the_three_of_the_workflow():
    assert dict(User.Role.choices) == {
        "filler": "填报人",
        "reviewer": "审核人",
        "admin": "系统管理员",
    }
