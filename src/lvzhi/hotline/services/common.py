"""Who may do what in the hotline module. ``user=None`` is the command line (trusted)."""

from django.core.exceptions import PermissionDenied

from lvzhi.core.roles import Role
from lvzhi.core.scoping import get_scope


def is_hotline(user):
    """The office or the 12345 centre (the roles that import tickets and see every dispute)."""
    if user is None:
        return True
    scope = get_scope(user)
    return scope.is_office or Role.HOTLINE in scope.roles


def require_hotline(user, what="导入工单"):
    if not is_hotline(user):
        raise PermissionDenied(f"只有编办和12345热线中心可以{what}。")


def require_office(user, what):
    if user is not None and not get_scope(user).is_office:
        raise PermissionDenied(f"只有编办人员可以{what}。")


def actor(user):
    return user if user is not None and user.is_authenticated else None
