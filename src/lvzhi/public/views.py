"""The public site: published 权责清单, 职责边界清单 and each department's 三定 (never staffing).

No sign-in. Every page reads through ``lvzhi.duties.services.public``, which only returns
published data; a draft, an unpublished matter or a department with neither a current 三定 nor
anything published is a 404.
"""

from django.db.models import Count
from django.http import Http404
from django.views import View
from django.views.generic import ListView, TemplateView

from lvzhi.duties.models import Matter, PowerItem, PowerListEdition, PowerType
from lvzhi.duties.services import matters as matter_services
from lvzhi.duties.services import powerio, powers
from lvzhi.duties.services import public as published
from lvzhi.org.models import Department


class PublicMixin:
    """Shared context: the departments on the public site (for menus and links)."""

    def public_context(self):
        departments = list(published.public_departments().order_by("position", "code"))
        return {"public_departments": departments, "public_ids": {d.pk for d in departments},
                "power_types": PowerType.choices}


class HomeView(PublicMixin, TemplateView):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.public_context())
        counts = dict(published.published_items().values_list("department").annotate(n=Count("pk")).order_by())
        ctx["rows"] = [(d, counts.get(d.pk, 0)) for d in ctx["public_departments"]]
        ctx["total"] = sum(counts.values())
        ctx["with_lists"] = len(counts)
        ctx["matters"] = published.published_matters().order_by("position", "code")
        return ctx


class ItemListView(PublicMixin, ListView):
    """Browse and search published power items by department and type."""

    model = PowerItem
    template_name = "public/item_list.html"
    paginate_by = 30

    def get_queryset(self):
        q = self.request.GET
        self.department = published.public_department(q["department"]) if q.get("department") else None
        power_type = q.get("type") if q.get("type") in dict(PowerType.choices) else None
        return published.search_items(q.get("q", ""), self.department, power_type)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.public_context())
        ctx["department"] = self.department
        return ctx


class ItemDetailView(PublicMixin, TemplateView):
    model = PowerItem
    template_name = "public/item_detail.html"

    def get_context_data(self, pk, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item = published.published_item(pk)
        if item is None:
            raise Http404
        ctx["item"] = item
        ctx["history"] = published.item_history(item)
        ctx["adjustments"] = published.item_adjustments(item)
        return ctx


class EditionView(PublicMixin, TemplateView):
    """A published edition: what changed, and the adjustments (with approval) that changed it."""

    model = PowerListEdition
    template_name = "public/edition.html"

    def get_context_data(self, pk, **kwargs):
        ctx = super().get_context_data(**kwargs)
        edition = published.published_editions().filter(pk=pk).first()
        if edition is None:
            raise Http404
        ctx["edition"] = edition
        ctx["counts"] = powers.adjustment_counts(edition)
        ctx["adjustments"] = published.applied_adjustments(edition)
        ctx["diff"] = powers.diff_editions(edition.previous, edition) if edition.previous_id else None
        return ctx


class DepartmentView(PublicMixin, TemplateView):
    """A department's published list (by type, with its editions) and its 三定 without staffing."""

    model = Department
    template_name = "public/department.html"

    def get_context_data(self, code, **kwargs):
        ctx = super().get_context_data(**kwargs)
        department = published.public_department(code)
        if department is None:
            raise Http404
        ctx.update(self.public_context())
        ctx["department"] = department
        editions = list(published.published_editions(department).annotate(
            n_items=Count("items", distinct=True), n_adjustments=Count("adjustments", distinct=True)))
        ctx["editions"] = editions
        ctx["current"] = next((e for e in editions if e.is_current), None)
        by_type = dict(published.published_items().filter(department=department).values_list("type")
                       .annotate(n=Count("pk")).order_by())
        ctx["type_counts"] = [(code, label, by_type[code]) for code, label in PowerType.choices if code in by_type]
        ctx["mandate"] = published.public_mandate(department)
        ctx["matters"] = published.department_matters(department)
        return ctx


class DepartmentPowersDownload(View):
    """XLSX of a department's current published list (the §2 columns)."""

    url_model = Department

    def get(self, request, code):
        department = published.public_department(code)
        if department is None:
            raise Http404
        items = published.published_items().filter(department=department)
        if not items.exists():
            raise Http404
        return powerio.response(f"{department.name}权责清单", items)


class MatterListView(PublicMixin, TemplateView):
    template_name = "public/matter_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["matters"] = published.published_matters().annotate(n_links=Count("links", distinct=True)).order_by(
            "position", "code")
        return ctx


class MatterView(PublicMixin, TemplateView):
    model = Matter
    template_name = "public/matter.html"

    def get_context_data(self, code, **kwargs):
        ctx = super().get_context_data(**kwargs)
        matter = published.published_matter(code)
        if matter is None:
            raise Http404
        ctx.update(self.public_context())
        ctx["object"] = matter
        ctx["matrix"] = matter_services.matrix(matter)
        return ctx
