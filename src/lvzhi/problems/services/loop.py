"""The closed loop: one function per action of ``states.TRANSITIONS``. Each takes the acting user,
checks the table and the user's role and scope inside a transaction, changes the problem, records
an event (actor, time, note, attachments) and tells the people concerned."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.roles import Role
from lvzhi.core.scoping import get_scope

from .. import states
from ..models import ExtensionRequest, ProblemEvent, RectificationNotice, RectificationReport, State
from ..workdays import WorkCalendar
from .base import TransitionError, attach, liaisons, lock_problem, office_staff, tell

MAX_DAYS = 365


def _days(days, what="整改时限"):
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise TransitionError(f"请填写{what}（工作日数）。")
    if not 1 <= days <= MAX_DAYS:
        raise TransitionError(f"{what}应为 1–{MAX_DAYS} 个工作日。")
    return days


def _step(problem, action, by, *, note="", files=(), data=None, expected_version=None, change=None):
    """Run one transition; ``change(current, event_data)`` makes the action's own changes."""
    scope = get_scope(by)
    note = (note or "").strip()
    with transaction.atomic():
        current = lock_problem(problem, by, "view")
        t = states.find(action, current.state)
        if t is None:
            label = states.ACTION_LABELS.get(action, action)
            raise TransitionError(f"问题当前处于“{current.get_state_display()}”状态，不能“{label}”。")
        if t.by == states.OFFICE and not scope.is_office:
            raise PermissionDenied(f"只有编办人员可以“{t.label}”。")
        if t.by == states.DEPARTMENT and not scope.has(Role.DEPARTMENT):
            raise PermissionDenied(f"只有责任部门联络员可以“{t.label}”。")
        lock_problem(current, by)  # the change right: the primary department, or the office
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrencyError(current)
        if t.note_required and not note:
            raise TransitionError(f"请填写{t.note_label}。")
        if t.files_required and not files:
            raise TransitionError(f"“{t.label}”须附整改佐证材料。")
        data = dict(data or {})
        from_state = current.state
        if change:
            change(current, data)
        if t.target:
            current.state = t.target
        current.version += 1
        current.save()
        event = ProblemEvent.objects.create(
            problem=current, action=action, from_state=from_state, to_state=current.state, actor=by, note=note,
            data=data, created_by=by,
        )
        attach(event, files, by)
        _announce(current, t, by, note)
    problem.refresh_from_db()
    return event


def _announce(problem, t, by, note):
    if t.by == states.OFFICE:
        tell(liaisons(problem.department), problem, f"{t.label}：{problem.title}", note)
    else:
        tell([problem.handler] if problem.handler else office_staff(), problem,
             f"{problem.department.label}{t.label}：{problem.title}", note)


def issue(problem, *, by, days, doc_no="", requirements="", note="", files=(), expected_version=None):
    """下发整改通知书: deadline = ``days`` working days after today."""
    days = _days(days)

    def change(p, data):
        if p.type_id is None:
            raise TransitionError("下发前请先确定问题类别和类型。")
        today = timezone.localdate()
        p.deadline = WorkCalendar().add(today, days)
        p.deadline_days = days
        p.issued_at = timezone.now()
        p.handler = p.handler or by
        notice = RectificationNotice.objects.create(
            problem=p, doc_no=doc_no.strip() or _doc_no(p, today), issued_on=today, deadline=p.deadline,
            deadline_days=days, requirements=requirements.strip() or _default_requirements(p), created_by=by,
        )
        data.update(deadline=p.deadline.isoformat(), days=days, notice=notice.pk, doc_no=notice.doc_no)

    return _step(problem, "issue", by, note=note, files=files, change=change, expected_version=expected_version)


def _doc_no(problem, today):
    count = RectificationNotice._base_manager.filter(issued_on__year=today.year).count() + 1
    return f"编整改〔{today.year}〕{count}号"


def _default_requirements(problem):
    return (
        "请你单位高度重视，对照问题认真分析原因，制定切实可行的整改方案，明确整改措施、责任人和完成时限，"
        "按期报送整改进展和整改完成报告，并附相关佐证材料。"
    )


def acknowledge(problem, *, by, note="", files=(), expected_version=None):
    def change(p, data):
        p.acknowledged_at = timezone.now()

    return _step(problem, "acknowledge", by, note=note, files=files, change=change, expected_version=expected_version)


def _report(kind):
    def report(problem, *, by, note, files=(), expected_version=None):
        def change(p, data):
            data["round"] = p.rounds + 1
            if kind == RectificationReport.Kind.COMPLETION:
                p.completed_at = timezone.now()
                data["on_time"] = p.deadline is None or timezone.localdate() <= p.deadline

        action = {"plan": "submit_plan", "progress": "report_progress", "completion": "report_completion"}[kind]
        event = _step(problem, action, by, note=note, files=files, change=change, expected_version=expected_version)
        RectificationReport.objects.create(
            problem=event.problem, kind=kind, round=event.data["round"], content=event.note, event=event,
            submitted_at=event.at, created_by=by,
        )
        return event

    return report


submit_plan = _report(RectificationReport.Kind.PLAN)
report_progress = _report(RectificationReport.Kind.PROGRESS)
report_completion = _report(RectificationReport.Kind.COMPLETION)


def request_extension(problem, *, by, days, note, files=(), expected_version=None):
    days = _days(days, "申请延长的时限")

    def change(p, data):
        if ExtensionRequest.objects.filter(problem=p, status=ExtensionRequest.Status.PENDING).exists():
            raise TransitionError("已有一项延期申请正在审批，请等待编办答复。")
        ext = ExtensionRequest.objects.create(problem=p, days=days, reason=note.strip(), old_deadline=p.deadline,
                                              created_by=by)
        data.update(days=days, extension=ext.pk)

    return _step(problem, "request_extension", by, note=note, files=files, change=change,
                 expected_version=expected_version)


def _decide(action, granted):
    def decide(problem, *, by, note="", days=None, files=(), expected_version=None):
        def change(p, data):
            ext = ExtensionRequest.objects.select_for_update().filter(
                problem=p, status=ExtensionRequest.Status.PENDING).first()
            if ext is None:
                raise TransitionError("没有待审批的延期申请。")
            ext.status = ExtensionRequest.Status.GRANTED if granted else ExtensionRequest.Status.REFUSED
            ext.decided_by, ext.decided_at, ext.decision_note = by, timezone.now(), (note or "").strip()
            if granted:
                extra = _days(days if days not in (None, "") else ext.days, "延长的时限")
                base = max(p.deadline or timezone.localdate(), timezone.localdate())
                ext.new_deadline = p.deadline = WorkCalendar().add(base, extra)
                p.deadline_days = (p.deadline_days or 0) + extra
                data.update(days=extra, deadline=p.deadline.isoformat())
            ext.version += 1
            ext.save()
            data["extension"] = ext.pk

        return _step(problem, action, by, note=note, files=files, change=change, expected_version=expected_version)

    return decide


grant_extension = _decide("grant_extension", True)
refuse_extension = _decide("refuse_extension", False)


def accept(problem, *, by, note="", files=(), expected_version=None):
    """验收通过: the problem is closed (已销号)."""
    def change(p, data):
        p.closed_at = timezone.now()

    return _step(problem, "accept", by, note=note, files=files, change=change, expected_version=expected_version)


def reject(problem, *, by, note, days=None, files=(), expected_version=None):
    """退回整改 with reasons; the round is counted. ``days`` sets a new deadline from today."""
    def change(p, data):
        p.rounds += 1
        p.completed_at = None  # the completion report no longer stands; the next one is timed anew
        data["round"] = p.rounds
        if days not in (None, ""):
            p.deadline = WorkCalendar().add(timezone.localdate(), _days(days))
            data["deadline"] = p.deadline.isoformat()

    return _step(problem, "reject", by, note=note, files=files, change=change, expected_version=expected_version)


def withdraw(problem, *, by, note, files=(), expected_version=None):
    return _step(problem, "withdraw", by, note=note, files=files, expected_version=expected_version)


def reopen(problem, *, by, note, days=None, files=(), expected_version=None):
    """重新打开: a closed problem goes back to 整改 with a new deadline; a withdrawn one to 分析."""
    def change(p, data):
        p.closed_at = None
        if p.state == State.CLOSED:
            p.completed_at = None
            p.deadline = WorkCalendar().add(timezone.localdate(), _days(days, "新的整改时限"))
            p.deadline_days = int(days)
            data["deadline"] = p.deadline.isoformat()

    return _step(problem, "reopen", by, note=note, files=files, change=change, expected_version=expected_version)


TRANSITION_FUNCTIONS = {
    "issue": issue,
    "acknowledge": acknowledge,
    "request_extension": request_extension,
    "grant_extension": grant_extension,
    "refuse_extension": refuse_extension,
    "submit_plan": submit_plan,
    "report_progress": report_progress,
    "report_completion": report_completion,
    "accept": accept,
    "reject": reject,
    "withdraw": withdraw,
    "reopen": reopen,
}
assert set(TRANSITION_FUNCTIONS) == set(states.ACTIONS)


def perform(problem, action, *, by, **params):
    """Run ``action`` by name (API and CLI)."""
    fn = TRANSITION_FUNCTIONS.get(action)
    if fn is None:
        raise TransitionError(f"未知的操作：{action}")
    return fn(problem, by=by, **params)
