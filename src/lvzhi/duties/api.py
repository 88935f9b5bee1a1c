"""REST API of the three lists, read-only and scoped like the pages (a liaison sees its own)."""

import django_filters
from django.db.models import Count, Prefetch
from rest_framework import serializers

from lvzhi.api import router
from lvzhi.core.api import ScopedReadOnlyViewSet

from .models import (
    DutyPoint,
    DutyTask,
    MandateCheck,
    Matter,
    MatterLink,
    PowerAdjustment,
    PowerItem,
    PowerListEdition,
    PowerType,
)

CODE = {"read_only": True, "slug_field": "code"}


class PointSerializer(serializers.ModelSerializer):
    lead = serializers.SlugRelatedField(**CODE)
    support = serializers.SlugRelatedField(many=True, **CODE)
    basis_ref = serializers.SerializerMethodField()

    class Meta:
        model = DutyPoint
        fields = ["text", "lead", "support", "basis", "basis_ref"]

    def get_basis_ref(self, point):
        if point.basis_duty_id:
            duty = point.basis_duty
            return {"kind": "mandate_duty", "department": duty.mandate.department.code, "number": duty.number}
        if point.basis_clause_id:
            clause = point.basis_clause
            return {"kind": "boundary_clause", "department": clause.mandate.department.code, "number": clause.position}
        if point.basis_item_id:
            return {"kind": "power_item", "department": point.basis_item.department.code, "code": point.basis_item.code}
        return None


class LinkSerializer(serializers.ModelSerializer):
    points = PointSerializer(many=True, read_only=True)

    class Meta:
        model = MatterLink
        fields = ["name", "points"]


class MatterSerializer(serializers.ModelSerializer):
    links = LinkSerializer(many=True, read_only=True)

    class Meta:
        model = Matter
        fields = ["code", "name", "description", "published", "links"]


class MatterViewSet(ScopedReadOnlyViewSet):
    """职责边界清单: matters with their links and duty points."""

    queryset = Matter.objects.all()
    serializer_class = MatterSerializer
    lookup_field = "code"
    search_fields = ["name", "code"]
    filterset_fields = ["published"]

    def base_queryset(self):
        points = DutyPoint.objects.select_related(
            "lead", "basis_duty__mandate__department", "basis_clause__mandate__department", "basis_item__department"
        ).prefetch_related("support")
        return Matter.objects.prefetch_related(
            Prefetch("links", queryset=MatterLink.objects.prefetch_related(Prefetch("points", queryset=points)))
        ).order_by("position", "code")


class PowerItemSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(**CODE)
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    edition = serializers.PrimaryKeyRelatedField(read_only=True)
    edition_label = serializers.CharField(source="edition.label", read_only=True)

    class Meta:
        model = PowerItem
        fields = ["id", "code", "department", "type", "type_label", "name", "sub_item", "basis", "unit",
                  "responsibilities", "accountability", "note", "edition", "edition_label"]


class PowerItemApiFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__code")
    type = django_filters.ChoiceFilter(choices=PowerType.choices)
    edition = django_filters.NumberFilter(field_name="edition_id")
    current = django_filters.BooleanFilter(field_name="edition__is_current")

    class Meta:
        model = PowerItem
        fields = ["department", "type", "edition", "current", "code"]


class PowerItemViewSet(ScopedReadOnlyViewSet):
    """权责事项 of every edition; ``?current=true`` for the lists in force."""

    queryset = PowerItem.objects.all()
    serializer_class = PowerItemSerializer
    filterset_class = PowerItemApiFilter
    search_fields = ["name", "sub_item", "basis", "responsibilities", "code"]
    ordering_fields = ["code", "name", "type"]

    def base_queryset(self):
        return PowerItem.objects.select_related("department", "edition").order_by("department__code", "edition", "position", "code")


class EditionSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="power_list.department.code", read_only=True)
    items = serializers.IntegerField(source="n_items", read_only=True)
    adjustments = serializers.IntegerField(source="n_adjustments", read_only=True)
    previous = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = PowerListEdition
        fields = ["id", "department", "label", "status", "is_current", "published_on", "previous", "items",
                  "adjustments", "note"]


class EditionViewSet(ScopedReadOnlyViewSet):
    """权责清单 editions (each a complete snapshot of a department's list)."""

    queryset = PowerListEdition.objects.all()
    serializer_class = EditionSerializer
    filterset_fields = {"status": ["exact"], "is_current": ["exact"], "power_list__department__code": ["exact"]}

    def base_queryset(self):
        return PowerListEdition.objects.select_related("power_list__department").annotate(
            n_items=Count("items", distinct=True), n_adjustments=Count("adjustments", distinct=True)
        ).order_by("power_list__department__code", "-published_on", "-pk")


class AdjustmentSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="power_list.department.code", read_only=True)
    applied_in = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = PowerAdjustment
        fields = ["id", "department", "kind", "item_code", "type", "name", "sub_item", "basis", "unit",
                  "responsibilities", "accountability", "note", "delegated_to", "reason", "legal_basis",
                  "approval_doc_no", "approval_date", "status", "return_reason", "submitted_at", "reviewed_at",
                  "applied_in"]


class AdjustmentViewSet(ScopedReadOnlyViewSet):
    """动态调整 with their review state and the edition that applied them."""

    queryset = PowerAdjustment.objects.all()
    serializer_class = AdjustmentSerializer
    filterset_fields = {"status": ["exact"], "kind": ["exact"], "applied_in": ["exact"],
                        "power_list__department__code": ["exact"]}

    def base_queryset(self):
        return PowerAdjustment.objects.select_related("power_list__department").order_by("-pk")


class DutyTaskSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="duty.mandate.department.code", read_only=True)
    duty_number = serializers.IntegerField(source="duty.number", read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True, default=None)

    class Meta:
        model = DutyTask
        fields = ["id", "department", "duty", "duty_number", "position", "text", "standard", "unit", "active"]


class DutyTaskViewSet(ScopedReadOnlyViewSet):
    """职责任务清单: tasks of mandate duties."""

    queryset = DutyTask.objects.all()
    serializer_class = DutyTaskSerializer
    filterset_fields = {"duty__mandate__department__code": ["exact"], "active": ["exact"]}

    def base_queryset(self):
        return DutyTask.objects.select_related("duty__mandate__department", "unit").order_by("duty", "position", "pk")


class MandateCheckSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(**CODE)
    duty_number = serializers.IntegerField(source="duty.number", read_only=True)

    class Meta:
        model = MandateCheck
        fields = ["id", "department", "period", "duty", "duty_number", "task", "result", "narrative", "status",
                  "submitted_at", "reviewed_at", "review_note"]


class MandateCheckViewSet(ScopedReadOnlyViewSet):
    """三定执行检查 per period."""

    queryset = MandateCheck.objects.all()
    serializer_class = MandateCheckSerializer
    filterset_fields = {"period": ["exact"], "status": ["exact"], "result": ["exact"], "department__code": ["exact"]}

    def base_queryset(self):
        return MandateCheck.objects.select_related("department", "duty").order_by("department__code", "period", "duty", "pk")


router.register("matters", MatterViewSet, basename="matter")
router.register("power-items", PowerItemViewSet, basename="power-item")
router.register("power-lists", EditionViewSet, basename="power-list")
router.register("adjustments", AdjustmentViewSet, basename="adjustment")
router.register("duty-tasks", DutyTaskViewSet, basename="duty-task")
router.register("mandate-checks", MandateCheckViewSet, basename="mandate-check")
