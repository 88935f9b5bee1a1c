"""申诉: filed within the working-day period after publication; upheld or changed by the office,
which recomputes total, stars and ranks, and stays recorded on the assessment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lvzhi.core.models import Notification
from lvzhi.core.roles import Role
from lvzhi.testing import make_user

from ..models import Appeal, Assessment, Score
from ..services import appeals, campaigns
from .factories import assessed, load_libraries, published_campaign, scored_campaign


@pytest.fixture
def world(db, staff_user):
    load_libraries()
    first, second = assessed("FIRST", name="一局"), assessed("SECOND", name="二局")
    liaison = make_user("first_liaison", Role.DEPARTMENT, department=first)
    other = make_user("second_liaison", Role.DEPARTMENT, department=second)
    return staff_user, first, second, liaison, other


def score_of(campaign, department, code="A3-1"):
    return Score.objects.get(assessment__campaign=campaign, assessment__department=department, criterion__code=code)


def test_appeal_only_after_publication_within_the_period_and_by_the_department(world):
    staff, first, second, liaison, other = world
    campaign = scored_campaign(staff)
    with pytest.raises(ValidationError, match="发布后才能提出申诉"):
        appeals.file_appeal(liaison, score_of(campaign, first), "理由")
    campaign = campaigns.publish_campaign(staff, campaign)
    with pytest.raises(PermissionDenied):
        appeals.file_appeal(other, score_of(campaign, first), "替别人申诉")
    with pytest.raises(ValidationError, match="请写明申诉理由"):
        appeals.file_appeal(liaison, score_of(campaign, first), "  ")
    late = campaign.appeal_deadline + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="申诉期已于"):
        appeals.file_appeal(liaison, score_of(campaign, first), "理由", today=late)
    appeal = appeals.file_appeal(liaison, score_of(campaign, first), "获省级表彰未计入。")
    assert appeal.old_points == score_of(campaign, first).points
    assert Notification.objects.filter(recipient=staff, title__contains="申诉").exists()
    with pytest.raises(ValidationError, match="已有待处理的申诉"):
        appeals.file_appeal(liaison, score_of(campaign, first), "再次申诉")


def test_changing_a_score_recomputes_total_stars_and_ranks(world):
    staff, first, second, liaison, other = world
    campaign = published_campaign(staff)
    before = Assessment.objects.get(campaign=campaign, department=first)
    assert before.total == Decimal("80.00") and before.rank_overall == 1
    appeal = appeals.file_appeal(liaison, score_of(campaign, first), "获省级表彰未计入。")
    with pytest.raises(PermissionDenied):
        appeals.decide_appeal(liaison, appeal, "change", "自己改分", Decimal(8))
    with pytest.raises(ValidationError, match="与原评审得分不同"):
        appeals.decide_appeal(staff, appeal, "change", "调整", Decimal("6.4"))
    with pytest.raises(ValidationError, match="0～8 分之间"):
        appeals.decide_appeal(staff, appeal, "change", "调整", Decimal(9))
    appeal = appeals.decide_appeal(staff, appeal, "change", "表彰属实，按得满分认定。", Decimal(8))
    assert appeal.status == Appeal.Status.CHANGED
    assert (appeal.old_review_score, appeal.new_review_score) == (Decimal("6.40"), Decimal(8))
    assert (appeal.old_points, appeal.new_points) == (Decimal("6.40"), Decimal("8.00"))
    after = Assessment.objects.get(campaign=campaign, department=first)
    assert after.total == Decimal("81.60") and after.stars == 4 and after.rank_overall == 1
    assert Assessment.objects.get(campaign=campaign, department=second).rank_overall == 2
    assert "申诉调整：6.4 → 8 分" in score_of(campaign, first).review_comment
    assert Notification.objects.filter(recipient=liaison, title__contains="申诉已处理").exists()
    with pytest.raises(ValidationError, match="已调整评分"):
        appeals.decide_appeal(staff, appeal, "uphold", "再处理")


def test_upholding_keeps_the_score(world):
    staff, first, second, liaison, other = world
    campaign = published_campaign(staff, today=timezone.localdate())
    appeal = appeals.file_appeal(liaison, score_of(campaign, first), "理由")
    appeal = appeals.decide_appeal(staff, appeal, "uphold", "评分符合评分指引。")
    assert appeal.status == Appeal.Status.UPHELD and appeal.new_review_score == appeal.old_review_score
    assert Assessment.objects.get(campaign=campaign, department=first).total == Decimal("80.00")
