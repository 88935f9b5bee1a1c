"""Shared API pieces: every viewset gets its queryset through ``visible_to``."""

from rest_framework import permissions, viewsets

from .scoping import CHANGE, VIEW


class ScopedViewSetMixin:
    """Read through ``visible_to(user, "view")``; writes through ``visible_to(user, "change")``."""

    def base_queryset(self):
        return self.queryset.model.objects.all()

    def get_queryset(self):
        action = VIEW if self.request.method in permissions.SAFE_METHODS else CHANGE
        return self.base_queryset().visible_to(self.request.user, action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
