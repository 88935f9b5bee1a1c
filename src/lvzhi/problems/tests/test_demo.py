"""The demo hook fills the demo city with problems in every stage, a visit, a survey and a clue."""

import pytest
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.org.management.commands.demo import DEMO_HOOKS
from lvzhi.testing import login, make_user

from ..demo import load_demo
from ..models import Clue, Inspection, Problem, Survey
from .factories import load_libraries


@pytest.fixture
def demo(demo_city, capsys):
    load_libraries()
    users = {
        "staff": make_user("staff", Role.OFFICE_STAFF),
        "scjgj": make_user("scjgj", Role.DEPARTMENT, department=_dept("SCJGJ")),
        "rsj": make_user("rsj", Role.DEPARTMENT, department=_dept("RSJ")),
        "jiwei": make_user("jiwei", Role.OVERSIGHT, body="discipline"),
    }
    load_demo(__import__("sys").stdout)
    return users


def _dept(code):
    from lvzhi.org.models import Department

    return Department.objects.get(code=code)


def test_demo_hook_is_registered():
    assert load_demo in DEMO_HOOKS


def test_demo_covers_the_loop(demo, client):
    states = set(Problem.objects.values_list("state", flat=True))
    assert {"analysis", "feedback", "rectification", "evaluation", "closed"} <= states
    assert Problem.objects.filter(rounds__gt=0).exists()
    assert Inspection.objects.get().problems.exists() and Survey.objects.get().problems.exists()
    assert Clue.objects.get().problem.state == "analysis"
    login(client, demo["staff"])
    assert "热线工单办理超期率偏高" in client.get(reverse("problems:common")).content.decode()
    login(client, demo["scjgj"])
    page = client.get(reverse("problems:ledger")).content.decode()
    assert "占道经营与流动摊贩监管职责交叉" in page and "根治欠薪" not in page
    load_demo(__import__("sys").stdout)  # a second run adds nothing
    assert Clue.objects.count() == 1
