"""What each user sees of the results: the dashboard JSON (categories → departments → criteria)
and the trend, before and after publication."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.testing import client_for, make_user

from ..services import campaigns, results
from .factories import assessed, load_libraries, open_campaign, review_all


@pytest.fixture
def world(db, staff_user, leader_user):
    load_libraries()
    econ = assessed("ECON", "economic", "经济局")
    enforce = assessed("ENF", "enforcement", "执法局")
    liaison = make_user("econ_liaison", Role.DEPARTMENT, department=econ)
    return staff_user, leader_user, econ, enforce, liaison


def data(user, campaign):
    response = client_for(user).get(reverse("assessment:campaign-dashboard-data", args=[campaign.pk]))
    assert response.status_code == 200
    return response.json()


def departments(payload):
    return {d["code"]: d for c in payload["categories"] for d in c["departments"]}


def test_dashboard_drills_from_category_to_department_to_criterion(world):
    staff, leader, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    review_all(staff, campaign)
    campaign = campaigns.score_campaign(staff, campaign)
    for user in (staff, leader):
        payload = data(user, campaign)
        assert [c["name"] for c in payload["categories"]] == ["经济部门", "社会管理和执法监督部门"]
        econ_row = departments(payload)["ECON"]
        assert econ_row["total"] == "80" and econ_row["stars"] == 4 and econ_row["rank_category"] == 1
        assert len(econ_row["criteria"]) == 9 and econ_row["criteria"][1] == {
            "code": "A1-2", "name": "目标服务全市经济社会发展", "aspect": "核心职能履职目标", "points": "14.4",
            "max": "18", "url": econ_row["criteria"][1]["url"]}
        assert payload["stars"][1] == {"stars": 4, "count": 2}


def test_a_department_sees_only_itself_before_publication_and_no_one_elses_criteria_after(world):
    staff, leader, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    review_all(staff, campaign)
    campaign = campaigns.score_campaign(staff, campaign)
    before = data(liaison, campaign)
    assert set(departments(before)) == {"ECON"} and departments(before)["ECON"]["total"] is None
    assert departments(before)["ECON"]["criteria"] is None and before["stars"] == []
    assert "执法局" not in str(before)
    campaign = campaigns.publish_campaign(staff, campaign)
    after = departments(data(liaison, campaign))
    assert after["ENF"]["total"] == "80" and after["ENF"]["criteria"] is None and after["ENF"]["url"] is None
    assert len(after["ECON"]["criteria"]) == 9


def test_trend_over_the_last_published_quarters(world):
    staff, leader, econ, enforce, liaison = world
    for period, ratio in (("2025Q3", Decimal("0.6")), ("2025Q4", Decimal("0.9"))):
        campaign = open_campaign(staff, period=period)
        review_all(staff, campaign, ratio=ratio)
        campaigns.publish_campaign(staff, campaigns.score_campaign(staff, campaign))
    trend = results.trend(liaison, campaign)
    assert trend["periods"] == ["2025年第3季度", "2025年第4季度"]
    assert {"name": "经济局", "data": ["60", "90"]} in trend["series"]
    assert {"name": "经济部门平均", "data": ["60", "90"]} in trend["series"]
    assert all(s["name"] != "执法局" for s in trend["series"])
    assert data(staff, campaign)["trend"]["series"][0]["name"] == "经济部门平均"


def test_other_roles_and_departments_get_nothing(world, hotline_user):
    staff, leader, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    url = reverse("assessment:campaign-dashboard-data", args=[campaign.pk])
    assert client_for(hotline_user).get(url).status_code == 403
    outsider = make_user("outsider", Role.DEPARTMENT, department=assessed("OUT", name="局外局"))
    assert client_for(outsider).get(url).status_code == 404
