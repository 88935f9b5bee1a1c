"""Finding and editing problems, and sharing them with oversight bodies."""

from django.db import transaction

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.roles import OversightBody

from ..models import Problem, ProblemEvent, ProblemShare, Source, State
from .base import TransitionError, attach, lock_problem, require_office, tell, users_with_roles

EDITABLE = (
    "title", "description", "type", "source", "department", "mandate_duty", "boundary_clause", "matter",
    "duty_point", "inspection", "survey", "severity", "policy_basis", "found_on", "handler",
)
FINAL_STATES = (State.CLOSED, State.WITHDRAWN)


def _number(problem):
    return f"WT{problem.found_on:%Y}-{problem.pk:05d}"


def create_problem(*, by, title, description, department, source, type=None, related=(), files=(), note="",
                   check_role=True, links=(), **fields):
    """登记问题: a new problem in 分析. Office staff file problems; services that turn a visit
    finding, a low survey score or an oversight clue into a problem call this with ``check_role``
    already done."""
    if check_role:
        require_office(by, "登记问题")
    if source not in Source.values:
        raise TransitionError(f"未知的问题来源：{source}")
    with transaction.atomic():
        problem = Problem(
            title=title, description=description, department=department, source=source, type=type,
            category=type.category if type else None, created_by=by,
            handler=fields.pop("handler", None) or (by if check_role else None), **fields,
        )
        if type is not None and "severity" not in fields:
            problem.severity = type.default_severity
        problem.save()
        problem.number = _number(problem)
        problem.save(update_fields=["number"])
        problem.related_departments.set([d for d in related if d.pk != department.pk])
        event = ProblemEvent.objects.create(
            problem=problem, action="create", to_state=State.ANALYSIS, actor=by, note=note, created_by=by
        )
        attach(event, files, by)
        if links:
            from ..links import link

            for target in links:
                link(problem, target, by=by)
    return problem


def update_problem(problem, *, by, expected_version=None, related=None, note="", **fields):
    """修改问题信息 (office): any field of a problem that is not closed or withdrawn."""
    require_office(by, "修改问题")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TransitionError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        current = lock_problem(problem, by)
        if expected_version is not None and current.version != int(expected_version):
            raise ConcurrencyError(current)
        if current.state in FINAL_STATES:
            raise TransitionError("已销号或已撤回的问题不能修改，请先重新打开。")
        changed = []
        for key, value in fields.items():
            if getattr(current, key) != value:
                setattr(current, key, value)
                changed.append(Problem._meta.get_field(key).verbose_name)
        if "type" in fields:
            current.category = current.type.category if current.type else None
        old_related = set(current.related_departments.values_list("pk", flat=True))
        if related is not None and old_related != {d.pk for d in related}:
            changed.append("相关部门")
        if not changed:
            return current
        current.version += 1
        current.save()
        if related is not None:
            current.related_departments.set([d for d in related if d.pk != current.department_id])
        ProblemEvent.objects.create(
            problem=current, action="edit", from_state=current.state, to_state=current.state, actor=by,
            note=note or f"修改了：{'、'.join(changed)}", data={"fields": changed}, created_by=by,
        )
    return current


def share(problem, *, by, body, note=""):
    """共享给纪检监察、巡察或审计机关: the body's liaisons then see the problem and its progress."""
    require_office(by, "共享问题")
    if body not in OversightBody.values:
        raise TransitionError("请选择纪检监察、巡察或审计机关。")
    with transaction.atomic():
        current = lock_problem(problem, by)
        _, created = ProblemShare.objects.get_or_create(
            problem=current, body=body, defaults={"shared_by": by, "note": note}
        )
        if not created:
            return current
        label = OversightBody(body).label
        ProblemEvent.objects.create(
            problem=current, action="share", from_state=current.state, to_state=current.state, actor=by,
            note=note, data={"body": body}, internal=True, created_by=by,
        )
        overseers = [u for u in users_with_roles("oversight") if body in _bodies(u)]
        tell(overseers, current, f"编办共享问题：{current.title}", f"已共享给{label}。{note}", kind="share")
    return current


def unshare(problem, *, by, body, note=""):
    require_office(by, "取消共享")
    with transaction.atomic():
        current = lock_problem(problem, by)
        deleted, _ = ProblemShare.objects.filter(problem=current, body=body).delete()
        if deleted:
            ProblemEvent.objects.create(
                problem=current, action="unshare", from_state=current.state, to_state=current.state, actor=by,
                note=note, data={"body": body}, internal=True, created_by=by,
            )
    return current


def _bodies(user):
    return {a.body for a in user.role_assignments.all() if a.body}

