"""待办 on the 工作台, and the ``lvzhi problem`` command."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lvzhi.testing import login

from ..models import Problem, State
from .factories import load_libraries, make_problem


@pytest.fixture
def world(db, dept_a, dept_b, staff_user, dept_user):
    load_libraries()
    return dept_a, dept_b, staff_user, dept_user


def test_liaison_and_office_todos(client, world):
    dept_a, dept_b, staff, liaison = world
    to_ack = make_problem(dept_a, staff, state="feedback", title="待签收的问题")
    make_problem(dept_b, staff, state="feedback", title="乙局待签收")
    to_review = make_problem(dept_a, staff, state="evaluation", liaison=liaison, title="待评估的问题")
    login(client, liaison)
    page = client.get(reverse("core:workbench")).content.decode()
    assert "签收整改通知：" + to_ack.number in page and "乙局待签收" not in page
    login(client, staff)
    page = client.get(reverse("core:workbench")).content.decode()
    assert "审核整改完成报告：" + to_review.number in page


def test_cli_runs_the_same_services(world, capsys):
    dept_a, dept_b, staff, liaison = world
    problem = make_problem(dept_a, staff, state="analysis")
    call_command("problem", "issue", problem.number, "--user", staff.username, "--days", "5")
    problem.refresh_from_db()
    assert problem.state == State.FEEDBACK
    with pytest.raises(CommandError, match="只有责任部门联络员"):
        call_command("problem", "acknowledge", problem.number, "--user", staff.username)
    call_command("problem", "acknowledge", problem.number, "--user", liaison.username, "--note", "收到")
    problem.refresh_from_db()
    assert problem.state == State.RECTIFICATION
    call_command("problem", "list", "--user", liaison.username)
    assert problem.number in capsys.readouterr().out
    with pytest.raises(CommandError, match="须附整改佐证材料|必填|佐证"):
        call_command("problem", "report_completion", problem.number, "--user", liaison.username, "--note", "完成")


def test_cli_names_a_missing_field_by_its_label_and_option(world):
    dept_a, dept_b, staff, liaison = world
    problem = make_problem(dept_a, staff, state="evaluation", liaison=liaison)
    with pytest.raises(CommandError, match=r"（--note）：") as err:
        call_command("problem", "reject", problem.number, "--user", staff.username)
    assert "note：" not in str(err.value)
    assert Problem.objects.get(pk=problem.pk).state == State.EVALUATION


def test_common_problem_is_flagged_to_the_office_until_it_has_a_recommendation(client, world):
    from django.utils import timezone

    from lvzhi.testing import make_department

    from .. import services

    dept_a, dept_b, staff, liaison = world
    today = timezone.localdate()
    for dept in (dept_a, dept_b, make_department("DEPTC", "丙测试局")):
        make_problem(dept, staff, type_code="C5-03", found_on=today)
    login(client, staff)
    assert "普遍性问题：" in client.get(reverse("core:workbench")).content.decode()
    login(client, liaison)
    assert "普遍性问题：" not in client.get(reverse("core:workbench")).content.decode()
    services.record_recommendation(by=staff, type_code="C5-03", start=today.replace(month=1, day=1), end=today,
                                   text="建立超期预警机制。", problems=Problem.objects.all())
    login(client, staff)
    assert "普遍性问题：" not in client.get(reverse("core:workbench")).content.decode()
