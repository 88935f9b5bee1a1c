from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.audit import origin
from lvzhi.duties.services import powerio


class Command(BaseCommand):
    help = (
        "导入权责清单文件（XLSX 或 CSV，UTF-8/GBK，列见交换格式 §2）到各部门的草稿版本。"
        "任何一行有错误时不写入，并逐行列出错误；重复导入同一文件不产生变化。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--label", default="", help="新建草稿版本的名称，如“2026年版”（默认自动命名）")
        parser.add_argument("--publish", action="store_true", help="导入后立即发布草稿（应用已同意的动态调整）")

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"文件 {path} 不存在。")
        try:
            with origin(f"命令 import-powers {path.name}"), path.open("rb") as fileobj:
                report = powerio.import_powers(fileobj, path.name, None, label=o["label"], publish=o["publish"])
        except ValidationError as exc:
            raise CommandError("发布失败，未写入任何数据：" + "；".join(exc.messages))
        lines = report.lines()
        if not report.committed:
            for line in lines[1:]:
                self.stderr.write(line)
            raise CommandError(lines[0])
        for line in lines:
            self.stdout.write(line)
