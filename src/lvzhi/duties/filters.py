import django_filters
from django.db.models import Q

from lvzhi.core.forms import style_fields

from .models import Matter


class MatterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")

    class Meta:
        model = Matter
        fields = ["q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.form)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
