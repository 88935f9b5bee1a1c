"""整改通知书 (.docx, 公文 format) written from a RectificationNotice."""

from lvzhi.core.documents import OfficialDocument, format_date

from .common import office_name


def notice_document(notice):
    p = notice.problem
    office = office_name()
    doc = OfficialDocument(issuer=office, doc_no=notice.doc_no, title="整改通知书", recipient=p.department.name)
    doc.paragraph(
        f"根据职能运行监管工作安排，我办在{_source_phrase(p)}中发现你单位存在以下问题，"
        f"现将有关情况反馈如下，请认真抓好整改。"
    )
    doc.heading("问题情况", 1)
    doc.paragraph(f"问题编号：{p.number}")
    doc.paragraph(f"问题名称：{p.title}")
    if p.type_id:
        doc.paragraph(f"问题类别：{p.category.name}（{p.type.name}）")
    doc.paragraph(p.description)
    if p.policy_basis:
        doc.heading("政策依据", 1)
        doc.paragraph(p.policy_basis)
    doc.heading("整改要求", 1)
    doc.paragraph(notice.requirements)
    doc.heading("整改时限", 1)
    doc.paragraph(
        f"请于收到本通知后签收，并于{format_date(notice.deadline)}前（{notice.deadline_days}个工作日内）"
        "完成整改，通过履职平台报送整改完成报告及佐证材料。确需延期的，应在期限届满前提出延期申请并说明理由。"
    )
    related = list(p.related_departments.all())
    if related:
        doc.paragraph(f"本问题涉及{'、'.join(d.name for d in related)}，请主动加强沟通协调，共同推进整改。")
    doc.signature(office, notice.issued_on)
    return doc


def _source_phrase(problem):
    return {
        "inspection": "现场调研督导", "survey": "服务对象意见调查", "hotline": "12345热线工单分析",
        "discipline": "与纪检监察机关的信息共享", "tour": "巡察移交的问题线索", "audit": "审计移交的问题线索",
        "assessment": "职能运行评估", "self": "部门自查", "mandate_check": "三定规定执行情况检查",
    }.get(problem.source, "职能运行监管")


def notice_response(notice):
    return notice_document(notice).to_response(f"整改通知书-{notice.problem.number}.docx")
