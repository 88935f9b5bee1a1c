import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.core.audit import origin
from lvzhi.core.roles import OversightBody, Role
from lvzhi.org.models import Department


class Command(BaseCommand):
    help = "新建用户或为已有用户增加角色。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--department", help="部门编码（部门联络员必填）")
        parser.add_argument("--body", choices=[b.value for b in OversightBody], help="监督机关（监督联络员必填）")
        parser.add_argument("--password", help="密码；不指定时交互输入")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--email", default="")

    def handle(self, *args, **o):
        department = None
        if o["role"] == Role.DEPARTMENT:
            if not o["department"]:
                raise CommandError("部门联络员必须用 --department 指定部门编码。")
            department = Department.objects.filter(code=o["department"]).first()
            if department is None:
                raise CommandError(f"部门编码“{o['department']}”不存在。")
        if o["role"] == Role.OVERSIGHT and not o["body"]:
            raise CommandError("监督联络员必须用 --body 指定监督机关（discipline、tour 或 audit）。")
        with origin("命令 adduser"), transaction.atomic():
            user, created = User.objects.get_or_create(username=o["username"])
            password = o["password"]
            if created and not password:
                password = getpass.getpass("密码：")
            if password:
                from django.contrib.auth.password_validation import validate_password

                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError("密码不符合要求：" + "；".join(exc.messages))
                user.set_password(password)
            if o["name"]:
                user.display_name = o["name"]
            if o["email"]:
                user.email = o["email"]
            user.save()
            RoleAssignment.objects.get_or_create(
                user=user, role=o["role"], department=department, body=o["body"] or ""
            )
        self.stdout.write(f"{'已创建' if created else '已更新'}用户 {user.username}：{user.role_labels}")
