"""相互评价: created when a campaign opens, given by the rater department while it is open, and
aggregated for the rated department without naming raters (unless the campaign reveals them).

For every matter with duty points, each point's lead rates each of the point's supporting
departments and each supporting department rates the lead; a pair of departments is rated once
per matter, whichever point brought them together.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import DIMENSIONS, Campaign, MutualEvaluation, quantize
from .common import is_liaison_of, require_change, sees_all_results

D = MutualEvaluation.Direction


def create_for_campaign(campaign, user):
    """The campaign's evaluations to give, from the matters' duty points; returns how many."""
    from lvzhi.duties.models import DutyPoint

    pairs = {}
    rows = DutyPoint.objects.filter(support__isnull=False).values_list("link__matter_id", "lead_id", "support__id")
    for matter, lead, support in rows.order_by("link__matter_id", "pk"):
        if support == lead:
            continue
        pairs.setdefault((matter, lead, support), D.LEAD_RATES_SUPPORT)
        pairs.setdefault((matter, support, lead), D.SUPPORT_RATES_LEAD)
    for (matter, rater, ratee), direction in pairs.items():
        MutualEvaluation.objects.create(campaign=campaign, matter_id=matter, rater_id=rater, ratee_id=ratee,
                                        direction=direction, created_by=user)
    return len(pairs)


def give(user, evaluation, scores, comment=""):
    """The rater department's rating: ``scores`` maps each dimension to a point on the scale."""
    with transaction.atomic():
        current = MutualEvaluation.objects.select_for_update().select_related("campaign__framework").get(
            pk=evaluation.pk)
        if not is_liaison_of(user, current.rater_id):
            raise PermissionDenied("只有评价部门的联络员可以填写相互评价。")
        require_change(user, current)
        if current.campaign.status != Campaign.Status.OPEN:
            raise ValidationError(f"考核批次当前为“{current.campaign.get_status_display()}”，不能填写相互评价。")
        framework = current.campaign.framework
        lo, hi = framework.mutual_scale_min, framework.mutual_scale_max
        for key, label in DIMENSIONS:
            value = scores.get(key)
            if value in (None, "") or not str(value).isdigit() or not lo <= int(value) <= hi:
                raise ValidationError({key: f"“{label}”请在 {lo}～{hi} 分之间打分。"})
            setattr(current, key, int(value))
        current.comment = (comment or "").strip()
        current.submitted_at = timezone.now()
        current.version += 1
        current.save()
    return current


@dataclass
class Aggregate:
    count: int
    raters: int
    scale_max: int
    dimensions: list  # [(label, average)]
    trimmed: int
    kept: list
    mean: Decimal


def aggregate(evaluations):
    """Trimmed mean of submitted evaluations (百分制), per-dimension averages; None if none."""
    rows = [e for e in evaluations if e.given]
    if not rows:
        return None
    framework = rows[0].campaign.framework
    scale_max = framework.mutual_scale_max
    scores = sorted(e.score(scale_max) for e in rows)
    trimmed = math.floor(len(scores) * framework.mutual_trim_share)
    kept = scores[trimmed:len(scores) - trimmed]
    dimensions = [(label, quantize(Decimal(sum(getattr(e, key) for e in rows)) / len(rows)))
                  for key, label in DIMENSIONS]
    return Aggregate(len(rows), len({e.rater_id for e in rows}), scale_max, dimensions, trimmed, kept,
                     quantize(sum(kept) / len(kept)))


@dataclass
class Received:
    campaign: Campaign
    aggregate: Aggregate | None
    rows: list  # individual evaluations the user may see (the office's, or revealed by the campaign)
    pending: int


def received(user, campaign, department):
    """What ``department`` received in ``campaign``: the aggregate, and rows only where allowed."""
    if not (sees_all_results(user) or is_liaison_of(user, department.pk)):
        raise PermissionDenied("您只能查看本部门收到的相互评价。")
    everything = list(MutualEvaluation.objects.filter(campaign=campaign, ratee=department)
                      .select_related("campaign__framework"))
    rows = (MutualEvaluation.objects.visible_to(user).filter(campaign=campaign, ratee=department,
                                                             submitted_at__isnull=False)
            .select_related("rater", "matter").order_by("matter__code", "rater__code"))
    return Received(campaign, aggregate(everything), list(rows), sum(1 for e in everything if not e.given))
