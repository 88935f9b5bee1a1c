"""职责任务清单 and 三定执行检查.

A department breaks its current mandate's duties into tasks and, each period (a quarter by
default), reports on every duty or task; the office reviews each report.

    state      action   by                 next
    draft      submit   department/office  submitted   (needs a result and, unless fulfilled or
    returned   submit   department/office  submitted    not applicable, a narrative)
    submitted  accept   office             accepted
    submitted  return   office (reason)    returned
    accepted   return   office (reason)    returned

A check accepted as partly or not fulfilled can be handed to a follow-up registered in
``check_followups`` (the problems module registers "转为问题" there).
"""

from dataclasses import dataclass
from typing import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from lvzhi.core.forms import check_upload
from lvzhi.core.models import ConcurrencyError, StoredFile
from lvzhi.core.notifications import notify
from lvzhi.org.models import Department, MandateDuty

from ..models import DutyTask, MandateCheck, valid_period
from .common import actor, liaisons, require_change, require_department, require_office

S = MandateCheck.Status
R = MandateCheck.Result
EVIDENCE_TYPES = {"pdf", "docx", "xlsx", "jpg", "jpeg", "png", "zip"}


# ---------------------------------------------------------------- follow-ups (e.g. problems)


@dataclass(frozen=True)
class CheckFollowup:
    """``handler(check, user)`` creates the follow-up record and returns it (a model instance
    with ``get_absolute_url``); it runs inside the transaction that links it to the check."""

    key: str
    label: str
    handler: Callable


check_followups = {}


def register_check_followup(key, label, handler):
    """Called by another app's ``AppConfig.ready``, e.g.
    ``register_check_followup("problem", "转为问题", problems.services.problem_from_check)``."""
    check_followups[key] = CheckFollowup(key, label, handler)


def follow_up(user, check, key):
    """Hand a partly/not fulfilled, accepted check to the follow-up ``key``; return
    ``(record, created)``. A check already handed on returns its existing record."""
    require_office(user, "只有编办人员可以将检查结果转为问题。")
    followup = check_followups.get(key)
    if followup is None:
        raise ValidationError("该后续处理方式未启用。")
    with transaction.atomic():
        current = MandateCheck.objects.select_for_update().get(pk=check.pk)
        existing = current.followup if current.followup_id else None
        if existing is not None:
            return existing, False
        if not current.needs_followup:
            raise ValidationError("只有已审核且为“部分履行”或“未履行”的检查可以转为后续处理。")
        record = followup.handler(current, user)
        current.followup_type = ContentType.objects.get_for_model(record)
        current.followup_id = str(record.pk)
        current.version += 1
        current.save()
    return record, True


def followup_record(check, user):
    """The record ``check`` was handed on to, if ``user`` may see it (a problem reaches a
    department only once the office issues it)."""
    if not check.followup_id or check.followup_type_id is None:
        return None
    model = check.followup_type.model_class()
    if model is None:
        return None
    manager = model.objects
    qs = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
    return qs.filter(pk=check.followup_id).first()


# ---------------------------------------------------------------- tasks


def save_task(user, duty, values, task=None, expected_version=None):
    """Create or edit a task of ``duty`` (the department for its own duties, or the office)."""
    with transaction.atomic():
        require_department(user, duty.mandate.department)
        if not duty.mandate.is_current:
            raise ValidationError("只能为现行三定规定的职责分解任务。")
        if task is None:
            last = DutyTask.objects.filter(duty=duty).aggregate(m=Max("position"))["m"] or 0
            task = DutyTask(duty=duty, position=last + 1, created_by=actor(user))
        else:
            current = DutyTask.objects.select_for_update().get(pk=task.pk)
            require_change(user, current)
            if expected_version is not None and current.version != int(expected_version):
                raise ConcurrencyError(current)
            task.version = current.version + 1
        for k, v in values.items():
            setattr(task, k, v)
        task.save()
    return task


def delete_task(user, task):
    """Delete a task that was never reported on; a reported task can only be deactivated."""
    with transaction.atomic():
        require_change(user, task)
        if task.checks.exclude(status=S.DRAFT).exists():
            raise ValidationError("该任务已有报送记录，不能删除，可改为停用。")
        task.delete()


# ---------------------------------------------------------------- checks


def open_check(user, duty, period, task=None):
    """The check of ``duty`` (or ``task``) for ``period``, created as a draft on first use."""
    if not valid_period(period):
        raise ValidationError(f"检查期间“{period}”无效，应为如 2026Q3（季度）、2026H1（半年）或 2026（年度）。")
    if task is not None and task.duty_id != duty.pk:
        raise ValidationError("任务不属于该职责。")
    department = duty.mandate.department
    with transaction.atomic():
        require_department(user, department)
        check, _ = MandateCheck.objects.get_or_create(
            duty=duty, task=task, period=period,
            defaults={"department": department, "created_by": actor(user)},
        )
    return check


def save_check(user, check, result, narrative, expected_version=None):
    with transaction.atomic():
        current = MandateCheck.objects.select_for_update().get(pk=check.pk)
        require_change(user, current)
        if expected_version is not None and current.version != int(expected_version):
            raise ConcurrencyError(current)
        if not current.editable:
            raise ValidationError("该检查已提交，不能修改。")
        current.result = result or ""
        current.narrative = narrative.strip()
        current.version += 1
        current.save()
    return current


def add_evidence(user, check, upload):
    """Store an uploaded evidence file with the check as its owner."""
    content_type = check_upload(upload, EVIDENCE_TYPES)
    with transaction.atomic():
        current = MandateCheck.objects.select_for_update().get(pk=check.pk)
        require_change(user, current)
        if not current.editable:
            raise ValidationError("该检查已提交，不能再上传佐证材料。")
        stored = StoredFile(
            name=upload.name, size=upload.size, sha256=StoredFile.digest(upload), content_type=content_type,
            uploaded_by=actor(user), owner=current,
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
    return stored


def evidence(check):
    return StoredFile.objects.filter(
        owner_type=ContentType.objects.get_for_model(MandateCheck), owner_id=str(check.pk)
    ).order_by("uploaded_at")


def remove_evidence(user, check, stored):
    with transaction.atomic():
        require_change(user, check)
        if not check.editable:
            raise ValidationError("该检查已提交，不能删除佐证材料。")
        if stored.owner_id != str(check.pk) or stored.owner_type_id != ContentType.objects.get_for_model(check).pk:
            raise PermissionDenied
        stored.file.delete(save=False)
        stored.delete()


TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED, "department"),
    "accept": ({S.SUBMITTED}, S.ACCEPTED, "office"),
    "return": ({S.SUBMITTED, S.ACCEPTED}, S.RETURNED, "office"),
}
ACTION_LABELS = {"submit": "提交", "accept": "审核通过", "return": "退回"}


def transition(user, check, action, note=""):
    if action not in TRANSITIONS:
        raise ValidationError("未知的操作。")
    sources, target, who = TRANSITIONS[action]
    if who == "office":
        require_office(user, "只有编办人员可以审核三定执行检查。")
    if action == "return" and not note.strip():
        raise ValidationError({"note": "退回时请填写审核意见。"})
    with transaction.atomic():
        current = MandateCheck.objects.select_for_update().get(pk=check.pk)
        require_change(user, current)
        if current.status not in sources:
            raise ValidationError(f"该检查当前为“{current.get_status_display()}”，不能{ACTION_LABELS[action]}。")
        if action == "submit":
            if not current.result:
                raise ValidationError("请先选择履职情况。")
            if current.result in (R.PARTLY, R.NOT_FULFILLED) and not current.narrative:
                raise ValidationError("部分履行或未履行时请填写情况说明。")
            current.submitted_at = timezone.now()
        else:
            current.reviewed_by = actor(user)
            current.reviewed_at = timezone.now()
            current.review_note = note.strip()
        current.status = target
        current.version += 1
        current.save()
    if action == "return":
        notify(liaisons([current.department_id]), "三定执行检查被退回", f"{current}：{current.review_note}",
               current.get_absolute_url(), "三定检查")
    return current


# ---------------------------------------------------------------- per-department figures


@dataclass
class DepartmentCoverage:
    department: object
    duties: int
    reported: int
    checks: int
    fulfilled: int
    applicable: int
    never_reported: list

    @property
    def coverage(self):
        return self.reported / self.duties if self.duties else None

    @property
    def fulfilled_share(self):
        return self.fulfilled / self.applicable if self.applicable else None


def coverage(user, period, departments=None):
    """Per department (visible to ``user``): share of current duties reported for ``period``,
    share of reported checks fulfilled, and duties never reported in any period."""
    visible = Department.objects.visible_to(user)
    if departments is not None:
        visible = visible.filter(pk__in=[d.pk for d in departments])
    duties = MandateDuty.objects.filter(mandate__is_current=True, mandate__department__in=visible)
    reported = MandateCheck.objects.exclude(status=S.DRAFT).filter(duty__in=duties)
    total = dict(duties.values_list("mandate__department").annotate(n=Count("pk")).order_by())
    in_period = dict(
        reported.filter(period=period).values_list("department").annotate(n=Count("duty", distinct=True)).order_by()
    )
    results = {
        row["department"]: row
        for row in reported.filter(period=period).values("department").annotate(
            checks=Count("pk"),
            fulfilled=Count("pk", filter=Q(result=R.FULFILLED)),
            applicable=Count("pk", filter=~Q(result=R.NOT_APPLICABLE)),
        ).order_by()
    }
    never = {}
    for dep_id, number, text in (
        duties.exclude(pk__in=reported.values("duty")).values_list("mandate__department", "number", "text")
        .order_by("mandate__department", "number")
    ):
        never.setdefault(dep_id, []).append((number, text))
    rows = []
    for dep in visible.filter(pk__in=total.keys()).order_by("position", "code"):
        r = results.get(dep.pk, {})
        rows.append(DepartmentCoverage(
            dep, total.get(dep.pk, 0), in_period.get(dep.pk, 0), r.get("checks", 0), r.get("fulfilled", 0),
            r.get("applicable", 0), never.get(dep.pk, []),
        ))
    return rows
