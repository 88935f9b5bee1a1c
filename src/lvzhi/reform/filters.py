import django_filters
from django.db.models import Q

from lvzhi.core.forms import style_fields
from lvzhi.org.models import Department

from .models import ActualUnit, Process, Proposal, WorkloadFigure


class ScopedFilterSet(django_filters.FilterSet):
    """Department choices come through ``visible_to`` like every list."""

    department = django_filters.ModelChoiceFilter(queryset=Department.objects.none(), label="部门")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        departments = Department.objects.visible_to(request.user if request else None).order_by("position", "code")
        self.filters["department"].queryset = departments
        self.form.fields["department"].queryset = departments
        style_fields(self.form)


class ProcessFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    status = django_filters.ChoiceFilter(choices=Process.Status.choices, label="状态")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.none(), method="involving",
                                                  label="涉及部门")

    class Meta:
        model = Process
        fields = ["q", "status", "department"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def involving(self, queryset, name, value):
        return queryset.filter(Q(department=value) | Q(pk__in=Process.objects.filter(steps__department=value).values("pk")))


class ProposalFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="搜索")
    state = django_filters.ChoiceFilter(choices=Proposal.State.choices, label="状态")
    origin = django_filters.ChoiceFilter(choices=Proposal.Origin.choices, label="提出方")

    class Meta:
        model = Proposal
        fields = ["q", "state", "origin", "department"]


class FigureFilter(ScopedFilterSet):
    period = django_filters.CharFilter(label="期间")

    class Meta:
        model = WorkloadFigure
        fields = ["department", "period", "indicator"]


class ActualUnitFilter(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="机构名称")

    class Meta:
        model = ActualUnit
        fields = ["department", "q"]
