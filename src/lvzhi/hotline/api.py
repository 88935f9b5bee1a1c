"""REST API of the hotline module.

- ``/api/hotline/tickets/`` — tickets the user may see; ``POST`` is the intake for the hotline
  platform (token auth, ``hotline`` role): one ticket object, a list, or ``{"tickets": [...],
  "returns": [...], "accept_good_rows": false}``; the answer carries a routing suggestion per ticket.
- ``/api/hotline/tickets/suggest/?q=TEXT`` — a routing suggestion for any text.
- ``/api/hotline/returns/`` — returns; ``POST`` pushes return records the same way.
- ``/api/hotline/disputes/`` and ``/api/hotline/dispatch-rules/`` — read-only.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lvzhi.api import router
from lvzhi.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin

from . import services
from .exports import rule_row
from .models import Dispute, DisputeDecision, Ticket, TicketReturn
from .services.common import require_hotline

MAX_RECORDS = 5000
SUGGEST_FOR = 50  # tickets per call that get a routing suggestion (the finder costs milliseconds each)


class ReturnSerializer(serializers.ModelSerializer):
    ticket_no = serializers.CharField(source="ticket.ticket_no", read_only=True)
    from_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TicketReturn
        fields = ["id", "ticket_no", "returned_at", "from_department", "from_name", "reason", "to_department",
                  "to_name"]


class TicketSerializer(serializers.ModelSerializer):
    handler = serializers.SlugRelatedField(slug_field="code", read_only=True)
    dispute = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "ticket_no", "received_at", "kind", "content", "address", "handler", "handler_name",
                  "closed_at", "result", "satisfaction", "dispute"]


class DisputeSerializer(serializers.ModelSerializer):
    departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "number", "title", "keywords", "state", "departments", "ticket_count", "return_count",
                  "first_at", "last_at"]


def _records(data, key):
    """The list of records in a request body: a list, ``{key: [...]}``, or one object."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if key in data or "tickets" in data or "returns" in data:
            value = data.get(key) or []
            return value if isinstance(value, list) else None
        return [data]
    return None


def _answer(run, outcome, user, tickets):
    body = {
        "import_run": run.pk, "committed": outcome.committed,
        "tickets": _counts(outcome.tickets), "returns": _counts(outcome.returns),
        "errors": [m for r in outcome.reports for _, messages in r.rejected for m in messages] + outcome.file_errors,
        "unmatched": outcome.unmatched,
    }
    if outcome.committed and tickets:
        numbers = [str(t.get("ticket_no") or t.get("工单编号") or "").strip() for t in tickets if isinstance(t, dict)]
        found = {t.ticket_no: t for t in Ticket.objects.visible_to(user).filter(ticket_no__in=numbers)}
        results = []
        for i, number in enumerate(numbers):
            ticket = found.get(number)
            if ticket is None:
                continue
            entry = {"ticket_no": number, "id": ticket.pk, "url": ticket.get_absolute_url()}
            if i < SUGGEST_FOR:
                entry["suggestions"] = services.suggest(ticket.content, ticket.address)
            results.append(entry)
        body["results"] = results
    created = any(r.created for r in outcome.reports)
    code = status.HTTP_400_BAD_REQUEST if not outcome.committed else (
        status.HTTP_201_CREATED if created else status.HTTP_200_OK)
    return Response(body, status=code)


def _counts(report):
    if report is None:
        return None
    return {"rows": report.rows, "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "rejected": report.rejected_count}


def _bad_body(what):
    return Response({"committed": False, "errors": [f"请求体应为一条{what}对象、{what}对象列表，或包含列表的对象"]},
                    status=status.HTTP_400_BAD_REQUEST)


class TicketViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Ticket.objects.select_related("handler", "dispute").order_by("-received_at", "-pk")
    serializer_class = TicketSerializer
    filterset_fields = ["kind", "month", "satisfaction"]
    search_fields = ["ticket_no"]

    @extend_schema(request=None, responses=None)
    def create(self, request):
        tickets = _records(request.data, "tickets")
        returns = request.data.get("returns") if isinstance(request.data, dict) else []
        if tickets is None or not isinstance(returns or [], list):
            return _bad_body("工单")
        if len(tickets) + len(returns or []) > MAX_RECORDS:
            return Response({"committed": False, "errors": [f"每次最多推送 {MAX_RECORDS} 条记录"]},
                            status=status.HTTP_400_BAD_REQUEST)
        partial = bool(request.data.get("accept_good_rows")) if isinstance(request.data, dict) else False
        run, outcome = services.intake(request.user, tickets, returns or [], accept_good_rows=partial)
        return _answer(run, outcome, request.user, tickets)

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("address", str)], responses=None)
    @action(detail=False, methods=["get"])
    def suggest(self, request):
        """派单建议 for a text: departments best first, each with its evidence."""
        require_hotline(request.user, "查看派单建议")
        text = request.query_params.get("q", "").strip()
        found = services.suggest(text, request.query_params.get("address", "")) if text else []
        return Response({"query": text, "suggestions": found})


class ReturnViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = TicketReturn.objects.select_related("ticket", "from_department", "to_department").order_by("-pk")
    serializer_class = ReturnSerializer

    @extend_schema(request=None, responses=None)
    def create(self, request):
        returns = _records(request.data, "returns")
        if returns is None:
            return _bad_body("退单")
        if len(returns) > MAX_RECORDS:
            return Response({"committed": False, "errors": [f"每次最多推送 {MAX_RECORDS} 条记录"]},
                            status=status.HTTP_400_BAD_REQUEST)
        partial = bool(request.data.get("accept_good_rows")) if isinstance(request.data, dict) else False
        run, outcome = services.intake(request.user, (), returns, accept_good_rows=partial)
        return _answer(run, outcome, request.user, [])


class DisputeViewSet(ScopedReadOnlyViewSet):
    queryset = Dispute.objects.prefetch_related("departments").order_by("-return_count", "-pk")
    serializer_class = DisputeSerializer
    filterset_fields = ["state"]


class DispatchRuleViewSet(ScopedReadOnlyViewSet):
    """派单规则: the office's current responsibility decisions, for the hotline platform."""

    queryset = DisputeDecision.objects.filter(is_current=True).select_related(
        "dispute__duty_point__link__matter", "lead", "duty_point__link__matter", "basis_duty__mandate__department",
        "basis_clause__mandate__department", "basis_point__link__matter").prefetch_related("support").order_by("-pk")

    def get_serializer_class(self):
        return serializers.Serializer

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([rule_row(d) for d in page])

    def retrieve(self, request, pk=None):
        return Response(rule_row(self.get_object()))


router.register("hotline/tickets", TicketViewSet, basename="hotline-ticket")
router.register("hotline/returns", ReturnViewSet, basename="hotline-return")
router.register("hotline/disputes", DisputeViewSet, basename="hotline-dispute")
router.register("hotline/dispatch-rules", DispatchRuleViewSet, basename="hotline-dispatch-rule")
