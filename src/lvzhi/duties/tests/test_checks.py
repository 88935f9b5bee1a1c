"""职责任务清单 and 三定执行检查: tasks, a quarter's checks, review, evidence, coverage, follow-ups."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvzhi.core.models import StoredFile
from lvzhi.core.roles import Role
from lvzhi.duties.models import DutyTask, MandateCheck, current_period, period_end, period_label, valid_period
from lvzhi.duties.services import checks
from lvzhi.testing import login, make_mandate, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def duties(dept_a):
    mandate = make_mandate(dept_a, duties=("负责甲。", "负责乙。", "负责丙。"))
    return list(mandate.duties.order_by("number"))


def test_periods():
    assert valid_period("2026Q3") and valid_period("2026H2") and valid_period("2026")
    assert not valid_period("2026Q5") and not valid_period("26Q1")
    assert period_label("2026Q3") == "2026年第3季度" and period_label("2026H1") == "2026年上半年"
    assert str(period_end("2026Q1")) == "2026-03-31" and str(period_end("2026Q4")) == "2026-12-31"
    assert current_period(__import__("datetime").date(2026, 8, 1)) == "2026Q3"


def test_liaison_breaks_a_duty_into_tasks_and_reports_a_quarter(client, duties, dept_user, staff_user):
    login(client, dept_user)
    response = client.post(reverse("duties:task-create", args=[duties[0].pk]),
                           {"text": "制定年度工作要点", "standard": "3月底前印发", "active": "on"})
    assert response.status_code == 302
    task = DutyTask.objects.get()
    sheet = client.get(reverse("duties:check-sheet") + "?period=2026Q3").content.decode()
    assert "制定年度工作要点" in sheet and "负责乙。" in sheet
    client.post(reverse("duties:check-start"), {"duty": duties[0].pk, "task": task.pk, "period": "2026Q3"})
    check = MandateCheck.objects.get()
    assert check.task == task and check.status == "draft"
    client.post(reverse("duties:check-edit", args=[check.pk]),
                {"result": "partly", "narrative": "", "expected_version": check.version, "submit": "1"})
    check.refresh_from_db()
    assert check.status == "draft"  # partly fulfilled needs a narrative
    client.post(reverse("duties:check-evidence", args=[check.pk]),
                {"file": SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")})
    assert checks.evidence(check).get().name == "会议纪要.pdf"
    client.post(reverse("duties:check-edit", args=[check.pk]),
                {"result": "partly", "narrative": "完成大部分。", "expected_version": check.version, "submit": "1"})
    check.refresh_from_db()
    assert check.status == "submitted" and check.result == "partly"

    login(client, staff_user)
    client.post(reverse("duties:check-action", args=[check.pk]), {"action": "return", "note": "请补充数据"})
    check.refresh_from_db()
    assert check.status == "returned" and check.review_note == "请补充数据"
    checks.transition(dept_user, check, "submit")
    client.post(reverse("duties:check-action", args=[check.pk]), {"action": "accept", "note": ""})
    check.refresh_from_db()
    assert check.status == "accepted" and check.reviewed_by == staff_user
    assert check.needs_followup


def test_a_liaison_cannot_review_or_change_a_submitted_check(duties, dept_user):
    check = checks.open_check(dept_user, duties[1], "2026Q3")
    checks.save_check(dept_user, check, "fulfilled", "")
    checks.transition(dept_user, check, "submit")
    with pytest.raises(PermissionDenied):
        checks.transition(dept_user, check, "accept")
    with pytest.raises(ValidationError):
        checks.save_check(dept_user, check, "not_fulfilled", "改")
    with pytest.raises(ValidationError):
        checks.open_check(dept_user, duties[1], "2026Q9")


def test_coverage_share_fulfilled_and_duties_never_reported(duties, dept_a, staff_user, dept_user):
    task = checks.save_task(dept_user, duties[0], {"text": "任务", "standard": "", "unit": None, "active": True})
    for duty, task_, result in [(duties[0], task, "fulfilled"), (duties[1], None, "not_fulfilled")]:
        check = checks.open_check(dept_user, duty, "2026Q2", task_)
        checks.save_check(dept_user, check, result, "说明")
        checks.transition(dept_user, check, "submit")
    checks.open_check(dept_user, duties[2], "2026Q2")  # a draft does not count
    [row] = checks.coverage(staff_user, "2026Q2")
    assert (row.duties, row.reported, row.checks, row.fulfilled, row.applicable) == (3, 2, 2, 1, 2)
    assert row.coverage == pytest.approx(2 / 3) and row.fulfilled_share == 0.5
    assert [n for n, _ in row.never_reported] == [3]
    assert checks.coverage(staff_user, "2026Q3")[0].reported == 0


def test_followup_registry_turns_a_partly_fulfilled_check_into_a_record(duties, staff_user, dept_user):
    made = []

    def to_problem(check, user):
        made.append(check)
        return StoredFile.objects.create(name=f"问题：{check}", size=0, sha256="0" * 64, content_type="text/plain")

    checks.register_check_followup("test-problem", "转为问题", to_problem)
    try:
        check = checks.open_check(dept_user, duties[0], "2026Q1")
        checks.save_check(dept_user, check, "partly", "未完成")
        checks.transition(dept_user, check, "submit")
        with pytest.raises(ValidationError):
            checks.follow_up(staff_user, check, "test-problem")  # not yet accepted
        checks.transition(staff_user, check, "accept")
        with pytest.raises(PermissionDenied):
            checks.follow_up(dept_user, check, "test-problem")
        record, created = checks.follow_up(staff_user, check, "test-problem")
        check.refresh_from_db()
        assert created and made == [check] and check.followup == record
        assert checks.follow_up(staff_user, check, "test-problem") == (record, False)  # links, never twice
        assert made == [check]
    finally:
        checks.check_followups.pop("test-problem")


def test_liaison_cannot_see_or_change_another_departments_tasks_and_checks(client, duties, dept_b, dept_user):
    other = make_mandate(dept_b, duties=("乙的职责。",)).duties.get()
    liaison_b = make_user("liaison_b", Role.DEPARTMENT, department=dept_b)
    task = checks.save_task(liaison_b, other, {"text": "乙的任务", "standard": "", "unit": None, "active": True})
    check = checks.open_check(liaison_b, other, "2026Q3")
    login(client, dept_user)
    assert client.get(reverse("duties:department-tasks", args=[dept_b.code])).status_code == 404
    assert client.get(reverse("duties:task-create", args=[other.pk])).status_code == 404
    assert client.get(reverse("duties:task-edit", args=[task.pk])).status_code == 404
    assert client.get(reverse("duties:check", args=[check.pk])).status_code == 404
    assert client.post(reverse("duties:check-edit", args=[check.pk]), {"result": "fulfilled"}).status_code == 404
    assert client.post(reverse("duties:check-start"), {"duty": other.pk, "period": "2026Q3"}).status_code == 404
    assert client.get(reverse("duties:check-sheet") + f"?department={dept_b.code}").status_code == 404
    assert "乙的任务" not in client.get(reverse("duties:tasks")).content.decode()
    with pytest.raises(PermissionDenied):
        checks.save_task(dept_user, other, {"text": "越权", "standard": "", "unit": None, "active": True})


def test_stats_page_shows_each_visible_department(client, duties, staff_user, dept_user):
    check = checks.open_check(dept_user, duties[0], "2026Q3")
    checks.save_check(dept_user, check, "fulfilled", "")
    checks.transition(dept_user, check, "submit")
    login(client, staff_user)
    page = client.get(reverse("duties:check-stats") + "?period=2026Q3").content.decode()
    assert "甲测试局" in page and "33%" in page


def accepted_check(duty, dept_user, staff_user, result="partly", task=None, period="2026Q2"):
    check = checks.open_check(dept_user, duty, period, task)
    checks.save_check(dept_user, check, result, "季度目标完成六成，跨部门数据尚未共享。")
    checks.transition(dept_user, check, "submit")
    return checks.transition(staff_user, check, "accept", "情况属实")


def test_office_turns_a_partly_fulfilled_check_into_a_problem_once(client, duties, staff_user, dept_user):
    from lvzhi.problems.links import problems_about
    from lvzhi.problems.models import Problem

    check = accepted_check(duties[1], dept_user, staff_user)
    url = reverse("duties:check", args=[check.pk])
    followup = reverse("duties:check-followup", args=[check.pk])
    login(client, dept_user)
    assert "转为问题" not in client.get(url).content.decode()
    assert client.post(followup, {"key": "problem"}).status_code == 403
    assert not Problem.objects.exists()

    login(client, staff_user)
    page = client.get(url).content.decode()
    assert 'id="check-followups"' in page and "转为问题" in page
    response = client.post(followup, {"key": "problem"})
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == problem.get_absolute_url()
    assert (problem.source, problem.state, problem.department, problem.mandate_duty) == (
        "mandate_check", "analysis", duties[1].mandate.department, duties[1])
    assert "主要职责第2项" in problem.title and "部分履行" in problem.title
    assert "负责乙。" in problem.description and "跨部门数据尚未共享" in problem.description
    assert list(problems_about(check)) == [problem]
    check.refresh_from_db()
    assert check.followup == problem
    page = client.get(url).content.decode()
    assert 'id="check-followups"' not in page and "已转为问题" in page and problem.get_absolute_url() in page
    # Asking again leads to the same problem.
    assert client.post(followup, {"key": "problem"})["Location"] == problem.get_absolute_url()
    assert Problem.objects.count() == 1
    # The problem points back at the check.
    assert url in client.get(problem.get_absolute_url()).content.decode()
    # The department does not see a problem the office has not issued yet.
    login(client, dept_user)
    assert problem.title not in client.get(url).content.decode()


def test_problem_from_check_service_rules(duties, staff_user, dept_user):
    from lvzhi.problems.models import Problem
    from lvzhi.problems.services.mandate_checks import problem_from_check

    fulfilled = accepted_check(duties[0], dept_user, staff_user, result="fulfilled")
    with pytest.raises(ValidationError):
        problem_from_check(fulfilled, staff_user)
    task = checks.save_task(dept_user, duties[2], {"text": "建立联席会议制度", "standard": "每季度召开一次",
                                                   "unit": None, "active": True})
    check = accepted_check(duties[2], dept_user, staff_user, result="not_fulfilled", task=task)
    with pytest.raises(PermissionDenied):
        problem_from_check(check, dept_user)
    with pytest.raises(PermissionDenied):
        checks.follow_up(dept_user, check, "problem")
    problem = problem_from_check(check, staff_user)
    assert "建立联席会议制度" in problem.title and "未履行" in problem.title
    assert "完成标准：每季度召开一次" in problem.description
    assert problem_from_check(check, staff_user) == problem  # linked already: no second problem
    assert checks.follow_up(staff_user, check, "problem")[0] == problem  # the check now records it
    check.refresh_from_db()
    assert check.followup == problem and Problem.objects.count() == 1
    submitted = checks.open_check(dept_user, duties[0], "2026Q3")
    checks.save_check(dept_user, submitted, "partly", "说明")
    checks.transition(dept_user, submitted, "submit")
    with pytest.raises(ValidationError):
        checks.follow_up(staff_user, submitted, "problem")  # not reviewed yet
