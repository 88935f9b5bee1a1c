"""待办: self-assessments due, evaluations to give, reviews waiting and appeals to decide."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.core.roles import Role
from lvzhi.core.scoping import get_scope
from lvzhi.testing import make_user

from ..models import Score
from ..services import appeals, campaigns, scores
from ..workbench import todos
from .factories import assessed, load_libraries, open_campaign, review_all
from .test_mutual import matter


@pytest.fixture
def world(db, staff_user):
    load_libraries()
    econ, enforce = assessed("ECON", name="经济局"), assessed("ENF", "enforcement", "执法局")
    matter("M1", econ, [enforce])
    liaison = make_user("econ_liaison", Role.DEPARTMENT, department=econ)
    return staff_user, econ, enforce, liaison


def titles(user):
    return [t.title for t in todos(user, get_scope(user))]


def test_department_and_office_todos(world):
    staff, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    mine = titles(liaison)
    assert f"核心职能自评：{campaign.name}（经济局）还有 9 项待提交" in mine
    assert f"相互评价：{campaign.name}还有 1 项待评价" in mine
    assert not any("执法局" in t for t in mine)
    score = Score.objects.get(assessment__campaign=campaign, assessment__department=econ, criterion__code="A1-1")
    scores.save_self_assessment(liaison, score, "说明", 8)
    scores.submit(liaison, score)
    assert f"评审核心职能自评：{campaign.name}有 1 项待评审" in titles(staff)
    review_all(staff, campaign)
    campaign = campaigns.publish_campaign(staff, campaigns.score_campaign(staff, campaign))
    appeals.file_appeal(liaison, Score.objects.get(pk=score.pk), "请复核")
    assert "处理申诉：经济局对“聚焦核心职能履职”的申诉" in titles(staff)
    assert not any("核心职能自评" in t for t in titles(liaison))


def test_todos_cost_a_constant_number_of_queries(world):
    staff, econ, enforce, liaison = world
    open_campaign(staff)
    user = liaison
    get_scope(user)
    with CaptureQueriesContext(connection) as few:
        todos(user, get_scope(user))
    open_campaign(staff, period="2025Q3")
    with CaptureQueriesContext(connection) as more:
        todos(user, get_scope(user))
    assert len(few) == len(more)
