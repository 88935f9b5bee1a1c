"""Indicators computed from known inputs: problems, 三定 checks, surveys, mutual evaluation, and
"暂无数据" where a source has nothing (or is not connected)."""

import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.duties.models import DutyTask, MandateCheck
from lvzhi.problems.models import Problem, QuestionnaireTemplate, Survey, SurveyAnswer, SurveyResponse
from lvzhi.testing import make_mandate

from .. import indicators
from ..indicators import duties as duty_indicators
from ..indicators import problems as problem_indicators
from ..models import Framework, IndicatorRule
from ..periods import Period
from .factories import assessed, at, load_libraries

D = dt.date
Q4 = Period.parse("2025Q4")


def problem(department, **fields):
    defaults = {"title": "测试问题", "description": "说明", "source": "inspection", "state": "rectification"}
    return Problem.objects.create(department=department, **{**defaults, **fields})


def known_problems(department):
    """p1 high, closed on time; p2 medium, rejected once, overdue; p3 low, not yet due."""
    problem(department, number="WT-1", severity="high", issued_at=at(D(2025, 10, 10)), deadline=D(2025, 11, 10),
            completed_at=at(D(2025, 11, 1)), closed_at=at(D(2025, 11, 5)), state="closed")
    problem(department, number="WT-2", severity="medium", issued_at=at(D(2025, 10, 20)), deadline=D(2025, 11, 30),
            completed_at=at(D(2025, 11, 20)), rounds=1)
    problem(department, number="WT-3", severity="low", issued_at=at(D(2025, 11, 1)), deadline=D(2026, 1, 15))
    problem(department, number="WT-4", severity="high", issued_at=at(D(2025, 11, 2)), state="withdrawn")


@pytest.fixture
def rules(db):
    load_libraries()
    return {r.code: r for r in IndicatorRule.objects.filter(framework=Framework.current())}


def test_problem_indicators_from_known_problems(rules):
    dept = assessed("PROB")
    known_problems(dept)
    found = indicators.evaluate(rules["problems_found"], dept, Q4)
    assert found["value"] == "6.00" and found["ratio"] == "0.7000"
    assert ["加权问题数", "3×1 + 2×1 + 1×1 = 6"] in found["lines"]
    assert ["得分比例", "max(0, 1 − 0.05 × 6) = 0.7"] in found["lines"]
    on_time = indicators.evaluate(rules["rectification_on_time"], dept, Q4)
    assert on_time["value"] == "50.00" and ["未按期销号", "WT-2"] in on_time["lines"]
    rounds = indicators.evaluate(rules["rejection_rounds"], dept, Q4)
    assert rounds["value"] == "0.50" and rounds["ratio"] == "0.8750"
    overdue = indicators.evaluate(rules["overdue_problems"], dept, Q4)
    assert overdue["value"] == "1.00" and overdue["ratio"] == "0.8000" and ["问题编号", "WT-2"] in overdue["lines"]


def test_a_department_without_problems_scores_full_while_the_ledger_is_in_use(rules):
    busy, clean = assessed("BUSY"), assessed("CLEAN")
    known_problems(busy)
    assert indicators.evaluate(rules["problems_found"], clean, Q4)["ratio"] == "1.0000"
    on_time = indicators.evaluate(rules["rectification_on_time"], clean, Q4)
    assert on_time["value"] == "100.00" and "按规则记为 100%" in on_time["lines"][0][1]


def test_no_problems_anywhere_means_no_data_not_a_clean_record(rules):
    dept = assessed("NONE")
    for code in ("problems_found", "rectification_on_time", "rejection_rounds", "overdue_problems",
                 "survey_satisfaction"):
        result = indicators.evaluate(rules[code], dept, Q4)
        assert result["value"] is None and result["ratio"] is None
        assert result["note"].startswith("暂无数据") and indicators.display_value(result) == "暂无数据"


def test_an_indicator_nobody_provides_says_which_source_is_missing(rules):
    result = indicators.evaluate(rules["hotline_resolution"], assessed("HOT"), Q4)
    assert result["note"] == "暂无数据：12345 热线模块尚未提供该指标，该指标不参与计算。"


def test_duty_check_coverage_and_fulfilment(rules):
    dept = assessed("DUTY")
    mandate = make_mandate(dept, duties=("职责一", "职责二", "职责三"))
    d1, d2, d3 = mandate.duties.order_by("number")
    t1 = DutyTask.objects.create(duty=d1, position=1, text="任务一")
    DutyTask.objects.create(duty=d1, position=2, text="任务二")
    DutyTask.objects.create(duty=d1, position=3, text="停用任务", active=False)
    MandateCheck.objects.create(department=dept, duty=d1, task=t1, period="2025Q4", result="fulfilled",
                                status="accepted")
    MandateCheck.objects.create(department=dept, duty=d2, period="2025Q4", result="partly", status="accepted")
    MandateCheck.objects.create(department=dept, duty=d3, period="2025Q4", result="fulfilled", status="draft")
    coverage = indicators.evaluate(rules["duty_check_coverage"], dept, Q4)
    assert coverage["value"] == "50.00"
    assert coverage["lines"][0] == ["应检查项", "4 项（现行三定主要职责 3 项，其中 1 项按职责任务计）"]
    assert ["有未报送检查项的主要职责", "第1项、第3项"] in coverage["lines"]
    fulfilment = indicators.evaluate(rules["duty_check_fulfilment"], dept, Q4)
    assert fulfilment["value"] == "50.00" and fulfilment["ratio"] == "0.5000"
    assert duty_indicators.duty_check_coverage(dept, Period.parse("2025Q3")) is None


def test_year_period_counts_the_quarterly_checks(rules):
    dept = assessed("YEAR")
    duty = make_mandate(dept).duties.get()
    MandateCheck.objects.create(department=dept, duty=duty, period="2025Q2", result="fulfilled", status="accepted")
    assert duty_indicators.duty_check_coverage(dept, Period.parse("2025"))[0] == Decimal("100.00")


def test_survey_satisfaction_in_percent(rules):
    dept = assessed("SURV")
    template = QuestionnaireTemplate.objects.create(code="T", version="1", title="问卷", questions=[])
    survey = Survey.objects.create(title="群众满意度调查", template=template, questions=[], scale_max=5)
    for scores in ((4, 5), (3, None)):
        response = SurveyResponse.objects.create(survey=survey, department=dept, answered_on=D(2025, 11, 3))
        for i, score in enumerate(scores):
            SurveyAnswer.objects.create(response=response, question=f"Q{i}", score=score, text="" if score else "意见")
    result = indicators.evaluate(rules["survey_satisfaction"], dept, Q4)
    assert result["value"] == "80.00" and result["ratio"] == "0.8000"
    assert "2 份问卷" in result["lines"][0][1]
    assert problem_indicators.survey_satisfaction(dept, Period.parse("2026Q1")) is None


def test_periods():
    assert Period.parse("2026q3").label == "2026年第3季度"
    assert (Period.parse("2026Q1").start, Period.parse("2026Q1").end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert Period.parse("2026Q1").previous().code == "2025Q4" and Period.parse("2026").end == D(2026, 12, 31)
    with pytest.raises(Exception, match="考核期间“2026Q5”无效"):
        Period.parse("2026Q5")


def ticket(number, department, kind, received, closed=None, satisfaction=""):
    from lvzhi.hotline.clock import current_clock
    from lvzhi.hotline.models import Ticket

    clock = current_clock()
    return Ticket.objects.create(
        ticket_no=number, received_at=at(received), month=received.year * 100 + received.month,
        received_wd=clock.ordinal(received), content="诉求", kind=kind, handler=department,
        closed_at=at(closed) if closed else None, closed_wd=clock.ordinal(closed) if closed else None,
        satisfaction=satisfaction)


def test_hotline_indicators_from_known_tickets(rules):
    from lvzhi.hotline.clock import reset
    from lvzhi.hotline.models import Dispute, DisputeDecision, TicketReturn

    reset()
    dept, other = assessed("HOTA"), assessed("HOTB")
    ticket("T1", dept, "consult", D(2025, 11, 3), D(2025, 11, 5), "satisfied")
    ticket("T2", dept, "complaint", D(2025, 11, 3), D(2025, 12, 1), "basic")
    ticket("T3", dept, "help", D(2025, 12, 1))
    ticket("T4", dept, "consult", D(2025, 12, 30))
    ticket("T5", dept, "consult", D(2025, 11, 10), D(2025, 11, 11), "unsatisfied")
    for i, (number, lead) in enumerate((("X1", dept), ("X2", other)), 1):
        dispute = Dispute.objects.create(title=f"争议{i}")
        returned = ticket(number, other, "complaint", D(2025, 11, 5))
        returned.dispute = dispute
        returned.save()
        TicketReturn.objects.create(ticket=returned, returned_at=at(D(2025, 11, 6)), from_department=dept,
                                    from_name=dept.name, reason="非本部门职责", key_hash=i)
        DisputeDecision.objects.create(dispute=dispute, lead=lead, reasoning="依三定规定", decided_on=D(2025, 12, 1))
    on_time = indicators.evaluate(rules["hotline_on_time"], dept, Q4)
    assert on_time["value"] == "50.00" and ["咨询（时限 3 个工作日）", "应办结 2 件，按时办结 2 件"] in on_time["lines"]
    satisfaction = indicators.evaluate(rules["hotline_satisfaction"], dept, Q4)
    assert satisfaction["value"] == "60.00" and ["满意率", "(1 + 1 × 0.8) ÷ 3 = 60%"] in satisfaction["lines"]
    improper = indicators.evaluate(rules["hotline_return_rate"], dept, Q4)
    assert improper["value"] == "14.29" and improper["ratio"] == "0.0000"
    assert ["经争议认定应由本部门牵头办理的退单工单", "1 件"] in improper["lines"]
    assert indicators.evaluate(rules["hotline_on_time"], assessed("QUIET"), Q4)["value"] is None
