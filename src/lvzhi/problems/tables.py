import django_tables2 as tables
from django.utils.html import format_html

from .models import Inspection, Problem, Survey

STATE_BADGES = {
    "analysis": "secondary", "feedback": "info", "rectification": "primary", "evaluation": "warning",
    "closed": "success", "withdrawn": "light",
}


class ProblemTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=True)
    title = tables.Column(verbose_name="问题", linkify=True)
    category = tables.Column(verbose_name="问题类别", accessor="category__name", default="未分类")
    department = tables.Column(verbose_name="责任部门", accessor="department__label", order_by="department__position")
    related = tables.Column(verbose_name="相关部门", accessor="pk", orderable=False)
    source = tables.Column(verbose_name="来源")
    severity = tables.Column(verbose_name="严重程度")
    state = tables.Column(verbose_name="状态")
    deadline = tables.Column(verbose_name="整改期限")
    rounds = tables.Column(verbose_name="退回", default=0)
    found_on = tables.DateColumn(verbose_name="发现日期", format="Y-m-d")

    class Meta:
        model = Problem
        fields = ["number", "title", "category", "department", "related", "source", "severity", "state",
                  "deadline", "rounds", "found_on"]
        order_by = ("-found_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "ledger"}

    def render_related(self, record):
        return "、".join(d.label for d in record.related_departments.all()) or "—"

    def render_state(self, record):
        return format_html('<span class="badge bg-{} text-{}">{}</span>', STATE_BADGES[record.state],
                           "dark" if record.state == "withdrawn" else "white", record.get_state_display())

    def render_deadline(self, record, value):
        if value is None:
            return "—"
        text = f"{value:%Y-%m-%d}"
        if record.is_overdue():
            return format_html('<span class="text-danger fw-bold">{}（逾期）</span>', text)
        return text


class InspectionTable(tables.Table):
    title = tables.Column(verbose_name="调研名称", linkify=True)
    departments = tables.Column(verbose_name="调研部门", accessor="pk", orderable=False)

    class Meta:
        model = Inspection
        fields = ["title", "visit_on", "departments", "status"]

    def render_departments(self, record):
        return "、".join(d.label for d in record.departments.all())


class SurveyTable(tables.Table):
    title = tables.Column(verbose_name="调查名称", linkify=True)
    departments = tables.Column(verbose_name="调查部门", accessor="pk", orderable=False)

    class Meta:
        model = Survey
        fields = ["title", "period_start", "period_end", "departments", "threshold"]

    def render_departments(self, record):
        return "、".join(d.label for d in record.departments.all())
