"""Indicators from the problems app: problems found, rectification on time, rounds of rejection,
overdue problems, and the opinions of the people served (surveys).

Registered only when ``lvzhi.problems`` is installed; the models are imported inside the functions
so this module loads without it. An indicator describes one department's own records; it is
computed for the office's scoring and shown only through that department's (scoped) scores, so
these aggregates read the ledger directly rather than through a user's ``visible_to``.

When the ledger holds no problems at all, the problem indicators answer "no data": a city that has
not started using the ledger has measured nothing, which is not the same as a clean record.
"""

from decimal import Decimal

from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from . import percent
from ..models import plain, quantize

SEVERITY_WEIGHTS = {"high": 3, "medium": 2, "low": 1}
LISTED = 10


def _ledger_in_use():
    from lvzhi.problems.models import Problem

    return Problem.objects.filter(issued_at__isnull=False).exists()


def _issued(department):
    from lvzhi.problems.models import Problem, State

    return Problem.objects.filter(department=department, issued_at__isnull=False).exclude(state=State.WITHDRAWN)


def _numbers(rows):
    numbers = [number or f"#{pk}" for pk, number in rows]
    more = f" 等 {len(numbers)} 个" if len(numbers) > LISTED else ""
    return "、".join(numbers[:LISTED]) + more


def problems_found(department, period):
    from lvzhi.problems.models import Severity

    if not _ledger_in_use():
        return None
    found = _issued(department).filter(issued_at__date__gte=period.start, issued_at__date__lte=period.end)
    by_severity = dict(found.values_list("severity").annotate(n=Count("pk")).order_by())
    weighted = sum(SEVERITY_WEIGHTS.get(k, 2) * n for k, n in by_severity.items())
    parts = [f"{SEVERITY_WEIGHTS[code]}×{by_severity.get(code, 0)}" for code in ("high", "medium", "low")]
    labels = dict(Severity.choices)
    lines = [
        ["本期间下发的问题", f"{sum(by_severity.values())} 个"],
        ["按严重程度", "，".join(f"{labels[c]} {by_severity.get(c, 0)} 个" for c in ("high", "medium", "low"))],
        ["加权问题数", f"{' + '.join(parts)} = {weighted}"],
    ]
    by_category = found.values_list("category__name").annotate(n=Count("pk")).order_by("category__position")
    lines += [[f"问题类别：{name or '未分类'}", f"{n} 个"] for name, n in by_category]
    return Decimal(weighted), lines


def rectification_on_time(department, period):
    from lvzhi.problems.models import State

    if not _ledger_in_use():
        return None
    until = min(period.end, timezone.localdate())
    due = list(_issued(department).filter(deadline__gte=period.start, deadline__lte=until)
               .values_list("pk", "number", "state", "closed_at", "deadline").order_by("deadline", "pk"))
    if not due:
        return Decimal(100), [["整改期限在本期间届满的问题", "0 个（按规则记为 100%）"]]
    on_time = [row for row in due
               if row[2] == State.CLOSED and row[3] and timezone.localdate(row[3]) <= row[4]]
    on_time_ids = {row[0] for row in on_time}
    late = [(pk, number) for pk, number, *_ in due if pk not in on_time_ids]
    rate = percent(len(on_time), len(due))
    lines = [
        ["整改期限在本期间届满的问题", f"{len(due)} 个"],
        ["按期销号", f"{len(on_time)} 个"],
        ["按期整改率", f"{len(on_time)} ÷ {len(due)} = {plain(rate)}%"],
    ]
    if late:
        lines.append(["未按期销号", _numbers(late)])
    return rate, lines


def rejection_rounds(department, period):
    if not _ledger_in_use():
        return None
    reported = _issued(department).filter(completed_at__isnull=False, completed_at__date__lte=period.end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gte=period.start))
    rows = list(reported.values_list("pk", "number", "rounds").order_by("-rounds", "pk"))
    if not rows:
        return Decimal(0), [["本期间处于整改评估环节的问题", "0 个（平均退回轮次记为 0）"]]
    total = sum(r[2] for r in rows)
    average = quantize(Decimal(total) / len(rows))
    lines = [
        ["本期间处于整改评估环节的问题", f"{len(rows)} 个"],
        ["被退回重新整改", f"共 {total} 轮"],
        ["平均退回轮次", f"{total} ÷ {len(rows)} = {plain(average)}"],
    ]
    rejected = [(pk, f"{number or '#' + str(pk)}（{n} 轮）") for pk, number, n in rows if n]
    if rejected:
        lines.append(["有退回的问题", "、".join(text for _, text in rejected[:LISTED])])
    return average, lines


def overdue_problems(department, period):
    if not _ledger_in_use():
        return None
    until = min(period.end, timezone.localdate())
    rows = _issued(department).filter(deadline__lt=until).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gt=until)).values_list("pk", "number").order_by("deadline", "pk")
    rows = list(rows)
    lines = [[f"截至 {until:%Y-%m-%d} 超期未销号的问题", f"{len(rows)} 个"]]
    if rows:
        lines.append(["问题编号", _numbers(rows)])
    return Decimal(len(rows)), lines


def survey_satisfaction(department, period):
    from lvzhi.problems.models import SurveyAnswer

    answers = SurveyAnswer.objects.filter(
        response__department=department, response__answered_on__gte=period.start,
        response__answered_on__lte=period.end, score__isnull=False)
    percent_expr = Cast("score", FloatField()) * 100.0 / Cast(F("response__survey__scale_max"), FloatField())
    per_survey = list(
        answers.values("response__survey__title", "response__survey__scale_max")
        .annotate(avg=Avg("score"), answers=Count("pk"), responses=Count("response", distinct=True),
                  pct=Avg(percent_expr))
        .order_by("response__survey__title")
    )
    if not per_survey:
        return None
    overall = answers.aggregate(pct=Avg(percent_expr), n=Count("pk"))
    value = quantize(Decimal(str(overall["pct"])))
    lines = [
        [f"调查：{row['response__survey__title']}",
         f"{row['responses']} 份问卷，计分题平均 {plain(quantize(Decimal(str(row['avg']))))} 分"
         f"（满分 {row['response__survey__scale_max']} 分），折合 {plain(quantize(Decimal(str(row['pct']))))} 分"]
        for row in per_survey
    ]
    lines.append(["全部计分题折合百分制平均", f"{overall['n']} 个回答，平均 {plain(value)} 分"])
    return value, lines


PROVIDERS = {
    "problems_found": problems_found,
    "rectification_on_time": rectification_on_time,
    "rejection_rounds": rejection_rounds,
    "overdue_problems": overdue_problems,
    "survey_satisfaction": survey_satisfaction,
}
