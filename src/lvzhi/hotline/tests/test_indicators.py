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


def workbook(response):
    import io

    import openpyxl

    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_returns_export_has_the_page_tables_and_a_department_gets_only_its_own(city, staff_client):
    a, b, returned = city
    other = make_ticket("2025-10-15 09:00", "2025-10-16 09:00", handler=b, content="=HYPERLINK(\"http://x\")过期食品")
    make_return(other, a, b, when="2025-10-15 11:00", reason="=1+1 不归城管")
    book = workbook(staff_client.get(reverse("hotline:returns-export"), {"from": "2025-10", "to": "2025-10"}))
    assert book.sheetnames == ["各部门退单", "退单流向", "相互退单"]
    rows = list(book["各部门退单"].iter_rows(min_row=2, values_only=True))
    assert sorted(rows) == [("市场监管局", 1, 1, 0), ("市城管局", 1, 1, 0)]
    flows = list(book["退单流向"].iter_rows(min_row=2, values_only=True))
    assert sorted(flows) == [("市场监管局", "市城管局", 1), ("市城管局", "市场监管局", 1)]
    assert list(book["相互退单"].iter_rows(min_row=2, values_only=True))[0][2:] == (1, 1, 2)
    liaison = client_for(make_user("cg", Role.DEPARTMENT, department=a))
    book = workbook(liaison.get(reverse("hotline:returns-export"), {"from": "2025-10", "to": "2025-10"}))
    assert [r[0] for r in book["各部门退单"].iter_rows(min_row=2, values_only=True)] == ["市城管局"]
    assert list(book["退单流向"].iter_rows(min_row=2, values_only=True)) == [("市城管局", "市场监管局", 1)]


def test_topics_export_lists_topics_and_examples_safely_and_scoped(city, staff_client):
    a, b, _ = city
    make_ticket("2025-10-16 09:00", handler=b, content="=cmd|' /C calc'!A0 超市卖过期牛奶")
    make_ticket("2025-10-17 09:00", handler=b, content="超市卖过期牛奶，商家拒绝退换")
    book = workbook(staff_client.get(reverse("hotline:topics-export"), {"from": "2025-09", "to": "2025-10"}))
    assert book.sheetnames == ["热点诉求", "示例工单"]
    topics = list(book["热点诉求"].iter_rows(min_row=2, values_only=True))
    assert topics[0][0] == 1 and "占道经营" in topics[0][1] and topics[0][2] >= 3
    examples = [r[3] for r in book["示例工单"].iter_rows(min_row=2, values_only=True)]
    assert any("过期牛奶" in text for text in examples)
    assert not [text for text in examples if text.startswith("=")]  # formula injection neutralised
    liaison = client_for(make_user("cg", Role.DEPARTMENT, department=a))
    book = workbook(liaison.get(reverse("hotline:topics-export"), {"from": "2025-09", "to": "2025-10"}))
    examples = [r[3] for r in book["示例工单"].iter_rows(min_row=2, values_only=True)]
    assert examples and not [text for text in examples if "牛奶" in text]


def test_topics_page_draws_a_chart_from_json_data(city, staff_client):
    import json

    page = staff_client.get(reverse("hotline:topics"), {"from": "2025-09", "to": "2025-10"}).content.decode()
    assert 'data-chart="topics"' in page and "topics-export" in page
    data = json.loads(page.split('id="topics-chart-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["topics"]) == len(data["counts"]) and "占道经营" in data["topics"][0]


def test_loading_changed_time_limits_changes_on_time_results_without_reimport(city, staff_user, tmp_path):
    import yaml

    from lvzhi.core.libraries import library_path, load

    assert rows_by_name(indicator_report(staff_user, Period(202509, 202510)))["市城管局"]["on_time"] == 2
    data = yaml.safe_load(library_path("hotline_rules.yaml").read_text(encoding="utf-8"))
    data["version"] = "2026.9-test"
    data["time_limits"]["投诉"] = 15  # the complaint closed after 15 working days is now on time
    changed = tmp_path / "hotline_rules.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load([changed])
    report = indicator_report(staff_user, Period(202509, 202510))
    cgj = rows_by_name(report)["市城管局"]
    assert (cgj["on_time"], cgj["due"], cgj["on_time_rate"]) == (3, 5, 60.0) and report["limits"]["投诉"] == 15
