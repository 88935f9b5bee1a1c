"""职责边界清单 pages: matters with their matrix, and (office) editing of matters, links and points."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin
from lvzhi.org.models import Department

from ..filters import MatterFilter
from ..forms import LinkForm, MatterForm, PointForm
from ..models import DutyPoint, Matter, MatterLink
from ..services import matters as services
from ..tables import MatterTable
from .common import OFFICE, PostActionView

CONFLICT = "保存失败：该记录在您编辑期间已被他人修改。您的输入保留在下方，请核对后重新保存。"


def matter_queryset():
    points = DutyPoint.objects.select_related(
        "lead", "basis_duty__mandate__department", "basis_clause__mandate__department", "basis_item__department"
    ).prefetch_related("support")
    return Matter.objects.prefetch_related(
        Prefetch("links", queryset=MatterLink.objects.prefetch_related(Prefetch("points", queryset=points)))
    )


class MatterListView(ObjectListView):
    model = Matter
    table_class = MatterTable
    filterset_class = MatterFilter
    title = "职责边界清单"
    create_url = "duties:matter-create"


class MatterDetailView(ObjectDetailView):
    model = Matter
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "duties/matter_detail.html"

    def base_queryset(self):
        return matter_queryset()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["matrix"] = services.matrix(self.object)
        ctx["can_edit"] = self.scope.is_office
        ctx["visible_ids"] = set(Department.objects.visible_to(self.request.user).values_list("pk", flat=True))
        return ctx


class OfficeFormView(RoleRequiredMixin, View):
    """An office-only edit page rendering ``duties/form.html`` around one form."""

    roles = OFFICE
    template_name = "duties/form.html"
    title = ""

    def render_form(self, form, status=200, **extra):
        return render(self.request, self.template_name, {"form": form, "title": self.title, **extra}, status=status)

    def run(self, form, save, success):
        """Call ``save()``; on conflict or rule errors show the form again with the input kept."""
        try:
            obj = save()
        except ConcurrencyError as exc:
            form.add_error(None, CONFLICT)
            form.data = form.data.copy()
            form.data["expected_version"] = exc.current.version
            return self.render_form(form, 409)
        except ValidationError as exc:
            for field, errors in (exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.render_form(form, 400)
        messages.success(self.request, "已保存。")
        return redirect(success(obj))


class MatterCreateView(OfficeFormView):
    model = Matter
    title = "新建职责边界事项"

    def get(self, request):
        return self.render_form(MatterForm(initial={"published": False}))

    def post(self, request):
        form = MatterForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, 400)
        values = {k: form.cleaned_data[k] for k in ("code", "name", "description", "position", "published")}
        return self.run(form, lambda: services.save_matter(request.user, values), lambda m: m.get_absolute_url())


class MatterUpdateView(OfficeFormView):
    model = Matter
    title = "编辑职责边界事项"

    def get_matter(self, code):
        return get_object_or_404(Matter.objects.visible_to(self.request.user, "change"), code=code)

    def get(self, request, code):
        matter = self.get_matter(code)
        return self.render_form(MatterForm(instance=matter, initial={"expected_version": matter.version}))

    def post(self, request, code):
        matter = self.get_matter(code)
        form = MatterForm(request.POST, instance=Matter.objects.get(pk=matter.pk))
        if not form.is_valid():
            return self.render_form(form, 400)
        values = {k: form.cleaned_data[k] for k in ("code", "name", "description", "position", "published")}
        return self.run(form, lambda: services.save_matter(request.user, values, matter,
                                                           form.cleaned_data.get("expected_version")),
                        lambda m: m.get_absolute_url())


class MatterPublishView(PostActionView):
    model = Matter
    slug_field = "code"
    slug_url_kwarg = "code"

    def perform(self, request, matter):
        published = request.POST.get("published") == "1"
        services.set_published(request.user, matter, published)
        messages.success(request, "已公开到公众网站。" if published else "已从公众网站撤下。")


class MatterDeleteView(PostActionView):
    model = Matter
    slug_field = "code"
    slug_url_kwarg = "code"

    def perform(self, request, matter):
        services.delete_matter(request.user, matter)
        messages.success(request, f"已删除“{matter.name}”。")
        return redirect("duties:matters")


class LinkCreateView(OfficeFormView):
    model = MatterLink
    url_model = Matter
    title = "新增环节"

    def get_matter(self, code):
        return get_object_or_404(Matter.objects.visible_to(self.request.user, "change"), code=code)

    def get(self, request, code):
        return self.render_form(LinkForm(), matter=self.get_matter(code))

    def post(self, request, code):
        matter = self.get_matter(code)
        form = LinkForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, 400, matter=matter)
        return self.run(form, lambda: services.save_link(request.user, matter, form.cleaned_data["name"]),
                        lambda link: link.get_absolute_url())


class LinkUpdateView(OfficeFormView):
    model = MatterLink
    title = "编辑环节"

    def get_link(self, pk):
        return get_object_or_404(MatterLink.objects.visible_to(self.request.user, "change").select_related("matter"), pk=pk)

    def get(self, request, pk):
        link = self.get_link(pk)
        return self.render_form(LinkForm(initial={"name": link.name, "expected_version": link.version}),
                                matter=link.matter)

    def post(self, request, pk):
        link = self.get_link(pk)
        form = LinkForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, 400, matter=link.matter)
        return self.run(form, lambda: services.save_link(request.user, link.matter, form.cleaned_data["name"], link,
                                                         expected_version=form.cleaned_data.get("expected_version")),
                        lambda link: link.get_absolute_url())


class LinkActionView(PostActionView):
    """POST ``op`` = up / down / delete."""

    model = MatterLink

    def perform(self, request, link):
        op = request.POST.get("op")
        if op == "delete":
            services.delete_link(request.user, link)
            messages.success(request, f"已删除环节“{link.name}”及其职责颗粒点。")
            return redirect(link.matter.get_absolute_url())
        if op in ("up", "down"):
            services.move(request.user, link, -1 if op == "up" else 1)
        return None


class PointEditMixin(OfficeFormView):
    title = "职责颗粒点"

    def post_point(self, request, link, point=None):
        form = PointForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(form, 400, matter=link.matter, link=link)
        return self.run(
            form,
            lambda: services.save_point(request.user, link, form.point_values(), list(form.cleaned_data["support"]),
                                        point, form.cleaned_data.get("expected_version")),
            lambda p: link.get_absolute_url(),
        )


class PointCreateView(PointEditMixin):
    model = DutyPoint
    url_model = MatterLink
    title = "新增职责颗粒点"

    def get_link(self, pk):
        return get_object_or_404(MatterLink.objects.visible_to(self.request.user, "change").select_related("matter"), pk=pk)

    def get(self, request, pk):
        link = self.get_link(pk)
        return self.render_form(PointForm(user=request.user), matter=link.matter, link=link)

    def post(self, request, pk):
        return self.post_point(request, self.get_link(pk))


class PointUpdateView(PointEditMixin):
    model = DutyPoint
    title = "编辑职责颗粒点"

    def get_point(self, pk):
        qs = DutyPoint.objects.visible_to(self.request.user, "change").select_related(
            "link__matter", "basis_duty__mandate__department", "basis_clause__mandate__department",
            "basis_item__department")
        return get_object_or_404(qs, pk=pk)

    def get(self, request, pk):
        point = self.get_point(pk)
        form = PointForm(initial=PointForm.initial_for(point), user=request.user)
        return self.render_form(form, matter=point.link.matter, link=point.link)

    def post(self, request, pk):
        point = self.get_point(pk)
        return self.post_point(request, point.link, point)


class PointActionView(PostActionView):
    """POST ``op`` = up / down / delete."""

    model = DutyPoint

    def perform(self, request, point):
        op = request.POST.get("op")
        if op == "delete":
            services.delete_point(request.user, point)
            messages.success(request, "已删除职责颗粒点。")
            return redirect(point.link.matter.get_absolute_url())
        if op in ("up", "down"):
            services.move(request.user, point, -1 if op == "up" else 1)
        return None

