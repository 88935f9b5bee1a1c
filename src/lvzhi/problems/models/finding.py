"""Where problems are found: field visits (现场调研督导) and surveys of the people served (服务对象意见)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Model

from .taxonomy import QuestionnaireTemplate

# Through the join table, so that a to-many path is filtered by subquery (no repeated rows).
VIA_DEPARTMENTS = "departments__id"


class Inspection(Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        DONE = "done", "已完成"

    title = models.CharField("调研名称", max_length=200)
    departments = models.ManyToManyField("org.Department", related_name="inspections", verbose_name="调研部门")
    visit_on = models.DateField("调研日期")
    participants = models.TextField("调研组成员", blank=True)
    plan = models.TextField("调研方案", blank=True)
    outline_version = models.CharField("调研提纲版本", max_length=40, blank=True)
    topics = models.JSONField("调研提纲", default=list, blank=True)  # snapshot: [{"code", "name", "questions"}]
    minutes = models.TextField("调研纪要", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)

    scope = VIA_DEPARTMENTS

    class Meta:
        ordering = ["-visit_on", "-pk"]
        verbose_name = "现场调研督导"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("problems:inspection", args=[self.pk])


class Survey(Model):
    """A round of questionnaires about one or more departments; each response rates one of them."""

    title = models.CharField("调查名称", max_length=200)
    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.PROTECT, related_name="+", verbose_name="问卷模板")
    questions = models.JSONField("题目", default=list)  # snapshot of the template's questions
    scale_min = models.PositiveSmallIntegerField("最低分", default=1)
    scale_max = models.PositiveSmallIntegerField("最高分", default=5)
    departments = models.ManyToManyField("org.Department", related_name="surveys", verbose_name="调查部门")
    period_start = models.DateField("调查开始", default=timezone.localdate)
    period_end = models.DateField("调查结束", null=True, blank=True)
    threshold = models.DecimalField("低分阈值", max_digits=5, decimal_places=2, default=3)
    note = models.TextField("说明", blank=True)

    scope = VIA_DEPARTMENTS

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = "服务对象意见调查"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("problems:survey", args=[self.pk])

    @property
    def score_questions(self):
        return [q for q in self.questions if q.get("kind", "score") == "score"]


class SurveyResponse(Model):
    class Origin(models.TextChoices):
        TYPED = "typed", "录入"
        IMPORTED = "imported", "导入"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name="调查")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="survey_responses", verbose_name="评价部门"
    )
    respondent = models.CharField("受访对象", max_length=100, blank=True)
    answered_on = models.DateField("填报日期", default=timezone.localdate)
    comment = models.TextField("意见建议", blank=True)
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.TYPED)

    scope = "department"

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = "服务对象意见"

    def __str__(self):
        return f"{self.survey_id}/{self.pk}"


class SurveyAnswer(models.Model):
    """One answer of a response (a score, or text for open questions); averaged in the database."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField("题目编码", max_length=20)
    score = models.PositiveSmallIntegerField("分值", null=True, blank=True)
    text = models.TextField("回答", blank=True)

    class Meta:
        verbose_name = "问卷回答"
        indexes = [models.Index(fields=["question"])]
