import django_filters
from django.db.models import Q

from lvzhi.core.forms import style_fields

from .models import Department


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    category = django_filters.ChoiceFilter(choices=Department.Category.choices, label="部门类别")
    kind = django_filters.ChoiceFilter(choices=Department.Kind.choices, label="部门类型")
    assessed = django_filters.ChoiceFilter(
        choices=[("true", "是"), ("false", "否")], method="filter_assessed", label="纳入评估"
    )
    parent = django_filters.ModelChoiceFilter(queryset=Department.objects.none(), label="上级部门", empty_label="全部")

    class Meta:
        model = Department
        fields = ["q", "category", "kind", "assessed", "parent"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        parents = Department.objects.visible_to(user).filter(children__isnull=False).distinct()
        self.filters["parent"].queryset = parents
        self.form.fields["parent"].queryset = parents
        style_fields(self.form)

    def filter_assessed(self, queryset, name, value):
        return queryset.filter(assessed=value == "true")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value))
