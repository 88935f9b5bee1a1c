"""A department's assessment (the 评估表 filled in), one criterion's page (self-assessment,
evidence, review, indicators, arithmetic), and appeals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404

from lvzhi.core.models import ConcurrencyError, StoredFile
from lvzhi.core.views import ObjectDetailView, ObjectListView

from ..filters import AppealFilter
from ..forms import AppealForm, DecisionForm, EvidenceForm, NoteForm, ReturnForm, ReviewForm, SelfAssessmentForm
from ..indicators import display_value
from ..models import Appeal, Assessment, Score
from ..services import appeals as appeal_services
from ..services import scores as services
from ..services import scoring
from ..services.common import is_liaison_of, is_office
from ..services.results import breakdown_visible, results_visible, trend
from ..tables import AppealTable
from .common import OFFICE, READERS, PostActionView, form_errors


def indicator_rows(score):
    return [{**r, "display": display_value(r)} for r in score.indicators]


class AssessmentDetailView(ObjectDetailView):
    """One department's 评估表: every criterion with its status, review and (once visible) points."""

    model = Assessment
    roles = READERS
    template_name = "assessment/assessment_detail.html"

    def base_queryset(self):
        return Assessment.objects.select_related("department", "campaign__framework", "campaign__star_rule")

    def get_object(self, queryset=None):
        # Other departments' published totals are in the ranking; their 评估表 page is not.
        assessment = super().get_object(queryset)
        if not breakdown_visible(self.request.user, assessment):
            raise Http404
        return assessment

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        assessment, user = self.object, self.request.user
        campaign = assessment.campaign
        scores = list(Score.objects.visible_to(user).filter(assessment=assessment)
                      .select_related("criterion__aspect").annotate(n_files=Count("files")))
        visible = results_visible(user, campaign)
        aspects = []
        for score in scores:
            score.explain = scoring.explain(score, campaign.framework) if visible else []
            score.indicator_rows = indicator_rows(score)
            if not aspects or aspects[-1][0] != score.criterion.aspect:
                aspects.append((score.criterion.aspect, []))
            aspects[-1][1].append(score)
        appeals = (Appeal.objects.visible_to(user).filter(assessment=assessment)
                   .select_related("score__criterion", "decided_by"))
        ctx.update(aspects=aspects, results_visible=visible, appeals=appeals,
                   total_explain=scoring.total_explain(assessment, campaign.star_rule, scores) if visible else "",
                   trend=trend(user, campaign, assessment.department))
        return ctx


class ScoreDetailView(ObjectDetailView):
    model = Score
    roles = READERS
    template_name = "assessment/score_detail.html"

    def base_queryset(self):
        return Score.objects.select_related(
            "criterion__aspect", "assessment__department", "assessment__campaign__framework",
            "assessment__campaign__star_rule", "reviewed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        score, user = self.object, self.request.user
        campaign = score.assessment.campaign
        actions = services.available(score, user)
        visible = results_visible(user, campaign)
        appeals = list(Appeal.objects.visible_to(user).filter(score=score).select_related("decided_by"))
        can_appeal = (is_liaison_of(user, score.assessment.department_id) and campaign.appeal_open()
                      and not any(a.status == Appeal.Status.PENDING for a in appeals))
        ctx.update(
            actions=actions, can_edit="save" in actions, is_office=is_office(user), results_visible=visible,
            explain=scoring.explain(score, campaign.framework) if visible else [],
            indicator_rows=indicator_rows(score), evidence=services.evidence(score), appeals=appeals,
            self_form=SelfAssessmentForm(initial={"narrative": score.narrative, "self_score": score.self_score,
                                                  "expected_version": score.version}),
            evidence_form=EvidenceForm(), review_form=ReviewForm(initial={"review_score": score.review_score,
                                                                          "comment": score.review_comment}),
            return_form=ReturnForm(), note_form=NoteForm(), appeal_form=AppealForm() if can_appeal else None,
            decision_form=DecisionForm() if is_office(user) else None,
        )
        return ctx


class ScoreSelfView(PostActionView):
    """POST the self-assessment (``narrative``, ``self_score``); ``submit=1`` also submits it."""

    model = Score

    def perform(self, request, score):
        form = SelfAssessmentForm(request.POST)
        if not form.is_valid():
            raise form_errors(form)
        try:
            services.save_self_assessment(request.user, score, form.cleaned_data["narrative"],
                                          form.cleaned_data["self_score"], form.cleaned_data.get("expected_version"))
        except ConcurrencyError:
            raise ValidationError("保存失败：该标准在您编辑期间已被他人修改，请核对最新内容后重新填写。")
        messages.success(request, "自评已保存。")
        if request.POST.get("submit") == "1":
            services.submit(request.user, score)
            messages.success(request, "已提交编办评审。")


class ScoreEvidenceView(PostActionView):
    """POST a ``file`` to add evidence, or ``remove`` = a stored file's id to delete it."""

    model = Score

    def perform(self, request, score):
        if request.POST.get("remove"):
            stored = get_object_or_404(StoredFile, pk=request.POST["remove"])
            services.remove_evidence(request.user, score, stored)
            messages.success(request, "已删除佐证材料。")
            return None
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            raise form_errors(form)
        services.add_evidence(request.user, score, form.cleaned_data["file"])
        messages.success(request, "佐证材料已上传。")
        return None


ACTION_FORMS = {"return": ReturnForm, "review": ReviewForm, "unlock": NoteForm}


class ScoreActionView(PostActionView):
    """POST ``action`` = submit / return / review / lock / unlock with the action's fields."""

    model = Score

    def perform(self, request, score):
        action = request.POST.get("action", "")
        form_class = ACTION_FORMS.get(action)
        data = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                raise form_errors(form)
            data = form.cleaned_data
        score = services.perform(request.user, score, action, data)
        messages.success(request, f"已{services.ACTION_LABELS.get(action, action)}（{score.get_status_display()}）。")


class ScoreAppealView(PostActionView):
    model = Score

    def perform(self, request, score):
        form = AppealForm(request.POST)
        if not form.is_valid():
            raise form_errors(form)
        appeal_services.file_appeal(request.user, score, form.cleaned_data["reason"])
        messages.success(request, "申诉已提交，编办处理后将通知您。")


class AppealListView(ObjectListView):
    model = Appeal
    roles = READERS
    table_class = AppealTable
    filterset_class = AppealFilter
    title = "核心职能评估申诉"

    def base_queryset(self):
        return Appeal.objects.select_related("assessment__campaign", "assessment__department", "score__criterion")

    def can_create(self):
        return False


class AppealDecideView(PostActionView):
    model = Appeal
    roles = OFFICE

    def perform(self, request, appeal):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            raise form_errors(form)
        data = form.cleaned_data
        appeal = appeal_services.decide_appeal(request.user, appeal, data["decision"], data["note"],
                                               data.get("new_review_score"))
        messages.success(request, f"申诉已处理：{appeal.get_status_display()}。")

