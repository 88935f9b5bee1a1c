"""流程再造: a cross-department process as steps (who does what, in how many working days, after
which other steps, with which materials), its redesigns, and the actual times of real cases."""

from django.db import models
from django.urls import reverse

from lvzhi.org.models import Department
from lvzhi.core.models import Model

# A department sees a process it leads or takes part in; only the office edits processes.
PROCESS_SCOPE = ("department", "steps__department")


def through_process(prefix):
    return tuple(f"{prefix}__{path}" for path in PROCESS_SCOPE)


class Process(Model):
    class Status(models.TextChoices):
        CURRENT = "current", "现行流程"
        PROPOSED = "proposed", "再造方案"
        SUPERSEDED = "superseded", "已被替代"

    name = models.CharField("流程名称", max_length=200)
    description = models.TextField("说明", blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="牵头部门"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.CURRENT, db_index=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redesigns", verbose_name="再造前流程"
    )
    adopted_on = models.DateField("采用日期", null=True, blank=True)

    scope = PROCESS_SCOPE

    class Meta:
        ordering = ["name", "-pk"]
        verbose_name = "流程"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reform:process", args=[self.pk])

    @property
    def editable(self):
        """An adopted redesign is the record of what was decided: change it through a new redesign."""
        return self.status != self.Status.SUPERSEDED and self.adopted_on is None


class ProcessStep(Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps", verbose_name="流程")
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("环节名称", max_length=100)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name="办理部门")
    unit = models.CharField("承办科室（单位）", max_length=100, blank=True)
    days = models.DecimalField("办理时限（工作日）", max_digits=5, decimal_places=1)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name="前置环节"
    )
    description = models.TextField("办理内容", blank=True)

    scope = through_process("process")

    class Meta:
        ordering = ["process", "position", "pk"]
        verbose_name = "流程环节"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.process.get_absolute_url()


class StepMaterial(Model):
    class Source(models.TextChoices):
        APPLICANT = "applicant", "申请人提交"
        SHARING = "sharing", "数据共享获取"
        PRODUCED = "produced", "本环节产生"

    step = models.ForeignKey(ProcessStep, on_delete=models.CASCADE, related_name="materials", verbose_name="环节")
    name = models.CharField("材料名称", max_length=200)
    source = models.CharField("来源", max_length=20, choices=Source.choices)

    scope = through_process("step__process")

    class Meta:
        ordering = ["step", "source", "pk"]
        verbose_name = "环节材料"

    def __str__(self):
        return self.name


class CaseRecord(Model):
    """办件实际用时: one real case handled under a process, to compare with the modelled time."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="cases", verbose_name="流程")
    case_no = models.CharField("办件编号", max_length=60)
    received_on = models.DateField("受理日期")
    finished_on = models.DateField("办结日期")
    working_days = models.PositiveIntegerField("实际用时（工作日）")
    note = models.CharField("备注", max_length=300, blank=True)

    scope = through_process("process")

    class Meta:
        ordering = ["process", "-received_on", "pk"]
        verbose_name = "办件实际用时"
        constraints = [models.UniqueConstraint(fields=["process", "case_no"], name="unique_case_per_process")]

    def __str__(self):
        return self.case_no

    def get_absolute_url(self):
        return self.process.get_absolute_url()
