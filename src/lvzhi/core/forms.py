import filetype
from django import forms
from django.conf import settings

from .models import ConcurrencyError


class DateInput(forms.DateInput):
    """``<input type="date">`` takes ISO dates only; the zh-hans format (2026/06/20) would leave it
    empty, and saving the form again would erase the date."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format)


def widget_class(widget):
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    return "form-control"


def style_fields(form):
    for f in form.fields.values():
        f.widget.attrs.setdefault("class", widget_class(f.widget))


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class VersionedModelForm(StyledFormMixin, forms.ModelForm):
    """A model form that refuses to overwrite a newer version of the record.

    The version read when the form was opened travels in a hidden field; ``save`` raises
    ``ConcurrencyError`` if somebody saved in between, and the view shows the user's input again
    beside a conflict message, so nothing typed is lost.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version

    def save(self, commit=True, user=None):
        instance = super().save(commit=False)
        if user is not None and instance.pk is None:
            instance.created_by = user
        if not commit:
            return instance
        if instance.pk:
            instance.save_versioned(self.cleaned_data.get("expected_version") or instance.version)
        else:
            instance.save()
        self.save_m2m()
        return instance


class ConflictMixin:
    conflict_message = "保存失败：该记录在您编辑期间已被{who}于{when}修改。您的输入仍保留在下方，请核对最新内容后重新保存。"

    def conflict(self, form, exc):
        current = exc.current
        who = "他人"
        when = current.updated_at.astimezone().strftime("%Y-%m-%d %H:%M") if current.updated_at else ""
        form.add_error(None, self.conflict_message.format(who=who, when=when))
        form.data = form.data.copy()
        form.data["expected_version"] = current.version
        return form


ALLOWED_UPLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "zip": "application/zip",
}
TEXT_UPLOADS = {"csv": "text/csv", "txt": "text/plain", "yaml": "application/yaml", "yml": "application/yaml", "json": "application/json"}


def check_upload(upload, allowed):
    """Check size and that the content matches the extension; return the content type.

    ``allowed`` is a set of extensions. Raises forms.ValidationError with a Chinese message.
    """
    limit = settings.LVZHI_UPLOAD_MAX_MB * 1024 * 1024
    name = upload.name
    if upload.size > limit:
        raise forms.ValidationError(f"文件 {name} 大小超过上限 {settings.LVZHI_UPLOAD_MAX_MB} MB。")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in allowed:
        raise forms.ValidationError(f"文件 {name} 的类型不受支持，允许：{'、'.join(sorted(allowed))}。")
    head = upload.read(8192)
    upload.seek(0)
    if ext in TEXT_UPLOADS:
        if b"\x00" in head:
            raise forms.ValidationError(f"文件 {name} 的内容不是文本，与扩展名 .{ext} 不符。")
        return TEXT_UPLOADS[ext]
    kind = filetype.guess(head)
    expected = ALLOWED_UPLOADS[ext]
    ok = kind is not None and (
        kind.mime == expected or (ext in {"xlsx", "docx"} and kind.mime in {"application/zip", expected})
    )
    if not ok:
        raise forms.ValidationError(f"文件 {name} 的内容与扩展名 .{ext} 不符，请上传真实的 {ext.upper()} 文件。")
    return expected


__all__ = ["ConcurrencyError", "VersionedModelForm", "ConflictMixin", "check_upload", "style_fields"]
