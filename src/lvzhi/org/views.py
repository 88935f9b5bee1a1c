from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import FormView

from lvzhi.core.audit import origin
from lvzhi.core.models import ConcurrencyError
from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    RoleRequiredMixin,
)

from . import interchange, services
from .filters import DepartmentFilter
from .forms import ClauseFormSet, DepartmentForm, MandateForm, OrgImportForm, StaffingActualForm, UnitFormSet
from .models import BoundaryClause, Department, Mandate, StaffingActual, StaffingQuota
from .tables import DepartmentTable

STAFFING_VIEWERS = {Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.DEPARTMENT}


class DepartmentListView(ObjectListView):
    model = Department
    table_class = DepartmentTable
    filterset_class = DepartmentFilter
    title = "部门"
    create_url = "org:department-create"

    def base_queryset(self):
        return Department.objects.select_related("parent")


def mandate_prefetches():
    return [
        "duties",
        "units",
        Prefetch("boundaries", queryset=BoundaryClause.objects.prefetch_related("others")),
    ]


class DepartmentDetailView(ObjectDetailView):
    model = Department
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "org/department_detail.html"

    def base_queryset(self):
        return Department.objects.select_related("parent").prefetch_related("children")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        dep = self.object
        mandates = list(
            Mandate.objects.filter(department=dep).prefetch_related(*mandate_prefetches()).order_by("-is_current", "-issued", "-pk")
        )
        current = next((m for m in mandates if m.is_current), None)
        ctx["mandate"] = current
        ctx["history"] = [m for m in mandates if not m.is_current]
        visible = set(Department.objects.visible_to(self.request.user).values_list("pk", flat=True))
        ctx["visible_ids"] = visible
        ctx["can_edit"] = self.scope.is_office
        if self.scope.roles & STAFFING_VIEWERS:
            quota = StaffingQuota.objects.filter(mandate=current).first() if current else None
            actual = StaffingActual.objects.filter(department=dep).first()
            ctx["staffing"] = services.staffing_rows(quota, actual)
            ctx["actual"] = actual
        return ctx


class MandateDetailView(ObjectDetailView):
    model = Mandate
    template_name = "org/mandate_detail.html"

    def base_queryset(self):
        return Mandate.objects.select_related("department", "superseded_by").prefetch_related(*mandate_prefetches())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["visible_ids"] = set(Department.objects.visible_to(self.request.user).values_list("pk", flat=True))
        return ctx


class DepartmentCreateView(ObjectCreateView):
    model = Department
    form_class = DepartmentForm
    title = "新建部门"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class DepartmentUpdateView(ObjectUpdateView):
    model = Department
    form_class = DepartmentForm
    slug_field = "code"
    slug_url_kwarg = "code"
    roles = tuple(OFFICE_ROLES)
    title = "编辑部门"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class MandateEditView(RoleRequiredMixin, View):
    """Edit the current mandate in place, or (``?new=1``) issue a new version that supersedes it."""

    roles = tuple(OFFICE_ROLES)
    url_model = Department
    template_name = "org/mandate_form.html"

    def setup_objects(self, code):
        self.department = get_object_or_404(Department.objects.visible_to(self.request.user, CHANGE), code=code)
        self.mandate = (
            Mandate.objects.filter(department=self.department, is_current=True)
            .prefetch_related(*mandate_prefetches())
            .first()
        )
        self.supersede = self.mandate is None or self.request.GET.get("new") == "1"

    def initial(self):
        m = self.mandate
        if m is None:
            return {"title": f"{self.department.name}职能配置、内设机构和人员编制规定"}, [], []
        quota = StaffingQuota.objects.filter(mandate=m).first()
        initial = {
            "title": m.title,
            "doc_no": "" if self.supersede else m.doc_no,
            "issued": None if self.supersede else m.issued,
            "note": "" if self.supersede else m.note,
            "duties": "\n".join(d.text for d in m.duties.all()),
            "expected_version": m.version,
        }
        for key in ("administrative", "public_institution", "service", "leader_head", "leader_deputy", "leader_other"):
            initial[key] = getattr(quota, key, None)
        clauses = [{"topic": c.topic, "text": c.text, "others": list(c.others.all())} for c in m.boundaries.all()]
        units = [{"name": u.name, "duties": u.duties} for u in m.units.all()]
        return initial, clauses, units

    def render_form(self, form, clauses, units, status=200):
        return render(
            self.request,
            self.template_name,
            {"department": self.department, "mandate": self.mandate, "supersede": self.supersede, "form": form,
             "clauses": clauses, "units": units},
            status=status,
        )

    def get(self, request, code):
        self.setup_objects(code)
        initial, clauses, units = self.initial()
        return self.render_form(
            MandateForm(initial=initial),
            ClauseFormSet(initial=clauses, prefix="clauses", form_kwargs={"user": request.user}),
            UnitFormSet(initial=units, prefix="units"),
        )

    def post(self, request, code):
        self.setup_objects(code)
        form = MandateForm(request.POST)
        clauses = ClauseFormSet(request.POST, prefix="clauses", form_kwargs={"user": request.user})
        units = UnitFormSet(request.POST, prefix="units")
        if not (form.is_valid() and clauses.is_valid() and units.is_valid()):
            return self.render_form(form, clauses, units, status=400)
        data = form.cleaned_data
        try:
            mandate = services.save_mandate(
                self.department,
                user=request.user,
                header={"title": data["title"], "doc_no": data["doc_no"], "issued": data["issued"], "note": data["note"]},
                duties=form.duty_lines(),
                staffing={k: data[k] for k in ("administrative", "public_institution", "service", "leader_head",
                                                "leader_deputy", "leader_other")},
                clauses=[(c["topic"], c["text"], list(c["others"])) for c in clauses.cleaned_data if c.get("text")],
                units=[(u["name"], u["duties"]) for u in units.cleaned_data if u.get("name")],
                supersede=self.supersede,
                mandate=self.mandate,
                expected_version=data.get("expected_version"),
            )
        except ConcurrencyError as exc:
            form.add_error(None, "保存失败：该三定规定在您编辑期间已被他人修改。您的输入保留在下方，请核对后重新保存。")
            form.data = form.data.copy()
            form.data["expected_version"] = exc.current.version
            return self.render_form(form, clauses, units, status=409)
        messages.success(request, "三定规定已保存。" if not self.supersede else "新版三定规定已生效，原版本已存档。")
        return redirect("org:department", code=mandate.department.code)


class StaffingActualCreateView(ObjectCreateView):
    model = StaffingActual
    form_class = StaffingActualForm
    url_model = Department
    title = "登记实有人数"

    def dispatch(self, request, *args, **kwargs):
        self.department = None
        if request.user.is_authenticated:
            self.department = get_object_or_404(Department.objects.visible_to(request.user, CHANGE), code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        form.instance.department = self.department
        return super().form_valid(form)

    def get_success_url(self):
        return self.department.get_absolute_url()


class OrgImportView(RoleRequiredMixin, FormView):
    roles = (Role.OFFICE_ADMIN,)
    form_class = OrgImportForm
    template_name = "org/import.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            with origin(f"上传导入 {upload.name}"):
                report = interchange.import_org(upload.read(), upload.name, user=self.request.user)
        except interchange.OrgFileError as exc:
            return self.render_to_response(self.get_context_data(form=form, errors=exc.errors), status=400)
        return self.render_to_response(self.get_context_data(form=OrgImportForm(), report=report))


class OrgExportView(RoleRequiredMixin, View):
    roles = tuple(OFFICE_ROLES)

    def get(self, request):
        fmt = "json" if request.GET.get("format") == "json" else "yaml"
        filename = f"lvzhi-org.{fmt}"
        content = interchange.export_org(filename)
        response = HttpResponse(content, content_type="application/json" if fmt == "json" else "application/yaml")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
