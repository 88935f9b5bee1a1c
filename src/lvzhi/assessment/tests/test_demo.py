"""The demo hook: the previous quarter published for the assessed demo departments, the current
quarter open."""

import io

from lvzhi.core.roles import Role
from lvzhi.org.models import Department
from lvzhi.testing import make_user

from ..demo import load_demo
from ..models import Appeal, Campaign, Score
from ..periods import Period
from .factories import load_libraries


def test_demo_quarters(demo_city):
    load_libraries()
    make_user("staff", Role.OFFICE_STAFF)
    make_user("scjgj", Role.DEPARTMENT, department=Department.objects.get(code="SCJGJ"))
    make_user("rsj", Role.DEPARTMENT, department=Department.objects.get(code="RSJ"))
    out = io.StringIO()
    load_demo(out)
    now = Period.current_quarter()
    previous = Campaign.objects.get(period=now.previous().code)
    current = Campaign.objects.get(period=now.code)
    assert previous.status == Campaign.Status.PUBLISHED and current.status == Campaign.Status.OPEN
    assert previous.assessments.count() == 14 == Department.objects.filter(assessed=True).count()
    assert not previous.assessments.filter(total__isnull=True).exists()
    assert len(set(previous.assessments.values_list("stars", flat=True))) >= 2
    returned = Score.objects.get(assessment__campaign=previous, returned_count=1)
    assert returned.files.get().name == "问题整改台账.pdf"
    assert previous.evaluations.filter(submitted_at__isnull=False).exists()
    assert Appeal.objects.filter(status=Appeal.Status.PENDING).count() == 1
    assert current.assessments.count() == 14
    assert Score.objects.filter(assessment__campaign=current, status=Score.Status.SUBMITTED).count() == 1
    assert "已发布" in out.getvalue()
    load_demo(io.StringIO())
    assert Campaign.objects.count() == 2
