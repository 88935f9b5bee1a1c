"""The columns of interchange.md §3 (tickets and returns files), with the header aliases hotline
exports use, and the accepted words for request kind and satisfaction."""

from django.utils import timezone

from lvzhi.core import tabular
from lvzhi.core.tabular import Column

from ..models import Kind, Satisfaction


def moment_cell(value):
    """An XLSX date-time cell as canonical local text; text cells are left to the row checks."""
    if value is None or isinstance(value, str):
        return tabular.text(value)
    moment = tabular.datetime(value)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


TICKET_COLUMNS = (
    Column("ticket_no", "工单编号", ("工单号", "工单编码", "受理编号"), required=True),
    Column("received_at", "受理时间", ("来电时间", "登记时间", "受理日期", "创建时间"), required=True, parse=moment_cell),
    Column("content", "诉求内容", ("来电内容", "工单内容", "诉求描述", "问题描述"), required=True),
    Column("kind", "诉求类型", ("工单类型", "来电类型", "诉求分类")),
    Column("address", "诉求地址", ("事发地址", "事发地点", "地址")),
    Column("handler", "承办单位", ("办理单位", "承办部门", "责任单位", "处理单位")),
    Column("closed_at", "办结时间", ("结案时间", "完成时间", "办结日期"), parse=moment_cell),
    Column("result", "办理结果", ("处理结果", "答复内容", "回复内容", "办理情况")),
    Column("satisfaction", "满意度", ("回访满意度", "评价结果", "满意度评价")),
)

RETURN_COLUMNS = (
    Column("ticket_no", "工单编号", ("工单号", "工单编码", "受理编号"), required=True),
    Column("returned_at", "退单时间", ("退回时间", "回退时间", "申请退单时间"), required=True, parse=moment_cell),
    Column("from_department", "退单单位", ("退回单位", "退单部门", "申请退单单位"), required=True),
    Column("reason", "退单原因", ("退回原因", "回退原因", "退单理由"), required=True),
    Column("to_department", "改派单位", ("改派部门", "重新派发单位", "转派单位")),
)

TICKET_KEYS = tuple(c.key for c in TICKET_COLUMNS)
RETURN_KEYS = tuple(c.key for c in RETURN_COLUMNS)
LABELS = {c.key: c.label for c in TICKET_COLUMNS + RETURN_COLUMNS}

parse_kind = tabular.choice(Kind, synonyms={"求决": "求助", "意见建议": "建议", "表扬感谢": "表扬", "感谢": "表扬"})
parse_satisfaction = tabular.choice(Satisfaction, synonyms={"非常满意": "满意", "比较满意": "基本满意", "一般": "基本满意",
                                                             "很不满意": "不满意", "非常不满意": "不满意"})
NOT_RATED = {"未评价", "未回访", "无", "未评", "—", "-"}

# The exact words almost every row uses, looked up before the general (slower) parsers.
KIND_WORDS = {label: code for code, label in Kind.choices} | {"": Kind.OTHER.value}
SATISFACTION_WORDS = {label: code for code, label in Satisfaction.choices} | {"": ""}

