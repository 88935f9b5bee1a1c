"""``lvzhi campaign``: list, create and run assessment campaigns from the command line, as a named user."""

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.audit import origin
from lvzhi.core.tabular import write_xlsx

from ...exports.bulletin import bulletin
from ...exports.performance import performance_sheets
from ...models import Campaign
from ...services import campaigns as services
from ...services import scores
from ...services.common import sees_all_results
from ...services.results import results_visible

ACTIONS = ("list", "create", "open", "lock-reviewed", "score", "reopen", "publish", "bulletin", "export")


class Command(BaseCommand):
    help = ("核心职能评估考核批次。lvzhi campaign list --user 用户名；"
            "lvzhi campaign create --period 2026Q4 --deadline 2027-01-10 --user 用户名；"
            "lvzhi campaign open|lock-reviewed|score|reopen|publish 批次id --user 用户名；"
            "lvzhi campaign bulletin|export 批次id --out 文件 [--weight 0.1] --user 用户名")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("campaign", nargs="?", type=int, help="考核批次 id（list 可查）")
        parser.add_argument("--user", required=True, help="以该用户的身份和权限执行")
        parser.add_argument("--period", help="考核期间，如 2026Q4 或 2026")
        parser.add_argument("--deadline", help="自评截止日期 YYYY-MM-DD")
        parser.add_argument("--name", default="")
        parser.add_argument("--out", help="bulletin/export 的输出文件路径")
        parser.add_argument("--weight", help="export 使用的绩效考核权重（默认取批次设置）")

    def handle(self, *args, **o):
        user = get_user_model().objects.filter(username=o["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户 {o['user']}")
        try:
            with origin("命令 campaign"):
                self.run(user, o)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("；".join(getattr(exc, "messages", None) or [str(exc)]))

    def run(self, user, o):
        visible = Campaign.objects.visible_to(user).select_related("framework")
        if o["action"] == "list":
            for c in visible.order_by("-period", "-pk"):
                self.stdout.write(f"{c.pk}\t{c.period_label}\t{c.get_status_display()}\t{c.name}")
            return
        if o["action"] == "create":
            if not o["period"] or not o["deadline"]:
                raise CommandError("create 需要 --period 和 --deadline")
            try:
                deadline = dt.date.fromisoformat(o["deadline"])
            except ValueError:
                raise CommandError(f"自评截止日期“{o['deadline']}”无法识别，应为 YYYY-MM-DD")
            c = services.create_campaign(user, period=o["period"], self_deadline=deadline, name=o["name"])
            self.stdout.write(f"已创建考核批次 {c.pk}：{c.name}（草拟）")
            return
        campaign = visible.filter(pk=o["campaign"]).first() if o["campaign"] else None
        if campaign is None:
            raise CommandError(f"没有您可查看的考核批次 {o['campaign'] or ''}".strip())
        if o["action"] in ("bulletin", "export"):
            self.write_file(user, campaign, o)
            return
        if o["action"] == "lock-reviewed":
            self.stdout.write(f"已锁定 {scores.lock_reviewed(user, campaign)} 项已评审的标准")
            return
        campaign = services.perform(user, campaign, o["action"])
        self.stdout.write(f"{campaign.name}：{services.ACTION_LABELS[o['action']]}，当前状态 {campaign.get_status_display()}")
        if campaign.appeal_deadline and o["action"] == "publish":
            self.stdout.write(f"申诉截止 {campaign.appeal_deadline:%Y-%m-%d}")

    def write_file(self, user, campaign, o):
        if not o["out"]:
            raise CommandError("请用 --out 指定输出文件")
        if campaign.status not in (Campaign.Status.SCORED, Campaign.Status.PUBLISHED) \
                or not results_visible(user, campaign):
            raise CommandError("该批次尚无可导出的评估结果")
        path = Path(o["out"])
        if o["action"] == "bulletin":
            bulletin(user, campaign).save(path)
        else:
            if not sees_all_results(user):
                raise CommandError("只有编办人员和市领导可以导出绩效考核折算表")
            weight = services.weight_or_default(campaign, o["weight"])
            with path.open("wb") as fh:
                write_xlsx(fh, performance_sheets(user, campaign, weight))
        self.stdout.write(f"已写入 {path}")

