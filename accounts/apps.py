from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # this module also holds LoginRecordConfig
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .expiry import drop_others_input

        # Input kept from an expired session is for its own user's next login only.
        user_logged_in.connect(drop_others_input, dispatch_uid="accounts-drop-others-input")


class LoginRecordConfig(AxesAppConfig):
    """django-axes (login lockout and the login record) under a Chinese name."""

    verbose_name = "登录安全"
