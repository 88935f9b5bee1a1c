"""季度考核通报: the office's notice of a campaign's results, as a 公文 (.docx)."""

from django.utils import timezone

from lvzhi.core.documents import OfficialDocument
from lvzhi.org.models import Department, Region

from ..models import Assessment, plain, quantize
from ..services.results import category_label

STAR = "★"


def issuer_name():
    region = Region.objects.first()
    return f"{region.name}机构编制委员会办公室" if region else "机构编制委员会办公室"


def stars_text(stars):
    return STAR * (stars or 0)


def bulletin(user, campaign):
    """The 通报 of ``campaign`` (scored or published) as an ``OfficialDocument``."""
    issuer = issuer_name()
    rows = list(Assessment.objects.visible_to(user).filter(campaign=campaign, total__isnull=False)
                .select_related("department").order_by("rank_overall", "department__position", "department__code"))
    date = timezone.localtime(campaign.published_at).date() if campaign.published_at else timezone.localdate()
    doc = OfficialDocument(issuer=issuer, doc_no=campaign.doc_no or None, recipient="各有关部门",
                           title=f"关于{campaign.period_label}部门核心职能履行评估结果的通报")
    framework, star_rule = campaign.framework, campaign.star_rule
    doc.paragraph(
        f"根据《{framework.name}》（{framework.version}版）和《{star_rule.title}》（{star_rule.version}版），"
        f"{issuer}组织开展了{campaign.period_label}部门核心职能履行评估。{len(rows)}个部门参加评估，"
        "经部门自评、编办评审和平台指标核算，现将评估结果通报如下。")
    doc.heading("总体情况")
    if rows:
        totals = [r.total for r in rows]
        counts = {s: sum(1 for r in rows if r.stars == s) for s in range(5, 0, -1)}
        spread = "，".join(f"{s}星{counts[s]}个" for s in counts if counts[s])
        doc.paragraph(f"参评部门平均得分{plain(quantize(sum(totals) / len(totals)))}分，最高{plain(max(totals))}分，"
                      f"最低{plain(min(totals))}分。评星结果：{spread}。")
    doc.heading("评估结果")
    order = {c: i for i, c in enumerate(Department.Category.values)}
    for category in sorted({r.category for r in rows}, key=lambda c: order.get(c, 99)):
        members = sorted((r for r in rows if r.category == category), key=lambda r: (r.rank_category, r.pk))
        doc.heading(category_label(category), 2)
        doc.table(["类别内排名", "部门", "综合得分", "星级", "总排名"],
                  [[r.rank_category, r.department.name, plain(r.total), stars_text(r.stars), r.rank_overall]
                   for r in members], widths=[2, 6, 2, 2.5, 2])
    doc.heading("有关要求")
    low = [r.department.name for r in rows if r.stars is not None and r.stars <= 2]
    if low:
        doc.paragraph(f"{'、'.join(low)}评星结果为二星及以下，请对照评估意见认真分析原因，"
                      "制定改进措施，并在下一季度评估中报告改进情况。")
    doc.paragraph("各部门可登录职能运行监管平台查看本部门各项评估标准的评审意见、平台计算指标和得分明细。")
    if campaign.appeal_deadline:
        doc.paragraph(f"对评估结果有异议的，请于{campaign.appeal_deadline.year}年{campaign.appeal_deadline.month}月"
                      f"{campaign.appeal_deadline.day}日前通过平台对具体评估标准提出申诉，逾期不予受理。")
    doc.signature(issuer, date)
    doc.imprint(printed_by=issuer, printed_on=date)
    return doc
