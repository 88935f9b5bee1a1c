"""Deadline reminders: due in 3 working days, due today, and escalation 5 working days overdue.

Run daily by the ``check_deadlines`` task (``lvzhi check-deadlines``). Each reminder is sent once
per problem and deadline (a granted extension sets a new deadline, and so new reminders).
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.notifications import notify
from lvzhi.core.roles import Role

from ..models import OPEN_STATES, Problem, ProblemEvent, Reminder
from ..workdays import WorkCalendar
from .base import liaisons, users_with_roles

DUE_SOON_DAYS = 3
ESCALATION_DAYS = 5


def due_kind(problem, today, calendar):
    """Which reminder a problem calls for today, if any."""
    if problem.deadline is None:
        return None
    if today >= calendar.add(problem.deadline, ESCALATION_DAYS):
        return Reminder.Kind.ESCALATION
    if today >= problem.deadline:
        return Reminder.Kind.DUE
    if today >= calendar.add(problem.deadline, -DUE_SOON_DAYS):
        return Reminder.Kind.DUE_SOON
    return None


def check_deadlines(today=None):
    """Send the reminders due on ``today`` (default: today); returns {kind: count}."""
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    horizon = calendar.add(today, DUE_SOON_DAYS + 1)
    candidates = (
        Problem._base_manager.filter(state__in=OPEN_STATES, deadline__isnull=False, deadline__lte=horizon)
        .select_related("department")
        .order_by("deadline", "pk")
    )
    sent = {k: 0 for k in Reminder.Kind.values}
    supervisors = None
    for problem in candidates:
        kind = due_kind(problem, today, calendar)
        if kind is None:
            continue
        if kind == Reminder.Kind.ESCALATION and supervisors is None:
            supervisors = users_with_roles(Role.OFFICE_STAFF, Role.LEADER)
        if _send(problem, kind, today, calendar, supervisors):
            sent[kind] += 1
    return sent


def _send(problem, kind, today, calendar, supervisors):
    responsible = liaisons(problem.department)
    d = problem.deadline
    deadline = f"{d.year}年{d.month}月{d.day}日"
    if kind == Reminder.Kind.DUE_SOON:
        left = calendar.between(today, problem.deadline)
        users, title = responsible, f"整改即将到期（还剩{left}个工作日）：{problem.title}"
    elif kind == Reminder.Kind.DUE:
        users, title = responsible, f"整改期限已到：{problem.title}"
    else:
        late = calendar.between(problem.deadline, today)
        users = supervisors + responsible
        title = f"逾期督办（已逾期{late}个工作日）：{problem.department.label} {problem.title}"
    body = f"问题 {problem.number}，整改期限 {deadline}。请及时报送整改完成报告。"
    try:
        with transaction.atomic():
            Reminder.objects.create(problem=problem, kind=kind, deadline=problem.deadline, sent_on=today,
                                    recipients=len(users))
            ProblemEvent.objects.create(
                problem=problem, action=kind, from_state=problem.state, to_state=problem.state, note=title,
                data={"deadline": problem.deadline.isoformat(), "recipients": len(users)},
                internal=kind == Reminder.Kind.ESCALATION,
            )
            notify(users, title, body, reverse("problems:detail", args=[problem.pk]), kind=f"problem_{kind}")
    except IntegrityError:
        return False  # already sent (by an earlier run or a concurrent worker)
    return True
