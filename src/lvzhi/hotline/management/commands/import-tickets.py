import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lvzhi.core.audit import origin

from ... import services


class Command(BaseCommand):
    help = ("导入12345工单文件（及退单记录文件），格式见数据交换格式第3节，XLSX 或 CSV（UTF-8/GBK）。"
            "有错误行时不写入任何数据并逐行列出错误，除非指定 --accept-good-rows。重复导入不会重复写入。")

    def add_arguments(self, parser):
        parser.add_argument("tickets", nargs="?", help="工单文件")
        parser.add_argument("--returns", help="退单记录文件")
        parser.add_argument("--accept-good-rows", action="store_true", help="跳过错误行，导入其余正确的行")
        parser.add_argument("--skip-follow-up", action="store_true",
                            help="导入后不归并争议事项、不重新训练派单建议模型")

    def handle(self, *args, **o):
        paths = [p for p in (o["tickets"], o["returns"]) if p]
        if not paths:
            raise CommandError("请指定工单文件，或用 --returns 指定退单记录文件。")
        for path in paths:
            if not Path(path).is_file():
                raise CommandError(f"文件 {path} 不存在。")
        bar = tqdm(total=100, unit="%", desc="导入", disable=not sys.stderr.isatty())

        def progress(stage, rows, fraction):
            bar.set_description(f"{stage} {rows} 行")
            bar.n = int((fraction or 0) * 100)
            bar.refresh()

        with origin(f"命令 import-tickets {' '.join(Path(p).name for p in paths)}"):
            run, outcome = services.import_paths(None, o["tickets"], o["returns"],
                                                 accept_good_rows=o["accept_good_rows"], progress=progress)
        bar.close()
        for line in outcome.lines():
            self.stdout.write(line)
        if not outcome.committed:
            raise CommandError(f"未写入任何数据（导入记录 #{run.pk}）。")
        self.stdout.write(f"导入完成，用时 {outcome.seconds:.1f} 秒（导入记录 #{run.pk}）。")
        if o["skip_follow_up"]:
            return
        with origin("命令 import-tickets 后续处理"):
            if run.returns_created or run.returns_updated:
                found = services.group_disputes(None)
                self.stdout.write(f"争议事项：新归入工单 {found['assigned']} 件，新增事项 {found['created']} 个。")
            if run.tickets_created:
                model = services.train_routing(None)
                if model is not None:
                    self.stdout.write(f"派单建议模型已更新（样本 {model.samples} 件）。")
