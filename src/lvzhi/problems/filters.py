"""The ledger's filters: one FilterSet used by the page, the XLSX export and the API, so an export
holds exactly the rows the page shows."""

import django_filters
from django.db.models import BigIntegerField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from lvzhi.core.forms import style_fields
from lvzhi.core.roles import OversightBody
from lvzhi.core.scoping import get_scope
from lvzhi.duties.models import Matter
from lvzhi.org.models import Department

from .models import (
    OPEN_STATES,
    Inspection,
    Problem,
    ProblemCategory,
    ProblemType,
    Severity,
    Source,
    State,
    Survey,
    Taxonomy,
)

LINK_KINDS = (
    ("mandate_duty", "三定职责"),
    ("boundary_clause", "职责分工条款"),
    ("matter", "职责边界事项"),
    ("duty_point", "职责颗粒点"),
    ("inspection", "现场调研"),
    ("survey", "服务对象意见调查"),
    ("other", "其他关联（权责事项、工单等）"),
)


def link_kinds():
    from .links import targets

    return [*LINK_KINDS, *((t.key, t.label) for t in targets())]


class ProblemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索（编号、标题、描述）")
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label="状态")
    taxonomy = django_filters.ModelChoiceFilter(
        field_name="category__taxonomy", queryset=Taxonomy.objects.all(), label="分类库版本")
    category = django_filters.ModelChoiceFilter(queryset=ProblemCategory.objects.none(), label="问题类别")
    type = django_filters.ModelChoiceFilter(queryset=ProblemType.objects.none(), label="问题类型")
    source = django_filters.MultipleChoiceFilter(choices=Source.choices, label="问题来源")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.none(), label="责任部门")
    related = django_filters.ModelChoiceFilter(
        field_name="related_departments", queryset=Department.objects.none(), label="相关部门", distinct=True)
    involves = django_filters.ModelChoiceFilter(
        method="filter_involves", queryset=Department.objects.none(), label="涉及部门（责任或相关）")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label="严重程度")
    found_after = django_filters.DateFilter(field_name="found_on", lookup_expr="gte", label="发现日期自")
    found_before = django_filters.DateFilter(field_name="found_on", lookup_expr="lte", label="发现日期至")
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label="整改期限不晚于")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="已逾期")
    rounds = django_filters.NumberFilter(field_name="rounds", lookup_expr="gte", label="退回次数不少于")
    policy_basis = django_filters.CharFilter(lookup_expr="icontains", label="政策依据包含")
    linked = django_filters.ChoiceFilter(choices=link_kinds, method="filter_linked", label="关联对象类别")
    concerns = django_filters.CharFilter(method="filter_concerns", label="关联对象包含（职责、条款、颗粒点、权责事项、工单号）")
    matter = django_filters.ModelChoiceFilter(queryset=Matter.objects.none(), label="职责边界事项")
    inspection = django_filters.ModelChoiceFilter(queryset=Inspection.objects.none(), label="现场调研")
    survey = django_filters.ModelChoiceFilter(queryset=Survey.objects.none(), label="服务对象意见调查")
    has_evidence = django_filters.BooleanFilter(method="filter_evidence", label="有附件")
    shared_with = django_filters.ChoiceFilter(
        choices=OversightBody.choices, field_name="shares__body", label="已共享给", distinct=True)

    class Meta:
        model = Problem
        fields = []

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        user = request.user if request else None
        departments = Department.objects.visible_to(user)
        for name in ("department", "related", "involves"):
            self.filters[name].queryset = departments
        self.filters["category"].queryset = ProblemCategory.objects.select_related("taxonomy")
        self.filters["type"].queryset = ProblemType.objects.select_related("category")
        self.filters["matter"].queryset = Matter.objects.visible_to(user)
        self.filters["inspection"].queryset = Inspection.objects.visible_to(user)
        self.filters["survey"].queryset = Survey.objects.visible_to(user)
        if not get_scope(user).sees_everything:
            # Sharing with oversight bodies is not shown to departments or oversight users.
            self.filters.pop("shared_with")
        for name, f in self.filters.items():
            if name in self.form.fields and hasattr(f, "queryset"):
                self.form.fields[name].queryset = f.queryset
        style_fields(self.form)

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value))

    def filter_involves(self, queryset, name, value):
        return queryset.filter(pk__in=Problem._base_manager.filter(
            Q(department=value) | Q(related_departments=value)).values("pk"))

    def filter_concerns(self, queryset, name, value):
        """Problems whose linked mandate duty, boundary clause, matter, duty point or linked record
        (power item, ticket: matched on the label kept with the link) contains ``value``."""
        value = value.strip()
        matches = Problem._base_manager.filter(
            Q(mandate_duty__text__icontains=value) | Q(boundary_clause__text__icontains=value)
            | Q(matter__name__icontains=value) | Q(duty_point__text__icontains=value)
            | Q(links__label__icontains=value) | Q(links__target_id=value))
        return queryset.filter(pk__in=matches.values("pk"))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(state__in=OPEN_STATES, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_linked(self, queryset, name, value):
        from django.contrib.contenttypes.models import ContentType

        from .links import target_for_key

        if value == "other":
            return queryset.filter(pk__in=Problem._base_manager.filter(links__isnull=False).values("pk"))
        target = target_for_key(value)
        if target is not None:
            kind = ContentType.objects.get_for_model(target.model)
            return queryset.filter(pk__in=Problem._base_manager.filter(links__target_type=kind).values("pk"))
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_evidence(self, queryset, name, value):
        from django.contrib.contenttypes.models import ContentType

        from lvzhi.core.models import StoredFile

        from .models import ProblemEvent

        event_type = ContentType.objects.get_for_model(ProblemEvent)
        # owner_id is text (any model's key): cast it to compare with the event's integer key.
        owners = StoredFile.objects.filter(owner_type=event_type).annotate(
            event_id=Cast("owner_id", BigIntegerField())).values("event_id")
        with_files = Problem._base_manager.filter(
            pk__in=ProblemEvent._base_manager.filter(pk__in=owners).values("problem_id")).values("pk")
        return queryset.filter(pk__in=with_files) if value else queryset.exclude(pk__in=with_files)


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="搜索")
    status = django_filters.ChoiceFilter(choices=Inspection.Status.choices, label="状态")
    department = django_filters.ModelChoiceFilter(field_name="departments", queryset=Department.objects.none(),
                                                  label="调研部门", distinct=True)

    class Meta:
        model = Inspection
        fields = ["q", "status", "department"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        departments = Department.objects.visible_to(request.user if request else None)
        self.filters["department"].queryset = self.form.fields["department"].queryset = departments
        style_fields(self.form)


class SurveyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="搜索")
    department = django_filters.ModelChoiceFilter(field_name="departments", queryset=Department.objects.none(),
                                                  label="调查部门", distinct=True)

    class Meta:
        model = Survey
        fields = ["q", "department"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        departments = Department.objects.visible_to(request.user if request else None)
        self.filters["department"].queryset = self.form.fields["department"].queryset = departments
        style_fields(self.form)
