from django import forms
from django.forms import formset_factory

from lvzhi.core.forms import DateInput, StyledFormMixin, VersionedModelForm, check_upload

from .models import Department, StaffingActual


class DepartmentForm(VersionedModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "kind", "category", "parent", "assessed", "position"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Department.objects.visible_to(user)
        if self.instance.pk:
            parents = parents.exclude(pk__in=Department.descendant_ids({self.instance.pk}))
        self.fields["parent"].queryset = parents
        self.fields["assessed"].widget.attrs["class"] = "form-check-input"

    def clean_code(self):
        import re

        code = self.cleaned_data["code"].strip()
        if not re.match(r"^[A-Za-z0-9_-]{2,32}$", code):
            raise forms.ValidationError("部门编码只能由 2–32 位字母、数字、下划线或连字符组成。")
        return code


class MandateForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="文件标题", max_length=200)
    doc_no = forms.CharField(label="文号", max_length=60, required=False)
    issued = forms.DateField(label="印发日期", required=False, widget=DateInput())
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    duties = forms.CharField(
        label="主要职责（每行一项，按顺序编号）", widget=forms.Textarea(attrs={"rows": 14}), required=False
    )
    administrative = forms.IntegerField(label="行政编制", min_value=0, required=False)
    public_institution = forms.IntegerField(label="事业编制", min_value=0, required=False)
    service = forms.IntegerField(label="工勤编制", min_value=0, required=False)
    leader_head = forms.IntegerField(label="正职领导职数", min_value=0, required=False)
    leader_deputy = forms.IntegerField(label="副职领导职数", min_value=0, required=False)
    leader_other = forms.IntegerField(label="其他领导职数", min_value=0, required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def duty_lines(self):
        return [line.strip() for line in self.cleaned_data.get("duties", "").splitlines() if line.strip()]


class ClauseForm(StyledFormMixin, forms.Form):
    topic = forms.CharField(label="事项", max_length=100, required=False)
    text = forms.CharField(label="分工内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    others = forms.ModelMultipleChoiceField(label="涉及部门", queryset=Department.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = Department.objects.visible_to(user)

    def clean(self):
        data = super().clean()
        if (data.get("topic") or data.get("others")) and not data.get("text"):
            self.add_error("text", "请填写分工内容。")
        return data


class UnitForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="内设机构", max_length=100, required=False)
    duties = forms.CharField(label="职责", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("duties") and not data.get("name"):
            self.add_error("name", "请填写内设机构名称。")
        return data


ClauseFormSet = formset_factory(ClauseForm, extra=2)
UnitFormSet = formset_factory(UnitForm, extra=2)


class StaffingActualForm(VersionedModelForm):
    class Meta:
        model = StaffingActual
        fields = [
            "as_of",
            "administrative",
            "public_institution",
            "service",
            "leader_head",
            "leader_deputy",
            "leader_other",
        ]
        widgets = {"as_of": DateInput()}


class OrgImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="组织机构文件（lvzhi.org/1，YAML 或 JSON）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, {"yaml", "yml", "json"})
        return upload
