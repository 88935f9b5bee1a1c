"""The closed loop through real HTTP: office staff and the department liaison, as the pages do it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from lvzhi.core.models import Notification, StoredFile
from lvzhi.testing import login

from .. import states
from ..models import Problem, ProblemEvent, RectificationReport, State
from .factories import load_libraries, make_problem, pdf, problem_type


@pytest.fixture
def setup(db, dept_a, dept_b, staff_user, dept_user):
    load_libraries()
    return dept_a, dept_b, staff_user, dept_user


def act(client, problem, action, **data):
    return client.post(reverse("problems:act", args=[problem.pk]), {"action": action, **data})


def test_full_loop_through_pages(client, setup, django_capture_on_commit_callbacks):
    dept_a, dept_b, staff, liaison = setup
    login(client, staff)
    response = client.post(reverse("problems:create"), {
        "title": "市场监管与城管在占道经营执法上职责交叉", "description": "群众投诉占道经营，两部门互相推诿。",
        "type": problem_type("C3-01").pk, "source": "hotline", "department": dept_a.pk,
        "related_departments": [dept_b.pk], "severity": "medium", "found_on": "2026-09-01",
        "policy_basis": "《示范市城市管理条例》第二十条",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    problem = Problem.objects.get()
    assert problem.state == State.ANALYSIS and problem.number.startswith("WT2026-")

    # A department does not see a problem still in analysis.
    liaison_client = login(client.__class__(), liaison)
    assert liaison_client.get(reverse("problems:detail", args=[problem.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, problem, "issue", days=15, note="请认真整改。")
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.state == State.FEEDBACK and problem.deadline and problem.deadline_days == 15
    assert Notification.objects.filter(recipient=liaison, title__contains="下发整改通知书").exists()
    notice = problem.notices.get()
    assert client.get(reverse("problems:notice", args=[notice.pk])).status_code == 200

    page = liaison_client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert "签收" in page and "验收通过" not in page
    assert act(liaison_client, problem, "acknowledge").status_code == 302
    assert act(liaison_client, problem, "submit_plan", note="一、明确分工；二、联合执法。").status_code == 302
    response = act(liaison_client, problem, "report_completion", note="已签订协作备忘录。", files=[pdf()])
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.state == State.EVALUATION

    assert act(client, problem, "reject", note="佐证材料不足，缺少联合执法记录。").status_code == 302
    problem.refresh_from_db()
    assert problem.state == State.RECTIFICATION and problem.rounds == 1

    act(liaison_client, problem, "report_completion", note="补充联合执法记录 3 份。", files=[pdf("执法记录.pdf")])
    assert act(client, problem, "accept", note="整改到位，予以销号。").status_code == 302
    problem.refresh_from_db()
    assert problem.state == State.CLOSED and problem.closed_at is not None

    actions = list(ProblemEvent.objects.filter(problem=problem).values_list("action", flat=True))
    assert actions == ["create", "issue", "acknowledge", "submit_plan", "report_completion", "reject",
                       "report_completion", "accept"]
    reports = RectificationReport.objects.filter(problem=problem, kind="completion").order_by("pk")
    assert [r.round for r in reports] == [1, 2]
    assert StoredFile.objects.filter(owner_id__in=[str(r.event_id) for r in reports]).count() == 2
    timeline = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    for text in ("下发整改通知书", "签收", "退回整改", "佐证材料不足", "验收通过", "执法记录.pdf"):
        assert text in timeline
    entries = LogEntry.objects.get_for_object(problem)
    assert entries.count() >= 8
    assert set(entries.values_list("actor", flat=True)) == {staff.pk, liaison.pk}


def test_department_user_cannot_take_office_actions(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="evaluation", liaison=liaison)
    login(client, liaison)
    assert act(client, problem, "accept").status_code == 403
    problem.refresh_from_db()
    assert problem.state == State.EVALUATION


def test_office_staff_cannot_acknowledge_for_the_department(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="feedback")
    login(client, staff)
    assert act(client, problem, "acknowledge").status_code == 403


def test_leader_and_hotline_cannot_act(client, setup, leader_user, hotline_user):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="analysis")
    for user in (leader_user, hotline_user):
        login(client, user)
        assert act(client, problem, "issue", days=5).status_code == 403


def test_other_departments_problem_is_not_found(client, setup):
    dept_a, dept_b, staff, liaison = setup
    theirs = make_problem(dept_b, staff, state="feedback")
    login(client, liaison)
    assert client.get(reverse("problems:detail", args=[theirs.pk])).status_code == 404
    assert act(client, theirs, "acknowledge").status_code == 404
    assert theirs.title not in client.get(reverse("problems:ledger")).content.decode()


def test_related_department_sees_but_cannot_act(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_b, staff, state="feedback", related=[dept_a])
    login(client, liaison)
    assert client.get(reverse("problems:detail", args=[problem.pk])).status_code == 200
    assert act(client, problem, "acknowledge").status_code == 403
    problem.refresh_from_db()
    assert problem.state == State.FEEDBACK


def test_illegal_transition_is_refused_and_changes_nothing(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="analysis")
    login(client, staff)
    response = act(client, problem, "accept")
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.state == State.ANALYSIS
    assert not ProblemEvent.objects.filter(problem=problem, action="accept").exists()


def test_note_is_required_where_the_table_says_so(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="evaluation", liaison=liaison)
    login(client, staff)
    response = act(client, problem, "reject", note="")
    assert response.status_code == 400 and "必填" in response.content.decode()
    problem.refresh_from_db()
    assert problem.state == State.EVALUATION


def test_completion_report_needs_evidence(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="rectification", liaison=liaison)
    login(client, liaison)
    response = act(client, problem, "report_completion", note="已整改。")
    assert response.status_code == 400
    assert "佐证材料" in response.content.decode()


def test_extension_requested_and_granted_moves_the_deadline(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="rectification", liaison=liaison)
    old = problem.deadline
    login(client, liaison)
    assert act(client, problem, "request_extension", days=5, note="涉及多部门会商。").status_code == 302
    response = act(client, problem, "request_extension", days=5, note="再申请一次。")
    assert "已有一项延期申请" in response.content.decode()
    login(client, staff)
    assert act(client, problem, "grant_extension", note="同意。").status_code == 302
    problem.refresh_from_db()
    assert problem.deadline > old
    assert problem.extensions.get().status == "granted"


def test_extension_refused_keeps_the_deadline(setup):
    from .. import services

    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="rectification", liaison=liaison)
    old = problem.deadline
    services.request_extension(problem, by=liaison, days=10, note="人手不足。")
    services.refuse_extension(problem, by=staff, note="理由不充分。")
    problem.refresh_from_db()
    assert problem.deadline == old and problem.extensions.get().status == "refused"


def test_withdraw_and_reopen(setup):
    from .. import services

    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="closed", liaison=liaison)
    services.reopen(problem, by=staff, note="群众再次反映。", days=10)
    assert problem.state == State.RECTIFICATION and problem.closed_at is None
    services.withdraw(problem, by=staff, note="经核实不属于该部门职责。")
    assert problem.state == State.WITHDRAWN
    services.reopen(problem, by=staff, note="重新研判。")
    assert problem.state == State.ANALYSIS


@pytest.mark.parametrize("action,state", [
    ("issue", "feedback"), ("acknowledge", "analysis"), ("report_completion", "feedback"), ("accept", "rectification"),
    ("reject", "closed"), ("withdraw", "closed"), ("reopen", "rectification"), ("submit_plan", "evaluation"),
])
def test_state_table_forbids(action, state):
    assert states.find(action, state) is None


def test_state_table_is_complete():
    assert set(states.ACTIONS) == {"issue", "acknowledge", "request_extension", "grant_extension", "refuse_extension",
                                   "submit_plan", "report_progress", "report_completion", "accept", "reject",
                                   "withdraw", "reopen"}
    assert states.find("reopen", "closed").target == "rectification"
    assert states.find("reopen", "withdrawn").target == "analysis"
    assert [t.action for t in states.available("evaluation", states.OFFICE)] == ["accept", "reject", "withdraw"]
    assert states.available("evaluation", states.DEPARTMENT) == []


def test_issue_requires_a_problem_type(setup):
    from .. import services

    dept_a, dept_b, staff, liaison = setup
    problem = services.create_problem(by=staff, title="待分类", description="……", department=dept_a, source="self")
    with pytest.raises(services.TransitionError, match="问题类别和类型"):
        services.issue(problem, by=staff, days=10)


def test_oversight_user_cannot_act(client, setup, oversight_user):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="feedback")
    from .. import services

    services.share(problem, by=staff, body="discipline")
    login(client, oversight_user)
    assert client.get(reverse("problems:detail", args=[problem.pk])).status_code == 200
    assert act(client, problem, "acknowledge").status_code == 403


def test_office_edits_a_problem_and_a_stale_form_is_refused(client, setup):
    dept_a, dept_b, staff, liaison = setup
    problem = make_problem(dept_a, staff, state="feedback")
    login(client, staff)
    url = reverse("problems:edit", args=[problem.pk])
    assert client.get(url).status_code == 200
    data = {"title": "修改后的标题", "description": problem.description, "type": problem.type_id, "source": "hotline",
            "department": dept_a.pk, "severity": "high", "found_on": "2026-09-01", "expected_version": problem.version}
    assert client.post(url, data).status_code == 302
    problem.refresh_from_db()
    assert problem.title == "修改后的标题" and problem.events.filter(action="edit").exists()
    response = client.post(url, {**data, "title": "过时的修改"})
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    login(client, liaison)
    assert client.get(url).status_code == 403
