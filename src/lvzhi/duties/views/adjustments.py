"""动态调整 pages: list, draft and edit, submit, review (approve / return), delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lvzhi.core.models import ConcurrencyError
from lvzhi.core.scoping import CHANGE
from lvzhi.core.views import ObjectDetailView, ObjectListView, RoleRequiredMixin

from ..filters import AdjustmentFilter
from ..forms import AdjustmentForm, ReasonForm
from ..models import PowerAdjustment, PowerList
from ..services import adjustments as services
from ..services.powers import can_manage_list, count_by_kind
from ..tables import AdjustmentTable
from .common import OFFICE_AND_DEPARTMENTS, PostActionView


class AdjustmentListView(ObjectListView):
    """Every adjustment the user may see, filtered, with the count per type of the filtered set."""

    model = PowerAdjustment
    table_class = AdjustmentTable
    filterset_class = AdjustmentFilter
    title = "权责清单动态调整"
    template_name = "duties/adjustment_list.html"

    def base_queryset(self):
        return PowerAdjustment.objects.select_related("power_list__department", "applied_in")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = self.filterset
        if not filterset.is_bound or filterset.is_valid():
            doc_no = (filterset.form.cleaned_data.get("approval_doc_no") or "").strip() if filterset.is_bound else ""
            lead = f"批准文号含“{doc_no}”的动态调整" if doc_no else "符合条件的动态调整共"
            ctx["counts_text"] = count_by_kind(filterset.qs).describe(lead)
        return ctx

    def can_create(self):
        return False


class AdjustmentDetailView(ObjectDetailView):
    model = PowerAdjustment
    template_name = "duties/adjustment_detail.html"

    def base_queryset(self):
        return PowerAdjustment.objects.select_related("power_list__department", "applied_in", "reviewed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        adj = self.object
        ctx["can_change"] = adj.editable and can_manage_list(self.request.user, adj.power_list)
        ctx["is_office"] = self.scope.is_office
        ctx["reason_form"] = ReasonForm()
        ctx["current"] = services.elements_of(adj.power_list, adj.item_code) if adj.kind != adj.Kind.ADD else None
        fields = [(PowerAdjustment._meta.get_field(f).verbose_name, f) for f in
                  ("type", "name", "sub_item", "basis", "unit", "responsibilities", "accountability", "note")]
        ctx["elements"] = [
            (label, getattr(adj, f"get_{f}_display")() if f == "type" else getattr(adj, f),
             (ctx["current"] or {}).get(f)) for label, f in fields
        ]
        return ctx


def prefill(power_list, kind, code):
    """Initial values of a new adjustment: a change starts from the item's current elements."""
    initial = {"kind": kind or PowerAdjustment.Kind.ADD, "item_code": code or ""}
    if code and kind in (PowerAdjustment.Kind.CHANGE, PowerAdjustment.Kind.CANCEL):
        initial.update(services.elements_of(power_list, code) or {})
    return initial


class AdjustmentEditMixin(RoleRequiredMixin, View):
    roles = OFFICE_AND_DEPARTMENTS
    template_name = "duties/adjustment_form.html"

    def render_form(self, form, status=200):
        return render(self.request, self.template_name,
                      {"form": form, "power_list": self.power_list, "adjustment": self.adjustment}, status=status)

    def save(self, form):
        data = form.cleaned_data
        try:
            adj = services.save_adjustment(self.request.user, self.power_list, data, self.adjustment,
                                           data.get("expected_version"))
        except ConcurrencyError as exc:
            form.add_error(None, "保存失败：该调整在您编辑期间已被他人修改。您的输入保留在下方，请核对后重新保存。")
            form.data = form.data.copy()
            form.data["expected_version"] = exc.current.version
            return self.render_form(form, 409)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
            return self.render_form(form, 400)
        messages.success(self.request, "动态调整已保存为草稿，请核对后提交审核。")
        return redirect(adj.get_absolute_url())

    def post(self, request, pk):
        self.setup_objects(pk)
        form = AdjustmentForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, 400)
        return self.save(form)


class AdjustmentCreateView(AdjustmentEditMixin):
    """``?kind=change&code=XK-001`` starts from that item's elements."""

    model = PowerAdjustment
    url_model = PowerList

    def setup_objects(self, pk):
        self.power_list = get_object_or_404(
            PowerList.objects.visible_to(self.request.user, CHANGE).select_related("department"), pk=pk)
        self.adjustment = None

    def get(self, request, pk):
        self.setup_objects(pk)
        initial = prefill(self.power_list, request.GET.get("kind"), request.GET.get("code"))
        return self.render_form(AdjustmentForm(initial=initial))


class AdjustmentUpdateView(AdjustmentEditMixin):
    model = PowerAdjustment

    def setup_objects(self, pk):
        self.adjustment = get_object_or_404(
            PowerAdjustment.objects.visible_to(self.request.user, CHANGE).select_related("power_list__department"),
            pk=pk)
        self.power_list = self.adjustment.power_list
        if not self.adjustment.editable:
            messages.error(self.request, "只有草稿或已退回的动态调整可以修改。")

    def get(self, request, pk):
        self.setup_objects(pk)
        if not self.adjustment.editable:
            return redirect(self.adjustment.get_absolute_url())
        form = AdjustmentForm(instance=self.adjustment, initial={"expected_version": self.adjustment.version})
        return self.render_form(form)


class AdjustmentActionView(PostActionView):
    """POST ``action`` = submit / approve / return (with ``reason``)."""

    model = PowerAdjustment

    def perform(self, request, adj):
        action = request.POST.get("action", "")
        adj = services.transition(request.user, adj, action, request.POST.get("reason", ""))
        messages.success(request, f"已{services.ACTION_LABELS[action]}：{adj}（{adj.get_status_display()}）。")


class AdjustmentDeleteView(PostActionView):
    model = PowerAdjustment

    def perform(self, request, adj):
        services.delete_adjustment(request.user, adj)
        messages.success(request, "动态调整已删除。")
        return redirect(adj.power_list.get_absolute_url())
