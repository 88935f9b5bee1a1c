"""Importing: the upload page (a background job with its progress shown in the page), the import
records with their reports, and the department-name aliases the office keeps."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, FormView
from django_tables2 import SingleTableView

from lvzhi.core.models import Job
from lvzhi.core.roles import OFFICE_ROLES
from lvzhi.core.views import RoleRequiredMixin

from .. import services
from ..forms import AliasForm, UploadForm
from ..models import DepartmentAlias, ImportRun
from ..tables import ImportRunTable
from .tickets import HOTLINE


ROW_BYTES = 200  # a typical §3 ticket row in UTF-8, to tell the upload limit in rows


class UploadView(RoleRequiredMixin, FormView):
    roles = HOTLINE
    form_class = UploadForm
    template_name = "hotline/upload.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["max_mb"] = settings.LVZHI_UPLOAD_MAX_MB
        ctx["max_rows"] = f"{settings.LVZHI_UPLOAD_MAX_MB * 1024 * 1024 // ROW_BYTES / 10000:.0f}"
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        run = services.start_upload(self.request.user, data.get("tickets"), data.get("returns"),
                                    data.get("accept_good_rows", False))
        return redirect(run.get_absolute_url())


class ImportRunListView(RoleRequiredMixin, SingleTableView):
    roles = HOTLINE
    model = ImportRun
    table_class = ImportRunTable
    template_name = "hotline/import_runs.html"
    paginate_by = 30

    def get_queryset(self):
        return ImportRun.objects.select_related("created_by").order_by("-created_at", "-pk")


class ImportRunView(RoleRequiredMixin, DetailView):
    """One import: the job's progress, then the report and, for a refused upload, the choice to
    import the good rows. While the job runs the page polls the status block (HTMX), which turns
    into the report when the job is done."""

    roles = HOTLINE
    model = ImportRun
    template_name = "hotline/import_run.html"

    def get_template_names(self):
        return ["hotline/_import_status.html"] if self.request.htmx else [self.template_name]

    def get_queryset(self):
        return ImportRun.objects.select_related("created_by", "job", "retry_of")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = self.object.job
        ctx["job"] = job.live() if job else None
        ctx["running"] = job is not None and job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
        ctx["retries"] = self.object.retries.order_by("-pk")
        return ctx


class RetryGoodRowsView(RoleRequiredMixin, View):
    roles = HOTLINE
    model = ImportRun

    def post(self, request, pk):
        run = get_object_or_404(ImportRun, pk=pk)
        retry = services.retry_good_rows(request.user, run)
        messages.info(request, "已开始导入其余正确的行，错误行将被跳过。")
        return redirect(retry.get_absolute_url())


class AliasView(RoleRequiredMixin, FormView):
    """部门别名 and the names still unmatched; the office adds aliases, the hotline looks."""

    roles = HOTLINE
    form_class = AliasForm
    template_name = "hotline/aliases.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        initial = self.request.GET.get("alias")
        if initial:
            kwargs.setdefault("initial", {})["alias"] = initial
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["aliases"] = DepartmentAlias.objects.visible_to(self.request.user).select_related("department")
        ctx["unmatched"] = services.unmatched_names(self.request.user)
        ctx["can_edit"] = self.scope.is_office
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            alias, linked = services.add_alias(self.request.user, data["alias"], data["department"], data["note"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"已添加别名“{alias.alias}”，关联工单和退单记录 {linked} 条。")
        return redirect("hotline:aliases")


class AliasDeleteView(RoleRequiredMixin, View):
    roles = tuple(OFFICE_ROLES)
    model = DepartmentAlias

    def post(self, request, pk):
        alias = get_object_or_404(DepartmentAlias.objects.visible_to(request.user), pk=pk)
        unlinked = services.delete_alias(request.user, alias)
        messages.success(request, f"已删除别名“{alias.alias}”，解除关联 {unlinked} 条。")
        return redirect("hotline:aliases")
