"""职责边界清单 editing (office only): matters, their links and duty points, and publication."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from lvzhi.core.models import ConcurrencyError

from ..models import DutyPoint, Matter, MatterLink
from .common import actor, require_office

MESSAGE = "只有编办人员可以维护职责边界清单。"


def _locked(model, obj, expected_version):
    current = model.objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise ConcurrencyError(current)
    return current


def save_matter(user, values, matter=None, expected_version=None):
    """Create a matter or update its name, description, order and publication."""
    require_office(user, MESSAGE)
    with transaction.atomic():
        if matter is None:
            matter = Matter(created_by=actor(user))
            if Matter.objects.filter(code=values["code"]).exists():
                raise ValidationError({"code": "事项编码已存在。"})
        else:
            current = _locked(Matter, matter, expected_version)
            matter.version = current.version + 1
        for k, v in values.items():
            setattr(matter, k, v)
        matter.save()
    return matter


def set_published(user, matter, published):
    require_office(user, MESSAGE)
    with transaction.atomic():
        current = _locked(Matter, matter, None)
        if current.published != published:
            current.published = published
            current.version += 1
            current.save()
    return current


def delete_matter(user, matter):
    require_office(user, MESSAGE)
    matter.delete()


def save_link(user, matter, name, link=None, position=None, expected_version=None):
    require_office(user, MESSAGE)
    with transaction.atomic():
        if link is None:
            last = MatterLink.objects.filter(matter=matter).aggregate(m=Max("position"))["m"] or 0
            link = MatterLink(matter=matter, position=last + 1, created_by=actor(user))
        else:
            current = _locked(MatterLink, link, expected_version)
            link.version = current.version + 1
        link.name = name
        if position is not None:
            link.position = position
        link.save()
    return link


def delete_link(user, link):
    require_office(user, MESSAGE)
    link.delete()


def move(user, obj, step):
    """Swap a link (within its matter) or a point (within its link) with its neighbour."""
    require_office(user, MESSAGE)
    model = type(obj)
    parent = {"matter": obj.matter_id} if model is MatterLink else {"link": obj.link_id}
    with transaction.atomic():
        siblings = list(model.objects.select_for_update().filter(**parent).order_by("position", "pk"))
        index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
        other = index + step
        if not 0 <= other < len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, 1):
            if sibling.position != position:
                sibling.position = position
                sibling.version += 1
                sibling.save()


def save_point(user, link, values, support, point=None, expected_version=None):
    """Create or edit a duty point: ``values`` holds text, lead, basis and the basis references."""
    require_office(user, MESSAGE)
    lead = values["lead"]
    if lead in support:
        raise ValidationError({"support": "牵头部门不能同时是配合部门。"})
    with transaction.atomic():
        if point is None:
            last = DutyPoint.objects.filter(link=link).aggregate(m=Max("position"))["m"] or 0
            point = DutyPoint(link=link, position=last + 1, created_by=actor(user))
        else:
            current = _locked(DutyPoint, point, expected_version)
            point.version = current.version + 1
        for k, v in values.items():
            setattr(point, k, v)
        point.save()
        point.support.set(support)
    return point


def delete_point(user, point):
    require_office(user, MESSAGE)
    point.delete()


# ---------------------------------------------------------------- the matrix (read)


def matrix(matter):
    """Links × departments. Columns are departments in the order they first appear, leads first
    within a link; each cell counts the points a department leads and supports in that link.
    Expects ``links__points__lead`` and ``links__points__support`` prefetched."""
    departments, rows, lead_totals = {}, [], {}
    for link in matter.links.all():
        cells = {}
        for point in link.points.all():
            departments.setdefault(point.lead.pk, point.lead)
            cells.setdefault(point.lead.pk, [0, 0])[0] += 1
            lead_totals[point.lead.pk] = lead_totals.get(point.lead.pk, 0) + 1
            for dep in point.support.all():
                departments.setdefault(dep.pk, dep)
                cells.setdefault(dep.pk, [0, 0])[1] += 1
        rows.append((link, cells))
    columns = list(departments.values())
    table = []
    for link, cells in rows:
        table.append((link, [MatrixCell(*cells.get(d.pk, (0, 0))) for d in columns]))
    return MatrixView(columns, table, [lead_totals.get(d.pk, 0) for d in columns])


class MatrixCell:
    __slots__ = ("leads", "supports")

    def __init__(self, leads, supports):
        self.leads, self.supports = leads, supports

    @property
    def mark(self):
        if self.leads and self.supports:
            return "牵头/配合"
        return "牵头" if self.leads else "配合" if self.supports else ""


class MatrixView:
    def __init__(self, columns, rows, lead_totals):
        self.columns, self.rows, self.lead_totals = columns, rows, lead_totals

    @property
    def points(self):
        return sum(c.leads for _, cells in self.rows for c in cells)
