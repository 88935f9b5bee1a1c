"""Pieces shared by the reform pages: a form page that saves through a service, and POST actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import RoleRequiredMixin

OFFICE = tuple(OFFICE_ROLES)
READERS = (*OFFICE_ROLES, Role.LEADER, Role.DEPARTMENT)


def add_errors(form, exc):
    """Put a service's ValidationError on the form (field messages beside their fields)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def message_errors(request, exc):
    for error in (sum(exc.message_dict.values(), []) if hasattr(exc, "error_dict") else exc.messages):
        messages.error(request, error)


class ServiceFormView(RoleRequiredMixin, View):
    """A form whose valid data goes to a service function (``save``); errors stay on the form.

    Subclasses set ``form_class`` and ``title`` and implement ``setup_objects(**kwargs)``,
    ``save(form)`` (returning the record to go to) and, if needed, ``form_kwargs()``.
    """

    template_name = "reform/form.html"
    form_class = None
    title = ""
    success_message = "已保存。"
    instance = None

    def setup_objects(self, **kwargs):
        pass

    def form_kwargs(self):
        return {}

    def context(self):
        return {}

    def render_form(self, form, status=200):
        return render(self.request, self.template_name,
                      {"form": form, "title": self.title, "object": self.instance, **self.context()}, status=status)

    def get(self, request, **kwargs):
        self.setup_objects(**kwargs)
        return self.render_form(self.form_class(**self.form_kwargs()))

    def post(self, request, **kwargs):
        self.setup_objects(**kwargs)
        form = self.form_class(data=request.POST, files=request.FILES, **self.form_kwargs())
        if not form.is_valid():
            return self.render_form(form, 400)
        try:
            target = self.save(form)
        except ConcurrencyError as exc:
            when = timezone.localtime(exc.current.updated_at).strftime("%Y-%m-%d %H:%M")
            form.add_error(None, f"保存失败：该记录在您编辑期间已被他人于 {when} 修改。您的输入保留在下方，请核对后重新保存。")
            form.data = form.data.copy()
            form.data["expected_version"] = exc.current.version
            return self.render_form(form, 409)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render_form(form, 400)
        messages.success(request, self.success_message)
        return redirect(target.get_absolute_url())


class PostActionView(RoleRequiredMixin, View):
    """A POST-only action on one record the user may change; errors come back as messages."""

    model = None
    action = CHANGE

    def post(self, request, pk):
        obj = get_object_or_404(self.model.objects.visible_to(request.user, self.action), pk=pk)
        try:
            response = self.perform(request, obj)
        except ValidationError as exc:
            message_errors(request, exc)
            response = None
        return response or redirect(self.back_url(obj))

    def back_url(self, obj):
        return obj.get_absolute_url()
