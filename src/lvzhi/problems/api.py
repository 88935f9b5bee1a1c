"""REST API: the ledger at /api/problems/ (scoped like the pages, same filters) and each loop action
at POST /api/problems/{id}/actions/{action}/, running the same form and service as the page."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from lvzhi.api import router
from lvzhi.core.api import ScopedViewSetMixin
from lvzhi.core.scoping import get_scope
from lvzhi.duties.models import DutyPoint, Matter
from lvzhi.org.models import BoundaryClause, Department, MandateDuty

from . import links, services, states
from .filters import ProblemFilter
from .forms import ActionForm, LinkForm
from .models import Inspection, Problem, ProblemEvent, ProblemType, Source, Survey


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    label = serializers.CharField(read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = ProblemEvent
        fields = ["action", "label", "from_state", "to_state", "actor", "at", "note", "data", "files"]

    def get_files(self, obj):
        return [{"name": f.name, "size": f.size, "sha256": f.sha256, "url": f"/files/{f.pk}/"} for f in obj.files.all()]


class ProblemSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    related_departments = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Department.objects.all(), required=False)
    category = serializers.CharField(source="category.name", read_only=True, default=None)
    type = serializers.SlugRelatedField(
        slug_field="code", queryset=ProblemType.objects.filter(category__taxonomy__is_current=True), required=False,
        allow_null=True)
    taxonomy_version = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()
    # What the problem concerns, by id (the choices are limited to what the caller may see).
    mandate_duty = serializers.PrimaryKeyRelatedField(queryset=MandateDuty.objects.none(), required=False, allow_null=True)
    boundary_clause = serializers.PrimaryKeyRelatedField(queryset=BoundaryClause.objects.none(), required=False,
                                                         allow_null=True)
    matter = serializers.SlugRelatedField(slug_field="code", queryset=Matter.objects.none(), required=False,
                                          allow_null=True)
    duty_point = serializers.PrimaryKeyRelatedField(queryset=DutyPoint.objects.none(), required=False, allow_null=True)
    inspection = serializers.PrimaryKeyRelatedField(queryset=Inspection.objects.none(), required=False, allow_null=True)
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.none(), required=False, allow_null=True)

    class Meta:
        model = Problem
        fields = ["id", "number", "title", "description", "taxonomy_version", "category", "type", "source",
                  "department", "related_departments", "severity", "policy_basis", "found_on", "mandate_duty",
                  "boundary_clause", "matter", "duty_point", "inspection", "survey", "state", "deadline",
                  "deadline_days", "overdue", "rounds", "issued_at", "acknowledged_at", "completed_at", "closed_at",
                  "version"]
        read_only_fields = ["number", "state", "deadline", "deadline_days", "rounds", "issued_at", "acknowledged_at",
                            "completed_at", "closed_at", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            visible = Department.objects.visible_to(request.user)
            self.fields["department"].queryset = visible
            self.fields["related_departments"].child_relation.queryset = visible
            for name, model in (("mandate_duty", MandateDuty), ("boundary_clause", BoundaryClause), ("matter", Matter),
                                ("duty_point", DutyPoint), ("inspection", Inspection), ("survey", Survey)):
                self.fields[name].queryset = model.objects.visible_to(request.user)

    def get_overdue(self, obj):
        return obj.is_overdue()


class LinkInputSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False)
    ref = serializers.CharField(required=False)
    remove = serializers.IntegerField(required=False)


def _link_key(item):
    target = links.targets_by_model().get(item.target_type.model_class())
    return target.key if target else item.target_type.model


class ProblemDetailSerializer(ProblemSerializer):
    events = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta(ProblemSerializer.Meta):
        fields = ProblemSerializer.Meta.fields + ["events", "actions", "links"]

    def get_links(self, obj):
        user = self.context["request"].user
        return [{"id": item.pk, "kind": _link_key(item), "label": item.label, "url": url}
                for item, url in links.resolved_links(obj, user)]

    def get_events(self, obj):
        user = self.context["request"].user
        events = ProblemEvent.objects.visible_to(user).filter(problem=obj).select_related("actor").prefetch_related("files")
        return EventSerializer(events, many=True).data

    def get_actions(self, obj):
        user = self.context["request"].user
        scope = get_scope(user)
        kind = states.OFFICE if scope.is_office else states.DEPARTMENT if scope.department_ids else None
        if kind is None or not Problem.objects.visible_to(user, "change").filter(pk=obj.pk).exists():
            return []
        return [t.action for t in states.available(obj.state, kind)]


class ProblemViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    """问题台账. Filters as on the ledger page (state, source, department, type, found_after…)."""

    queryset = Problem.objects.all()
    filterset_class = ProblemFilter
    search_fields = ["number", "title"]
    ordering_fields = ["found_on", "deadline", "number"]
    ordering = ["-found_on", "-pk"]

    def base_queryset(self):
        return Problem.objects.select_related("department", "category__taxonomy", "type").prefetch_related(
            "related_departments")

    def get_serializer_class(self):
        return ProblemDetailSerializer if self.action != "list" else ProblemSerializer

    def create(self, request, *args, **kwargs):
        if not get_scope(request.user).is_office:
            raise ApiPermissionDenied("只有编办人员可以登记问题。")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        related = data.pop("related_departments", [])
        if data.get("source") not in Source.values:
            raise serializers.ValidationError({"source": "未知的问题来源"})
        try:
            serializer.instance = services.create_problem(by=self.request.user, related=related, **data)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc))

    @extend_schema(request=LinkInputSerializer, responses=ProblemDetailSerializer, summary="关联或取消关联记录",
                   description="编办人员：kind（power_item 权责事项按职权编码、ticket 12345工单按工单编号）和 ref 关联；"
                               "remove（关联 id）取消关联。")
    @drf_action(detail=True, methods=["post"], url_path="links", url_name="links")
    def links(self, request, pk=None):
        problem = self.get_object()
        form = LinkForm(request.data)
        if not form.is_valid():
            return Response({"detail": "输入有误。", "errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        try:
            if form.cleaned_data.get("remove"):
                links.unlink(problem, form.cleaned_data["remove"], by=request.user)
            else:
                links.link_by_ref(problem, form.cleaned_data["kind"], form.cleaned_data["ref"], by=request.user)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc))
        except services.TransitionError as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ProblemDetailSerializer(problem, context={"request": request}).data)

    def run_action(self, request, pk, action):
        problem = self.get_object()
        form = ActionForm.for_action(action, problem.state, request.data, request.FILES)
        if form is None:
            return Response({"detail": f"问题当前处于“{problem.get_state_display()}”状态，不能“{states.ACTION_LABELS[action]}”。"},
                            status=status.HTTP_409_CONFLICT)
        if not form.is_valid():
            return Response({"detail": "输入有误。", "errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        try:
            services.perform(problem, action, by=request.user, **form.params())
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc))
        except services.TransitionError as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_400_BAD_REQUEST)
        problem.refresh_from_db()
        return Response(ProblemDetailSerializer(problem, context={"request": request}).data)


def _action_method(name):
    @extend_schema(request=None, responses=ProblemDetailSerializer, summary=states.ACTION_LABELS[name],
                   description=f"{states.ACTION_LABELS[name]}：字段 note、files（可多个）"
                               + ("、days" if name in ActionForm.DAYS else "")
                               + ("、doc_no、requirements" if name == "issue" else "") + "、expected_version。")
    def method(self, request, pk=None):
        return self.run_action(request, pk, name)

    method.__name__ = f"action_{name}"
    return drf_action(detail=True, methods=["post"], url_path=f"actions/{name}", url_name=f"action-{name}")(method)


# One route per action of the state table, so every route names only the problem.
for _name in states.ACTIONS:
    setattr(ProblemViewSet, f"action_{_name}", _action_method(_name))


router.register("problems", ProblemViewSet, basename="problem")
