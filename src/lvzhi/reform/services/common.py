"""Pieces shared by the reform services: role checks, locking with a visibility re-check, notices."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.notifications import notify
from lvzhi.core.roles import Role
from lvzhi.core.scoping import CHANGE, get_scope


def require_office(user, what="此操作"):
    if not get_scope(user).is_office:
        raise PermissionDenied(f"只有编办人员可以{what}。")


def lock(obj, user, action=CHANGE, expected_version=None):
    """Lock ``obj``'s row and re-check inside the transaction that ``user`` may ``action`` it."""
    model = type(obj)
    locked = model._base_manager.select_for_update().get(pk=obj.pk)
    if not model.objects.visible_to(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied("您无权处理该记录。")
    if expected_version not in (None, "") and locked.version != int(expected_version):
        raise ConcurrencyError(locked)
    return locked


def bump(obj, **fields):
    """Save ``fields`` on a locked row, moving its optimistic version on."""
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.version += 1
    obj.save()
    return obj


def users_with_roles(*roles, department=None):
    qs = get_user_model().objects.filter(is_active=True, role_assignments__role__in=roles)
    if department is not None:
        qs = qs.filter(role_assignments__department=department)
    return list(qs.distinct())


def tell(users, title, url, body="", kind="reform"):
    """Notify after the transaction commits, so a rolled-back change tells nobody."""
    users = [u for u in users if u is not None]
    transaction.on_commit(lambda: notify(users, title, body, url, kind))


def office_staff():
    return users_with_roles(Role.OFFICE_STAFF, Role.OFFICE_ADMIN)


class StatutoryCalendar:
    """Working days on the statutory calendar alone, for when the problems module is absent."""

    def between(self, start, end):
        import chinese_calendar

        days, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            try:
                days += chinese_calendar.is_workday(day)
            except NotImplementedError:  # a year the package does not know yet
                days += day.weekday() < 5
        return days


def work_calendar():
    """The problems module's calendar when installed (it knows the office's own holiday files)."""
    try:
        from lvzhi.problems.workdays import WorkCalendar
    except ImportError:
        return StatutoryCalendar()
    return WorkCalendar()


def invalid(message, field=None):
    return ValidationError({field: [message]} if field else message)
