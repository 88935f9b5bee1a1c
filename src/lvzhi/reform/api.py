"""REST API, scoped like the pages: /api/processes/ (with the analysis), /api/proposals/ (with
changes and evidence; POST /api/proposals/{id}/act/ runs the flow), /api/staffing-analysis/."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from lvzhi.api import router
from lvzhi.core.api import ScopedReadOnlyViewSet
from lvzhi.core.scoping import get_scope

from .analysis import process as analysis
from .analysis import staffing
from .models import Process, ProcessStep, Proposal, ProposalChange, ProposalEvidence
from .services import processes as process_services
from .services import proposals as proposal_services
from .views.common import READERS


class StepSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    predecessors = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()

    class Meta:
        model = ProcessStep
        fields = ["id", "position", "name", "department", "unit", "days", "predecessors", "materials", "description"]

    def get_predecessors(self, obj) -> list[int]:
        return [p.pk for p in obj.predecessors.all()]

    def get_materials(self, obj) -> list[dict]:
        return [{"name": m.name, "source": m.source} for m in obj.materials.all()]


class ProcessSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    analysis = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = ["id", "name", "description", "department", "status", "based_on", "adopted_on", "steps", "analysis"]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_analysis(self, obj):
        try:
            result = process_services.analyse(obj)
        except analysis.CycleError as exc:
            return {"error": str(exc)}
        return {
            **{k: (float(v) if k == "duration" else v) for k, v in analysis.figures(result).items()},
            "critical_path": result.critical_path,
            "handoff_pairs": [list(pair) for pair in result.handoffs],
            "duplicate_materials": [{"step": d.step, "material": d.material, "already_with": d.holder}
                                    for d in result.duplicates],
            "parallelisable_steps": [{"step": p.step, "waits_without_need_for": list(p.waits_for),
                                      "start_now": float(p.start_now), "start_possible": float(p.start_possible)}
                                     for p in result.parallelisable],
            "potential_duration": float(result.potential_duration),
        }


class ProcessViewSet(ScopedReadOnlyViewSet):
    """Process models with their computed analysis (durations in working days)."""

    queryset = Process.objects.all()
    serializer_class = ProcessSerializer
    filterset_fields = ["status"]
    search_fields = ["name"]
    ordering = ["name", "-pk"]

    def base_queryset(self):
        return process_services.with_steps(Process.objects.all())


class ChangeSerializer(serializers.ModelSerializer):
    to_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    text_summary = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = ProposalChange
        fields = ["target", "action", "duty_number", "unit_name", "text", "new_name", "staff_type", "to_type", "amount",
                  "to_department", "text_summary"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalEvidence
        fields = ["kind", "label", "url", "note", "data"]


class ProposalSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    changes = ChangeSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "title", "department", "origin", "state", "background", "reason", "doc_no", "submitted_at",
                  "reviewed_at", "review_note", "decided_at", "decision_note", "decision_doc_no", "carried_out_at",
                  "mandates", "changes", "evidence", "version"]


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(proposal_services.TRANSITIONS))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    doc_no = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ProposalViewSet(ScopedReadOnlyViewSet):
    """机构编制事项动议 with changes and evidence."""

    queryset = Proposal.objects.all()
    serializer_class = ProposalSerializer
    filterset_fields = ["state", "origin"]
    search_fields = ["title"]
    ordering = ["-pk"]

    def base_queryset(self):
        return Proposal.objects.select_related("department").prefetch_related(
            "changes__to_department", "evidence", "mandates")

    def get_queryset(self):
        # Deciding is open to leaders, who only view: the service checks who may take which step.
        return self.base_queryset().visible_to(self.request.user)

    @extend_schema(request=ActionSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="act")
    def act(self, request, pk=None):
        """Take a step of the flow: submit, return, forward, approve, reject, carry_out."""
        proposal = self.get_object()
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            proposal_services.perform(request.user, proposal, **data.validated_data)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc))
        except ValidationError as exc:
            return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ProposalSerializer(self.base_queryset().get(pk=proposal.pk)).data)


class StaffingRowSerializer(serializers.Serializer):
    department = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    posts = serializers.IntegerField(allow_null=True)
    people = serializers.IntegerField(allow_null=True)
    vacancy_rate = serializers.FloatField(allow_null=True)
    leader_posts = serializers.IntegerField(allow_null=True)
    leaders = serializers.IntegerField(allow_null=True)
    staffing = serializers.ListField(child=serializers.DictField())
    workload = serializers.DictField()
    per_post = serializers.DictField()
    outliers = serializers.ListField(child=serializers.DictField())
    violations = serializers.ListField(child=serializers.DictField())


class StaffingAnalysisViewSet(viewsets.ViewSet):
    """编制效能与合规: one row per department the user may see (``?period=2025Q3``)."""

    @extend_schema(parameters=[OpenApiParameter("period", str)], responses=StaffingRowSerializer(many=True))
    def list(self, request):
        if not get_scope(request.user).has(*READERS):
            raise ApiPermissionDenied("您的角色无权查看编制数据。")
        report = staffing.report(request.user, request.query_params.get("period"))
        rows = [
            {
                "department": r.department.code, "name": r.department.name, "category": r.department.category,
                "posts": r.posts, "people": r.people, "vacancy_rate": r.vacancy_rate, "leader_posts": r.leader_posts,
                "leaders": r.leaders,
                "staffing": [{"type": s.key, "quota": s.quota, "actual": s.actual} for s in r.staffing],
                "workload": {k: (float(v) if v is not None else None) for k, v in r.workload.items()},
                "per_post": r.ratios,
                "outliers": [{"metric": o.metric, "value": o.value, "median": o.median, "z": round(o.z, 2)}
                             for o in r.outliers.values()],
                "violations": [{"rule": v.rule.code, "subject": v.subject, "message": v.message,
                                "problem": v.finding.problem_number if v.finding else None} for v in r.violations],
            }
            for r in report.rows
        ]
        return Response({"period": report.period, "results": StaffingRowSerializer(rows, many=True).data})


router.register("processes", ProcessViewSet, basename="process")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("staffing-analysis", StaffingAnalysisViewSet, basename="staffing-analysis")
