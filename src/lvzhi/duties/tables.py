import django_tables2 as tables
from django.utils.html import format_html

from .models import DutyTask, MandateCheck, Matter, PowerAdjustment, PowerItem, PowerList


class MatterTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="事项名称")
    published = tables.BooleanColumn(verbose_name="已公开", yesno="是,否")

    class Meta:
        model = Matter
        fields = ["code", "name", "description", "published"]


class PowerListTable(tables.Table):
    department = tables.Column(verbose_name="部门", accessor="department__name", linkify=lambda record: record.get_absolute_url())
    current_label = tables.Column(verbose_name="现行版本", default="—", orderable=False)
    current_date = tables.DateColumn(verbose_name="发布日期", format="Y-m-d", default="—", orderable=False)
    current_items = tables.Column(verbose_name="事项数", default=0, orderable=False)
    draft_label = tables.Column(verbose_name="草稿", default="", orderable=False)
    approved = tables.Column(verbose_name="已同意待发布", default=0, orderable=False)

    class Meta:
        model = PowerList
        fields = ["department"]
        order_by = ("department",)


class PowerItemTable(tables.Table):
    code = tables.Column(verbose_name="职权编码", linkify=True)
    department = tables.Column(verbose_name="部门", accessor="department__label", order_by=("department__code",))
    type = tables.Column(verbose_name="职权类型")
    name = tables.Column(verbose_name="职权名称", linkify=True)
    sub_item = tables.Column(verbose_name="子项名称", default="")
    edition = tables.Column(verbose_name="版本", accessor="edition__label", order_by=("edition__pk",))
    basis = tables.Column(verbose_name="设定依据", default="")

    class Meta:
        model = PowerItem
        fields = ["code", "department", "type", "name", "sub_item", "basis", "edition"]

    def render_basis(self, value):
        return value if len(value) <= 60 else value[:60] + "…"


class EditionItemTable(PowerItemTable):
    class Meta(PowerItemTable.Meta):
        fields = ["code", "type", "name", "sub_item", "unit", "basis"]
        exclude = ["department", "edition"]


class AdjustmentTable(tables.Table):
    id = tables.Column(verbose_name="编号", linkify=True)
    department = tables.Column(verbose_name="部门", accessor="power_list__department__label",
                               order_by=("power_list__department__code",))
    kind = tables.Column(verbose_name="调整类型")
    item_code = tables.Column(verbose_name="职权编码")
    name = tables.Column(verbose_name="职权名称", default="")
    status = tables.Column(verbose_name="状态")
    applied_in = tables.Column(verbose_name="发布版本", accessor="applied_in__label", default="")
    created_at = tables.DateTimeColumn(verbose_name="起草时间", format="Y-m-d H:i")

    class Meta:
        model = PowerAdjustment
        fields = ["id", "department", "kind", "item_code", "name", "status", "applied_in", "created_at"]


class TaskTable(tables.Table):
    department = tables.Column(verbose_name="部门", accessor="duty__mandate__department__label",
                               order_by=("duty__mandate__department__code",))
    duty = tables.Column(verbose_name="主要职责", accessor="duty__number", order_by=("duty__number",))
    text = tables.Column(verbose_name="任务内容", linkify=True)
    unit = tables.Column(verbose_name="承办机构", accessor="unit__name", default="")
    active = tables.BooleanColumn(verbose_name="启用", yesno="是,否")

    class Meta:
        model = DutyTask
        fields = ["department", "duty", "text", "unit", "active"]

    def render_duty(self, value):
        return f"第{value}项"


class CheckTable(tables.Table):
    id = tables.Column(verbose_name="编号", linkify=True)
    department = tables.Column(verbose_name="部门", accessor="department__label", order_by=("department__code",))
    period = tables.Column(verbose_name="期间")
    target = tables.Column(verbose_name="检查对象", empty_values=(), orderable=False)
    result = tables.Column(verbose_name="履职情况", default="—")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = MandateCheck
        fields = ["id", "department", "period", "target", "result", "status"]

    def render_period(self, record):
        return record.period_label

    def render_target(self, record):
        label = f"第{record.duty.number}项职责"
        if record.task_id:
            return format_html("{}·任务：{}", label, str(record.task))
        return label

