from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A staff user of the portal. The public reads without an account."""

    class Role(models.TextChoices):
        FILLER = "filler", "填报人"
        REVIEWER = "reviewer", "审核人"
        ADMIN = "admin", "系统管理员"

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.FILLER)
    departments = models.ManyToManyField(
        "disclosures.Department",
        through="Membership",
        related_name="members",
        verbose_name="所属部门",
        blank=True,
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"


class Membership(models.Model):
    """Which departments a staff user works for (fills in or reviews)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, verbose_name="用户")
    department = models.ForeignKey(
        "disclosures.Department", on_delete=models.CASCADE, verbose_name="部门"
    )

    class Meta:
        verbose_name = "部门成员"
        verbose_name_plural = "部门成员"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"],
                name="membership_unique",
                violation_error_message="该用户已是这个部门的成员。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.department}"
