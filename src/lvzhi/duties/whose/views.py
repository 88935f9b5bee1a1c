from django import forms
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from lvzhi.core.forms import StyledFormMixin
from lvzhi.core.views import RoleRequiredMixin
from lvzhi.duties.services import public as published
from lvzhi.org.models import Department

from . import service

EVIDENCE_LABELS = {
    "mandate_duty": "三定职责",
    "boundary_clause": "职责分工",
    "duty_point": "职责边界清单",
    "power_item": "权责清单",
    "unit_duty": "内设机构职责",
}


class FinderForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="这件事归谁管？", max_length=500, required=False,
                        widget=forms.TextInput(attrs={"placeholder": "用群众的话描述事项，例如：小区楼下烧烤油烟太大", "autofocus": True}))


def present(answer, link_codes=None):
    """Template rows: department names, evidence labels, lead/support names and profile links
    (``link`` is set for the departments in ``link_codes``)."""
    codes = {r["department"] for r in answer["results"]}
    for r in answer["results"]:
        codes.update([r.get("lead")] if r.get("lead") else [])
        codes.update(r.get("support") or [])
    # Many departments have no short name: fall back to the full name, as Department.label does.
    labels = {code: short or name for code, short, name in
              Department.objects.filter(code__in=codes).values_list("code", "short_name", "name")}
    rows = []
    for r in answer["results"]:
        rows.append({
            **r,
            "label": labels.get(r["department"]) or r["name"],
            "link": r["department"] in (link_codes or ()),
            "evidence": [{**e, "label": EVIDENCE_LABELS.get(e["kind"], e["kind"])} for e in r["evidence"]],
            "lead_label": labels.get(r["lead"], r["lead"]) if r.get("lead") else None,
            "support_labels": [labels.get(c) or c for c in r.get("support") or []],
        })
    return rows


class FinderView(RoleRequiredMixin, TemplateView):
    """Signed-in users (office, hotline, liaisons…): the same answers as the public page."""

    template_name = "finder/search.html"
    public = False

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = FinderForm(self.request.GET or None)
        ctx["form"] = form
        q = form.cleaned_data.get("q") if form.is_valid() else ""
        if q:
            answer = service.search(q, limit=5)
            visible = set(Department.objects.visible_to(self.request.user).values_list("code", flat=True))
            ctx["results"] = present(answer, visible)
            ctx["query"], ctx["lexicon"] = q, answer.get("lexicon")
        ctx["public"] = self.public
        return ctx


class PublicFinderView(TemplateView):
    template_name = "finder/search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = FinderForm(self.request.GET or None)
        ctx["form"] = form
        q = form.cleaned_data.get("q") if form.is_valid() else ""
        if q:
            answer = service.search(q, limit=5)
            public = published.public_departments().filter(code__in=[r["department"] for r in answer["results"]])
            ctx["results"] = present(answer, set(public.values_list("code", flat=True)))
            ctx["query"], ctx["lexicon"] = q, answer.get("lexicon")
        ctx["public"] = True
        return ctx


class FinderQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=500)
    limit = serializers.IntegerField(min_value=1, max_value=service.MAX_LIMIT, default=5)


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="mandate_duty、boundary_clause、duty_point、power_item 或 unit_duty")
    text = serializers.CharField()
    ref = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    department = serializers.CharField(help_text="部门编码")
    name = serializers.CharField()
    score = serializers.FloatField()
    evidence = EvidenceSerializer(many=True)
    lead = serializers.CharField(required=False, help_text="最佳依据为职责颗粒点时的牵头部门")
    support = serializers.ListField(child=serializers.CharField(), required=False)


class AnswerSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = ResultSerializer(many=True)
    lexicon = serializers.CharField(help_text="检索所用的群众用语对照词库版本")


class FinderAPIView(APIView):
    """``GET /api/finder/?q=TEXT&limit=N``: responsible departments, best first, with evidence."""

    @extend_schema(parameters=[FinderQuerySerializer], responses=AnswerSerializer)
    def get(self, request):
        params = FinderQuerySerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError({"detail": "请用参数 q 提供要查询的事项（不超过 500 字），limit 为 1–20 的整数。",
                                   **params.errors})
        return Response(service.search(params.validated_data["q"], params.validated_data["limit"]))
