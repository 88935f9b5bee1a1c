"""Pages: every role gets the pages it may open, lists keep a constant number of queries, a
department sees only its own tickets, and the alias page links unmatched names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.testing import client_for, make_department, make_user

from ..models import Dispute
from .factories import make_return, make_ticket

PAGES = ["hotline:tickets", "hotline:disputes", "hotline:indicators", "hotline:returns", "hotline:topics",
         "hotline:dispatch-rules"]
HOTLINE_PAGES = ["hotline:import", "hotline:imports", "hotline:aliases"]


@pytest.fixture
def world(db):
    a = make_department("CGJ", "示范市城市管理局", short_name="市城管局")
    b = make_department("SCJGJ", "示范市市场监督管理局", short_name="市场监管局")
    mine = make_ticket("2025-05-06 09:00", "2025-05-07 09:00", handler=a, content="城管的工单：占道经营")
    theirs = make_ticket("2025-05-06 10:00", handler=b, content="市场监管的工单：过期牛奶")
    bounced = make_ticket("2025-05-06 11:00", handler=b, content="退过的工单：店外经营")
    make_return(bounced, a, b, when="2025-05-06 12:00")
    return a, b, mine, theirs, bounced


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.LEADER, Role.HOTLINE, Role.DEPARTMENT])
def test_pages_open_for_every_role_that_uses_them(world, role):
    a = world[0]
    client = client_for(make_user(f"u_{role}", role, department=a if role == Role.DEPARTMENT else None))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    for name in HOTLINE_PAGES:
        expected = 200 if role in (Role.OFFICE_STAFF, Role.HOTLINE) else 403
        assert client.get(reverse(name)).status_code == expected, name


def test_oversight_users_do_not_get_hotline_pages(world):
    client = client_for(make_user("ov", Role.OVERSIGHT, body="audit"))
    assert client.get(reverse("hotline:tickets")).status_code == 403


def test_department_sees_its_own_and_the_tickets_it_returned(world):
    a, b, mine, theirs, bounced = world
    client = client_for(make_user("cg", Role.DEPARTMENT, department=a))
    page = client.get(reverse("hotline:tickets")).content.decode()
    assert mine.ticket_no in page and bounced.ticket_no in page and theirs.ticket_no not in page
    assert client.get(reverse("hotline:ticket", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("hotline:ticket", args=[bounced.pk])).status_code == 200


def test_ticket_list_costs_the_same_queries_for_more_rows(world, staff_client):
    a, b, *_ = world

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("hotline:tickets")).status_code == 200
        return len(queries)

    before = count()
    for i in range(30):
        ticket = make_ticket(f"2025-06-{i % 28 + 1:02d} 09:00", handler=a if i % 2 else b, content=f"第{i}件")
        make_return(ticket, b, a, when=f"2025-06-{i % 28 + 1:02d} 10:00")
    assert count() == before


def test_dispute_list_costs_the_same_queries_for_more_rows(world, staff_client):
    a, b, *_ = world

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("hotline:disputes")).status_code == 200
        return len(queries)

    Dispute.objects.create(title="一").departments.set([a])
    before = count()
    for i in range(10):
        Dispute.objects.create(title=f"事项{i}").departments.set([a, b])
    assert count() == before


def test_alias_page_lists_unmatched_names_and_adds_an_alias(world, staff_client):
    a = world[0]
    make_ticket("2025-05-08 09:00", content="路灯不亮", handler_name="东城区综合执法中队")
    page = staff_client.get(reverse("hotline:aliases")).content.decode()
    assert "东城区综合执法中队" in page
    response = staff_client.post(reverse("hotline:aliases"), {"alias": "东城区综合执法中队", "department": a.pk})
    assert response.status_code == 302
    assert "东城区综合执法中队" not in staff_client.get(reverse("hotline:aliases")).content.decode().split(
        'id="unmatched"')[1]


def test_import_page_polls_until_the_job_is_done_then_shows_the_report(world, staff_client):
    from lvzhi.core.models import Job

    from ..models import ImportRun

    job = Job.objects.create(kind="hotline-import", title="导入12345工单", status=Job.Status.RUNNING, total=100, done=40)
    run = ImportRun.objects.create(source=ImportRun.Source.UPLOAD, status=ImportRun.Status.RUNNING, job=job,
                                   tickets_name="工单.csv")
    url = reverse("hotline:import-run", args=[run.pk])
    page = staff_client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page and "40%" in page and 'id="import-report"' not in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=100)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.DONE, committed=True,
                                               report={"lines": ["文件 工单.csv：共 3 行，新增 3 条"]})
    block = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="import-status"' in block and "hx-trigger" not in block
    assert 'id="import-report"' in block and "新增 3 条" in block and "<html" not in block


def test_upload_page_states_the_real_size_limit_and_points_to_the_command(world, staff_client, settings):
    settings.LVZHI_UPLOAD_MAX_MB = 20
    page = staff_client.get(reverse("hotline:import")).content.decode()
    limit = page.split('id="upload-limit">')[1].split("</p>")[0]
    assert "不超过 20 MB" in limit and "约 10 万行" in limit and "lvzhi import-tickets" in limit
    assert "百万行" not in page
