"""申诉: within the star rule's working days after publication a department may appeal one
criterion's score; the office upholds it or changes the review score, which recomputes the
department's total, stars and the campaign's ranks. Both the appeal and the decision stay on the
assessment.

    | action | 中文     | from    | to               | by         |
    |--------|----------|---------|------------------|------------|
    | file   | 提出申诉 | —       | pending          | department |
    | uphold | 维持原评分 | pending | upheld           | office     |
    | change | 调整评分 | pending | changed          | office     |
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lvzhi.core.notifications import notify

from ..models import Appeal, Score, plain
from . import scoring
from .common import is_liaison_of, liaisons, office_users, require_change, require_office
from .scores import checked_points


def file_appeal(user, score, reason, today=None):
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "请写明申诉理由。"})
    with transaction.atomic():
        current = Score.objects.select_for_update().select_related("assessment__campaign", "criterion").get(pk=score.pk)
        if not is_liaison_of(user, current.assessment.department_id):
            raise PermissionDenied("只有被评估部门的联络员可以提出申诉。")
        require_change(user, current)
        campaign = current.assessment.campaign
        if not campaign.is_published:
            raise ValidationError("评估结果发布后才能提出申诉。")
        if not campaign.appeal_open(today):
            raise ValidationError(f"申诉期已于 {campaign.appeal_deadline:%Y-%m-%d} 结束。")
        if Appeal.objects.filter(score=current, status=Appeal.Status.PENDING).exists():
            raise ValidationError("该标准已有待处理的申诉。")
        appeal = Appeal.objects.create(
            assessment=current.assessment, score=current, reason=reason.strip(), created_by=user,
            old_review_score=current.review_score, old_points=current.points,
        )
    notify(office_users(), f"核心职能评估申诉：{current.assessment.department.label}", current.criterion.name,
           appeal.get_absolute_url(), "核心职能评估")
    return appeal


def decide_appeal(user, appeal, decision, note, new_review_score=None):
    """``decision`` is "uphold" or "change" (with ``new_review_score``)."""
    require_office(user, "只有编办人员可以处理申诉。")
    if decision not in ("uphold", "change"):
        raise ValidationError("请选择维持原评分或调整评分。")
    if not note.strip():
        raise ValidationError({"note": "请填写处理意见。"})
    with transaction.atomic():
        current = Appeal.objects.select_for_update().select_related(
            "score__criterion", "assessment__campaign__framework", "assessment__campaign__star_rule").get(pk=appeal.pk)
        require_change(user, current)
        if current.status != Appeal.Status.PENDING:
            raise ValidationError(f"该申诉已{current.get_status_display()}。")
        score = Score.objects.select_for_update().select_related("criterion").get(pk=current.score_id)
        if decision == "change":
            value = checked_points(new_review_score, score.criterion, "new_review_score")
            if value is None or value == score.review_score:
                raise ValidationError({"new_review_score": "调整评分时请填写与原评审得分不同的新得分。"})
            score.review_score = value
            score.review_comment = (f"{score.review_comment}\n（申诉调整：{plain(current.old_review_score or Decimal(0))}"
                                    f" → {plain(value)} 分，{note.strip()}）").strip()
            score.version += 1
            score.save()
            scoring.rescore_assessment(score.assessment)
            score.refresh_from_db()
            current.new_review_score, current.status = value, Appeal.Status.CHANGED
        else:
            current.new_review_score, current.status = score.review_score, Appeal.Status.UPHELD
        current.new_points = score.points
        current.decision_note, current.decided_by, current.decided_at = note.strip(), user, timezone.now()
        current.version += 1
        current.save()
    notify(liaisons([current.assessment.department_id]), f"申诉已处理：{current.get_status_display()}",
           f"{current.score.criterion.name}：{note.strip()}", current.get_absolute_url(), "核心职能评估")
    return current
