"""The intake API for the hotline platform: token auth, the hotline role, the same row checks as
files, batches of tickets and returns, and a routing suggestion in the answer."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lvzhi.core.roles import Role
from lvzhi.testing import make_department, make_mandate, make_user

from .. import services
from ..models import ImportRun, Ticket, TicketReturn
from .factories import make_ticket

URL = "/api/hotline/tickets/"


@pytest.fixture
def departments(db):
    cgj = make_department("CGJ", "示范市城市管理局", short_name="市城管局")
    scjgj = make_department("SCJGJ", "示范市市场监督管理局")
    make_mandate(cgj, ["负责市容环境卫生管理，查处占道经营、流动摊贩和露天烧烤。"])
    make_mandate(scjgj, ["负责食品安全监督管理，查处销售过期变质食品的行为。"])
    return cgj, scjgj


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def hotline(db):
    return token_client(make_user("platform", Role.HOTLINE))


def ticket(number="A1", **fields):
    return {"ticket_no": number, "received_at": "2025-05-06 09:30", "content": "人民路烧烤摊占道经营，油烟很大",
            "kind": "投诉", "handler": "CGJ", **fields}


def test_one_ticket_is_created_with_a_routing_suggestion(hotline, departments):
    response = hotline.post(URL, ticket(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["committed"] and body["tickets"]["created"] == 1
    result = body["results"][0]
    assert result["ticket_no"] == "A1" and result["id"] == Ticket.objects.get().pk
    assert Ticket.objects.get().handler == departments[0]
    assert ImportRun.objects.get().source == ImportRun.Source.API
    # No history yet: the finder alone, reading the 三定 of the two departments.
    first = result["suggestions"][0]
    assert (first["code"], first["name"], first["department"]) == ("CGJ", "示范市城市管理局", departments[0].pk)
    assert first["score"] == 1.0
    assert {"kind": "mandate_duty", "ref": "三定第1项", "text": "负责市容环境卫生管理，查处占道经营、流动摊贩和露天烧烤。"} in \
        first["evidence"]


def test_suggestions_combine_history_and_finder_best_first_with_their_evidence(hotline, departments):
    cgj, scjgj = departments
    for i in range(4):
        make_ticket(f"2025-04-0{i + 1} 09:00", f"2025-04-0{i + 2} 09:00", handler=cgj, content=f"夜市烧烤摊占道经营第{i}次")
        make_ticket(f"2025-04-0{i + 1} 10:00", f"2025-04-0{i + 2} 10:00", handler=scjgj, content=f"超市卖过期食品第{i}次")
    services.train_routing(None)
    body = hotline.post(URL, [ticket("S1"), ticket("S2", content="超市卖过期变质食品，商家拒绝退换")], format="json").json()
    fumes, food = (r["suggestions"] for r in body["results"])
    assert [s["code"] for s in fumes] == ["CGJ", "SCJGJ"] and [s["code"] for s in food] == ["SCJGJ", "CGJ"]
    for suggestions in (fumes, food):
        scores = [s["score"] for s in suggestions]
        assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]
        kinds = [e["kind"] for e in suggestions[0]["evidence"]]
        assert kinds[0] == "history" and "mandate_duty" in kinds
        assert suggestions[0]["evidence"][0]["ref"] == "派单建议模型"
        assert "历史工单中相近诉求由该单位办结的概率约" in suggestions[0]["evidence"][0]["text"]
    assert "过期变质食品" in next(e["text"] for e in food[0]["evidence"] if e["kind"] == "mandate_duty")


def test_a_batch_of_tickets_and_returns_and_a_repeat_push(hotline, departments):
    labelled = {"工单编号": "B2", "受理时间": "2025/05/06 10:00", "诉求内容": "超市卖过期牛奶", "承办单位": "示范市市场监督管理局"}
    body = {"tickets": [ticket("B1"), labelled],
            "returns": [{"工单编号": "B1", "退单时间": "2025-05-06 11:00", "退单单位": "SCJGJ", "退单原因": "不归我局"}]}
    response = hotline.post(URL, body, format="json")
    assert response.status_code == 201 and response.json()["returns"]["created"] == 1
    assert TicketReturn.objects.get().from_department == departments[1]
    again = hotline.post(URL, body, format="json")
    assert again.status_code == 200
    assert again.json()["tickets"]["unchanged"] == 2 and again.json()["returns"]["unchanged"] == 1


def test_bad_records_are_refused_by_record_and_field_and_nothing_is_written(hotline, departments):
    body = [ticket("C1"), ticket("C2", received_at="下午三点"), {"ticket_no": "C3", "content": "", "color": "红"}]
    response = hotline.post(URL, body, format="json")
    assert response.status_code == 400
    errors = "\n".join(response.json()["errors"])
    assert "第2条工单记录，字段“受理时间”" in errors
    assert "第3条工单记录：无法识别的字段“color”" in errors and "第3条工单记录，字段“诉求内容”：不能为空" in errors
    assert Ticket.objects.count() == 0
    partial = hotline.post(URL, {"tickets": body, "accept_good_rows": True}, format="json")
    assert partial.status_code == 201 and Ticket.objects.count() == 1


def test_returns_endpoint_takes_return_records(hotline, departments):
    make_ticket(ticket_no="R1", handler=departments[0])
    response = hotline.post("/api/hotline/returns/", [{"ticket_no": "R1", "returned_at": "2025-03-03 12:00",
                                                        "from_department": "市城管局", "reason": "不归我局"}],
                            format="json")
    assert response.status_code == 201 and TicketReturn.objects.count() == 1


def test_only_the_hotline_and_the_office_may_push(departments):
    anonymous = APIClient().post(URL, ticket(), format="json")
    assert anonymous.status_code in (401, 403)
    liaison = token_client(make_user("liaison", Role.DEPARTMENT, department=departments[0]))
    assert liaison.post(URL, ticket(), format="json").status_code == 403
    assert Ticket.objects.count() == 0


def test_malformed_body_is_refused(hotline, departments):
    assert hotline.post(URL, {"tickets": "A1"}, format="json").status_code == 400
    assert hotline.post(URL, [ticket(str(i)) for i in range(5001)], format="json").status_code == 400


def test_department_reads_only_its_tickets_through_the_api(departments):
    cgj, scjgj = departments
    make_ticket(ticket_no="MINE", handler=cgj)
    make_ticket(ticket_no="THEIRS", handler=scjgj)
    liaison = token_client(make_user("liaison", Role.DEPARTMENT, department=cgj))
    numbers = [t["ticket_no"] for t in liaison.get(URL).json()["results"]]
    assert numbers == ["MINE"]


def test_suggest_endpoint_answers_the_hotline(hotline, departments):
    response = hotline.get(URL + "suggest/", {"q": "烧烤摊占道经营"})
    assert response.status_code == 200 and response.json()["query"] == "烧烤摊占道经营"
