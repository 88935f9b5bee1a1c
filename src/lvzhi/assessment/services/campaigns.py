"""Campaigns (考核批次): create, open, score, publish.

    | action  | 中文             | from          | to        | by     | rule                                   |
    |---------|------------------|---------------|-----------|--------|----------------------------------------|
    | open    | 启动评估         | draft         | open      | office | creates each assessed department's     |
    |         |                  |               |           |        | assessment and the mutual evaluations  |
    | score   | 计算得分并评星   | open, scored  | scored    | office | every criterion of every assessment    |
    |         |                  |               |           |        | locked                                 |
    | reopen  | 退回评审         | scored        | open      | office | to unlock and correct before publishing|
    | publish | 发布结果         | scored        | published | office | starts the appeal period (working days)|
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.notifications import notify
from lvzhi.org.models import Department

from ..models import Assessment, Campaign, Framework, Score, StarRule
from ..periods import Period
from ..workdays import add_working_days
from . import mutual, scoring
from .common import liaisons, require_change, require_office

S = Campaign.Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str


TRANSITIONS = (
    Transition("open", "启动评估", (S.DRAFT,), S.OPEN),
    Transition("score", "计算得分并评星", (S.OPEN, S.SCORED), S.SCORED),
    Transition("reopen", "退回评审", (S.SCORED,), S.OPEN),
    Transition("publish", "发布结果", (S.SCORED,), S.PUBLISHED),
)
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}


def available(campaign):
    return [t for t in TRANSITIONS if campaign.status in t.sources]


def _transition(campaign, action):
    t = next((t for t in TRANSITIONS if t.action == action), None)
    if t is None:
        raise ValidationError("未知的操作。")
    if campaign.status not in t.sources:
        raise ValidationError(f"考核批次当前为“{campaign.get_status_display()}”，不能{t.label}。")
    return t


def default_name(period):
    return f"{period.label}核心职能履行评估"


def create_campaign(user, *, period, self_deadline, name="", reveal_raters=False, performance_weight=None,
                    framework=None, star_rule=None, doc_no=""):
    """A draft campaign for ``period`` on the current (or given) framework and star rule."""
    require_office(user, "只有编办人员可以创建考核批次。")
    period = Period.parse(period)
    framework = framework or Framework.current()
    star_rule = star_rule or StarRule.current()
    if framework is None or star_rule is None:
        raise ValidationError("尚未加载评估框架或评星规则，请先运行 lvzhi load-library。")
    with transaction.atomic():
        existing = Campaign.objects.filter(period=period.code, framework__code=framework.code).first()
        if existing is not None:
            raise ValidationError(f"考核期间 {period.label} 已有考核批次“{existing.name}”。")
        campaign = Campaign.objects.create(
            name=name.strip() or default_name(period), kind=period.kind, period=period.code, framework=framework,
            star_rule=star_rule, self_deadline=self_deadline, reveal_raters=reveal_raters, doc_no=doc_no,
            performance_weight=star_rule.performance_weight if performance_weight is None else performance_weight,
            created_by=user,
        )
    return campaign


# Settings that stay editable after opening: they change no one's scores.
LATER_FIELDS = {"name", "self_deadline", "reveal_raters", "performance_weight", "doc_no"}


def update_campaign(user, campaign, values, expected_version=None):
    require_office(user, "只有编办人员可以修改考核批次。")
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_change(user, current)
        if expected_version is not None and current.version != int(expected_version):
            raise ConcurrencyError(current)
        locked = set(values) - LATER_FIELDS if current.status != S.DRAFT else set()
        changed = {k for k in locked if getattr(current, k) != values[k]}
        if changed:
            raise ValidationError("考核批次启动后不能再修改考核期间、评估框架和评星规则。")
        values = {k: v for k, v in values.items() if not (k in ("framework", "performance_weight") and v is None)}
        if "period" in values:
            period = Period.parse(values["period"])
            values = {**values, "period": period.code, "kind": period.kind}
            code = values.get("framework", current.framework).code
            if Campaign.objects.filter(period=period.code, framework__code=code).exclude(pk=current.pk).exists():
                raise ValidationError(f"考核期间 {period.label} 已有考核批次。")
        if "name" in values and not values["name"].strip():
            values["name"] = default_name(Period.parse(values.get("period", current.period)))
        for key, value in values.items():
            setattr(current, key, value)
        deadline_moved = current.status == S.OPEN and "self_deadline" in values
        current.version += 1
        current.save()
        if deadline_moved:
            # Criteria still in draft follow the campaign's deadline (returned ones keep their own).
            for score in Score.objects.filter(assessment__campaign=current, status=Score.Status.DRAFT):
                score.due = current.self_deadline
                score.version += 1
                score.save(update_fields=["due", "version", "updated_at"])
    return current


def open_campaign(user, campaign):
    require_office(user, "只有编办人员可以启动考核批次。")
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_change(user, current)
        t = _transition(current, "open")
        departments = list(Department.objects.visible_to(user).filter(assessed=True).order_by("position", "code"))
        if not departments:
            raise ValidationError("没有纳入核心职能评估的部门（请在部门信息中勾选“纳入核心职能评估”）。")
        criteria = list(current.framework.criteria.order_by("position"))
        for department in departments:
            assessment = Assessment.objects.create(campaign=current, department=department,
                                                   category=department.category, created_by=user)
            for criterion in criteria:
                Score.objects.create(assessment=assessment, criterion=criterion, due=current.self_deadline,
                                     weight=current.framework.weight_for(department.category, criterion.code),
                                     created_by=user)
        pairs = mutual.create_for_campaign(current, user)
        current.status, current.opened_at = t.target, timezone.now()
        current.version += 1
        current.save()
    raters = set(current.evaluations.values_list("rater_id", flat=True))
    notify(liaisons({d.pk for d in departments} | raters), f"{current.name}已启动",
           f"请在 {current.self_deadline:%Y-%m-%d} 前完成核心职能自评；共有 {pairs} 项相互评价待填写。",
           current.get_absolute_url(), "核心职能评估")
    return current


@dataclass
class Unlocked:
    department: str
    count: int


def unlocked(campaign):
    """Departments with criteria not yet locked, and how many (one query)."""
    rows = (Assessment.objects.filter(campaign=campaign)
            .annotate(n=Count("scores", filter=~Q(scores__status=Score.Status.LOCKED)))
            .filter(n__gt=0).select_related("department").order_by("department__position", "department__code"))
    return [Unlocked(a.department.label, a.n) for a in rows]


def score_campaign(user, campaign):
    require_office(user, "只有编办人员可以计算得分。")
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_change(user, current)
        t = _transition(current, "score")
        waiting = unlocked(current)
        if waiting:
            listed = "、".join(f"{u.department} {u.count} 项" for u in waiting[:8])
            raise ValidationError(f"还有 {sum(u.count for u in waiting)} 项评估标准未锁定（{listed}），"
                                  "锁定全部评审结果后才能计算得分。")
        scoring.score_campaign(current)
        current.status, current.scored_at = t.target, timezone.now()
        current.version += 1
        current.save()
    return current


def reopen_campaign(user, campaign):
    require_office(user, "只有编办人员可以退回评审。")
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_change(user, current)
        current.status = _transition(current, "reopen").target
        current.version += 1
        current.save()
    return current


def publish_campaign(user, campaign, today=None):
    require_office(user, "只有编办人员可以发布评估结果。")
    today = today or timezone.localdate()
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_change(user, current)
        current.status = _transition(current, "publish").target
        current.published_at = timezone.now()
        current.appeal_deadline = add_working_days(today, current.star_rule.appeal_working_days)
        current.version += 1
        current.save()
    departments = current.assessments.values_list("department_id", flat=True)
    notify(liaisons(departments), f"{current.name}结果已发布",
           f"如对评分有异议，可在 {current.appeal_deadline:%Y-%m-%d} 前对具体评估标准提出申诉。",
           current.get_absolute_url(), "核心职能评估")
    return current


PERFORM = {"open": open_campaign, "score": score_campaign, "reopen": reopen_campaign, "publish": publish_campaign}


def perform(user, campaign, action):
    if action not in PERFORM:
        raise ValidationError("未知的操作。")
    return PERFORM[action](user, campaign)


def weight_or_default(campaign, value):
    """The performance weight to export with: ``value`` if given (0 < w ≤ 1), else the campaign's."""
    if value in (None, ""):
        return campaign.performance_weight
    try:
        weight = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError(f"权重“{value}”不是数字。")
    if not weight.is_finite() or not Decimal(0) < weight <= 1:
        raise ValidationError(f"权重“{value}”应大于 0 且不大于 1（如 0.1 表示 10%）。")
    return weight
