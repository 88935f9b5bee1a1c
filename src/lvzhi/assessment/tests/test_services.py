"""Campaign and criterion state machines and the scoring arithmetic, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvzhi.core.models import Notification
from lvzhi.core.roles import Role
from lvzhi.testing import make_department, make_user

from ..models import Assessment, Campaign, Score
from ..services import campaigns, scores, scoring
from .factories import DEADLINE, FILLING_DAY, assessed, load_libraries, open_campaign, refresh, review_all
from .test_indicators import known_problems


@pytest.fixture
def world(db, staff_user):
    load_libraries()
    econ = assessed("ECON", "economic", "经济甲局")
    enforce = assessed("ENF", "enforcement", "执法乙局")
    make_department("NOTASSESSED")
    liaison = make_user("econ_liaison", Role.DEPARTMENT, department=econ)
    return staff_user, econ, enforce, liaison


def score_of(campaign, department, code):
    return Score.objects.select_related("criterion").get(assessment__campaign=campaign,
                                                        assessment__department=department, criterion__code=code)


def test_opening_creates_each_assessed_departments_assessment_with_category_weights(world):
    staff, econ, enforce, liaison = world
    campaign = campaigns.create_campaign(staff, period="2025Q4", self_deadline=DEADLINE)
    assert campaign.name == "2025年第4季度核心职能履行评估" and campaign.performance_weight == Decimal("0.1")
    assert campaign.status == Campaign.Status.DRAFT and not campaign.assessments.exists()
    campaign = campaigns.open_campaign(staff, campaign)
    assert campaign.status == Campaign.Status.OPEN
    assert set(campaign.assessments.values_list("department__code", flat=True)) == {"ECON", "ENF"}
    assert Score.objects.filter(assessment__campaign=campaign).count() == 18
    assert score_of(campaign, econ, "A1-2").weight == Decimal("1.5")
    assert score_of(campaign, enforce, "A2-2").weight == Decimal("1.4")
    assert Notification.objects.filter(recipient=liaison, title__contains="已启动").exists()
    with pytest.raises(ValidationError, match="已有考核批次"):
        campaigns.create_campaign(staff, period="2025Q4", self_deadline=DEADLINE)
    with pytest.raises(ValidationError, match="不能启动评估"):
        campaigns.open_campaign(staff, campaign)


def test_self_assessment_rules(world):
    staff, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    score = score_of(campaign, econ, "A1-1")
    with pytest.raises(ValidationError, match="请填写自评说明"):
        scores.submit(liaison, score, today=FILLING_DAY)
    with pytest.raises(ValidationError, match="0～10 分之间"):
        scores.save_self_assessment(liaison, score, "说明", Decimal("10.5"))
    scores.save_self_assessment(liaison, score, "聚焦主责主业。", Decimal("9"))
    with pytest.raises(ValidationError, match=f"自评截止日期（{DEADLINE:%Y-%m-%d}）已过"):
        scores.submit(liaison, score, today=DEADLINE + dt.timedelta(days=1))
    assert refresh(scores.submit(liaison, score, today=FILLING_DAY)).status == Score.Status.SUBMITTED
    with pytest.raises(ValidationError, match="不能提交自评"):
        scores.submit(liaison, score, today=FILLING_DAY)
    other = score_of(campaign, enforce, "A1-1")
    with pytest.raises(PermissionDenied):
        scores.save_self_assessment(liaison, other, "越权填报", Decimal(5))


def test_return_review_lock_unlock(world):
    staff, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    score = score_of(campaign, econ, "A2-2")
    scores.save_self_assessment(liaison, score, "整改到位。", Decimal(14))
    scores.submit(liaison, score, today=FILLING_DAY)
    with pytest.raises(PermissionDenied):
        scores.review(liaison, score, Decimal(10), "自己打分", today=FILLING_DAY)
    with pytest.raises(ValidationError, match="写明需要补充的材料"):
        scores.return_for_evidence(staff, score, " ")
    returned = scores.return_for_evidence(staff, score, "请补充销号佐证。", today=dt.date(2026, 1, 9))
    assert returned.status == Score.Status.RETURNED and returned.returned_count == 1
    assert returned.due == dt.date(2026, 1, 16)  # five working days after Friday 9 January
    assert Notification.objects.filter(recipient=liaison, title__contains="退回补充").exists()
    scores.submit(liaison, score, today=dt.date(2026, 1, 16))  # the new due date replaces the campaign's
    with pytest.raises(ValidationError, match="0～15 分之间"):
        scores.review(staff, score, Decimal(16), "超出满分")
    reviewed = scores.review(staff, score, Decimal(12), "基本到位。")
    assert reviewed.status == Score.Status.REVIEWED and reviewed.reviewed_by == staff
    assert scores.lock(staff, score).status == Score.Status.LOCKED
    with pytest.raises(ValidationError, match="写明理由"):
        scores.unlock(staff, score, "")
    assert scores.unlock(staff, score, "复核").status == Score.Status.REVIEWED


def test_office_reviews_a_criterion_never_submitted_only_after_its_due_date(world):
    staff, econ, enforce, liaison = world
    score = score_of(open_campaign(staff), econ, "A3-3")
    with pytest.raises(ValidationError, match="前不能直接评审"):
        scores.review(staff, score, Decimal(0), "未提交", today=FILLING_DAY)
    late = DEADLINE + dt.timedelta(days=1)
    assert scores.review(staff, score, Decimal(0), "逾期未提交", today=late).review_score == 0


def test_scoring_needs_every_criterion_locked_then_totals_stars_and_ranks(world):
    staff, econ, enforce, liaison = world
    known_problems(econ)
    campaign = open_campaign(staff)
    review_all(staff, campaign, lock=False)
    with pytest.raises(ValidationError, match="还有 18 项评估标准未锁定"):
        campaigns.score_campaign(staff, campaign)
    scores.lock_reviewed(staff, campaign)
    score = score_of(campaign, econ, "A2-2")
    scores.unlock(staff, score, "重新评审")
    scores.review(staff, score, Decimal(12), "复核后维持")
    scores.lock(staff, score)
    campaign = campaigns.score_campaign(staff, campaign)
    assert campaign.status == Campaign.Status.SCORED
    score = score_of(campaign, econ, "A2-2")
    # Ratios 0.7, 0.5, 0.875, 0.8 → mean 0.7188; reference 15 × 0.7188 = 10.78;
    # 12 × 0.6 + 10.78 × 0.4 = 11.51; × economic weight 0.8 = 9.21.
    assert (score.computed_ratio, score.base_points, score.points) == (Decimal("0.7188"), Decimal("11.51"),
                                                                     Decimal("9.21"))
    lines = scoring.explain(score, campaign.framework)
    assert lines[1] == "指标平均得分比例 = (0.7 + 0.5 + 0.875 + 0.8) ÷ 4 = 0.7188"
    assert lines[3] == "标准得分 = 12 × 0.6 + 10.78 × 0.4 = 11.51 分"
    assert lines[-1] == "加权得分 = 11.51 × 类别权重 0.8 = 9.21 分"
    assert "关联指标均暂无数据" in scoring.explain(score_of(campaign, econ, "A2-3"), campaign.framework)[1]
    econ_a = Assessment.objects.get(campaign=campaign, department=econ)
    enf_a = Assessment.objects.get(campaign=campaign, department=enforce)
    # Everything else at 80% of its maximum: 80 − 12 × 0.8 (the A2-2 review at 80%) + 9.21.
    assert econ_a.total == Decimal("80") - Decimal("9.60") + Decimal("9.21") == Decimal("79.61")
    # The enforcement department has no problems while the ledger is in use: its A2-2 ratios are all 1,
    # so 12 × 0.6 + 15 × 0.4 = 13.2, × 1.4 = 18.48 instead of 16.80 → 81.68.
    assert enf_a.total == Decimal("81.68") and (enf_a.stars, econ_a.stars) == (4, 3)
    assert (enf_a.rank_overall, econ_a.rank_overall, econ_a.rank_category, enf_a.rank_category) == (1, 2, 1, 1)
    assert scoring.total_explain(econ_a, campaign.star_rule, econ_a.scores.order_by("criterion__position")).endswith(
        "= 79.61 分，≥ 70 分，评为 3 星")


def test_publishing_sets_the_appeal_deadline_in_working_days(world):
    staff, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    review_all(staff, campaign)
    campaign = campaigns.score_campaign(staff, campaign)
    with pytest.raises(PermissionDenied):
        campaigns.publish_campaign(liaison, campaign)
    # Published on Wednesday 30 September 2026: 1–7 October are holidays, Saturday 10 October is a
    # 调休 working day, so the fifth working day is Tuesday 13 October.
    campaign = campaigns.publish_campaign(staff, campaign, today=dt.date(2026, 9, 30))
    assert campaign.status == Campaign.Status.PUBLISHED and campaign.appeal_deadline == dt.date(2026, 10, 13)
    assert Notification.objects.filter(recipient=liaison, title__contains="结果已发布").exists()
    with pytest.raises(ValidationError, match="不能退回评审"):
        campaigns.reopen_campaign(staff, campaign)


def test_settings_after_opening(world):
    staff, econ, enforce, liaison = world
    campaign = open_campaign(staff)
    with pytest.raises(ValidationError, match="启动后不能再修改考核期间"):
        campaigns.update_campaign(staff, campaign, {"period": "2026Q1"})
    campaign = campaigns.update_campaign(staff, campaign, {"self_deadline": dt.date(2026, 1, 20), "reveal_raters": True})
    assert set(Score.objects.filter(assessment__campaign=campaign).values_list("due", flat=True)) == {
        dt.date(2026, 1, 20)}
    with pytest.raises(PermissionDenied):
        campaigns.update_campaign(liaison, campaign, {"reveal_raters": False})
    assert campaigns.weight_or_default(campaign, "0.15") == Decimal("0.15")
    with pytest.raises(ValidationError, match="应大于 0 且不大于 1"):
        campaigns.weight_or_default(campaign, "1.5")
    with pytest.raises(ValidationError, match="不是数字"):
        campaigns.weight_or_default(campaign, "十个点")
