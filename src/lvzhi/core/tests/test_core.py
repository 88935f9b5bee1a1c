"""Shared machinery: audit log, workbench, notifications, uploads, jobs, security headers."""

import os
import subprocess
import sys

import pytest
from auditlog.models import LogEntry
from django import forms
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from lvzhi.core import workbench
from lvzhi.core.forms import DateInput, check_upload
from lvzhi.core.models import Job, Notification, StoredFile
from lvzhi.core.notifications import notify
from lvzhi.core.roles import Role
from lvzhi.org.models import Department
from lvzhi.testing import client_for, make_department, make_user


@pytest.mark.django_db
def test_web_write_is_audited_with_actor_address_request_id_and_fields(staff_client, staff_user, dept_a):
    staff_client.post(reverse("org:department-edit", args=[dept_a.code]), {
        "code": dept_a.code, "name": "改名局", "kind": "government", "category": "other", "position": 0,
        "expected_version": dept_a.version}, HTTP_X_REQUEST_ID="req-123")
    entry = LogEntry.objects.filter(object_repr="改名局").latest("timestamp")
    assert entry.actor == staff_user
    assert entry.remote_addr == "127.0.0.1"
    assert entry.cid == "req-123"
    assert entry.changes_dict["name"] == ["甲测试局", "改名局"]
    page = staff_client.get(reverse("core:auditlog"), {"object": "改名局"}).content.decode()
    assert "改名局" in page and "req-123" in page and "修改" in page


@pytest.mark.django_db
def test_command_write_is_attributed_to_the_command(tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text("format: lvzhi.org/1\ndepartments:\n  - {code: C1, name: 命令局, kind: other, category: other}\n",
                    encoding="utf-8")
    call_command("import-org", str(path))
    entry = LogEntry.objects.get(object_repr="命令局")
    assert entry.actor is None and entry.cid.startswith("命令 import-org o.yaml#")


@pytest.mark.django_db
def test_audit_and_login_logs_are_for_office_roles(dept_client, client, leader_user):
    assert dept_client.get(reverse("core:auditlog")).status_code == 403
    assert client_for(leader_user).get(reverse("core:auditlog")).status_code == 403


@pytest.mark.django_db
def test_workbench_shows_registered_todos_for_the_user(staff_client, staff_user):
    def provider(user, scope):
        return [workbench.TodoItem(title=f"待办给{user.username}", url="/x/", kind="测试")] if scope.is_office else []

    workbench.register_todo(provider)
    try:
        page = staff_client.get(reverse("core:workbench")).content.decode()
    finally:
        workbench._todo_providers.remove(provider)
    assert f"待办给{staff_user.username}" in page
    assert "部门档案" in page  # shortcut for every role


@pytest.mark.django_db
def test_notifications_unread_count_read_and_email(staff_client, staff_user, settings):
    notify([staff_user], "请处理问题", body="详情", url="/org/departments/")
    page = staff_client.get(reverse("core:workbench")).content.decode()
    assert "请处理问题" in page and 'id="unread-count">1<' in page
    note = Notification.objects.get()
    response = staff_client.post(reverse("core:notification-read", args=[note.pk]))
    assert response["Location"] == "/org/departments/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert len(mail.outbox) == 0  # e-mail is off unless configured
    settings.LVZHI_EMAIL_ENABLED = True
    staff_user.email = "s@example.org"
    staff_user.save()
    notify([staff_user], "第二条")
    assert len(mail.outbox) == 1 and "第二条" in mail.outbox[0].subject


@pytest.mark.django_db
def test_notifications_of_another_user_are_not_reachable(staff_client, dept_user):
    notify([dept_user], "别人的消息")
    note = Notification.objects.get()
    assert staff_client.post(reverse("core:notification-read", args=[note.pk])).status_code == 404
    assert "别人的消息" not in staff_client.get(reverse("core:notifications")).content.decode()


def test_upload_size_limit_and_content_check(settings):
    settings.LVZHI_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(forms.ValidationError, match="大小超过上限"):
        check_upload(big, {"pdf"})
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an exe")
    with pytest.raises(forms.ValidationError, match="内容与扩展名"):
        check_upload(fake, {"pdf"})
    with pytest.raises(forms.ValidationError, match="类型不受支持"):
        check_upload(SimpleUploadedFile("x.exe", b"MZ"), {"pdf"})
    assert check_upload(SimpleUploadedFile("ok.pdf", b"%PDF-1.4\n%..."), {"pdf"}) == "application/pdf"
    with pytest.raises(forms.ValidationError, match="不是文本"):
        check_upload(SimpleUploadedFile("t.csv", b"a,b\x00\x01"), {"csv"})


@pytest.mark.django_db
def test_files_are_stored_outside_web_root_and_served_only_to_viewers_of_the_owner(settings, dept_a, dept_b):
    stored = StoredFile(name="证据.pdf", size=3, sha256="0" * 64, content_type="application/pdf", owner=dept_a)
    stored.file.save("x", ContentFile(b"%PDF"), save=False)
    stored.save()
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    own = client_for(make_user("own", Role.DEPARTMENT, department=dept_a))
    other = client_for(make_user("other", Role.DEPARTMENT, department=dept_b))
    response = own.get(reverse("core:file", args=[stored.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF"
    assert "attachment" in response["Content-Disposition"]
    assert other.get(reverse("core:file", args=[stored.pk])).status_code == 404
    # There is no direct URL to the stored file.
    assert own.get(settings.MEDIA_URL + stored.file.name).status_code == 404
    assert own.get("/media/" + stored.file.name).status_code == 404


@pytest.mark.django_db
def test_job_progress_page_and_partial(staff_client, staff_user):
    job = Job.objects.create(kind="test", title="导入测试", created_by=staff_user, total=10)
    job.progress(4)
    page = staff_client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "40%" in page and 'hx-trigger="every 1s"' in page
    partial = staff_client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert partial.strip().startswith('<div id="job-progress"')


@pytest.mark.django_db
def test_security_headers(staff_client):
    response = staff_client.get(reverse("core:workbench"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {**os.environ, "LVZHI_SECRET_KEY": "x" * 64 + "production-key-with-enough-entropy-0123456789",
           "LVZHI_DEBUG": "0", "LVZHI_SECURE_COOKIES": "1", "LVZHI_SSL_REDIRECT": "1", "LVZHI_HSTS_SECONDS": "31536000",
           "LVZHI_HSTS_INCLUDE_SUBDOMAINS": "1", "LVZHI_HSTS_PRELOAD": "1",
           "LVZHI_ALLOWED_HOSTS": "lvzhi.example.gov.cn", "LVZHI_VAR_DIR": str(tmp_path)}
    # Every security warning fails the test; other checks must raise no error.
    for args in (["--tag", "security", "--fail-level", "WARNING"], []):
        result = subprocess.run([sys.executable, "-m", "lvzhi.cli", "check", "--deploy", *args],
                                env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_department_directory_ids_include_units_below():
    parent = make_department("P1")
    child = make_department("C1", parent=parent)
    grandchild = make_department("G1", parent=child)
    assert Department.descendant_ids({parent.pk}) == {parent.pk, child.pk, grandchild.pk}


def test_collectstatic_with_production_storage_succeeds(tmp_path):
    """`make run` collects assets with the hashed-manifest storage: every referenced file must exist."""
    env = {**os.environ, "LVZHI_VAR_DIR": str(tmp_path),
           "LVZHI_STATIC_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    result = subprocess.run([sys.executable, "-m", "lvzhi.cli", "collectstatic", "--noinput", "-v", "0"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_date_input_renders_iso_dates_the_browser_can_show():
    import datetime as dt

    from django.utils import translation

    with translation.override("zh-hans"):
        html = DateInput().render("on", dt.date(2026, 6, 20))
    assert 'type="date"' in html and 'value="2026-06-20"' in html
