import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lvzhi.core.audit import origin
from lvzhi.org import interchange


class Command(BaseCommand):
    help = "导入组织机构文件（lvzhi.org/1，YAML 或 JSON）：部门、三定规定、编制、职责边界清单。有任何错误时不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"文件 {path} 不存在。")
        bar = tqdm(total=0, unit="个部门", desc="导入", disable=not sys.stderr.isatty())

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            with origin(f"命令 import-org {path.name}"):
                report = interchange.import_org_path(path, progress=progress)
        except interchange.OrgFileError as exc:
            bar.close()
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"导入失败，共 {len(exc.errors)} 处错误，未写入任何数据。")
        bar.close()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write("导入完成。" if report.changed else "导入完成，没有任何变更。")
