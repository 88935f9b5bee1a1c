from django.core.management.base import BaseCommand

from lvzhi.core.audit import origin

from ... import services
from ...tasks import refresh


class Command(BaseCommand):
    help = "把尚未归并的退单工单归入争议事项（按文本相似度和职责查找对应的职责颗粒点）。"

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="交给后台任务进程执行（归并争议事项并重新训练派单建议模型），适合每晚定时运行")

    def handle(self, *args, **o):
        if o["enqueue"]:
            result = refresh.enqueue()
            self.stdout.write(f"已提交后台任务 {result.id}")
            return
        with origin("命令 hotline-disputes"):
            found = services.group_disputes(None)
        self.stdout.write(f"新归入工单 {found['assigned']} 件，新增事项 {found['created']} 个，现有事项 {found['subjects']} 个。")
