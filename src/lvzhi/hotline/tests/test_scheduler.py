"""The daily scheduler's hotline jobs: returns pushed through the intake API join dispute subjects,
and the routing model is retrained when tickets changed — and only then."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from lvzhi.testing import make_department

from .. import services
from ..models import Dispute, RoutingModel, Ticket
from .factories import make_ticket

PUSHED = [
    {"ticket_no": "P1", "received_at": "2025-06-02 09:00", "content": "文化路烧烤店油烟直排，熏得没法开窗", "handler": "SHJJ"},
    {"ticket_no": "P2", "received_at": "2025-06-03 09:00", "content": "建设路饭店油烟直排，熏得居民没法开窗", "handler": "SHJJ"},
]
RETURNS = [{"ticket_no": n, "returned_at": f"2025-06-0{i + 2} 12:00", "from_department": "CGJ", "reason": "不归城管"}
           for i, n in enumerate(["P1", "P2"])]


@pytest.fixture
def pushed(db):
    shhj, cgj = make_department("SHJJ", "示范市生态环境局"), make_department("CGJ", "示范市城市管理局")
    for i in range(6):
        make_ticket(f"2025-05-0{i + 1} 09:00", f"2025-05-0{i + 2} 09:00", handler=shhj, content=f"饭店油烟直排第{i}次")
        make_ticket(f"2025-05-0{i + 1} 10:00", f"2025-05-0{i + 2} 10:00", handler=cgj, content=f"路口占道经营第{i}次")
    services.intake(None, PUSHED, RETURNS)  # the API leaves grouping and training to the night
    Ticket.objects.update(updated_at=timezone.now() - dt.timedelta(hours=8))  # pushed during the day
    assert Ticket.objects.filter(dispute__isnull=False).count() == 0 and not RoutingModel.objects.exists()


def run(capsys):
    call_command("scheduler", "--once")
    return capsys.readouterr().out


# The scheduler closes stale connections between jobs, so these run against committed data.
@pytest.mark.django_db(transaction=True)
def test_daily_jobs_group_pushed_returns_and_train_the_routing_model(pushed, capsys):
    out = run(capsys)
    assert "归并12345退单争议事项：完成（新归入工单 2 件，新增事项 1 个，现有事项 1 个）" in out
    assert "更新12345派单建议模型：完成（已重新训练，样本 12 件）" in out
    assert Dispute.objects.get().ticket_count == 2
    assert RoutingModel.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_running_twice_changes_nothing_until_tickets_change(pushed, capsys):
    run(capsys)
    out = run(capsys)
    assert "新归入工单 0 件，新增事项 0 个，现有事项 1 个" in out
    assert "更新12345派单建议模型：完成（训练后工单无变化，沿用现行模型）" in out
    assert RoutingModel.objects.count() == 1 and Dispute.objects.count() == 1
    services.intake(None, [{"ticket_no": "P3", "received_at": "2025-06-09 09:00", "content": "占道经营",
                            "handler": "CGJ", "closed_at": "2025-06-10 09:00"}])
    assert "已重新训练，样本 13 件" in run(capsys)
    assert RoutingModel.objects.count() == 2 and RoutingModel.objects.filter(is_current=True).count() == 1


def test_an_alias_that_links_tickets_makes_the_model_stale(pushed, staff_user):
    services.train_routing(None)
    past = timezone.now() - dt.timedelta(hours=1)
    make_ticket("2025-05-20 09:00", "2025-05-21 09:00", content="占道经营", handler_name="东城区综合执法中队")
    Ticket.objects.update(updated_at=past)
    assert services.refresh_routing(None)[1] is False
    services.add_alias(staff_user, "东城区综合执法中队", Ticket.objects.get(ticket_no="P1").handler)
    model, trained = services.refresh_routing(None)
    assert trained and model.samples == 13
