"""12345 tickets: the list (a constant number of queries per page) and one ticket with its returns,
its dispute subject and the routing suggestion."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from lvzhi.core.roles import OFFICE_ROLES, Role
from lvzhi.core.views import ObjectDetailView, ObjectListView

from lvzhi.problems.links import about_context

from .. import finder, services
from ..filters import TicketFilter
from ..models import Ticket, TicketReturn
from ..rules import current_rules
from ..tables import TicketTable

VIEWERS = (*OFFICE_ROLES, Role.LEADER, Role.HOTLINE, Role.DEPARTMENT)
HOTLINE = (*OFFICE_ROLES, Role.HOTLINE)


def with_return_counts(qs):
    counts = (TicketReturn._base_manager.filter(ticket=OuterRef("pk")).order_by().values("ticket")
              .annotate(n=Count("pk")).values("n"))
    return qs.annotate(return_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))


class TicketListView(ObjectListView):
    model = Ticket
    roles = VIEWERS
    table_class = TicketTable
    filterset_class = TicketFilter
    template_name = "hotline/ticket_list.html"
    title = "12345工单"
    paginate_by = 50

    def base_queryset(self):
        return with_return_counts(Ticket.objects.select_related("handler"))

    def can_create(self):
        return False


class TicketDetailView(ObjectDetailView):
    model = Ticket
    roles = VIEWERS
    template_name = "hotline/ticket_detail.html"

    def base_queryset(self):
        return Ticket.objects.select_related("handler", "dispute")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ticket = self.object
        limit = current_rules().limit(ticket.kind)
        if ticket.closed_wd is not None:
            used = ticket.closed_wd - ticket.received_wd
            ctx["working_days"] = f"用时 {used} 个工作日，时限 {limit} 个工作日，{'按时办结' if used <= limit else '超时办结'}"
        ctx["returns"] = TicketReturn.objects.visible_to(self.request.user).filter(ticket=ticket).select_related(
            "from_department", "to_department")
        if self.scope.has(*HOTLINE, Role.LEADER):  # routing is the dispatchers' tool, not the departments'
            ctx["suggestions"] = services.suggest(ticket.content, ticket.address)
            ctx["finder_available"] = finder.available()
            ctx["model_available"] = services.current_model() is not None
        ctx["dispute"] = ticket.dispute if ticket.dispute_id and self._dispute_visible(ticket) else None
        ctx.update(about_context(ticket, self.request.user, ref=ticket.ticket_no, source="hotline",
                                 department=ticket.handler_id, title=f"12345工单{ticket.ticket_no}反映的问题",
                                 description=ticket.content))
        return ctx

    def _dispute_visible(self, ticket):
        from ..models import Dispute

        return Dispute.objects.visible_to(self.request.user).filter(pk=ticket.dispute_id).exists()
