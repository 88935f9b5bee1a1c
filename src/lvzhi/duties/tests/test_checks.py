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
        record = checks.follow_up(staff_user, check, "test-problem")
        check.refresh_from_db()
        assert made == [check] and check.followup == record
        with pytest.raises(ValidationError):
            checks.follow_up(staff_user, check, "test-problem")  # only once
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
