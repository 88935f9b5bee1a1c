"""待办 on the 工作台: one query per kind of item, whatever the number of problems."""

from django.urls import reverse
from django.utils import timezone

from lvzhi.core.roles import Role
from lvzhi.core.workbench import TodoItem

from .models import ExtensionRequest, PolicyRecommendation, Problem, State
from .services.analysis import common_problems

LIMIT = 20


def _items(qs, kind, prefix, today):
    return [
        TodoItem(title=f"{prefix}：{p.number} {p.title}", url=reverse("problems:detail", args=[p.pk]), kind=kind,
                 due=p.deadline, overdue=bool(p.deadline and p.deadline < today))
        for p in qs.only("pk", "number", "title", "deadline")[:LIMIT]
    ]


def todos(user, scope):
    today = timezone.localdate()
    items = []
    if scope.has(Role.DEPARTMENT):
        mine = Problem.objects.visible_to(user, "change").order_by("deadline", "pk")
        items += _items(mine.filter(state=State.FEEDBACK), "待签收", "签收整改通知", today)
        items += _items(mine.filter(state=State.RECTIFICATION), "待报送", "报送整改报告", today)
    if scope.is_office:
        problems = Problem.objects.all().order_by("deadline", "pk")
        items += _items(problems.filter(state=State.EVALUATION), "待评估", "审核整改完成报告", today)
        pending = problems.filter(extensions__status=ExtensionRequest.Status.PENDING)
        items += _items(pending, "延期申请", "审批延期申请", today)
        clues = Problem.objects.filter(state=State.ANALYSIS, clue__isnull=False).order_by("pk")
        items += _items(clues, "线索", "分析监督机关线索", today)
        items += _common_without_recommendation(today)
    return items


def _common_without_recommendation(today):
    """普遍性问题 of this year that have no 对策建议 for the year yet: the system flags them."""
    start = today.replace(month=1, day=1)
    answered = set(PolicyRecommendation.objects.filter(period_start__lte=today, period_end__gte=start)
                   .values_list("type_code", flat=True))
    url = reverse("problems:common") + f"?start={start.isoformat()}&end={today.isoformat()}"
    return [TodoItem(title=f"普遍性问题：{name}（{n} 个部门），请提出对策建议", url=url, kind="普遍性问题")
            for code, name, n, _ in common_problems(Problem.objects.all(), start, today) if code not in answered]
