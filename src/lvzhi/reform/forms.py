from django import forms

from lvzhi.core.forms import DateInput, StyledFormMixin, VersionedModelForm, check_upload
from lvzhi.org.services import department_choices

from . import periods
from .analysis import rules
from .models import ActualUnit, Process, ProcessStep, Proposal, ProposalChange, WorkloadFigure
from .services.evidence import HINTS, available_kinds

MATERIAL_FIELDS = (
    ("applicant", "applicant_materials", "申请人提交的材料"),
    ("sharing", "shared_materials", "通过数据共享获取的材料"),
    ("produced", "produced_materials", "本环节产生的材料（决定书、证照、意见等）"),
)


def lines(text):
    seen, result = set(), []
    for line in (text or "").splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.add(line)
            result.append(line)
    return result


class ProcessForm(StyledFormMixin, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Process
        fields = ["name", "department", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_choices(user)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version


class StepForm(StyledFormMixin, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    applicant_materials = forms.CharField(label=MATERIAL_FIELDS[0][2], required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一项")
    shared_materials = forms.CharField(label=MATERIAL_FIELDS[1][2], required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一项")
    produced_materials = forms.CharField(label=MATERIAL_FIELDS[2][2], required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}), help_text="每行一项")

    class Meta:
        model = ProcessStep
        fields = ["name", "department", "unit", "days", "predecessors", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "predecessors": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {"predecessors": "本环节须等待哪些环节办结后才能开始；不选即可与其他环节同时开始。"}

    def __init__(self, *args, user=None, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_choices(user)
        others = process.steps.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["predecessors"].queryset = others
        self.fields["days"].min_value = 0
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version
            by_source = {}
            for m in self.instance.materials.all():
                by_source.setdefault(m.source, []).append(m.name)
            for source, name, _ in MATERIAL_FIELDS:
                self.initial[name] = "\n".join(by_source.get(source, []))

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days < 0:
            raise forms.ValidationError("办理时限不能为负数。")
        return days

    def service_data(self):
        data = dict(self.cleaned_data)
        data["materials"] = {source: lines(data.pop(name)) for source, name, _ in MATERIAL_FIELDS}
        return data


class RedesignForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="方案名称", max_length=200, required=False, help_text="留空则为“原流程名称（再造方案）”")


class AdoptForm(StyledFormMixin, forms.Form):
    adopted_on = forms.DateField(label="采用日期", widget=DateInput())


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="文件（XLSX 或 CSV）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, {"xlsx", "csv"})
        return upload


def indicator_choices():
    return [(i.key, i.label) for i in rules.current_ruleset().indicators]


class WorkloadFigureForm(VersionedModelForm):
    indicator = forms.ChoiceField(label="指标", choices=())

    class Meta:
        model = WorkloadFigure
        fields = ["department", "period", "indicator", "value", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_choices(user)
        self.fields["indicator"].choices = indicator_choices()

    def clean_period(self):
        code = periods.parse(self.cleaned_data["period"])
        if code is None:
            raise forms.ValidationError("期间应为年度（2025）、半年（2025H1）或季度（2025Q3）。")
        return code

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value < 0:
            raise forms.ValidationError("数值不能为负数。")
        return value


class ActualUnitForm(VersionedModelForm):
    class Meta:
        model = ActualUnit
        fields = ["department", "name", "duties", "as_of", "note"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3}), "as_of": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_choices(user)


class ProposalForm(StyledFormMixin, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = ["department", "title", "background", "reason", "doc_no", "signer"]
        widgets = {"background": forms.Textarea(attrs={"rows": 4}), "reason": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"title": "如：关于调整市城市管理局内设机构的请示"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["department"]
            if not self.is_bound:
                self.initial["expected_version"] = self.instance.version
        else:
            self.fields["department"].queryset = department_choices(user)


class ChangeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ProposalChange
        fields = ["target", "action", "duty_number", "unit_name", "new_name", "text", "staff_type", "to_type", "amount",
                  "to_department"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "duty_number": "取消、划出或调整某项主要职责时填写其在现行三定规定中的序号",
            "text": "增加或调整后的职责内容；增设内设机构时填写其职责",
            "to_department": "划出时填写",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A liaison sees no other department, so only the office can name where a move goes.
        self.fields["to_department"].queryset = department_choices(user)


class EvidenceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="依据类别", choices=())
    reference = forms.CharField(label="记录", max_length=300, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = available_kinds()
        self.fields["kind"].choices = kinds
        self.fields["reference"].help_text = "；".join(f"{label}：{HINTS[k]}" for k, label in kinds)


class ActionForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    doc_no = forms.CharField(label="批复文号", max_length=60, required=False)
