"""List filters of the hotline pages (department choices through ``visible_to``)."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from lvzhi.core.forms import style_fields
from lvzhi.org.models import Department

from .models import Dispute, Kind, Satisfaction, Ticket, TicketReturn

_MONTH = re.compile(r"(\d{4})\D?(\d{1,2})")


def month_number(text):
    """``2025-03`` (or 202503, 2025年3月) → 202503; None when it is not a month."""
    match = _MONTH.fullmatch((text or "").strip().replace("年", "-").rstrip("月"))
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)) * 100 + int(match.group(2))


class DepartmentChoiceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=Department.objects.none(), empty_label="全部", **kwargs)


def _visible_departments(filterset, names):
    user = filterset.request.user if filterset.request else None
    departments = Department.objects.visible_to(user).order_by("position", "code")
    for name in names:
        filterset.filters[name].queryset = departments
        filterset.form.fields[name].queryset = departments
    style_fields(filterset.form)


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="工单编号或内容")
    month = django_filters.CharFilter(method="filter_month", label="受理月份",
                                      widget=forms.TextInput(attrs={"placeholder": "2025-03"}))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label="诉求类型")
    handler = DepartmentChoiceFilter(label="承办单位")
    satisfaction = django_filters.ChoiceFilter(choices=Satisfaction.choices, label="满意度")
    returned = django_filters.ChoiceFilter(choices=[("yes", "有退单"), ("no", "无退单")], method="filter_returned",
                                           label="退单")

    class Meta:
        model = Ticket
        fields = ["q", "month", "kind", "handler", "satisfaction", "returned"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _visible_departments(self, ["handler"])

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # An exact ticket number uses the unique index; otherwise search the request text.
        return queryset.filter(Q(ticket_no=value) | Q(content__contains=value))

    def filter_month(self, queryset, name, value):
        month = month_number(value)
        return queryset.filter(month=month) if month else queryset

    def filter_returned(self, queryset, name, value):
        returned = Exists(TicketReturn._base_manager.filter(ticket=OuterRef("pk")))
        return queryset.filter(returned if value == "yes" else ~returned)


class DisputeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="事项或关键词")
    state = django_filters.ChoiceFilter(choices=Dispute.State.choices, label="状态")
    department = DepartmentChoiceFilter(field_name="departments", label="涉及部门")

    class Meta:
        model = Dispute
        fields = ["q", "state", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _visible_departments(self, ["department"])

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(keywords__icontains=value) | Q(number=value.strip()))
