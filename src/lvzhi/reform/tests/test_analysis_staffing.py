"""编制 efficiency and the compliance rules, on the demo city and on small made-up cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.core.roles import Role
from lvzhi.org.models import Department
from lvzhi.reform.analysis import rules, staffing
from lvzhi.reform.analysis.staffing import robust_outliers
from lvzhi.reform.models import ActualUnit, WorkloadFigure
from lvzhi.testing import make_user


def flagged(report, rule):
    return {(v.department.code, v.subject) for v in report.violations if v.rule.code == rule}


@pytest.mark.django_db
def test_rules_flag_the_demo_citys_over_and_under_staffed_departments(demo_city, staff_user):
    report = staffing.report(staff_user)
    over = flagged(report, "over_quota")
    assert {("CGJ", "administrative"), ("WJW", "service")} <= over
    assert {code for code, _ in over} <= {"CGJ", "WJW", "JD-XIGUAN"}
    assert flagged(report, "over_leader_posts") == {("MZJ", "leader_deputy"), ("CGJ", "leader_deputy")}
    under = {code for code, _ in flagged(report, "under_staffed")}
    assert {"YJJ", "DSJ", "SPJ", "ZRZYJ"} == under
    cgj = next(v for v in report.violations if v.department.code == "CGJ" and v.rule.code == "over_quota")
    assert cgj.message == "行政编制核定52名，实有58名，超编6名"


@pytest.mark.django_db
def test_units_not_in_the_mandate_and_units_without_duties(demo_city, staff_user):
    cgj = Department.objects.get(code="CGJ")
    ActualUnit.objects.create(department=cgj, name="办公室", duties="文电会务")
    ActualUnit.objects.create(department=cgj, name="数字城管指挥中心", duties="平台运行")
    ActualUnit.objects.create(department=cgj, name="综合协调科", duties="")
    report = staffing.report(staff_user, department=cgj)
    assert flagged(report, "unit_not_in_mandate") == {("CGJ", "数字城管指挥中心"), ("CGJ", "综合协调科")}
    assert flagged(report, "unit_without_duties") == {("CGJ", "综合协调科")}


def test_robust_outliers():
    values = {i: v for i, v in enumerate([10, 11, 9, 10, 12, 40])}
    scores = robust_outliers(values, threshold=3.5, min_group=4)
    assert list(scores) == [5] and scores[5] > 3.5
    assert robust_outliers({1: 1, 2: 100}, min_group=4) == {}
    # More than half equal: the mean absolute deviation takes over from the (zero) median one.
    assert list(robust_outliers({1: 5, 2: 5, 3: 5, 4: 5, 5: 30})) == [5]
    assert robust_outliers({1: 5, 2: 5, 3: 5, 4: 5}) == {}


@pytest.mark.django_db
def test_workload_per_post_is_compared_within_the_category(demo_city, staff_user):
    figures = {"SCJGJ": 1400, "ZJJ": 300, "SHJJ": 350, "CGJ": 2600, "YJJ": 260, "SCJGJ-KFQ": 150}
    for code, value in figures.items():
        WorkloadFigure.objects.create(department=Department.objects.get(code=code), period="2025",
                                      indicator="penalty_cases", value=value)
    report = staffing.report(staff_user, "2025")
    outliers = {(o.department.code, o.metric) for o in report.outliers}
    assert ("CGJ", "penalty_cases") in outliers
    assert ("SPJ", "vacancy_rate") in outliers and ("ZRZYJ", "vacancy_rate") in outliers
    cgj = next(r for r in report.rows if r.department.code == "CGJ")
    assert cgj.outliers["penalty_cases"].direction == "偏高"
    assert cgj.ratios["penalty_cases"] == pytest.approx(2600 / 55)
    indicator = next(i for i in report.indicators if i.key == "inspections")
    assert not indicator.available  # nothing entered for this period: 暂无数据, not zero


@pytest.mark.django_db
def test_a_department_user_sees_only_its_own_row_and_no_comparison(demo_city):
    user = make_user("cgj_liaison", Role.DEPARTMENT, department=Department.objects.get(code="CGJ"))
    report = staffing.report(user)
    assert [r.department.code for r in report.rows] == ["CGJ"]
    assert not report.compared and report.outliers == []
    assert {v.department.code for v in report.violations} == {"CGJ"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.HOTLINE, Role.OVERSIGHT])
def test_roles_outside_the_office_and_departments_see_no_staffing(demo_city, role):
    user = make_user(f"r_{role}", role, body="audit" if role == Role.OVERSIGHT else "")
    report = staffing.report(user)
    assert all(r.quota is None and r.actual is None for r in report.rows)
    assert report.violations == []


@pytest.mark.django_db
def test_report_query_count_does_not_grow_with_departments(demo_city, staff_user):
    one = Department.objects.get(code="CGJ")
    staffing.report(staff_user)  # the user's scope is computed once, then cached on the user
    with CaptureQueriesContext(connection) as whole:
        staffing.report(staff_user)
    with CaptureQueriesContext(connection) as single:
        staffing.report(staff_user, department=one)
    assert len(whole) == len(single)


@pytest.mark.django_db
def test_a_loaded_library_version_replaces_the_bundled_rules(db):
    data = {"kind": "staffing_rules", "version": "test-1", "title": "测试规则",
            "rules": [{"code": "over", "name": "超编", "check": "over_quota", "types": ["administrative"]}]}
    rules.load_library(data, "test.yaml")
    current = rules.current_ruleset()
    assert current.version == "test-1" and [r.code for r in current.rules] == ["over"]


@pytest.mark.parametrize("rule, message", [
    ({"code": "x", "name": "x", "check": "nope"}, "未知的检查"),
    ({"code": "x", "name": "x", "check": "over_quota", "types": ["teachers"]}, "types 只能取"),
    ({"code": "", "name": "x", "check": "over_quota"}, "缺少 code"),
])
def test_a_bad_rules_file_is_refused_naming_the_entry(rule, message):
    with pytest.raises(rules.LibraryError) as exc:
        rules.parse({"version": "1", "rules": [rule]}, "bad.yaml")
    assert "bad.yaml" in str(exc.value) and "rules 第1项" in str(exc.value) and message in str(exc.value)
