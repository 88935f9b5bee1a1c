"""编制 efficiency and compliance: workload figures the office enters per period, the internal units a
department actually runs, violations opened as problems, and the compliance rules library."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import LibraryVersion, Model
from lvzhi.org.models import Department


class WorkloadFigure(Model):
    """A workload figure for one department and period (办件量, 检查户次, 案件数…)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name="部门")
    period = models.CharField("期间", max_length=8, help_text="年度如 2025，季度如 2025Q3，半年如 2025H1")
    indicator = models.CharField("指标", max_length=40)
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    note = models.CharField("备注", max_length=300, blank=True)

    scope = "department"

    class Meta:
        ordering = ["-period", "department__position", "department__code", "indicator"]
        verbose_name = "工作量数据"
        constraints = [
            models.UniqueConstraint(fields=["department", "period", "indicator"], name="unique_workload_figure")
        ]

    def __str__(self):
        return f"{self.department.label} {self.period} {self.indicator}"

    def get_absolute_url(self):
        return reverse("reform:figures") + f"?department={self.department_id}"


class ActualUnit(Model):
    """实设内设机构: an internal unit a department actually runs, compared with its mandate."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name="部门")
    name = models.CharField("机构名称", max_length=100)
    duties = models.TextField("实际承担职责", blank=True)
    as_of = models.DateField("核查日期", default=timezone.localdate)
    note = models.CharField("备注", max_length=300, blank=True)

    scope = "department"

    class Meta:
        ordering = ["department__position", "department__code", "name"]
        verbose_name = "实设内设机构"
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="unique_actual_unit")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reform:units") + f"?department={self.department_id}"


class StaffingFinding(Model):
    """A compliance rule violation that the office opened as a problem (so it is not opened twice)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name="部门")
    rule = models.CharField("规则", max_length=40)
    subject = models.CharField("对象", max_length=100)
    message = models.TextField("情况")
    problem_id = models.PositiveIntegerField("问题", null=True, blank=True)
    problem_number = models.CharField("问题编号", max_length=30, blank=True)

    scope = "department"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "编制合规问题"
        constraints = [
            models.UniqueConstraint(fields=["department", "rule", "subject"], name="unique_staffing_finding")
        ]

    def __str__(self):
        return self.message

    def get_absolute_url(self):
        return reverse("reform:staffing") + f"?department={self.department_id}"


class StaffingRuleSet(LibraryVersion):
    """A loaded version of the compliance rules library (``staffing_rules.yaml``)."""

    data = models.JSONField("规则")

    class Meta(LibraryVersion.Meta):
        ordering = ["-loaded_at"]
        verbose_name = "编制合规规则库"
