"""Pieces shared by the duties pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import RoleRequiredMixin

OFFICE = tuple(OFFICE_ROLES)
OFFICE_AND_DEPARTMENTS = (*OFFICE_ROLES, Role.DEPARTMENT)


def error_messages(request, exc):
    """Show a ValidationError's messages (field messages included) on the next page."""
    if hasattr(exc, "message_dict"):
        for field_messages in exc.message_dict.values():
            for message in field_messages:
                messages.error(request, message)
    else:
        for message in exc.messages:
            messages.error(request, message)


class PostActionView(RoleRequiredMixin, SingleObjectMixin, View):
    """A POST-only action on one record the user may change; errors come back as messages.

    Subclasses implement ``perform(request, obj)`` returning a response or None (then the user
    goes back to the record).
    """

    action = CHANGE

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.action)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            response = self.perform(request, self.object)
        except ValidationError as exc:
            error_messages(request, exc)
            response = None
        return response or redirect(self.back_url())

    def back_url(self):
        return self.object.get_absolute_url()
