from django.db.models import Prefetch
from rest_framework import serializers

from lvzhi.api import router
from lvzhi.core.api import ScopedReadOnlyViewSet

from .models import DutyPoint, Matter, MatterLink


class PointSerializer(serializers.ModelSerializer):
    lead = serializers.SlugRelatedField(read_only=True, slug_field="code")
    support = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = DutyPoint
        fields = ["text", "lead", "support", "basis"]


class LinkSerializer(serializers.ModelSerializer):
    points = PointSerializer(many=True, read_only=True)

    class Meta:
        model = MatterLink
        fields = ["name", "points"]


class MatterSerializer(serializers.ModelSerializer):
    links = LinkSerializer(many=True, read_only=True)

    class Meta:
        model = Matter
        fields = ["code", "name", "description", "links"]


class MatterViewSet(ScopedReadOnlyViewSet):
    """职责边界清单: matters with their links and duty points."""

    queryset = Matter.objects.all()
    serializer_class = MatterSerializer
    lookup_field = "code"
    search_fields = ["name", "code"]

    def base_queryset(self):
        points = DutyPoint.objects.select_related("lead").prefetch_related("support")
        return Matter.objects.prefetch_related(
            Prefetch("links", queryset=MatterLink.objects.prefetch_related(Prefetch("points", queryset=points)))
        ).order_by("position", "code")


router.register("matters", MatterViewSet, basename="matter")
