"""领导驾驶舱: the leaders' overview (leaders and the office only)."""

from django.views.generic import TemplateView

from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.views import RoleRequiredMixin

from ..overview import overview


class OverviewView(RoleRequiredMixin, TemplateView):
    roles = (*OFFICE_ROLES, Role.LEADER)
    template_name = "reform/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "领导驾驶舱"
        ctx["panels"] = overview(self.request.user)
        return ctx
