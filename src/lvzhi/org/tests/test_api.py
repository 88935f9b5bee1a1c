"""/api/departments/: scoped like the pages, session and token auth."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lvzhi.core.roles import Role
from lvzhi.org.models import Department
from lvzhi.testing import make_user


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_office_lists_all_departments_paginated_and_filtered(staff_user, demo_city):
    api = api_for(staff_user)
    data = api.get("/api/departments/").json()
    assert data["count"] == Department.objects.count()
    data = api.get("/api/departments/", {"category": "public_service", "assessed": "true"}).json()
    assert {d["code"] for d in data["results"]} == {"SPJ", "RSJ", "WJW", "JTYJ"}
    data = api.get("/api/departments/", {"parent": "DCQ"}).json()
    assert {d["code"] for d in data["results"]} >= {"JD-DONGGUAN", "Z-HEKOU"}
    data = api.get("/api/departments/", {"search": "公安"}).json()
    assert [d["code"] for d in data["results"]] == ["GAJ"]


@pytest.mark.django_db
def test_detail_has_mandate_units_and_staffing(staff_user, demo_city):
    data = api_for(staff_user).get("/api/departments/CGJ/").json()
    assert data["mandate"]["duties"][0]["number"] == 1
    assert data["mandate"]["boundaries"][0]["others"]
    assert data["mandate"]["units"][0]["name"]
    rows = {r["type"]: r for r in data["staffing"]["rows"]}
    assert rows["administrative"]["over"] > 0


@pytest.mark.django_db
def test_department_user_api_sees_only_own_department(demo_city):
    user = make_user("api_dept", Role.DEPARTMENT, department=Department.objects.get(code="RSJ"))
    api = api_for(user)
    codes = {d["code"] for d in api.get("/api/departments/").json()["results"]}
    assert codes == {"RSJ"}
    assert api.get("/api/departments/SCJGJ/").status_code == 404
    assert api.get("/api/departments/RSJ/").status_code == 200


@pytest.mark.django_db
def test_hotline_sees_directory_but_no_mandate_or_staffing(demo_city, hotline_user):
    api = api_for(hotline_user)
    assert api.get("/api/departments/").json()["count"] == Department.objects.count()
    data = api.get("/api/departments/SCJGJ/").json()
    assert data["staffing"] is None


@pytest.mark.django_db
def test_token_auth_and_anonymous_refused(demo_city, staff_user, capsys):
    assert APIClient().get("/api/departments/").status_code in (401, 403)
    call_command("token", staff_user.username)
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=staff_user).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/departments/").status_code == 200


@pytest.mark.django_db
def test_api_is_read_only(staff_user, demo_city):
    api = api_for(staff_user)
    assert api.post("/api/departments/", {"code": "X"}).status_code == 405
    assert api.delete("/api/departments/FGW/").status_code == 405


@pytest.mark.django_db
def test_schema_and_docs_are_served_locally(staff_client):
    assert staff_client.get("/api/schema/").status_code == 200
    page = staff_client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower()
