"""编制 efficiency per department: quota against people in post, leader posts, internal units against
the mandate, workload (from other modules and from figures the office enters), workload per post
compared within the department's category with outliers marked, and the compliance rules.

One report costs a constant number of queries whatever the number of departments.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean, median

from django.db.models import OuterRef, Prefetch, Subquery, Sum
from django.utils import timezone

from lvzhi.core.scoping import get_scope
from lvzhi.org.models import STAFF_TYPES, Department, Mandate, StaffingActual
from lvzhi.org.services import staffing_rows

from .. import periods, providers
from . import rules

STAFF_KEYS = [k for k, _ in STAFF_TYPES]
LEADER_KEYS = ["leader_head", "leader_deputy", "leader_other"]
MAD_SCALE, MEAN_AD_SCALE = 0.6745, 1.253314  # Iglewicz & Hoaglin's modified z-score


def _total(obj, keys):
    values = [getattr(obj, k) for k in keys] if obj is not None else []
    values = [v for v in values if v is not None]
    return sum(values) if values else None


@dataclass
class DepartmentRow:
    department: Department
    mandate: Mandate | None
    quota: object
    actual: StaffingActual | None
    actual_units: list = field(default_factory=list)
    workload: dict = field(default_factory=dict)
    ratios: dict = field(default_factory=dict)
    outliers: dict = field(default_factory=dict)
    violations: list = field(default_factory=list)
    cells: list = field(default_factory=list)  # (indicator, value, per post, outlier) in indicator order

    @property
    def mandate_units(self):
        return list(self.mandate.units.all()) if self.mandate else []

    @property
    def staffing(self):
        return staffing_rows(self.quota, self.actual)

    @property
    def staff_rows(self):
        return [r for r in self.staffing if r.key in STAFF_KEYS]

    @property
    def leader_rows(self):
        return [r for r in self.staffing if r.key in LEADER_KEYS]

    def quota_of(self, key):
        return getattr(self.quota, key, None) if self.quota else None

    def actual_of(self, key):
        return getattr(self.actual, key, None) if self.actual else None

    @property
    def posts(self):
        return _total(self.quota, STAFF_KEYS)

    @property
    def people(self):
        return _total(self.actual, STAFF_KEYS)

    @property
    def leader_posts(self):
        return _total(self.quota, LEADER_KEYS)

    @property
    def leaders(self):
        return _total(self.actual, LEADER_KEYS)

    @property
    def vacancy(self):
        return None if self.posts is None or self.people is None else self.posts - self.people

    @property
    def vacancy_rate(self):
        return None if not self.posts or self.vacancy is None else self.vacancy / self.posts

    def metric(self, key):
        return self.vacancy_rate if key == "vacancy_rate" else self.ratios.get(key)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    origin: str  # "module" (counted from another module) or "figure" (entered per period)
    available: bool = True


@dataclass(frozen=True)
class Outlier:
    department: Department
    metric: str
    label: str
    value: float
    median: float
    z: float

    @property
    def direction(self):
        return "偏高" if self.z > 0 else "偏低"


@dataclass
class Report:
    period: str
    rows: list
    indicators: list
    metrics: list  # (key, label) compared within categories
    ruleset: rules.RuleSet
    violations: list
    outliers: list
    compared: bool  # False when the user sees too few departments for a comparison

    @property
    def period_label(self):
        return periods.label(self.period)


def robust_outliers(values, threshold=3.5, min_group=4):
    """``{key: z}`` for the values whose modified z-score exceeds ``threshold`` in absolute value.

    The scale is the median absolute deviation; when more than half the values are equal it is the
    mean absolute deviation instead, and when all are equal nothing is an outlier.
    """
    xs = [v for v in values.values() if v is not None]
    if len(xs) < min_group:
        return {}
    centre = median(xs)
    mad = median(abs(x - centre) for x in xs)
    scale = mad / MAD_SCALE if mad else MEAN_AD_SCALE * mean(abs(x - centre) for x in xs)
    if not scale:
        return {}
    scores = {k: (v - centre) / scale for k, v in values.items() if v is not None}
    return {k: z for k, z in scores.items() if abs(z) > threshold}


def default_period(user):
    from ..models import WorkloadFigure

    latest = WorkloadFigure.objects.visible_to(user).order_by("-period").values_list("period", flat=True).first()
    return latest or str(timezone.localdate().year)


def _rows(user, departments):
    mandates = Mandate.objects.visible_to(user).filter(is_current=True).select_related("staffing").prefetch_related("units")
    depts = list(departments.prefetch_related(Prefetch("mandates", queryset=mandates)).order_by("position", "code"))
    ids = [d.pk for d in depts]
    latest = StaffingActual.objects.filter(department=OuterRef("department")).order_by("-as_of", "-pk").values("pk")[:1]
    actuals = {a.department_id: a for a in StaffingActual.objects.visible_to(user).filter(
        department__in=ids, pk=Subquery(latest))}
    from ..models import ActualUnit

    units = {}
    for unit in ActualUnit.objects.visible_to(user).filter(department__in=ids):
        units.setdefault(unit.department_id, []).append(unit)
    rows = []
    for d in depts:
        mandate = d.current_mandate
        quota = getattr(mandate, "staffing", None) if mandate else None
        rows.append(DepartmentRow(d, mandate, quota, actuals.get(d.pk), units.get(d.pk, [])))
    return rows


def _workload(user, rows, period, ruleset):
    from ..models import WorkloadFigure

    ids = [r.department.pk for r in rows]
    indicators, values = [], {}
    for source in providers.workload_sources():
        counted = source.fn(user, ids, period)
        indicators.append(Indicator(source.key, source.label, source.unit, "module", counted is not None))
        values[source.key] = counted or {}
    figures = WorkloadFigure.objects.visible_to(user).filter(department__in=ids, period=period)
    entered = {}
    for row in figures.values("department", "indicator").annotate(total=Sum("value")).order_by():
        entered.setdefault(row["indicator"], {})[row["department"]] = row["total"]
    for ind in ruleset.indicators:
        indicators.append(Indicator(ind.key, ind.label, ind.unit, "figure", ind.key in entered))
        values[ind.key] = entered.get(ind.key, {})
    # A department with no record for an indicator has no figure (not zero), so it stays out of the
    # comparison instead of dragging the category's median down.
    for row in rows:
        for ind in indicators:
            value = values[ind.key].get(row.department.pk)
            row.workload[ind.key] = value
            posts = row.posts
            row.ratios[ind.key] = float(Decimal(value) / posts) if posts and value is not None else None
    return indicators


def _outliers(rows, metrics, ruleset):
    threshold, min_group = ruleset.outliers["threshold"], ruleset.outliers["min_group"]
    groups = {}
    for row in rows:
        groups.setdefault(row.department.category, []).append(row)
    found = []
    for members in groups.values():
        for key, label in metrics:
            values = {r.department.pk: r.metric(key) for r in members}
            scores = robust_outliers(values, threshold, min_group)
            if not scores:
                continue
            centre = median(v for v in values.values() if v is not None)
            for r in members:
                if r.department.pk in scores:
                    outlier = Outlier(r.department, key, label, values[r.department.pk], centre, scores[r.department.pk])
                    r.outliers[key] = outlier
                    found.append(outlier)
    return found


def report(user, period=None, department=None):
    """The efficiency and compliance report of the departments ``user`` may see (or one of them)."""
    from ..models import StaffingFinding

    period = period if periods.valid(period) else default_period(user)
    departments = Department.objects.visible_to(user)
    if department is not None:
        departments = departments.filter(pk=department.pk)
    rows = _rows(user, departments)
    ruleset = rules.current_ruleset()
    indicators = _workload(user, rows, period, ruleset)
    metrics = [("vacancy_rate", "空编率")] + [
        (ind.key, f"每编制{ind.label}") for ind in indicators if ind.available
    ]
    # Comparing within a category needs the other departments' figures: only for those who see them.
    compared = get_scope(user).sees_everything and department is None
    outliers = _outliers(rows, metrics, ruleset) if compared else []
    findings = {
        (f.department_id, f.rule, f.subject): f
        for f in StaffingFinding.objects.visible_to(user).filter(department__in=[r.department.pk for r in rows])
    }
    found = rules.violations(rows, ruleset, findings)
    by_department = {r.department.pk: r for r in rows}
    for v in found:
        by_department[v.department.pk].violations.append(v)
    for r in rows:
        r.cells = [(i, r.workload.get(i.key), r.ratios.get(i.key), r.outliers.get(i.key)) for i in indicators]
    return Report(period, rows, indicators, metrics, ruleset, found, outliers, compared)
