"""Who may see what: the one door to domain data.

``Model.objects.visible_to(user, action)`` asks the model how it reaches a department and filters by
the user's scope. A user's scope is computed once per request and cached on the user object.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from .roles import OFFICE_ROLES, Role

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class Scope:
    roles: frozenset = frozenset()
    department_ids: frozenset = frozenset()  # own departments and the units under them
    bodies: frozenset = frozenset()  # oversight bodies (纪检监察 / 巡察 / 审计)
    user_id: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def authenticated(self):
        return self.user_id is not None

    @property
    def is_office(self):
        return bool(self.roles & OFFICE_ROLES)

    @property
    def is_admin(self):
        return Role.OFFICE_ADMIN in self.roles

    @property
    def is_leader(self):
        return Role.LEADER in self.roles

    @property
    def sees_everything(self):
        return self.is_office or self.is_leader

    def has(self, *roles):
        return bool(self.roles & set(roles))


ANONYMOUS = Scope()


def get_scope(user):
    """The scope of ``user`` (cached for the life of the user object, i.e. one request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_lvzhi_scope", None)
    if cached is None:
        cached = user.compute_scope()
        user._lvzhi_scope = cached
    return cached


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action=VIEW):
        """Rows ``user`` may ``action`` ("view" or "change")."""
        scope = user if isinstance(user, Scope) else get_scope(user)
        if not scope.authenticated:
            return self.none()
        return self.model.scope_filter(self, scope, action)


def department_q(paths, department_ids):
    """Q matching rows whose department (reached along any of ``paths``) is in ``department_ids``."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{"pk__in" if path == "self" else f"{path}__in": department_ids})
    return q


def filter_by_paths(qs, paths, department_ids):
    q = department_q(paths, department_ids)
    if any("__" in p for p in paths):
        # A path across a to-many relation would repeat rows: filter through a subquery instead.
        return qs.filter(pk__in=qs.model._base_manager.filter(q).values("pk"))
    return qs.filter(q)
