"""The organisation file (interchange.md §1): import, idempotence, round trip and every error rule."""

import copy
import json

import pytest
import yaml
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from lvzhi.core.libraries import library_path
from lvzhi.duties.models import DutyPoint, Matter
from lvzhi.org import interchange
from lvzhi.org.models import BoundaryClause, Department, Mandate, MandateDuty, StaffingActual, StaffingQuota

DEMO = library_path("demo_city.yaml")


def minimal(**overrides):
    data = {
        "format": "lvzhi.org/1",
        "region": {"name": "测试市", "level": "city"},
        "departments": [
            {"code": "AAA", "name": "测试市甲局", "kind": "government", "category": "economic", "assessed": True,
             "sanding": {"title": "甲局三定", "doc_no": "测办发〔2019〕1号", "issued": "2019-03-01",
                         "duties": ["负责甲工作。", "负责乙工作。"],
                         "boundaries": [{"with": ["BBB"], "topic": "分工", "text": "甲局负责甲，乙局负责乙。"}],
                         "units": [{"name": "办公室", "duties": "负责日常运转。"}],
                         "staffing": {"administrative": 20, "service": 2, "leader_posts": {"head": 1, "deputy": 3}}},
             "actual_staff": {"administrative": 22, "service": 2}},
            {"code": "BBB", "name": "测试市乙局", "kind": "government", "category": "enforcement"},
        ],
        "matters": [
            {"code": "M-1", "name": "测试事项", "links": [
                {"name": "审批", "points": [{"text": "负责审批", "lead": "AAA", "support": ["BBB"], "basis": "某法"}]}]}
        ],
    }
    data.update(overrides)
    return data


def load(data, name="org.yaml"):
    return interchange.import_org(yaml.safe_dump(data, allow_unicode=True).encode(), name)


def errors_of(data, name="org.yaml"):
    with pytest.raises(interchange.OrgFileError) as exc:
        load(data, name)
    return exc.value.errors


@pytest.mark.django_db
def test_demo_city_imports_with_required_departments_and_matters():
    report = interchange.import_org_path(DEMO)
    assert report.changed
    codes = set(Department.objects.values_list("code", flat=True))
    required = "FGW GXJ CZJ SWJ NYNCJ ZRZYJ ZJJ JTJ SLJ SCJGJ SHJJ CGJ YJJ GAJ JTYJ WJW RSJ MZJ YBJ WLJ SPJ DSJ SFJ TYJ"
    assert set(required.split()) <= codes
    assessed = set(Department.objects.filter(assessed=True).values_list("code", flat=True))
    assert assessed == set("FGW GXJ SWJ NYNCJ ZRZYJ SCJGJ SHJJ CGJ YJJ ZJJ SPJ RSJ WJW JTYJ".split())
    for code in required.split():
        mandate = Mandate.objects.get(department__code=code, is_current=True)
        assert 10 <= mandate.duties.count() <= 16, code
        assert 2 <= mandate.boundaries.count() <= 5, code
        assert 4 <= mandate.units.count() <= 8, code
        assert StaffingQuota.objects.filter(mandate=mandate).exists(), code
    assert Department.objects.filter(kind="township").count() >= 2
    assert Department.objects.filter(kind="zone").exists()
    names = set(Matter.objects.values_list("name", flat=True))
    for name in ["停车场建设管理", "集贸市场审批监管", "农村宅基地管理", "相对集中行政处罚权案件移送", "餐饮油烟污染治理", "住宅小区物业管理"]:
        assert name in names


@pytest.mark.django_db
def test_second_import_of_same_file_changes_nothing():
    interchange.import_org_path(DEMO)
    entries = LogEntry.objects.count()
    report = interchange.import_org_path(DEMO)
    assert not report.changed
    assert LogEntry.objects.count() == entries


@pytest.mark.django_db
def test_export_import_into_empty_database_export_is_identical(tmp_path, django_db_blocker):
    interchange.import_org_path(DEMO)
    first = interchange.export_org("a.yaml")
    for model in (DutyPoint, Matter, StaffingActual, Mandate):
        model.objects.all().delete()
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()
    assert not Department.objects.exists()
    interchange.import_org(first.encode(), "a.yaml")
    assert interchange.export_org("b.yaml") == first
    # JSON export round-trips as well.
    as_json = interchange.export_org("c.json")
    assert json.loads(as_json)["format"] == "lvzhi.org/1"


@pytest.mark.django_db
def test_edited_file_updates_what_changed_and_is_audited():
    load(minimal())
    data = minimal()
    data["departments"][0]["sanding"]["duties"][1] = "负责丙工作。"
    data["departments"][1]["name"] = "测试市乙局（更名）"
    report = load(data)
    assert report.counts["主要职责"]["updated"] == 1
    assert report.counts["部门"]["updated"] == 1
    assert MandateDuty.objects.get(number=2).text == "负责丙工作。"
    entry = LogEntry.objects.filter(object_repr="测试市乙局（更名）", action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["测试市乙局", "测试市乙局（更名）"]


@pytest.mark.django_db
def test_new_document_supersedes_old_mandate_which_stays_readable():
    load(minimal())
    data = minimal()
    data["departments"][0]["sanding"]["doc_no"] = "测办发〔2024〕9号"
    load(data)
    old, new = Mandate.objects.filter(department__code="AAA").order_by("pk")
    assert not old.is_current and new.is_current and old.superseded_by == new
    assert old.duties.count() == 2 and new.duties.count() == 2


@pytest.mark.django_db
def test_imported_file_fields_are_stored():
    load(minimal())
    a = Department.objects.get(code="AAA")
    mandate = a.mandates.get(is_current=True)
    assert mandate.issued.isoformat() == "2019-03-01"
    clause = BoundaryClause.objects.get(mandate=mandate)
    assert [d.code for d in clause.others.all()] == ["BBB"]
    quota = mandate.staffing
    assert (quota.administrative, quota.leader_deputy) == (20, 3)
    assert StaffingActual.objects.get(department=a).administrative == 22
    point = DutyPoint.objects.get()
    assert point.lead == a and [d.code for d in point.support.all()] == ["BBB"]


def mutate(path, value=None, delete=False):
    data = minimal()
    target = data
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD_CASES = [
    ("unknown format", mutate(["format"], "lvzhi.org/9"), "format", "未知的格式"),
    ("missing code", mutate(["departments", 1, "code"], delete=True), "code", "缺少必填字段"),
    ("missing name", mutate(["departments", 1, "name"], delete=True), "name", "缺少必填字段"),
    ("missing kind", mutate(["departments", 1, "kind"], delete=True), "kind", "缺少必填字段"),
    ("missing category", mutate(["departments", 1, "category"], delete=True), "category", "缺少必填字段"),
    ("missing matter code", mutate(["matters", 0, "code"], delete=True), "code", "缺少必填字段"),
    ("missing matter name", mutate(["matters", 0, "name"], delete=True), "name", "缺少必填字段"),
    ("missing point text", mutate(["matters", 0, "links", 0, "points", 0, "text"], delete=True), "text", "缺少必填字段"),
    ("missing point lead", mutate(["matters", 0, "links", 0, "points", 0, "lead"], delete=True), "lead", "缺少必填字段"),
    ("duplicate code", mutate(["departments", 1, "code"], "AAA"), "code", "部门编码重复"),
    ("bad parent", mutate(["departments", 1, "parent"], "NOPE"), "parent", "NOPE"),
    ("bad with", mutate(["departments", 0, "sanding", "boundaries", 0, "with"], ["NOPE"]), "with", "NOPE"),
    ("bad lead", mutate(["matters", 0, "links", 0, "points", 0, "lead"], "NOPE"), "lead", "NOPE"),
    ("bad support", mutate(["matters", 0, "links", 0, "points", 0, "support"], ["NOPE"]), "support", "NOPE"),
    ("bad kind", mutate(["departments", 1, "kind"], "ministry"), "kind", "不在允许范围"),
    ("bad category", mutate(["departments", 1, "category"], "economy"), "category", "不在允许范围"),
    ("bad level", mutate(["region", "level"], "galaxy"), "level", "不在允许范围"),
    ("negative staffing", mutate(["departments", 0, "sanding", "staffing", "administrative"], -3), "administrative", "非负整数"),
    ("fractional staffing", mutate(["departments", 0, "sanding", "staffing", "service"], 2.5), "service", "非负整数"),
    ("text staffing", mutate(["departments", 0, "actual_staff", "administrative"], "二十"), "administrative", "非负整数"),
    ("bad leader posts", mutate(["departments", 0, "sanding", "staffing", "leader_posts", "head"], -1), "head", "非负整数"),
    ("bad date", mutate(["departments", 0, "sanding", "issued"], "2019-02-30"), "issued", "无法识别"),
    ("unknown field", mutate(["departments", 1, "colour"], "red"), "colour", "未知字段"),
    ("bad code pattern", mutate(["departments", 1, "code"], "乙 局"), "code", "字母、数字"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("label,data,field,message", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_file_is_reported_with_file_record_and_field_and_nothing_is_written(label, data, field, message):
    errors = errors_of(data, "bad.yaml")
    assert any(e.startswith("文件 bad.yaml：") and f"字段“{field}”" in e and message in e for e in errors), errors
    assert not Department.objects.exists()
    assert not Matter.objects.exists()


@pytest.mark.django_db
def test_reference_to_code_already_in_database_is_accepted():
    load(minimal())
    data = {"format": "lvzhi.org/1", "departments": [
        {"code": "CCC", "name": "丙局", "kind": "institution", "category": "other", "parent": "AAA"}]}
    load(data)
    assert Department.objects.get(code="CCC").parent.code == "AAA"


@pytest.mark.django_db
def test_error_in_one_record_leaves_an_existing_database_untouched():
    load(minimal())
    data = minimal()
    data["departments"][0]["name"] = "改名了"
    data["departments"][1]["category"] = "wrong"
    errors_of(data)
    assert Department.objects.get(code="AAA").name == "测试市甲局"


@pytest.mark.django_db
def test_syntax_and_encoding_errors_name_the_file():
    with pytest.raises(interchange.OrgFileError) as exc:
        interchange.import_org(b"format: [unclosed", "broken.yaml")
    assert "文件 broken.yaml" in exc.value.errors[0] and "YAML" in exc.value.errors[0]
    with pytest.raises(interchange.OrgFileError) as exc:
        interchange.import_org("format: 组织".encode("gbk"), "gbk.yaml")
    assert "UTF-8" in exc.value.errors[0]
    with pytest.raises(interchange.OrgFileError) as exc:
        interchange.import_org(b'{"format": ', "broken.json")
    assert "JSON" in exc.value.errors[0]


@pytest.mark.django_db
def test_parent_cycle_is_rejected():
    data = minimal()
    data["departments"][0]["parent"] = "BBB"
    data["departments"][1]["parent"] = "AAA"
    errors = errors_of(data)
    assert any("循环" in e for e in errors)


@pytest.mark.django_db
def test_json_file_imports():
    interchange.import_org(json.dumps(minimal(), ensure_ascii=False).encode(), "org.json")
    assert Department.objects.count() == 2


@pytest.mark.django_db
def test_cli_import_reports_errors_and_exits_non_zero(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(mutate(["departments", 1, "kind"], "ministry"), allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import-org", str(bad))
    assert "未写入任何数据" in str(exc.value)
    assert "字段“kind”" in capsys.readouterr().err
    assert not Department.objects.exists()


@pytest.mark.django_db
def test_cli_import_and_export(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(minimal(), allow_unicode=True), encoding="utf-8")
    call_command("import-org", str(good))
    assert "导入完成" in capsys.readouterr().out
    out = tmp_path / "out.yaml"
    call_command("export-org", str(out))
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [d["code"] for d in data["departments"]] == ["AAA", "BBB"]
    assert data["matters"][0]["links"][0]["points"][0]["support"] == ["BBB"]


def test_minimal_helper_is_not_shared_between_cases():
    a, b = minimal(), minimal()
    a["departments"][0]["name"] = "x"
    assert b["departments"][0]["name"] != "x"
    assert copy.deepcopy(a) == a
