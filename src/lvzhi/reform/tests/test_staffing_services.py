"""编制 services: importing workload figures, and opening a violation as a problem."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvzhi.core import libraries, tabular
from lvzhi.core.roles import Role
from lvzhi.org.models import Department
from lvzhi.reform.models import StaffingFinding, WorkloadFigure
from lvzhi.reform.services import staffing as services
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db


def csv_file(rows, header=("部门编码", "期间", "指标", "数值")):
    return io.BytesIO(b"".join(tabular.iter_csv(list(header), rows)))


def test_workload_figures_import_and_reimport(demo_city, staff_user):
    report = services.import_figures(staff_user, csv_file([
        ["SCJGJ", "2025", "办件量", "1,200"],
        ["市场监管局", "2025年第3季度", "penalty_cases", "30"],
        ["CGJ", "2025H1", "监督检查户次", "800"],
    ]), "工作量.csv")
    assert report.committed and report.created == 3
    assert WorkloadFigure.objects.get(department__code="SCJGJ", period="2025Q3").indicator == "penalty_cases"
    again = services.import_figures(staff_user, csv_file([["SCJGJ", "2025", "cases", "1300"],
                                                          ["CGJ", "2025H1", "inspections", "800"]]), "工作量.csv")
    assert (again.updated, again.unchanged, again.created) == (1, 1, 0)


def test_a_bad_figures_file_is_refused_row_by_row_and_nothing_is_written(demo_city, staff_user):
    report = services.import_figures(staff_user, csv_file([
        ["NOPE", "2025", "办件量", "1"],
        ["SCJGJ", "2025Q5", "办件量", "1"],
        ["SCJGJ", "2025", "满意度", "1"],
        ["SCJGJ", "2025", "办件量", "-3"],
        ["CGJ", "2025", "办件量", "abc"],
        ["CGJ", "2025", "cases", "1"],
        ["CGJ", "2025", "办件量", "2"],
    ]), "坏数据.csv")
    assert not report.committed
    text = "\n".join(report.lines())
    assert "文件 坏数据.csv 第2行，字段“部门编码”：部门“NOPE”不存在" in text
    assert "第3行，字段“期间”：无法识别的期间“2025Q5”" in text
    assert "第4行，字段“指标”：未知的指标“满意度”" in text
    assert "第5行，字段“数值”：不能为负数" in text
    assert "第6行，字段“数值”" in text
    assert "第8行，字段“指标”：与第7行的部门、期间和指标相同" in text
    assert not WorkloadFigure.objects.exists()


def test_only_the_office_imports_figures(demo_city):
    user = make_user("cgj", Role.DEPARTMENT, department=Department.objects.get(code="CGJ"))
    with pytest.raises(PermissionDenied):
        services.import_figures(user, csv_file([["CGJ", "2025", "办件量", "1"]]), "x.csv")


@pytest.fixture
def taxonomy(db):
    libraries.load([libraries.library_path("problem_taxonomy.yaml")])


def test_a_violation_is_opened_as_a_problem_once(demo_city, taxonomy, staff_user):
    from lvzhi.problems.models import Problem

    cgj = Department.objects.get(code="CGJ")
    finding = services.open_problem(staff_user, cgj, "over_quota", "administrative")
    problem = Problem.objects.get(pk=finding.problem_id)
    assert problem.department == cgj and problem.category.name == "机构编制违规违纪"
    assert problem.type.code == "C9-02" and "超编6名" in problem.description
    assert finding.problem_number == problem.number
    with pytest.raises(ValidationError) as exc:
        services.open_problem(staff_user, cgj, "over_quota", "administrative")
    assert problem.number in exc.value.messages[0]
    under = services.open_problem(staff_user, Department.objects.get(code="YJJ"), "under_staffed", "administrative")
    assert Problem.objects.get(pk=under.problem_id).category.name == "编制人员管理方面"


def test_no_problem_for_a_violation_that_is_not_there(demo_city, taxonomy, staff_user):
    with pytest.raises(ValidationError):
        services.open_problem(staff_user, Department.objects.get(code="SCJGJ"), "over_quota", "administrative")
    assert not StaffingFinding.objects.exists()


def test_only_the_office_opens_problems(demo_city, taxonomy, leader_user):
    with pytest.raises(PermissionDenied):
        services.open_problem(leader_user, Department.objects.get(code="CGJ"), "over_quota", "administrative")
