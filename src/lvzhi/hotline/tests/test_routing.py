"""Routing suggestions: the model learned from historical handlers, combined with the finder,
measured on a time-based split, and shown on the ticket page."""

import datetime as dt

import pytest
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.testing import client_for, make_user

from .. import services
from ..analysis.routing import NaiveBayes
from ..models import RoutingModel, Ticket
from ..synthetic import Generator, write_csv


@pytest.fixture
def history(demo_city, tmp_path):
    tickets, returns = tmp_path / "t.csv", tmp_path / "r.csv"
    write_csv(tickets, returns, 800, generator=Generator(seed=11, start=dt.date(2025, 1, 1), days=200))
    services.import_paths(None, tickets, returns)


def test_naive_bayes_learns_who_handles_what():
    texts = ["小区油烟扰民", "饭店油烟直排", "烧烤油烟很大", "老板拖欠工资", "公司不发工资", "工地拖欠工资"]
    model = NaiveBayes.train(texts, [1, 1, 1, 2, 2, 2])
    assert model.rank("楼下饭店油烟太大")[0][0] == 1
    assert NaiveBayes.loads(model.dumps()).rank("拖欠了三个月工资")[0][0] == 2


def test_model_trains_from_history_and_suggests_the_handler(history):
    stored = services.train_routing(None)
    assert stored.samples > 700 and RoutingModel.objects.get(is_current=True) == stored
    first = services.suggest("在某劳务公司干了三个月，老板一直拖欠工资不发")[0]
    assert first["code"] == "RSJ" and {e["kind"] for e in first["evidence"]} & {"history", "mandate_duty",
                                                                                 "boundary_clause", "duty_point"}


def test_time_based_evaluation_reports_top1_and_top3(history):
    result = services.evaluate(limit=60)
    assert result["test"] == 60 and 0 <= result["model"]["top1"] <= result["model"]["top3"] <= 1
    assert result["combined"]["top3"] >= 0.7


def test_evaluation_uses_no_decision_dated_after_the_cut(history):
    """A decision sending every wage complaint to the wrong department moves the measured combined
    ranking only when it is dated before the split's cut — never from the test period's future."""
    from lvzhi.org.models import Department

    from ..analysis.text import Vectorizer
    from ..models import Dispute, DisputeDecision
    from ..rules import current_rules

    before = services.evaluate(limit=200)
    title = "拖欠工资"
    dispute = Dispute.objects.create(number="ZY-T", title=title, signature=Vectorizer([title], current_rules()).weights(
        "在某劳务公司干了三个月，老板一直拖欠工资不发，请帮忙讨薪。"))
    decision = DisputeDecision.objects.create(dispute=dispute, lead=Department.objects.get(code="WLJ"),
                                              reasoning="测试", basis_text="测试", decided_on=dt.date.today())
    assert services.suggest("老板拖欠工资三个月不发，请帮忙讨薪")[0]["code"] == "WLJ"  # in force now
    assert services.evaluate(limit=200) == before
    cut = dt.date.fromisoformat(before["cut"][:10])
    DisputeDecision.objects.filter(pk=decision.pk).update(decided_on=cut - dt.timedelta(days=1))
    after = services.evaluate(limit=200)
    assert after["combined"]["top1"] < before["combined"]["top1"] and after["model"] == before["model"]


def test_ticket_page_shows_suggestions_to_the_hotline_not_to_departments(history):
    services.train_routing(None)
    ticket = Ticket.objects.filter(handler__code="RSJ").first()
    page = client_for(make_user("hl", Role.HOTLINE)).get(reverse("hotline:ticket", args=[ticket.pk]))
    assert page.status_code == 200 and 'id="routing"' in page.content.decode()
    liaison = make_user("rs", Role.DEPARTMENT, department=ticket.handler)
    page = client_for(liaison).get(reverse("hotline:ticket", args=[ticket.pk]))
    assert page.status_code == 200 and 'id="routing"' not in page.content.decode()
