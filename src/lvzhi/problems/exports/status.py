"""整改情况报告 per department or city-wide, as .docx (公文) and .xlsx, from ``services.status_report``."""

from lvzhi.core.documents import OfficialDocument, format_date
from lvzhi.core.tabular import Sheet, xlsx_response

from .common import office_name


def _rate(report):
    return f"{report.on_time_rate}%" if report.on_time_rate is not None else "—"


def status_docx(report):
    office = office_name()
    doc = OfficialDocument(title=f"{report.scope_label}职能运行监管问题整改情况报告")
    doc.paragraph(
        f"截至{format_date(report.today)}，{report.scope_label}共有职能运行监管问题 {report.total} 个（不含已撤回），"
        f"已提交整改完成报告 {report.completed} 个，按期完成率 {_rate(report)}，"
        f"逾期未完成 {len(report.overdue)} 个，经评估退回重新整改的 {len(report.rejected)} 个。"
    )
    doc.heading("按状态统计", 1)
    doc.table(["状态", "问题数"], report.by_state, widths=[3, 1])
    doc.heading("按问题类别统计", 1)
    doc.table(["问题类别", "问题数"], report.by_category or [("—", 0)], widths=[3, 1])
    doc.heading("按问题来源统计", 1)
    doc.table(["问题来源", "问题数"], report.by_source or [("—", 0)], widths=[3, 1])
    if report.by_department:
        doc.heading("各部门整改情况", 1)
        doc.table(["部门", "问题数", "已销号", "整改中", "逾期", "曾退回"],
                  [(d["department__name"], d["total"], d["closed"], d["open"], d["overdue"], d["rounds"])
                   for d in report.by_department], widths=[4, 1, 1, 1, 1, 1])
    doc.heading("逾期未完成问题", 1)
    if report.overdue:
        doc.table(["编号", "问题", "责任部门", "整改期限"],
                  [(p.number, p.title, p.department.name, p.deadline) for p in report.overdue], widths=[2, 5, 3, 2])
    else:
        doc.paragraph("无。")
    doc.heading("退回重新整改情况", 1)
    if report.rejected:
        doc.table(["编号", "问题", "责任部门", "退回次数", "状态"],
                  [(p.number, p.title, p.department.name, p.rounds, p.get_state_display()) for p in report.rejected],
                  widths=[2, 5, 3, 1, 1])
    else:
        doc.paragraph("无。")
    doc.signature(office, report.today)
    return doc


def status_docx_response(report):
    return status_docx(report).to_response(f"{report.scope_label}整改情况报告{report.today:%Y%m%d}.docx")


def status_xlsx_response(report):
    sheets = [
        Sheet("概况", ["项目", "数值"], [
            ("统计范围", report.scope_label), ("统计日期", report.today), ("问题总数", report.total),
            ("已提交完成报告", report.completed), ("按期完成", report.on_time), ("按期完成率", _rate(report)),
            ("逾期未完成", len(report.overdue)), ("曾退回", len(report.rejected)),
        ]),
        Sheet("按状态", ["状态", "问题数"], report.by_state),
        Sheet("按类别", ["问题类别", "问题数"], report.by_category),
        Sheet("按来源", ["问题来源", "问题数"], report.by_source),
        Sheet("逾期清单", ["编号", "问题", "责任部门", "整改期限"],
              [(p.number, p.title, p.department.name, p.deadline) for p in report.overdue]),
        Sheet("退回情况", ["编号", "问题", "责任部门", "退回次数", "状态"],
              [(p.number, p.title, p.department.name, p.rounds, p.get_state_display()) for p in report.rejected]),
    ]
    if report.by_department:
        sheets.insert(1, Sheet("各部门", ["部门", "问题数", "已销号", "整改中", "逾期", "曾退回"], [
            (d["department__name"], d["total"], d["closed"], d["open"], d["overdue"], d["rounds"])
            for d in report.by_department]))
    return xlsx_response(f"{report.scope_label}整改情况报告{report.today:%Y%m%d}.xlsx", sheets)
