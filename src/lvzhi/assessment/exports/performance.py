"""Results into the city's 高质量发展绩效考核: each department's converted score at a weight."""

from lvzhi.core.tabular import Sheet, xlsx_response

from ..models import Assessment, quantize
from ..services.results import category_label

HEADER = ["序号", "部门编码", "部门名称", "部门类别", "职能运行综合得分", "星级", "类别内排名", "总排名",
          "绩效考核权重", "折算得分", "考核期间", "评估框架版本"]


def performance_sheets(user, campaign, weight):
    rows = (Assessment.objects.visible_to(user).filter(campaign=campaign, total__isnull=False)
            .select_related("department").order_by("rank_overall", "department__position", "department__code"))
    data = (
        [i, a.department.code, a.department.name, category_label(a.category), a.total, a.stars, a.rank_category,
         a.rank_overall, weight, quantize(a.total * weight), campaign.period_label, campaign.framework.version]
        for i, a in enumerate(rows, 1)
    )
    notes = [
        ["折算得分", "职能运行综合得分（百分制）× 绩效考核权重，保留两位小数"],
        ["绩效考核权重", f"{weight}（默认取自评星规则 {campaign.star_rule.version} 版，可在导出时调整）"],
        ["考核批次", campaign.name],
        ["结果状态", campaign.get_status_display()],
    ]
    return [Sheet("绩效考核折算", HEADER, data), Sheet("说明", ["项目", "说明"], notes)]


def performance_response(user, campaign, weight):
    return xlsx_response(f"{campaign.name}-高质量发展绩效考核折算", performance_sheets(user, campaign, weight))
