"""信息共享 with 纪检监察, 巡察 and 审计 bodies, their clues (线索), and 对策建议 on 普遍性问题.

These records are never shown to department liaisons, so they sit outside the department scoping;
each has its own ``visible_to`` for the office, leaders and the oversight body concerned.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import StoredFile
from lvzhi.core.roles import OversightBody
from lvzhi.core.scoping import get_scope

from .problem import Problem


class ProblemShare(models.Model):
    """A problem shared with one oversight body (巡察审计联动)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="shares", verbose_name="问题")
    body = models.CharField("监督机关", max_length=20, choices=OversightBody.choices)
    note = models.TextField("共享说明", blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField("共享时间", default=timezone.now)

    class Meta:
        verbose_name = "问题共享"
        constraints = [models.UniqueConstraint(fields=["problem", "body"], name="unique_problem_share")]

    def __str__(self):
        return f"{self.problem_id} → {self.get_body_display()}"


class ClueQuerySet(models.QuerySet):
    def visible_to(self, user, action="view"):
        scope = get_scope(user)
        if scope.is_office or (scope.is_leader and action == "view"):
            return self
        if scope.bodies:
            return self.filter(body__in=scope.bodies)
        return self.none()


class Clue(models.Model):
    """线索: a finding an oversight body hands to the office. It lands as a problem in 分析,
    shared back with the body, so both sides follow the same record."""

    body = models.CharField("监督机关", max_length=20, choices=OversightBody.choices)
    title = models.CharField("线索标题", max_length=200)
    description = models.TextField("线索内容")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="涉及部门"
    )
    problem = models.OneToOneField(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="clue", verbose_name="形成问题"
    )
    about = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_up_clues",
        verbose_name="关联已共享问题",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    files = GenericRelation(StoredFile, content_type_field="owner_type", object_id_field="owner_id")

    objects = ClueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "线索"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("problems:clue", args=[self.pk])


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user, action="view"):
        scope = get_scope(user)
        return self if scope.is_office or (scope.is_leader and action == "view") else self.none()


class PolicyRecommendation(models.Model):
    """对策建议 on a 普遍性问题: one problem type found in several departments in a period."""

    type_code = models.CharField("问题类型编码", max_length=20)
    type_name = models.CharField("问题类型", max_length=100)
    period_start = models.DateField("统计起始")
    period_end = models.DateField("统计截止")
    text = models.TextField("对策建议")
    problems = models.ManyToManyField(Problem, related_name="recommendations", verbose_name="涉及问题")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="提出人"
    )
    created_at = models.DateTimeField("提出时间", default=timezone.now)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "对策建议"

    def __str__(self):
        return f"{self.type_name}：{self.text[:30]}"
