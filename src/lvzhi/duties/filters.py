import django_filters
from django.db.models import Q

from lvzhi.core.forms import DateInput, style_fields
from lvzhi.org.models import Department

from .models import DutyTask, MandateCheck, Matter, PowerAdjustment, PowerItem, PowerList, PowerType
from .services.powers import no_basis_q, search_items


class ScopedFilterSet(django_filters.FilterSet):
    """Department choices come through ``visible_to`` like every list."""

    department_fields = ()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        departments = Department.objects.visible_to(request.user if request else None).order_by("position", "code")
        for name in self.department_fields:
            self.filters[name].queryset = departments
            self.form.fields[name].queryset = departments
        style_fields(self.form)


class MatterFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    published = django_filters.BooleanFilter(label="已公开")

    class Meta:
        model = Matter
        fields = ["q", "published"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class PowerListFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="部门")
    pending = django_filters.BooleanFilter(method="filter_pending", label="有待发布的调整")

    class Meta:
        model = PowerList
        fields = ["q", "pending"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(department__name__icontains=value) | Q(department__short_name__icontains=value)
            | Q(department__code__iexact=value)
        )

    def filter_pending(self, queryset, name, value):
        has = Q(adjustments__status=PowerAdjustment.Status.APPROVED)
        return (queryset.filter(has) if value else queryset.exclude(has)).distinct()


class PowerItemFilter(ScopedFilterSet):
    EDITIONS = [("current", "现行版本"), ("draft", "草稿版本")]

    q = django_filters.CharFilter(method="search", label="搜索")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.none(), label="部门")
    type = django_filters.ChoiceFilter(choices=PowerType.choices, label="职权类型")
    edition = django_filters.ChoiceFilter(choices=EDITIONS, method="filter_edition", label="版本",
                                          empty_label="现行版本")
    no_basis = django_filters.BooleanFilter(method="filter_no_basis", label="无设定依据")
    department_fields = ("department",)

    class Meta:
        model = PowerItem
        fields = ["q", "department", "type", "edition", "no_basis"]

    @property
    def qs(self):
        qs = super().qs
        if self.data.get("edition") not in dict(self.EDITIONS):
            qs = qs.filter(edition__is_current=True)
        return qs

    def search(self, queryset, name, value):
        return search_items(queryset, value)

    def filter_edition(self, queryset, name, value):
        if value == "draft":
            return queryset.filter(edition__status="draft")
        return queryset.filter(edition__is_current=True)

    def filter_no_basis(self, queryset, name, value):
        return queryset.filter(no_basis_q()) if value else queryset.exclude(no_basis_q())


class AdjustmentFilter(ScopedFilterSet):
    """Also city-wide by approval: one 批准文号 across departments gives "本次动态调整 N 项"."""

    status = django_filters.ChoiceFilter(choices=PowerAdjustment.Status.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=PowerAdjustment.Kind.choices, label="调整类型")
    department = django_filters.ModelChoiceFilter(field_name="power_list__department", queryset=Department.objects.none(),
                                                  label="部门")
    approval_doc_no = django_filters.CharFilter(method="filter_doc_no", label="批准文号")
    approved_from = django_filters.DateFilter(field_name="approval_date", lookup_expr="gte", label="批准日期自",
                                              widget=DateInput())
    approved_to = django_filters.DateFilter(field_name="approval_date", lookup_expr="lte", label="批准日期至",
                                            widget=DateInput())
    department_fields = ("department",)

    class Meta:
        model = PowerAdjustment
        fields = ["status", "kind", "department", "approval_doc_no", "approved_from", "approved_to"]

    def filter_doc_no(self, queryset, name, value):
        return queryset.filter(approval_doc_no__icontains=value.strip())


class TaskFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label="搜索")
    department = django_filters.ModelChoiceFilter(field_name="duty__mandate__department",
                                                  queryset=Department.objects.none(), label="部门")
    active = django_filters.BooleanFilter(label="启用")
    department_fields = ("department",)

    class Meta:
        model = DutyTask
        fields = ["q", "department", "active"]


class CheckFilter(ScopedFilterSet):
    period = django_filters.CharFilter(label="期间")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.none(), label="部门")
    status = django_filters.ChoiceFilter(choices=MandateCheck.Status.choices, label="状态")
    result = django_filters.ChoiceFilter(choices=MandateCheck.Result.choices, label="履职情况")
    department_fields = ("department",)

    class Meta:
        model = MandateCheck
        fields = ["period", "department", "status", "result"]
