from django.core.management import call_command
from django.core.management.base import BaseCommand

from lvzhi.core.audit import origin
from lvzhi.core.libraries import library_path
from lvzhi.org import interchange
from lvzhi.org.models import Department

DEMO_PASSWORD = "Demo-2026-lvzhi"
DEMO_ACCOUNTS = [
    # username, role, department, body, name
    ("admin", "office_admin", None, None, "编办系统管理员"),
    ("staff", "office_staff", None, None, "编办监管科"),
    ("leader", "leader", None, None, "市领导"),
    ("scjgj", "department", "SCJGJ", None, "市场监管局联络员"),
    ("rsj", "department", "RSJ", None, "人社局联络员"),
    ("jiwei", "oversight", None, "discipline", "市纪委监委联络员"),
    ("hotline", "hotline", None, None, "12345热线中心"),
]


class Command(BaseCommand):
    help = "加载演示城市“示范市”（参考库、部门与三定、职责边界清单）并创建每个角色的演示账号。仅供演示。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有部门时什么也不做")

    def handle(self, *args, **o):
        if o["if_empty"] and Department.objects.exists():
            self.stdout.write("数据库中已有部门，跳过演示数据。")
            return
        call_command("load-library", stdout=self.stdout)
        with origin("命令 demo"):
            report = interchange.import_org_path(library_path("demo_city.yaml"))
        for line in report.lines():
            self.stdout.write(line)
        for username, role, dept, body, name in DEMO_ACCOUNTS:
            args = [username, "--role", role, "--password", DEMO_PASSWORD, "--name", name]
            if dept:
                args += ["--department", dept]
            if body:
                args += ["--body", body]
            call_command("adduser", *args, stdout=self.stdout)
        for hook in DEMO_HOOKS:
            hook(self.stdout)
        self.stdout.write("")
        self.stdout.write("演示账号（仅供演示，切勿用于生产）：密码均为 " + DEMO_PASSWORD)
        for username, role, dept, body, name in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<8} {name}")


# Later modules append functions that add their demo records (problems, campaigns, tickets…).
DEMO_HOOKS = []
