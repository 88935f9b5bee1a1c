import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from . import periods
from .models import ActualUnit, Process, Proposal, WorkloadFigure


class ProcessTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="流程名称")
    department = tables.Column(verbose_name="牵头部门", accessor="department__label", order_by=("department__code",))
    status = tables.Column(verbose_name="状态")
    based_on = tables.Column(verbose_name="再造前流程", linkify=True, default="—")
    adopted_on = tables.DateColumn(verbose_name="采用日期", format="Y-m-d", default="—")
    step_count = tables.Column(verbose_name="环节数", orderable=False)

    class Meta:
        model = Process
        fields = ["name", "department", "status", "based_on", "adopted_on", "step_count"]


class ProposalTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="事项名称")
    department = tables.Column(verbose_name="涉及部门", accessor="department__label", order_by=("department__code",))
    origin = tables.Column(verbose_name="提出方")
    state = tables.Column(verbose_name="状态")
    updated_at = tables.DateTimeColumn(verbose_name="更新时间", format="Y-m-d H:i")

    class Meta:
        model = Proposal
        fields = ["title", "department", "origin", "state", "updated_at"]


class FigureTable(tables.Table):
    department = tables.Column(verbose_name="部门", accessor="department__label", order_by=("department__code",))
    period = tables.Column(verbose_name="期间")
    indicator = tables.Column(verbose_name="指标")
    value = tables.Column(verbose_name="数值")
    edit = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = WorkloadFigure
        fields = ["department", "period", "indicator", "value", "note", "edit"]

    def __init__(self, *args, indicators=None, can_edit=False, **kwargs):
        self.indicators = indicators or {}
        self.can_edit = can_edit
        super().__init__(*args, **kwargs)

    def render_period(self, value):
        return periods.label(value)

    def render_indicator(self, value):
        return self.indicators.get(value, value)

    def render_edit(self, record):
        if not self.can_edit:
            return ""
        return format_html('<a href="{}">修改</a>', reverse("reform:figure-edit", args=[record.pk]))


class ActualUnitTable(tables.Table):
    department = tables.Column(verbose_name="部门", accessor="department__label", order_by=("department__code",))
    edit = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = ActualUnit
        fields = ["department", "name", "duties", "as_of", "note", "edit"]

    def __init__(self, *args, can_edit=False, **kwargs):
        self.can_edit = can_edit
        super().__init__(*args, **kwargs)

    def render_edit(self, record):
        if not self.can_edit:
            return ""
        return format_html('<a href="{}">修改</a>', reverse("reform:unit-edit", args=[record.pk]))
