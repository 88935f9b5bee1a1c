"""流程再造 services: modelling, redesign and comparison, adoption, and actual case times."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvzhi.core import tabular
from lvzhi.core.roles import Role
from lvzhi.reform.analysis.process import compare
from lvzhi.reform.models import CaseRecord, Process
from lvzhi.reform.services import processes as services
from lvzhi.testing import make_department, make_user

pytestmark = pytest.mark.django_db


def step(user, process, name, dept, days, after=(), **materials):
    return services.save_step(user, process, {"name": name, "department": dept, "unit": "", "days": days,
                                              "description": "", "predecessors": list(after), "materials": materials})


@pytest.fixture
def referral(staff_user):
    """线索 (2) → 移送 (5) → 调查 (10) → 认定 (4): 21 working days, all in series."""
    zjj, cgj = make_department("ZJJ", "住建局"), make_department("CGJ", "城管局")
    process = services.save_process(staff_user, {"name": "案件移送", "description": "", "department": cgj})
    find = step(staff_user, process, "发现线索", zjj, 2, produced=["现场检查笔录"])
    send = step(staff_user, process, "移送", zjj, 5, [find], sharing=["现场检查笔录"], produced=["移送函"])
    probe = step(staff_user, process, "调查取证", cgj, 10, [send], applicant=["移送函", "现场检查笔录"],
                 produced=["调查报告"])
    step(staff_user, process, "专业认定", zjj, 4, [probe], applicant=["现场检查笔录"], produced=["认定意见"])
    return Process.objects.get(pk=process.pk)


def analysis_of(process):
    return services.analyse(services.with_steps(Process.objects.filter(pk=process.pk)).get())


def test_a_modelled_process_is_analysed(referral):
    result = analysis_of(referral)
    assert result.duration == 21
    assert result.handoff_count == 2
    assert {d.material for d in result.duplicates} == {"现场检查笔录", "移送函"}
    assert [p for p in result.parallelisable if p.waits_for]  # 专业认定 needs only the first step's record


def test_redesign_copies_steps_waits_and_materials_and_compares(referral, staff_user):
    copy = services.redesign(staff_user, referral)
    assert copy.status == Process.Status.PROPOSED and copy.based_on_id == referral.pk
    assert copy.name == "案件移送（再造方案）"
    before = analysis_of(referral)
    assert analysis_of(copy).duration == before.duration
    steps = {s.name: s for s in copy.steps.prefetch_related("predecessors")}
    assert {p.name for p in steps["调查取证"].predecessors.all()} == {"移送"}
    assert not ({s.pk for s in steps.values()} & {s.pk for s in referral.steps.all()})
    # Fetch the record by data sharing and let 专业认定 start after the first step.
    services.save_step(staff_user, copy, {
        "name": "专业认定", "department": steps["专业认定"].department, "unit": "", "days": 4, "description": "",
        "predecessors": [steps["发现线索"]], "materials": {"sharing": ["现场检查笔录"], "produced": ["认定意见"]},
    }, steps["专业认定"])
    services.save_step(staff_user, copy, {
        "name": "调查取证", "department": steps["调查取证"].department, "unit": "", "days": 10, "description": "",
        "predecessors": [steps["移送"]], "materials": {"sharing": ["移送函", "现场检查笔录"], "produced": ["调查报告"]},
    }, steps["调查取证"])
    rows = {r.key: r for r in compare(before, analysis_of(copy))}
    assert (rows["duration"].before, rows["duration"].after) == (21, 17)
    assert rows["duplicates"].after == 0 and rows["applicant_materials"].after == 0
    assert rows["handoffs"].after == 1  # 专业认定 now follows a step of its own department


def test_adopting_records_its_date_and_supersedes_the_original(referral, staff_user):
    copy = services.redesign(staff_user, referral, "案件移送（再造后）")
    services.adopt(staff_user, copy, dt.date(2025, 9, 1))
    copy.refresh_from_db()
    referral.refresh_from_db()
    assert copy.status == Process.Status.CURRENT and copy.adopted_on == dt.date(2025, 9, 1)
    assert referral.status == Process.Status.SUPERSEDED
    with pytest.raises(ValidationError):
        services.adopt(staff_user, copy)
    with pytest.raises(ValidationError):  # an adopted redesign is the record of what was decided
        step(staff_user, copy, "新增", copy.department, 1)


def test_a_circle_of_waits_is_refused_and_nothing_changes(referral, staff_user):
    steps = {s.name: s for s in referral.steps.all()}
    with pytest.raises(ValidationError) as exc:
        services.save_step(staff_user, referral, {
            "name": "发现线索", "department": steps["发现线索"].department, "unit": "", "days": 2, "description": "",
            "predecessors": [steps["专业认定"]], "materials": {},
        }, steps["发现线索"])
    assert "循环" in str(exc.value)
    assert not steps["发现线索"].predecessors.exists()


def test_only_the_office_models_processes(referral):
    liaison = make_user("zjj", Role.DEPARTMENT, department=referral.steps.first().department)
    with pytest.raises(PermissionDenied):
        services.redesign(liaison, referral)
    with pytest.raises(PermissionDenied):
        services.save_process(liaison, {"name": "x", "description": "", "department": referral.department})


def cases_file(rows, header=("办件编号", "受理日期", "办结日期")):
    buffer = io.BytesIO()
    tabular.write_xlsx(buffer, [tabular.Sheet("办件", list(header), rows)])
    buffer.seek(0)
    return buffer


def test_case_times_are_imported_in_working_days_and_compared(referral, staff_user):
    report = services.import_cases(staff_user, referral, cases_file([
        ["YS-1", "2025-03-03", "2025-03-31"],  # 20 working days
        ["YS-2", "2025-03-03", "2025-04-14"],  # 29: 清明节 (4 April) is not a working day
        ["YS-3", "2025-09-29", "2025-10-13"],  # across the National Day holiday: 6
    ]), "办件.xlsx")
    assert report.committed and report.created == 3
    days = dict(CaseRecord.objects.values_list("case_no", "working_days"))
    assert days["YS-1"] == 20 and days["YS-2"] == 29
    assert days["YS-3"] < 10
    summary = services.case_summary(referral, 21)
    assert summary["count"] == 3 and summary["over"] == 1
    again = services.import_cases(staff_user, referral, cases_file([["YS-1", "2025-03-03", "2025-03-28"]]), "办件.xlsx")
    assert again.updated == 1 and CaseRecord.objects.get(case_no="YS-1").working_days == 19


def test_a_bad_case_file_is_refused_row_by_row_and_nothing_is_written(referral, staff_user):
    report = services.import_cases(staff_user, referral, cases_file([
        ["YS-1", "2025-03-03", "2025-03-31"],
        ["YS-2", "2025-03-40", "2025-03-31"],
        ["YS-3", "2025-03-31", "2025-03-03"],
        ["YS-1", "2025-03-03", "2025-03-31"],
        ["", "2025-03-03", "2025-03-31"],
    ]), "坏文件.xlsx")
    assert not report.committed
    text = "\n".join(report.lines())
    assert "文件 坏文件.xlsx 第3行，字段“受理日期”" in text
    assert "第4行，字段“办结日期”：办结日期早于受理日期" in text
    assert "第5行，字段“办件编号”：办件编号“YS-1”与第2行重复" in text
    assert "第6行，字段“办件编号”" in text
    assert not CaseRecord.objects.exists()


def test_a_file_without_the_required_columns_is_refused(referral, staff_user):
    report = services.import_cases(staff_user, referral, cases_file([["YS-1", "2025-03-03"]], ("办件编号", "受理日期")),
                                   "缺列.xlsx")
    assert not report.committed and report.errors and "办结日期" in report.errors[0]
    assert not CaseRecord.objects.exists()
