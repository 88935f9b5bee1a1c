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
