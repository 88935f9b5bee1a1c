"""Test factories and fixtures shared by every app's tests (loaded by the root conftest)."""

import itertools
import os
import shutil

import pytest

from lvzhi.core.roles import Role

PASSWORD = "Test-pass-2026"
_seq = itertools.count(1)


def make_department(code=None, name=None, **kwargs):
    from lvzhi.org.models import Department

    n = next(_seq)
    code = code or f"D{n:03d}"
    return Department.objects.create(code=code, name=name or f"测试部门{code}", **kwargs)


def make_mandate(department, duties=("负责测试工作。",), **kwargs):
    from lvzhi.org.models import Mandate, MandateDuty

    mandate = Mandate.objects.create(department=department, title=f"{department.name}三定规定", **kwargs)
    for i, text in enumerate(duties, 1):
        MandateDuty.objects.create(mandate=mandate, number=i, text=text)
    return mandate


def make_user(username=None, role=Role.OFFICE_STAFF, department=None, body=""):
    from lvzhi.accounts.models import RoleAssignment, User

    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    RoleAssignment.objects.create(user=user, role=role, department=department, body=body)
    return user


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def dept_a(db):
    return make_department("DEPTA", "甲测试局")


@pytest.fixture
def dept_b(db):
    return make_department("DEPTB", "乙测试局")


@pytest.fixture
def admin_user(db):
    return make_user("t_admin", Role.OFFICE_ADMIN)


@pytest.fixture
def staff_user(db):
    return make_user("t_staff", Role.OFFICE_STAFF)


@pytest.fixture
def leader_user(db):
    return make_user("t_leader", Role.LEADER)


@pytest.fixture
def dept_user(dept_a):
    return make_user("t_dept_a", Role.DEPARTMENT, department=dept_a)


@pytest.fixture
def hotline_user(db):
    return make_user("t_hotline", Role.HOTLINE)


@pytest.fixture
def oversight_user(db):
    return make_user("t_oversight", Role.OVERSIGHT, body="discipline")


def client_for(user):
    from django.test import Client

    return login(Client(), user)


@pytest.fixture
def admin_client(admin_user):
    return client_for(admin_user)


@pytest.fixture
def staff_client(staff_user):
    return client_for(staff_user)


@pytest.fixture
def dept_client(dept_user):
    return client_for(dept_user)


@pytest.fixture
def demo_city(db):
    """The demo city loaded through the importer, as `lvzhi demo` does."""
    from lvzhi.core.libraries import library_path
    from lvzhi.org.interchange import import_org_path

    import_org_path(library_path("demo_city.yaml"))


@pytest.fixture(autouse=True)
def clear_cache():
    """The cache outlives the test database (job progress, dashboards): start every test empty."""
    from django.core.cache import cache

    cache.clear()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    """A page in Debian's chromium driven by Playwright (no browser download), in Chinese."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def browser_login(page, base_url, user):
    """Sign ``user`` in through the login form (users from ``make_user`` have ``PASSWORD``)."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
