"""Finding problems: field visits with the research outline, surveys, and 普遍性问题."""

import datetime as dt

import pytest
from django.urls import reverse

from lvzhi.testing import login, make_department

from .. import services
from ..models import Inspection, PolicyRecommendation, Problem, QuestionnaireTemplate, State, Survey
from .factories import load_libraries, make_problem, problem_type


@pytest.fixture
def world(db, dept_a, dept_b, staff_user, dept_user):
    load_libraries()
    return dept_a, dept_b, staff_user, dept_user


def test_field_visit_with_outline_minutes_and_findings(client, world):
    dept_a, dept_b, staff, liaison = world
    login(client, staff)
    response = client.post(reverse("problems:inspection-create"), {
        "title": "市场监管领域现场调研", "departments": [dept_a.pk], "visit_on": "2026-09-10",
        "participants": "监管科 2 人", "plan": "座谈 + 查阅资料", "status": "planned", "topic_codes": ["T1", "T6"],
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = Inspection.objects.get()
    assert [t["name"] for t in visit.topics] == ["与其他部门的职责边界", "编制人员使用情况"]
    page = client.get(reverse("problems:inspection", args=[visit.pk])).content.decode()
    assert "空编数各是多少" in page
    response = client.post(reverse("problems:inspection-finding", args=[visit.pk]), {
        "title": "内设机构职责交叉", "description": "两个科室都承担广告监管。", "department": dept_a.pk,
        "type": problem_type("C4-01").pk,
    })
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.source, problem.state, problem.inspection_id) == ("inspection", State.ANALYSIS, visit.pk)
    assert problem.found_on == dt.date(2026, 9, 10) and problem.severity == "medium"
    response = client.post(reverse("problems:inspection-finding", args=[visit.pk]), {
        "title": "x", "description": "y", "department": dept_b.pk})
    assert response.status_code == 400  # only departments of the visit


def test_department_sees_visits_about_it_but_cannot_edit(client, world):
    dept_a, dept_b, staff, liaison = world
    mine = Inspection.objects.create(title="甲局调研", visit_on=dt.date(2026, 9, 1))
    mine.departments.set([dept_a])
    theirs = Inspection.objects.create(title="乙局调研", visit_on=dt.date(2026, 9, 1))
    theirs.departments.set([dept_b])
    login(client, liaison)
    page = client.get(reverse("problems:inspections")).content.decode()
    assert "甲局调研" in page and "乙局调研" not in page
    assert client.get(reverse("problems:inspection-edit", args=[mine.pk])).status_code == 403


def make_survey(departments):
    template = QuestionnaireTemplate.objects.get(code="Q-PUBLIC")
    survey = Survey.objects.create(title="办事群众满意度调查", template=template, questions=template.questions)
    survey.departments.set(departments)
    return survey


def test_survey_typed_in_satisfaction_and_low_score_problem(client, world):
    dept_a, dept_b, staff, liaison = world
    survey = make_survey([dept_a, dept_b])
    login(client, staff)
    for q4, dept in ((1, dept_a), (2, dept_a), (5, dept_b)):
        data = {"department": dept.pk, "respondent": "", "q_Q1": 4, "q_Q4": q4, "q_Q7": "跑了三个窗口"}
        assert client.post(reverse("problems:survey-response", args=[survey.pk]), data).status_code == 302
    cells, by_dept = services.satisfaction(survey)
    assert cells[(dept_a.pk, "Q4")][0] == 1.5 and cells[(dept_b.pk, "Q4")][0] == 5
    assert [(d, q) for d, q, *_ in services.low_scores(survey)] == [(dept_a.pk, "Q4")]
    page = client.get(reverse("problems:survey", args=[survey.pk])).content.decode()
    assert "1.50" in page and "table-danger" in page
    response = client.post(reverse("problems:survey-low-score", args=[survey.pk]),
                           {"department": dept_a.pk, "question": "Q4", "type": problem_type("C5-06").pk})
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert problem.source == "survey" and problem.survey_id == survey.pk and "1.50" in problem.description
    response = client.post(reverse("problems:survey-low-score", args=[survey.pk]),
                           {"department": dept_b.pk, "question": "Q4"})
    assert Problem.objects.count() == 1  # not below the threshold


def test_department_sees_only_responses_about_itself(client, world):
    dept_a, dept_b, staff, liaison = world
    survey = make_survey([dept_a, dept_b])
    services.save_response(survey, by=staff, department=dept_a, answers={"Q1": 5}, respondent="甲的受访者")
    services.save_response(survey, by=staff, department=dept_b, answers={"Q1": 1}, respondent="乙的受访者")
    login(client, liaison)
    page = client.get(reverse("problems:survey", args=[survey.pk])).content.decode()
    assert dept_a.label in page and dept_b.label not in page


def test_common_problem_across_three_departments(client, world):
    dept_a, dept_b, staff, liaison = world
    dept_c = make_department("DEPTC", "丙测试局")
    for dept in (dept_a, dept_b, dept_c):
        make_problem(dept, staff, type_code="C5-03", title="热线工单超期", found_on=dt.date(2026, 3, 1))
    make_problem(dept_a, staff, type_code="C8-02", found_on=dt.date(2026, 3, 1))
    make_problem(dept_b, staff, type_code="C8-02", found_on=dt.date(2026, 3, 1))
    groups = services.common_problems(Problem.objects.all(), dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert [(code, n) for code, name, n, members in groups] == [("C5-03", 3)]
    assert services.common_problems(Problem.objects.all(), dt.date(2026, 4, 1), dt.date(2026, 6, 30)) == []
    login(client, staff)
    url = reverse("problems:common") + "?start=2026-01-01&end=2026-06-30"
    assert "热线工单办理超期率偏高" in client.get(url).content.decode()
    response = client.post(reverse("problems:common"), {"type_code": "C5-03", "start": "2026-01-01",
                                                         "end": "2026-06-30", "text": "建立热线工单超期预警和督办机制。"})
    assert response.status_code == 302
    rec = PolicyRecommendation.objects.get()
    assert rec.problems.count() == 3
    member = rec.problems.first()
    assert "建立热线工单超期预警" in client.get(member.get_absolute_url()).content.decode()  # on its timeline
    response = client.post(reverse("problems:common"), {"type_code": "C8-02", "start": "2026-01-01",
                                                         "end": "2026-06-30", "text": "……"})
    assert PolicyRecommendation.objects.count() == 1
    login(client, liaison)
    assert client.get(url).status_code == 403
