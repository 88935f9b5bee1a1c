"""编制 efficiency and compliance pages: the report, its XLSX export, opening a violation as a
problem, and the workload figures and actual internal units the office maintains."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from lvzhi.core.audit import origin
from lvzhi.core.roles import Role
from lvzhi.core.views import ObjectCreateView, ObjectListView, ObjectUpdateView, RoleRequiredMixin
from lvzhi.org.models import Department

from ..analysis import rules, staffing
from ..exports import staffing_response, template_response
from ..filters import ActualUnitFilter, FigureFilter
from ..forms import ActualUnitForm, UploadForm, WorkloadFigureForm
from ..models import ActualUnit, WorkloadFigure
from ..services import staffing as services
from ..tables import ActualUnitTable, FigureTable
from .common import OFFICE, READERS, message_errors


def chart_data(rows, metric, label, element_id):
    """Bars of one metric per department, outliers marked, each bar linking to the department."""
    shown = [r for r in rows if r.metric(metric) is not None]
    return {
        "id": element_id, "type": "bar", "title": label,
        "categories": [r.department.label for r in shown],
        "series": [{
            "name": label, "data": [round(r.metric(metric), 4) for r in shown],
            "marked": [metric in r.outliers for r in shown],
            "links": [r.department.get_absolute_url() for r in shown],
        }],
    }


class StaffingView(RoleRequiredMixin, TemplateView):
    roles = READERS
    template_name = "reform/staffing.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET
        result = staffing.report(self.request.user, q.get("period"))
        rows = result.rows
        if q.get("category") in Department.Category.values:
            rows = [r for r in rows if r.department.category == q["category"]]
        if q.get("department", "").isdigit():
            rows = [r for r in rows if r.department.pk == int(q["department"])]
        violations = [v for r in rows for v in r.violations if not q.get("rule") or v.rule.code == q["rule"]]
        ctx.update(
            title="编制效能与合规", report=result, rows=rows, violations=violations,
            categories=Department.Category.choices, selected_category=q.get("category", ""),
            selected_rule=q.get("rule", ""), can_open=self.scope.is_office and services.problems_available(),
            charts=[c for c in (chart_data(rows, key, label, f"chart-{i}") for i, (key, label) in enumerate(result.metrics))
                    if c["categories"]] if result.compared else [],
        )
        return ctx


class StaffingExportView(RoleRequiredMixin, View):
    """The whole report as a workbook, for the office and leaders (a liaison reads its row on the page)."""

    roles = (*OFFICE, Role.LEADER)

    def get(self, request):
        return staffing_response(staffing.report(request.user, request.GET.get("period")))


class OpenProblemView(RoleRequiredMixin, View):
    """POST department, rule and subject: file that violation as a problem."""

    roles = OFFICE

    def post(self, request):
        department = get_object_or_404(Department.objects.visible_to(request.user), pk=request.POST.get("department"))
        try:
            finding = services.open_problem(request.user, department, request.POST.get("rule", ""),
                                            request.POST.get("subject", ""))
        except ValidationError as exc:
            message_errors(request, exc)
            return redirect(reverse("reform:staffing") + f"?department={department.pk}")
        messages.success(request, f"已立为问题 {finding.problem_number}。")
        return redirect("problems:detail", finding.problem_id)


class FigureListView(ObjectListView):
    model = WorkloadFigure
    table_class = FigureTable
    filterset_class = FigureFilter
    roles = READERS
    title = "工作量数据"
    create_url = "reform:figure-create"
    template_name = "reform/figure_list.html"

    def base_queryset(self):
        return WorkloadFigure.objects.select_related("department")

    def get_table_kwargs(self):
        indicators = {i.key: i.label for i in rules.current_ruleset().indicators}
        return {**super().get_table_kwargs(), "indicators": indicators, "can_edit": self.scope.is_office}


class FigureCreateView(ObjectCreateView):
    model = WorkloadFigure
    form_class = WorkloadFigureForm
    title = "录入工作量数据"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class FigureUpdateView(ObjectUpdateView):
    model = WorkloadFigure
    form_class = WorkloadFigureForm
    roles = OFFICE
    title = "修改工作量数据"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class FigureImportView(RoleRequiredMixin, View):
    roles = OFFICE
    template_name = "reform/figure_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UploadForm(), "title": "导入工作量数据",
                                                    "indicators": rules.current_ruleset().indicators})

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        context = {"form": form, "title": "导入工作量数据", "indicators": rules.current_ruleset().indicators}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        upload = form.cleaned_data["file"]
        with origin(f"上传导入 {upload.name}"):
            report = services.import_figures(request.user, upload, upload.name)
        if not report.committed:
            return render(request, self.template_name, {**context, "report": report}, status=400)
        messages.success(request, " ".join(report.lines()))
        return redirect("reform:figures")


class FigureTemplateView(RoleRequiredMixin, View):
    roles = OFFICE

    def get(self, request):
        return template_response("figures")


class ActualUnitListView(ObjectListView):
    model = ActualUnit
    table_class = ActualUnitTable
    filterset_class = ActualUnitFilter
    roles = READERS
    title = "实设内设机构"
    create_url = "reform:unit-create"

    def base_queryset(self):
        return ActualUnit.objects.select_related("department")

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "can_edit": self.scope.is_office}


class ActualUnitCreateView(ObjectCreateView):
    model = ActualUnit
    form_class = ActualUnitForm
    title = "登记实设内设机构"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class ActualUnitUpdateView(ObjectUpdateView):
    model = ActualUnit
    form_class = ActualUnitForm
    roles = OFFICE
    title = "修改实设内设机构"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

