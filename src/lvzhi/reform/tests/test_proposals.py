"""机构编制事项动议: the flow from draft to carried out, the new 三定 versions, and the 请示 .docx."""

import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvzhi.core.roles import Role
from lvzhi.org.models import Department, Mandate, StaffingQuota
from lvzhi.reform.exports import proposal_document
from lvzhi.reform.models import Proposal
from lvzhi.reform.services import evidence, proposals
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db
State = Proposal.State


@pytest.fixture
def city(demo_city):
    return {code: Department.objects.get(code=code) for code in ("ZRZYJ", "CGJ", "SCJGJ")}


@pytest.fixture
def liaison(city):
    return make_user("zrzyj", Role.DEPARTMENT, department=city["ZRZYJ"])


def draft(user, department, **changes):
    proposal = proposals.save_proposal(user, {
        "department": department, "title": "关于调整市自然资源和规划局职能、机构和编制的请示",
        "background": "执法监察科与综合行政执法局职责交叉。", "reason": "理顺执法体制，盘活空编。", "doc_no": "示自然资发〔2026〕5号",
        "signer": "张某",
    })
    return proposal


def current(department):
    return Mandate.objects.get(department=department, is_current=True)


def test_a_proposal_runs_from_draft_to_carried_out_and_writes_new_mandates(city, liaison, staff_user, leader_user):
    zrzyj, cgj = city["ZRZYJ"], city["CGJ"]
    old_zrzyj, old_cgj = current(zrzyj), current(cgj)
    duties_before = list(old_zrzyj.duties.values_list("text", flat=True))

    proposal = draft(liaison, zrzyj)
    assert proposal.origin == Proposal.Origin.DEPARTMENT and proposal.state == State.DRAFT
    proposals.add_change(liaison, proposal, {"target": "duty", "action": "add", "text": "负责全市自然资源数据共享。"})
    proposals.add_change(liaison, proposal, {"target": "unit", "action": "convert", "unit_name": "执法监察科",
                                             "new_name": "执法协作科", "text": "负责与综合行政执法部门的案件移送协作。"})
    proposals.add_change(liaison, proposal, {"target": "duty", "action": "remove", "duty_number": 2})
    evidence.add_evidence(liaison, proposal, "efficiency")
    proposals.perform(liaison, proposal, "submit")

    # The office adds the move it can name, then sends it to the 编委.
    with pytest.raises(ValidationError):  # in review only the office edits
        proposals.add_change(liaison, proposal, {"target": "duty", "action": "add", "text": "x"})
    proposals.add_change(staff_user, proposal, {"target": "staffing", "action": "move", "staff_type": "administrative",
                                                "amount": 6, "to_department": cgj})
    proposals.perform(staff_user, proposal, "forward", "拟同意")
    with pytest.raises(PermissionDenied):
        proposals.perform(liaison, proposal, "approve")
    proposals.perform(leader_user, proposal, "approve", "同意", "示编〔2026〕3号")
    with pytest.raises(PermissionDenied):
        proposals.perform(leader_user, proposal, "carry_out")
    proposal = proposals.perform(staff_user, proposal, "carry_out")

    assert proposal.state == State.CARRIED_OUT and proposal.carried_out_at
    old_zrzyj.refresh_from_db()
    old_cgj.refresh_from_db()
    new_zrzyj, new_cgj = current(zrzyj), current(cgj)
    assert not old_zrzyj.is_current and old_zrzyj.superseded_by == new_zrzyj
    assert not old_cgj.is_current and old_cgj.superseded_by == new_cgj
    assert set(proposal.mandates.all()) == {new_zrzyj, new_cgj}
    assert new_zrzyj.doc_no == "示编〔2026〕3号" and new_zrzyj.title == old_zrzyj.title
    duties = list(new_zrzyj.duties.order_by("number").values_list("text", flat=True))
    assert duties == duties_before[:1] + duties_before[2:-1] + ["负责全市自然资源数据共享。", duties_before[-1]]
    units = list(new_zrzyj.units.order_by("position").values_list("name", "duties"))
    assert ("执法协作科", "负责与综合行政执法部门的案件移送协作。") in units
    assert "执法监察科" not in [name for name, _ in units]
    assert StaffingQuota.objects.get(mandate=new_zrzyj).administrative == 80 - 6
    assert StaffingQuota.objects.get(mandate=new_cgj).administrative == 52 + 6
    assert StaffingQuota.objects.get(mandate=old_zrzyj).administrative == 80  # the old version is kept as it was
    assert new_cgj.boundaries.count() == old_cgj.boundaries.count()

    content = proposal_document(proposal).to_bytes()
    reopened = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in reopened.paragraphs)
    assert "关于调整市自然资源和规划局职能、机构和编制的请示" in text
    assert "划出行政编制6名至示范市城市管理局" in text and "妥否，请批示。" in text
    assert "示范市自然资源和规划局" in text and "示自然资发〔2026〕5号\t签发人：张某" in text
    assert "。。" not in text
    tables = ["".join(c.text for c in t._cells) for t in reopened.tables]
    assert any("编制使用情况" in t for t in tables)


def test_changes_are_checked_against_the_current_mandate(city, staff_user):
    proposal = draft(staff_user, city["ZRZYJ"])
    cases = [
        ({"target": "unit", "action": "remove", "unit_name": "不存在科"}, "现行三定规定没有内设机构“不存在科”"),
        ({"target": "unit", "action": "add", "unit_name": "办公室"}, "已有内设机构“办公室”"),
        ({"target": "duty", "action": "convert", "duty_number": 99, "text": "x"}, "没有第99项主要职责"),
        ({"target": "staffing", "action": "remove", "staff_type": "administrative", "amount": 81}, "不足81名"),
        ({"target": "staffing", "action": "convert", "staff_type": "administrative", "to_type": "leader_head",
          "amount": 1}, "领导职数只能"),
        ({"target": "staffing", "action": "move", "staff_type": "service", "amount": 1}, "请选择划入的其他部门"),
    ]
    for data, message in cases:
        with pytest.raises(ValidationError) as exc:
            proposals.add_change(staff_user, proposal, data)
        assert message in exc.value.messages[0] and exc.value.messages[0].startswith("第1项调整")
    assert not proposal.changes.exists()


def test_carrying_out_rechecks_changes_against_a_mandate_changed_since(city, staff_user, leader_user):
    proposal = draft(staff_user, city["CGJ"])
    proposals.add_change(staff_user, proposal, {"target": "unit", "action": "remove", "unit_name": "园林绿化科"})
    for action in ("submit", "forward"):
        proposals.perform(staff_user, proposal, action)
    proposals.perform(leader_user, proposal, "approve")
    current(city["CGJ"]).units.filter(name="园林绿化科").delete()
    with pytest.raises(ValidationError) as exc:
        proposals.perform(staff_user, proposal, "carry_out")
    assert "园林绿化科" in exc.value.messages[0]
    proposal.refresh_from_db()
    assert proposal.state == State.APPROVED
    assert Mandate.objects.filter(department=city["CGJ"]).count() == 1


def test_flow_rules(city, liaison, staff_user, leader_user):
    with pytest.raises(PermissionDenied):
        draft(liaison, city["CGJ"])  # a department drafts only for itself
    proposal = draft(liaison, city["ZRZYJ"])
    with pytest.raises(ValidationError) as exc:
        proposals.perform(liaison, proposal, "submit")
    assert "至少列出一项调整事项" in exc.value.messages[0]
    proposals.add_change(liaison, proposal, {"target": "duty", "action": "add", "text": "新增职责。"})
    with pytest.raises(ValidationError):
        proposals.perform(liaison, proposal, "forward")  # still a draft
    proposals.perform(liaison, proposal, "submit")
    with pytest.raises(PermissionDenied):
        proposals.perform(liaison, proposal, "forward")
    with pytest.raises(ValidationError):
        proposals.perform(staff_user, proposal, "return")  # a reason is required
    proposals.perform(staff_user, proposal, "return", "请补充依据")
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFT and proposal.review_note == "请补充依据"
    assert proposals.todo_counts(liaison._lvzhi_scope) == {"returned": 1}
    proposals.perform(liaison, proposal, "submit")
    proposals.perform(staff_user, proposal, "forward")
    proposals.perform(leader_user, proposal, "reject", "暂缓")
    proposal.refresh_from_db()
    assert proposal.state == State.REJECTED and proposal.decided_by == leader_user
    with pytest.raises(ValidationError):
        proposals.perform(staff_user, proposal, "carry_out")


def test_another_departments_user_cannot_touch_a_proposal(city, staff_user):
    proposal = draft(staff_user, city["ZRZYJ"])
    other = make_user("cgj", Role.DEPARTMENT, department=city["CGJ"])
    with pytest.raises(PermissionDenied):
        proposals.add_change(other, proposal, {"target": "duty", "action": "add", "text": "x"})
    with pytest.raises(PermissionDenied):
        proposals.perform(other, proposal, "submit")


def test_evidence_links_only_records_the_user_may_see(city, staff_user, liaison):
    from lvzhi.reform.models import Process

    hidden = Process.objects.create(name="他部门流程", department=city["CGJ"])
    proposal = draft(liaison, city["ZRZYJ"])
    with pytest.raises(ValidationError) as exc:
        evidence.add_evidence(liaison, proposal, "process", str(hidden.pk))
    assert "没有找到您可以查看的流程再造" in exc.value.messages[0]
    item = evidence.add_evidence(staff_user, proposal, "process", str(hidden.pk), "流程再造成果")
    assert item.url == hidden.get_absolute_url() and item.label == "他部门流程"
    snapshot = evidence.add_evidence(staff_user, proposal, "efficiency")
    assert "行政编制核定80名、实有62名" in snapshot.label
    assert any("空编" in v for v in snapshot.data["violations"])
    with pytest.raises(ValidationError):
        evidence.add_evidence(staff_user, proposal, "other", "  ")
