"""Campaign pages: the list, creating and editing a campaign, its page with every department's
progress (or the published ranking), its state actions, and the framework it uses."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin

from ..filters import CampaignFilter
from ..forms import CampaignForm
from ..models import Campaign, Criterion, Framework, MutualEvaluation, StarRule
from ..periods import Period
from ..services import campaigns as services
from ..services import scores as score_services
from ..services.common import is_office
from ..services.results import campaign_rows, category_label, results_visible
from ..tables import CampaignTable
from .common import OFFICE, READERS, PostActionView


class CampaignListView(ObjectListView):
    model = Campaign
    roles = READERS
    table_class = CampaignTable
    filterset_class = CampaignFilter
    title = "核心职能评估 · 考核批次"
    create_url = "assessment:campaign-create"

    def base_queryset(self):
        return Campaign.objects.select_related("framework")


class CampaignFormView(RoleRequiredMixin, View):
    roles = OFFICE
    template_name = "assessment/campaign_form.html"

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "title": self.title,
                                                         "campaign": getattr(self, "campaign", None)}, status=status)

    def values(self, form):
        data = dict(form.cleaned_data)
        data.pop("expected_version", None)
        return data


class CampaignCreateView(CampaignFormView):
    model = Campaign
    title = "新建考核批次"

    def get(self, request):
        period = Period.current_quarter()
        rule = StarRule.current()
        return self.render_form(CampaignForm(initial={
            "period": period.code, "framework": Framework.current(),
            "self_deadline": period.end + dt.timedelta(days=10),
            "performance_weight": rule.performance_weight if rule else None,
        }))

    def post(self, request):
        form = CampaignForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, 400)
        values = self.values(form)
        try:
            campaign = services.create_campaign(request.user, **values)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_form(form, 400)
        messages.success(request, "考核批次已创建，请核对后启动。")
        return redirect(campaign.get_absolute_url())


class CampaignUpdateView(CampaignFormView):
    model = Campaign
    title = "修改考核批次"

    def setup_campaign(self, pk):
        self.campaign = get_object_or_404(Campaign.objects.visible_to(self.request.user, "change"), pk=pk)

    def get(self, request, pk):
        self.setup_campaign(pk)
        return self.render_form(CampaignForm(instance=self.campaign))

    def post(self, request, pk):
        self.setup_campaign(pk)
        form = CampaignForm(request.POST, instance=Campaign.objects.get(pk=pk))
        if not form.is_valid():
            return self.render_form(form, 400)
        values = self.values(form)
        if self.campaign.status != Campaign.Status.DRAFT:
            values = {k: v for k, v in values.items() if k in services.LATER_FIELDS}
        try:
            services.update_campaign(request.user, self.campaign, values, form.cleaned_data.get("expected_version"))
        except ConcurrencyError:
            form.add_error(None, "保存失败：该批次在您编辑期间已被他人修改。您的输入保留在下方，请核对后重新保存。")
            return self.render_form(form, 409)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_form(form, 400)
        messages.success(request, "已保存。")
        return redirect(self.campaign.get_absolute_url())


class CampaignDetailView(ObjectDetailView):
    """A campaign: every visible department's progress, or the ranking once results are visible."""

    model = Campaign
    roles = READERS
    template_name = "assessment/campaign_detail.html"

    def base_queryset(self):
        return Campaign.objects.select_related("framework", "star_rule")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        campaign, user = self.object, self.request.user
        rows = list(campaign_rows(user, campaign))
        own = self.scope.department_ids
        given = MutualEvaluation.objects.visible_to(user).filter(campaign=campaign).aggregate(
            total=Count("pk"), given=Count("pk", filter=Q(submitted_at__isnull=False)))
        ctx.update(
            rows=rows, mine=[r for r in rows if r.department_id in own],
            results_visible=results_visible(user, campaign), is_office=is_office(user),
            actions=services.available(campaign) if is_office(user) else [],
            evaluations=given, today=timezone.localdate(),
            waiting=sum(r.n_submitted for r in rows), reviewed_unlocked=sum(r.n_reviewed - r.n_locked for r in rows),
            can_export=self.scope.sees_everything and campaign.status in (Campaign.Status.SCORED,
                                                                        Campaign.Status.PUBLISHED),
            can_bulletin=results_visible(user, campaign) and campaign.status in (Campaign.Status.SCORED,
                                                                                Campaign.Status.PUBLISHED),
        )
        return ctx


class CampaignActionView(PostActionView):
    """POST ``action`` = open / score / reopen / publish, or lock_reviewed."""

    model = Campaign
    roles = OFFICE

    def perform(self, request, campaign):
        action = request.POST.get("action", "")
        if action == "lock_reviewed":
            count = score_services.lock_reviewed(request.user, campaign)
            messages.success(request, f"已锁定 {count} 项已评审的标准。")
            return None
        campaign = services.perform(request.user, campaign, action)
        messages.success(request, f"已{services.ACTION_LABELS[action]}（{campaign.get_status_display()}）。")
        return None


class FrameworkView(RoleRequiredMixin, TemplateView):
    """评估表: aspects, criteria with guidance, weights per category, indicator rules, star rules.
    ``?version=`` picks a loaded version (default: current)."""

    roles = READERS
    template_name = "assessment/framework.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        versions = list(Framework.objects.order_by("-is_current", "-loaded_at"))
        wanted = self.request.GET.get("version")
        framework = next((f for f in versions if f.version == wanted), None) if wanted else None
        framework = framework or next((f for f in versions if f.is_current), None)
        if framework is None:
            ctx["versions"] = versions
            return ctx
        categories = list(framework.category_weights)
        criteria = framework.criteria.select_related("aspect").order_by("position")
        aspects = framework.aspects.prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by(
            "position"))).order_by("position")
        rules = {r.code: r for r in framework.indicator_rules.all()}
        weights = [
            (c, [(framework.weight_for(cat, c.code), c.max_points * framework.weight_for(cat, c.code))
                 for cat in categories])
            for c in criteria
        ]
        ctx.update(framework=framework, versions=versions, aspects=aspects, rules=rules, weights=weights,
                   categories=[(cat, category_label(cat)) for cat in categories],
                   star_rule=StarRule.current())
        return ctx

