"""Shared API pieces: every viewset gets its queryset through ``visible_to``."""

from rest_framework import permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .models import ConcurrencyError
from .scoping import CHANGE, VIEW


def exception_handler(exc, context):
    """DRF's handler, plus: an edit based on a stale ``expected_version`` is a 409, as on the pages."""
    if isinstance(exc, ConcurrencyError):
        return Response({"detail": "该记录已被他人修改，请重新读取后再提交。",
                         "version": getattr(exc.current, "version", None)},
                        status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


class ScopedViewSetMixin:
    """Read through ``visible_to(user, "view")``; writes through ``visible_to(user, "change")``."""

    def base_queryset(self):
        return self.queryset.model.objects.all()

    def get_queryset(self):
        action = VIEW if self.request.method in permissions.SAFE_METHODS else CHANGE
        return self.base_queryset().visible_to(self.request.user, action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
