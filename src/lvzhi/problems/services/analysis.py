"""Looking across problems: 普遍性问题 (one type in several departments) and the rectification
status report (counts, on-time rate, overdue list, rounds of rejection). Aggregated in the database."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ..models import OPEN_STATES, PolicyRecommendation, ProblemEvent, ProblemType, Source, State
from .base import TransitionError, require_office

COMMON_MIN_DEPARTMENTS = 3


def common_problems(problems, start, end, min_departments=COMMON_MIN_DEPARTMENTS):
    """Problem types found in at least ``min_departments`` departments between ``start`` and ``end``.

    Types are grouped by code, so the same type in two taxonomy versions counts together.
    Returns [(code, name, department count, [problems])].
    """
    scoped = problems.filter(found_on__gte=start, found_on__lte=end, type__isnull=False).exclude(
        state=State.WITHDRAWN
    )
    groups = (
        scoped.values("type__code").annotate(n=Count("department", distinct=True)).filter(n__gte=min_departments)
        .order_by("-n", "type__code")
    )
    counts = {g["type__code"]: g["n"] for g in groups}
    if not counts:
        return []
    members = {}
    for p in scoped.filter(type__code__in=counts).select_related("department", "type").order_by("department__position"):
        members.setdefault(p.type.code, []).append(p)
    names = dict(ProblemType.objects.filter(code__in=counts).values_list("code", "name"))
    return [(code, names.get(code, code), n, members.get(code, [])) for code, n in counts.items()]


def record_recommendation(*, by, type_code, start, end, text, problems):
    """对策建议 for a 普遍性问题, linked to the problems of that type in the period."""
    require_office(by, "提出对策建议")
    text = (text or "").strip()
    if not text:
        raise TransitionError("请填写对策建议。")
    members = [p for p in problems if p.type and p.type.code == type_code and start <= p.found_on <= end]
    if len({p.department_id for p in members}) < COMMON_MIN_DEPARTMENTS:
        raise TransitionError(f"该问题类型在此期间涉及的部门不足 {COMMON_MIN_DEPARTMENTS} 个，不属于普遍性问题。")
    with transaction.atomic():
        rec = PolicyRecommendation.objects.create(
            type_code=type_code, type_name=members[0].type.name, period_start=start, period_end=end, text=text,
            created_by=by,
        )
        rec.problems.set(members)
        ProblemEvent.objects.bulk_create([
            ProblemEvent(problem=p, action="recommendation", from_state=p.state, to_state=p.state, actor=by,
                         note=f"列入普遍性问题“{rec.type_name}”，提出对策建议：{text[:200]}",
                         data={"recommendation": rec.pk}, internal=True, created_by=by)
            for p in members])
    return rec


@dataclass
class StatusReport:
    """整改情况报告 data for one department (or the whole city when ``department`` is None)."""

    department: object
    today: dt.date
    total: int = 0
    by_state: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_source: list = field(default_factory=list)
    completed: int = 0
    on_time: int = 0
    overdue: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    by_department: list = field(default_factory=list)

    @property
    def scope_label(self):
        return self.department.name if self.department else "全市"

    @property
    def on_time_rate(self):
        return round(self.on_time * 100 / self.completed, 1) if self.completed else None


def status_report(problems, department=None, today=None):
    today = today or timezone.localdate()
    qs = problems.exclude(state=State.WITHDRAWN)
    if department is not None:
        qs = qs.filter(department=department)
    report = StatusReport(department=department, today=today, total=qs.count())
    states = dict(qs.values_list("state").annotate(n=Count("pk")))
    report.by_state = [(label, states.get(value, 0)) for value, label in State.choices if value != State.WITHDRAWN]
    report.by_category = list(
        qs.values_list("category__name").annotate(n=Count("pk")).order_by("category__position", "category__name")
    )
    report.by_category = [(name or "未分类", n) for name, n in report.by_category]
    sources = dict(qs.values_list("source").annotate(n=Count("pk")))
    report.by_source = [(label, sources[value]) for value, label in Source.choices if value in sources]
    # completed_at is cleared when a completion is rejected, so only standing reports count.
    done = qs.filter(completed_at__isnull=False, deadline__isnull=False).aggregate(
        completed=Count("pk"), on_time=Count("pk", filter=Q(completed_at__date__lte=F("deadline"))))
    report.completed, report.on_time = done["completed"], done["on_time"]
    report.overdue = list(
        qs.filter(state__in=OPEN_STATES, deadline__lt=today).select_related("department").order_by("deadline")
    )
    report.rejected = list(qs.filter(rounds__gt=0).select_related("department").order_by("-rounds", "pk"))
    if department is None:
        report.by_department = list(
            qs.values("department__name", "department__position").annotate(
                total=Count("pk"),
                closed=Count("pk", filter=Q(state=State.CLOSED)),
                open=Count("pk", filter=Q(state__in=(State.FEEDBACK, State.RECTIFICATION, State.EVALUATION))),
                overdue=Count("pk", filter=Q(state__in=OPEN_STATES, deadline__lt=today)),
                rounds=Count("pk", filter=Q(rounds__gt=0)),
            ).order_by("department__position", "department__name")
        )
    return report
