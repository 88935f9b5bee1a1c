"""Hotline indicators per department and month, aggregated in the database.

Definitions (docs/hotline.md):

- 受理量: tickets received in the month whose final handler is the department.
- 办结率: closed tickets / tickets received.
- 按时办结率: tickets closed within their kind's time limit (working days from the day after
  receipt to the closing day, on the working-day calendar) / tickets that are due — closed, or
  still open past their limit today.
- 满意率: 满意 + 基本满意 / tickets with a rating.
- 退单率: tickets the department sent back / (tickets it handled + tickets it sent back and did
  not handle in the end).
- 重复诉求率: within one handler and month, a second or later ticket of the same kind from the
  same address / tickets received.
"""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import Case, Count, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Concat

from ..models import Satisfaction, TicketReturn


def _ratio(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def limit_expression(rules):
    return Case(*[When(kind=kind, then=Value(days)) for kind, days in rules.time_limits.items()],
                default=Value(rules.limit("other")), output_field=IntegerField())


def month_range(first, last):
    """YYYYMM integers from ``first`` to ``last`` inclusive."""
    out, y, m = [], first // 100, first % 100
    while y * 100 + m <= last:
        out.append(y * 100 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_label(month):
    return f"{month // 100}年{month % 100}月"


@dataclass
class Row:
    handler_id: int | None
    month: int | None
    received: int = 0
    closed: int = 0
    on_time: int = 0
    due: int = 0
    rated: int = 0
    satisfied: int = 0
    returned: int = 0
    returned_elsewhere: int = 0
    with_address: int = 0
    distinct_address: int = 0

    @property
    def resolution_rate(self):
        return _ratio(self.closed, self.received)

    @property
    def on_time_rate(self):
        return _ratio(self.on_time, self.due)

    @property
    def satisfaction_rate(self):
        return _ratio(self.satisfied, self.rated)

    @property
    def return_rate(self):
        return _ratio(self.returned, self.received + self.returned_elsewhere)

    @property
    def repeats(self):
        return self.with_address - self.distinct_address

    @property
    def repeat_rate(self):
        return _ratio(self.repeats, self.received)

    def add(self, other):
        for name in ("received", "closed", "on_time", "due", "rated", "satisfied", "returned", "returned_elsewhere",
                     "with_address", "distinct_address"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _repeat_key():
    """What makes two tickets of one handler and month the same request: address and kind. On
    PostgreSQL the key is hashed to an integer, which counts distinct values much faster."""
    key = Concat("address", Value("|"), "kind")
    return Func(key, function="hashtext") if connection.vendor == "postgresql" else key


def compute(tickets, rules, first, last, today=None, clock=None, returns=None):
    """Indicator rows for ``tickets`` (a visible queryset) received in months ``first``–``last``;
    ``returns`` are the returns to count (default: those of ``tickets``).

    Returns ``({(handler_id, month): Row}, {month: tickets returned at least once})``: one scan of
    the tickets for everything but the returns, one join of the returns for those.
    """
    from ..clock import current_clock

    clock = clock or current_clock()
    today_wd = clock.ordinal(today or dt.date.today())
    limit = limit_expression(rules)
    tickets = tickets.filter(month__gte=first, month__lte=last)
    if returns is None:
        returns = TicketReturn._base_manager.filter(ticket__in=tickets.values("pk"))
    else:
        returns = returns.filter(ticket__month__gte=first, ticket__month__lte=last)
    with_address = ~Q(address="")
    main = tickets.values("handler_id", "month").annotate(
        received=Count("pk"),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
        on_time=Count("pk", filter=Q(closed_wd__isnull=False, closed_wd__lte=F("received_wd") + limit)),
        late_open=Count("pk", filter=Q(closed_wd__isnull=True, received_wd__lt=Value(today_wd) - limit)),
        rated=Count("pk", filter=~Q(satisfaction="")),
        satisfied=Count("pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
        with_address=Count("pk", filter=with_address),
        distinct_address=Count(_repeat_key(), distinct=True, filter=with_address),
    ).order_by()
    by_department = returns.filter(from_department__isnull=False).values("from_department_id", "ticket__month").annotate(
        tickets=Count("ticket_id", distinct=True),
        elsewhere=Count("ticket_id", distinct=True, filter=~Q(ticket__handler_id=F("from_department_id"))),
    ).order_by()
    city = returns.values_list("ticket__month").annotate(n=Count("ticket_id", distinct=True)).order_by()
    main, by_department, city = in_parallel(main, by_department, city)
    rows = {}
    for values in main:
        key = (values["handler_id"], values["month"])
        r = rows[key] = Row(*key)
        r.received, r.closed, r.on_time = values["received"], values["closed"], values["on_time"]
        r.due, r.rated, r.satisfied = values["closed"] + values["late_open"], values["rated"], values["satisfied"]
        r.with_address, r.distinct_address = values["with_address"], values["distinct_address"]
    for values in by_department:
        key = (values["from_department_id"], values["ticket__month"])
        r = rows.get(key) or rows.setdefault(key, Row(*key))
        r.returned, r.returned_elsewhere = values["tickets"], values["elsewhere"]
    return rows, dict(city)


def in_parallel(*querysets):
    """Evaluate querysets side by side, each on its own connection, when nothing uncommitted needs
    to be seen (outside a transaction); otherwise one after the other."""
    if connection.in_atomic_block or len(querysets) < 2:
        return [list(qs) for qs in querysets]

    def fetch(qs):
        try:
            return list(qs)
        finally:
            connections.close_all()  # this worker thread's own connections

    with ThreadPoolExecutor(max_workers=len(querysets)) as pool:
        return list(pool.map(fetch, querysets))


def by_department(rows):
    """Month rows folded into one row per department (for a period table)."""
    out = {}
    for (handler, _), r in rows.items():
        total = out.setdefault(handler, Row(handler, None))
        total.add(r)
    return out


def by_month(rows, months, returned=None):
    """Month rows summed over departments; ``returned`` (month → tickets returned at least once)
    replaces the per-department return counts, which would count a ticket once per department."""
    out = {m: Row(None, m) for m in months}
    for (_, month), r in rows.items():
        if month in out:
            out[month].add(r)
    if returned is not None:
        for month, row in out.items():
            row.returned, row.returned_elsewhere = returned.get(month, 0), 0
    return [out[m] for m in months]
