"""The leaders' overview: for leaders and the office, refused to departments, constant queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.org.models import Department
from lvzhi.reform.models import Process, ProcessStep, WorkloadFigure
from lvzhi.reform.overview import overview
from lvzhi.testing import client_for, make_user

pytestmark = pytest.mark.django_db
URL = "/reform/overview/"


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    # A private in-memory cache: clearing it must not touch the shared file cache of var/.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "reform-overview-tests"}}
    cache.clear()
    yield
    cache.clear()


def add_redesign(department, name, days_before, days_after, adopted=True):
    before = Process.objects.create(name=name, department=department,
                                    status=Process.Status.SUPERSEDED if adopted else Process.Status.CURRENT)
    ProcessStep.objects.create(process=before, name="办理", department=department, days=days_before)
    after = Process.objects.create(name=f"{name}（再造后）", department=department, based_on=before,
                                   status=Process.Status.CURRENT if adopted else Process.Status.PROPOSED,
                                   adopted_on="2025-09-01" if adopted else None)
    ProcessStep.objects.create(process=after, name="办理", department=department, days=days_after)
    return after


def test_overview_renders_for_a_leader_with_every_panel(demo_city, leader_user):
    cgj = Department.objects.get(code="CGJ")
    add_redesign(cgj, "案件移送", 52, 24)
    response = client_for(leader_user).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("stars", "problems", "disputes", "adjustments", "processes", "staffing"):
        assert f'id="panel-{key}"' in html
    assert "已采用的方案共压减 28 个工作日" in html
    assert reverse("reform:process-compare", args=[Process.objects.get(name="案件移送（再造后）").pk]) in html
    assert 'type="application/json"' in html and "<script>" not in html
    assert "reform/charts.js" in html
    panels = {p["key"]: p for p in overview(leader_user)}
    staffing = panels["staffing"]["chart"]
    at = staffing["categories"].index("超编配备人员")
    assert staffing["series"][0]["links"][at].endswith("?rule=over_quota")
    assert staffing["series"][0]["data"][at] == 3  # CGJ, WJW and 西关街道


def test_overview_is_refused_to_a_department_user(dept_client):
    assert dept_client.get(URL).status_code == 403


@pytest.mark.parametrize("role", [Role.HOTLINE, Role.OVERSIGHT])
def test_overview_is_refused_to_other_roles(db, role):
    user = make_user(f"o_{role}", role, body="audit" if role == Role.OVERSIGHT else "")
    assert client_for(user).get(URL).status_code == 403


def test_overview_query_count_does_not_grow_with_data(demo_city, staff_user):
    client = client_for(staff_user)
    add_redesign(Department.objects.get(code="CGJ"), "案件移送", 52, 24)
    client.get(URL)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    departments = list(Department.objects.all()[:12])
    for i, dept in enumerate(departments):
        add_redesign(dept, f"流程{i}", 20 + i, 10 + i, adopted=i % 2 == 0)
        WorkloadFigure.objects.create(department=dept, period="2025", indicator="cases", value=100 * (i + 1))
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as cached:
        client.get(URL)
    assert len(cached) < len(large)


def test_cached_overview_is_per_role_scope(demo_city, leader_user, staff_user):
    cgj = Department.objects.get(code="CGJ")
    first = overview(leader_user)
    add_redesign(cgj, "案件移送", 52, 24)
    assert overview(leader_user) == first  # served from the cache for a while
    cache.clear()
    assert overview(staff_user) != first
