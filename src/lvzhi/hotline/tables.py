"""Tables of the hotline lists."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from .models import Dispute, ImportRun, Ticket


class TicketTable(tables.Table):
    ticket_no = tables.Column(verbose_name="工单编号", linkify=True)
    received_at = tables.DateTimeColumn(verbose_name="受理时间", format="Y-m-d H:i")
    kind = tables.Column(verbose_name="诉求类型")
    content = tables.Column(verbose_name="诉求内容", orderable=False)
    handler = tables.Column(verbose_name="承办单位", accessor="handler_name", orderable=False)
    closed_at = tables.DateTimeColumn(verbose_name="办结时间", format="Y-m-d H:i", default="未办结")
    satisfaction = tables.Column(verbose_name="满意度", default="—")
    return_count = tables.Column(verbose_name="退单", orderable=False, default=0)

    class Meta:
        model = Ticket
        fields = ["ticket_no", "received_at", "kind", "content", "handler", "closed_at", "satisfaction",
                  "return_count"]
        order_by = ("-received_at",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "tickets"}

    def render_content(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def render_handler(self, record):
        if record.handler_id:
            return record.handler.label
        return format_html('<span class="text-warning" title="未匹配到部门">{}</span>', record.handler_name or "—")

    def render_return_count(self, value):
        return format_html('<span class="badge bg-warning text-dark">{}</span>', value) if value else "—"


class DisputeTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=True)
    title = tables.Column(verbose_name="争议事项", linkify=True)
    state = tables.Column(verbose_name="状态")
    departments = tables.Column(verbose_name="涉及部门", accessor="pk", orderable=False)
    ticket_count = tables.Column(verbose_name="工单数")
    return_count = tables.Column(verbose_name="退单次数")
    last_at = tables.DateTimeColumn(verbose_name="最近受理", format="Y-m-d")

    class Meta:
        model = Dispute
        fields = ["number", "title", "state", "departments", "ticket_count", "return_count", "last_at"]
        attrs = {"class": "table table-sm table-hover align-middle", "id": "disputes"}

    def render_departments(self, record):
        names = [d.label for d in record.departments.all()]
        return "、".join(names[:5]) + ("等" if len(names) > 5 else "")

    def render_state(self, record):
        colour = "success" if record.state == Dispute.State.DECIDED else "warning text-dark"
        return format_html('<span class="badge bg-{}">{}</span>', colour, record.get_state_display())


class ImportRunTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i", linkify=True)
    source = tables.Column(verbose_name="来源")
    files = tables.Column(verbose_name="文件", accessor="pk", orderable=False)
    status = tables.Column(verbose_name="结果")
    counts = tables.Column(verbose_name="工单（新增/更新/未变）", accessor="pk", orderable=False)
    returns = tables.Column(verbose_name="退单（新增/更新/未变）", accessor="pk", orderable=False)
    rejected = tables.Column(verbose_name="错误行")
    created_by = tables.Column(verbose_name="操作人", default="命令行")

    class Meta:
        model = ImportRun
        fields = ["created_at", "source", "files", "status", "counts", "returns", "rejected", "created_by"]
        attrs = {"class": "table table-sm table-hover align-middle", "id": "import-runs"}

    def render_created_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def render_files(self, record):
        return "、".join(n for n in (record.tickets_name, record.returns_name) if n) or "—"

    def render_counts(self, record):
        return f"{record.tickets_created} / {record.tickets_updated} / {record.tickets_unchanged}"

    def render_returns(self, record):
        return f"{record.returns_created} / {record.returns_updated} / {record.returns_unchanged}"
