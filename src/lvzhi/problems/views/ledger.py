"""问题台账: the filterable ledger, its XLSX export of exactly the filtered rows, and saved views."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from lvzhi.core.roles import Role
from lvzhi.core.views import ObjectListView, RoleRequiredMixin

from ..exports.ledger import ledger_response
from ..filters import ProblemFilter
from ..forms import SavedViewForm
from ..models import Problem, SavedView
from ..tables import ProblemTable

LEDGER_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.DEPARTMENT, Role.OVERSIGHT)


def ledger_queryset():
    return Problem.objects.select_related("department", "category", "type").prefetch_related("related_departments")


class LedgerView(ObjectListView):
    model = Problem
    roles = LEDGER_ROLES
    table_class = ProblemTable
    filterset_class = ProblemFilter
    template_name = "problems/ledger.html"
    title = "问题台账"
    create_url = "problems:create"

    def base_queryset(self):
        return ledger_queryset()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["query"] = query.urlencode()
        ctx["saved_views"] = SavedView.objects.filter(created_by=self.request.user)
        ctx["save_form"] = SavedViewForm(initial={"query": ctx["query"]})
        # An invalid filter shows no rows (django-filter's strict mode), so the count says the same.
        ctx["total"] = ctx["filter"].qs.count() if ctx["filter"].is_valid() else 0
        return ctx


class LedgerExportView(RoleRequiredMixin, View):
    """The ledger as XLSX, filtered by the same query string as the page (every page, not one)."""

    model = Problem
    roles = LEDGER_ROLES

    def get(self, request):
        qs = ledger_queryset().visible_to(request.user)
        filterset = ProblemFilter(request.GET or None, queryset=qs, request=request)
        if request.GET and not filterset.is_valid():
            # Never export more than the page would show: send the user back to see what is wrong.
            messages.error(request, "筛选条件有误，未导出：" + filter_errors(filterset))
            return redirect(reverse("problems:ledger") + "?" + request.GET.urlencode())
        return ledger_response(filterset.qs.order_by("-found_on", "-pk"), request.user)


def filter_errors(filterset):
    form = filterset.form
    return "；".join(f"{form.fields[name].label if name in form.fields else name}：{'，'.join(errors)}"
                    for name, errors in form.errors.items())


class SavedViewCreateView(RoleRequiredMixin, View):
    roles = LEDGER_ROLES

    def post(self, request):
        form = SavedViewForm(request.POST)
        if form.is_valid():
            SavedView.objects.update_or_create(
                created_by=request.user, name=form.cleaned_data["name"],
                defaults={"query": form.cleaned_data["query"].lstrip("?")},
            )
            messages.success(request, f"已保存视图“{form.cleaned_data['name']}”。")
        else:
            messages.error(request, "请填写视图名称。")
        query = form.data.get("query", "")
        return redirect(reverse("problems:ledger") + (f"?{query}" if query else ""))


class SavedViewDeleteView(RoleRequiredMixin, View):
    model = SavedView

    def post(self, request, pk):
        view = get_object_or_404(SavedView, pk=pk, created_by=request.user)
        view.delete()
        messages.success(request, f"已删除视图“{view.name}”。")
        return redirect("problems:ledger")
