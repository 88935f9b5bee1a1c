"""Workload figures drawn from other modules (power items, duty tasks, hotline tickets).

A source is ``fn(user, department_ids, period) -> {department_id: number}``, or ``None`` when the
module it reads is not installed (the page then shows 暂无数据). Modules are found by the names the
glossary gives them and read through ``visible_to`` like everything else; a module that is not
there, or not yet shaped as the glossary says, counts as absent. Another module may register a
source of its own under a new key in its ``AppConfig.ready``.
"""

from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count

from . import periods


@dataclass(frozen=True)
class WorkloadSource:
    key: str
    label: str
    unit: str
    fn: Callable
    per_period: bool = False  # counted within the period chosen on the page (else: as of today)


_sources = {}


def register_workload(key, label, fn, unit="项", per_period=False):
    _sources[key] = WorkloadSource(key, label, unit, fn, per_period)


def workload_sources():
    return list(_sources.values())


def installed_model(app_label, model_name, *fields):
    """``app_label.model_name`` if its app is installed and the model has ``fields``, else None."""
    if not apps.is_installed(f"lvzhi.{app_label}"):
        return None
    try:
        model = apps.get_model(app_label, model_name)
        for name in fields:
            model._meta.get_field(name.split("__")[0])
    except (LookupError, FieldDoesNotExist):
        return None
    return model


def _counts(qs, field):
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by()}


def power_items(user, department_ids, period):
    PowerItem = installed_model("duties", "PowerItem", "department", "edition")
    if PowerItem is None:
        return None
    qs = PowerItem.objects.visible_to(user).filter(department__in=department_ids, edition__is_current=True)
    return _counts(qs, "department")


def duty_tasks(user, department_ids, period):
    DutyTask = installed_model("duties", "DutyTask", "duty", "active")
    if DutyTask is None:
        return None
    qs = DutyTask.objects.visible_to(user).filter(
        active=True, duty__mandate__is_current=True, duty__mandate__department__in=department_ids
    )
    return _counts(qs, "duty__mandate__department")


def hotline_tickets(user, department_ids, period):
    Ticket = installed_model("hotline", "Ticket", "handler", "received_at")
    if Ticket is None:
        return None
    start, end = periods.date_range(period)
    qs = Ticket.objects.visible_to(user).filter(
        handler__in=department_ids, received_at__date__gte=start, received_at__date__lte=end
    )
    return _counts(qs, "handler")


def register_builtin():
    register_workload("power_items", "权责事项", power_items, "项")
    register_workload("duty_tasks", "职责任务", duty_tasks, "项")
    register_workload("hotline_tickets", "12345工单", hotline_tickets, "件", per_period=True)
