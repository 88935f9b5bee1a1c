from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.forms import inlineformset_factory

from lvzhi.core.forms import StyledFormMixin
from lvzhi.org.models import Department

from .models import RoleAssignment, User


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。多次输入错误后账号将被暂时锁定。",
        "inactive": "该账号已停用。",
    }


class UserForm(StyledFormMixin, forms.ModelForm):
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput(render_value=False), required=False,
        help_text="新建用户必填；编辑时留空表示不修改。至少 8 位，不能全为数字。",
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if not password and not self.instance.pk:
            raise forms.ValidationError("新建用户必须设置密码。")
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class RoleAssignmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "department", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("position", "code")


RoleFormSet = inlineformset_factory(User, RoleAssignment, form=RoleAssignmentForm, extra=1, can_delete=True)
