"""职责任务清单 and 三定 execution checks: a mandate duty broken into tasks, and a periodic check of
whether each duty or task is carried out, with evidence, reviewed by the office."""

import datetime as dt
import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from lvzhi.core.models import Model
from lvzhi.core.scoping import CHANGE, VIEW
from lvzhi.org.models import Department, InternalUnit, MandateDuty

PERIOD_RE = re.compile(r"^(\d{4})(?:([QH])([1-4]))?$")


def current_period(today=None):
    """The current quarter as a period code, e.g. ``2026Q4``."""
    today = today or dt.date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def period_label(code):
    """``2026Q3`` → 2026年第3季度, ``2026H1`` → 2026年上半年, ``2026`` → 2026年度."""
    m = PERIOD_RE.match(code or "")
    if not m:
        return code
    year, kind, n = m.groups()
    if kind == "Q":
        return f"{year}年第{n}季度"
    if kind == "H":
        return f"{year}年{'上' if n == '1' else '下'}半年"
    return f"{year}年度"


def valid_period(code):
    m = PERIOD_RE.match(code or "")
    if not m:
        return False
    kind, n = m.group(2), m.group(3)
    return kind is None or (kind == "Q" and n in "1234") or (kind == "H" and n in "12")


def period_end(code):
    """The last day of a period (the date its checks are due)."""
    year, kind, n = PERIOD_RE.match(code).groups()
    year = int(year)
    months = {"Q": 3, "H": 6}.get(kind, 12)
    last_month = int(n) * months if kind else 12
    if last_month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, last_month + 1, 1) - dt.timedelta(days=1)


class DutyTask(Model):
    """职责任务: one concrete, checkable task of a mandate duty."""

    duty = models.ForeignKey(MandateDuty, on_delete=models.CASCADE, related_name="tasks", verbose_name="主要职责")
    position = models.PositiveIntegerField("序号", default=0)
    text = models.TextField("任务内容")
    standard = models.TextField("完成标准", blank=True)
    unit = models.ForeignKey(
        InternalUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name="承办机构"
    )
    active = models.BooleanField("启用", default=True)

    scope = "duty__mandate__department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["duty", "position", "pk"]
        verbose_name = "职责任务"

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        return reverse("duties:department-tasks", args=[self.duty.mandate.department.code]) + f"#task-{self.pk}"


class MandateCheck(Model):
    """三定执行检查: a department's report on one duty (or one task of it) for one period."""

    class Result(models.TextChoices):
        FULFILLED = "fulfilled", "已履行"
        PARTLY = "partly", "部分履行"
        NOT_FULFILLED = "not_fulfilled", "未履行"
        NOT_APPLICABLE = "not_applicable", "不适用"

    class Status(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已审核"

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name="部门")
    duty = models.ForeignKey(MandateDuty, on_delete=models.CASCADE, related_name="checks", verbose_name="主要职责")
    task = models.ForeignKey(
        DutyTask, null=True, blank=True, on_delete=models.CASCADE, related_name="checks", verbose_name="职责任务"
    )
    period = models.CharField("检查期间", max_length=8, db_index=True)
    result = models.CharField("履职情况", max_length=20, choices=Result.choices, blank=True)
    narrative = models.TextField("情况说明", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    # What a follow-up (e.g. the problems module) made of this check.
    followup_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    followup_id = models.CharField(max_length=64, blank=True)
    followup = GenericForeignKey("followup_type", "followup_id")

    scope = "department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["department", "period", "duty", "task"]
        verbose_name = "三定执行检查"
        constraints = [
            models.UniqueConstraint(fields=["duty", "period"], condition=models.Q(task__isnull=True),
                                    name="one_check_per_duty_period"),
            models.UniqueConstraint(fields=["task", "period"], condition=models.Q(task__isnull=False),
                                    name="one_check_per_task_period"),
        ]
        indexes = [models.Index(fields=["department", "period", "status"])]

    def __str__(self):
        target = f"任务：{self.task}" if self.task_id else f"第{self.duty.number}项职责"
        return f"{period_label(self.period)} {target}"

    def get_absolute_url(self):
        return reverse("duties:check", args=[self.pk])

    @property
    def period_label(self):
        return period_label(self.period)

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def needs_followup(self):
        return self.result in (self.Result.PARTLY, self.Result.NOT_FULFILLED) and self.status == self.Status.ACCEPTED
