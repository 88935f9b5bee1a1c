"""机构编制事项动议: a proposal to change a department's functions, units or staffing, with its
evidence, reviewed by the office, decided by the 编委 and, once carried out, written into a new
version of the department's 三定规定."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from lvzhi.core.models import Model
from lvzhi.core.scoping import CHANGE, VIEW
from lvzhi.org.models import LEADER_TYPES, STAFF_TYPES, Department, Mandate

STAFFING_KEYS = STAFF_TYPES + LEADER_TYPES


class Proposal(Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "编办审核中"
        DECISION = "decision", "待编委决定"
        APPROVED = "approved", "编委已同意"
        REJECTED = "rejected", "编委未同意"
        CARRIED_OUT = "carried_out", "已实施"

    class Origin(models.TextChoices):
        OFFICE = "office", "编办提出"
        DEPARTMENT = "department", "部门提出"

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name="涉及部门")
    title = models.CharField("事项名称", max_length=200)
    origin = models.CharField("提出方", max_length=20, choices=Origin.choices, default=Origin.OFFICE)
    background = models.TextField("现状和存在的问题", blank=True)
    reason = models.TextField("调整理由和依据")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    doc_no = models.CharField("请示文号", max_length=60, blank=True)
    signer = models.CharField("签发人", max_length=40, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="决定登记人",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_note = models.TextField("编委决定意见", blank=True)
    decision_doc_no = models.CharField("批复文号", max_length=60, blank=True)
    carried_out_at = models.DateTimeField("实施时间", null=True, blank=True)
    mandates = models.ManyToManyField(Mandate, blank=True, related_name="+", verbose_name="实施后的三定规定")

    scope = "department"
    # A liaison drafts and submits its own department's proposals; services.py enforces the states.
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["-pk"]
        verbose_name = "机构编制事项动议"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reform:proposal", args=[self.pk])

    @property
    def editable(self):
        return self.state == self.State.DRAFT


class ProposalChange(Model):
    """One change a proposal asks for: add, remove, move (to another department) or convert."""

    class Target(models.TextChoices):
        DUTY = "duty", "职能（主要职责）"
        UNIT = "unit", "内设机构"
        STAFFING = "staffing", "编制和领导职数"

    class Action(models.TextChoices):
        ADD = "add", "增加"
        REMOVE = "remove", "撤销或核减"
        MOVE = "move", "划出"
        CONVERT = "convert", "转变或调整"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="changes", verbose_name="动议")
    position = models.PositiveIntegerField("序号", default=0)
    target = models.CharField("调整对象", max_length=20, choices=Target.choices)
    action = models.CharField("调整方式", max_length=20, choices=Action.choices)
    duty_number = models.PositiveIntegerField("主要职责序号", null=True, blank=True)
    unit_name = models.CharField("内设机构名称", max_length=100, blank=True)
    text = models.TextField("职责内容", blank=True)
    new_name = models.CharField("调整后名称", max_length=100, blank=True)
    staff_type = models.CharField("编制类别", max_length=30, choices=STAFFING_KEYS, blank=True)
    to_type = models.CharField("转为类别", max_length=30, choices=STAFFING_KEYS, blank=True)
    amount = models.PositiveIntegerField("数量", null=True, blank=True)
    to_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="划入部门"
    )

    scope = "proposal__department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["proposal", "position", "pk"]
        verbose_name = "动议调整事项"

    def __str__(self):
        return self.describe()

    def get_absolute_url(self):
        return self.proposal.get_absolute_url()

    def describe(self):
        """The change as one Chinese sentence, as it appears in the 请示."""
        to = self.to_department.name if self.to_department_id else ""
        if self.target == self.Target.DUTY:
            what = f"第{self.duty_number}项主要职责" if self.duty_number else "主要职责"
            return {
                self.Action.ADD: f"增加主要职责：{self.text}",
                self.Action.REMOVE: f"取消{what}",
                self.Action.MOVE: f"将{what}划入{to}",
                self.Action.CONVERT: f"将{what}调整为：{self.text}",
            }[self.action]
        if self.target == self.Target.UNIT:
            return {
                self.Action.ADD: f"增设{self.unit_name}" + (f"，主要职责：{self.text}" if self.text else ""),
                self.Action.REMOVE: f"撤销{self.unit_name}",
                self.Action.MOVE: f"将{self.unit_name}成建制划入{to}",
                self.Action.CONVERT: f"将{self.unit_name}调整为{self.new_name or self.unit_name}"
                + (f"，主要职责：{self.text}" if self.text else ""),
            }[self.action]
        label = self.get_staff_type_display()
        return {
            self.Action.ADD: f"增加{label}{self.amount}名",
            self.Action.REMOVE: f"核减{label}{self.amount}名",
            self.Action.MOVE: f"划出{label}{self.amount}名至{to}",
            self.Action.CONVERT: f"将{label}{self.amount}名调整为{self.get_to_type_display()}",
        }[self.action]


class ProposalEvidence(Model):
    """A piece of evidence: a linked record (problem, assessment, dispute, process) or a snapshot of
    the department's 编制 efficiency figures at the time it was attached."""

    class Kind(models.TextChoices):
        PROBLEM = "problem", "问题"
        ASSESSMENT = "assessment", "评估结果"
        EFFICIENCY = "efficiency", "编制效能数据"
        DISPUTE = "dispute", "争议事项"
        PROCESS = "process", "流程再造"
        OTHER = "other", "其他材料"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence", verbose_name="动议")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    label = models.CharField("依据", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    scope = "proposal__department"
    department_actions = frozenset({VIEW, CHANGE})

    class Meta:
        ordering = ["proposal", "kind", "pk"]
        verbose_name = "动议依据"

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return self.proposal.get_absolute_url()
