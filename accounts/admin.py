from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from disclosures.admin import SystemAdminOnly, yes_no

from .models import Membership, User

# A staff user's rights are their role and departments; groups of permission boxes would be a
# second, contradicting source, so they are not offered.
admin.site.unregister(Group)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(SystemAdminOnly, BaseUserAdmin):
    """Users are managed by a 系统管理员 only. What a user may do is their role and departments:
    the per-user permission boxes are not shown, because nothing reads them."""

    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        yes_no("is_staff", "可登录后台"),
        yes_no("is_active", "有效"),
    ]
    list_filter = ["role", "is_staff", "is_superuser", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["last_name", "first_name", "email"]}),
        ("门户角色", {"fields": ["role", "is_active", "is_staff", "is_superuser"]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "role", "password1", "password2"],
            },
        ),
    ]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SystemAdminOnly):
    list_display = ["user", "department"]
    list_filter = ["department__region"]
    search_fields = ["user__username", "department__name", "department__code"]
    autocomplete_fields = ["user", "department"]


# ---------------------------------------------------------------------------------------------
# The login record (django-axes): read by a 系统管理员 only. Logins and failures stay as they are;
# an account's lock (its failed attempts) may be lifted early by deleting them.


class ReadOnlyRecord(SystemAdminOnly):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model in (AccessLog, AccessFailureLog, AccessAttempt):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyRecord, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyRecord, axes_admin.AccessFailureLogAdmin):
    pass


@admin.register(AccessAttempt)
class AccessAttemptAdmin(SystemAdminOnly, axes_admin.AccessAttemptAdmin):
    """Failed attempts since the last success: deleting them unlocks the account."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
