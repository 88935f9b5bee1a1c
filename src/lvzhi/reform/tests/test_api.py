"""The reform API, scoped like the pages."""

import pytest

from lvzhi.core.roles import Role
from lvzhi.org.models import Department
from lvzhi.reform.models import Process, ProcessStep, Proposal, ProposalChange, StepMaterial
from lvzhi.testing import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(demo_city):
    zjj, cgj = Department.objects.get(code="ZJJ"), Department.objects.get(code="CGJ")
    p = Process.objects.create(name="案件移送", department=cgj)
    first = ProcessStep.objects.create(process=p, position=1, name="发现线索", department=zjj, days=2)
    StepMaterial.objects.create(step=first, name="笔录", source="produced")
    second = ProcessStep.objects.create(process=p, position=2, name="立案", department=cgj, days=3)
    second.predecessors.set([first])
    StepMaterial.objects.create(step=second, name="笔录", source="applicant")
    return p


def test_processes_with_analysis(process, staff_user):
    data = client_for(staff_user).get("/api/processes/").json()
    [item] = data["results"]
    assert item["department"] == "CGJ" and len(item["steps"]) == 2
    assert item["analysis"]["duration"] == 5 and item["analysis"]["handoffs"] == 1
    assert item["analysis"]["duplicate_materials"][0]["material"] == "笔录"


def test_processes_are_scoped_to_participating_departments(process):
    inside = make_user("zjj", Role.DEPARTMENT, department=Department.objects.get(code="ZJJ"))
    outside = make_user("wjw", Role.DEPARTMENT, department=Department.objects.get(code="WJW"))
    assert client_for(inside).get("/api/processes/").json()["count"] == 1
    assert client_for(outside).get("/api/processes/").json()["count"] == 0
    assert client_for(outside).get(f"/api/processes/{process.pk}/").status_code == 404


def test_proposals_and_their_flow(demo_city, staff_user, leader_user):
    cgj = Department.objects.get(code="CGJ")
    proposal = Proposal.objects.create(department=cgj, title="调整内设机构", reason="理由", created_by=staff_user)
    ProposalChange.objects.create(proposal=proposal, target="unit", action="add", unit_name="执法协调科")
    staff = client_for(staff_user)
    assert staff.get("/api/proposals/").json()["results"][0]["changes"][0]["text_summary"] == "增设执法协调科"
    url = f"/api/proposals/{proposal.pk}/act/"
    assert staff.post(url, {"action": "submit"}, content_type="application/json").json()["state"] == "review"
    assert staff.post(url, {"action": "approve"}, content_type="application/json").status_code == 400
    staff.post(url, {"action": "forward"}, content_type="application/json")
    leader = client_for(leader_user)
    assert leader.post(url, {"action": "carry_out"}, content_type="application/json").status_code == 403
    assert leader.post(url, {"action": "approve"}, content_type="application/json").json()["state"] == "approved"
    assert leader.post(url, {"action": "carry_out"}, content_type="application/json").status_code == 403
    other = make_user("scjgj", Role.DEPARTMENT, department=Department.objects.get(code="SCJGJ"))
    assert client_for(other).get("/api/proposals/").json()["count"] == 0
    assert client_for(other).post(url, {"action": "submit"}, content_type="application/json").status_code == 404


def test_staffing_analysis_is_scoped(demo_city, staff_user):
    rows = client_for(staff_user).get("/api/staffing-analysis/").json()["results"]
    cgj = next(r for r in rows if r["department"] == "CGJ")
    assert {"rule": "over_quota", "subject": "administrative", "message": "行政编制核定52名，实有58名，超编6名",
            "problem": None} in cgj["violations"]
    liaison = make_user("cgj", Role.DEPARTMENT, department=Department.objects.get(code="CGJ"))
    assert [r["department"] for r in client_for(liaison).get("/api/staffing-analysis/").json()["results"]] == ["CGJ"]
    assert client_for(make_user("h", Role.HOTLINE)).get("/api/staffing-analysis/").status_code == 403
