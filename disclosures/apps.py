from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _forget_stamps(**kwargs) -> None:
    from .published import forget_stamps

    forget_stamps()


class DisclosuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosures"
    verbose_name = "部门决算公开"

    def ready(self) -> None:
        # A department or region edited (in the admin): its published pages' stamp changes. This
        # process forgets the stamps it keeps at once; others within published.STAMP_SECONDS.
        from .models import ClassificationCode, Department, Region

        for model in (Department, Region, ClassificationCode):
            post_save.connect(_forget_stamps, sender=model, dispatch_uid=f"stamps-{model.__name__}")
            post_delete.connect(
                _forget_stamps, sender=model, dispatch_uid=f"stamps-del-{model.__name__}"
            )
