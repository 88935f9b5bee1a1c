"""现场调研督导: plan a visit with the research outline, record minutes, turn findings into problems."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.roles import OFFICE_ROLES
from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin

from .. import services
from ..filters import InspectionFilter
from ..forms import FindingForm, InspectionForm
from ..models import Inspection, Problem
from ..tables import InspectionTable


class InspectionListView(ObjectListView):
    model = Inspection
    table_class = InspectionTable
    filterset_class = InspectionFilter
    title = "现场调研督导"
    create_url = "problems:inspection-create"

    def base_queryset(self):
        return Inspection.objects.prefetch_related("departments")


class InspectionDetailView(ObjectDetailView):
    model = Inspection
    template_name = "problems/inspection_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["departments"] = self.object.departments.all()
        ctx["findings"] = Problem.objects.visible_to(self.request.user).filter(inspection=self.object).select_related(
            "department")
        ctx["can_edit"] = self.scope.is_office
        return ctx


class InspectionEditView(RoleRequiredMixin, View):
    """Create (no pk) or edit a visit; the chosen outline topics are copied into the visit."""

    model = Inspection
    roles = tuple(OFFICE_ROLES)

    def get_object(self, pk):
        if pk is None:
            return None
        return get_object_or_404(Inspection.objects.visible_to(self.request.user, CHANGE), pk=pk)

    def render(self, form, obj, status=200):
        title = f"编辑：{obj}" if obj else "新建现场调研督导"
        return render(self.request, "problems/form.html", {"form": form, "title": title, "object": obj}, status=status)

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        return self.render(InspectionForm(instance=obj, user=request.user), obj)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        form = InspectionForm(request.POST, instance=obj, user=request.user)
        if not form.is_valid():
            return self.render(form, obj, status=400)
        inspection = form.save(commit=False)
        outline = form.outline
        with transaction.atomic():
            if outline and (obj is None or set(form.cleaned_data["topic_codes"]) != {t["code"] for t in obj.topics}):
                inspection.topics = services.findings.inspection_topics(outline, form.cleaned_data["topic_codes"])
                inspection.outline_version = outline.version
            try:
                if obj is None:
                    inspection.created_by = request.user
                    inspection.save()
                else:
                    inspection.save_versioned(form.cleaned_data.get("expected_version") or obj.version)
            except ConcurrencyError:
                form.add_error(None, "保存失败：该调研在您编辑期间已被他人修改，请刷新后重试。")
                return self.render(form, obj, status=409)
            form.save_m2m()
        messages.success(request, "已保存。")
        return redirect(inspection)


class FindingCreateView(RoleRequiredMixin, View):
    """A finding of the visit becomes a problem in 分析 (source: 现场调研)."""

    model = Inspection
    roles = tuple(OFFICE_ROLES)

    def setup_object(self, pk):
        self.inspection = get_object_or_404(Inspection.objects.visible_to(self.request.user, CHANGE), pk=pk)

    def render(self, form, status=200):
        return render(self.request, "problems/form.html",
                      {"form": form, "title": f"登记调研发现的问题：{self.inspection}", "object": self.inspection},
                      status=status)

    def get(self, request, pk):
        self.setup_object(pk)
        return self.render(FindingForm(inspection=self.inspection))

    def post(self, request, pk):
        self.setup_object(pk)
        form = FindingForm(request.POST, request.FILES, inspection=self.inspection)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        problem = services.add_finding(
            self.inspection, by=request.user, title=data["title"], description=data["description"],
            department=data["department"], type=data["type"], severity=data["severity"] or None,
            files=data["files"],
        )
        messages.success(request, f"已登记问题 {problem.number}（分析阶段）。")
        return redirect(self.inspection)
