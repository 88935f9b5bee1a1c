"""Links from problems to records of modules built later (权责事项, 12345 工单, 评估…).

A module registers its model once (``register_target(PowerItem, "权责事项")`` in its AppConfig.ready),
then links a problem to a record with ``link(problem, item, by=user)`` and finds the problems about a
record with ``problems_about(item)``. The ledger filter 关联对象类别 “其他关联” covers these links.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Problem, ProblemEvent, ProblemLink
from .services.base import TransitionError, lock_problem, require_office

_targets = {}


def register_target(model, label):
    _targets[model._meta.label] = label


def target_label(model):
    return _targets.get(model._meta.label)


def link(problem, target, *, by, label=None):
    """Link ``problem`` to ``target`` (office); recorded on the timeline."""
    require_office(by, "关联问题")
    kind = target_label(type(target))
    if kind is None:
        raise TransitionError(f"{type(target)._meta.verbose_name}尚未登记为可关联的对象。")
    with transaction.atomic():
        current = lock_problem(problem, by)
        item, created = ProblemLink.objects.get_or_create(
            problem=current, target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
            defaults={"label": label or f"{kind}：{target}", "created_by": by},
        )
        if created:
            ProblemEvent.objects.create(problem=current, action="link", from_state=current.state,
                                        to_state=current.state, actor=by, note=item.label, created_by=by)
    return item


def problems_about(target):
    return Problem.objects.filter(
        links__target_type=ContentType.objects.get_for_model(target), links__target_id=str(target.pk))
