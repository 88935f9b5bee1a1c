"""Forms: each loop action has one form, used by the page and by the API, so input is checked once."""

from django import forms
from django.core.exceptions import ValidationError

from lvzhi.core.forms import DateInput, StyledFormMixin, check_upload
from lvzhi.core.roles import OversightBody
from lvzhi.duties.models import DutyPoint, Matter
from lvzhi.org.models import BoundaryClause, Department, MandateDuty

from . import states
from .models import Inspection, Problem, ProblemType, QuestionnaireTemplate, ResearchOutline, Severity, Survey

EVIDENCE_TYPES = {"pdf", "docx", "xlsx", "png", "jpg", "jpeg", "zip", "txt"}
MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once, each checked for size and content against its extension."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "附件（佐证材料）")
        kwargs.setdefault("help_text", f"可多选；支持 {'、'.join(sorted(EVIDENCE_TYPES))}，单个文件不超过上限。")
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError("请上传佐证材料。")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES} 个文件。")
        for upload in files:
            super().clean(upload, initial)
            check_upload(upload, EVIDENCE_TYPES)
        return list(files)


def type_choices():
    return ProblemType.objects.filter(category__taxonomy__is_current=True).select_related("category")


class TypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.category.name} / {obj.code} {obj.name}"


class ProblemForm(StyledFormMixin, forms.ModelForm):
    """登记 / 修改问题 (office). Choices of departments and linked records are scoped to the user."""

    type = TypeChoiceField(queryset=ProblemType.objects.none(), label="问题类别 / 类型", required=False)
    files = EvidenceField()
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Filing from another record's page (a ticket, a power item) links the new problem to it.
    link_kind = forms.CharField(widget=forms.HiddenInput, required=False)
    link_ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Problem
        fields = [
            "title", "description", "type", "source", "department", "related_departments", "severity", "found_on",
            "policy_basis", "mandate_duty", "boundary_clause", "matter", "duty_point", "inspection", "survey",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "policy_basis": forms.Textarea(attrs={"rows": 2}),
            "found_on": DateInput(),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.link_target = None
        self.fields["type"].queryset = type_choices()
        if self.instance.pk and self.instance.type_id:
            self.fields["type"].queryset = ProblemType.objects.filter(pk=self.instance.type_id) | type_choices()
        departments = Department.objects.visible_to(user)
        self.fields["department"].queryset = departments
        self.fields["related_departments"].queryset = departments
        self.fields["mandate_duty"].queryset = MandateDuty.objects.visible_to(user).filter(
            mandate__is_current=True).select_related("mandate__department")
        self.fields["mandate_duty"].label_from_instance = lambda d: f"{d.mandate.department.label} 第{d.number}项：{d.text[:30]}"
        self.fields["boundary_clause"].queryset = BoundaryClause.objects.visible_to(user).filter(
            mandate__is_current=True).select_related("mandate__department")
        self.fields["boundary_clause"].label_from_instance = lambda c: f"{c.mandate.department.label}：{c}"
        self.fields["matter"].queryset = Matter.objects.visible_to(user)
        self.fields["duty_point"].queryset = DutyPoint.objects.visible_to(user).select_related("link__matter")
        self.fields["duty_point"].label_from_instance = lambda p: f"{p.link.matter.name} / {p.link.name}：{p.text[:30]}"
        self.fields["inspection"].queryset = Inspection.objects.visible_to(user)
        self.fields["survey"].queryset = Survey.objects.visible_to(user)
        self.fields["related_departments"].required = False
        if self.instance.pk:
            del self.fields["files"], self.fields["link_kind"], self.fields["link_ref"]
            self.initial["expected_version"] = self.instance.version

    def clean(self):
        from . import links

        data = super().clean()
        if data.get("duty_point") and not data.get("matter"):
            data["matter"] = data["duty_point"].link.matter
        if data.get("link_kind"):
            try:
                self.link_target = links.find(data["link_kind"], data.get("link_ref"), self.user)
            except ValidationError as exc:
                self.add_error(None, exc.messages[0])
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        for name in ("expected_version", "files", "link_kind", "link_ref"):
            data.pop(name, None)
        related = list(data.pop("related_departments") or [])
        return data, related


class ActionForm(StyledFormMixin, forms.Form):
    """The input of one loop action; ``for_action`` builds the right fields from the state table."""

    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    files = EvidenceField()
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    DAYS = {"issue": ("整改时限（工作日）", True), "request_extension": ("申请延长（工作日）", True),
            "grant_extension": ("延长（工作日，留空按申请）", False), "reject": ("重新给定整改时限（工作日，可留空）", False),
            "reopen": ("新的整改时限（工作日）", False)}

    def __init__(self, *args, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.fields["note"].label = transition.note_label
        self.fields["note"].required = transition.note_required
        self.fields["files"].required = transition.files_required
        if transition.action in self.DAYS:
            label, required = self.DAYS[transition.action]
            self.fields["days"] = forms.IntegerField(label=label, min_value=1, max_value=365, required=required,
                                                     initial=20 if transition.action == "issue" else None)
        if transition.action == "issue":
            self.fields["doc_no"] = forms.CharField(label="通知书文号（留空自动编号）", max_length=60, required=False)
            self.fields["requirements"] = forms.CharField(label="整改要求（留空使用标准表述）", required=False,
                                                          widget=forms.Textarea(attrs={"rows": 3}))
        for name in ("days", "doc_no", "requirements"):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("class", "form-control")

    @classmethod
    def for_action(cls, action, state, data=None, files=None):
        transition = states.find(action, state)
        if transition is None:
            return None
        return cls(data, files, transition=transition)

    def params(self):
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "") or k == "note"}
        return data


class ShareForm(StyledFormMixin, forms.Form):
    body = forms.ChoiceField(label="监督机关", choices=OversightBody.choices)
    note = forms.CharField(label="共享说明", required=False, max_length=500)
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)


class LinkForm(StyledFormMixin, forms.Form):
    """关联其他记录: a kind of record (权责事项, 12345工单…) and its reference, or a link to remove."""

    kind = forms.ChoiceField(label="关联对象类别", required=False)
    ref = forms.CharField(label="编号", max_length=64, required=False)
    remove = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .links import targets

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(t.key, f"{t.label}（{t.ref_label}）") for t in targets()]

    def clean(self):
        data = super().clean()
        if not data.get("remove") and not data.get("kind"):
            raise forms.ValidationError("请选择关联对象类别。")
        return data


class ClueForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="线索标题", max_length=200)
    description = forms.CharField(label="线索内容", widget=forms.Textarea(attrs={"rows": 6}))
    department = forms.ModelChoiceField(label="涉及部门", queryset=Department.objects.none())
    about = forms.ModelChoiceField(label="关联已共享问题（可选）", queryset=Problem.objects.none(), required=False)
    files = EvidenceField(label="附件")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user)
        self.fields["about"].queryset = Problem.objects.visible_to(user)


class InspectionForm(StyledFormMixin, forms.ModelForm):
    topic_codes = forms.MultipleChoiceField(label="调研提纲内容（不选则全部）", required=False,
                                            widget=forms.CheckboxSelectMultiple)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Inspection
        fields = ["title", "departments", "visit_on", "participants", "plan", "minutes", "status"]
        widgets = {"visit_on": DateInput(), "plan": forms.Textarea(attrs={"rows": 3}),
                   "participants": forms.Textarea(attrs={"rows": 2}), "minutes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.visible_to(user)
        self.outline = ResearchOutline.objects.filter(is_current=True).first()
        topics = self.outline.topics if self.outline else []
        self.fields["topic_codes"].choices = [(t["code"], t["name"]) for t in topics]
        self.fields["topic_codes"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.fields["topic_codes"].initial = [t["code"] for t in self.instance.topics]
            self.initial["expected_version"] = self.instance.version


class FindingForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="问题标题", max_length=200)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}))
    department = forms.ModelChoiceField(label="责任部门", queryset=Department.objects.none())
    type = TypeChoiceField(label="问题类别 / 类型", queryset=ProblemType.objects.none(), required=False)
    severity = forms.ChoiceField(label="严重程度", choices=[("", "按问题类型默认")] + Severity.choices, required=False)
    files = EvidenceField()

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = inspection.departments.all()
        self.fields["type"].queryset = type_choices()


class SurveyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "template", "departments", "period_start", "period_end", "threshold", "note"]
        widgets = {"period_start": DateInput(),
                   "period_end": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = QuestionnaireTemplate.objects.filter(is_current=True)
        self.fields["departments"].queryset = Department.objects.visible_to(user)


class ResponseForm(StyledFormMixin, forms.Form):
    """One questionnaire typed in: a field per question of the survey."""

    department = forms.ModelChoiceField(label="评价部门", queryset=Department.objects.none())
    respondent = forms.CharField(label="受访对象（可匿名）", max_length=100, required=False)
    comment = forms.CharField(label="意见建议", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["department"].queryset = survey.departments.all()
        for q in survey.questions:
            if q.get("kind", "score") == "score":
                field = forms.TypedChoiceField(
                    label=f"{q['code']}. {q['text']}", coerce=int, required=False,
                    choices=[("", "未答")] + [(i, str(i)) for i in range(survey.scale_min, survey.scale_max + 1)])
            else:
                field = forms.CharField(label=f"{q['code']}. {q['text']}", required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
            field.widget.attrs["class"] = "form-select" if q.get("kind", "score") == "score" else "form-control"
            self.fields[f"q_{q['code']}"] = field

    def answers(self):
        return {q["code"]: self.cleaned_data.get(f"q_{q['code']}") for q in self.survey.questions}


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="问卷结果文件（.xlsx 或 .csv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, {"xlsx", "csv"})
        return upload


class RecommendationForm(StyledFormMixin, forms.Form):
    type_code = forms.CharField(widget=forms.HiddenInput)
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    text = forms.CharField(label="对策建议", widget=forms.Textarea(attrs={"rows": 3}))


class SavedViewForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="视图名称", max_length=60)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
