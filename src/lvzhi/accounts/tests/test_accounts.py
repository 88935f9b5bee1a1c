"""Sign-in, lockout, password hashing, user and role management, login log, CLI."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.core.roles import Role
from lvzhi.testing import PASSWORD, make_user


@pytest.mark.django_db
def test_sign_in_lands_on_workbench_and_password_is_argon2(client, staff_user):
    assert staff_user.password.startswith("argon2")
    page = client.get(reverse("accounts:login")).content.decode()
    assert "登录" in page
    response = client.post(reverse("accounts:login"), {"username": staff_user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:workbench")
    assert "工作台" in client.get(response["Location"]).content.decode()
    assert AccessLog.objects.filter(username=staff_user.username).exists()


@pytest.mark.django_db
def test_wrong_password_message_and_lockout_after_repeated_failures(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = client.post(reverse("accounts:login"), {"username": staff_user.username, "password": "wrong"}).content.decode()
        assert "用户名或密码错误" in page
    response = client.post(reverse("accounts:login"), {"username": staff_user.username, "password": "wrong"})
    assert response.status_code == 429 and "锁定" in response.content.decode()
    response = client.post(reverse("accounts:login"), {"username": staff_user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username=staff_user.username).exists()


@pytest.mark.django_db
def test_pages_require_sign_in(client):
    response = client.get(reverse("org:departments"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.django_db
def test_admin_creates_user_with_department_role(admin_client, dept_a):
    response = admin_client.post(reverse("accounts:user-create"), {
        "username": "newliaison", "display_name": "新联络员", "email": "", "phone": "", "is_active": "on",
        "password": "Another-pass-77",
        "role_assignments-TOTAL_FORMS": 1, "role_assignments-INITIAL_FORMS": 0,
        "role_assignments-0-role": "department", "role_assignments-0-department": dept_a.pk,
        "role_assignments-0-body": "",
    })
    assert response.status_code == 302
    user = User.objects.get(username="newliaison")
    assert user.check_password("Another-pass-77")
    assert list(user.role_assignments.values_list("role", "department__code")) == [("department", dept_a.code)]


@pytest.mark.django_db
def test_role_assignment_rules_are_enforced(admin_client):
    response = admin_client.post(reverse("accounts:user-create"), {
        "username": "bad", "password": "Another-pass-77", "is_active": "on",
        "role_assignments-TOTAL_FORMS": 1, "role_assignments-INITIAL_FORMS": 0,
        "role_assignments-0-role": "department", "role_assignments-0-department": "", "role_assignments-0-body": "",
    })
    assert response.status_code == 400
    assert "部门联络员必须指定所属部门" in response.content.decode()
    assert not User.objects.filter(username="bad").exists()


@pytest.mark.django_db
def test_weak_password_is_refused(admin_client):
    response = admin_client.post(reverse("accounts:user-create"), {
        "username": "weak", "password": "12345678", "is_active": "on",
        "role_assignments-TOTAL_FORMS": 0, "role_assignments-INITIAL_FORMS": 0})
    assert response.status_code == 400 and not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.LEADER, Role.DEPARTMENT, Role.HOTLINE, Role.OVERSIGHT])
def test_only_office_admin_manages_users(role, dept_a):
    user = make_user(f"u_{role}", role, department=dept_a if role == Role.DEPARTMENT else None,
                     body="audit" if role == Role.OVERSIGHT else "")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.post(reverse("accounts:user-create"), {"username": "x"}).status_code == 403


@pytest.mark.django_db
def test_login_log_for_office_roles_only(staff_client, dept_client):
    assert staff_client.get(reverse("accounts:login-log")).status_code == 200
    assert dept_client.get(reverse("accounts:login-log")).status_code == 403


@pytest.mark.django_db
def test_adduser_command(dept_a, capsys):
    call_command("adduser", "cli_user", "--role", "department", "--department", dept_a.code, "--password", "Cli-pass-2026")
    user = User.objects.get(username="cli_user")
    assert user.check_password("Cli-pass-2026")
    assert RoleAssignment.objects.get(user=user).department == dept_a
    with pytest.raises(CommandError, match="必须用 --department"):
        call_command("adduser", "x", "--role", "department", "--password", "Cli-pass-2026")
    with pytest.raises(CommandError, match="不存在"):
        call_command("adduser", "x", "--role", "department", "--department", "NOPE", "--password", "Cli-pass-2026")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("adduser", "y", "--role", "leader", "--password", "123")
    assert not User.objects.filter(username__in=["x", "y"]).exists()


@pytest.mark.django_db
def test_token_command_unknown_user():
    with pytest.raises(CommandError):
        call_command("token", "nobody")
