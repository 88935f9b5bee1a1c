"""Sharing with 纪检监察, 巡察 and 审计 bodies, and their clues landing in the office's 分析 queue."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.testing import login, make_user

from .. import services
from ..models import Clue, Problem, ProblemShare, State
from .factories import load_libraries, make_problem, pdf


@pytest.fixture
def world(db, dept_a, dept_b, staff_user, dept_user, oversight_user):
    load_libraries()
    return dept_a, dept_b, staff_user, dept_user, oversight_user


def test_oversight_user_sees_only_what_is_shared_with_its_body(client, world):
    dept_a, dept_b, staff, liaison, jiwei = world
    shared = make_problem(dept_a, staff, state="feedback", title="共享给纪委的问题")
    audit_only = make_problem(dept_b, staff, state="feedback", title="只共享给审计的问题")
    make_problem(dept_b, staff, state="feedback", title="未共享的问题")
    services.share(shared, by=staff, body="discipline", note="涉及违规用编")
    services.share(audit_only, by=staff, body="audit")
    login(client, jiwei)
    page = client.get(reverse("problems:ledger")).content.decode()
    assert "共享给纪委的问题" in page and "只共享给审计的问题" not in page and "未共享的问题" not in page
    assert client.get(reverse("problems:detail", args=[audit_only.pk])).status_code == 404
    detail = client.get(reverse("problems:detail", args=[shared.pk])).content.decode()
    assert "共享给纪委的问题" in detail and "共享给监督机关" not in detail  # internal events hidden
    services.unshare(shared, by=staff, body="discipline")
    assert client.get(reverse("problems:detail", args=[shared.pk])).status_code == 404


def test_department_never_sees_sharing(client, world):
    dept_a, dept_b, staff, liaison, jiwei = world
    problem = make_problem(dept_a, staff, state="feedback")
    services.share(problem, by=staff, body="discipline", note="纪委关注")
    login(client, liaison)
    page = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert "纪委关注" not in page and "共享给监督机关" not in page and "信息共享" not in page
    assert client.get(reverse("problems:clues")).status_code == 403


def test_clue_lands_in_analysis_and_links_both_ways(client, world, django_capture_on_commit_callbacks):
    dept_a, dept_b, staff, liaison, jiwei = world
    login(client, jiwei)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("problems:clue-create"), {
            "title": "涉嫌超编进人线索", "description": "以劳务派遣名义使用人员从事在编岗位工作。",
            "department": dept_a.pk, "files": [pdf("线索材料.pdf")]})
    assert response.status_code == 302
    clue = Clue.objects.get()
    problem = clue.problem
    assert (problem.state, problem.source, clue.body) == (State.ANALYSIS, "discipline", "discipline")
    assert ProblemShare.objects.filter(problem=problem, body="discipline").exists()
    assert staff.notifications.filter(title__contains="涉嫌超编进人线索").exists()
    assert client.get(reverse("problems:detail", args=[problem.pk])).status_code == 200
    assert "线索材料.pdf" in client.get(reverse("problems:clue", args=[clue.pk])).content.decode()
    login(client, staff)
    detail = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert "来源线索" in detail and "涉嫌超编进人线索" in detail
    login(client, liaison)
    assert client.get(reverse("problems:detail", args=[problem.pk])).status_code == 404  # still in analysis
    assert client.get(reverse("problems:clue", args=[clue.pk])).status_code == 403


def test_other_body_does_not_see_the_clue(client, world):
    dept_a, dept_b, staff, liaison, jiwei = world
    clue = services.register_clue(by=jiwei, title="线索", description="……", department=dept_a)
    auditor = make_user("auditor", Role.OVERSIGHT, body="audit")
    login(client, auditor)
    assert client.get(reverse("problems:clue", args=[clue.pk])).status_code == 404
    assert client.get(reverse("problems:detail", args=[clue.problem_id])).status_code == 404


def test_clue_about_a_problem_must_be_shared_with_the_body(world):
    dept_a, dept_b, staff, liaison, jiwei = world
    unshared = make_problem(dept_a, staff, state="feedback")
    with pytest.raises(PermissionDenied, match="只能关联已共享"):
        services.register_clue(by=jiwei, title="x", description="y", department=dept_a, about=unshared)
    services.share(unshared, by=staff, body="discipline")
    clue = services.register_clue(by=jiwei, title="后续线索", description="y", department=dept_a, about=unshared)
    assert list(unshared.follow_up_clues.all()) == [clue]
    assert Problem.objects.count() == 2


def test_only_office_shares(world):
    dept_a, dept_b, staff, liaison, jiwei = world
    problem = make_problem(dept_a, staff, state="feedback")
    with pytest.raises(PermissionDenied):
        services.share(problem, by=liaison, body="discipline")


def test_follow_up_clue_shows_on_the_original_problem_for_office_not_department(client, world):
    dept_a, dept_b, staff, liaison, jiwei = world
    original = make_problem(dept_a, staff, state="rectification", liaison=liaison)
    services.share(original, by=staff, body="discipline")
    services.register_clue(by=jiwei, title="整改期间仍有推诿", description="群众再次反映。", department=dept_a,
                           about=original)
    login(client, staff)
    page = client.get(original.get_absolute_url()).content.decode()
    assert "监督机关就此问题登记的后续线索" in page and "整改期间仍有推诿" in page
    assert "纪检监察就本问题登记后续线索" in page  # on the timeline
    login(client, liaison)
    page = client.get(original.get_absolute_url()).content.decode()
    assert "整改期间仍有推诿" not in page
