"""Files the reform module writes: the 请示 of a proposal (公文 .docx), the efficiency report and
the import templates (XLSX)."""

from lvzhi.core.documents import OfficialDocument
from lvzhi.core.tabular import Sheet, xlsx_response
from lvzhi.org.models import Mandate, Region, StaffingActual, StaffingQuota
from lvzhi.org.services import staffing_rows

from .models import Proposal
from .services.processes import CASE_COLUMNS
from .services.staffing import FIGURE_COLUMNS


def office_name():
    region = Region.objects.first()
    return f"{region.name if region else ''}机构编制委员会办公室"


def proposal_document(proposal):
    """The 请示 of a proposal, addressed upward: from the office to the 编委, or from a department
    to the office. It describes the mandate as it stood before the proposal was carried out."""
    changes = list(proposal.changes.select_related("to_department"))
    evidence = list(proposal.evidence.all())
    mandates = Mandate.objects.filter(department=proposal.department)
    if proposal.state == Proposal.State.CARRIED_OUT:
        mandate = mandates.filter(superseded_by__in=proposal.mandates.all()).first()
    else:
        mandate = mandates.filter(is_current=True).first()
    quota = StaffingQuota.objects.filter(mandate=mandate).first() if mandate else None
    staffing = staffing_rows(quota, StaffingActual.objects.filter(department=proposal.department).first())
    from_office = proposal.origin == Proposal.Origin.OFFICE
    issuer = office_name() if from_office else proposal.department.name
    recipient = office_name().replace("办公室", "") if from_office else office_name()
    title = proposal.title if proposal.title.endswith("请示") else f"关于{proposal.title}的请示"
    doc = OfficialDocument(issuer=issuer, doc_no=proposal.doc_no or None, title=title, recipient=recipient,
                           signer=proposal.signer or None)
    doc.heading("基本情况")
    basis = f"，现行三定规定为《{mandate.title}》" + (f"（{mandate.doc_no}）" if mandate.doc_no else "") if mandate else ""
    doc.paragraph(f"{proposal.department.name}{basis}。")
    if staffing:
        doc.table(["类别", "核定数", "实有数", "空缺（-超出）"],
                  [[r.label, r.quota if r.quota is not None else "—", r.actual if r.actual is not None else "—",
                    (r.quota - r.actual) if r.quota is not None and r.actual is not None else "—"]
                   for r in staffing], widths=[3, 2, 2, 2])
    if proposal.background:
        doc.paragraph(proposal.background)
    doc.heading("调整理由和依据")
    doc.paragraph(proposal.reason)
    if evidence:
        doc.paragraph("主要依据如下：")
        doc.table(["序号", "类别", "依据", "说明"],
                  [[i, e.get_kind_display(), e.label, e.note] for i, e in enumerate(evidence, 1)],
                  widths=[1, 2, 7, 4], font_size=12)
    doc.heading("拟调整事项")
    for i, change in enumerate(changes, 1):
        doc.paragraph(f"{i}.{change.describe().rstrip('。')}。")
    doc.paragraph("妥否，请批示。")
    doc.signature(issuer, proposal.submitted_at.date() if proposal.submitted_at else None)
    if proposal.created_by and proposal.created_by.display_name:
        doc.note(f"联系人：{proposal.created_by.display_name}")
    return doc


def staffing_response(report):
    """The efficiency report as a workbook: one row per department, then the violations."""
    header = ["部门编码", "部门", "部门类别", "核定编制", "实有人数", "空编率", "领导职数", "实配领导"]
    header += [f"{i.label}（{i.unit}）" for i in report.indicators] + ["异常指标"]
    rows = []
    for r in report.rows:
        d = r.department
        rows.append([
            d.code, d.name, d.get_category_display(), r.posts, r.people,
            round(r.vacancy_rate, 4) if r.vacancy_rate is not None else None, r.leader_posts, r.leaders,
            *[r.workload.get(i.key) for i in report.indicators],
            "；".join(f"{o.label}{o.direction}" for o in r.outliers.values()),
        ])
    violations = [[v.department.code, v.department.name, v.rule.name, v.message,
                   v.finding.problem_number if v.finding else ""] for v in report.violations]
    return xlsx_response(f"编制效能分析（{report.period_label}）", [
        Sheet("编制效能", header, rows),
        Sheet("合规问题", ["部门编码", "部门", "规则", "情况", "已立问题"], violations),
    ])


def template_response(kind):
    columns, title, example = {
        "cases": (CASE_COLUMNS, "办件实际用时导入模板", ["2026-0001", "2026-03-02", "2026-03-20", ""]),
        "figures": (FIGURE_COLUMNS, "工作量数据导入模板", ["SCJGJ", "2025", "办件量", "1200", ""]),
    }[kind]
    return xlsx_response(title, [Sheet("数据", [c.label for c in columns], [example])])
