"""One criterion of an assessment: the department's self-assessment and the office's review.

    | action | 中文         | from                         | to        | by                  | rule                     |
    |--------|--------------|------------------------------|-----------|---------------------|--------------------------|
    | save   | 保存自评     | draft, returned              | (same)    | department / office | narrative, self score    |
    | submit | 提交自评     | draft, returned              | submitted | department / office | narrative and self score |
    |        |              |                              |           |                     | required; a department   |
    |        |              |                              |           |                     | only until the due date  |
    | return | 退回补充材料 | submitted, reviewed          | returned  | office              | note required; new due   |
    | review | 评审打分     | submitted, reviewed          | reviewed  | office              | 0 ≤ score ≤ 满分          |
    |        |              | draft, returned (after due)  |           |                     | (not submitted in time)  |
    | lock   | 锁定         | reviewed                     | locked    | office              |                          |
    | unlock | 解除锁定     | locked                       | reviewed  | office              | note required            |

Every action needs the campaign to be open (自评与评审中). The office may fill and submit a
self-assessment on a department's behalf (e.g. from a paper submission).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lvzhi.core.forms import check_upload
from lvzhi.core.models import ConcurrencyError, StoredFile
from lvzhi.core.notifications import notify

from ..models import Campaign, Score, plain
from ..workdays import add_working_days
from .common import is_liaison_of, is_office, liaisons, require_change, require_department_or_office, require_office

S = Score.Status
EVIDENCE_TYPES = {"pdf", "docx", "xlsx", "jpg", "jpeg", "png", "zip"}
RETURN_WORKING_DAYS = 5


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str | None
    by: str  # "department" (the department or the office on its behalf) or "office"
    note_required: bool = False


TRANSITIONS = (
    Transition("save", "保存自评", (S.DRAFT, S.RETURNED), None, "department"),
    Transition("submit", "提交自评", (S.DRAFT, S.RETURNED), S.SUBMITTED, "department"),
    Transition("return", "退回补充材料", (S.SUBMITTED, S.REVIEWED), S.RETURNED, "office", note_required=True),
    Transition("review", "评审打分", (S.SUBMITTED, S.REVIEWED, S.DRAFT, S.RETURNED), S.REVIEWED, "office"),
    Transition("lock", "锁定", (S.REVIEWED,), S.LOCKED, "office"),
    Transition("unlock", "解除锁定", (S.LOCKED,), S.REVIEWED, "office", note_required=True),
)
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}


def transition_for(action):
    return next((t for t in TRANSITIONS if t.action == action), None)


def available(score, user, today=None):
    """Actions ``user`` may take on ``score`` now (for the page's buttons)."""
    today = today or timezone.localdate()
    campaign = score.assessment.campaign
    if campaign.status != Campaign.Status.OPEN:
        return []
    office = is_office(user)
    liaison = is_liaison_of(user, score.assessment.department_id)
    actions = []
    for t in TRANSITIONS:
        if score.status not in t.sources or (t.by == "office" and not office) or not (office or liaison):
            continue
        if t.action == "review" and score.status in (S.DRAFT, S.RETURNED) and today <= score.due:
            continue
        if t.by == "department" and not office and today > score.due:
            continue
        actions.append(t.action)
    return actions


def _load(user, score, action, today=None):
    """The score locked for update, after checking role, visibility, campaign and state."""
    t = transition_for(action)
    current = Score.objects.select_for_update().select_related("assessment__campaign", "criterion").get(pk=score.pk)
    if t.by == "office":
        require_office(user, f"只有编办人员可以{t.label}。")
    else:
        require_department_or_office(user, current.assessment.department_id, "只有本部门联络员可以填报自评。")
    require_change(user, current)
    if current.assessment.campaign.status != Campaign.Status.OPEN:
        raise ValidationError(f"考核批次当前为“{current.assessment.campaign.get_status_display()}”，不能{t.label}。")
    if current.status not in t.sources:
        raise ValidationError(f"该标准当前为“{current.get_status_display()}”，不能{t.label}。")
    today = today or timezone.localdate()
    if t.by == "department" and not is_office(user) and today > current.due:
        raise ValidationError(f"自评截止日期（{current.due:%Y-%m-%d}）已过，请联系编办退回后补充。")
    if action == "review" and current.status in (S.DRAFT, S.RETURNED) and today <= current.due:
        raise ValidationError(f"部门尚未提交该标准的自评，截止日期（{current.due:%Y-%m-%d}）前不能直接评审。")
    return current


def checked_points(value, criterion, field):
    if value is None or value == "":
        return None
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: f"分值“{value}”不是数字。"})
    if not value.is_finite() or not Decimal(0) <= value <= criterion.max_points:
        raise ValidationError({field: f"分值应在 0～{plain(criterion.max_points)} 分之间（本标准满分 "
                                      f"{plain(criterion.max_points)} 分）。"})
    return value


def _save(score, **fields):
    for key, value in fields.items():
        setattr(score, key, value)
    score.version += 1
    score.save()
    return score


def save_self_assessment(user, score, narrative, self_score, expected_version=None, today=None):
    with transaction.atomic():
        current = _load(user, score, "save", today)
        if expected_version is not None and current.version != int(expected_version):
            raise ConcurrencyError(current)
        return _save(current, narrative=narrative.strip(), self_score=checked_points(self_score, current.criterion,
                                                                                "self_score"))


def submit(user, score, today=None):
    with transaction.atomic():
        current = _load(user, score, "submit", today)
        if not current.narrative.strip():
            raise ValidationError({"narrative": "请填写自评说明。"})
        if current.self_score is None:
            raise ValidationError({"self_score": "请填写自评分。"})
        return _save(current, status=S.SUBMITTED, submitted_at=timezone.now())


def return_for_evidence(user, score, note, due=None, today=None):
    """Send a criterion back for more evidence, with a new due date (default: 5 working days)."""
    if not note.strip():
        raise ValidationError({"note": "退回时请写明需要补充的材料。"})
    today = today or timezone.localdate()
    due = due or add_working_days(today, RETURN_WORKING_DAYS)
    if due < today:
        raise ValidationError({"due": "补充材料截止日期不能早于今天。"})
    with transaction.atomic():
        current = _load(user, score, "return", today)
        current = _save(current, status=S.RETURNED, return_note=note.strip(), due=due,
                        returned_count=current.returned_count + 1)
    notify(liaisons([current.assessment.department_id]), f"核心职能自评被退回补充：{current.criterion.name}",
           f"{note.strip()}（请于 {due:%Y-%m-%d} 前补充后重新提交）", current.get_absolute_url(), "核心职能评估")
    return current


def review(user, score, review_score, comment, today=None):
    with transaction.atomic():
        current = _load(user, score, "review", today)
        value = checked_points(review_score, current.criterion, "review_score")
        if value is None:
            raise ValidationError({"review_score": "请填写评审得分。"})
        return _save(current, status=S.REVIEWED, review_score=value, review_comment=comment.strip(),
                     reviewed_by=user, reviewed_at=timezone.now())


def lock(user, score):
    with transaction.atomic():
        return _save(_load(user, score, "lock"), status=S.LOCKED, locked_at=timezone.now())


def unlock(user, score, note):
    if not note.strip():
        raise ValidationError({"note": "解除锁定时请写明理由。"})
    with transaction.atomic():
        current = _load(user, score, "unlock")
        comment = f"{current.review_comment}\n（解除锁定：{note.strip()}）".strip()
        return _save(current, status=S.REVIEWED, locked_at=None, review_comment=comment)


def lock_reviewed(user, campaign):
    """Lock every reviewed criterion of an open campaign; returns how many were locked."""
    require_office(user, "只有编办人员可以锁定评审结果。")
    count = 0
    with transaction.atomic():
        for score in Score.objects.filter(assessment__campaign=campaign, status=S.REVIEWED).order_by("pk"):
            lock(user, score)
            count += 1
    return count


def perform(user, score, action, data):
    """Run a POSTed action with its fields (``note``, ``review_score``, ``comment``, ``due``)."""
    if action == "submit":
        return submit(user, score)
    if action == "return":
        return return_for_evidence(user, score, data.get("note", ""), data.get("due"))
    if action == "review":
        return review(user, score, data.get("review_score"), data.get("comment", ""))
    if action == "lock":
        return lock(user, score)
    if action == "unlock":
        return unlock(user, score, data.get("note", ""))
    raise ValidationError("未知的操作。")


def add_evidence(user, score, upload):
    """Store an evidence file with the score as its owner (checked: size, type matches content)."""
    content_type = check_upload(upload, EVIDENCE_TYPES)
    with transaction.atomic():
        current = _load(user, score, "save")
        stored = StoredFile(name=upload.name, size=upload.size, sha256=StoredFile.digest(upload),
                            content_type=content_type, uploaded_by=user, owner=current)
        stored.file.save(upload.name, upload, save=False)
        stored.save()
    return stored


def remove_evidence(user, score, stored):
    with transaction.atomic():
        current = _load(user, score, "save")
        owner_type = ContentType.objects.get_for_model(Score)
        if stored.owner_type_id != owner_type.pk or stored.owner_id != str(current.pk):
            raise PermissionDenied("该文件不属于此评估标准。")
        stored.file.delete(save=False)
        stored.delete()


def evidence(score):
    return StoredFile.objects.filter(owner_type=ContentType.objects.get_for_model(Score),
                                     owner_id=str(score.pk)).order_by("uploaded_at", "pk")

