"""Campaigns (考核批次), each department's assessment in one, and its scores per criterion."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Model, StoredFile
from lvzhi.core.scoping import CHANGE, VIEW
from lvzhi.org.models import Department

from ..periods import Period
from .library import Criterion, Framework, StarRule


class Campaign(Model):
    """考核批次: a period (a quarter by default, or a year) in which assessed departments are scored."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", "季度"
        YEAR = "year", "年度"

    class Status(models.TextChoices):
        DRAFT = "draft", "草拟"
        OPEN = "open", "自评与评审中"
        SCORED = "scored", "已评分待发布"
        PUBLISHED = "published", "已发布"

    name = models.CharField("批次名称", max_length=200)
    kind = models.CharField("周期类型", max_length=20, choices=Kind.choices, default=Kind.QUARTER)
    period = models.CharField("考核期间", max_length=8, db_index=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns", verbose_name="评估框架")
    star_rule = models.ForeignKey(StarRule, on_delete=models.PROTECT, related_name="campaigns", verbose_name="评星规则")
    self_deadline = models.DateField("自评截止日期")
    reveal_raters = models.BooleanField(
        "相互评价显示评价部门", default=False,
        help_text="默认各部门只能看到收到评价的汇总结果；勾选后被评价部门可以看到每条评价来自哪个部门。",
    )
    performance_weight = models.DecimalField("绩效考核权重", max_digits=5, decimal_places=4)
    doc_no = models.CharField("通报文号", max_length=60, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    opened_at = models.DateTimeField("启动时间", null=True, blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    appeal_deadline = models.DateField("申诉截止日期", null=True, blank=True)

    # Departments see a campaign they are assessed in or give mutual evaluations in.
    scope = ("assessments__department", "evaluations__rater")

    class Meta:
        ordering = ["-period", "-pk"]
        verbose_name = "考核批次"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessment:campaign", args=[self.pk])

    @property
    def period_info(self):
        return Period.parse(self.period)

    @property
    def period_label(self):
        return self.period_info.label

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def appeal_open(self, today=None):
        today = today or timezone.localdate()
        return self.is_published and self.appeal_deadline is not None and today <= self.appeal_deadline


class Assessment(Model):
    """评估: one department's scoring in one campaign. Totals, stars and ranks are set when the
    office scores the campaign; the breakdown lives in its scores."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments", verbose_name="考核批次")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="assessments", verbose_name="部门"
    )
    category = models.CharField("部门类别", max_length=20, choices=Department.Category.choices)
    total = models.DecimalField("综合得分", max_digits=6, decimal_places=2, null=True, blank=True)
    stars = models.PositiveSmallIntegerField("星级", null=True, blank=True)
    rank_overall = models.PositiveIntegerField("总排名", null=True, blank=True)
    rank_category = models.PositiveIntegerField("类别内排名", null=True, blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    scope = "department"

    class Meta:
        ordering = ["campaign", "department__position", "department__code"]
        verbose_name = "评估"
        constraints = [models.UniqueConstraint(fields=["campaign", "department"], name="one_assessment_per_campaign")]
        indexes = [models.Index(fields=["campaign", "category"])]

    def __str__(self):
        return f"{self.campaign.name} · {self.department.label}"

    def get_absolute_url(self):
        return reverse("assessment:assessment", args=[self.pk])

    @classmethod
    def scope_extra(cls, qs, scope, action):
        # Once a campaign is published its ranking (total, stars, ranks) is public to the
        # departments in it; the breakdown stays in Score, which has no such rule.
        if action == VIEW and scope.department_ids:
            return qs.filter(campaign__status=Campaign.Status.PUBLISHED,
                             campaign__in=Campaign.objects.filter(assessments__department__in=scope.department_ids))
        return None


class Score(Model):
    """赋分: one criterion of one assessment — the department's self-assessment with evidence,
    the office's review, the computed indicators and the points that result."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待填报"
        SUBMITTED = "submitted", "已提交待评审"
        RETURNED = "returned", "已退回补充"
        REVIEWED = "reviewed", "已评审"
        LOCKED = "locked", "已锁定"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name="评估")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name="评估标准")
    weight = models.DecimalField("类别权重", max_digits=5, decimal_places=3)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    due = models.DateField("自评截止日期")
    narrative = models.TextField("自评说明", blank=True)
    self_score = models.DecimalField("自评分", max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    return_note = models.TextField("退回意见", blank=True)
    returned_count = models.PositiveIntegerField("退回次数", default=0)
    review_score = models.DecimalField("评审得分", max_digits=6, decimal_places=2, null=True, blank=True)
    review_comment = models.TextField("评审意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="评审人",
    )
    reviewed_at = models.DateTimeField("评审时间", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    indicators = models.JSONField("指标计算结果", default=list, blank=True)
    computed_ratio = models.DecimalField("指标平均得分比例", max_digits=6, decimal_places=4, null=True, blank=True)
    computed_at = models.DateTimeField("指标计算时间", null=True, blank=True)
    base_points = models.DecimalField("标准得分", max_digits=6, decimal_places=2, null=True, blank=True)
    points = models.DecimalField("加权得分", max_digits=6, decimal_places=2, null=True, blank=True)
    files = GenericRelation(StoredFile, content_type_field="owner_type", object_id_field="owner_id")

    scope = "assessment__department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["assessment", "criterion__position"]
        verbose_name = "标准得分"
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion")]
        indexes = [models.Index(fields=["assessment", "status"])]

    def __str__(self):
        return f"{self.assessment.department.label} · {self.criterion}"

    def get_absolute_url(self):
        return reverse("assessment:score", args=[self.pk])

    @property
    def weighted_max(self):
        return self.criterion.max_points * self.weight

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Appeal(Model):
    """申诉: a department contests one criterion's score after publication; the office upholds or
    changes it, and the decision stays on the assessment."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "维持原评分"
        CHANGED = "changed", "已调整评分"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appeals", verbose_name="评估")
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="appeals", verbose_name="申诉标准")
    reason = models.TextField("申诉理由")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    old_review_score = models.DecimalField("原评审得分", max_digits=6, decimal_places=2, null=True, blank=True)
    old_points = models.DecimalField("原加权得分", max_digits=6, decimal_places=2, null=True, blank=True)
    new_review_score = models.DecimalField("调整后评审得分", max_digits=6, decimal_places=2, null=True, blank=True)
    new_points = models.DecimalField("调整后加权得分", max_digits=6, decimal_places=2, null=True, blank=True)
    decision_note = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    scope = "assessment__department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "申诉"
        constraints = [
            models.UniqueConstraint(fields=["score"], condition=Q(status="pending"), name="one_pending_appeal")
        ]

    def __str__(self):
        return f"{self.assessment.department.label} 对“{self.score.criterion.name}”的申诉"

    def get_absolute_url(self):
        return reverse("assessment:score", args=[self.score_id]) + f"#appeal-{self.pk}"
