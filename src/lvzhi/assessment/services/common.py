"""Who is acting and what they may do, shared by the assessment services.

Every service takes the acting user (pages, the API and ``lvzhi campaign --user`` all pass one).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from lvzhi.core.roles import Role
from lvzhi.core.scoping import get_scope
from lvzhi.org import services as org_services

READER_ROLES = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.DEPARTMENT})


def is_office(user):
    return get_scope(user).is_office


def require_office(user, message="只有编办人员可以进行此操作。"):
    if not is_office(user):
        raise PermissionDenied(message)


def is_liaison_of(user, department_id):
    scope = get_scope(user)
    return Role.DEPARTMENT in scope.roles and department_id in scope.department_ids


def require_department_or_office(user, department_id, message="只有本部门联络员或编办人员可以进行此操作。"):
    if not (is_office(user) or is_liaison_of(user, department_id)):
        raise PermissionDenied(message)


def require_change(user, obj):
    """Re-check inside the caller's transaction that ``user`` may change ``obj``."""
    org_services.require_change(user, obj)


def sees_all_results(user):
    """Office and leaders see every department's results and breakdowns at any time."""
    return get_scope(user).sees_everything


def liaisons(department_ids):
    return list(get_user_model().objects.filter(
        is_active=True, role_assignments__role=Role.DEPARTMENT, role_assignments__department_id__in=list(department_ids),
    ).distinct())


def office_users():
    return list(get_user_model().objects.filter(
        is_active=True, role_assignments__role__in=[Role.OFFICE_STAFF, Role.OFFICE_ADMIN]).distinct())
