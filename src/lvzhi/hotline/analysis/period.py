"""The period an analysis page covers, and a short-lived cache of its results.

On large ticket tables results are cached per scope and period, stamped with the newest ticket,
return, import, decision, alias and rules version, so new data shows at once while repeated views
cost nothing. Small tables are simply recomputed.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from ..filters import month_number
from ..models import DepartmentAlias, DisputeDecision, ImportRun, RuleSet, Ticket, TicketReturn
from .indicators import month_label, month_range

TTL = 3600
CACHE_FROM = 50_000  # tickets


@dataclass(frozen=True)
class Period:
    first: int
    last: int

    @property
    def months(self):
        return month_range(self.first, self.last)

    @property
    def label(self):
        return month_label(self.first) if self.first == self.last else f"{month_label(self.first)}至{month_label(self.last)}"

    @property
    def query(self):
        return f"from={self.first // 100}-{self.first % 100:02d}&to={self.last // 100}-{self.last % 100:02d}"


def _shift(month, delta):
    index = (month // 100) * 12 + (month % 100 - 1) + delta
    return (index // 12) * 100 + index % 12 + 1


def period_from(request, tickets):
    """``?from=YYYY-MM&to=YYYY-MM``; by default the twelve months up to the newest ticket."""
    last = month_number(request.GET.get("to", ""))
    first = month_number(request.GET.get("from", ""))
    if last is None:
        newest = tickets.aggregate(m=Max("received_at"))["m"]
        moment = timezone.localtime(newest) if newest else timezone.localtime()
        last = moment.year * 100 + moment.month
    if first is None or first > last:
        first = _shift(last, -11)
    return Period(first, last)


def stamp():
    """``None`` for a small ticket table (no caching), else what invalidates cached results."""
    newest_ticket = Ticket._base_manager.aggregate(m=Max("pk"))["m"] or 0
    if newest_ticket < CACHE_FROM:
        return None
    newest_run = ImportRun.objects.order_by("-pk").values_list("pk", "finished_at").first()
    returns = TicketReturn._base_manager.aggregate(m=Max("pk"))["m"]
    decisions = DisputeDecision._base_manager.aggregate(m=Max("pk"), n=Max("updated_at"))
    aliases = DepartmentAlias._base_manager.aggregate(m=Max("pk"), n=Count("pk"))
    rules = RuleSet.objects.filter(is_current=True).values_list("version", flat=True).first()
    return f"{newest_ticket}|{returns}|{newest_run}|{decisions}|{aliases}|{rules}|{timezone.localdate()}"


def cached(name, scope, period, compute):
    current = stamp()
    if current is None:
        return compute()
    parts = f"{name}|{sorted(scope.roles)}|{sorted(scope.department_ids)}|{period}|{current}"
    key = "lvzhi:hotline:" + hashlib.sha1(parts.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TTL)
    return found
