"""待办 of the duties app: office reviews, departments' returned items and checks due."""

from lvzhi.core.scoping import get_scope
from lvzhi.duties.models import PowerType, current_period
from lvzhi.duties.services import adjustments, checks, todos
from lvzhi.testing import make_mandate

from .factories import make_power_list


def titles(provider, user):
    return [t.title for t in provider(user, get_scope(user))]


def test_office_sees_adjustments_and_checks_to_review(dept_a, staff_user, dept_user):
    power_list, _ = make_power_list(dept_a, [("A", "事项", PowerType.OTHER, "法")])
    adj = adjustments.save_adjustment(dept_user, power_list, {
        "kind": "add", "item_code": "B", "type": "other", "name": "新", "basis": "法", "reason": "r",
        "legal_basis": "l"})
    assert titles(todos.office_todos, staff_user) == []
    adjustments.transition(dept_user, adj, "submit")
    duty = make_mandate(dept_a).duties.get()
    check = checks.open_check(dept_user, duty, current_period())
    checks.save_check(dept_user, check, "fulfilled", "")
    checks.transition(dept_user, check, "submit")
    assert titles(todos.office_todos, staff_user) == ["1 项权责清单动态调整待审核", "1 条三定执行检查待审核"]
    assert todos.office_todos(dept_user, get_scope(dept_user)) == []


def test_department_sees_duties_due_this_quarter_and_returned_items(dept_a, staff_user, dept_user):
    mandate = make_mandate(dept_a, duties=("一。", "二。"))
    assert titles(todos.department_todos, dept_user) == [f"{current_period()[:4]}年第{current_period()[-1]}季度尚有 2 项主要职责未报送执行情况"]
    check = checks.open_check(dept_user, mandate.duties.get(number=1), current_period())
    checks.save_check(dept_user, check, "fulfilled", "")
    checks.transition(dept_user, check, "submit")
    checks.transition(staff_user, check, "return", "补充材料")
    found = titles(todos.department_todos, dept_user)
    assert "1 条三定执行检查被退回，请修改后重新提交" in found
    assert any("尚有 2 项" in t for t in found)  # a returned check is still due
    assert todos.department_todos(staff_user, get_scope(staff_user)) == []
