"""Shared pieces of the problem services: errors, role checks, attachments, who to tell."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lvzhi.core.models import StoredFile
from lvzhi.core.notifications import notify
from lvzhi.core.roles import Role
from lvzhi.core.scoping import CHANGE, get_scope

from ..models import Problem


class TransitionError(ValidationError):
    """The loop does not allow this step now (wrong state, missing note, pending request…)."""


def require_office(user, what="此操作"):
    if not get_scope(user).is_office:
        raise PermissionDenied(f"只有编办人员可以{what}。")


def require_department(user, what="此操作"):
    if not get_scope(user).has(Role.DEPARTMENT):
        raise PermissionDenied(f"只有责任部门联络员可以{what}。")


def lock_problem(problem, user, action=CHANGE):
    """Lock the row and re-check inside the transaction that ``user`` may act on it."""
    locked = Problem._base_manager.select_for_update().get(pk=problem.pk)
    if not Problem.objects.visible_to(user, action).filter(pk=problem.pk).exists():
        raise PermissionDenied("您无权处理该问题。")
    return locked


def attach(owner, uploads, user):
    """Store already-validated uploads as files of ``owner``."""
    stored = []
    for upload in uploads or ():
        upload.seek(0)
        digest = StoredFile.digest(upload)
        item = StoredFile(
            name=upload.name[:255], size=upload.size, sha256=digest,
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            uploaded_by=user, owner=owner,
        )
        item.file.save(upload.name, upload, save=False)
        item.save()
        stored.append(item)
    return stored


def liaisons(department):
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.DEPARTMENT, role_assignments__department=department
        ).distinct()
    )


def users_with_roles(*roles):
    User = get_user_model()
    return list(User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct())


def office_staff():
    return users_with_roles(Role.OFFICE_STAFF)


def tell(users, problem, title, body="", kind="problem"):
    """Notify after the transaction commits, so a rolled-back step tells nobody."""
    url = problem.get_absolute_url()
    users = [u for u in users if u is not None]
    transaction.on_commit(lambda: notify(users, title, body, url, kind))
