"""``lvzhi import-case-times``: actual case times of one process from XLSX or CSV."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.audit import origin
from lvzhi.core.scoping import CHANGE
from lvzhi.reform.models import Process
from lvzhi.reform.services import processes

from ..common import acting_user, write_report


class Command(BaseCommand):
    help = ("导入一个流程的办件实际用时（列：办件编号、受理日期、办结日期，备注可选）。"
            "任何一行有错误时不写入，并逐行列出错误；已有的办件编号将被更新。")

    def add_arguments(self, parser):
        parser.add_argument("process", type=int, help="流程 ID")
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="以该用户（编办人员）的身份导入")

    def handle(self, *args, **o):
        user = acting_user(o["user"])
        process = Process.objects.visible_to(user, CHANGE).filter(pk=o["process"]).first()
        if process is None:
            raise CommandError(f"没有您可修改的流程 {o['process']}")
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"文件 {path} 不存在。")
        try:
            with origin(f"命令 import-case-times {path.name}"), path.open("rb") as fileobj:
                report = processes.import_cases(user, process, fileobj, path.name)
        except PermissionDenied as exc:
            raise CommandError(str(exc))
        write_report(self, report)
