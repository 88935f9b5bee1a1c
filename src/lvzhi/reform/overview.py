"""The leaders' overview: one chart per theme, each bar leading to the records behind it.

Every panel costs a fixed number of queries (grouped counts in the database), and the assembled
page data is cached for a short time per role scope. A panel whose module is not installed says
暂无数据 instead of guessing.
"""

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lvzhi.core.scoping import get_scope
from lvzhi.org.models import Department

from .analysis import staffing
from .models import Process
from .providers import installed_model
from .services.processes import analyse, with_steps

CACHE_SECONDS = 120
CATEGORY_LABELS = dict(Department.Category.choices)


def _url(name, query="", *args):
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def _panel(key, title, empty=None, rows=(), **chart):
    return {"key": key, "title": title, "empty": empty, "chart": chart or None, "chart_id": f"chart-{key}",
            "rows": list(rows)}


def star_ratings(user):
    Assessment = installed_model("assessment", "Assessment", "campaign", "category", "stars")
    if Assessment is None:
        return _panel("stars", "评星结果（按部门类别）", "暂无数据：核心职能评估模块尚未启用")
    rated = Assessment.objects.visible_to(user).filter(stars__isnull=False)
    latest = rated.order_by("-campaign__period", "-campaign_id").values_list("campaign_id", flat=True).first()
    if latest is None:
        return _panel("stars", "评星结果（按部门类别）", "暂无数据：尚无评星结果")
    grouped = rated.filter(campaign_id=latest).values("category", "stars").annotate(n=Count("pk")).order_by()
    counts = {(r["category"], r["stars"]): r["n"] for r in grouped}
    cats = [c for c, _ in Department.Category.choices if any(k[0] == c for k in counts)]
    link = _url("assessment:campaign", "", latest)
    series = [
        {"name": f"{s}星", "data": [counts.get((c, s), 0) for c in cats], "links": [link] * len(cats)}
        for s in range(5, 0, -1)
    ]
    return _panel("stars", "评星结果（按部门类别，最近一期）", type="stacked",
                  categories=[CATEGORY_LABELS[c] for c in cats], series=series)


def problems(user):
    Problem = installed_model("problems", "Problem", "category", "state", "deadline")
    if Problem is None:
        return _panel("problems", "问题（按类别和状态）", "暂无数据：问题管理模块尚未启用")
    from lvzhi.problems.models import OPEN_STATES, State

    today = timezone.localdate()
    grouped = (
        Problem.objects.visible_to(user)
        .values("category", "category__name", "category__position", "state")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(state__in=OPEN_STATES, deadline__lt=today)))
        .order_by("category__position")
    )
    cats, counts, overdue = {}, {}, {}
    for r in grouped:
        cats.setdefault(r["category"], r["category__name"] or "未分类")
        counts[(r["category"], r["state"])] = r["n"]
        overdue[r["category"]] = overdue.get(r["category"], 0) + r["overdue"]
    if not cats:
        return _panel("problems", "问题（按类别和状态）", "暂无数据：尚未登记问题")
    ledger = _url("problems:ledger")
    keys = list(cats)

    def link(cat, extra):
        return f"{ledger}?{'category=' + str(cat) + '&' if cat else ''}{extra}"

    series = [
        {"name": label, "data": [counts.get((c, state), 0) for c in keys],
         "links": [link(c, f"state={state}") for c in keys]}
        for state, label in State.choices if any(counts.get((c, state)) for c in keys)
    ]
    series.append({"name": "其中逾期", "type": "line", "data": [overdue[c] for c in keys],
                   "links": [link(c, "overdue=true") for c in keys]})
    rows = [(cats[c], sum(counts.get((c, s), 0) for s, _ in State.choices), overdue[c]) for c in keys]
    return _panel("problems", "问题（按类别和状态）", type="stacked", categories=[cats[c] for c in keys],
                  series=series, rows=rows)


def disputes(user):
    Dispute = installed_model("hotline", "Dispute", "title", "return_count", "ticket_count")
    if Dispute is None:
        return _panel("disputes", "退单争议最多的事项", "暂无数据：12345热线模块尚未启用")
    top = list(Dispute.objects.visible_to(user).order_by("-return_count", "-ticket_count", "pk")
               .values("pk", "title", "return_count", "ticket_count")[:10])
    if not top:
        return _panel("disputes", "退单争议最多的事项", "暂无数据：尚无退单争议事项")
    top.reverse()  # the longest bar on top
    links = [_url("hotline:dispute", "", d["pk"]) for d in top]
    return _panel("disputes", "退单争议最多的事项", type="hbar", categories=[d["title"][:24] for d in top],
                  series=[{"name": "退单次数", "data": [d["return_count"] for d in top], "links": links},
                          {"name": "工单数", "data": [d["ticket_count"] for d in top], "links": links}])


def power_adjustments(user):
    PowerAdjustment = installed_model("duties", "PowerAdjustment", "power_list", "kind", "status", "applied_in")
    if PowerAdjustment is None:
        return _panel("adjustments", "本年度权责清单调整", "暂无数据：三张清单模块尚未启用")
    year = timezone.localdate().year
    grouped = (
        PowerAdjustment.objects.visible_to(user)
        .filter(status=PowerAdjustment.Status.APPLIED, applied_in__published_on__year=year)
        .values("power_list__department", "power_list__department__short_name", "power_list__department__name", "kind")
        .annotate(n=Count("pk")).order_by()
    )
    names, counts = {}, {}
    for r in grouped:
        dept = r["power_list__department"]
        names[dept] = r["power_list__department__short_name"] or r["power_list__department__name"]
        counts[(dept, r["kind"])] = r["n"]
    if not names:
        return _panel("adjustments", f"{year}年权责清单调整", f"暂无数据：{year}年尚无已发布的调整")
    keys = sorted(names, key=lambda d: -sum(v for (k, _), v in counts.items() if k == d))[:15]
    base = _url("duties:adjustments")
    series = [
        {"name": label, "data": [counts.get((d, kind), 0) for d in keys],
         "links": [f"{base}?status=applied&kind={kind}&department={d}" for d in keys]}
        for kind, label in PowerAdjustment.Kind.choices
    ]
    return _panel("adjustments", f"{year}年权责清单调整", type="stacked", categories=[names[d] for d in keys],
                  series=series)


def processes(user):
    redesigns = list(Process.objects.visible_to(user).filter(based_on__isnull=False)
                     .exclude(status=Process.Status.SUPERSEDED).values_list("pk", "based_on"))
    if not redesigns:
        return _panel("processes", "流程再造成效", "暂无数据：尚无再造方案")
    ids = {pk for pair in redesigns for pk in pair}
    loaded = {p.pk: p for p in with_steps(Process.objects.visible_to(user).filter(pk__in=ids))}
    rows, cats, before, after, links = [], [], [], [], []
    for pk, based_on in redesigns:
        new, old = loaded[pk], loaded.get(based_on)
        if old is None:
            continue
        b, a = analyse(old).duration, analyse(new).duration
        link = reverse("reform:process-compare", args=[pk])
        rows.append((new.name, "已采用" if new.adopted_on else "方案", float(b), float(a), float(b - a), link))
        cats.append(old.name[:16])
        before.append(float(b))
        after.append(float(a))
        links.append(link)
    if not rows:
        return _panel("processes", "流程再造成效", "暂无数据：尚无再造方案")
    saved = sum(r[4] for r in rows if r[1] == "已采用")
    return _panel(
        "processes", f"流程再造成效（已采用的方案共压减 {saved:g} 个工作日）", type="bar", categories=cats,
        series=[{"name": "再造前（工作日）", "data": before, "links": links},
                {"name": "再造后（工作日）", "data": after, "links": links}], rows=rows,
    )


def staffing_outliers(user):
    report = staffing.report(user)
    base = reverse("reform:staffing")
    by_rule = {}
    for v in report.violations:
        by_rule.setdefault(v.rule.code, [v.rule.name, 0])[1] += 1
    rows = [(o.department.label, o.label, o.direction, f"{o.value:.3g}", f"{o.median:.3g}",
             f"{base}?category={o.department.category}") for o in report.outliers]
    if not by_rule and not rows:
        return _panel("staffing", "编制合规与效能异常", "暂无数据：未发现超编、超职数或异常值")
    codes = list(by_rule)
    return _panel("staffing", "编制合规与效能异常", type="bar", categories=[by_rule[c][0] for c in codes],
                  series=[{"name": "部门（项）数", "data": [by_rule[c][1] for c in codes],
                           "links": [f"{base}?rule={c}" for c in codes]}], rows=rows)


PANELS = (star_ratings, problems, disputes, power_adjustments, processes, staffing_outliers)


def scope_key(user):
    scope = get_scope(user)
    if scope.sees_everything:
        return "all"
    return "d" + "-".join(str(pk) for pk in sorted(scope.department_ids))


def overview(user):
    """The panels for ``user`` (cached a short while per role scope)."""
    key = f"reform:overview:{scope_key(user)}:{timezone.localdate().isoformat()}"
    panels = cache.get(key)
    if panels is None:
        panels = [panel(user) for panel in PANELS]
        cache.set(key, panels, CACHE_SECONDS)
    return panels
