"""争议事项: subjects that group disputed (returned) tickets, and the office's responsibility
decisions on them, which double as dispatch rules for the hotline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lvzhi.core.models import Model

from .tickets import _hotline_sees_all


class Dispute(Model):
    """争议事项: tickets on one subject that departments sent back as not theirs."""

    class State(models.TextChoices):
        OPEN = "open", "待认定"
        DECIDED = "decided", "已认定"

    number = models.CharField("事项编号", max_length=30, blank=True, db_index=True)
    title = models.CharField("争议事项", max_length=200)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="hotline_disputes", verbose_name="涉及部门"
    )
    matter = models.ForeignKey(
        "duties.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="hotline_disputes",
        verbose_name="对应职责边界事项",
    )
    duty_point = models.ForeignKey(
        "duties.DutyPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="hotline_disputes",
        verbose_name="对应职责颗粒点",
    )
    finder = models.JSONField("职责查找建议", default=list, blank=True)
    signature = models.JSONField("文本特征", default=dict, blank=True, editable=False)
    ticket_count = models.PositiveIntegerField("工单数", default=0)
    return_count = models.PositiveIntegerField("退单次数", default=0)
    first_at = models.DateTimeField("最早受理", null=True, blank=True)
    last_at = models.DateTimeField("最近受理", null=True, blank=True)

    scope = "departments"

    class Meta:
        ordering = ["-return_count", "-pk"]
        verbose_name = "退单争议事项"

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("hotline:dispute", args=[self.pk])

    @classmethod
    def scope_extra(cls, qs, scope, action):
        return _hotline_sees_all(qs, scope, action)

    @property
    def decision(self):
        """The current decision (uses the prefetched ``decisions`` when present)."""
        return next((d for d in self.decisions.all() if d.is_current), None)


class DisputeDecision(Model):
    """责任认定: the office names the lead and supporting departments of a dispute and cites its basis.

    The current decision of each dispute is also a dispatch rule (派单规则) sent back to the hotline.
    """

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="decisions", verbose_name="争议事项")
    lead = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="hotline_decisions_led", verbose_name="牵头部门"
    )
    support = models.ManyToManyField(
        "org.Department", blank=True, related_name="hotline_decisions_supported", verbose_name="配合部门"
    )
    basis_duty = models.ForeignKey(
        "org.MandateDuty", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="依据（三定职责）",
    )
    basis_clause = models.ForeignKey(
        "org.BoundaryClause", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="依据（职责分工）",
    )
    basis_point = models.ForeignKey(
        "duties.DutyPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="依据（职责颗粒点）",
    )
    basis_text = models.TextField("法律法规及政策依据", blank=True)
    reasoning = models.TextField("认定理由")
    keywords = models.CharField("派单关键词", max_length=200, blank=True)
    duty_point = models.ForeignKey(
        "duties.DutyPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="新增或更新的职责颗粒点",
    )
    problem_id = models.PositiveIntegerField("登记的问题", null=True, blank=True)
    is_current = models.BooleanField("现行", default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="认定人"
    )
    decided_on = models.DateField("认定日期")

    scope = ("dispute__departments", "lead", "support")

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = "争议责任认定"
        constraints = [
            models.UniqueConstraint(fields=["dispute"], condition=Q(is_current=True), name="one_current_decision")
        ]

    def __str__(self):
        return f"{self.rule_code} {self.dispute.title}"

    def get_absolute_url(self):
        return reverse("hotline:dispute", args=[self.dispute_id])

    @classmethod
    def scope_extra(cls, qs, scope, action):
        return _hotline_sees_all(qs, scope, action)

    @property
    def rule_code(self):
        return f"PD{self.pk:05d}"

    @property
    def basis_summary(self):
        parts = []
        if self.basis_duty_id:
            duty = self.basis_duty
            parts.append(f"{duty.mandate.department.label}三定规定主要职责第{duty.number}项")
        if self.basis_clause_id:
            parts.append(f"{self.basis_clause.mandate.department.label}三定规定职责分工“{self.basis_clause}”")
        if self.basis_point_id:
            parts.append(f"职责边界清单“{self.basis_point.link.matter.name}·{self.basis_point.link.name}”")
        if self.basis_text:
            parts.append(self.basis_text)
        return "；".join(parts)
