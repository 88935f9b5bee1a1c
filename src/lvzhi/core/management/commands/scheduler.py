"""Runs the daily jobs on a clock so a deployment needs no cron entry (APScheduler, in-process).

The jobs are those the apps register (``lvzhi.core.schedule``). Each runs in this process, not
through the task queue, so reminders go out even when no worker is running, and every job is safe
to run more than once a day, so several schedulers or a restart do no harm.
"""

import logging
import re

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from lvzhi.core import schedule

log = logging.getLogger(__name__)


def run_daily_jobs(out=None):
    for name, job in list(schedule.DAILY_JOBS):
        close_old_connections()
        try:
            result = job()
        except Exception:  # one failing job must not stop the others or the scheduler
            log.exception("定时任务失败：%s", name)
            if out:
                out.write(f"{name}：失败（详见日志）")
            continue
        finally:
            close_old_connections()
        if out:
            out.write(f"{name}：完成（{result}）")


def parse_time(text):
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text or "")
    if not m:
        raise CommandError(f"无法识别的时间：{text}（应为 HH:MM，例如 07:00）")
    return int(m.group(1)), int(m.group(2))


def daily_trigger(hour, minute):
    return CronTrigger(hour=hour, minute=minute, timezone=settings.TIME_ZONE)


class Command(BaseCommand):
    help = ("定时任务进程：每天在指定时间（默认 LVZHI_DAILY_AT=07:00，按 LVZHI_TIME_ZONE）运行整改期限检查、归并12345退单争议事项、"
            "更新派单建议模型；启动时先运行一次。lvzhi serve 会自动启动它。")

    def add_arguments(self, parser):
        parser.add_argument("--at", default=settings.LVZHI_DAILY_AT, help="每天运行的时间 HH:MM")
        parser.add_argument("--once", action="store_true", help="只运行一次每日任务后退出")

    def handle(self, *args, **options):
        hour, minute = parse_time(options["at"])
        run_daily_jobs(self.stdout)
        if options["once"]:
            return
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        # A machine asleep or restarting at the hour still runs the jobs once when it is back.
        scheduler.add_job(run_daily_jobs, daily_trigger(hour, minute), id="daily", coalesce=True,
                          misfire_grace_time=12 * 3600, max_instances=1)
        self.stdout.write(f"定时任务已启动：每天 {hour:02d}:{minute:02d}（{settings.TIME_ZONE}）运行 "
                          + "、".join(name for name, _ in schedule.DAILY_JOBS))
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
