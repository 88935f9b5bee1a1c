"""待办 on the 工作台: adjustments and checks to review (office); checks due or returned and
adjustments returned (departments). Each provider costs a constant number of queries."""

from django.urls import reverse

from lvzhi.core.workbench import TodoItem
from lvzhi.org.models import MandateDuty

from ..models import MandateCheck, PowerAdjustment, current_period, period_end, period_label


def office_todos(user, scope):
    if not scope.is_office:
        return []
    items = []
    n = PowerAdjustment.objects.filter(status=PowerAdjustment.Status.SUBMITTED).count()
    if n:
        items.append(TodoItem(f"{n} 项权责清单动态调整待审核", reverse("duties:adjustments") + "?status=submitted",
                              "权责清单"))
    n = MandateCheck.objects.filter(status=MandateCheck.Status.SUBMITTED).count()
    if n:
        items.append(TodoItem(f"{n} 条三定执行检查待审核", reverse("duties:checks") + "?status=submitted", "三定检查"))
    n = PowerAdjustment.objects.filter(status=PowerAdjustment.Status.APPROVED).values("power_list").distinct().count()
    if n:
        items.append(TodoItem(f"{n} 个部门的权责清单有已同意的调整待发布", reverse("duties:power-lists") + "?pending=true",
                              "权责清单"))
    return items


def department_todos(user, scope):
    if not scope.department_ids or scope.is_office:
        return []
    items = []
    mine = scope.department_ids
    n = PowerAdjustment.objects.filter(status=PowerAdjustment.Status.RETURNED,
                                       power_list__department__in=mine).count()
    if n:
        items.append(TodoItem(f"{n} 项权责清单动态调整被退回，请修改后重新提交",
                              reverse("duties:adjustments") + "?status=returned", "权责清单"))
    n = MandateCheck.objects.filter(status=MandateCheck.Status.RETURNED, department__in=mine).count()
    if n:
        items.append(TodoItem(f"{n} 条三定执行检查被退回，请修改后重新提交",
                              reverse("duties:checks") + "?status=returned", "三定检查"))
    period = current_period()
    reported = MandateCheck.objects.filter(department__in=mine, period=period).exclude(status__in=[
        MandateCheck.Status.DRAFT, MandateCheck.Status.RETURNED])
    due = MandateDuty.objects.filter(mandate__is_current=True, mandate__department__in=mine).exclude(
        pk__in=reported.values("duty")).count()
    if due:
        end = period_end(period)
        items.append(TodoItem(f"{period_label(period)}尚有 {due} 项主要职责未报送执行情况",
                              reverse("duties:check-sheet") + f"?period={period}", "三定检查", due=end))
    return items
