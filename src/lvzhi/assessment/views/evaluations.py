"""相互评价 pages: what a department has to give and gave, what it received (aggregate only,
unless the campaign reveals raters), and the office's overview per department."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from lvzhi.core.views import RoleRequiredMixin
from lvzhi.org.models import Department

from ..forms import EvaluationForm
from ..models import Campaign, MutualEvaluation
from ..services import mutual as services
from ..services.common import is_liaison_of, sees_all_results
from .common import READERS, WRITERS, error_messages


class EvaluationListView(RoleRequiredMixin, TemplateView):
    roles = READERS
    template_name = "assessment/evaluations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        campaigns = list(Campaign.objects.visible_to(user).exclude(status=Campaign.Status.DRAFT)
                         .select_related("framework").order_by("-period", "-pk"))
        wanted = self.request.GET.get("campaign", "")
        campaign = next((c for c in campaigns if str(c.pk) == wanted), campaigns[0] if campaigns else None)
        ctx.update(campaigns=campaigns, campaign=campaign)
        if campaign is None:
            return ctx
        own = self.scope.department_ids
        ctx["given"] = list(MutualEvaluation.objects.visible_to(user).filter(campaign=campaign, rater__in=own)
                            .select_related("matter", "ratee", "rater").order_by("matter__code", "ratee__code"))
        ctx["received"] = [(d, services.received(user, campaign, d))
                           for d in Department.objects.filter(pk__in=own).order_by("position", "code")]
        if sees_all_results(user):
            ctx["overview"] = self.overview(campaign)
        return ctx

    def overview(self, campaign):
        """Per rated department: evaluations received so far and their aggregate (one query)."""
        by_ratee = {}
        rows = MutualEvaluation.objects.visible_to(self.request.user).filter(campaign=campaign).select_related(
            "ratee", "campaign__framework").order_by("ratee__position", "ratee__code")
        for e in rows:
            by_ratee.setdefault(e.ratee, []).append(e)
        return [(d, len(items), sum(1 for e in items if e.given), services.aggregate(items))
                for d, items in by_ratee.items()]


class EvaluationView(RoleRequiredMixin, View):
    """One evaluation: the rater department fills it in while the campaign is open."""

    model = MutualEvaluation
    roles = WRITERS
    template_name = "assessment/evaluation_form.html"

    def load(self, pk):
        return get_object_or_404(MutualEvaluation.objects.visible_to(self.request.user).select_related(
            "campaign__framework", "matter", "rater", "ratee"), pk=pk)

    def render_form(self, evaluation, form, status=200):
        framework = evaluation.campaign.framework
        return render(self.request, self.template_name, {
            "evaluation": evaluation, "form": form, "scale": (framework.mutual_scale_min, framework.mutual_scale_max),
            "can_give": is_liaison_of(self.request.user, evaluation.rater_id)
            and evaluation.campaign.status == Campaign.Status.OPEN,
        }, status=status)

    def form_for(self, evaluation, data=None):
        framework = evaluation.campaign.framework
        initial = {k: getattr(evaluation, k) for k in ("cooperation", "timeliness", "information_sharing", "comment")}
        return EvaluationForm(data, initial={k: v for k, v in initial.items() if v not in (None, "")},
                              scale=(framework.mutual_scale_min, framework.mutual_scale_max))

    def get(self, request, pk):
        evaluation = self.load(pk)
        return self.render_form(evaluation, self.form_for(evaluation))

    def post(self, request, pk):
        evaluation = self.load(pk)
        form = self.form_for(evaluation, request.POST)
        if not form.is_valid():
            return self.render_form(evaluation, form, 400)
        try:
            services.give(request.user, evaluation, form.cleaned_data, form.cleaned_data["comment"])
        except ValidationError as exc:
            error_messages(request, exc)
            return self.render_form(evaluation, form, 400)
        messages.success(request, "相互评价已保存。")
        return redirect(reverse("assessment:evaluations") + f"?campaign={evaluation.campaign_id}")
