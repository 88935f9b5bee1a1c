"""Reference data loaded from libraries: the problem taxonomy (versioned), the research outline,
questionnaire templates and the working-day calendar overrides.

These rows are shared by every department and carry no department data, so they are plain models
outside the department scoping (like core's Notification and Job).
"""

from django.db import models

from lvzhi.core.models import LibraryVersion


class Severity(models.TextChoices):
    HIGH = "high", "严重"
    MEDIUM = "medium", "较重"
    LOW = "low", "一般"


class Taxonomy(LibraryVersion):
    """One loaded version of the problem taxonomy (问题分类库). Problems keep the version they were
    filed under: a new version adds new category and type rows and leaves the old ones in place."""

    class Meta(LibraryVersion.Meta):
        verbose_name = "问题分类库"

    @classmethod
    def current(cls):
        return cls.objects.filter(is_current=True).first()


class ProblemCategory(models.Model):
    """问题类别 (the nine categories)."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="categories", verbose_name="分类库")
    code = models.CharField("编码", max_length=20)
    name = models.CharField("问题类别", max_length=100)
    description = models.TextField("说明", blank=True)
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["taxonomy", "position"]
        verbose_name = "问题类别"
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_category_code")]

    def __str__(self):
        return self.name


class ProblemType(models.Model):
    """问题事项 (the 48 types), each under one category."""

    category = models.ForeignKey(ProblemCategory, on_delete=models.PROTECT, related_name="types", verbose_name="问题类别")
    code = models.CharField("编码", max_length=20)
    name = models.CharField("问题类型", max_length=100)
    description = models.TextField("说明", blank=True)
    default_severity = models.CharField("默认严重程度", max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["category__taxonomy", "category__position", "position"]
        verbose_name = "问题类型"
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="unique_type_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class ResearchOutline(LibraryVersion):
    """调研提纲: topics with interview questions, from the research_outline library."""

    topics = models.JSONField("调研内容", default=list)  # [{"code", "name", "questions": [...]}]

    class Meta(LibraryVersion.Meta):
        verbose_name = "调研提纲"

    def __str__(self):
        return f"{self.title}（{self.version}）"


class QuestionnaireTemplate(models.Model):
    """问卷模板 for surveys of the people a department serves."""

    code = models.CharField("编码", max_length=40)
    version = models.CharField("版本", max_length=40)
    title = models.CharField("问卷名称", max_length=200)
    description = models.TextField("说明", blank=True)
    scale_min = models.PositiveSmallIntegerField("最低分", default=1)
    scale_max = models.PositiveSmallIntegerField("最高分", default=5)
    scale_labels = models.JSONField("分值说明", default=dict, blank=True)
    questions = models.JSONField("题目", default=list)  # [{"code", "text", "kind": "score" | "text"}]
    is_current = models.BooleanField("现行", default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = "问卷模板"
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_questionnaire_version")]

    def __str__(self):
        return f"{self.title}（{self.version}）"

    @property
    def score_questions(self):
        return [q for q in self.questions if q.get("kind", "score") == "score"]


class CalendarDay(models.Model):
    """A day whose status overrides the official calendar package (holidays.yaml and the office's
    own calendar files): a holiday, a 调休 make-up working day, or a local arrangement."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日")
    name = models.CharField("说明", max_length=100, blank=True)
    source = models.CharField("来源库", max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "工作日历调整"

    def __str__(self):
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"
