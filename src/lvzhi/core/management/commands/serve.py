import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以生产方式启动网站（gunicorn，静态文件由 WhiteNoise 提供）、一个后台任务进程和一个定时任务进程；Ctrl-C 同时停止两者。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("LVZHI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LVZHI_WEB_WORKERS", "2")))
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
        parser.add_argument("--no-scheduler", action="store_true", help="不启动定时任务进程（由 cron 等另行调度时使用）")

    def handle(self, *args, **options):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lvzhi.settings"}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "lvzhi.wsgi:application", "--bind", options["bind"],
                 "--workers", str(options["workers"]), "--access-logfile", "-", "--timeout", "120"],
                env=env,
            )
        ]
        if not options["no_worker"]:
            procs.append(subprocess.Popen([sys.executable, "-m", "lvzhi.cli", "worker"], env=env))
        if not options["no_scheduler"]:
            procs.append(subprocess.Popen([sys.executable, "-m", "lvzhi.cli", "scheduler"], env=env))
        self.stdout.write(f"履职平台已启动：http://{options['bind']}/ （Ctrl-C 停止）")
        try:
            while all(p.poll() is None for p in procs):
                try:
                    procs[0].wait(timeout=1)
                except subprocess.TimeoutExpired:
                    pass
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.stdout.write("已停止。")
