"""Generic links for later modules (权责事项, 工单): registered targets only, visible with the problem."""

import pytest
from django.core.exceptions import PermissionDenied

from lvzhi.org.models import InternalUnit
from lvzhi.testing import make_mandate

from .. import links, services
from ..filters import ProblemFilter
from ..models import Problem, ProblemLink
from .factories import load_libraries, make_problem


def test_linking_a_registered_record(db, dept_a, staff_user, dept_user, rf):
    load_libraries()
    unit = InternalUnit.objects.create(mandate=make_mandate(dept_a), name="市场规范管理科")
    problem = make_problem(dept_a, staff_user, state="feedback")
    with pytest.raises(services.TransitionError, match="尚未登记"):
        links.link(problem, unit, by=staff_user)
    links.register_target(InternalUnit, "内设机构")
    with pytest.raises(PermissionDenied):
        links.link(problem, unit, by=dept_user)
    item = links.link(problem, unit, by=staff_user)
    assert item.label == "内设机构：市场规范管理科"
    assert list(links.problems_about(unit)) == [problem]
    assert list(ProblemLink.objects.visible_to(dept_user)) == [item]
    request = rf.get("/")
    request.user = staff_user
    assert list(ProblemFilter({"linked": "other"}, queryset=Problem.objects.all(), request=request).qs) == [problem]
    assert problem.events.filter(action="link").exists()


@pytest.fixture
def linked_world(db, dept_a, dept_b, staff_user, dept_user):
    from lvzhi.duties.tests.factories import make_power_list
    from lvzhi.hotline.tests.factories import make_ticket

    load_libraries()
    make_power_list(dept_a, [("330217001000", "对无照经营的处罚", "行政处罚", "《无证无照经营查处办法》第十三条")])
    make_power_list(dept_b, [("330217009000", "乙局的检查", "行政检查", "《示范条例》第二条")])
    own = make_ticket(handler=dept_a, ticket_no="RX2026001", content="小区门口占道经营无人管")
    other = make_ticket(handler=dept_b, ticket_no="RX2026002", content="乙局的工单")
    problem = make_problem(dept_a, staff_user, state="feedback")
    return problem, own, other


def test_office_links_a_power_item_and_a_ticket_by_reference_through_the_page(client, linked_world, staff_user):
    from django.urls import reverse

    from lvzhi.testing import login

    problem, ticket, _ = linked_world
    login(client, staff_user)
    url = reverse("problems:links", args=[problem.pk])
    client.post(url, {"kind": "power_item", "ref": "330217001000"})
    client.post(url, {"kind": "ticket", "ref": "RX2026001"})
    assert sorted(problem.links.values_list("label", flat=True)) == [
        "12345工单：RX2026001", "权责事项：对无照经营的处罚"]
    page = client.get(problem.get_absolute_url()).content.decode()
    assert ticket.get_absolute_url() in page and "取消关联" in page
    # The record pages list the problem and offer to file another one about the record.
    ticket_page = client.get(ticket.get_absolute_url()).content.decode()
    assert problem.number in ticket_page and "据此登记问题" in ticket_page
    from lvzhi.duties.models import PowerItem

    item = PowerItem.objects.get(code="330217001000")
    assert problem.number in client.get(item.get_absolute_url()).content.decode()
    # Unknown references change nothing and say what was not found.
    response = client.post(url, {"kind": "ticket", "ref": "没有这个"}, follow=True)
    assert "没有找到工单编号为“没有这个”的12345工单" in response.content.decode()
    assert 'value="没有这个"' in response.content.decode()  # what was typed comes back to be corrected
    assert problem.links.count() == 2
    # Removing a link is recorded on the timeline.
    link = problem.links.get(label__startswith="12345工单")
    client.post(url, {"remove": link.pk})
    assert problem.links.count() == 1
    assert list(problem.events.filter(action__in=["link", "unlink"]).values_list("action", flat=True)) == [
        "link", "link", "unlink"]
    # The ledger filters by kind of linked record.
    assert problem.number in client.get(reverse("problems:ledger"), {"linked": "power_item"}).content.decode()
    assert problem.number not in client.get(reverse("problems:ledger"), {"linked": "ticket"}).content.decode()


def test_filing_a_problem_from_a_ticket_links_it(client, linked_world, staff_user):
    from django.urls import reverse

    from lvzhi.testing import login

    _, ticket, _ = linked_world
    login(client, staff_user)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "link_kind=ticket" in page
    form = client.get(reverse("problems:create"), {"link_kind": "ticket", "link_ref": ticket.ticket_no,
                                                  "source": "hotline"}).content.decode()
    assert 'value="RX2026001"' in form
    response = client.post(reverse("problems:create"), {
        "title": "占道经营投诉反复退单", "description": ticket.content, "source": "hotline",
        "department": ticket.handler_id, "severity": "medium", "found_on": "2026-11-02",
        "link_kind": "ticket", "link_ref": ticket.ticket_no})
    assert response.status_code == 302
    created = Problem.objects.get(title="占道经营投诉反复退单")
    assert list(links.problems_about(ticket)) == [created]
    # A reference the user cannot resolve refuses the whole form and writes nothing.
    response = client.post(reverse("problems:create"), {
        "title": "坏关联", "description": "x", "source": "hotline", "department": ticket.handler_id,
        "severity": "medium", "found_on": "2026-11-02", "link_kind": "ticket", "link_ref": "NOPE"})
    assert response.status_code == 400 and "没有找到工单编号为“NOPE”的12345工单" in response.content.decode()
    assert not Problem.objects.filter(title="坏关联").exists()


def test_wrong_role_and_other_departments_records_cannot_be_linked(client, linked_world, staff_user, dept_user):
    from django.urls import reverse

    from lvzhi.testing import login

    problem, ticket, _ = linked_world
    url = reverse("problems:links", args=[problem.pk])
    login(client, dept_user)
    assert client.post(url, {"kind": "ticket", "ref": ticket.ticket_no}).status_code == 403
    with pytest.raises(PermissionDenied):
        links.link_by_ref(problem, "ticket", ticket.ticket_no, by=dept_user)
    # Lookups run in the user's own scope: another department's ticket is not found.
    assert links.find("ticket", "RX2026002", staff_user).ticket_no == "RX2026002"
    with pytest.raises(services.TransitionError, match="没有找到"):
        links.find("ticket", "RX2026002", dept_user)
    # The liaison's ticket page lists the problem once it is issued, without the office's button.
    links.link(problem, ticket, by=staff_user)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert problem.number in page and "据此登记问题" not in page


def test_links_through_the_api(linked_world, staff_user, dept_user):
    from lvzhi.testing import client_for

    problem, _, _ = linked_world
    api = client_for(staff_user)
    url = f"/api/problems/{problem.pk}/links/"
    response = api.post(url, {"kind": "power_item", "ref": "330217001000"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert [(l["kind"], l["label"]) for l in body["links"]] == [("power_item", "权责事项：对无照经营的处罚")]
    response = api.post(url, {"kind": "power_item", "ref": "999"}, content_type="application/json")
    assert response.status_code == 400 and "没有找到" in response.json()["detail"]
    assert client_for(dept_user).post(url, {"kind": "ticket", "ref": "RX2026001"},
                                      content_type="application/json").status_code == 403
    response = api.post(url, {"remove": body["links"][0]["id"]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["links"] == []


def test_ledger_filters_by_what_a_problem_concerns(client, linked_world, staff_user, dept_a):
    from django.urls import reverse

    from lvzhi.testing import login

    problem, ticket, _ = linked_world
    duty = make_mandate(dept_a, duties=("负责无证无照经营查处工作。",)).duties.get()
    with_duty = make_problem(dept_a, staff_user, state="feedback", title="三定职责未落实", mandate_duty=duty)
    login(client, staff_user)
    client.post(reverse("problems:links", args=[problem.pk]), {"kind": "ticket", "ref": "RX2026001"})
    page = client.get(reverse("problems:ledger"), {"concerns": "RX2026001"}).content.decode()
    assert problem.number in page and with_duty.number not in page
    page = client.get(reverse("problems:ledger"), {"concerns": "无证无照"}).content.decode()
    assert with_duty.number in page and problem.number not in page
