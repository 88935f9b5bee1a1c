"""Indicators, returns analysis and hot topics: ECharts pages (data in a JSON script element,
charts drawn by static/hotline/charts.js) and XLSX export."""

from django.views import View
from django.views.generic import TemplateView

from lvzhi.core.views import RoleRequiredMixin

from ..analysis.period import cached, period_from
from ..analysis.reports import indicator_report, returns_report, topics_report
from ..exports import indicators_response
from ..models import Ticket
from .tickets import VIEWERS


class AnalysisView(RoleRequiredMixin, TemplateView):
    roles = VIEWERS
    report = None
    name = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        period = period_from(self.request, Ticket.objects.visible_to(user))
        ctx["period"] = period
        ctx["data"] = cached(self.name, self.scope, period, lambda: type(self).report(user, period))
        return ctx


class IndicatorsView(AnalysisView):
    template_name = "hotline/indicators.html"
    report = staticmethod(indicator_report)
    name = "indicators"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["chart"] = {"months": [r["month"] for r in ctx["data"]["trend"]],
                        "received": [r["received"] for r in ctx["data"]["trend"]],
                        "on_time_rate": [r["on_time_rate"] for r in ctx["data"]["trend"]],
                        "satisfaction_rate": [r["satisfaction_rate"] for r in ctx["data"]["trend"]],
                        "return_rate": [r["return_rate"] for r in ctx["data"]["trend"]],
                        "repeat_rate": [r["repeat_rate"] for r in ctx["data"]["trend"]]}
        return ctx


class IndicatorsExportView(RoleRequiredMixin, View):
    roles = VIEWERS

    def get(self, request):
        period = period_from(request, Ticket.objects.visible_to(request.user))
        data = cached("indicators", self.scope, period, lambda: indicator_report(request.user, period))
        return indicators_response(data)


class ReturnsView(AnalysisView):
    template_name = "hotline/returns.html"
    report = staticmethod(returns_report)
    name = "returns"


class TopicsView(AnalysisView):
    template_name = "hotline/topics.html"
    report = staticmethod(topics_report)
    name = "topics"
