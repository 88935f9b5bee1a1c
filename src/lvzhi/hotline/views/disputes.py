"""退单争议事项: the ledger of subjects, one subject with its tickets, the departments that returned
them and their reasons, the decision form, and the dispatch rules sent back to the hotline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from lvzhi.core.jobs import start_job
from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin

from .. import services
from ..analysis.indicators import month_label
from ..exports import dispatch_rules_response
from ..filters import DisputeFilter
from ..forms import DecisionForm
from ..models import Dispute, Ticket, TicketReturn
from ..tables import DisputeTable
from .tickets import HOTLINE, VIEWERS, with_return_counts


class DisputeListView(ObjectListView):
    model = Dispute
    roles = VIEWERS
    table_class = DisputeTable
    filterset_class = DisputeFilter
    template_name = "hotline/dispute_list.html"
    title = "12345退单争议事项"

    def base_queryset(self):
        return Dispute.objects.prefetch_related("departments")

    def can_create(self):
        return False

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_group"] = self.scope.has(*HOTLINE)
        return ctx


class DisputeDetailView(ObjectDetailView):
    model = Dispute
    roles = VIEWERS
    template_name = "hotline/dispute_detail.html"

    def base_queryset(self):
        return Dispute.objects.select_related("matter", "duty_point__link__matter", "duty_point__lead").prefetch_related(
            "departments", "decisions__lead", "decisions__support", "decisions__basis_duty__mandate__department",
            "decisions__basis_clause__mandate__department", "decisions__basis_point__link__matter",
            "decisions__duty_point__link__matter", "decisions__decided_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        dispute, user = self.object, self.request.user
        tickets = Ticket.objects.visible_to(user).filter(dispute=dispute)
        ctx["tickets"] = with_return_counts(tickets.select_related("handler")).order_by("-received_at")[:50]
        returns = TicketReturn.objects.visible_to(user).filter(ticket__dispute=dispute)
        reasons = {}
        for row in returns.values("from_department_id", "from_name", "reason").annotate(n=Count("pk")).order_by("-n"):
            entry = reasons.setdefault(row["from_department_id"] or row["from_name"],
                                       {"name": row["from_name"], "returns": 0, "reasons": []})
            entry["returns"] += row["n"]
            if len(entry["reasons"]) < 3:
                entry["reasons"].append((row["reason"], row["n"]))
        ctx["reasons"] = sorted(reasons.values(), key=lambda e: -e["returns"])
        months = tickets.values("month").annotate(n=Count("pk")).order_by("month")
        ctx["chart"] = {"months": [month_label(m["month"]) for m in months], "tickets": [m["n"] for m in months]}
        ctx["decision"] = decision = dispute.decision
        if decision and decision.problem_id and services.problems_available():
            ctx["problem_url"] = reverse("problems:detail", args=[decision.problem_id])
        ctx["history"] = [d for d in dispute.decisions.all() if not d.is_current]
        ctx["can_decide"] = self.scope.is_office
        return ctx


BASIS_FIELDS = ("basis_department", "basis_duty", "basis_clause", "basis_point", "basis_text")


class DecideView(RoleRequiredMixin, FormView):
    """The office's responsibility decision on a subject."""

    roles = tuple(OFFICE_ROLES)
    url_model = Dispute
    model = Dispute
    form_class = DecisionForm
    template_name = "hotline/decide.html"

    @cached_property
    def dispute(self):
        return get_object_or_404(Dispute.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, dispute=self.dispute)
        return kwargs

    def get_initial(self):
        """Choosing another department reloads the basis block with what was chosen so far (HTMX)."""
        initial = super().get_initial()
        initial.update({name: self.request.GET[name] for name in BASIS_FIELDS if self.request.GET.get(name)})
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["dispute"] = self.dispute
        ctx["problems_available"] = services.problems_available()
        return ctx

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            outcome = services.decide(
                self.request.user, self.dispute, lead=data["lead"], support=list(data["support"]),
                reasoning=data["reasoning"], basis_duty=data["basis_duty"], basis_clause=data["basis_clause"],
                basis_point=data["basis_point"], basis_text=data["basis_text"], keywords=data["keywords"],
                point_action=data["point_action"], link=data["link"], point=data["point"],
                point_text=data["point_text"], open_problem=data["open_problem"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, "；".join(["已认定责任部门，并生成派单规则 " + outcome.decision.rule_code,
                                                 *outcome.notes]))
        return redirect(self.dispute.get_absolute_url())


def group_job(job):
    """Background job: group the disputed tickets not yet in a subject."""
    found = services.group_disputes(None, progress=lambda done, total: job.progress(done, total))
    return {"lines": [f"新归入争议事项的工单 {found['assigned']} 件，新增事项 {found['created']} 个，"
                      f"现有事项 {found['subjects']} 个。"]}


class GroupView(RoleRequiredMixin, View):
    roles = HOTLINE

    def post(self, request):
        job = start_job(group_job, kind="hotline-disputes", title="归并12345退单争议事项", user=request.user)
        return redirect("core:job", pk=job.pk)


class DispatchRulesView(RoleRequiredMixin, TemplateView):
    roles = (*HOTLINE, Role.LEADER, Role.DEPARTMENT)
    template_name = "hotline/dispatch_rules.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rules"] = services.dispatch_rules(self.request.user)
        return ctx


class DispatchRulesExportView(RoleRequiredMixin, View):
    roles = (*HOTLINE, Role.LEADER, Role.DEPARTMENT)

    def get(self, request):
        return dispatch_rules_response(services.dispatch_rules(request.user))
