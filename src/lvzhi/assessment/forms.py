from django import forms
from django.core.exceptions import ValidationError

from lvzhi.core.forms import DateInput, StyledFormMixin

from .models import DIMENSIONS, Campaign, Framework
from .periods import Period


class CampaignForm(StyledFormMixin, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Campaign
        fields = ["period", "name", "self_deadline", "framework", "reveal_raters", "performance_weight", "doc_no"]
        widgets = {"self_deadline": DateInput()}
        help_texts = {
            "period": "季度如 2026Q3，年度如 2026。",
            "name": "留空则为“2026年第3季度核心职能履行评估”。",
            "performance_weight": "评估结果在全市高质量发展绩效考核中的权重，如 0.1 表示 10%。",
            "doc_no": "季度考核通报的文号，如 示编办发〔2026〕12号。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["framework"].queryset = Framework.objects.order_by("-is_current", "-loaded_at")
        self.fields["framework"].required = False
        self.fields["performance_weight"].required = False
        if self.instance.pk:
            self.initial.setdefault("expected_version", self.instance.version)
            if self.instance.status != Campaign.Status.DRAFT:
                for name in ("period", "framework"):
                    self.fields[name].disabled = True

    def clean_period(self):
        return Period.parse(self.cleaned_data["period"]).code

    def clean_performance_weight(self):
        value = self.cleaned_data.get("performance_weight")
        if value is not None and not 0 < value <= 1:
            raise ValidationError("权重应大于 0 且不大于 1。")
        return value


class SelfAssessmentForm(StyledFormMixin, forms.Form):
    narrative = forms.CharField(label="自评说明", widget=forms.Textarea(attrs={"rows": 6}), required=False,
                                help_text="对照评分指引，说明本标准的履职目标、完成情况和取得的成效。")
    self_score = forms.DecimalField(label="自评分", max_digits=6, decimal_places=2, required=False, min_value=0)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="佐证材料（PDF、Word、Excel、图片或 ZIP）")


class ReviewForm(StyledFormMixin, forms.Form):
    review_score = forms.DecimalField(label="评审得分", max_digits=6, decimal_places=2, min_value=0)
    comment = forms.CharField(label="评审意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="需要补充的材料", widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label="补充截止日期", required=False, widget=DateInput(),
                          help_text="留空为 5 个工作日后。")


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label="处理结果", choices=[("uphold", "维持原评分"), ("change", "调整评分")])
    new_review_score = forms.DecimalField(label="调整后的评审得分", max_digits=6, decimal_places=2, required=False,
                                          min_value=0)
    note = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(StyledFormMixin, forms.Form):
    cooperation = forms.ChoiceField(label=dict(DIMENSIONS)["cooperation"], widget=forms.RadioSelect)
    timeliness = forms.ChoiceField(label=dict(DIMENSIONS)["timeliness"], widget=forms.RadioSelect)
    information_sharing = forms.ChoiceField(label=dict(DIMENSIONS)["information_sharing"], widget=forms.RadioSelect)
    comment = forms.CharField(label="评价意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, scale=(1, 5), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(i), str(i)) for i in range(scale[0], scale[1] + 1)]
        for key, _ in DIMENSIONS:
            self.fields[key].choices = choices
            self.fields[key].widget.attrs["class"] = "form-check-input"


class WeightForm(StyledFormMixin, forms.Form):
    weight = forms.DecimalField(label="绩效考核权重", max_digits=5, decimal_places=4, required=False,
                                min_value=0.0001, max_value=1)
