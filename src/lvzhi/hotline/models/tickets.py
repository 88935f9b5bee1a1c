"""12345 tickets (工单), their returns (退单) and the department-name aliases the office maintains.

Tickets arrive by the million, so the high-volume tables are shaped for bulk loading: the
department links carry no database-level foreign-key constraint (a per-row referential check
would dominate a COPY), the only indexes are the ones pages and analysis use, and working-day
clocks are stored as working-day ordinals so time limits stay configurable without rewriting rows.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Model
from lvzhi.core.roles import Role
from lvzhi.core.scoping import VIEW

from .fields import RowidField


class Kind(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"
    OTHER = "other", "其他"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class BulkLoaded(Model):
    """The base model's bookkeeping shaped for bulk loads: the timestamps and version have database
    defaults, so a COPY or ``executemany`` leaves them to the database, and the author carries no
    index or per-row constraint check (the import run records who imported what)."""

    created_at = models.DateTimeField("创建时间", default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_default=Now())
    version = models.PositiveIntegerField("版本", default=1, db_default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   editable=False, on_delete=models.SET_NULL, related_name="+", db_index=False,
                                   db_constraint=False)

    class Meta:
        abstract = True


def _hotline_sees_all(qs, scope, action):
    # The hotline centre dispatches every ticket, so it reads all of them.
    if action == VIEW and scope.has(Role.HOTLINE):
        return qs
    return None


class Ticket(BulkLoaded):
    """12345 工单: one citizen request and how it was finally handled."""

    id = RowidField(primary_key=True)
    ticket_no = models.CharField("工单编号", max_length=64, unique=True)
    received_at = models.DateTimeField("受理时间", db_index=True)
    month = models.PositiveIntegerField("受理月份")  # YYYYMM in local time: grouping needs no date function
    received_wd = models.IntegerField("受理工作日序号")
    content = models.TextField("诉求内容")
    kind = models.CharField("诉求类型", max_length=12, choices=Kind.choices, default=Kind.OTHER)
    address = models.CharField("诉求地址", max_length=300, blank=True)
    handler = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False,
        related_name="hotline_tickets", verbose_name="承办单位",
    )
    handler_name = models.CharField("承办单位（原文）", max_length=200, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_wd = models.IntegerField("办结工作日序号", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    dispute = models.ForeignKey(
        "hotline.Dispute", null=True, blank=True, on_delete=models.SET_NULL, db_index=False, db_constraint=False,
        related_name="tickets", verbose_name="争议事项",
    )

    scope = "handler"

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "12345工单"
        indexes = [
            models.Index(fields=["dispute"], condition=Q(dispute__isnull=False), name="hotline_ticket_dispute"),
        ]

    def __str__(self):
        return self.ticket_no

    def get_absolute_url(self):
        return reverse("hotline:ticket", args=[self.pk])

    @classmethod
    def scope_extra(cls, qs, scope, action):
        everything = _hotline_sees_all(qs, scope, action)
        if everything is not None:
            return everything
        if action == VIEW and scope.department_ids:
            # A department also sees the tickets it sent back or was re-assigned.
            ids = scope.department_ids
            returned = TicketReturn._base_manager.filter(Q(from_department__in=ids) | Q(to_department__in=ids))
            return qs.filter(pk__in=returned.values("ticket_id"))
        return None

    @property
    def handler_label(self):
        return self.handler.label if self.handler_id and self.handler else self.handler_name


class TicketReturn(BulkLoaded):
    """退单: a department sending a ticket back as not its job, with its stated reason."""

    id = RowidField(primary_key=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, db_constraint=False, related_name="returns", verbose_name="工单"
    )
    returned_at = models.DateTimeField("退单时间")
    from_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False,
        related_name="hotline_returns_sent", verbose_name="退单单位",
    )
    from_name = models.CharField("退单单位（原文）", max_length=200)
    reason = models.TextField("退单原因")
    to_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False,
        related_name="hotline_returns_received", verbose_name="改派单位",
    )
    to_name = models.CharField("改派单位（原文）", max_length=200, blank=True)
    key_hash = models.BigIntegerField("记录指纹", unique=True, editable=False)  # ticket + time + returning unit

    scope = ("from_department", "to_department", "ticket__handler")

    class Meta:
        ordering = ["ticket", "returned_at", "pk"]
        verbose_name = "退单记录"

    def __str__(self):
        return f"{self.from_name}退单"

    def get_absolute_url(self):
        return reverse("hotline:ticket", args=[self.ticket_id])

    @classmethod
    def scope_extra(cls, qs, scope, action):
        return _hotline_sees_all(qs, scope, action)

    @property
    def from_label(self):
        return self.from_department.label if self.from_department_id and self.from_department else self.from_name

    @property
    def to_label(self):
        return self.to_department.label if self.to_department_id and self.to_department else self.to_name


class DepartmentAlias(Model):
    """Another name the hotline uses for a department (“区市场监管”, an old name…), kept by the office."""

    alias = models.CharField("别名", max_length=200)
    key = models.CharField("匹配键", max_length=200, unique=True, editable=False)
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, related_name="hotline_aliases", verbose_name="部门"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    scope = "department"

    class Meta:
        ordering = ["alias"]
        verbose_name = "部门别名"

    def __str__(self):
        return self.alias

    @classmethod
    def scope_extra(cls, qs, scope, action):
        return _hotline_sees_all(qs, scope, action)
