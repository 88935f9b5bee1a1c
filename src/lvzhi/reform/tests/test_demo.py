"""The demo data: the seed's three processes before and after, with computed gains, and a proposal."""

import io

import pytest

from lvzhi.core.roles import Role
from lvzhi.reform.analysis.process import compare
from lvzhi.reform.demo import load_demo
from lvzhi.reform.models import ActualUnit, Process, Proposal, WorkloadFigure
from lvzhi.reform.services.processes import analyse, with_steps
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db

EXPECTED = {  # name of the redesign: (days before, days after, adopted)
    "相对集中行政处罚权案件移送（再造后）": (52, 24, True),
    "审批监管联动（食品经营许可，再造后）": (39, 17, True),
    "开发区项目落地（再造方案）": (118, 37, False),
}


def test_demo_processes_show_before_and_after_with_gains(demo_city):
    make_user("staff", Role.OFFICE_STAFF)
    load_demo(io.StringIO())
    redesigns = with_steps(Process.objects.filter(based_on__isnull=False))
    assert {p.name for p in redesigns} == set(EXPECTED)
    for after in redesigns:
        before = with_steps(Process.objects.filter(pk=after.based_on_id)).get()
        rows = {r.key: r for r in compare(analyse(before), analyse(after))}
        days_before, days_after, adopted = EXPECTED[after.name]
        assert (rows["duration"].before, rows["duration"].after) == (days_before, days_after)
        assert rows["duplicates"].before > 0 and rows["duplicates"].after == 0
        assert rows["applicant_materials"].improved and rows["shared_materials"].improved
        assert rows["handoffs"].after <= rows["handoffs"].before
        assert (after.adopted_on is not None) == adopted
        assert before.status == (Process.Status.SUPERSEDED if adopted else Process.Status.CURRENT)
    referral = Process.objects.get(name="相对集中行政处罚权案件移送")
    assert referral.cases.count() == 6 and referral.redesigns.get().cases.count() == 5
    assert WorkloadFigure.objects.filter(period="2025").count() > 10
    assert ActualUnit.objects.filter(department__code="CGJ").count() == 2
    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.DECISION and proposal.department.code == "ZRZYJ"
    assert {e.kind for e in proposal.evidence.all()} == {"efficiency", "process"}
    load_demo(io.StringIO())  # a second run adds nothing
    assert Process.objects.count() == 6
