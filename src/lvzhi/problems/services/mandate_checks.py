"""“转为问题” for 三定执行检查: the duties app's check follow-up, registered in ``ProblemsConfig.ready``."""

from ..models import Source
from .base import TransitionError, require_office
from .problems import create_problem

TITLE_MAX = 200


def problem_from_check(check, user):
    """A problem in 分析 (source 三定检查) about a check accepted as partly or not fulfilled, on the
    check's department, citing its mandate duty and linked to the check. A check that is already
    linked to a problem gets that problem back instead of a second one."""
    from ..links import problems_about

    require_office(user, "将三定执行检查转为问题")
    existing = problems_about(check).order_by("pk").first()
    if existing is not None:
        return existing
    if not check.needs_followup:
        raise TransitionError("只有已审核且为“部分履行”或“未履行”的检查可以转为问题。")
    duty, department = check.duty, check.department
    mandate = duty.mandate
    what = f"职责任务“{check.task.text}”" if check.task_id else f"三定规定主要职责第{duty.number}项"
    result = check.get_result_display()
    title = f"{department.label}{what}{result}"
    if len(title) > TITLE_MAX:
        title = f"{department.label}三定规定主要职责第{duty.number}项{result}"
    description = "\n".join(filter(None, [
        f"{check.period_label}三定执行检查中，{department.name}报告{what}{result}，已经编办审核。",
        f"主要职责第{duty.number}项：{duty.text}",
        f"完成标准：{check.task.standard}" if check.task_id and check.task.standard else "",
        f"部门情况说明：{check.narrative}" if check.narrative else "",
        f"审核意见：{check.review_note}" if check.review_note else "",
    ]))
    basis = f"{mandate.title}{f'（{mandate.doc_no}）' if mandate.doc_no else ''}主要职责第{duty.number}项"
    return create_problem(
        by=user, title=title, description=description, department=department, source=Source.MANDATE_CHECK,
        mandate_duty=duty, policy_basis=basis, note=f"由三定执行检查（{check}）转为问题", links=[check],
    )
