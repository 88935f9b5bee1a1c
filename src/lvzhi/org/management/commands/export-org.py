from pathlib import Path

from django.core.management.base import BaseCommand

from lvzhi.org import interchange


class Command(BaseCommand):
    help = "导出组织机构文件（lvzhi.org/1）。文件名以 .json 结尾时输出 JSON，否则输出 YAML；文件名为 - 时输出到屏幕。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **o):
        name = o["file"]
        content = interchange.export_org(name if name != "-" else "out.yaml")
        if name == "-":
            self.stdout.write(content, ending="")
        else:
            Path(name).write_text(content, encoding="utf-8")
            self.stdout.write(f"已导出到 {name}")
