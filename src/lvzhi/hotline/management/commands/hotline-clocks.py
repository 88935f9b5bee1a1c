from django.core.management.base import BaseCommand

from lvzhi.core.audit import origin

from ...clock import reset
from ...services.clocks import recompute_clocks


class Command(BaseCommand):
    help = "工作日历调整后（例如加载了新的节假日安排），重新计算全部工单的工作日序号。办理时限的修改无需运行本命令。"

    def handle(self, *args, **o):
        reset()
        with origin("命令 hotline-clocks"):
            changed = recompute_clocks()
        self.stdout.write(f"已重新计算，{changed} 件工单的工作日序号有变化。")
