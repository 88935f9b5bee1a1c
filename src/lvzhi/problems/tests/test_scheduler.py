"""The built-in daily scheduler that runs the deadline check without cron."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lvzhi.core import schedule
from lvzhi.core.management.commands import scheduler
from lvzhi.core.models import Notification

from ..models import Problem, Reminder
from .factories import load_libraries, make_problem


@pytest.fixture
def overdue(db, dept_a, staff_user, dept_user, leader_user):
    load_libraries()
    problem = make_problem(dept_a, staff_user, state="rectification", liaison=dept_user)
    # Far enough in the past to be five working days overdue whatever today is.
    Problem.objects.filter(pk=problem.pk).update(deadline=dt.date(2020, 1, 6))
    return problem


# The scheduler closes stale connections between jobs as a long-running process must; that only
# works outside the per-test transaction, so these run against committed data.
@pytest.mark.django_db(transaction=True)
def test_once_runs_the_deadline_check_and_twice_sends_nothing_new(overdue, capsys, staff_user, leader_user):
    call_command("scheduler", "--once")
    assert "整改期限检查：完成" in capsys.readouterr().out
    assert Reminder.objects.filter(problem=overdue, kind="escalation").count() == 1
    assert Notification.objects.filter(kind="problem_escalation", recipient=leader_user).count() == 1
    call_command("scheduler", "--once")
    assert Reminder.objects.filter(problem=overdue).count() == 1
    assert Notification.objects.filter(kind="problem_escalation", recipient=staff_user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_does_not_stop_the_others(overdue, capsys, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(schedule, "DAILY_JOBS", [("坏任务", broken), *schedule.DAILY_JOBS])
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "坏任务：失败" in out and "整改期限检查：完成" in out
    assert Reminder.objects.filter(problem=overdue).exists()


@pytest.mark.parametrize("text", ["7", "24:00", "07:60", "seven", ""])
def test_bad_time_is_refused(db, text):
    with pytest.raises(CommandError, match="无法识别的时间"):
        call_command("scheduler", "--once", "--at", text)


def test_daily_trigger_fires_at_the_local_hour():
    tz = ZoneInfo("Asia/Shanghai")
    trigger = scheduler.daily_trigger(*scheduler.parse_time("07:00"))
    after = dt.datetime(2026, 12, 5, 8, 0, tzinfo=tz)
    nxt = trigger.get_next_fire_time(None, after)
    assert nxt == dt.datetime(2026, 12, 6, 7, 0, tzinfo=tz)
