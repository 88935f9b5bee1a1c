"""权责清单 pages: lists, editions, items, differences, import/export, publication, statistics."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tables2 import RequestConfig

from lvzhi.core.audit import origin
from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin
from lvzhi.org.models import Department
from lvzhi.problems.links import about_context

from ..filters import PowerItemFilter, PowerListFilter, search_items
from ..forms import PowerImportForm, PublishForm
from ..models import PowerAdjustment, PowerItem, PowerList, PowerListEdition, PowerType
from ..services import powerio, powers
from ..tables import EditionItemTable, PowerItemTable, PowerListTable
from .common import OFFICE, OFFICE_AND_DEPARTMENTS, PostActionView

E = PowerListEdition.Status


def _count(qs, group):
    return Subquery(qs.values(group).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())


class PowerListListView(ObjectListView):
    model = PowerList
    table_class = PowerListTable
    filterset_class = PowerListFilter
    template_name = "duties/powerlist_list.html"
    title = "权责清单"

    def base_queryset(self):
        current = PowerListEdition.objects.filter(power_list=OuterRef("pk"), is_current=True)
        draft = PowerListEdition.objects.filter(power_list=OuterRef("pk"), status=E.DRAFT)
        items = PowerItem.objects.filter(edition__power_list=OuterRef("pk"), edition__is_current=True)
        approved = PowerAdjustment.objects.filter(power_list=OuterRef("pk"), status=PowerAdjustment.Status.APPROVED)
        return PowerList.objects.select_related("department").annotate(
            current_label=Subquery(current.values("label")[:1]),
            current_date=Subquery(current.values("published_on")[:1]),
            draft_label=Subquery(draft.values("label")[:1]),
            current_items=_count(items, "edition__power_list"),
            approved=_count(approved, "power_list"),
        )

    def can_create(self):
        return False


class PowerListDetailView(ObjectDetailView):
    model = PowerList
    template_name = "duties/powerlist_detail.html"

    def base_queryset(self):
        return PowerList.objects.select_related("department")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pl = self.object
        editions = list(
            PowerListEdition.objects.filter(power_list=pl).annotate(n=Count("items")).order_by("-published_on", "-pk")
        )
        ctx["editions"] = editions
        ctx["current"] = next((e for e in editions if e.is_current), None)
        ctx["draft"] = next((e for e in editions if e.is_draft), None)
        ctx["pending"] = PowerAdjustment.objects.filter(power_list=pl, applied_in__isnull=True).order_by("status", "-pk")
        ctx["can_manage"] = powers.can_manage_list(self.request.user, pl)
        ctx["is_office"] = self.scope.is_office
        if ctx["draft"] is not None:
            ctx["draft_diff"] = powers.diff_editions(ctx["current"], ctx["draft"])
        return ctx


class EditionDetailView(ObjectDetailView):
    model = PowerListEdition
    template_name = "duties/edition_detail.html"

    def base_queryset(self):
        return PowerListEdition.objects.select_related("power_list__department", "previous", "published_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        edition = self.object
        items = PowerItem.objects.filter(edition=edition).select_related("department", "edition")
        power_type = self.request.GET.get("type")
        if power_type:
            items = items.filter(type=power_type)
        q = self.request.GET.get("q", "").strip()
        if q:
            items = search_items(items, q)
        table = EditionItemTable(items, request=self.request)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        ctx["table"] = table
        ctx["counts"] = powers.adjustment_counts(edition)
        ctx["adjustments"] = edition.adjustments.order_by("kind", "item_code")
        by_type = dict(PowerItem.objects.filter(edition=edition).values_list("type").annotate(n=Count("pk")).order_by())
        ctx["type_counts"] = [(code, label, by_type[code]) for code, label in PowerType.choices if code in by_type]
        if edition.previous_id or edition.is_draft:
            base = edition.previous if edition.previous_id else powers.current_edition(edition.power_list)
            ctx["diff"] = powers.diff_editions(base, edition) if base else None
        return ctx


class EditionDiffView(ObjectDetailView):
    """The difference between this edition and another of the same list (default: the previous)."""

    model = PowerListEdition
    template_name = "duties/edition_diff.html"

    def base_queryset(self):
        return PowerListEdition.objects.select_related("power_list__department")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        edition = self.object
        others = PowerListEdition.objects.visible_to(self.request.user).filter(power_list=edition.power_list).exclude(
            pk=edition.pk).order_by("-published_on", "-pk")
        against = self.request.GET.get("against")
        if against:
            other = others.filter(pk=against).first()
            if other is None:
                raise Http404
        else:
            other = edition.previous or (powers.current_edition(edition.power_list) if edition.is_draft else None)
        ctx["others"] = others
        ctx["other"] = other
        ctx["diff"] = powers.diff_editions(other, edition)
        ctx["counts"] = powers.adjustment_counts(edition)
        return ctx


class PowerItemListView(ObjectListView):
    model = PowerItem
    table_class = PowerItemTable
    filterset_class = PowerItemFilter
    template_name = "duties/poweritem_list.html"
    title = "权责事项"

    def base_queryset(self):
        return PowerItem.objects.select_related("department", "edition")

    def can_create(self):
        return False


class PowerItemDetailView(ObjectDetailView):
    model = PowerItem
    template_name = "duties/poweritem_detail.html"

    def base_queryset(self):
        return PowerItem.objects.select_related("department", "edition__power_list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item = self.object
        ctx["history"] = (
            PowerItem.objects.visible_to(self.request.user)
            .filter(department=item.department, code=item.code).select_related("edition")
            .order_by("-edition__published_on", "-edition__pk")
        )
        ctx["adjustments"] = PowerAdjustment.objects.visible_to(self.request.user).filter(
            power_list=item.edition.power_list, item_code=item.code).select_related("applied_in")
        ctx["points"] = item.cited_by_points.select_related("link__matter")
        ctx["can_adjust"] = item.edition.is_current and powers.can_manage_list(self.request.user, item.edition.power_list)
        ctx.update(about_context(item, self.request.user, ref=item.code, department=item.department_id,
                                 title=f"权责事项“{item.name}”履行中的问题"))
        return ctx


class PowerImportView(RoleRequiredMixin, FormView):
    """Upload a §2 file into drafts (the office for any department; a liaison for its own)."""

    roles = OFFICE_AND_DEPARTMENTS
    form_class = PowerImportForm
    template_name = "duties/power_import.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        with origin(f"上传导入权责清单 {upload.name}"):
            report = powerio.import_powers(upload, upload.name, self.request.user, label=form.cleaned_data["label"])
        status = 200 if report.committed else 400
        return self.render_to_response(self.get_context_data(form=PowerImportForm() if report.committed else form,
                                                             report=report), status=status)


class PowerExportView(RoleRequiredMixin, View):
    """XLSX in the §2 format of the lists the user may see. Without parameters it shows the choices;
    ``?department=CODE`` (or ``all``) and ``?edition=current|draft|<pk>`` download."""

    template_name = "duties/power_export.html"

    def get(self, request):
        department, edition = request.GET.get("department", ""), request.GET.get("edition", "current")
        if not department and not edition.isdigit():
            departments = Department.objects.visible_to(request.user).filter(power_list__isnull=False)
            return render(request, self.template_name, {"departments": departments.order_by("position", "code")})
        items = PowerItem.objects.visible_to(request.user)
        name = "权责清单"
        if edition.isdigit():
            found = get_object_or_404(PowerListEdition.objects.visible_to(request.user), pk=edition)
            items = items.filter(edition=found)
            name = f"{found.power_list.department.label}权责清单（{found.label}）"
        elif edition == "draft":
            items = items.filter(edition__status=E.DRAFT)
            name += "（草稿）"
        else:
            items = items.filter(edition__is_current=True)
        if department and department != "all":
            found_department = get_object_or_404(Department.objects.visible_to(request.user), code=department)
            items = items.filter(department=found_department)
            if not edition.isdigit():
                name = f"{found_department.label}{name}"
        return powerio.response(name, items)


class PublishView(RoleRequiredMixin, View):
    roles = OFFICE
    model = PowerList
    template_name = "duties/power_publish.html"

    def setup_list(self, pk):
        self.power_list = get_object_or_404(PowerList.objects.visible_to(self.request.user, CHANGE), pk=pk)

    def context(self, form):
        pl = self.power_list
        draft = powers.draft_edition(pl)
        current = powers.current_edition(pl)
        approved = PowerAdjustment.objects.filter(power_list=pl, status=PowerAdjustment.Status.APPROVED)
        return {"power_list": pl, "form": form, "draft": draft, "current": current, "approved": approved,
                "draft_diff": powers.diff_editions(current, draft) if draft else None}

    def get(self, request, pk):
        self.setup_list(pk)
        draft = powers.draft_edition(self.power_list)
        label = draft.label if draft else powers.default_label(self.power_list)
        return render(request, self.template_name, self.context(PublishForm(initial={"label": label})))

    def post(self, request, pk):
        self.setup_list(pk)
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                edition = powers.publish(self.power_list, request.user, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                n = powers.adjustment_counts(edition).total
                messages.success(request, f"已发布“{edition.label}”" + (f"，本次动态调整 {n} 项。" if n else "。"))
                return redirect(edition.get_absolute_url())
        return render(request, self.template_name, self.context(form), status=400)


class DiscardDraftView(PostActionView):
    model = PowerList

    def perform(self, request, power_list):
        powers.discard_draft(power_list, request.user)
        messages.success(request, "草稿版本已删除。")


class PowerStatsView(RoleRequiredMixin, TemplateView):
    roles = OFFICE
    template_name = "duties/power_stats.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(powers.statistics(self.request.user))
        ctx["title"] = "权责清单统计"
        return ctx

