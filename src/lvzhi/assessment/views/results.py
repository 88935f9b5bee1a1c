"""Results: the dashboard (page and JSON), the 季度考核通报 and the performance-scoring export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.views import RoleRequiredMixin

from ..exports.bulletin import bulletin
from ..exports.performance import performance_response
from ..models import Campaign
from ..services.campaigns import weight_or_default
from ..services.results import dashboard, results_visible
from .common import READERS

RESULT_STATES = (Campaign.Status.SCORED, Campaign.Status.PUBLISHED)


class CampaignMixin(RoleRequiredMixin):
    model = Campaign
    roles = READERS

    def campaign(self, pk):
        return get_object_or_404(Campaign.objects.visible_to(self.request.user)
                                 .select_related("framework", "star_rule"), pk=pk)


class DashboardView(RoleRequiredMixin, TemplateView):
    """评估结果看板: ECharts from ``dashboard.json``; ``?campaign=`` picks a visible campaign."""

    roles = READERS
    template_name = "assessment/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        campaigns = list(Campaign.objects.visible_to(self.request.user).exclude(status=Campaign.Status.DRAFT)
                         .order_by("-period", "-pk"))
        wanted = self.request.GET.get("campaign", "")
        campaign = next((c for c in campaigns if str(c.pk) == wanted), None)
        if campaign is None:
            with_results = [c for c in campaigns if results_visible(self.request.user, c)]
            campaign = (with_results or campaigns or [None])[0]
        ctx.update(campaigns=campaigns, campaign=campaign,
                   data_url=reverse("assessment:campaign-dashboard-data", args=[campaign.pk]) if campaign else "")
        return ctx


class DashboardDataView(CampaignMixin, View):
    def get(self, request, pk):
        return JsonResponse(dashboard(request.user, self.campaign(pk)), json_dumps_params={"ensure_ascii": False})


class BulletinView(CampaignMixin, View):
    """季度考核通报 (.docx): once scored for the office and leaders, once published for departments."""

    def get(self, request, pk):
        campaign = self.campaign(pk)
        if campaign.status not in RESULT_STATES or not results_visible(request.user, campaign):
            raise PermissionDenied("评估结果发布后才能下载考核通报。")
        return bulletin(request.user, campaign).to_response(f"{campaign.name}通报")


class PerformanceExportView(CampaignMixin, View):
    """高质量发展绩效考核 XLSX; ``?weight=`` overrides the campaign's weight (0 < w ≤ 1)."""

    roles = (*OFFICE_ROLES, Role.LEADER)

    def get(self, request, pk):
        campaign = self.campaign(pk)
        if campaign.status not in RESULT_STATES:
            raise PermissionDenied("计算得分后才能导出绩效考核结果。")
        try:
            weight = weight_or_default(campaign, request.GET.get("weight"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(campaign.get_absolute_url())
        return performance_response(request.user, campaign, weight)
