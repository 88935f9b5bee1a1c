"""Indicators from the 12345 hotline app: on-time closing, satisfaction and improper returns.

Registered only when ``lvzhi.hotline`` is installed; its models, working-day clock and time limits
(``hotline_rules``) are imported inside the functions. The tickets counted are those received in
the period and finally handled by the department. The hotline keeps no "resolved on follow-up"
flag, so ``hotline_resolution`` has no provider and shows "暂无数据". As with the other adapters,
these read one department's own records for the office's scoring.
"""

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from . import percent
from ..models import plain, quantize


def _received(model, department, period, field="handler"):
    return model.objects.filter(**{field: department}, received_at__date__gte=period.start,
                                received_at__date__lte=period.end)


def hotline_on_time(department, period):
    from lvzhi.hotline.clock import current_clock
    from lvzhi.hotline.models import Kind, Ticket
    from lvzhi.hotline.rules import current_rules

    tickets = _received(Ticket, department, period)
    rules = current_rules()
    until = current_clock().ordinal(min(period.end, timezone.localdate()))
    due_total = on_time_total = 0
    lines = []
    for kind, label in Kind.choices:
        limit = rules.limit(kind)
        # Due: closed, or still open past its limit by the end of the period.
        due = tickets.filter(kind=kind).filter(Q(closed_wd__isnull=False) | Q(received_wd__lte=until - limit))
        counts = due.aggregate(n=Count("pk"), ok=Count("pk", filter=Q(closed_wd__lte=F("received_wd") + limit)))
        if counts["n"]:
            due_total += counts["n"]
            on_time_total += counts["ok"]
            lines.append([f"{label}（时限 {limit} 个工作日）", f"应办结 {counts['n']} 件，按时办结 {counts['ok']} 件"])
    if not due_total:
        return None
    rate = percent(on_time_total, due_total)
    lines.append(["按时办结率", f"{on_time_total} ÷ {due_total} = {plain(rate)}%（时限见热线规则 {rules.version} 版）"])
    return rate, lines


def hotline_satisfaction(department, period):
    from lvzhi.hotline.models import Satisfaction, Ticket

    counts = dict(_received(Ticket, department, period).exclude(satisfaction="").values_list("satisfaction")
                  .annotate(n=Count("pk")).order_by())
    rated = sum(counts.values())
    if not rated:
        return None
    satisfied, basic = counts.get(Satisfaction.SATISFIED, 0), counts.get(Satisfaction.BASIC, 0)
    rate = quantize((Decimal(satisfied) + Decimal(basic) * Decimal("0.8")) * 100 / rated)
    return rate, [
        ["有满意度评价的工单", f"{rated} 件（满意 {satisfied}、基本满意 {basic}、不满意 "
                               f"{counts.get(Satisfaction.UNSATISFIED, 0)}）"],
        ["满意率", f"({satisfied} + {basic} × 0.8) ÷ {rated} = {plain(rate)}%"],
    ]


def hotline_return_rate(department, period):
    from lvzhi.hotline.models import Ticket, TicketReturn

    handled = _received(Ticket, department, period)
    returns = TicketReturn.objects.filter(from_department=department, returned_at__date__gte=period.start,
                                          returned_at__date__lte=period.end)
    returned_tickets = set(returns.values_list("ticket_id", flat=True))
    handled_ids = set(handled.values_list("pk", flat=True))
    dispatched = len(handled_ids | returned_tickets)
    if not dispatched:
        return None
    # Improper: the office's current decision on the ticket's dispute names this department as lead.
    improper = set(returns.filter(ticket__dispute__decisions__is_current=True,
                                  ticket__dispute__decisions__lead=department).values_list("ticket_id", flat=True))
    rate = percent(len(improper), dispatched)
    return rate, [
        ["派发给本部门的工单", f"{dispatched} 件（本部门承办 {len(handled_ids)} 件，本部门退回 {len(returned_tickets)} 件）"],
        ["退单", f"{returns.count()} 次"],
        ["经争议认定应由本部门牵头办理的退单工单", f"{len(improper)} 件"],
        ["不当退单率", f"{len(improper)} ÷ {dispatched} = {plain(rate)}%"],
    ]


PROVIDERS = {
    "hotline_on_time": hotline_on_time,
    "hotline_satisfaction": hotline_satisfaction,
    "hotline_return_rate": hotline_return_rate,
}
