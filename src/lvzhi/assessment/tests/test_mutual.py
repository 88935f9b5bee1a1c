"""相互评价: created from duty points, given by the rater, aggregated without naming raters."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.duties.models import DutyPoint, Matter, MatterLink
from lvzhi.testing import client_for, make_department, make_user

from .. import indicators
from ..models import IndicatorRule, MutualEvaluation
from ..services import campaigns, mutual
from .factories import assessed, load_libraries, open_campaign, review_all


def matter(code, lead, support, second=None):
    m = Matter.objects.create(code=code, name=f"{code}事项")
    link = MatterLink.objects.create(matter=m, position=1, name="环节")
    point = DutyPoint.objects.create(link=link, position=1, text="颗粒点", lead=lead)
    point.support.set(support)
    if second:
        lead2, support2 = second
        point2 = DutyPoint.objects.create(link=link, position=2, text="颗粒点二", lead=lead2)
        point2.support.set(support2)
    return m


@pytest.fixture
def world(db, staff_user):
    load_libraries()
    lead = assessed("LEAD", name="牵头局")
    helper = assessed("HELP", "enforcement", "配合局")
    third = make_department("THIRD", "第三局")
    matter("M1", lead, [helper, third], second=(helper, [lead]))
    matter("M2", third, [lead])
    users = {d.code: make_user(f"u_{d.code}", Role.DEPARTMENT, department=d) for d in (lead, helper, third)}
    return staff_user, lead, helper, third, users


def rate(user, evaluation, value, comment=""):
    return mutual.give(user, evaluation, {"cooperation": value, "timeliness": value, "information_sharing": value},
                       comment)


def test_opening_creates_one_evaluation_per_pair_and_matter_in_both_directions(world):
    staff, lead, helper, third, users = world
    campaign = open_campaign(staff)
    pairs = set(MutualEvaluation.objects.filter(campaign=campaign).values_list("matter__code", "rater__code",
                                                                              "ratee__code", "direction"))
    assert pairs == {
        ("M1", "LEAD", "HELP", "lead_rates_support"), ("M1", "HELP", "LEAD", "support_rates_lead"),
        ("M1", "LEAD", "THIRD", "lead_rates_support"), ("M1", "THIRD", "LEAD", "support_rates_lead"),
        ("M2", "THIRD", "LEAD", "lead_rates_support"), ("M2", "LEAD", "THIRD", "support_rates_lead"),
    }


def test_only_the_rater_gives_on_the_scale_while_the_campaign_is_open(world):
    staff, lead, helper, third, users = world
    campaign = open_campaign(staff)
    evaluation = MutualEvaluation.objects.get(campaign=campaign, matter__code="M1", rater=lead, ratee=helper)
    with pytest.raises(PermissionDenied):
        rate(users["HELP"], evaluation, 5)
    with pytest.raises(PermissionDenied):
        rate(staff, evaluation, 5)
    with pytest.raises(ValidationError, match="“协作配合”请在 1～5 分之间打分"):
        rate(users["LEAD"], evaluation, 6)
    given = rate(users["LEAD"], evaluation, 4, "配合及时")
    assert given.score(5) == Decimal("80.00") and given.given
    review_all(staff, campaign)
    campaigns.score_campaign(staff, campaign)
    with pytest.raises(ValidationError, match="不能填写相互评价"):
        rate(users["LEAD"], evaluation, 5)


def test_aggregate_trims_the_highest_and_lowest_tenth():
    class Row:
        def __init__(self, value, rater):
            self.cooperation = self.timeliness = self.information_sharing = value
            self.rater_id, self.given = rater, True
            self.campaign = type("C", (), {"framework": type("F", (), {"mutual_scale_max": 5,
                                                                      "mutual_trim_share": Decimal("0.1")})})

        def score(self, scale_max):
            return MutualEvaluation.score(self, scale_max)

    rows = [Row(v, i % 4) for i, v in enumerate([1, 4, 4, 4, 4, 4, 4, 4, 4, 5])]
    result = mutual.aggregate(rows)
    assert (result.count, result.raters, result.trimmed, len(result.kept)) == (10, 4, 1, 8)
    assert result.mean == Decimal("80.00") and result.dimensions[0] == ("协作配合", Decimal("3.80"))


def test_the_rated_department_sees_the_aggregate_but_not_who_gave_what(world, client):
    staff, lead, helper, third, users = world
    campaign = open_campaign(staff)
    for rater, value in (("HELP", 5), ("THIRD", 3)):
        for evaluation in MutualEvaluation.objects.filter(campaign=campaign, rater__code=rater, ratee=lead):
            rate(users[rater], evaluation, value, f"{rater}的意见")
    received = mutual.received(users["LEAD"], campaign, lead)
    assert received.aggregate.count == 3 and received.aggregate.raters == 2 and received.rows == []
    assert not MutualEvaluation.objects.visible_to(users["LEAD"]).filter(ratee=lead).exists()
    page = client_for(users["LEAD"]).get(reverse("assessment:evaluations")).content.decode()
    assert "收到 3 份评价（来自 2 个部门）" in page and "HELP的意见" not in page and "配合局" not in page.split(
        "收到的评价")[1]
    with pytest.raises(PermissionDenied):
        mutual.received(users["HELP"], campaign, lead)
    rule = IndicatorRule.objects.get(framework=campaign.framework, code="mutual_evaluation")
    result = indicators.evaluate(rule, lead, campaign.period_info)
    # (100 + 60 + 60) ÷ 3 = 73.33 (too few to trim); no department is named in the breakdown.
    assert result["value"] == "73.33" and result["ratio"] == "0.7333"
    assert "配合局" not in str(result["lines"]) and "第三局" not in str(result["lines"])
    campaigns.update_campaign(staff, campaign, {"reveal_raters": True})
    received = mutual.received(users["LEAD"], campaign, lead)
    assert {e.rater.code for e in received.rows} == {"HELP", "THIRD"}
    assert "HELP的意见" in client_for(users["LEAD"]).get(reverse("assessment:evaluations")).content.decode()


def test_evaluation_page_through_http(world):
    staff, lead, helper, third, users = world
    campaign = open_campaign(staff)
    evaluation = MutualEvaluation.objects.get(campaign=campaign, matter__code="M1", rater=helper, ratee=lead)
    url = reverse("assessment:evaluation", args=[evaluation.pk])
    helper_client = client_for(users["HELP"])
    assert helper_client.get(url).status_code == 200
    response = helper_client.post(url, {"cooperation": "9", "timeliness": "4", "information_sharing": "4"})
    assert response.status_code == 400 and not MutualEvaluation.objects.get(pk=evaluation.pk).given
    response = helper_client.post(url, {"cooperation": "5", "timeliness": "4", "information_sharing": "3",
                                        "comment": "信息共享有待加强"})
    assert response.status_code == 302
    assert MutualEvaluation.objects.get(pk=evaluation.pk).information_sharing == 3
    assert client_for(users["LEAD"]).get(url).status_code == 404
    assert client_for(users["LEAD"]).post(url, {"cooperation": "1", "timeliness": "1",
                                                 "information_sharing": "1"}).status_code == 404
