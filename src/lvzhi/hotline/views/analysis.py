"""Indicators, returns analysis and hot topics: ECharts pages (data in a JSON script element,
charts drawn by static/hotline/charts.js) and their XLSX exports, computed from what the user may
see and cached per scope and period."""

from django.views import View
from django.views.generic import TemplateView

from lvzhi.core.views import RoleRequiredMixin

from ..analysis.period import cached, period_from
from ..analysis.reports import indicator_report, returns_report, topics_report
from ..exports import indicators_response, returns_response, topics_response
from ..models import Ticket
from .tickets import VIEWERS


class AnalysisMixin(RoleRequiredMixin):
    roles = VIEWERS
    report = None
    name = ""

    def data(self):
        user = self.request.user
        self.period = period_from(self.request, Ticket.objects.visible_to(user))
        return cached(self.name, self.scope, self.period, lambda: type(self).report(user, self.period))


class AnalysisView(AnalysisMixin, TemplateView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["data"] = self.data()
        ctx["period"] = self.period
        return ctx


class AnalysisExportView(AnalysisMixin, View):
    response = None

    def get(self, request):
        return type(self).response(self.data())


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


class IndicatorsExportView(AnalysisExportView):
    report = staticmethod(indicator_report)
    response = staticmethod(indicators_response)
    name = "indicators"


class ReturnsView(AnalysisView):
    template_name = "hotline/returns.html"
    report = staticmethod(returns_report)
    name = "returns"


class ReturnsExportView(AnalysisExportView):
    report = staticmethod(returns_report)
    response = staticmethod(returns_response)
    name = "returns"


class TopicsView(AnalysisView):
    template_name = "hotline/topics.html"
    report = staticmethod(topics_report)
    name = "topics"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        topics = ctx["data"]["topics"]
        ctx["chart"] = {"topics": ["、".join(t["words"][:3]) for t in topics], "counts": [t["count"] for t in topics],
                        "shares": [t["share"] for t in topics]}
        return ctx


class TopicsExportView(AnalysisExportView):
    report = staticmethod(topics_report)
    response = staticmethod(topics_response)
    name = "topics"
