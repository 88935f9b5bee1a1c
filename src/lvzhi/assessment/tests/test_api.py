"""The REST API: /api/campaigns/ and /api/assessments/ scoped like the pages."""

import pytest

from lvzhi.core.roles import Role
from lvzhi.testing import client_for, make_user

from ..services import campaigns
from .factories import assessed, load_libraries, open_campaign, review_all


@pytest.fixture
def world(db, staff_user):
    load_libraries()
    econ = assessed("ECON", "economic", "经济局")
    enforce = assessed("ENF", "enforcement", "执法局")
    liaison = make_user("econ_liaison", Role.DEPARTMENT, department=econ)
    campaign = open_campaign(staff_user)
    review_all(staff_user, campaign)
    campaign = campaigns.score_campaign(staff_user, campaign)
    return staff_user, econ, enforce, liaison, campaign


def rows(user, url):
    response = client_for(user).get(url)
    assert response.status_code == 200
    return {r["department"]: r for r in response.json()["results"]}


def test_office_gets_totals_stars_ranks_and_breakdowns(world):
    staff, econ, enforce, liaison, campaign = world
    data = rows(staff, f"/api/assessments/?campaign={campaign.pk}")
    assert set(data) == {"ECON", "ENF"}
    econ_row = data["ECON"]
    assert (econ_row["total"], econ_row["stars"], econ_row["rank_overall"]) == ("80.00", 4, 1)
    a2_2 = next(b for b in econ_row["breakdown"] if b["criterion"] == "A2-2")
    assert a2_2["points"] == "9.60" and a2_2["weight"] == "0.800"
    assert a2_2["arithmetic"][-1] == "加权得分 = 12 × 类别权重 0.8 = 9.6 分"
    assert a2_2["indicators"][0]["display"] == "暂无数据" and a2_2["indicators"][0]["note"].startswith("暂无数据")
    assert set(rows(staff, "/api/assessments/?department=ENF")) == {"ENF"}
    campaigns_data = client_for(staff).get("/api/campaigns/").json()["results"]
    assert campaigns_data[0]["period"] == "2025Q4" and campaigns_data[0]["framework"] == "2026.1"


def test_department_sees_own_breakdown_and_only_the_published_ranking_of_others(world):
    staff, econ, enforce, liaison, campaign = world
    before = rows(liaison, "/api/assessments/")
    assert set(before) == {"ECON"} and before["ECON"]["total"] is None and before["ECON"]["rank_overall"] is None
    assert len(before["ECON"]["breakdown"]) == 9 and before["ECON"]["breakdown"][0]["points"] is None
    their_id = campaign.assessments.get(department=enforce).pk
    assert client_for(liaison).get(f"/api/assessments/{their_id}/").status_code == 404
    campaigns.publish_campaign(staff, campaign)
    after = rows(liaison, "/api/assessments/")
    assert after["ENF"]["total"] == "80.00" and after["ENF"]["breakdown"] is None
    assert after["ECON"]["breakdown"][0]["points"] == "8.00"
    detail = client_for(liaison).get(f"/api/assessments/{their_id}/").json()
    assert detail["breakdown"] is None and detail["stars"] == 4
    assert client_for(liaison).post("/api/assessments/", {}).status_code == 405


def test_roles_without_assessment_access_are_refused(world, hotline_user, oversight_user):
    for user in (hotline_user, oversight_user):
        for url in ("/api/campaigns/", "/api/assessments/"):
            assert client_for(user).get(url).status_code == 403
