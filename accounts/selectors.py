"""Who may do what: every staff permission comes from the user's role and departments.

One place answers "may this user do X to this report?"; the admin's object rules, the entry
forms, the import and the checks page all ask it. Django's per-user permission boxes are not
consulted: a role is the whole of what a staff user may do.

- 填报人 (filler) sees every report of the departments they belong to, in every state, and edits
  their drafts (a submitted or published one is read-only to them: they follow its review, start
  next year from it and open its correction).
- 审核人 (reviewer) reads every report, in every state, of the departments they supervise:
  those they belong to and those whose 主管部门 is one of them. They edit nothing.
- 系统管理员 (admin, or a superuser) manages users, regions, departments, code lists and the
  raw data, reads every report and may correct a draft.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from disclosures.models import Department, Report

from .models import User


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"


class Transition(StrEnum):
    """The steps of a report's review (`disclosures.workflow`)."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"
    CORRECT = "correct"


def is_staff_user(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_system_admin(user: User | AnonymousUser) -> bool:
    """系统管理员: the role, or a superuser (who has every role's rights)."""
    return is_staff_user(user) and (user.is_superuser or user.role == User.Role.ADMIN)


def departments_for(user: User | AnonymousUser) -> QuerySet[Department]:
    """The departments whose reports the user works on: a filler's own, a reviewer's own and
    those they supervise, every department for a system admin."""
    if not is_staff_user(user):
        return Department.objects.none()
    if is_system_admin(user):
        return Department.objects.all()
    own = Q(members=user)
    if user.role == User.Role.REVIEWER:
        own |= Q(supervisor__members=user)
    return Department.objects.filter(own).distinct()


def reports_for(user: User | AnonymousUser) -> QuerySet[Report]:
    """The reports the user may open in the staff side."""
    if not is_staff_user(user):
        return Report.objects.none()
    if is_system_admin(user):
        return Report.objects.all()
    return Report.objects.filter(department__in=departments_for(user))


def reports_editable_by(user: User | AnonymousUser) -> QuerySet[Report]:
    """The reports `user` may change: drafts, of their departments for a filler, any for a
    system admin; none for a reviewer. The same answer as `report_may(..., EDIT)`, as one query."""
    drafts = Report.objects.filter(status=Report.Status.DRAFT)
    if is_system_admin(user):
        return drafts
    if is_staff_user(user) and user.role == User.Role.FILLER:
        return drafts.filter(department__in=departments_for(user))
    return Report.objects.none()


def report_may(user: User | AnonymousUser, report: Report, action: Action) -> bool:
    """May `user` view (or edit) `report`? Every staff user of the department views it, in every
    state; editing is for drafts only, by a filler of the department or a system admin; a
    reviewer reads and never edits."""
    if not is_staff_user(user):
        return False
    if action == Action.EDIT:
        return (
            report.status == Report.Status.DRAFT
            and reports_editable_by(user).filter(pk=report.pk).exists()
        )
    return reports_for(user).filter(pk=report.pk).exists()


def may_create_reports(user: User | AnonymousUser) -> bool:
    """A filler (for their departments) and a system admin start new drafts."""
    return is_system_admin(user) or (
        is_staff_user(user) and user.role == User.Role.FILLER and departments_for(user).exists()
    )


def may_start_next_year(user: User | AnonymousUser, report: Report) -> bool:
    """以上年为基础新建 is for whoever starts reports for the report's department: its fillers
    and a system admin, whatever the state of the year it starts from."""
    return may_create_reports(user) and (
        departments_for(user).filter(pk=report.department_id).exists()
    )


def _member(user: User, report: Report, role: str) -> bool:
    """A staff user of `role` who belongs to the report's department (a reviewer: or to its
    主管部门). Membership itself, not a system admin's reach over every department."""
    if not is_staff_user(user) or user.role != role:
        return False
    own = [report.department_id]
    if role == User.Role.REVIEWER and report.department.supervisor_id:
        own.append(report.department.supervisor_id)
    return user.departments.filter(pk__in=own).exists()


def transition_may(user: User | AnonymousUser, report: Report, transition: Transition) -> bool:
    """Whose step each is, whatever the report's state (the workflow checks the state):

    - 提交: a 填报人 of the department;
    - 审核通过 and 退回: a 审核人 of the department (or of its 主管部门);
    - 公开: such a 审核人, or a 系统管理员;
    - 更正 (a new draft revision of a published one): a 填报人 of the department, or a
      系统管理员.
    """
    if transition == Transition.SUBMIT:
        return _member(user, report, User.Role.FILLER)
    if transition in (Transition.APPROVE, Transition.RETURN):
        return _member(user, report, User.Role.REVIEWER)
    if transition == Transition.PUBLISH:
        return is_system_admin(user) or _member(user, report, User.Role.REVIEWER)
    if transition == Transition.CORRECT:
        return is_system_admin(user) or _member(user, report, User.Role.FILLER)
    return False


def department_staff(report: Report, role: str) -> QuerySet[User]:
    """The active staff of `role` who work on the report's department: its own members and,
    for reviewers, those of its 主管部门."""
    department = report.department
    where = Q(departments=department)
    if role == User.Role.REVIEWER and department.supervisor_id:
        where |= Q(departments=department.supervisor_id)
    return User.objects.filter(where, role=role, is_active=True, is_staff=True).distinct()


def transition_recipients(report: Report, transition: Transition) -> list[str]:
    """Who is told of a step by e-mail: the reviewers of a submitted report, the fillers of a
    returned one (those with an address)."""
    role = User.Role.REVIEWER if transition == Transition.SUBMIT else User.Role.FILLER
    return sorted({u.email for u in department_staff(report, role) if u.email})
