"""Generic links for later modules (权责事项, 工单): registered targets only, visible with the problem."""

import pytest
from django.core.exceptions import PermissionDenied

from lvzhi.org.models import InternalUnit
from lvzhi.testing import make_mandate

from .. import links, services
from ..filters import ProblemFilter
from ..models import Problem, ProblemLink
from .factories import load_libraries, make_problem


def test_linking_a_registered_record(db, dept_a, staff_user, dept_user, rf):
    load_libraries()
    unit = InternalUnit.objects.create(mandate=make_mandate(dept_a), name="市场规范管理科")
    problem = make_problem(dept_a, staff_user, state="feedback")
    with pytest.raises(services.TransitionError, match="尚未登记"):
        links.link(problem, unit, by=staff_user)
    links.register_target(InternalUnit, "内设机构")
    with pytest.raises(PermissionDenied):
        links.link(problem, unit, by=dept_user)
    item = links.link(problem, unit, by=staff_user)
    assert item.label == "内设机构：市场规范管理科"
    assert list(links.problems_about(unit)) == [problem]
    assert list(ProblemLink.objects.visible_to(dept_user)) == [item]
    request = rf.get("/")
    request.user = staff_user
    assert list(ProblemFilter({"linked": "other"}, queryset=Problem.objects.all(), request=request).qs) == [problem]
    assert problem.events.filter(action="link").exists()
