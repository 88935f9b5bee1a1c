"""Documents re-opened and inspected: the 整改通知书 .docx, the ledger .xlsx, the status report."""

import datetime as dt
import io

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from django.urls import reverse

from lvzhi.testing import login

from .. import services
from ..models import Problem
from ..services.analysis import status_report
from .factories import load_libraries, make_problem


@pytest.fixture
def world(db, dept_a, dept_b, staff_user, dept_user):
    load_libraries()
    return dept_a, dept_b, staff_user, dept_user


def east_asia(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_notice_docx_has_the_problem_and_official_fonts(client, world):
    dept_a, dept_b, staff, liaison = world
    problem = make_problem(dept_a, staff, state="feedback", title="违规设立议事协调机构", type_code="C6-04",
                           policy_basis="《机构编制工作条例》第十七条")
    notice = problem.notices.get()
    login(client, liaison)
    response = client.get(reverse("problems:notice", args=[notice.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    for expected in ("整改通知书", notice.doc_no, dept_a.name, "违规设立议事协调机构", problem.number,
                     "《机构编制工作条例》第十七条", f"{notice.deadline.year}年{notice.deadline.month}月{notice.deadline.day}日",
                     "10个工作日", "机构编制委员会办公室"):
        assert expected in text, expected
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    title = next(p for p in doc.paragraphs if p.text == "整改通知书")
    assert east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    body = next(p for p in doc.paragraphs if p.text.startswith("根据职能运行监管工作安排"))
    assert east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    heading = next(p for p in doc.paragraphs if p.text.endswith("问题情况"))
    assert east_asia(heading.runs[0]) == "黑体"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml


def test_other_department_cannot_download_the_notice(client, world):
    dept_a, dept_b, staff, liaison = world
    problem = make_problem(dept_b, staff, state="feedback")
    login(client, liaison)
    assert client.get(reverse("problems:notice", args=[problem.notices.get().pk])).status_code == 404


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_ledger_export_contains_exactly_the_filtered_rows(client, world):
    dept_a, dept_b, staff, liaison = world
    wanted = [make_problem(dept_a, staff, state="feedback", title=f"甲局问题{i}") for i in range(3)]
    make_problem(dept_a, staff, state="analysis", title="甲局分析中的问题")
    make_problem(dept_b, staff, state="feedback", title="乙局问题")
    make_problem(dept_a, staff, state="feedback", title="=HYPERLINK(\"http://x\")", type_code="C8-02")
    login(client, staff)
    query = {"department": dept_a.pk, "state": "feedback", "type": wanted[0].type_id}
    page = client.get(reverse("problems:ledger"), query).content.decode()
    response = client.get(reverse("problems:ledger-export"), query)
    assert response.status_code == 200
    header, rows = sheet_rows(response)
    assert header[:3] == ("问题编号", "问题标题", "问题描述")
    assert sorted(r[0] for r in rows) == sorted(p.number for p in wanted)
    for p in wanted:
        assert p.number in page
    # Every row, not one page: the export ignores pagination.
    response = client.get(reverse("problems:ledger-export"))
    _, rows = sheet_rows(response)
    assert len(rows) == Problem.objects.count()
    assert any(r[1] == "'=HYPERLINK(\"http://x\")" for r in rows)  # formula injection neutralised


def test_department_export_holds_only_its_problems(client, world):
    dept_a, dept_b, staff, liaison = world
    mine = make_problem(dept_a, staff, state="feedback")
    make_problem(dept_b, staff, state="feedback")
    make_problem(dept_a, staff, state="analysis")
    login(client, liaison)
    _, rows = sheet_rows(client.get(reverse("problems:ledger-export")))
    assert [r[0] for r in rows] == [mine.number]


def test_status_report_docx_and_xlsx(client, world):
    dept_a, dept_b, staff, liaison = world
    make_problem(dept_a, staff, state="closed", liaison=liaison)
    make_problem(dept_b, staff, state="feedback", type_code="C8-02")
    login(client, staff)
    page = client.get(reverse("problems:status"))
    assert page.status_code == 200 and "全市整改情况报告" in page.content.decode()
    docx = client.get(reverse("problems:status"), {"format": "docx"})
    doc = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "全市职能运行监管问题整改情况报告" in text and "按期完成率 100.0%" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert dept_a.name in cells and "部门间存在推诿扯皮、退单争议" not in cells
    xlsx = client.get(reverse("problems:status"), {"format": "xlsx", "department": dept_a.code})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    summary = dict(book["概况"].iter_rows(min_row=2, values_only=True))
    assert summary["统计范围"] == dept_a.name and summary["问题总数"] == 1


def test_status_report_times_only_completions_that_stand(world):
    dept_a, dept_b, staff, liaison = world
    on_time = make_problem(dept_a, staff, state="evaluation", liaison=liaison, title="按期完成")
    late = make_problem(dept_a, staff, state="evaluation", liaison=liaison, title="逾期完成")
    Problem.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 6))
    rejected = make_problem(dept_a, staff, state="evaluation", liaison=liaison, title="被退回")
    services.reject(rejected, by=staff, note="佐证材料不足")
    report = status_report(Problem.objects.all(), department=dept_a)
    assert (report.completed, report.on_time, report.on_time_rate) == (2, 1, 50.0)
    assert [p.pk for p in report.rejected] == [rejected.pk]
    assert Problem.objects.get(pk=rejected.pk).completed_at is None
    assert Problem.objects.get(pk=on_time.pk).completed_at is not None


def test_department_gets_only_its_own_status_report(client, world):
    dept_a, dept_b, staff, liaison = world
    make_problem(dept_b, staff, state="feedback", title="乙局的逾期问题")
    login(client, liaison)
    response = client.get(reverse("problems:status"), {"department": dept_b.code})
    assert response.status_code == 200
    assert dept_a.name in response.content.decode() and "乙局的逾期问题" not in response.content.decode()
