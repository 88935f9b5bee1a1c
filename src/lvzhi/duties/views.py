from django.db.models import Prefetch

from lvzhi.core.views import ObjectDetailView, ObjectListView

from .filters import MatterFilter
from .models import DutyPoint, Matter, MatterLink
from .tables import MatterTable


class MatterListView(ObjectListView):
    model = Matter
    table_class = MatterTable
    filterset_class = MatterFilter
    title = "职责边界清单"

    def can_create(self):
        return False


def matrix(matter):
    """Links × departments with 牵头/配合 marks, in the order departments first appear."""
    departments, rows = {}, []
    for link in matter.links.all():
        marks = {}
        for point in link.points.all():
            departments.setdefault(point.lead.pk, point.lead)
            marks[point.lead.pk] = "牵头"
            for dep in point.support.all():
                departments.setdefault(dep.pk, dep)
                marks.setdefault(dep.pk, "配合")
        rows.append((link, marks))
    columns = list(departments.values())
    return columns, [(link, [marks.get(d.pk, "") for d in columns]) for link, marks in rows]


class MatterDetailView(ObjectDetailView):
    model = Matter
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "duties/matter_detail.html"

    def base_queryset(self):
        points = DutyPoint.objects.select_related("lead").prefetch_related("support")
        return Matter.objects.prefetch_related(
            Prefetch("links", queryset=MatterLink.objects.prefetch_related(Prefetch("points", queryset=points)))
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"], ctx["matrix"] = matrix(self.object)
        return ctx
