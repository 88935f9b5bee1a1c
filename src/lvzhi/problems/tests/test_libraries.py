"""Loading the taxonomy, outline, calendar and questionnaire libraries; versions kept per problem."""

import pytest
import yaml

from lvzhi.core import libraries as core_libraries
from lvzhi.core.libraries import LibraryError, library_path, read

from .. import libraries
from ..models import CalendarDay, ProblemCategory, ProblemType, QuestionnaireTemplate, ResearchOutline, Taxonomy
from .factories import load_libraries, make_problem

NINE = ["部门职能不理顺", "工作职责未明确", "部门间职责边界不清", "部门内部职责不理顺", "工作流程有待进一步优化",
        "议事协调机构协调配合不畅", "基层管理体制机制不理顺", "编制人员管理方面", "机构编制违规违纪"]


@pytest.mark.django_db
def test_bundled_libraries_load_through_load_library():
    lines = core_libraries.load([library_path(n) for n in (
        "problem_taxonomy.yaml", "research_outline.yaml", "holidays.yaml", "questionnaires.yaml")])
    assert any("9 个类别、48 个类型" in line for line in lines)
    assert list(ProblemCategory.objects.values_list("name", flat=True)) == NINE
    assert all(c.types.count() >= 3 for c in ProblemCategory.objects.all())
    assert ProblemType.objects.count() == 48
    assert [t["name"][:4] for t in ResearchOutline.objects.get().topics] == [
        "与其他部", "部门之间", "机构编制", "内设机构", "内部工作", "编制人员"]
    assert CalendarDay.objects.filter(date__year=2027, is_workday=False).count() == 13
    assert QuestionnaireTemplate.objects.filter(is_current=True).count() == 2
    again = core_libraries.load([library_path("problem_taxonomy.yaml")])
    assert "已更新" in again[0] and Taxonomy.objects.count() == 1


def write(tmp_path, data, name="custom.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_problems_keep_the_taxonomy_version_they_were_filed_under(tmp_path, dept_a, staff_user):
    load_libraries()
    old = make_problem(dept_a, staff_user, type_code="C3-02")
    data = read(library_path("problem_taxonomy.yaml"))
    data["version"] = "2027.1"
    data["categories"][2]["types"][1]["name"] = "部门间推诿扯皮（新表述）"
    path = write(tmp_path, data)
    libraries.load_taxonomy(read(path), path)
    assert Taxonomy.current().version == "2027.1"
    old.refresh_from_db()
    assert old.taxonomy_version == "2026.1" and old.type.name == "部门间存在推诿扯皮、退单争议"
    new = make_problem(dept_a, staff_user, type_code="C3-02")
    assert new.taxonomy_version == "2027.1" and new.type.name == "部门间推诿扯皮（新表述）"
    # Re-loading the bundled version does not take "current" back.
    load_libraries()
    assert Taxonomy.current().version == "2027.1"


@pytest.mark.django_db
@pytest.mark.parametrize("broken,message", [
    ({"categories": []}, "非空列表"),
    ({"categories": [{"code": "C1", "name": "x", "types": [{"code": "A", "name": "y", "default_severity": "huge"}]}]},
     "default_severity"),
    ({"categories": [{"code": "C1", "types": [{"code": "A", "name": "y"}]}]}, "缺少 name"),
])
def test_bad_taxonomy_is_refused_and_nothing_loaded(tmp_path, broken, message):
    path = write(tmp_path, {"kind": "problem_taxonomy", "version": "x", **broken})
    with pytest.raises(LibraryError, match=message):
        libraries.load_taxonomy(read(path), path)
    assert not Taxonomy.objects.exists()


@pytest.mark.django_db
def test_calendar_library_rejects_contradictions(tmp_path):
    path = write(tmp_path, {"kind": "holiday_calendar", "version": "1",
                            "holidays": [{"name": "a", "date": "2030-01-01"}],
                            "workdays": [{"name": "b", "date": "2030-01-01"}]})
    with pytest.raises(LibraryError, match="同时被列为休息日和工作日"):
        libraries.load_calendar(read(path), path)
    assert not CalendarDay.objects.exists()
