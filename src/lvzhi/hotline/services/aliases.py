"""部门别名: names the hotline uses for a department. Adding one also links the tickets and returns
already stored under that name; removing it unlinks them again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from lvzhi.org.models import Department

from ..models import DepartmentAlias, Ticket, TicketReturn
from ..resolver import DepartmentResolver, name_key
from .common import actor, require_hotline, require_office

# (model, name field, department field) of every stored department name.
NAME_FIELDS = ((Ticket, "handler_name", "handler"), (TicketReturn, "from_name", "from_department"),
               (TicketReturn, "to_name", "to_department"))


def _names_with_key(model, field, key, **filters):
    names = model._base_manager.filter(**filters).exclude(**{field: ""}).values_list(field, flat=True).distinct()
    return [n for n in names if name_key(n) == key]


def _relink(key, department_id, *, unlink=False):
    changed = 0
    now = timezone.now()  # a relinked ticket has changed: the routing model learns it again
    for model, field, link in NAME_FIELDS:
        filters = {f"{link}_id": department_id} if unlink else {f"{link}__isnull": True}
        names = _names_with_key(model, field, key, **filters)
        if names:
            changed += model._base_manager.filter(**{f"{field}__in": names}, **filters).update(
                **{f"{link}_id": None if unlink else department_id}, updated_at=now)
    return changed


def add_alias(user, alias, department, note=""):
    """Create an alias; returns ``(alias, rows linked)``."""
    require_office(user, "维护部门别名")
    alias = (alias or "").strip()
    key = name_key(alias)
    if not key:
        raise ValidationError({"alias": "别名不能为空。"})
    resolver = DepartmentResolver()
    existing = resolver.ids.get(key)
    if existing is not None:
        owner = Department._base_manager.filter(pk=existing).values_list("name", flat=True).first()
        raise ValidationError({"alias": f"“{alias}”已经对应“{owner}”，无需再设别名。"})
    with transaction.atomic():
        if DepartmentAlias._base_manager.filter(key=key).exists():
            raise ValidationError({"alias": f"别名“{alias}”已存在。"})
        record = DepartmentAlias.objects.create(alias=alias, key=key, department=department, note=note,
                                                created_by=actor(user))
        linked = _relink(key, department.pk)
    return record, linked


def delete_alias(user, record):
    """Remove an alias and unlink the rows that were linked only through it; returns rows unlinked."""
    require_office(user, "维护部门别名")
    with transaction.atomic():
        key, department_id = record.key, record.department_id
        record.delete()
        return _relink(key, department_id, unlink=True)


def unmatched_names(user, limit=200):
    """Department names in tickets and returns that match no department, with row counts."""
    require_hotline(user, "查看未匹配的单位名称")
    counts = {}
    for model, field, link in NAME_FIELDS:
        rows = (model._base_manager.filter(**{f"{link}__isnull": True}).exclude(**{field: ""})
                .values(field).annotate(n=Count("pk")).order_by("-n")[:limit])
        for row in rows:
            counts.setdefault(row[field], {"name": row[field], "tickets": 0, "returns": 0})
            counts[row[field]]["tickets" if model is Ticket else "returns"] += row["n"]
    return sorted(counts.values(), key=lambda r: -(r["tickets"] + r["returns"]))[:limit]
