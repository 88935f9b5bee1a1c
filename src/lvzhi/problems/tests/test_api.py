"""The API: /api/problems/ is scoped like the pages and actions obey the same rules."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from .. import services
from ..models import Problem, State
from .factories import load_libraries, make_problem, pdf


@pytest.fixture
def world(db, dept_a, dept_b, staff_user, dept_user):
    load_libraries()
    return dept_a, dept_b, staff_user, dept_user


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def action_url(problem, name):
    return reverse("problem-action-" + name, args=[problem.pk])


def test_list_is_scoped_to_the_department(world):
    dept_a, dept_b, staff, liaison = world
    mine = make_problem(dept_a, staff, state="feedback")
    make_problem(dept_a, staff, state="analysis")
    theirs = make_problem(dept_b, staff, state="feedback")
    data = api(liaison).get("/api/problems/").json()
    assert [p["number"] for p in data["results"]] == [mine.number]
    assert api(liaison).get(f"/api/problems/{theirs.pk}/").status_code == 404
    assert api(staff).get("/api/problems/").json()["count"] == 3
    assert api(staff).get("/api/problems/", {"state": "analysis"}).json()["count"] == 1
    assert api(staff).get("/api/problems/", {"department": dept_b.pk}).json()["results"][0]["number"] == theirs.number


def test_actions_follow_the_loop_and_the_roles(world):
    dept_a, dept_b, staff, liaison = world
    problem = make_problem(dept_a, staff, state="analysis")
    response = api(liaison).post(action_url(problem, "issue"), {"days": 5})
    assert response.status_code == 404  # not issued yet: the department does not see it
    response = api(staff).post(action_url(problem, "issue"), {"days": 5, "note": "请整改"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.FEEDBACK and response.json()["deadline"]
    assert api(staff).post(action_url(problem, "acknowledge")).status_code == 403
    assert api(liaison).post(action_url(problem, "accept")).status_code == 409
    response = api(liaison).post(action_url(problem, "acknowledge"), format="json")
    assert response.status_code == 200 and "report_completion" in response.json()["actions"]
    response = api(liaison).post(action_url(problem, "report_completion"), {"note": "已完成", "files": [pdf()]},
                                 format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["events"][-1]["files"][0]["name"] == "佐证材料.pdf"
    assert api(liaison).post(action_url(problem, "accept")).status_code == 403
    response = api(staff).post(action_url(problem, "reject"), {}, format="json")
    assert response.status_code == 400 and "note" in response.json()["errors"]
    assert api(staff).post(action_url(problem, "accept"), {"note": "同意销号"}, format="json").status_code == 200
    assert Problem.objects.get(pk=problem.pk).state == State.CLOSED


def test_other_department_cannot_act_through_the_api(world):
    dept_a, dept_b, staff, liaison = world
    theirs = make_problem(dept_b, staff, state="feedback")
    assert api(liaison).post(action_url(theirs, "acknowledge")).status_code == 404
    assert Problem.objects.get(pk=theirs.pk).state == State.FEEDBACK


def test_office_creates_problems_and_departments_cannot(world):
    dept_a, dept_b, staff, liaison = world
    payload = {"title": "三定职责表述过于原则", "description": "……", "type": "C2-03", "source": "mandate_check",
               "department": dept_a.code, "related_departments": [dept_b.code], "found_on": "2026-09-01"}
    response = api(staff).post("/api/problems/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["number"].startswith("WT2026-")
    assert response.json()["related_departments"] == [dept_b.code]
    assert api(liaison).post("/api/problems/", payload, format="json").status_code == 403


def test_oversight_sees_only_shared_problems(world, oversight_user):
    from .. import services

    dept_a, dept_b, staff, liaison = world
    shared = make_problem(dept_a, staff, state="feedback")
    make_problem(dept_b, staff, state="feedback")
    services.share(shared, by=staff, body="discipline")
    data = api(oversight_user).get("/api/problems/").json()
    assert [p["number"] for p in data["results"]] == [shared.number]
    assert api(oversight_user).post(action_url(shared, "acknowledge")).status_code == 404


def test_a_stale_version_is_a_conflict_and_changes_nothing(world):
    dept_a, dept_b, staff, liaison = world
    problem = make_problem(dept_a, staff, state="analysis")
    stale = problem.version
    Problem.objects.filter(pk=problem.pk).update(version=stale + 1)  # somebody else saved meanwhile
    response = api(staff).post(action_url(problem, "issue"), {"days": 5, "expected_version": stale}, format="json")
    assert response.status_code == 409
    assert "已被他人修改" in response.json()["detail"] and response.json()["version"] == stale + 1
    assert Problem.objects.get(pk=problem.pk).state == State.ANALYSIS


def test_office_files_a_problem_about_a_mandate_duty_through_the_api(world):
    from lvzhi.testing import make_mandate

    dept_a, dept_b, staff, liaison = world
    duty = make_mandate(dept_a, duties=("负责市场主体登记注册工作。",)).duties.get()
    payload = {"title": "登记职责未落实", "description": "……", "type": "C2-03", "source": "mandate_check",
               "department": dept_a.code, "found_on": "2026-09-01", "mandate_duty": duty.pk}
    response = api(staff).post("/api/problems/", payload, format="json")
    assert response.status_code == 201, response.content
    problem = Problem.objects.get(number=response.json()["number"])
    assert problem.mandate_duty == duty and response.json()["mandate_duty"] == duty.pk
    response = api(staff).post("/api/problems/", {**payload, "mandate_duty": 999999}, format="json")
    assert response.status_code == 400 and "mandate_duty" in response.json()
    services.issue(problem, by=staff, days=5)
    assert api(liaison).get(f"/api/problems/{problem.pk}/").json()["mandate_duty"] == duty.pk
