"""Generic views: every page that shows domain data is a thin subclass of these, so scoping,
role checks, tables, filters and conflict handling live in one place."""

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.edit import CreateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .models import ConcurrencyError, Job, Notification, StoredFile
from .roles import OFFICE_ROLES
from .scoping import CHANGE, VIEW, get_scope
from .workbench import shortcuts_for, todos_for


class RoleRequiredMixin(LoginRequiredMixin):
    """``roles``: the roles that may open the view (None: any signed-in user)."""

    roles = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles is not None and not (get_scope(request.user).roles & set(self.roles)):
            raise PermissionDenied("您的角色无权访问此页面。")
        return super().dispatch(request, *args, **kwargs)

    @property
    def scope(self):
        return get_scope(self.request.user)


class ScopedMixin(RoleRequiredMixin):
    model = None
    action = VIEW

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user, self.action)


class ObjectListView(ScopedMixin, SingleTableMixin, FilterView):
    template_name = "core/object_list.html"
    paginate_by = 50
    title = ""
    create_url = None

    def get_table_kwargs(self):
        return {"request": self.request}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title or self.model._meta.verbose_name
        ctx["create_url"] = self.create_url if self.can_create() else None
        return ctx

    def can_create(self):
        return self.scope.is_office


class ObjectDetailView(ScopedMixin, DetailView):
    pass


class ObjectEditMixin(ScopedMixin):
    """Create/update with a role check, scoping re-checked in the save, and version conflicts."""

    action = CHANGE
    template_name = "core/object_form.html"
    title = ""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                # The record may have left the user's scope since the form was opened.
                if form.instance.pk and not self.get_queryset().filter(pk=form.instance.pk).exists():
                    raise PermissionDenied("您无权修改该记录。")
                self.object = form.save(user=self.request.user)
        except ConcurrencyError as exc:
            self.conflict(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存。")
        return redirect(self.get_success_url())

    def conflict(self, form, exc):
        when = timezone.localtime(exc.current.updated_at).strftime("%Y-%m-%d %H:%M")
        form.add_error(
            None, f"保存失败：该记录在您编辑期间已被他人于 {when} 修改。您的输入保留在下方，请核对后重新保存。"
        )
        data = form.data.copy()
        data["expected_version"] = exc.current.version
        form.data = data

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title or self.model._meta.verbose_name
        return ctx


class ObjectCreateView(ObjectEditMixin, CreateView):
    roles = tuple(OFFICE_ROLES)

    def get_queryset(self):
        return self.model.objects.none()


class ObjectUpdateView(ObjectEditMixin, UpdateView):
    pass


class WorkbenchView(RoleRequiredMixin, TemplateView):
    template_name = "core/workbench.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = self.scope
        ctx["todos"] = todos_for(self.request.user, scope)
        ctx["shortcuts"] = shortcuts_for(scope)
        ctx["notifications"] = Notification.objects.filter(recipient=self.request.user)[:8]
        return ctx


class NotificationListView(RoleRequiredMixin, ListView):
    template_name = "core/notifications.html"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)


class NotificationReadView(RoleRequiredMixin, View):
    model = Notification
    def post(self, request, pk=None):
        qs = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
        if pk is not None:
            get_object_or_404(Notification, recipient=request.user, pk=pk)
            qs = qs.filter(pk=pk)
        qs.update(read_at=timezone.now())
        target = request.POST.get("next") or ""
        if pk is not None and not target:
            note = Notification.objects.filter(recipient=request.user, pk=pk).first()
            target = note.url if note and note.url.startswith("/") else ""
        return redirect(target if target.startswith("/") else "core:notifications")


class FileDownloadView(RoleRequiredMixin, View):
    """Serves a stored upload only to users who may view the record it belongs to."""

    model = StoredFile

    def get(self, request, pk):
        stored = get_object_or_404(StoredFile, pk=pk)
        if not stored.owner_visible_to(request.user) and not get_scope(request.user).is_office:
            raise Http404
        return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


class JobView(RoleRequiredMixin, DetailView):
    """A background job's progress; the page polls the partial with HTMX until it is done."""

    model = Job
    template_name = "core/job.html"

    def get_queryset(self):
        if get_scope(self.request.user).is_office:
            return Job.objects.all()
        return Job.objects.filter(created_by=self.request.user)

    def get_object(self, queryset=None):
        return super().get_object(queryset).live()

    def get_template_names(self):
        if self.request.htmx:
            return ["core/_job_progress.html"]
        return [self.template_name]


class AuditLogView(RoleRequiredMixin, ListView):
    """操作日志: every create/update/delete of a domain record."""

    roles = tuple(OFFICE_ROLES)
    template_name = "core/auditlog.html"
    paginate_by = 50

    def get_queryset(self):
        qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
        q = self.request.GET
        if q.get("model"):
            qs = qs.filter(content_type__model=q["model"])
        if q.get("actor"):
            qs = qs.filter(actor__username=q["actor"])
        if q.get("object"):
            qs = qs.filter(object_repr__icontains=q["object"])
        if q.get("action") in {"0", "1", "2"}:
            qs = qs.filter(action=int(q["action"]))
        return qs


def error_403(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)
