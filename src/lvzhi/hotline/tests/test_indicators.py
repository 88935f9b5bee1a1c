"""Indicators on a small hand-made data set with known answers (working-day clocks included),
returns analysis and hot topics, scoped to what the user may see."""

import datetime as dt

import pytest
from django.urls import reverse

from lvzhi.core.roles import Role
from lvzhi.testing import client_for, make_department, make_user

from ..analysis.period import Period
from ..analysis.reports import indicator_report, returns_report, topics_report
from ..models import Dispute, DisputeDecision
from .factories import make_return, make_ticket


@pytest.fixture
def city(db):
    a = make_department("CGJ", "示范市城市管理局", short_name="市城管局")
    b = make_department("SCJGJ", "示范市市场监督管理局", short_name="市场监管局")
    # Consultation (3 working days) received the day before National Day, closed the day after
    # the holiday: one working day, on time — nine calendar days.
    make_ticket("2025-09-30 10:00", "2025-10-09 09:00", handler=a, kind="consult", satisfaction="satisfied",
                address="人民路1号", content="咨询占道经营许可")
    # Complaint (13 working days) closed after 15 working days: late.
    make_ticket("2025-10-09 09:00", "2025-10-29 17:00", handler=a, kind="complaint", satisfaction="unsatisfied",
                address="人民路1号", content="烧烤摊占道经营")
    # The same address and kind again in October: a repeat.
    make_ticket("2025-10-20 09:00", None, handler=a, kind="complaint", address="人民路1号", content="烧烤摊又来了占道经营")
    # Still open and past its limit today: due and late.
    make_ticket("2025-10-10 09:00", None, handler=a, kind="consult", address="光明路2号", content="咨询占道经营")
    returned = make_ticket("2025-10-11 09:00", "2025-10-13 09:00", handler=a, kind="complaint",
                           satisfaction="basic", content="门店外摆占道经营")
    make_return(returned, b, a, when="2025-10-11 11:00", reason="占道经营属城管职责")
    make_ticket("2025-10-12 09:00", "2025-10-14 09:00", handler=b, kind="report", satisfaction="satisfied",
                content="超市卖过期牛奶")
    return a, b, returned


def rows_by_name(report):
    return {row["department"]: row for row in report["departments"]}


def test_indicator_report_has_the_known_answers(city, staff_user):
    report = indicator_report(staff_user, Period(202509, 202510))
    cgj, scjgj = rows_by_name(report)["市城管局"], rows_by_name(report)["市场监管局"]
    assert cgj["received"] == 5 and cgj["closed"] == 3 and cgj["resolution_rate"] == 60.0
    # On time: the holiday consultation and the returned complaint; due: 3 closed + 2 open past their limits.
    assert (cgj["on_time"], cgj["due"], cgj["on_time_rate"]) == (2, 5, 40.0)
    assert cgj["rated"] == 3 and cgj["satisfaction_rate"] == 66.7
    assert cgj["repeats"] == 1 and cgj["repeat_rate"] == 20.0
    assert cgj["returned"] == 0 and scjgj["returned"] == 1 and scjgj["return_rate"] == 50.0
    october = report["trend"][1]
    assert october["month"] == "2025年10月" and october["received"] == 5 and october["return_rate"] == 20.0


def test_department_user_sees_only_its_own_rows(city):
    a, b, _ = city
    liaison = make_user("cg", Role.DEPARTMENT, department=a)
    report = indicator_report(liaison, Period(202509, 202510))
    assert [row["department"] for row in report["departments"]] == ["市城管局"]
    assert sum(row["received"] for row in report["trend"]) == 5
    page = client_for(liaison).get(reverse("hotline:indicators"), {"from": "2025-09", "to": "2025-10"})
    assert page.status_code == 200 and "市场监管局" not in page.content.decode()


def test_returns_report_counts_overturned_returns_and_pairs(city, staff_user):
    a, b, returned = city
    dispute = Dispute.objects.create(title="占道经营")
    returned.dispute = dispute
    returned.save()
    DisputeDecision.objects.create(dispute=dispute, lead=b, reasoning="认定", basis_text="条例", decided_on=dt.date.today())
    report = returns_report(staff_user, Period(202510, 202510))
    row = {d["department"]: d for d in report["departments"]}["市场监管局"]
    assert (row["returns"], row["tickets"], row["overturned"]) == (1, 1, 1)
    assert report["pairs"][0]["total"] == 1 and report["matrix"]["cells"]


def test_hot_topics_group_words_and_give_examples(city, staff_user):
    found = topics_report(staff_user, Period(202509, 202510))
    assert found["total"] == 6 and found["topics"]
    top = found["topics"][0]
    assert "占道经营" in top["words"] and top["count"] >= 3 and len(top["examples"]) == 3


def test_indicator_export_is_a_workbook(city, staff_client):
    import io

    import openpyxl

    response = staff_client.get(reverse("hotline:indicators-export"), {"from": "2025-09", "to": "2025-10"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各部门指标", "月度趋势", "部门月度明细"]
    assert book["各部门指标"]["A2"].value in ("市城管局", "市场监管局")
