"""退单分析: per department, the returns it made and how many a decision later overturned (the
office named it lead or supporting department of the dispute), and which pairs of departments
bounce tickets between each other most."""

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce



def per_department(returns):
    """``{department id: {"returns", "tickets", "overturned"}}`` for a visible returns queryset."""
    out = {}
    current = Q(ticket__dispute__decisions__is_current=True)
    for row in returns.filter(from_department__isnull=False).values("from_department_id").annotate(
            n=Count("pk", distinct=True), tickets=Count("ticket_id", distinct=True)).order_by():
        out[row["from_department_id"]] = {"returns": row["n"], "tickets": row["tickets"], "overturned": 0}
    for lookup in ("ticket__dispute__decisions__lead", "ticket__dispute__decisions__support"):
        for row in returns.filter(current, **{lookup: F("from_department")}).values("from_department_id").annotate(
                n=Count("pk", distinct=True)).order_by():
            if row["from_department_id"] in out:
                out[row["from_department_id"]]["overturned"] += row["n"]
    return out


def pairs(returns):
    """Directed counts ``{(from id, to id): n}``: a return from A re-dispatched to B (or, when the
    hotline recorded no re-dispatch, finally handled by B)."""
    rows = returns.filter(from_department__isnull=False).annotate(
        target=Coalesce("to_department_id", "ticket__handler_id")).filter(target__isnull=False).exclude(
        target=F("from_department_id")).values("from_department_id", "target").annotate(n=Count("pk")).order_by()
    return {(r["from_department_id"], r["target"]): r["n"] for r in rows}


def matrix(directed, limit=15):
    """The departments most involved and an ECharts heatmap of who returns to whom."""
    weight = {}
    for (a, b), n in directed.items():
        weight[a] = weight.get(a, 0) + n
        weight[b] = weight.get(b, 0) + n
    top = sorted(weight, key=lambda d: (-weight[d], d))[:limit]
    position = {d: i for i, d in enumerate(top)}
    cells = [[position[b], position[a], n] for (a, b), n in directed.items() if a in position and b in position]
    return top, cells


def bouncing(directed, limit=10):
    """Unordered pairs ranked by returns in both directions: ``[(a, b, a→b, b→a)]``."""
    seen = {}
    for (a, b), n in directed.items():
        key = (min(a, b), max(a, b))
        entry = seen.setdefault(key, {a: 0, b: 0})
        entry[a] += n
    ranked = sorted(seen.items(), key=lambda kv: -sum(kv[1].values()))[:limit]
    return [(a, b, counts[a], counts[b]) for (a, b), counts in ranked]
