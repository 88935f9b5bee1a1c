"""待办 on the 工作台: a fixed number of grouped queries whatever the number of departments."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.roles import Role
from lvzhi.core.workbench import TodoItem

from .models import Appeal, Campaign, MutualEvaluation, Score

LIMIT = 20
OPEN = Campaign.Status.OPEN


def todos(user, scope):
    today = timezone.localdate()
    items = []
    if scope.has(Role.DEPARTMENT):
        own = Score.objects.visible_to(user, "change").filter(
            assessment__campaign__status=OPEN, assessment__department__in=scope.department_ids,
            status__in=[Score.Status.DRAFT, Score.Status.RETURNED])
        for row in (own.values("assessment", "assessment__campaign__name", "assessment__department__name")
                    .annotate(n=Count("pk"), due=Min("due")).order_by("due")[:LIMIT]):
            items.append(TodoItem(
                title=f"核心职能自评：{row['assessment__campaign__name']}（{row['assessment__department__name']}）"
                      f"还有 {row['n']} 项待提交",
                url=reverse("assessment:assessment", args=[row["assessment"]]), kind="自评", due=row["due"],
                overdue=row["due"] < today))
        to_give = MutualEvaluation.objects.visible_to(user, "change").filter(
            campaign__status=OPEN, rater__in=scope.department_ids, submitted_at__isnull=True)
        for row in to_give.values("campaign", "campaign__name", "campaign__self_deadline").annotate(
                n=Count("pk")).order_by("campaign__self_deadline")[:LIMIT]:
            items.append(TodoItem(
                title=f"相互评价：{row['campaign__name']}还有 {row['n']} 项待评价",
                url=reverse("assessment:evaluations") + f"?campaign={row['campaign']}", kind="互评",
                due=row["campaign__self_deadline"], overdue=row["campaign__self_deadline"] < today))
    if scope.is_office:
        waiting = Score.objects.filter(assessment__campaign__status=OPEN, status=Score.Status.SUBMITTED)
        for row in waiting.values("assessment__campaign", "assessment__campaign__name").annotate(
                n=Count("pk")).order_by("assessment__campaign")[:LIMIT]:
            items.append(TodoItem(
                title=f"评审核心职能自评：{row['assessment__campaign__name']}有 {row['n']} 项待评审",
                url=reverse("assessment:campaign", args=[row["assessment__campaign"]]), kind="评审"))
        pending = Appeal.objects.filter(status=Appeal.Status.PENDING).select_related(
            "assessment__department", "assessment__campaign", "score__criterion").order_by("created_at")[:LIMIT]
        for appeal in pending:
            items.append(TodoItem(
                title=f"处理申诉：{appeal.assessment.department.label}对“{appeal.score.criterion.name}”的申诉",
                url=appeal.get_absolute_url(), kind="申诉"))
    return items
