"""XLSX exports: dispatch rules for the hotline platform, and the tables of the analysis pages
(indicators, returns analysis, hot topics).

All are small (one row per rule, per department, per month, per pair or per topic), so they are
built in memory and sent as an ordinary response. ``write_xlsx`` neutralises formula injection.
"""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from lvzhi.core.tabular import XLSX_CONTENT_TYPE, Sheet, write_xlsx


def xlsx_response(name, sheets):
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    return response

RULE_HEADER = ["规则编号", "争议事项编号", "争议事项", "派单关键词", "牵头单位编码", "牵头单位", "配合单位编码", "配合单位",
               "认定依据", "认定理由", "职责边界事项", "认定日期"]

INDICATOR_HEADER = ["受理量", "办结量", "办结率（%）", "按时办结", "应办结", "按时办结率（%）", "评价数", "满意率（%）",
                    "退单工单", "退单率（%）", "重复诉求", "重复诉求率（%）"]
INDICATOR_KEYS = ["received", "closed", "resolution_rate", "on_time", "due", "on_time_rate", "rated",
                  "satisfaction_rate", "returned", "return_rate", "repeats", "repeat_rate"]


def rule_row(decision):
    """One dispatch rule as a dict (the API) — and, in ``RULE_HEADER`` order, an XLSX row."""
    support = list(decision.support.all())
    point = decision.duty_point or decision.dispute.duty_point
    return {
        "code": decision.rule_code, "dispute": decision.dispute.number, "subject": decision.dispute.title,
        "keywords": decision.keywords.split(), "lead": decision.lead.code, "lead_name": decision.lead.name,
        "support": [d.code for d in support], "support_names": [d.name for d in support],
        "basis": decision.basis_summary, "reasoning": decision.reasoning,
        "matter": f"{point.link.matter.name}·{point.link.name}" if point else "",
        "decided_on": decision.decided_on.isoformat(),
    }


def _rule_cells(rule):
    return [rule["code"], rule["dispute"], rule["subject"], " ".join(rule["keywords"]), rule["lead"],
            rule["lead_name"], "、".join(rule["support"]), "、".join(rule["support_names"]), rule["basis"],
            rule["reasoning"], rule["matter"], rule["decided_on"]]


def dispatch_rules_response(decisions):
    rows = (_rule_cells(rule_row(d)) for d in decisions.select_related("dispute__duty_point__link__matter"))
    name = f"12345派单规则_{timezone.localdate():%Y%m%d}"
    return xlsx_response(name, [Sheet("派单规则", RULE_HEADER, rows)])


def indicators_response(data):
    sheets = [
        Sheet("各部门指标", ["部门", *INDICATOR_HEADER],
              ([d["department"], *(d[k] for k in INDICATOR_KEYS)] for d in data["departments"])),
        Sheet("月度趋势", ["月份", *INDICATOR_HEADER], ([d["month"], *(d[k] for k in INDICATOR_KEYS)] for d in data["trend"])),
        Sheet("部门月度明细", ["部门", "月份", *INDICATOR_HEADER],
              ([d["department"], d["month"], *(d[k] for k in INDICATOR_KEYS)] for d in data["monthly"])),
    ]
    return xlsx_response(f"12345热线指标_{data['period']}", sheets)


def returns_response(data):
    sheets = [
        Sheet("各部门退单", ["退单部门", "退单次数", "涉及工单", "被认定不成立"],
              ([d["department"], d["returns"], d["tickets"], d["overturned"]] for d in data["departments"])),
        Sheet("退单流向", ["退单部门", "改派或最终承办部门", "退单次数"],
              ([f["from"], f["to"], f["returns"]] for f in data["flows"])),
        Sheet("相互退单", ["部门甲", "部门乙", "甲→乙", "乙→甲", "合计"],
              ([p["a"], p["b"], p["a_to_b"], p["b_to_a"], p["total"]] for p in data["pairs"])),
    ]
    return xlsx_response(f"12345退单分析_{data['period']}", sheets)


def topics_response(data):
    topics = data["topics"]
    sheets = [
        Sheet("热点诉求", ["排名", "话题", "约计件数", "占比（%）"],
              ([i, "、".join(t["words"]), t["count"], t["share"]] for i, t in enumerate(topics, 1))),
        Sheet("示例工单", ["排名", "话题", "工单编号", "诉求内容"],
              ([i, "、".join(t["words"]), no, content]
               for i, t in enumerate(topics, 1) for _, no, content in t["examples"])),
    ]
    return xlsx_response(f"12345急难愁盼热点_{data['period']}", sheets)
