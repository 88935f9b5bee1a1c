import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lvzhi.problems.models import Reminder
from lvzhi.problems.tasks import check_deadlines


class Command(BaseCommand):
    help = "检查整改期限：期限前 3 个工作日、到期当日提醒责任部门，逾期 5 个工作日向编办和领导督办。每条提醒只发一次。每天运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期检查（YYYY-MM-DD），默认今天")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行，而不是立即执行")

    def handle(self, *args, **options):
        today = options["today"]
        if today:
            try:
                dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"无法识别的日期：{today}（应为 YYYY-MM-DD）")
        if options["enqueue"]:
            result = check_deadlines.enqueue(today)
            self.stdout.write(f"已提交后台任务 {result.id}")
            return
        sent = check_deadlines.call(today)
        for kind, label in Reminder.Kind.choices:
            self.stdout.write(f"{label}：{sent.get(kind, 0)} 条")
