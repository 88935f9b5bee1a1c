"""Runs the daily jobs on a clock so a deployment needs no cron entry (APScheduler, in-process).

Every job is safe to run more than once a day: deadline reminders are recorded and sent once, so
several schedulers on several machines, or a restart, do not send twice; dispute grouping takes
only tickets not yet in a subject; the routing model is retrained only when tickets changed.
"""

import logging
import re

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from lvzhi.core.audit import origin
from lvzhi.hotline import services as hotline
from lvzhi.problems.models import Reminder
from lvzhi.problems.tasks import check_deadlines

log = logging.getLogger(__name__)

# (name shown in the log, callable). Each runs in this process, not through the task queue, so
# reminders go out even when no worker is running.
def deadline_check():
    sent = check_deadlines.call()
    return "，".join(f"{label} {sent.get(kind, 0)} 条" for kind, label in Reminder.Kind.choices)


def hotline_disputes():
    """Returns pushed through the intake API since yesterday join their dispute subjects (file
    imports do it at once)."""
    with origin("定时任务 归并12345退单争议事项"):
        found = hotline.group_disputes(None)
    return f"新归入工单 {found['assigned']} 件，新增事项 {found['created']} 个，现有事项 {found['subjects']} 个"


def hotline_routing():
    with origin("定时任务 更新派单建议模型"):
        model, trained = hotline.refresh_routing(None)
    if model is None:
        return "已办结且匹配到承办部门的历史工单太少，未训练"
    return f"已重新训练，样本 {model.samples} 件" if trained else "训练后工单无变化，沿用现行模型"


DAILY_JOBS = [
    ("整改期限检查", deadline_check),
    ("归并12345退单争议事项", hotline_disputes),
    ("更新12345派单建议模型", hotline_routing),
]


def run_daily_jobs(out=None):
    for name, job in DAILY_JOBS:
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
                          + "、".join(name for name, _ in DAILY_JOBS))
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
