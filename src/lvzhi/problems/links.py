"""Links from problems to records of other modules (权责事项, 12345 工单…).

A module registers its model once in its AppConfig.ready::

    register_target(PowerItem, "权责事项", key="power_item", ref_label="职权编码",
                    lookup=lambda ref, user: ...)

``lookup(ref, user)`` finds the record a user typed the reference of (a power code, a ticket
number), through ``visible_to`` so nobody links what they cannot see. The office then links a
problem with ``link(problem, record, by=user)`` or ``link_by_ref``; ``problems_about(record)``
lists the problems about a record. The ledger filter 关联对象类别 covers these links.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Problem, ProblemEvent, ProblemLink
from .services.base import TransitionError, lock_problem, require_office


@dataclass(frozen=True)
class Target:
    model: type
    label: str
    key: str
    ref_label: str
    lookup: object  # (ref, user) -> record or None


_targets = {}


def register_target(model, label, *, key=None, ref_label="编号", lookup=None):
    _targets[model._meta.label] = Target(model, label, key or model._meta.model_name, ref_label, lookup)


def targets():
    """Registered targets that can be found by reference, in registration order."""
    return [t for t in _targets.values() if t.lookup is not None]


def targets_by_model():
    return {t.model: t for t in _targets.values()}


def target_for_key(key):
    return next((t for t in _targets.values() if t.key == key), None)


def target_label(model):
    target = _targets.get(model._meta.label)
    return target.label if target else None


def link(problem, target, *, by, label=None):
    """Link ``problem`` to ``target`` (office); recorded on the timeline. Linking twice is a no-op."""
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


def find(key, ref, user):
    """The record of kind ``key`` with reference ``ref`` that ``user`` may see, or a clear error."""
    target = target_for_key(key)
    if target is None or target.lookup is None:
        raise TransitionError(f"未知的关联对象类别：{key}")
    ref = (ref or "").strip()
    if not ref:
        raise TransitionError(f"请填写{target.label}的{target.ref_label}。")
    record = target.lookup(ref, user)
    if record is None:
        raise TransitionError(f"没有找到{target.ref_label}为“{ref}”的{target.label}（或您无权查看）。")
    return record


def link_by_ref(problem, key, ref, *, by):
    return link(problem, find(key, ref, by), by=by)


def unlink(problem, link_id, *, by):
    """Remove one link (office); recorded on the timeline."""
    require_office(by, "取消关联")
    with transaction.atomic():
        current = lock_problem(problem, by)
        item = ProblemLink.objects.filter(problem=current, pk=link_id).first()
        if item is None:
            raise TransitionError("该关联不存在或已取消。")
        item.delete()
        ProblemEvent.objects.create(problem=current, action="unlink", from_state=current.state,
                                    to_state=current.state, actor=by, note=item.label, created_by=by)


def resolved_links(problem, user):
    """The problem's links as (link, url or None): a URL only where ``user`` may open the record.
    One query per kind of record linked, however many links there are."""
    rows = list(problem.links.visible_to(user).select_related("target_type"))
    by_type = {}
    for item in rows:
        by_type.setdefault(item.target_type_id, []).append(item)
    urls = {}
    for items in by_type.values():
        model = items[0].target_type.model_class()
        if model is None or not hasattr(model.objects, "visible_to") or not hasattr(model, "get_absolute_url"):
            continue
        for record in model.objects.visible_to(user).filter(pk__in=[i.target_id for i in items]):
            urls[(items[0].target_type_id, str(record.pk))] = record.get_absolute_url()
    return [(item, urls.get((item.target_type_id, item.target_id))) for item in rows]


def problems_about(target, user=None):
    """Problems linked to ``target``; with ``user``, only those the user may see."""
    qs = Problem.objects.visible_to(user) if user is not None else Problem.objects.all()
    return qs.filter(pk__in=ProblemLink._base_manager.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)).values("problem_id"))


def about_context(target, user, **initial):
    """Context for the 相关问题 card on a record's page (``problems/_about.html``): the problems
    linked to it that ``user`` may see and, for the office, a link that files a new one about it
    with ``initial`` fields filled in."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from lvzhi.core.scoping import get_scope

    registered = _targets.get(type(target)._meta.label)
    ctx = {"about_problems": problems_about(target, user).select_related("department")[:50]}
    if registered and registered.lookup is not None and get_scope(user).is_office:
        ref = initial.pop("ref")
        query = {"link_kind": registered.key, "link_ref": ref, **{k: v for k, v in initial.items() if v}}
        ctx["file_problem_url"] = f"{reverse('problems:create')}?{urlencode(query)}"
    return ctx
