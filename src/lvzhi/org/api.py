import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.api import router
from lvzhi.core.api import ScopedReadOnlyViewSet
from lvzhi.core.roles import Role
from lvzhi.core.scoping import get_scope

from . import services
from .models import BoundaryClause, Department, InternalUnit, Mandate, MandateDuty


class DutySerializer(serializers.ModelSerializer):
    class Meta:
        model = MandateDuty
        fields = ["number", "text"]


class ClauseSerializer(serializers.ModelSerializer):
    others = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = BoundaryClause
        fields = ["topic", "text", "others"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = InternalUnit
        fields = ["name", "duties"]


class MandateSerializer(serializers.ModelSerializer):
    duties = DutySerializer(many=True, read_only=True)
    boundaries = ClauseSerializer(many=True, read_only=True)
    units = UnitSerializer(many=True, read_only=True)

    class Meta:
        model = Mandate
        fields = ["id", "title", "doc_no", "issued", "duties", "boundaries", "units"]


class StaffingRowSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    quota = serializers.IntegerField(allow_null=True)
    actual = serializers.IntegerField(allow_null=True)
    vacancy = serializers.IntegerField()
    over = serializers.IntegerField()


class StaffingSerializer(serializers.Serializer):
    as_of = serializers.DateField(allow_null=True)
    rows = StaffingRowSerializer(many=True)


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "kind", "category", "parent", "assessed"]


class DepartmentDetailSerializer(DepartmentSerializer):
    mandate = serializers.SerializerMethodField()
    staffing = serializers.SerializerMethodField()

    class Meta(DepartmentSerializer.Meta):
        fields = DepartmentSerializer.Meta.fields + ["mandate", "staffing"]

    def current(self, obj):
        return next((m for m in obj.mandates.all() if m.is_current), None)

    @extend_schema_field(MandateSerializer(allow_null=True))
    def get_mandate(self, obj):
        mandate = self.current(obj)
        return MandateSerializer(mandate).data if mandate else None

    @extend_schema_field(StaffingSerializer(allow_null=True))
    def get_staffing(self, obj):
        scope = get_scope(self.context["request"].user)
        if not scope.has(Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.DEPARTMENT):
            return None
        mandate = self.current(obj)
        quota = getattr(mandate, "staffing", None) if mandate else None
        actual = next(iter(obj.staffing_actuals.all()), None)
        return {
            "as_of": actual.as_of if actual else None,
            "rows": [
                {"type": r.key, "label": r.label, "quota": r.quota, "actual": r.actual, "vacancy": r.vacancy,
                 "over": r.over}
                for r in services.staffing_rows(quota, actual)
            ],
        }


class DepartmentApiFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code")

    class Meta:
        model = Department
        fields = ["category", "kind", "assessed", "parent"]


class DepartmentViewSet(ScopedReadOnlyViewSet):
    """Departments with their current 三定 and staffing, scoped by role like the pages."""

    queryset = Department.objects.all()
    lookup_field = "code"
    filterset_class = DepartmentApiFilter
    search_fields = ["name", "short_name", "code"]
    ordering_fields = ["position", "code", "name"]
    ordering = ["position", "code"]

    def base_queryset(self):
        qs = Department.objects.select_related("parent")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "mandates",
                    queryset=Mandate.objects.filter(is_current=True)
                    .select_related("staffing")
                    .prefetch_related("duties", "units", Prefetch("boundaries", queryset=BoundaryClause.objects.prefetch_related("others"))),
                ),
                "staffing_actuals",
            )
        return qs

    def get_serializer_class(self):
        return DepartmentDetailSerializer if self.action == "retrieve" else DepartmentSerializer


router.register("departments", DepartmentViewSet, basename="department")
