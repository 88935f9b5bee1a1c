"""职责任务清单 and 三定执行检查 pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from lvzhi.core.models import ConcurrencyError, StoredFile
from lvzhi.core.roles import Role
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin
from lvzhi.org.models import Department, Mandate, MandateDuty

from ..filters import CheckFilter, TaskFilter
from ..forms import CheckForm, EvidenceForm, NoteForm, TaskForm
from ..models import DutyTask, MandateCheck, current_period, period_label, valid_period
from ..services import checks as services
from ..services.common import is_office
from ..tables import CheckTable, TaskTable
from .common import OFFICE_AND_DEPARTMENTS, PostActionView, error_messages


def current_duties(department):
    """The department's current mandate duties with their tasks (two queries)."""
    mandate = Mandate.objects.filter(department=department, is_current=True).first()
    if mandate is None:
        return None, []
    tasks = DutyTask.objects.select_related("unit").order_by("position", "pk")
    duties = MandateDuty.objects.filter(mandate=mandate).prefetch_related(Prefetch("tasks", queryset=tasks))
    return mandate, list(duties)


class DepartmentTasksView(RoleRequiredMixin, TemplateView):
    """职责任务清单 of one department: each current duty and the tasks it is broken into."""

    url_model = Department
    template_name = "duties/department_tasks.html"

    def get_context_data(self, code, **kwargs):
        ctx = super().get_context_data(**kwargs)
        department = get_object_or_404(Department.objects.visible_to(self.request.user), code=code)
        ctx["department"] = department
        ctx["mandate"], ctx["duties"] = current_duties(department)
        ctx["can_edit"] = self.scope.is_office or department.pk in self.scope.department_ids
        ctx["period"] = current_period()
        return ctx


class TaskListView(ObjectListView):
    model = DutyTask
    table_class = TaskTable
    filterset_class = TaskFilter
    title = "职责任务清单"

    def base_queryset(self):
        return DutyTask.objects.select_related("duty__mandate__department", "unit")

    def can_create(self):
        return False


class TaskFormView(RoleRequiredMixin, View):
    roles = OFFICE_AND_DEPARTMENTS
    template_name = "duties/form.html"

    def render_form(self, form, status=200):
        return render(self.request, self.template_name,
                      {"form": form, "title": self.title, "duty": self.duty}, status=status)

    def save(self, form, task=None):
        values = {k: form.cleaned_data[k] for k in ("text", "standard", "unit", "active")}
        try:
            task = services.save_task(self.request.user, self.duty, values, task, form.cleaned_data.get("expected_version"))
        except ConcurrencyError as exc:
            form.add_error(None, "保存失败：该任务在您编辑期间已被他人修改。您的输入保留在下方，请核对后重新保存。")
            form.data = form.data.copy()
            form.data["expected_version"] = exc.current.version
            return self.render_form(form, 409)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.render_form(form, 400)
        messages.success(self.request, "任务已保存。")
        return redirect(task.get_absolute_url())


class TaskCreateView(TaskFormView):
    model = DutyTask
    url_model = MandateDuty
    title = "分解职责任务"

    def setup_duty(self, pk):
        self.duty = get_object_or_404(
            MandateDuty.objects.visible_to(self.request.user).select_related("mandate__department"), pk=pk)

    def get(self, request, pk):
        self.setup_duty(pk)
        return self.render_form(TaskForm(mandate=self.duty.mandate))

    def post(self, request, pk):
        self.setup_duty(pk)
        form = TaskForm(request.POST, mandate=self.duty.mandate)
        return self.save(form) if form.is_valid() else self.render_form(form, 400)


class TaskUpdateView(TaskFormView):
    model = DutyTask
    title = "编辑职责任务"

    def setup_task(self, pk):
        self.task = get_object_or_404(
            DutyTask.objects.visible_to(self.request.user, "change").select_related("duty__mandate__department"), pk=pk)
        self.duty = self.task.duty

    def get(self, request, pk):
        self.setup_task(pk)
        return self.render_form(TaskForm(instance=self.task, mandate=self.duty.mandate,
                                         initial={"expected_version": self.task.version}))

    def post(self, request, pk):
        self.setup_task(pk)
        form = TaskForm(request.POST, instance=DutyTask.objects.get(pk=self.task.pk), mandate=self.duty.mandate)
        return self.save(form, self.task) if form.is_valid() else self.render_form(form, 400)


class TaskDeleteView(PostActionView):
    model = DutyTask

    def perform(self, request, task):
        services.delete_task(request.user, task)
        messages.success(request, "任务已删除。")

    def back_url(self):
        return reverse("duties:department-tasks", args=[self.object.duty.mandate.department.code])


class CheckSheetView(RoleRequiredMixin, TemplateView):
    """One department's checks for one period: every current duty (or its tasks) and its report."""

    roles = (*OFFICE_AND_DEPARTMENTS, Role.LEADER)
    template_name = "duties/check_sheet.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visible = Department.objects.visible_to(self.request.user)
        period = self.request.GET.get("period") or current_period()
        if not valid_period(period):
            raise Http404("检查期间无效")
        code = self.request.GET.get("department")
        if code:
            department = get_object_or_404(visible, code=code)
        elif self.scope.department_ids:
            department = visible.filter(pk__in=self.scope.department_ids).order_by("position", "code").first()
        else:
            department = None
        ctx.update(period=period, period_label=period_label(period), department=department,
                   departments=visible.order_by("position", "code") if self.scope.is_office else None)
        if department is None:
            return ctx
        mandate, duties = current_duties(department)
        checks = {(c.duty_id, c.task_id): c for c in MandateCheck.objects.filter(department=department, period=period)}
        rows = []
        for duty in duties:
            tasks = [t for t in duty.tasks.all() if t.active]
            if tasks:
                rows.extend((duty, t, checks.get((duty.pk, t.pk))) for t in tasks)
            else:
                rows.append((duty, None, checks.get((duty.pk, None))))
        ctx["mandate"], ctx["rows"] = mandate, rows
        ctx["can_fill"] = self.scope.is_office or department.pk in self.scope.department_ids
        ctx["coverage"] = next(iter(services.coverage(self.request.user, period, [department])), None)
        return ctx


class CheckStartView(RoleRequiredMixin, View):
    """POST duty, task (optional), period: open (or create) the check and go to it."""

    roles = OFFICE_AND_DEPARTMENTS

    def post(self, request):
        duty = get_object_or_404(MandateDuty.objects.visible_to(request.user).select_related("mandate__department"),
                                 pk=request.POST.get("duty") or 0)
        task = None
        if request.POST.get("task"):
            task = get_object_or_404(DutyTask.objects.visible_to(request.user), pk=request.POST["task"], duty=duty)
        try:
            check = services.open_check(request.user, duty, request.POST.get("period", ""), task)
        except ValidationError as exc:
            error_messages(request, exc)
            return redirect(reverse("duties:check-sheet") + f"?department={duty.mandate.department.code}")
        return redirect(check.get_absolute_url())


class CheckListView(ObjectListView):
    model = MandateCheck
    table_class = CheckTable
    filterset_class = CheckFilter
    title = "三定执行检查"

    def base_queryset(self):
        return MandateCheck.objects.select_related("department", "duty", "task")

    def can_create(self):
        return False


class CheckDetailView(ObjectDetailView):
    model = MandateCheck
    template_name = "duties/check_detail.html"

    def base_queryset(self):
        return MandateCheck.objects.select_related("department", "duty__mandate", "task__unit", "reviewed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        check = self.object
        can_change = check.editable and MandateCheck.objects.visible_to(self.request.user, "change").filter(
            pk=check.pk).exists()
        ctx["can_change"] = can_change
        ctx["is_office"] = self.scope.is_office
        ctx["form"] = CheckForm(initial={"result": check.result, "narrative": check.narrative,
                                         "expected_version": check.version})
        ctx["evidence_form"] = EvidenceForm()
        ctx["note_form"] = NoteForm()
        ctx["evidence"] = services.evidence(check)
        # The office sees every follow-up record, so "none visible" means "not handed on yet".
        followup = services.followup_record(check, self.request.user)
        offer = self.scope.is_office and check.needs_followup and followup is None
        ctx["followups"] = list(services.check_followups.values()) if offer else []
        ctx["followup"] = followup
        ctx["followup_kind"] = followup._meta.verbose_name if followup is not None else ""
        return ctx


class CheckUpdateView(PostActionView):
    model = MandateCheck

    def perform(self, request, check):
        form = CheckForm(request.POST)
        if not form.is_valid():
            raise ValidationError("请检查填写的内容。")
        try:
            services.save_check(request.user, check, form.cleaned_data["result"], form.cleaned_data["narrative"],
                                form.cleaned_data.get("expected_version"))
        except ConcurrencyError:
            raise ValidationError("保存失败：该检查在您编辑期间已被他人修改，请核对最新内容后重新填写。")
        messages.success(request, "已保存。")
        if request.POST.get("submit") == "1":
            services.transition(request.user, check, "submit")
            messages.success(request, "已提交编办审核。")


class CheckEvidenceView(PostActionView):
    """POST a ``file`` to add evidence, or ``remove`` = a stored file's id to delete it."""

    model = MandateCheck

    def perform(self, request, check):
        if request.POST.get("remove"):
            stored = get_object_or_404(StoredFile, pk=request.POST["remove"])
            services.remove_evidence(request.user, check, stored)
            messages.success(request, "已删除佐证材料。")
            return None
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.add_evidence(request.user, check, form.cleaned_data["file"])
        messages.success(request, "佐证材料已上传。")


class CheckActionView(PostActionView):
    """POST ``action`` = submit / accept / return (with ``note``)."""

    model = MandateCheck

    def perform(self, request, check):
        action = request.POST.get("action", "")
        check = services.transition(request.user, check, action, request.POST.get("note", ""))
        messages.success(request, f"已{services.ACTION_LABELS[action]}（{check.get_status_display()}）。")


class CheckFollowupView(PostActionView):
    model = MandateCheck

    def perform(self, request, check):
        record, created = services.follow_up(request.user, check, request.POST.get("key", ""))
        kind = record._meta.verbose_name
        if created:
            messages.success(request, f"已转为{kind}：{record}")
        else:
            messages.info(request, f"该检查此前已转为{kind}，未重复创建：{record}")
        url = getattr(record, "get_absolute_url", None)
        return redirect(url()) if url else None


class CheckStatsView(RoleRequiredMixin, TemplateView):
    """Per department: coverage of current duties, share fulfilled, duties never reported."""

    template_name = "duties/check_stats.html"
    roles = (*OFFICE_AND_DEPARTMENTS, Role.LEADER)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period = self.request.GET.get("period") or current_period()
        if not valid_period(period):
            raise Http404("检查期间无效")
        ctx.update(period=period, period_label=period_label(period), rows=services.coverage(self.request.user, period),
                   is_office=is_office(self.request.user))
        return ctx
