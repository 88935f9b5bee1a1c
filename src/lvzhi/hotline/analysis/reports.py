"""The analysis pages' data as plain structures (cacheable, exportable, benchmarked).

Everything starts from what the user may see. A department liaison gets its own departments'
rows only — its trend is its own, not the city's.
"""

from lvzhi.core.roles import Role
from lvzhi.core.scoping import get_scope
from lvzhi.org.models import Department

from ..models import Kind, Ticket, TicketReturn
from ..rules import current_rules
from . import indicators, returns, topics


def own_departments(user):
    """None for roles that see the whole city, else the liaison's department ids."""
    scope = get_scope(user)
    if scope.sees_everything or Role.HOTLINE in scope.roles:
        return None
    return scope.department_ids


def _names(ids):
    return {d.pk: d.label for d in Department._base_manager.filter(pk__in=[i for i in ids if i])}


def _indicator_dict(row, **extra):
    return {**extra, "received": row.received, "closed": row.closed, "resolution_rate": row.resolution_rate,
            "on_time": row.on_time, "due": row.due, "on_time_rate": row.on_time_rate, "rated": row.rated,
            "satisfaction_rate": row.satisfaction_rate, "returned": row.returned, "return_rate": row.return_rate,
            "repeats": row.repeats, "repeat_rate": row.repeat_rate}


def indicator_report(user, period):
    rules = current_rules()
    own = own_departments(user)
    tickets = Ticket.objects.visible_to(user)
    # Roles that see every ticket count every return without re-checking each ticket's visibility.
    everything = TicketReturn._base_manager.all() if own is None else None
    rows, returned = indicators.compute(tickets, rules, period.first, period.last, returns=everything)
    if own is not None:
        rows = {key: row for key, row in rows.items() if key[0] in own}
        trend = indicators.by_month(rows, period.months)
    else:
        trend = indicators.by_month(rows, period.months, returned)
    totals = indicators.by_department(rows)
    names = _names(totals)
    departments = sorted(
        (_indicator_dict(row, department=names.get(pk, "（未匹配承办单位）"), department_id=pk)
         for pk, row in totals.items() if row.received or row.returned),
        key=lambda d: (-d["received"], d["department"]))
    monthly = sorted(
        (_indicator_dict(row, department=names.get(pk, "（未匹配承办单位）"), month=indicators.month_label(month))
         for (pk, month), row in rows.items()), key=lambda d: (d["department"], d["month"]))
    return {
        "period": period.label, "limits": {Kind(k).label: days for k, days in rules.time_limits.items()},
        "trend": [_indicator_dict(row, month=indicators.month_label(row.month)) for row in trend],
        "departments": departments, "monthly": monthly,
    }


def returns_report(user, period, limit=15):
    own = own_departments(user)
    visible = TicketReturn.objects.visible_to(user).filter(ticket__month__gte=period.first,
                                                           ticket__month__lte=period.last)
    mine = visible if own is None else visible.filter(from_department__in=own)
    per = returns.per_department(mine)
    directed = returns.pairs(mine)
    top, cells = returns.matrix(directed, limit)
    pairs = returns.bouncing(directed)
    names = _names(set(per) | {p for pair in directed for p in pair})
    return {
        "period": period.label,
        "departments": sorted(({"department": names.get(pk, str(pk)), **v} for pk, v in per.items()),
                              key=lambda d: -d["returns"]),
        "matrix": {"departments": [names.get(pk, str(pk)) for pk in top], "cells": cells},
        "pairs": [{"a": names.get(a), "b": names.get(b), "a_to_b": x, "b_to_a": y, "total": x + y}
                  for a, b, x, y in pairs],
        "flows": [{"from": names.get(a, str(a)), "to": names.get(b, str(b)), "returns": n}
                  for (a, b), n in sorted(directed.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def topics_report(user, period):
    rules = current_rules()
    tickets = Ticket.objects.visible_to(user).filter(month__gte=period.first, month__lte=period.last)
    own = own_departments(user)
    if own is not None:
        tickets = tickets.filter(handler__in=own)
    found = topics.hot_topics(tickets, rules)
    found["period"] = period.label
    return found
