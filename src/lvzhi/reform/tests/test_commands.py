"""The reform commands: staffing-check, import-case-times, import-workload."""

import io

import pytest
from django.core.management import CommandError, call_command

from lvzhi.core import tabular
from lvzhi.org.models import Department
from lvzhi.reform.models import CaseRecord, Process, WorkloadFigure

pytestmark = pytest.mark.django_db


def test_staffing_check_lists_violations_and_writes_xlsx(demo_city, staff_user, tmp_path):
    out = io.StringIO()
    target = tmp_path / "编制.xlsx"
    call_command("staffing-check", "--user", staff_user.username, "--xlsx", str(target), stdout=out)
    text = out.getvalue()
    assert "CGJ\t市城管局\t超编配备人员\t行政编制核定52名，实有58名，超编6名" in text
    assert "MZJ" in text and target.stat().st_size > 0
    rows = list(tabular.read_table(target, None, [tabular.Column("code", "部门编码")], ignore_unknown=True))
    assert len(rows) == Department.objects.count()
    with pytest.raises(CommandError):
        call_command("staffing-check", "--user", staff_user.username, "--department", "NOPE", stdout=io.StringIO())


def test_import_commands_refuse_bad_rows_and_write_nothing(demo_city, staff_user, tmp_path):
    process = Process.objects.create(name="案件移送", department=Department.objects.get(code="CGJ"))
    bad = tmp_path / "办件.csv"
    tabular.write_csv(bad, ["办件编号", "受理日期", "办结日期"], [["A-1", "2025-03-03", "2025-02-01"]])
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import-case-times", str(process.pk), str(bad), "--user", staff_user.username, stderr=err)
    assert "未写入任何数据" in str(exc.value) and "第2行，字段“办结日期”" in err.getvalue()
    assert not CaseRecord.objects.exists()
    good = tmp_path / "工作量.csv"
    tabular.write_csv(good, ["部门编码", "期间", "指标", "数值"], [["CGJ", "2025", "办件量", "10"]])
    out = io.StringIO()
    call_command("import-workload", str(good), "--user", staff_user.username, stdout=out)
    assert "新增 1 条" in out.getvalue() and WorkloadFigure.objects.count() == 1
