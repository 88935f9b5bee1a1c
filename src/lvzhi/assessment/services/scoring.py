"""The arithmetic of 赋分评星, written so that every step can be shown to the department.

    指标得分比例      from each linked indicator's value by its library rule (0–1)
    指标平均得分比例  c = mean of the ratios of the indicators that have data
    指标参考值        = 满分 M × c
    标准得分          = 评审得分 × (1 − k) + 指标参考值 × k      (k: framework.computed_share;
                        = 评审得分 when no linked indicator has data)
    加权得分          = 标准得分 × 类别权重 w
    综合得分          = Σ 加权得分 → 星级 by the star rule's thresholds
    排名              within the department category and overall (equal totals share a rank)

Amounts are rounded to 0.01 (ratios to 0.0001) at each step shown, so the figures on the page
add up exactly.
"""

from decimal import Decimal

from django.utils import timezone

from .. import indicators
from ..models import Assessment, IndicatorRule, Score, plain, quantize
from ..models.library import RATIO


def compute_indicators(campaign):
    """Evaluate every linked indicator for every assessment of ``campaign`` and store the results
    on the scores (each department's indicator is evaluated once even if two criteria use it)."""
    rules = {r.code: r for r in IndicatorRule.objects.filter(framework=campaign.framework)}
    period = campaign.period_info
    now = timezone.now()
    assessments = campaign.assessments.select_related("department").prefetch_related("scores__criterion")
    for assessment in assessments:
        cache = {}
        for score in assessment.scores.all():
            results = []
            for code in score.criterion.indicators:
                if code not in cache:
                    cache[code] = indicators.evaluate(rules[code], assessment.department, period)
                results.append(cache[code])
            ratios = [Decimal(r["ratio"]) for r in results if r["ratio"] is not None]
            score.indicators = results
            score.computed_ratio = quantize(sum(ratios) / len(ratios), RATIO) if ratios else None
            score.computed_at = now
            score.version += 1
            score.save(update_fields=["indicators", "computed_ratio", "computed_at", "version", "updated_at"])


def criterion_points(score, framework):
    """(标准得分, 加权得分) of a reviewed score."""
    review = score.review_score or Decimal(0)
    if score.computed_ratio is not None and framework.computed_share:
        reference = quantize(score.criterion.max_points * score.computed_ratio)
        share = framework.computed_share
        base = quantize(review * (1 - share) + reference * share)
    else:
        base = quantize(review)
    return base, quantize(base * score.weight)


def explain(score, framework):
    """The steps from the review score and indicators to the criterion's weighted points."""
    m, w = score.criterion.max_points, score.weight
    if score.review_score is None:
        return [f"尚未评审（满分 {plain(m)} 分，类别权重 {plain(w)}，加权满分 {plain(quantize(m * w))} 分）"]
    base, points = criterion_points(score, framework)
    lines = [f"评审得分 {plain(score.review_score)} 分（满分 {plain(m)} 分）"]
    ratios = [r for r in score.indicators if r.get("ratio") is not None]
    share = framework.computed_share
    if score.computed_ratio is not None and share:
        terms = " + ".join(plain(Decimal(r["ratio"])) for r in ratios)
        lines.append(f"指标平均得分比例 = ({terms}) ÷ {len(ratios)} = {plain(score.computed_ratio)}")
        reference = quantize(m * score.computed_ratio)
        lines.append(f"指标参考值 = 满分 {plain(m)} × {plain(score.computed_ratio)} = {plain(reference)} 分")
        lines.append(f"标准得分 = {plain(score.review_score)} × {plain(1 - share)} + {plain(reference)} × "
                     f"{plain(share)} = {plain(base)} 分")
    elif score.criterion.indicators:
        lines.append(f"关联指标均暂无数据，标准得分 = 评审得分 = {plain(base)} 分")
    else:
        lines.append(f"本标准无平台计算指标，标准得分 = 评审得分 = {plain(base)} 分")
    lines.append(f"加权得分 = {plain(base)} × 类别权重 {plain(w)} = {plain(points)} 分")
    return lines


def apply_points(score, framework):
    score.base_points, score.points = criterion_points(score, framework)
    score.version += 1
    score.save(update_fields=["base_points", "points", "version", "updated_at"])


def total_assessment(assessment, star_rule):
    """Sum the weighted points of an assessment's scores and give it its stars."""
    total = quantize(sum((s.points or Decimal(0)) for s in assessment.scores.all()))
    assessment.total = total
    assessment.stars = star_rule.stars_for(total)
    assessment.scored_at = timezone.now()
    assessment.version += 1
    assessment.save(update_fields=["total", "stars", "scored_at", "version", "updated_at"])


def rank(campaign):
    """Competition ranking (1, 1, 3 …) overall and within each category."""
    rows = list(Assessment.objects.filter(campaign=campaign, total__isnull=False).order_by("-total", "pk"))
    for row in rows:
        overall = 1 + sum(1 for other in rows if other.total > row.total)
        in_category = 1 + sum(1 for other in rows if other.category == row.category and other.total > row.total)
        if (row.rank_overall, row.rank_category) != (overall, in_category):
            row.rank_overall, row.rank_category = overall, in_category
            row.version += 1
            row.save(update_fields=["rank_overall", "rank_category", "version", "updated_at"])


def score_campaign(campaign):
    """Indicators, points, totals, stars and ranks for a whole campaign (inside the caller's
    transaction)."""
    compute_indicators(campaign)
    framework, star_rule = campaign.framework, campaign.star_rule
    for assessment in campaign.assessments.prefetch_related("scores__criterion"):
        for score in assessment.scores.all():
            apply_points(score, framework)
        total_assessment(assessment, star_rule)
    rank(campaign)


def rescore_assessment(assessment):
    """After an appeal changed a score: the assessment's total and stars, then the campaign's ranks."""
    campaign = assessment.campaign
    scores = Score.objects.filter(assessment=assessment).select_related("criterion")
    for score in scores:
        apply_points(score, campaign.framework)
    assessment = Assessment.objects.prefetch_related("scores").get(pk=assessment.pk)
    total_assessment(assessment, campaign.star_rule)
    rank(campaign)
    return assessment


def total_explain(assessment, star_rule, scores):
    """综合得分 and 星级 as the sum the page shows."""
    if assessment.total is None:
        return ""
    terms = " + ".join(plain(s.points) for s in scores if s.points is not None)
    stars = assessment.stars
    return (f"综合得分 = {terms} = {plain(assessment.total)} 分，{star_rule.threshold_text(stars)}，"
            f"评为 {stars} 星")
