"""The problem ledger (问题台账) and the records of the closed loop around each problem."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Model, StoredFile
from lvzhi.core.roles import OversightBody
from lvzhi.core.scoping import CHANGE, VIEW

from .taxonomy import ProblemCategory, ProblemType, Severity


class Source(models.TextChoices):
    INSPECTION = "inspection", "现场调研"
    SURVEY = "survey", "服务对象意见"
    HOTLINE = "hotline", "12345热线"
    DISCIPLINE = "discipline", "纪检监察"
    TOUR = "tour", "巡察"
    AUDIT = "audit", "审计"
    ASSESSMENT = "assessment", "评估"
    SELF = "self", "自查"
    MANDATE_CHECK = "mandate_check", "三定检查"


# The problem source recorded for a clue from each oversight body.
BODY_SOURCE = {
    OversightBody.DISCIPLINE: Source.DISCIPLINE,
    OversightBody.TOUR: Source.TOUR,
    OversightBody.AUDIT: Source.AUDIT,
}


class State(models.TextChoices):
    ANALYSIS = "analysis", "分析"
    FEEDBACK = "feedback", "反馈（待签收）"
    RECTIFICATION = "rectification", "整改"
    EVALUATION = "evaluation", "评估"
    CLOSED = "closed", "已销号"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATES = (State.FEEDBACK, State.RECTIFICATION)  # the department owes work against a deadline


class Problem(Model):
    """问题: something found wrong in how a department performs its functions.

    Department liaisons see a problem once it has been issued to them (primary or related
    department) and act only on problems of their own primary department. Oversight users see
    the problems shared with their body.
    """

    number = models.CharField("问题编号", max_length=30, blank=True, db_index=True)
    title = models.CharField("问题标题", max_length=200)
    description = models.TextField("问题描述")
    category = models.ForeignKey(
        ProblemCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="problems", verbose_name="问题类别"
    )
    type = models.ForeignKey(
        ProblemType, null=True, blank=True, on_delete=models.PROTECT, related_name="problems", verbose_name="问题类型"
    )
    source = models.CharField("问题来源", max_length=20, choices=Source.choices, db_index=True)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="problems", verbose_name="责任部门"
    )
    related_departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="related_problems", verbose_name="相关部门"
    )
    mandate_duty = models.ForeignKey(
        "org.MandateDuty", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
        verbose_name="涉及三定职责",
    )
    boundary_clause = models.ForeignKey(
        "org.BoundaryClause", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
        verbose_name="涉及职责分工条款",
    )
    matter = models.ForeignKey(
        "duties.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
        verbose_name="涉及职责边界事项",
    )
    duty_point = models.ForeignKey(
        "duties.DutyPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
        verbose_name="涉及职责颗粒点",
    )
    inspection = models.ForeignKey(
        "problems.Inspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
        verbose_name="现场调研",
    )
    survey = models.ForeignKey(
        "problems.Survey", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems",
        verbose_name="服务对象意见调查",
    )
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    policy_basis = models.TextField("政策依据", blank=True)
    found_on = models.DateField("发现日期", default=timezone.localdate, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="编办承办人",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.ANALYSIS, db_index=True)
    deadline = models.DateField("整改期限", null=True, blank=True, db_index=True)
    deadline_days = models.PositiveIntegerField("整改时限（工作日）", null=True, blank=True)
    issued_at = models.DateTimeField("下发时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成报告时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    rounds = models.PositiveIntegerField("退回次数", default=0)

    scope = ("department", "related_departments")
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = "问题"
        indexes = [models.Index(fields=["department", "state"]), models.Index(fields=["type", "found_on"])]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("problems:detail", args=[self.pk])

    @property
    def taxonomy_version(self):
        return self.category.taxonomy.version if self.category_id else ""

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.state in OPEN_STATES and self.deadline is not None and self.deadline < today

    @classmethod
    def scope_filter(cls, qs, scope, action):
        if scope.is_office or (scope.is_leader and action == VIEW):
            return qs
        q = Q(pk__in=[])
        ids = scope.department_ids
        if ids and action in cls.department_actions:
            # Only issued problems reach a department; only the primary department acts on one.
            mine = Q(department__in=ids)
            if action == VIEW:
                mine |= Q(related_departments__in=ids)
            q |= Q(pk__in=cls._base_manager.filter(mine, issued_at__isnull=False).values("pk"))
        if scope.bodies and action == VIEW:
            from .sharing import ProblemShare

            q |= Q(pk__in=ProblemShare.objects.filter(body__in=scope.bodies).values("problem_id"))
        return qs.filter(q)


class ProblemChild(Model):
    """A record that belongs to one problem: visible exactly when its problem is."""

    class Meta:
        abstract = True

    @classmethod
    def scope_filter(cls, qs, scope, action):
        problems = Problem.scope_filter(Problem._base_manager.all(), scope, action)
        qs = qs.filter(problem__in=problems.values("pk"))
        if not scope.sees_everything and hasattr(cls, "internal"):
            qs = qs.filter(internal=False)
        return qs


class ProblemEvent(ProblemChild):
    """One step on a problem's timeline: who did what, when, with a note and attachments."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events", verbose_name="问题")
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    # Shown only to the office and leaders (sharing with oversight bodies, escalations).
    internal = models.BooleanField("内部记录", default=False)
    files = GenericRelation(StoredFile, content_type_field="owner_type", object_id_field="owner_id")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "问题处理记录"

    def __str__(self):
        return f"{self.problem_id} {self.label}"

    @property
    def label(self):
        from ..states import event_label

        return event_label(self.action)


class RectificationNotice(ProblemChild):
    """整改通知书: sent with a problem at feedback; the .docx is written from these fields."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="notices", verbose_name="问题")
    doc_no = models.CharField("文号", max_length=60)
    issued_on = models.DateField("印发日期")
    deadline = models.DateField("整改期限")
    deadline_days = models.PositiveIntegerField("整改时限（工作日）")
    requirements = models.TextField("整改要求", blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "整改通知书"

    def __str__(self):
        return self.doc_no

    def get_absolute_url(self):
        return reverse("problems:notice", args=[self.pk])


class RectificationReport(ProblemChild):
    """整改报告: a department's plan, progress report or completion report (files on the event)."""

    class Kind(models.TextChoices):
        PLAN = "plan", "整改方案"
        PROGRESS = "progress", "整改进展"
        COMPLETION = "completion", "整改完成报告"

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reports", verbose_name="问题")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    round = models.PositiveIntegerField("整改轮次", default=1)
    content = models.TextField("内容")
    event = models.OneToOneField(ProblemEvent, null=True, on_delete=models.SET_NULL, related_name="report")
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = "整改报告"

    def __str__(self):
        return f"{self.get_kind_display()}（第{self.round}轮）"


class ExtensionRequest(ProblemChild):
    """延期申请: the department asks for more working days; the office grants or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        GRANTED = "granted", "已同意"
        REFUSED = "refused", "不同意"

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="extensions", verbose_name="问题")
    days = models.PositiveIntegerField("申请延长（工作日）")
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    old_deadline = models.DateField("原期限", null=True, blank=True)
    new_deadline = models.DateField("新期限", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="审批人"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "延期申请"
        constraints = [
            models.UniqueConstraint(fields=["problem"], condition=Q(status="pending"), name="one_pending_extension")
        ]

    def __str__(self):
        return f"延期{self.days}个工作日（{self.get_status_display()}）"


class ProblemLink(ProblemChild):
    """A link from a problem to a record of a later module (权责事项, 12345 工单…), registered with
    ``lvzhi.problems.links.register_target``."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links", verbose_name="问题")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    label = models.CharField("关联对象", max_length=200)

    class Meta:
        verbose_name = "问题关联"
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.UniqueConstraint(fields=["problem", "target_type", "target_id"], name="unique_problem_link")
        ]

    def __str__(self):
        return self.label


class Reminder(models.Model):
    """A deadline reminder already sent (due-3, due, escalation), so each is sent once per deadline."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期提醒"
        DUE = "due", "到期提醒"
        ESCALATION = "escalation", "逾期督办"

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    deadline = models.DateField()
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "到期提醒"
        constraints = [
            models.UniqueConstraint(fields=["problem", "kind", "deadline"], name="one_reminder_per_deadline")
        ]



class SavedView(models.Model):
    """A user's saved ledger filter (保存的视图): a name and the query string."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField("名称", max_length=60)
    query = models.CharField("筛选条件", max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = "保存的视图"

    def __str__(self):
        return self.name
