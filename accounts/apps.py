from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # this module also holds LoginRecordConfig
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "用户与权限"


class LoginRecordConfig(AxesAppConfig):
    """django-axes (login lockout and the login record) under a Chinese name."""

    verbose_name = "登录安全"
