"""Reminders at due-3, due and +5 working days, each once, driven by a fixed 'today'."""

import datetime as dt

import pytest
from django.core.management import call_command

from lvzhi.core.models import Notification
from lvzhi.core.roles import Role
from lvzhi.testing import make_user

from ..models import Problem, ProblemEvent, Reminder
from ..tasks import check_deadlines
from .factories import load_libraries, make_problem

D = dt.date


@pytest.fixture
def overdue_setup(db, dept_a, staff_user, dept_user, leader_user):
    load_libraries()
    problem = make_problem(dept_a, staff_user, state="rectification", liaison=dept_user)
    Problem.objects.filter(pk=problem.pk).update(deadline=D(2026, 10, 12))
    return problem


def run(day):
    return check_deadlines.call(day.isoformat())


def test_each_reminder_fires_once_at_its_threshold(overdue_setup, staff_user, dept_user, leader_user):
    problem = overdue_setup
    assert run(D(2026, 10, 7)) == {"due_soon": 0, "due": 0, "escalation": 0}  # holiday: 4 working days left
    assert run(D(2026, 10, 8))["due_soon"] == 1  # three working days before (10 October is a working Saturday)
    assert run(D(2026, 10, 9))["due_soon"] == 0
    assert Notification.objects.filter(recipient=dept_user, kind="problem_due_soon").count() == 1
    assert run(D(2026, 10, 12))["due"] == 1
    assert run(D(2026, 10, 12))["due"] == 0
    assert run(D(2026, 10, 16))["escalation"] == 0  # four working days late
    assert run(D(2026, 10, 19))["escalation"] == 1  # five working days late
    assert run(D(2026, 10, 20)) == {"due_soon": 0, "due": 0, "escalation": 0}
    assert Notification.objects.filter(kind="problem_escalation", recipient=staff_user).count() == 1
    assert Notification.objects.filter(kind="problem_escalation", recipient=leader_user).count() == 1
    assert Notification.objects.filter(kind="problem_due", recipient=dept_user).count() == 1
    assert list(Reminder.objects.filter(problem=problem).values_list("kind", flat=True).order_by("pk")) == [
        "due_soon", "due", "escalation"]
    assert ProblemEvent.objects.filter(problem=problem, action="escalation", internal=True).count() == 1


def test_a_new_deadline_gets_new_reminders(overdue_setup):
    problem = overdue_setup
    run(D(2026, 10, 12))
    Problem.objects.filter(pk=problem.pk).update(deadline=D(2026, 10, 23))
    assert run(D(2026, 10, 20))["due_soon"] == 1


def test_problems_not_owed_by_the_department_are_ignored(db, dept_a, staff_user, dept_user):
    load_libraries()
    problem = make_problem(dept_a, staff_user, state="evaluation", liaison=dept_user)
    Problem.objects.filter(pk=problem.pk).update(deadline=D(2026, 10, 12))
    assert run(D(2026, 10, 30)) == {"due_soon": 0, "due": 0, "escalation": 0}


def test_command_runs_the_task(overdue_setup, capsys):
    call_command("check-deadlines", "--today", "2026-10-19")
    out = capsys.readouterr().out
    assert "逾期督办：1 条" in out
    call_command("check-deadlines", "--today", "2026-10-19")
    assert "逾期督办：0 条" in capsys.readouterr().out


def test_other_departments_liaisons_are_not_told(overdue_setup, dept_b):
    other = make_user("other_liaison", Role.DEPARTMENT, department=dept_b)
    run(D(2026, 10, 12))
    assert not Notification.objects.filter(recipient=other).exists()


def test_reminders_are_emailed_when_email_is_configured(overdue_setup, settings, staff_user, dept_user, leader_user):
    from django.core import mail

    settings.LVZHI_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user, address in ((staff_user, "staff@example.gov.cn"), (dept_user, "liaison@example.gov.cn"),
                          (leader_user, "leader@example.gov.cn")):
        user.email = address
        user.save()
    run(D(2026, 10, 12))
    assert [m.to for m in mail.outbox] == [["liaison@example.gov.cn"]]
    assert overdue_setup.number in mail.outbox[0].subject + mail.outbox[0].body
    run(D(2026, 10, 19))
    escalation = mail.outbox[-1]
    assert {"leader@example.gov.cn", "staff@example.gov.cn"} <= set(escalation.to)
    assert escalation.subject.startswith("[履职]")
