import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.models import Membership
from disclosures.services import demo_load

DEMO_USERNAME = "admin"
DEMO_PASSWORD_DEFAULT = "Zezhou-2022"  # 11 characters of all four kinds (等保 rules)
DEMO_STAFF = (("tianbao", "filler"), ("shenhe", "reviewer"))


class Command(BaseCommand):
    help = "载入演示数据：泽州县总工会2022年度部门决算（可重复运行，结果不变）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-staff",
            action="store_true",
            help="同时创建演示管理员账号（密码取自 DEMO_PASSWORD 环境变量）并打印登录信息。",
        )

    def handle(self, *args, with_staff: bool = False, **options):
        report = demo_load()
        self.stdout.write(f"已载入演示报告：{report}（单位编码 {report.department.code}）")
        if with_staff:
            password = os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)
            User = get_user_model()
            user, _ = User.objects.get_or_create(username=DEMO_USERNAME)
            user.is_staff = user.is_superuser = True
            user.role = User.Role.ADMIN
            user.set_password(password)
            user.save()
            Membership.objects.get_or_create(user=user, department=report.department)
            self.stdout.write(
                self.style.SUCCESS(
                    "管理后台 http://127.0.0.1:8000/admin/  "
                    f"用户名 {DEMO_USERNAME}  密码 {password}"
                )
            )
            # A 填报人 and a 审核人 of the seed department, to try the review with.
            for username, role in DEMO_STAFF:
                member, _ = User.objects.get_or_create(username=username)
                member.is_staff, member.role = True, role
                member.set_password(password)
                member.save()
                Membership.objects.get_or_create(user=member, department=report.department)
            self.stdout.write(
                "同一密码的演示账号："
                + "，".join(f"{u}（{User.Role(r).label}）" for u, r in DEMO_STAFF)
            )
