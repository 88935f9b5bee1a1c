import re

from django import forms
from django.utils import timezone

from lvzhi.core.forms import DateInput, StyledFormMixin, check_upload
from lvzhi.org.models import BoundaryClause, Department, InternalUnit, MandateDuty

from .models import DutyTask, MandateCheck, Matter, PowerAdjustment, PowerItem, PowerListEdition

TEXTAREA = {"rows": 3}


class PowerImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="权责清单文件（XLSX 或 CSV）",
                           help_text="列名见《权责清单交换格式》：职权编码、部门编码、职权类型、职权名称、子项名称、设定依据、承办机构、责任事项、追责情形、备注。")
    label = forms.CharField(label="草稿版本名称", max_length=60, required=False,
                            help_text="新建草稿时使用，如“2026年版”；留空则自动命名。已有草稿时导入到该草稿。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, {"xlsx", "csv"})
        return upload


class PublishForm(StyledFormMixin, forms.Form):
    label = forms.CharField(label="版本名称", max_length=60, help_text="如“2025年版”“2026年第1次调整”。")
    published_on = forms.DateField(label="发布日期", widget=DateInput())
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.localdate()


class AdjustmentForm(StyledFormMixin, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PowerAdjustment
        fields = ["kind", "item_code", "type", "name", "sub_item", "basis", "unit", "responsibilities",
                  "accountability", "note", "delegated_to", "reason", "legal_basis", "approval_doc_no",
                  "approval_date"]
        widgets = {
            "basis": forms.Textarea(attrs=TEXTAREA), "responsibilities": forms.Textarea(attrs=TEXTAREA),
            "accountability": forms.Textarea(attrs=TEXTAREA), "note": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs=TEXTAREA), "legal_basis": forms.Textarea(attrs=TEXTAREA),
            "approval_date": DateInput(),
        }
        help_texts = {
            "item_code": "增加：新事项的编码；取消或下放、变更要素：清单中已有事项的编码。",
            "delegated_to": "仅“取消或下放”：下放的层级或承接单位，取消则留空。",
        }


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- 职责边界清单


class MatterForm(StyledFormMixin, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Matter
        fields = ["code", "name", "description", "position", "published"]
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not re.match(r"^[A-Za-z0-9_-]{2,32}$", code):
            raise forms.ValidationError("事项编码只能由 2–32 位字母、数字、下划线或连字符组成。")
        return code


class LinkForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="环节名称", max_length=100)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


BASIS_KINDS = [
    ("", "仅文字依据"),
    ("mandate_duty", "三定职责（第N项）"),
    ("boundary_clause", "三定职责分工（第N条）"),
    ("power_item", "权责事项（职权编码）"),
]


class PointForm(StyledFormMixin, forms.Form):
    """A duty point. The basis can cite a mandate duty, a boundary clause or a power item of a
    department (default: the lead) and/or quote law or policy text."""

    text = forms.CharField(label="职责颗粒点", widget=forms.Textarea(attrs=TEXTAREA))
    lead = forms.ModelChoiceField(label="牵头部门", queryset=Department.objects.none())
    support = forms.ModelMultipleChoiceField(label="配合部门", queryset=Department.objects.none(), required=False)
    basis_kind = forms.ChoiceField(label="依据类型", choices=BASIS_KINDS, required=False)
    basis_department = forms.ModelChoiceField(label="依据所属部门", queryset=Department.objects.none(),
                                              required=False, help_text="留空则为牵头部门。")
    basis_ref = forms.CharField(label="依据编号", max_length=60, required=False,
                                help_text="三定职责或职责分工填序号（如 3），权责事项填职权编码。")
    basis = forms.CharField(label="依据文字（法律法规条款等）", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.visible_to(user).order_by("position", "code")
        for name in ("lead", "support", "basis_department"):
            self.fields[name].queryset = departments
        self.fields["support"].widget.attrs["size"] = 8

    @staticmethod
    def initial_for(point):
        kind, dep, ref = "", None, ""
        if point.basis_duty_id:
            kind, dep, ref = "mandate_duty", point.basis_duty.mandate.department, str(point.basis_duty.number)
        elif point.basis_clause_id:
            kind, dep, ref = "boundary_clause", point.basis_clause.mandate.department, str(point.basis_clause.position)
        elif point.basis_item_id:
            kind, dep, ref = "power_item", point.basis_item.department, point.basis_item.code
        return {"text": point.text, "lead": point.lead, "support": list(point.support.all()), "basis": point.basis,
                "basis_kind": kind, "basis_department": dep, "basis_ref": ref, "expected_version": point.version}

    def clean(self):
        data = super().clean()
        data["basis_duty"] = data["basis_clause"] = data["basis_item"] = None
        kind, ref = data.get("basis_kind"), (data.get("basis_ref") or "").strip()
        department = data.get("basis_department") or data.get("lead")
        if not kind:
            if not (data.get("basis") or "").strip():
                self.add_error("basis", "请填写依据文字，或选择引用三定职责、职责分工或权责事项。")
            return data
        if not ref or department is None:
            self.add_error("basis_ref", "请填写依据编号。")
            return data
        if kind in ("mandate_duty", "boundary_clause"):
            if not ref.isdigit():
                self.add_error("basis_ref", "请填写序号数字。")
                return data
            if kind == "mandate_duty":
                found = MandateDuty.objects.filter(mandate__department=department, mandate__is_current=True,
                                                   number=int(ref)).first()
            else:
                found = BoundaryClause.objects.filter(mandate__department=department, mandate__is_current=True,
                                                      position=int(ref)).first()
            what = "主要职责第{}项" if kind == "mandate_duty" else "职责分工第{}条"
        else:
            found = (
                PowerItem.objects.filter(department=department, code=ref, edition__is_current=True).first()
                or PowerItem.objects.filter(department=department, code=ref,
                                            edition__status=PowerListEdition.Status.DRAFT).first()
            )
            what = "职权编码 {}"
        if found is None:
            self.add_error("basis_ref", f"{department.label}的现行{'三定规定' if kind != 'power_item' else '权责清单'}中没有{what.format(ref)}。")
        else:
            data[{"mandate_duty": "basis_duty", "boundary_clause": "basis_clause", "power_item": "basis_item"}[kind]] = found
        return data

    def point_values(self):
        d = self.cleaned_data
        return {k: d[k] for k in ("text", "lead", "basis_duty", "basis_clause", "basis_item")} | {
            "basis": (d.get("basis") or "").strip()}


# ---------------------------------------------------------------- 职责任务清单 and checks


class TaskForm(StyledFormMixin, forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DutyTask
        fields = ["text", "standard", "unit", "active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "standard": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, mandate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = InternalUnit.objects.filter(mandate=mandate) if mandate else InternalUnit.objects.none()
        self.fields["active"].widget.attrs["class"] = "form-check-input"


class CheckForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label="履职情况", choices=[("", "—")] + MandateCheck.Result.choices, required=False)
    narrative = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="佐证材料（PDF、Word、Excel、图片或 ZIP）")


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)

