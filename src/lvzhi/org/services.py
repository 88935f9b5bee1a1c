"""Domain operations on departments and mandates (the only place that writes across org models)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.scoping import CHANGE, get_scope

from .models import LEADER_TYPES, STAFF_TYPES, Department, Mandate, MandateDuty, StaffingQuota


@dataclass
class StaffingRow:
    key: str
    label: str
    quota: int | None
    actual: int | None

    @property
    def difference(self):
        if self.quota is None or self.actual is None:
            return None
        return self.actual - self.quota

    @property
    def vacancy(self):
        d = self.difference
        return -d if d is not None and d < 0 else 0

    @property
    def over(self):
        d = self.difference
        return d if d is not None and d > 0 else 0


def staffing_rows(quota, actual):
    """Quota against people in post, by staffing type and leader post."""
    rows = []
    for key, label in STAFF_TYPES + LEADER_TYPES:
        q = getattr(quota, key, None) if quota else None
        a = getattr(actual, key, None) if actual else None
        if q is not None or a is not None:
            rows.append(StaffingRow(key, label, q, a))
    return rows


def require_change(user, obj):
    """Re-check, inside the caller's transaction, that ``user`` may change ``obj``."""
    if not type(obj).objects.visible_to(user, CHANGE).filter(pk=obj.pk).exists():
        raise PermissionDenied("您无权修改该记录。")


def save_mandate(department, *, user, header, duties, staffing, clauses, units, supersede, mandate=None,
                 expected_version=None):
    """Create a new mandate version (``supersede``) or correct ``mandate`` in place.

    ``clauses`` is a list of (topic, text, [Department]); ``units`` a list of (name, duties).
    """
    if not get_scope(user).is_office:
        raise PermissionDenied("只有编办人员可以维护三定规定。")
    with transaction.atomic():
        require_change(user, department)
        if supersede or mandate is None:
            old = Mandate.objects.select_for_update().filter(department=department, is_current=True).first()
            if old is not None:
                old.is_current = False
                old.version += 1
                old.save()
            mandate = Mandate(department=department, is_current=True, created_by=user, **header)
            mandate.save()
            if old is not None:
                old.superseded_by = mandate
                old.save(update_fields=["superseded_by"])
        else:
            current = Mandate.objects.select_for_update().get(pk=mandate.pk)
            if expected_version is not None and current.version != int(expected_version):
                raise ConcurrencyError(current)
            for k, v in header.items():
                setattr(mandate, k, v)
            mandate.version = current.version + 1
            mandate.save()
        _replace_children(mandate, user, duties, clauses, units)
        quota = StaffingQuota.objects.filter(mandate=mandate).first() or StaffingQuota(mandate=mandate, created_by=user)
        changed = quota.pk is None
        for k, v in staffing.items():
            if getattr(quota, k) != v:
                setattr(quota, k, v)
                changed = True
        if changed:
            quota.save()
    return mandate


def _replace_children(mandate, user, duties, clauses, units):
    existing = {d.number: d for d in mandate.duties.all()}
    for number, text in enumerate(duties, 1):
        duty = existing.pop(number, None)
        if duty is None:
            MandateDuty.objects.create(mandate=mandate, number=number, text=text, created_by=user)
        elif duty.text != text:
            duty.text = text
            duty.version += 1
            duty.save()
    for duty in existing.values():
        duty.delete()
    clause_objs = list(mandate.boundaries.all())
    for position, (topic, text, others) in enumerate(clauses, 1):
        if position <= len(clause_objs):
            clause = clause_objs[position - 1]
            if (clause.topic, clause.text) != (topic, text):
                clause.topic, clause.text = topic, text
                clause.version += 1
                clause.save()
        else:
            clause = mandate.boundaries.create(position=position, topic=topic, text=text, created_by=user)
        clause.others.set(others)
    for clause in clause_objs[len(clauses):]:
        clause.delete()
    unit_objs = list(mandate.units.all())
    for position, (name, text) in enumerate(units, 1):
        if position <= len(unit_objs):
            unit = unit_objs[position - 1]
            if (unit.name, unit.duties) != (name, text):
                unit.name, unit.duties = name, text
                unit.version += 1
                unit.save()
        else:
            mandate.units.create(position=position, name=name, duties=text, created_by=user)
    for unit in unit_objs[len(units):]:
        unit.delete()


def department_choices(user):
    """Departments a user may pick in a form (the same door as every list)."""
    return Department.objects.visible_to(user).order_by("position", "code")
