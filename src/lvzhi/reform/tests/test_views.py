"""The reform pages over real HTTP: what each role may open, forms that call the services, imports."""

import io

import pytest
from django.urls import reverse

from lvzhi.core import tabular
from lvzhi.core.roles import Role
from lvzhi.org.models import Department, Mandate
from lvzhi.reform.models import CaseRecord, Process, ProcessStep, Proposal
from lvzhi.testing import client_for, make_department, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def depts(db):
    return make_department("ZJJ", "住建局"), make_department("CGJ", "城管局"), make_department("WJW", "卫健委")


@pytest.fixture
def process(depts, staff_user):
    zjj, cgj, _ = depts
    p = Process.objects.create(name="案件移送", department=cgj)
    first = ProcessStep.objects.create(process=p, position=1, name="发现线索", department=zjj, days=2)
    second = ProcessStep.objects.create(process=p, position=2, name="立案查处", department=cgj, days=10)
    second.predecessors.set([first])
    return p


def test_office_models_a_process_through_the_pages(depts, staff_client):
    zjj, cgj, _ = depts
    response = staff_client.post(reverse("reform:process-create"), {"name": "审批监管联动", "department": cgj.pk})
    process = Process.objects.get(name="审批监管联动")
    assert response.status_code == 302 and response.url == process.get_absolute_url()
    url = reverse("reform:step-create", args=[process.pk])
    assert staff_client.get(url).status_code == 200
    staff_client.post(url, {"name": "发证", "department": zjj.pk, "days": "2", "produced_materials": "许可证"})
    first = process.steps.get()
    staff_client.post(url, {"name": "纳入监管", "department": cgj.pk, "days": "5", "predecessors": [first.pk],
                            "applicant_materials": "许可证\n营业执照"})
    page = staff_client.get(process.get_absolute_url()).content.decode()
    assert "<svg" in page and "办理总时限" in page
    assert "“纳入监管”要求申请人提交“许可证”，而“发证”已经掌握" in page
    bad = staff_client.post(url, {"name": "x", "department": cgj.pk, "days": "-1"})
    assert bad.status_code == 400 and "不能为负数" in bad.content.decode()


def test_redesign_compare_and_adopt_through_the_pages(process, staff_client):
    response = staff_client.post(reverse("reform:process-redesign", args=[process.pk]), {"name": "案件移送（再造后）"})
    copy = Process.objects.get(name="案件移送（再造后）")
    assert response.url == copy.get_absolute_url()
    step = copy.steps.get(name="立案查处")
    staff_client.post(reverse("reform:step-edit", args=[step.pk]), {
        "name": "立案查处", "department": step.department.pk, "days": "6", "expected_version": step.version,
        "predecessors": [s.pk for s in step.predecessors.all()]})
    page = staff_client.get(reverse("reform:process-compare", args=[copy.pk])).content.decode()
    assert "办理总时限由 12 个工作日压减至 8 个工作日，减少 4 个工作日" in page
    staff_client.post(reverse("reform:process-adopt", args=[copy.pk]), {"adopted_on": "2025-09-01"})
    copy.refresh_from_db()
    assert str(copy.adopted_on) == "2025-09-01"
    page = staff_client.get(copy.get_absolute_url()).content.decode()
    assert "2025-09-01 采用" in page and "新增环节" not in page


def test_department_user_sees_processes_it_takes_part_in_only(process, depts):
    _, _, wjw = depts
    zjj_user = make_user("zjj_l", Role.DEPARTMENT, department=depts[0])
    other = make_user("wjw_l", Role.DEPARTMENT, department=wjw)
    assert client_for(zjj_user).get(process.get_absolute_url()).status_code == 200
    assert "案件移送" in client_for(zjj_user).get(reverse("reform:processes")).content.decode()
    assert client_for(other).get(process.get_absolute_url()).status_code == 404
    assert "案件移送" not in client_for(other).get(reverse("reform:processes")).content.decode()
    assert client_for(zjj_user).get(reverse("reform:process-create")).status_code == 403
    assert client_for(zjj_user).post(reverse("reform:process-redesign", args=[process.pk])).status_code == 403


def xlsx(rows):
    buffer = io.BytesIO()
    tabular.write_xlsx(buffer, [tabular.Sheet("办件", ["办件编号", "受理日期", "办结日期"], rows)])
    buffer.seek(0)
    buffer.name = "办件.xlsx"
    return buffer


def test_bad_case_times_are_refused_with_row_numbers_and_nothing_written(process, staff_client):
    url = reverse("reform:case-import", args=[process.pk])
    response = staff_client.post(url, {"file": xlsx([["A-1", "2025-03-03", "2025-03-20"],
                                                     ["A-2", "2025-03-03", "二〇二五年"]])})
    assert response.status_code == 400
    assert "文件 办件.xlsx 第3行，字段“办结日期”" in response.content.decode()
    assert not CaseRecord.objects.exists()
    not_xlsx = io.BytesIO(b"%PDF-1.4 not a workbook")
    not_xlsx.name = "办件.xlsx"
    assert staff_client.post(url, {"file": not_xlsx}).status_code == 400
    ok = staff_client.post(url, {"file": xlsx([["A-1", "2025-03-03", "2025-03-20"]])})
    assert ok.status_code == 302 and CaseRecord.objects.get().working_days == 13
    assert staff_client.get(reverse("reform:case-template")).status_code == 200


def test_staffing_page_for_each_role(demo_city, staff_user, leader_user):
    cgj = Department.objects.get(code="CGJ")
    liaison = make_user("cgj_l", Role.DEPARTMENT, department=cgj)
    page = client_for(staff_user).get(reverse("reform:staffing")).content.decode()
    assert "行政编制核定52名，实有58名，超编6名" in page and "市民政局" in page and "data-chart" in page
    mine = client_for(liaison).get(reverse("reform:staffing")).content.decode()
    assert "行政编制核定52名，实有58名，超编6名" in mine and "市民政局" not in mine and "data-chart" not in mine
    assert "立为问题" not in client_for(leader_user).get(reverse("reform:staffing")).content.decode()
    assert client_for(liaison).post(reverse("reform:open-problem"), {"department": cgj.pk}).status_code == 403
    hotline = make_user("h", Role.HOTLINE)
    assert client_for(hotline).get(reverse("reform:staffing")).status_code == 403
    export = client_for(staff_user).get(reverse("reform:staffing-export"))
    assert export.status_code == 200
    rows = list(tabular.read_table(io.BytesIO(b"".join(export.streaming_content)), "x.xlsx",
                                   [tabular.Column("code", "部门编码")], ignore_unknown=True))
    assert "CGJ" in {r.values["code"] for r in rows}


def test_proposal_pages_from_draft_to_carried_out(demo_city, staff_client, leader_user):
    zrzyj, cgj = Department.objects.get(code="ZRZYJ"), Department.objects.get(code="CGJ")
    staff_client.post(reverse("reform:proposal-create"), {
        "department": zrzyj.pk, "title": "关于调剂行政编制的请示", "reason": "盘活空编"})
    proposal = Proposal.objects.get()
    staff_client.post(reverse("reform:change-create", args=[proposal.pk]), {
        "target": "staffing", "action": "move", "staff_type": "administrative", "amount": "6",
        "to_department": cgj.pk})
    staff_client.post(reverse("reform:evidence-create", args=[proposal.pk]), {"kind": "efficiency"})
    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    assert "划出行政编制6名至" in page and "编制使用情况" in page
    act = reverse("reform:proposal-act", args=[proposal.pk])
    staff_client.post(act, {"action": "submit"})
    staff_client.post(act, {"action": "forward"})
    leader = client_for(leader_user)
    assert "登记编委同意" in leader.get(proposal.get_absolute_url()).content.decode()
    leader.post(act, {"action": "approve", "doc_no": "示编〔2026〕9号"})
    leader.post(act, {"action": "carry_out"})  # refused: only the office carries out
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.APPROVED
    staff_client.post(act, {"action": "carry_out"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CARRIED_OUT
    assert Mandate.objects.get(department=zrzyj, is_current=True).doc_no == "示编〔2026〕9号"
    document = staff_client.get(reverse("reform:proposal-document", args=[proposal.pk]))
    assert document.status_code == 200 and document["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")


def test_department_drafts_only_for_itself(demo_city):
    cgj = Department.objects.get(code="CGJ")
    liaison = client_for(make_user("cgj_l2", Role.DEPARTMENT, department=cgj))
    form = liaison.get(reverse("reform:proposal-create")).content.decode()
    assert "城市管理局" in form and "市场监督管理局" not in form
    other = Department.objects.get(code="SCJGJ")
    response = liaison.post(reverse("reform:proposal-create"), {"department": other.pk, "title": "x", "reason": "y"})
    assert response.status_code == 400 and not Proposal.objects.exists()


def test_workbench_lists_proposals_to_decide(demo_city, staff_user, leader_user):
    proposal = Proposal.objects.create(department=Department.objects.get(code="CGJ"), title="x", reason="y",
                                       state=Proposal.State.DECISION)
    page = client_for(leader_user).get(reverse("core:workbench")).content.decode()
    assert "1 项机构编制事项动议待编委决定" in page
    assert proposal.pk
