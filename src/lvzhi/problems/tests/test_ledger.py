"""The ledger page: filters, saved views, and a query count that does not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.testing import login, make_department

from ..models import SavedView
from .factories import load_libraries, make_problem


@pytest.fixture
def world(db, dept_a, dept_b, staff_user, dept_user):
    load_libraries()
    return dept_a, dept_b, staff_user, dept_user


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_as_problems_grow(client, world):
    dept_a, dept_b, staff, liaison = world
    login(client, staff)
    for i in range(3):
        make_problem(dept_a, staff, state="feedback", related=[dept_b])
    url = reverse("problems:ledger")
    few = count_queries(client, url)
    for i in range(12):
        dept = make_department()
        make_problem(dept, staff, state="feedback", related=[dept_a, dept_b], type_code="C5-03")
    assert count_queries(client, url) == few
    login(client, liaison)
    few = count_queries(client, url)
    make_problem(dept_a, staff, state="rectification", liaison=liaison)
    assert count_queries(client, url) == few


def test_filters_narrow_the_ledger(client, world):
    dept_a, dept_b, staff, liaison = world
    overdue = make_problem(dept_a, staff, state="feedback", title="已逾期的问题")
    overdue.__class__.objects.filter(pk=overdue.pk).update(deadline="2026-01-05")
    make_problem(dept_b, staff, state="analysis", title="分析中的问题", source="survey")
    login(client, staff)
    page = client.get(reverse("problems:ledger"), {"overdue": "true"}).content.decode()
    assert "已逾期的问题" in page and "分析中的问题" not in page
    page = client.get(reverse("problems:ledger"), {"source": "survey"}).content.decode()
    assert "分析中的问题" in page and "已逾期的问题" not in page
    page = client.get(reverse("problems:ledger"), {"involves": dept_b.pk}).content.decode()
    assert "分析中的问题" in page and "已逾期的问题" not in page
    page = client.get(reverse("problems:ledger"), {"q": "逾期"}).content.decode()
    assert "已逾期的问题" in page and "分析中的问题" not in page


def test_saved_views_belong_to_their_user(client, world, staff_user, admin_user):
    login(client, staff_user)
    response = client.post(reverse("problems:view-save"), {"name": "逾期问题", "query": "overdue=true"})
    assert response.status_code == 302
    view = SavedView.objects.get(created_by=staff_user)
    assert "逾期问题" in client.get(reverse("problems:ledger")).content.decode()
    login(client, admin_user)
    assert "逾期问题" not in client.get(reverse("problems:ledger")).content.decode()
    assert client.post(reverse("problems:view-delete", args=[view.pk])).status_code == 404
    login(client, staff_user)
    assert client.post(reverse("problems:view-delete", args=[view.pk])).status_code == 302
    assert not SavedView.objects.exists()


def test_department_filter_choices_are_scoped(client, world):
    dept_a, dept_b, staff, liaison = world
    login(client, liaison)
    page = client.get(reverse("problems:ledger")).content.decode()
    assert dept_a.name in page and dept_b.name not in page


def test_evidence_filter(client, world):
    dept_a, dept_b, staff, liaison = world
    with_files = make_problem(dept_a, staff, state="evaluation", liaison=liaison, title="有佐证的问题")
    make_problem(dept_a, staff, state="feedback", title="没有附件的问题")
    login(client, staff)
    page = client.get(reverse("problems:ledger"), {"has_evidence": "true"}).content.decode()
    assert with_files.title in page and "没有附件的问题" not in page
    page = client.get(reverse("problems:ledger"), {"has_evidence": "false"}).content.decode()
    assert with_files.title not in page and "没有附件的问题" in page


def test_an_invalid_filter_shows_nothing_and_exports_nothing(client, world):
    dept_a, dept_b, staff, liaison = world
    make_problem(dept_a, staff, state="feedback")
    login(client, liaison)
    page = client.get(reverse("problems:ledger"), {"department": dept_b.pk, "state": "bogus"}).content.decode()
    assert "共 0 个" in page and "状态：选择一个有效的选项" in page and "责任部门：" in page
    response = client.get(reverse("problems:ledger-export"), {"state": "bogus"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("problems:ledger") + "?state=bogus")
    assert "筛选条件有误，未导出" in client.get(response["Location"]).content.decode()
