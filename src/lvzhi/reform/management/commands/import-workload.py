"""``lvzhi import-workload``: workload figures (部门编码、期间、指标、数值) from XLSX or CSV."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.audit import origin
from lvzhi.reform.services import staffing

from ..common import acting_user, write_report


class Command(BaseCommand):
    help = ("导入各部门的工作量数据（列：部门编码、期间、指标、数值，备注可选）。"
            "任何一行有错误时不写入，并逐行列出错误；同一部门、期间和指标已有数据的将被更新。")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="以该用户（编办人员）的身份导入")

    def handle(self, *args, **o):
        user = acting_user(o["user"])
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"文件 {path} 不存在。")
        try:
            with origin(f"命令 import-workload {path.name}"), path.open("rb") as fileobj:
                report = staffing.import_figures(user, fileobj, path.name)
        except PermissionDenied as exc:
            raise CommandError(str(exc))
        write_report(self, report)
