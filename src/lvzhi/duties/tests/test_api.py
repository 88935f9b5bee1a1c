"""API of the three lists: /api/power-items/, /api/power-lists/, /api/adjustments/, /api/matters/,
/api/duty-tasks/, /api/mandate-checks/ — scoped like the pages."""

import pytest
from rest_framework.test import APIClient

from lvzhi.duties.models import PowerType
from lvzhi.duties.services import adjustments, checks
from lvzhi.testing import make_mandate

from .factories import make_matter, make_power_list


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def data(dept_a, dept_b, staff_user):
    for dep, name in ((dept_a, "甲"), (dept_b, "乙")):
        power_list, _ = make_power_list(dep, [(f"XK-{name}", f"{name}的许可", PowerType.LICENSING, "《条例》")])
        adjustments.save_adjustment(staff_user, power_list, {
            "kind": "add", "item_code": "CF-9", "type": "penalty", "name": f"{name}的调整", "basis": "《条例》",
            "reason": "理由", "legal_basis": "依据"})
        duty = make_mandate(dep, duties=(f"{name}的职责。",)).duties.get()
        task = checks.save_task(staff_user, duty, {"text": f"{name}的任务", "standard": "", "unit": None, "active": True})
        checks.open_check(staff_user, duty, "2026Q3", task)
        make_matter(f"M-{dep.code}", dep, name=f"{name}的事项")


ENDPOINTS = ["/api/power-items/", "/api/power-lists/", "/api/adjustments/", "/api/matters/", "/api/duty-tasks/",
             "/api/mandate-checks/"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_office_sees_both_departments_liaison_only_its_own(data, staff_user, dept_user, url):
    assert api_for(staff_user).get(url).json()["count"] == 2
    mine = api_for(dept_user).get(url).json()
    assert mine["count"] == 1
    assert "乙" not in str(mine["results"])


def test_power_items_filter_by_department_type_and_current(data, staff_user):
    api = api_for(staff_user)
    rows = api.get("/api/power-items/", {"department": "DEPTA", "current": "true", "type": "licensing"}).json()
    assert [r["name"] for r in rows["results"]] == ["甲的许可"]
    assert rows["results"][0]["type_label"] == "行政许可"
    editions = api.get("/api/power-lists/", {"power_list__department__code": "DEPTB"}).json()["results"]
    assert editions[0]["items"] == 1 and editions[0]["is_current"]


def test_liaison_cannot_read_another_departments_record(data, dept_user, staff_user):
    other = api_for(staff_user).get("/api/mandate-checks/", {"department__code": "DEPTB"}).json()["results"][0]
    assert api_for(dept_user).get(f"/api/mandate-checks/{other['id']}/").status_code == 404
    assert api_for(dept_user).get("/api/matters/M-DEPTB/").status_code == 404
    assert api_for(dept_user).get("/api/matters/M-DEPTA/").json()["links"][0]["points"][0]["lead"] == "DEPTA"


def test_api_is_read_only(data, staff_user):
    assert api_for(staff_user).post("/api/power-items/", {}).status_code == 405
