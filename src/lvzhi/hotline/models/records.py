"""Records of the hotline machinery rather than of a department: import runs, the learned routing
model and the loaded hotline rules. They are plain models outside the department scoping (like
core's Job); pages showing them are limited to the office and the hotline by role."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import LibraryVersion


class ImportRun(models.Model):
    """One import of a tickets file (and its returns file) or one intake API call.

    Bulk imports write rows without per-row audit entries; this record (itself audited) is the
    audit trail of the file: who, when, which files, what it changed and what it refused.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", "页面上传"
        COMMAND = "command", "命令行"
        API = "api", "接口推送"
        DEMO = "demo", "演示数据"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已导入"
        REFUSED = "refused", "未导入（有错误）"
        FAILED = "failed", "失败"

    source = models.CharField("来源", max_length=10, choices=Source.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    tickets_name = models.CharField("工单文件", max_length=255, blank=True)
    returns_name = models.CharField("退单文件", max_length=255, blank=True)
    tickets_file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returns_file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accept_good_rows = models.BooleanField("仅导入正确的行", default=False)
    committed = models.BooleanField("已写入", default=False)
    tickets_created = models.PositiveIntegerField("新增工单", default=0)
    tickets_updated = models.PositiveIntegerField("更新工单", default=0)
    tickets_unchanged = models.PositiveIntegerField("未变工单", default=0)
    returns_created = models.PositiveIntegerField("新增退单", default=0)
    returns_updated = models.PositiveIntegerField("更新退单", default=0)
    returns_unchanged = models.PositiveIntegerField("未变退单", default=0)
    rejected = models.PositiveIntegerField("拒绝行数", default=0)
    seconds = models.FloatField("用时（秒）", null=True, blank=True)
    report = models.JSONField("导入报告", default=dict, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "工单导入记录"

    def __str__(self):
        names = "、".join(n for n in (self.tickets_name, self.returns_name) if n)
        return f"{self.get_source_display()} {names or timezone.localtime(self.created_at).strftime('%Y-%m-%d %H:%M')}"

    def get_absolute_url(self):
        return reverse("hotline:import-run", args=[self.pk])

    @property
    def lines(self):
        return self.report.get("lines", [])

    @property
    def can_retry_good_rows(self):
        return self.status == self.Status.REFUSED and not self.report.get("file_errors") and bool(
            self.tickets_file_id or self.returns_file_id
        )


class RoutingModel(models.Model):
    """The routing model learned from historical tickets' final handlers (one current row)."""

    trained_at = models.DateTimeField("训练时间", default=timezone.now)
    samples = models.PositiveIntegerField("训练样本数")
    payload = models.BinaryField("模型参数")
    metrics = models.JSONField("评估结果", default=dict, blank=True)
    is_current = models.BooleanField("现行", default=True)

    class Meta:
        ordering = ["-trained_at"]
        verbose_name = "派单建议模型"

    def __str__(self):
        return f"派单建议模型 {self.trained_at:%Y-%m-%d %H:%M}"


class RuleSet(LibraryVersion):
    """热线规则 (time limits per request kind, topic stop words, grouping thresholds), from a
    ``hotline_rules`` library file; the newest loaded version is current."""

    data = models.JSONField("规则")

    class Meta(LibraryVersion.Meta):
        verbose_name = "热线规则库"
