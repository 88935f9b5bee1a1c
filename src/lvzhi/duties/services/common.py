"""Rules shared by the duties services: who is acting, and who may change what.

``user=None`` means the command line (``lvzhi import-powers`` and the demo), which is trusted;
views and the API always pass the signed-in user.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from lvzhi.core.roles import Role
from lvzhi.core.scoping import get_scope
from lvzhi.org import services as org_services


def is_office(user):
    return user is None or get_scope(user).is_office


def require_office(user, message="只有编办人员可以进行此操作。"):
    if not is_office(user):
        raise PermissionDenied(message)


def require_change(user, obj):
    """Re-check inside the caller's transaction that ``user`` may change ``obj``."""
    if user is not None:
        org_services.require_change(user, obj)


def actor(user):
    """The user to record as author (None for the command line)."""
    return user if user is not None and user.is_authenticated else None


def liaisons(department_ids):
    """Active liaisons of the given departments (for notifications)."""
    return list(
        get_user_model().objects.filter(
            is_active=True, role_assignments__role=Role.DEPARTMENT, role_assignments__department_id__in=department_ids
        ).distinct()
    )


def office_users():
    return list(
        get_user_model().objects.filter(
            is_active=True, role_assignments__role__in=[Role.OFFICE_STAFF, Role.OFFICE_ADMIN]
        ).distinct()
    )


def require_department(user, department, message="您只能处理本部门的记录。"):
    """The office, or a liaison of ``department`` (or of a department above it)."""
    if user is None:
        return
    scope = get_scope(user)
    if scope.is_office or (Role.DEPARTMENT in scope.roles and department.pk in scope.department_ids):
        return
    raise PermissionDenied(message)
