"""Forms of the hotline pages. Every department or record choice goes through ``visible_to``."""

from django import forms
from django.db.models import Q

from lvzhi.core.forms import StyledFormMixin, check_upload
from lvzhi.duties.models import DutyPoint, MatterLink
from lvzhi.org.models import BoundaryClause, Department, MandateDuty

TABLE_FILES = {"xlsx", "csv", "txt"}


class UploadForm(StyledFormMixin, forms.Form):
    tickets = forms.FileField(label="工单文件（XLSX 或 CSV）", required=False)
    returns = forms.FileField(label="退单记录文件（XLSX 或 CSV）", required=False)
    accept_good_rows = forms.BooleanField(
        label="文件中有错误行时，跳过错误行、导入其余正确的行", required=False,
        help_text="不勾选时，只要有一行错误就不写入任何数据，并逐行列出错误。",
    )

    def clean_tickets(self):
        upload = self.cleaned_data.get("tickets")
        if upload:
            check_upload(upload, TABLE_FILES)
        return upload

    def clean_returns(self):
        upload = self.cleaned_data.get("returns")
        if upload:
            check_upload(upload, TABLE_FILES)
        return upload

    def _value(self, name):
        """The submitted or initial value of a field, as a primary key (or None)."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        return int(value) if str(value or "").isdigit() else None

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("tickets") and not data.get("returns"):
            raise forms.ValidationError("请至少选择工单文件或退单记录文件。")
        return data


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OfferedChoiceField(forms.ModelChoiceField):
    """Accepts any record of its queryset but lists only those ``offer``ed: a city's 三定 hold
    thousands of duties and clauses; the page lists those of the departments in question."""

    def offer(self, records):
        self.widget.choices = [("", self.empty_label), *((r.pk, self.label_from_instance(r)) for r in records)]


class AliasForm(StyledFormMixin, forms.Form):
    alias = forms.CharField(label="别名（热线中使用的单位名称）", max_length=200)
    department = DepartmentField(label="对应部门", queryset=Department.objects.none())
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user).order_by("position", "code")


class DecisionForm(StyledFormMixin, forms.Form):
    POINT_ACTIONS = [("none", "不修改职责边界清单"), ("create", "在所选环节新增职责颗粒点"), ("update", "更新所选职责颗粒点")]

    lead = DepartmentField(label="牵头部门", queryset=Department.objects.none())
    support = forms.ModelMultipleChoiceField(label="配合部门", queryset=Department.objects.none(), required=False)
    basis_department = DepartmentField(
        label="引用其他部门的三定规定", queryset=Department.objects.none(), required=False,
        help_text="下面列出涉及部门的三定规定；要引用其他部门（例如未参与退单的部门）的主要职责或职责分工条款，先在此选择该部门。")
    basis_duty = OfferedChoiceField(label="依据：三定规定主要职责", queryset=MandateDuty.objects.none(), required=False)
    basis_clause = OfferedChoiceField(label="依据：三定规定职责分工条款", queryset=BoundaryClause.objects.none(),
                                      required=False)
    basis_point = forms.ModelChoiceField(label="依据：职责边界清单职责颗粒点", queryset=DutyPoint.objects.none(),
                                         required=False)
    basis_text = forms.CharField(label="法律法规及政策依据（条文）", widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    reasoning = forms.CharField(label="认定理由", widget=forms.Textarea(attrs={"rows": 3}))
    keywords = forms.CharField(label="派单关键词", max_length=200, required=False,
                               help_text="回传热线作为派单规则，空格分隔。")
    point_action = forms.ChoiceField(label="职责边界清单", choices=POINT_ACTIONS, initial="none")
    link = forms.ModelChoiceField(label="新增到环节", queryset=MatterLink.objects.none(), required=False)
    point = forms.ModelChoiceField(label="要更新的职责颗粒点", queryset=DutyPoint.objects.none(), required=False)
    point_text = forms.CharField(label="颗粒点内容", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                 help_text="新增时必填；更新时留空则保留原内容。")
    open_problem = forms.BooleanField(label="同时登记“部门间职责边界不清”问题", required=False, initial=True)

    def __init__(self, *args, user=None, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.visible_to(user).order_by("position", "code")
        self.fields["lead"].queryset = departments
        self.fields["support"].queryset = departments
        self.fields["support"].label_from_instance = lambda d: d.name
        self.fields["basis_department"].queryset = departments
        involved = set(dispute.departments.values_list("pk", flat=True)) if dispute else set()
        codes = [r.get("department") for r in (dispute.finder if dispute else [])]
        involved |= set(Department.objects.filter(code__in=codes).values_list("pk", flat=True))
        order = ("mandate__department__position", "mandate__department__code")
        duties = MandateDuty.objects.visible_to(user).filter(mandate__is_current=True).select_related(
            "mandate__department").order_by(*order, "number")
        clauses = BoundaryClause.objects.visible_to(user).filter(mandate__is_current=True).select_related(
            "mandate__department").order_by(*order, "position")
        self.fields["basis_duty"].queryset = duties
        self.fields["basis_duty"].label_from_instance = lambda d: f"{d.mandate.department.label} 第{d.number}项：{d.text[:40]}"
        self.fields["basis_clause"].queryset = clauses
        self.fields["basis_clause"].label_from_instance = lambda c: f"{c.mandate.department.label}：{c.topic or c.text[:40]}"
        # Listed: the departments involved, the one chosen, and those of the duty and clause already chosen.
        shown = Q(mandate__department__in=involved) | Q(mandate__department=self._value("basis_department"))
        self.fields["basis_duty"].offer(duties.filter(shown | Q(pk=self._value("basis_duty"))))
        self.fields["basis_clause"].offer(clauses.filter(shown | Q(pk=self._value("basis_clause"))))
        points = DutyPoint.objects.visible_to(user).select_related("link__matter", "lead")
        if dispute and dispute.matter_id:
            points = points.filter(link__matter=dispute.matter_id)
        else:
            points = points.filter(lead__in=involved)
        for name in ("basis_point", "point"):
            self.fields[name].queryset = points
            self.fields[name].label_from_instance = lambda p: f"{p.link.matter.name}·{p.link.name}：{p.text[:40]}"
        self.fields["link"].queryset = MatterLink.objects.visible_to(user).select_related("matter").order_by(
            "matter__position", "position")
        self.fields["link"].label_from_instance = lambda link: f"{link.matter.name}·{link.name}"
        if dispute is not None and not self.is_bound:
            self.initial.setdefault("keywords", dispute.keywords)
            if dispute.duty_point_id:
                self.initial.setdefault("basis_point", dispute.duty_point_id)
                self.initial.setdefault("lead", dispute.duty_point.lead_id)

    def _value(self, name):
        """The submitted or initial value of a field, as a primary key (or None)."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        return int(value) if str(value or "").isdigit() else None

    def clean(self):
        data = super().clean()
        lead = data.get("lead")
        if lead and lead in (data.get("support") or []):
            self.add_error("support", "牵头部门不能同时是配合部门。")
        return data
