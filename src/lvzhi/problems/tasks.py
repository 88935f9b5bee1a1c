"""Background tasks (django-tasks). ``check_deadlines`` runs once a day from ``lvzhi scheduler``
(started by ``lvzhi serve``); ``lvzhi check-deadlines`` runs it by hand or from cron instead."""

import datetime as dt

from django_tasks import task

from lvzhi.core.audit import origin

from . import services


@task()
def check_deadlines(today=None):
    """Due-soon, due and escalation reminders for ``today`` (ISO date; default: today)."""
    day = dt.date.fromisoformat(today) if today else None
    with origin("任务 check_deadlines"):
        return services.check_deadlines(day)


def daily_deadline_check():
    """The scheduler's daily job: the check, summarised per kind of reminder."""
    from .models import Reminder

    sent = check_deadlines.call()
    return "，".join(f"{label} {sent.get(kind, 0)} 条" for kind, label in Reminder.Kind.choices)
