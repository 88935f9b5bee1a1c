from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动后台任务处理进程（导入、索引重建、报表、到期提醒）。可在多台机器上同时运行多个。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="无任务时轮询间隔（秒）")
        parser.add_argument("--queue-name", default="*", help="处理的队列，默认全部")

    def handle(self, *args, **options):
        call_command("db_worker", interval=options["interval"], queue_name=options["queue_name"], reload=False)
