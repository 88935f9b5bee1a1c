"""What each user may see of a campaign's results, and the figures pages, the dashboard and the
API show.

- The office and leaders see every department's results and breakdowns at any time.
- A department sees its own self-assessment, review comments and indicators at any time, and its
  points, total, stars and ranks once the campaign is published. After publication it also sees
  the other departments' totals, stars and ranks (the published ranking), never their breakdown:
  that lives in ``Score``, which no rule opens to other departments.
"""

from decimal import Decimal

from django.db.models import Avg, Count, Q

from lvzhi.core.scoping import get_scope
from lvzhi.org.models import Department

from ..models import Assessment, Campaign, Score, plain, quantize
from .common import sees_all_results

S = Score.Status
TREND_LENGTH = 4


def results_visible(user, campaign):
    """Whether ``user`` may see points, totals, stars and ranks of ``campaign``."""
    return sees_all_results(user) or campaign.status == Campaign.Status.PUBLISHED


def breakdown_visible(user, assessment):
    return sees_all_results(user) or assessment.department_id in get_scope(user).department_ids


def campaign_rows(user, campaign):
    """The campaign's assessments ``user`` may see, with progress counts, in one query."""
    qs = (Assessment.objects.visible_to(user).filter(campaign=campaign).select_related("department")
          .annotate(n_scores=Count("scores"),
                    n_submitted=Count("scores", filter=Q(scores__status=S.SUBMITTED)),
                    n_returned=Count("scores", filter=Q(scores__status=S.RETURNED)),
                    n_reviewed=Count("scores", filter=Q(scores__status__in=[S.REVIEWED, S.LOCKED])),
                    n_locked=Count("scores", filter=Q(scores__status=S.LOCKED))))
    if results_visible(user, campaign) and campaign.status in (Campaign.Status.SCORED, Campaign.Status.PUBLISHED):
        return qs.order_by("rank_overall", "department__position", "department__code")
    return qs.order_by("department__position", "department__code")


def category_label(code):
    return Department.Category(code).label if code in Department.Category.values else code


def _money(value):
    return None if value is None else str(plain(value))


def dashboard(user, campaign):
    """The dashboard's JSON: categories → departments → criteria, star counts and the trend."""
    visible = results_visible(user, campaign)
    assessments = list(Assessment.objects.visible_to(user).filter(campaign=campaign).select_related("department")
                       .order_by("rank_overall", "department__position", "department__code"))
    detail_ids = [a.pk for a in assessments if breakdown_visible(user, a)]
    criteria = {}
    if visible:
        scores = (Score.objects.visible_to(user).filter(assessment__in=detail_ids)
                  .select_related("criterion__aspect").order_by("criterion__position"))
        for s in scores:
            criteria.setdefault(s.assessment_id, []).append({
                "code": s.criterion.code, "name": s.criterion.name, "aspect": s.criterion.aspect.name,
                "points": _money(s.points), "max": _money(quantize(s.weighted_max)),
                "url": s.get_absolute_url(),
            })
    categories = {}
    for a in assessments:
        entry = {
            "id": a.pk, "code": a.department.code, "name": a.department.label,
            "total": _money(a.total) if visible else None, "stars": a.stars if visible else None,
            "rank_overall": a.rank_overall if visible else None, "rank_category": a.rank_category if visible else None,
            "url": a.get_absolute_url() if a.pk in detail_ids else None, "criteria": criteria.get(a.pk),
        }
        categories.setdefault(a.category, []).append(entry)
    order = {c: i for i, c in enumerate(Department.Category.values)}
    result = []
    for code in sorted(categories, key=lambda c: order.get(c, 99)):
        totals = [Decimal(d["total"]) for d in categories[code] if d["total"] is not None]
        result.append({"code": code, "name": category_label(code), "departments": categories[code],
                       "average": _money(quantize(sum(totals) / len(totals))) if totals else None})
    stars = {}
    if visible:
        for a in assessments:
            if a.stars:
                stars[a.stars] = stars.get(a.stars, 0) + 1
    return {
        "campaign": {"id": campaign.pk, "name": campaign.name, "period": campaign.period_label,
                     "status": campaign.get_status_display(), "results_visible": visible},
        "categories": result,
        "stars": [{"stars": k, "count": stars.get(k, 0)} for k in range(5, 0, -1)] if visible else [],
        "trend": trend(user, campaign),
    }


def trend_campaigns(user, campaign):
    """The last published campaigns of the same kind up to ``campaign`` (it included when its
    results are visible to ``user``), oldest first."""
    qs = Campaign.objects.filter(kind=campaign.kind, framework__code=campaign.framework.code,
                                 period__lte=campaign.period)
    visible = [c for c in qs.order_by("-period", "-pk")[:TREND_LENGTH * 2] if results_visible(user, c)]
    return sorted(visible[:TREND_LENGTH], key=lambda c: c.period)


def trend(user, campaign, department=None):
    """Category averages over the last campaigns, plus ``department``'s own totals (or, for a
    department user, its own departments' totals)."""
    campaigns = trend_campaigns(user, campaign)
    labels = [c.period_label for c in campaigns]
    rows = Assessment.objects.visible_to(user).filter(campaign__in=campaigns, total__isnull=False)
    averages = {}
    for row in rows.values("campaign_id", "category").annotate(avg=Avg("total")).order_by():
        averages[(row["campaign_id"], row["category"])] = row["avg"]
    series = []
    for code in Department.Category.values:
        data = [averages.get((c.pk, code)) for c in campaigns]
        if any(v is not None for v in data):
            series.append({"name": f"{category_label(code)}平均",
                           "data": [None if v is None else str(plain(quantize(v))) for v in data]})
    own = {department.pk} if department is not None else set(get_scope(user).department_ids)
    if own and not (department is None and sees_all_results(user)):
        totals = {}
        for row in rows.filter(department__in=own).select_related("department"):
            totals.setdefault(row.department.label, {})[row.campaign_id] = row.total
        for name, by_campaign in sorted(totals.items()):
            series.append({"name": name, "data": [_money(by_campaign.get(c.pk)) for c in campaigns]})
    return {"periods": labels, "series": series}
