"""流程再造 pages: the process list, a process with its analysis and swimlane diagram, editing
steps, redesigning, comparing before and after, adopting, and importing actual case times."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin

from ..analysis import process as analysis
from ..analysis import swimlane
from ..exports import template_response
from ..filters import ProcessFilter
from ..forms import AdoptForm, ProcessForm, RedesignForm, StepForm, UploadForm
from ..models import CaseRecord, Process, ProcessStep, StepMaterial
from ..services import processes as services
from ..tables import ProcessTable
from .common import OFFICE, READERS, PostActionView, ServiceFormView


class ProcessListView(ObjectListView):
    model = Process
    table_class = ProcessTable
    filterset_class = ProcessFilter
    roles = READERS
    title = "流程再造"
    create_url = "reform:process-create"

    def base_queryset(self):
        return Process.objects.select_related("department", "based_on").annotate(step_count=Count("steps")).order_by(
            "name", "-pk")


def explained(result):
    """The analysis with step names in place of keys, for the page."""
    if result is None:
        return None
    names = {s.key: s.name for s in result.steps}
    return {
        "result": result,
        "critical": [names[k] for k in result.critical_path],
        "handoffs": [(names[a], names[b]) for a, b in result.handoffs],
        "duplicates": [(names[d.step], d.material, names[d.holder]) for d in result.duplicates],
        "parallel": [(names[p.step], [names[k] for k in p.waits_for], p.start_now, p.start_possible)
                     for p in result.parallelisable],
        "diagram": swimlane.layout(result),
    }


def step_rows(process):
    steps = sorted(process.steps.all(), key=lambda s: (s.position, s.pk))
    names = {s.pk: s.name for s in steps}
    rows = []
    for s in steps:
        materials = {source: [] for source in StepMaterial.Source.values}
        for m in s.materials.all():
            materials[m.source].append(m.name)
        rows.append({"step": s, "after": [names[p.pk] for p in s.predecessors.all()], **materials})
    return rows


def analysed(process):
    try:
        return explained(services.analyse(process)), None
    except analysis.CycleError as exc:
        return None, str(exc)


class ProcessDetailView(ObjectDetailView):
    model = Process
    roles = READERS
    template_name = "reform/process_detail.html"

    def base_queryset(self):
        return services.with_steps(Process.objects.all())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        process = self.object
        ctx["analysis"], ctx["cycle"] = analysed(process)
        ctx["steps"] = step_rows(process)
        ctx["can_edit"] = self.scope.is_office and process.editable
        ctx["is_office"] = self.scope.is_office
        ctx["redesigns"] = Process.objects.visible_to(self.request.user).filter(based_on=process)
        if ctx["analysis"]:
            ctx["cases"] = services.case_summary(process, ctx["analysis"]["result"].duration)
        ctx["redesign_form"] = RedesignForm()
        ctx["adopt_form"] = AdoptForm()
        return ctx


class ProcessEditMixin(ServiceFormView):
    roles = OFFICE
    form_class = ProcessForm

    def form_kwargs(self):
        return {"user": self.request.user, "instance": self.instance}


class ProcessCreateView(ProcessEditMixin):
    title = "新建流程"

    def save(self, form):
        return services.save_process(self.request.user, form.cleaned_data)


class ProcessUpdateView(ProcessEditMixin):
    model = Process
    title = "修改流程"

    def setup_objects(self, pk):
        self.instance = get_object_or_404(Process.objects.visible_to(self.request.user, CHANGE), pk=pk)

    def save(self, form):
        return services.save_process(self.request.user, form.cleaned_data, self.instance,
                                     form.cleaned_data.get("expected_version"))


class StepEditMixin(ServiceFormView):
    roles = OFFICE
    form_class = StepForm
    model = ProcessStep

    def form_kwargs(self):
        return {"user": self.request.user, "process": self.process, "instance": self.instance}

    def context(self):
        return {"parent": self.process}

    def save(self, form):
        services.save_step(self.request.user, self.process, form.service_data(), self.instance,
                           form.cleaned_data.get("expected_version"))
        return self.process


class StepCreateView(StepEditMixin):
    url_model = Process
    title = "新增环节"

    def setup_objects(self, pk):
        self.process = get_object_or_404(Process.objects.visible_to(self.request.user, CHANGE), pk=pk)


class StepUpdateView(StepEditMixin):
    title = "修改环节"

    def setup_objects(self, pk):
        self.instance = get_object_or_404(
            ProcessStep.objects.visible_to(self.request.user, CHANGE).select_related("process"), pk=pk)
        self.process = self.instance.process


class StepDeleteView(PostActionView):
    model = ProcessStep
    roles = OFFICE

    def perform(self, request, step):
        services.delete_step(request.user, step)
        messages.success(request, f"已删除环节“{step.name}”。")


class RedesignView(PostActionView):
    model = Process
    roles = OFFICE

    def perform(self, request, process):
        form = RedesignForm(request.POST)
        form.is_valid()
        copy = services.redesign(request.user, process, form.cleaned_data.get("name", ""))
        messages.success(request, "已复制为再造方案，请修改环节后与原流程对比。")
        return redirect(copy.get_absolute_url())


class AdoptView(PostActionView):
    model = Process
    roles = OFFICE

    def perform(self, request, process):
        form = AdoptForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的采用日期。")
            return None
        services.adopt(request.user, process, form.cleaned_data["adopted_on"])
        messages.success(request, f"已采用再造方案，采用日期 {form.cleaned_data['adopted_on']:%Y-%m-%d}。")
        return None


class ProcessDeleteView(PostActionView):
    model = Process
    roles = OFFICE

    def perform(self, request, process):
        services.delete_process(request.user, process)
        messages.success(request, f"已删除再造方案“{process.name}”。")
        return redirect(process.based_on.get_absolute_url() if process.based_on_id else "reform:processes")


class CompareView(ObjectDetailView):
    """A redesign beside the process it redesigns."""

    model = Process
    roles = READERS
    template_name = "reform/process_compare.html"

    def base_queryset(self):
        return services.with_steps(Process.objects.filter(based_on__isnull=False))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        after = self.object
        before = services.with_steps(Process.objects.visible_to(self.request.user)).filter(pk=after.based_on_id).first()
        ctx["before"], ctx["after"] = before, after
        ctx["before_analysis"], ctx["before_cycle"] = analysed(before) if before else (None, "无权查看原流程")
        ctx["after_analysis"], ctx["after_cycle"] = analysed(after)
        if ctx["before_analysis"] and ctx["after_analysis"]:
            ctx["rows"] = analysis.compare(ctx["before_analysis"]["result"], ctx["after_analysis"]["result"])
            ctx["saved"] = ctx["rows"][0].before - ctx["rows"][0].after
        return ctx


class CaseImportView(ServiceFormView):
    """Import actual case times of one process; a bad file is refused row by row, nothing written."""

    roles = OFFICE
    model = CaseRecord
    url_model = Process
    form_class = UploadForm
    template_name = "reform/case_import.html"

    def setup_objects(self, pk):
        self.process = get_object_or_404(Process.objects.visible_to(self.request.user, CHANGE), pk=pk)

    def context(self):
        return {"process": self.process, "title": f"导入办件实际用时：{self.process.name}"}

    def post(self, request, pk):
        self.setup_objects(pk)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, 400)
        upload = form.cleaned_data["file"]
        report = services.import_cases(request.user, self.process, upload, upload.name)
        if not report.committed:
            return render(request, self.template_name, {"form": form, "report": report, **self.context()}, status=400)
        messages.success(request, " ".join(report.lines()))
        return redirect(self.process.get_absolute_url())


class CaseTemplateView(RoleRequiredMixin, View):
    roles = OFFICE

    def get(self, request):
        return template_response("cases")
