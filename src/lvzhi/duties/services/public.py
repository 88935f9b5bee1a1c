"""What the public site may show: published data only, never drafts, never staffing.

The public site (``lvzhi.public``) reads through these functions and nothing else, so the rule
"only published data is public" lives in one place. A department's current 三定 (duties, boundary
clauses, internal units — never staffing) is public, so every department with a current 三定 has
a public page; so does a department that has published something without one: a current
power-list edition, or a duty point in a published matter.
"""

from django.db.models import Prefetch, Q

from lvzhi.org.models import BoundaryClause, Department, Mandate

from ..models import DutyPoint, Matter, MatterLink, PowerAdjustment, PowerItem, PowerListEdition
from . import search

PUBLISHED = PowerListEdition.Status.PUBLISHED


def published_items():
    """Items of each department's current published edition."""
    return PowerItem.objects.filter(edition__is_current=True, edition__status=PUBLISHED)


def published_item(pk):
    """An item of any published edition (older editions stay readable as history)."""
    return (
        PowerItem.objects.filter(edition__status=PUBLISHED)
        .select_related("department", "edition")
        .filter(pk=pk).first()
    )


def published_editions(department=None):
    qs = PowerListEdition.objects.filter(status=PUBLISHED).select_related("power_list__department")
    if department is not None:
        qs = qs.filter(power_list__department=department)
    return qs.order_by("-published_on", "-pk")


def applied_adjustments(edition):
    return PowerAdjustment.objects.filter(applied_in=edition, status=PowerAdjustment.Status.APPLIED).order_by("kind", "item_code")


def item_adjustments(item):
    """Published adjustments that added, changed or cancelled this power."""
    return (
        PowerAdjustment.objects.filter(
            status=PowerAdjustment.Status.APPLIED, applied_in__power_list__department_id=item.department_id,
            item_code=item.code,
        ).select_related("applied_in").order_by("-applied_in__published_on", "-pk")
    )


def item_history(item):
    """The same power (department + code) across published editions, newest first."""
    return (
        PowerItem.objects.filter(department_id=item.department_id, code=item.code, edition__status=PUBLISHED)
        .select_related("edition").order_by("-edition__published_on", "-edition__pk")
    )


def published_matters():
    return Matter.objects.filter(published=True)


def published_matter(code):
    points = DutyPoint.objects.select_related(
        "lead", "basis_duty__mandate__department", "basis_clause__mandate__department", "basis_item__department",
        "basis_item__edition",
    )
    points = points.prefetch_related("support")
    return (
        published_matters()
        .prefetch_related(Prefetch("links", queryset=MatterLink.objects.prefetch_related(Prefetch("points", queryset=points))))
        .filter(code=code).first()
    )


def department_matters(department):
    """Published matters in which ``department`` leads or supports a duty point."""
    points = DutyPoint.objects.filter(Q(lead=department) | Q(support=department))
    return published_matters().filter(pk__in=points.values("link__matter")).order_by("position", "code")


def public_departments():
    """Departments with a public page (see the module docstring)."""
    in_matters = DutyPoint.objects.filter(link__matter__published=True)
    current_editions = PowerListEdition.objects.filter(is_current=True, status=PUBLISHED)
    return Department.objects.filter(
        Q(pk__in=Mandate.objects.filter(is_current=True).values("department"))
        | Q(pk__in=current_editions.values("power_list__department"))
        | Q(pk__in=in_matters.values("lead"))
        | Q(pk__in=in_matters.values("support"))
    )


def public_department(code):
    return public_departments().filter(code=code).first()


def public_mandate(department):
    """The current 三定 without staffing: duties, boundary clauses and internal units."""
    return (
        Mandate.objects.filter(department=department, is_current=True)
        .prefetch_related("duties", "units", Prefetch("boundaries", queryset=BoundaryClause.objects.prefetch_related("others")))
        .first()
    )


def search_items(q="", department=None, power_type=None):
    """Chinese full-text search over names, sub-items, basis and responsibilities, most relevant
    first (see ``search``); without a query, by department and list order."""
    qs = published_items().select_related("department", "edition")
    if department is not None:
        qs = qs.filter(department=department)
    if power_type:
        qs = qs.filter(type=power_type)
    return search.ranked(qs, q, "department__position", "department__code", "position", "code")
