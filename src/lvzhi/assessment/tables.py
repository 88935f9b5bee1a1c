import django_tables2 as tables

from .models import Appeal, Campaign


class CampaignTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="批次名称")
    period = tables.Column(verbose_name="考核期间", accessor="period_label", order_by=("period",))
    status = tables.Column(verbose_name="状态")
    self_deadline = tables.DateColumn(format="Y-m-d", verbose_name="自评截止")
    framework = tables.Column(verbose_name="评估框架版本", accessor="framework__version", orderable=False)
    published_at = tables.DateTimeColumn(format="Y-m-d", verbose_name="发布时间", default="—")

    class Meta:
        model = Campaign
        fields = ["name", "period", "status", "self_deadline", "framework", "published_at"]
        order_by = ("-period",)


class AppealTable(tables.Table):
    id = tables.Column(verbose_name="编号", linkify=True)
    campaign = tables.Column(verbose_name="考核批次", accessor="assessment__campaign__name", orderable=False)
    department = tables.Column(verbose_name="部门", accessor="assessment__department__label",
                               order_by=("assessment__department__code",))
    criterion = tables.Column(verbose_name="评估标准", accessor="score__criterion__name", orderable=False)
    status = tables.Column(verbose_name="状态")
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="提出时间")

    class Meta:
        model = Appeal
        fields = ["id", "campaign", "department", "criterion", "status", "created_at"]
        order_by = ("-created_at",)
