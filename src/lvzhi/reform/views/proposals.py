"""机构编制事项动议 pages: list, draft and edit, changes and evidence, the flow actions, and the
请示 as .docx."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.scoping import CHANGE, VIEW
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin
from lvzhi.org.models import StaffingActual, StaffingQuota
from lvzhi.org.services import staffing_rows

from ..exports import proposal_document
from ..filters import ProposalFilter
from ..forms import ActionForm, ChangeForm, EvidenceForm, ProposalForm
from ..models import Proposal, ProposalChange, ProposalEvidence
from ..services import evidence as evidence_services
from ..services import proposals as services
from ..tables import ProposalTable
from .common import READERS, PostActionView, ServiceFormView, message_errors

DRAFTERS = (*OFFICE_ROLES, Role.DEPARTMENT)


class ProposalListView(ObjectListView):
    model = Proposal
    table_class = ProposalTable
    filterset_class = ProposalFilter
    roles = READERS
    title = "机构编制事项动议"
    create_url = "reform:proposal-create"

    def base_queryset(self):
        return Proposal.objects.select_related("department")

    def can_create(self):
        return self.scope.has(*DRAFTERS)


class ProposalDetailView(ObjectDetailView):
    model = Proposal
    roles = READERS
    template_name = "reform/proposal_detail.html"

    def base_queryset(self):
        return Proposal.objects.select_related("department", "reviewed_by", "decided_by", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = self.object, self.request.user
        ctx["changes"] = list(p.changes.select_related("to_department"))
        ctx["evidence"] = list(p.evidence.all())
        ctx["mandates"] = list(p.mandates.select_related("department"))
        ctx["can_edit"] = services.may_edit(user, p)
        ctx["actions"] = [(key, t[3]) for key, t in services.TRANSITIONS.items() if services.may(user, p, key)]
        quota = StaffingQuota.objects.filter(mandate__department=p.department, mandate__is_current=True).first()
        ctx["staffing"] = staffing_rows(quota, StaffingActual.objects.filter(department=p.department).first())
        ctx["change_form"] = ChangeForm(user=user)
        ctx["evidence_form"] = EvidenceForm()
        ctx["action_form"] = ActionForm()
        return ctx


class ProposalCreateView(ServiceFormView):
    roles = DRAFTERS
    form_class = ProposalForm
    title = "提出机构编制事项动议"
    success_message = "动议已保存为草稿，请列出调整事项和依据后提交。"

    def form_kwargs(self):
        return {"user": self.request.user}

    def save(self, form):
        return services.save_proposal(self.request.user, form.cleaned_data)


class ProposalUpdateView(ServiceFormView):
    model = Proposal
    roles = DRAFTERS
    form_class = ProposalForm
    title = "修改机构编制事项动议"

    def setup_objects(self, pk):
        self.instance = get_object_or_404(Proposal.objects.visible_to(self.request.user, CHANGE), pk=pk)

    def form_kwargs(self):
        return {"user": self.request.user, "instance": self.instance}

    def save(self, form):
        return services.save_proposal(self.request.user, form.cleaned_data, self.instance,
                                      form.cleaned_data.get("expected_version"))


def guarded(request, fn, success):
    try:
        fn()
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, success)


class ChangeCreateView(RoleRequiredMixin, View):
    model = ProposalChange
    url_model = Proposal
    roles = DRAFTERS

    def post(self, request, pk):
        proposal = get_object_or_404(Proposal.objects.visible_to(request.user, CHANGE), pk=pk)
        form = ChangeForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            guarded(request, lambda: services.add_change(request.user, proposal, form.cleaned_data), "已添加调整事项。")
        return redirect(proposal.get_absolute_url())


class ChangeDeleteView(PostActionView):
    model = ProposalChange
    roles = DRAFTERS

    def perform(self, request, change):
        services.delete_change(request.user, change)
        messages.success(request, "已删除调整事项。")


class EvidenceCreateView(RoleRequiredMixin, View):
    model = ProposalEvidence
    url_model = Proposal
    roles = DRAFTERS

    def post(self, request, pk):
        proposal = get_object_or_404(Proposal.objects.visible_to(request.user, CHANGE), pk=pk)
        form = EvidenceForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择依据类别。")
        else:
            data = form.cleaned_data
            guarded(request, lambda: evidence_services.add_evidence(
                request.user, proposal, data["kind"], data["reference"], data["note"]), "已添加依据。")
        return redirect(proposal.get_absolute_url())


class EvidenceDeleteView(PostActionView):
    model = ProposalEvidence
    roles = DRAFTERS

    def perform(self, request, evidence):
        evidence_services.delete_evidence(request.user, evidence)
        messages.success(request, "已删除依据。")


class ProposalActionView(PostActionView):
    """POST ``action`` (submit / return / forward / approve / reject / carry_out) with ``note``, ``doc_no``."""

    model = Proposal
    roles = READERS
    action = VIEW  # the service decides who may do what; leaders record decisions

    def perform(self, request, proposal):
        form = ActionForm(request.POST)
        form.is_valid()
        action = request.POST.get("action", "")
        proposal = services.perform(request.user, proposal, action, form.cleaned_data.get("note", ""),
                                    form.cleaned_data.get("doc_no", ""), request.POST.get("expected_version"))
        messages.success(request, f"已{services.TRANSITIONS[action][3]}。")
        if action == "carry_out":
            messages.info(request, "三定规定已更新为新版本，原版本已存档。")


class ProposalDocumentView(RoleRequiredMixin, View):
    model = Proposal
    roles = READERS

    def get(self, request, pk):
        proposal = get_object_or_404(Proposal.objects.visible_to(request.user).select_related("department"), pk=pk)
        return proposal_document(proposal).to_response(f"机构编制事项动议请示（{proposal.department.label}）")
