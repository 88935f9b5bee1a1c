"""权责清单 import and export (interchange §2): XLSX and CSV in UTF-8, UTF-8 with BOM and GBK."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lvzhi.core.roles import Role
from lvzhi.duties.models import PowerItem, PowerList, PowerListEdition, PowerType
from lvzhi.duties.services import powerio, powers
from lvzhi.testing import make_department, make_user

from .factories import HEADER, csv_bytes, import_file, make_power_list, row, xlsx_bytes

ROWS = [
    row("XK-001", "DEPTA", "食品生产许可", "行政许可", "《中华人民共和国食品安全法》第三十五条", unit="食品科"),
    row("CF-001", "DEPTA", "对无证生产的处罚", "行政处罚", "《中华人民共和国食品安全法》第一百二十二条"),
    row("JC-001", "DEPTA", "食品生产监督检查", "行政监督", "《中华人民共和国食品安全法》第一百一十条"),
    row("CF-001", "DEPTB", "对违法排污的处罚", "行政处罚", "《中华人民共和国环境保护法》第五十九条"),
]


def items_of(code):
    return PowerItem.objects.filter(department__code=code, edition__status="draft").order_by("position")


@pytest.mark.parametrize("filename,content", [
    ("清单.xlsx", lambda: xlsx_bytes(ROWS, title_rows=["示范市权责清单（2025年版）"])),
    ("清单.csv", lambda: csv_bytes(ROWS, "utf-8")),
    ("清单-bom.csv", lambda: csv_bytes(ROWS, "utf-8-sig")),
    ("清单-gbk.csv", lambda: csv_bytes(ROWS, "gbk")),
])
def test_imports_xlsx_and_csv_in_every_encoding_into_drafts(dept_a, dept_b, filename, content):
    report = import_file(content(), filename, label="2025年版")
    assert report.committed, report.lines()
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    items = list(items_of("DEPTA"))
    assert [i.code for i in items] == ["XK-001", "CF-001", "JC-001"]
    assert items[0].type == PowerType.LICENSING and items[0].unit == "食品科"
    assert items[2].type == PowerType.INSPECTION  # Shandong's 行政监督 is 行政检查
    edition = PowerListEdition.objects.get(power_list__department=dept_a)
    assert edition.status == "draft" and edition.label == "2025年版" and not edition.is_current
    assert items_of("DEPTB").count() == 1


def test_english_header_aliases_and_type_codes_are_accepted(dept_a):
    header = ["code", "department", "type", "name", "sub_item", "basis", "unit", "responsibilities",
              "accountability", "note"]
    rows = [["XK-9", "DEPTA", "licensing", "某项许可", "子项", "《条例》", "", "", "", ""]]
    report = import_file(csv_bytes(rows, header=header), "en.csv")
    assert report.committed, report.lines()
    assert items_of("DEPTA").get().sub_item == "子项"


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_written(dept_a):
    rows = [
        row("XK-001", "DEPTA", "好的事项", "行政许可"),
        row("XK-002", "NOSUCH", "部门不存在", "行政许可"),
        row("XK-003", "DEPTA", "类型错误", "行政审批"),
        row("XK-001", "DEPTA", "编码重复", "行政许可"),
        row("XK-004", "DEPTA", "缺少依据", "行政许可", basis=""),
    ]
    report = import_file(xlsx_bytes(rows), "bad.xlsx")
    assert not report.committed
    text = "\n".join(report.lines())
    assert "第3行" in text and "NOSUCH" in text
    assert "第4行" in text and "行政审批" in text
    assert "第5行" in text and "与第2行的职权编码重复" in text
    assert "第6行" in text and "设定依据" in text
    assert "第2行，" not in text  # the good row is not reported
    assert not PowerList.objects.exists() and not PowerItem.objects.exists()


def test_bad_rows_are_listed_in_row_order_whichever_check_found_them(dept_a):
    rows = [
        row("XK-001", "NOSUCH", "部门不存在", "行政许可"),  # found after reading: no such department
        row("XK-002", "DEPTA", "类型错误", "行政审批"),  # found while reading the cell
        row("XK-002", "DEPTB", "部门不存在", "行政许可"),
        row("XK-003", "DEPTA", "缺少依据", "行政许可", basis=""),
    ]
    report = import_file(xlsx_bytes(rows), "order.xlsx")
    assert [n for n, _ in report.rejected] == [2, 3, 4, 5]
    lines = report.lines()[1:]
    assert [line.split("第")[1].split("行")[0] for line in lines] == ["2", "3", "4", "5"]
    assert [r["row"] for r in report.to_dict()["rejected"]] == [2, 3, 4, 5]


def test_a_file_without_required_columns_is_rejected(dept_a):
    report = import_file(csv_bytes([["XK", "DEPTA"]], header=["职权编码", "部门编码"]), "short.csv")
    assert not report.committed
    assert any("缺少必填列“职权名称”" in line for line in report.lines())


def test_reimporting_the_same_file_changes_nothing(dept_a, dept_b):
    content = xlsx_bytes(ROWS)
    import_file(content, "a.xlsx")
    again = import_file(content, "a.xlsx")
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 4)
    for power_list in PowerList.objects.all():
        powers.publish(power_list, None, label="2025年版")
    editions = PowerListEdition.objects.count()
    third = import_file(content, "a.xlsx")
    assert (third.created, third.updated, third.unchanged) == (0, 0, 4)
    assert PowerListEdition.objects.count() == editions  # no empty draft created


def test_an_edited_file_updates_the_draft_and_removes_missing_items(dept_a, dept_b):
    import_file(xlsx_bytes(ROWS), "a.xlsx")
    powers.publish(PowerList.objects.get(department=dept_a), None, label="2025年版")
    edited = [row("XK-001", "DEPTA", "食品生产许可", "行政许可", "《中华人民共和国食品安全法》第三十五条、第三十九条"),
              row("CF-001", "DEPTA", "对无证生产的处罚", "行政处罚", "《中华人民共和国食品安全法》第一百二十二条"),
              row("QR-001", "DEPTA", "新的确认事项", "行政确认")]
    report = import_file(xlsx_bytes(edited), "b.xlsx", label="2026年第1次调整")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert any("移除" in line for line in report.lines())
    draft = PowerListEdition.objects.get(power_list__department=dept_a, status="draft")
    assert sorted(draft.items.values_list("code", flat=True)) == ["CF-001", "QR-001", "XK-001"]
    current = PowerListEdition.objects.get(power_list__department=dept_a, is_current=True)
    assert current.items.count() == 3  # the published edition is untouched


def test_department_liaison_imports_only_its_own_department(dept_a, dept_b):
    liaison = make_user("imp_a", Role.DEPARTMENT, department=dept_a)
    report = import_file(xlsx_bytes(ROWS), "a.xlsx", user=liaison)
    assert not report.committed
    assert any("第5行" in line and "无权导入其他部门" in line for line in report.lines())
    assert not PowerItem.objects.exists()
    own = import_file(xlsx_bytes(ROWS[:3]), "a.xlsx", user=liaison)
    assert own.committed and items_of("DEPTA").count() == 3


def test_export_writes_the_same_columns_and_neutralises_formulas(dept_a, tmp_path):
    make_power_list(dept_a, [("CF-1", "=HYPERLINK(\"x\")", PowerType.PENALTY, "《条例》")])
    path = tmp_path / "out.xlsx"
    powerio.write(path, PowerItem.objects.filter(edition__is_current=True))
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.values)
    assert list(values[0]) == HEADER
    assert values[1][0] == "CF-1" and values[1][2] == "行政处罚"
    assert values[1][3].startswith("'=")
    # and the export imports back unchanged
    report = powerio.import_powers(io.BytesIO(path.read_bytes()), "out.xlsx")
    assert report.committed


def test_commands_import_publish_and_export(dept_a, dept_b, tmp_path, capsys):
    source = tmp_path / "list.csv"
    source.write_bytes(csv_bytes(ROWS, "gbk"))
    call_command("import-powers", str(source), "--label", "2025年版", "--publish")
    assert PowerItem.objects.filter(edition__is_current=True).count() == 4
    out = tmp_path / "out.csv"
    call_command("export-powers", str(out), "--department", "DEPTA")
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("职权编码,部门编码,职权类型")
    assert "食品生产许可" in text and "对违法排污的处罚" not in text
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row("X", "NOPE", "名称")]))
    with pytest.raises(CommandError):
        call_command("import-powers", str(bad))
    assert "NOPE" in capsys.readouterr().err


def test_departments_not_in_the_file_are_untouched(db):
    other = make_department("DEPTC", "丙局")
    make_power_list(other, [("A", "丙的事项", PowerType.OTHER, "《条例》")])
    make_department("DEPTA", "甲局")
    import_file(xlsx_bytes(ROWS[:3]), "a.xlsx")
    assert PowerListEdition.objects.filter(power_list__department=other).count() == 1
