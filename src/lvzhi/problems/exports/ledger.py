"""问题台账 as XLSX: every filtered row, one sheet, through the shared tabular engine."""

from django.utils import timezone

from lvzhi.core.scoping import get_scope
from lvzhi.core.tabular import Sheet

from .common import xlsx_download

HEADER = [
    "问题编号", "问题标题", "问题描述", "分类库版本", "问题类别", "问题类型", "问题来源", "责任部门", "相关部门",
    "严重程度", "政策依据", "发现日期", "状态", "整改期限", "是否逾期", "退回次数", "下发时间", "销号时间",
]


def ledger_rows(problems, today):
    for p in problems.iterator(chunk_size=500):
        yield [
            p.number, p.title, p.description, p.taxonomy_version, p.category.name if p.category else "",
            p.type.name if p.type else "", p.get_source_display(), p.department.name,
            "、".join(d.name for d in p.related_departments.all()), p.get_severity_display(), p.policy_basis,
            p.found_on, p.get_state_display(), p.deadline, p.is_overdue(today), p.rounds, p.issued_at, p.closed_at,
        ]


def ledger_response(problems, user):
    today = timezone.localdate()
    scope = get_scope(user)
    label = "全部" if scope.sees_everything else "本部门"
    sheet = Sheet(title="问题台账", header=HEADER, rows=ledger_rows(problems.select_related(
        "category__taxonomy"), today))
    return xlsx_download(f"问题台账（{label}）{today:%Y%m%d}.xlsx", [sheet])
