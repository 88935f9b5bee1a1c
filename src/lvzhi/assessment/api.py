"""REST API: ``/api/campaigns/`` and ``/api/assessments/`` (filter ``?campaign=<id>``,
``?department=<code>``, ``?category=``), scoped like the pages: a department gets its own
assessments with their breakdown, and after publication the other departments' totals, stars and
ranks — never their breakdown."""

from django.db.models import Prefetch
from rest_framework import permissions, serializers

from lvzhi.api import router
from lvzhi.core.api import ScopedReadOnlyViewSet
from lvzhi.core.scoping import get_scope

from .filters import AssessmentFilter
from .indicators import display_value
from .models import Assessment, Campaign, Score
from .services import scoring
from .services.common import READER_ROLES
from .services.results import breakdown_visible, results_visible


class AssessmentRoles(permissions.BasePermission):
    message = "您的角色无权访问核心职能评估数据。"

    def has_permission(self, request, view):
        return bool(get_scope(request.user).roles & READER_ROLES)


class CampaignSerializer(serializers.ModelSerializer):
    period_label = serializers.CharField(read_only=True)
    framework = serializers.CharField(source="framework.version", read_only=True)
    star_rule = serializers.CharField(source="star_rule.version", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "kind", "period", "period_label", "status", "framework", "star_rule", "self_deadline",
                  "reveal_raters", "performance_weight", "opened_at", "scored_at", "published_at", "appeal_deadline"]


class CampaignViewSet(ScopedReadOnlyViewSet):
    """考核批次 the user takes part in (all of them for the office and leaders)."""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    permission_classes = [permissions.IsAuthenticated, AssessmentRoles]
    filterset_fields = ["status", "kind", "period"]
    ordering = ["-period", "-pk"]

    def base_queryset(self):
        return Campaign.objects.select_related("framework", "star_rule").order_by("-period", "-pk")


def text(value):
    """Decimals as strings, like the model serializer's fields (never floats)."""
    return None if value is None else str(value)


def score_data(score, framework, visible):
    return {
        "criterion": score.criterion.code, "name": score.criterion.name, "aspect": score.criterion.aspect.name,
        "max_points": text(score.criterion.max_points), "weight": text(score.weight), "status": score.status,
        "self_score": text(score.self_score), "narrative": score.narrative, "review_score": text(score.review_score),
        "review_comment": score.review_comment, "computed_ratio": text(score.computed_ratio),
        "indicators": [{k: r.get(k) for k in ("code", "name", "unit", "rule", "value", "ratio", "lines", "note")}
                       | {"display": display_value(r)} for r in score.indicators],
        "base_points": text(score.base_points) if visible else None,
        "points": text(score.points) if visible else None,
        "arithmetic": scoring.explain(score, framework) if visible else [],
    }


class AssessmentSerializer(serializers.ModelSerializer):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    period = serializers.CharField(source="campaign.period", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    breakdown = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "campaign", "campaign_name", "period", "department", "department_name", "category", "total",
                  "stars", "rank_overall", "rank_category", "breakdown"]

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if not results_visible(self.context["request"].user, obj.campaign):
            data.update(total=None, stars=None, rank_overall=None, rank_category=None)
        return data

    def get_breakdown(self, obj):
        user = self.context["request"].user
        if not breakdown_visible(user, obj):
            return None
        visible = results_visible(user, obj.campaign)
        return [score_data(s, obj.campaign.framework, visible) for s in obj.scores.all()]


class AssessmentViewSet(ScopedReadOnlyViewSet):
    """评估: total, stars, ranks and (where allowed) the breakdown per criterion."""

    queryset = Assessment.objects.all()
    serializer_class = AssessmentSerializer
    permission_classes = [permissions.IsAuthenticated, AssessmentRoles]
    filterset_class = AssessmentFilter
    ordering_fields = ["total", "rank_overall"]
    ordering = ["campaign", "department__position", "department__code"]

    def base_queryset(self):
        scores = Score.objects.visible_to(self.request.user).select_related("criterion__aspect").order_by(
            "criterion__position")
        return (Assessment.objects.select_related("campaign__framework", "department")
                .prefetch_related(Prefetch("scores", queryset=scores)))


router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("assessments", AssessmentViewSet, basename="assessment")
