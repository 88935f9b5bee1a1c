"""Process analysis on small hand-made processes whose answers are known."""

from decimal import Decimal

import pytest

from lvzhi.reform.analysis.process import CycleError, Step, analyse, compare, figures

A, S, P = "applicant", "sharing", "produced"


def step(key, dept, days, after=(), materials=()):
    return Step(key=key, name=f"环节{key}", department=dept, days=Decimal(days), predecessors=tuple(after),
                materials=tuple(materials))


def diamond():
    """a(2) → b(5) → d(1), a → c(3) → d: critical path a-b-d = 8."""
    return [
        step("a", "甲局", 2, materials=[("申请书", A), ("受理单", P)]),
        step("b", "乙局", 5, ["a"], [("受理单", S), ("审查意见", P)]),
        step("c", "丙局", 3, ["a"], [("受理单", S), ("现场记录", P)]),
        step("d", "甲局", 1, ["b", "c"], [("审查意见", S), ("现场记录", S), ("决定书", P)]),
    ]


def test_critical_path_is_the_longest_chain_of_waits():
    result = analyse(diamond())
    assert result.duration == Decimal(8)
    assert result.critical_path == ["a", "b", "d"]
    assert result.start["d"] == Decimal(7)
    assert result.finish["c"] == Decimal(5)


def test_steps_without_waits_run_in_parallel_from_day_zero():
    result = analyse([step("x", "甲局", 4), step("y", "乙局", 6)])
    assert result.duration == Decimal(6)
    assert result.handoff_count == 0
    assert result.department_count == 2


def test_departments_and_handoffs_between_them():
    result = analyse(diamond())
    assert result.departments == ["甲局", "乙局", "丙局"]
    # a→b, a→c, b→d, c→d all cross departments.
    assert result.handoff_count == 4
    same = analyse([step("a", "甲局", 1), step("b", "甲局", 1, ["a"]), step("c", "乙局", 1, ["b"])])
    assert same.handoffs == [("b", "c")]


def test_material_the_applicant_brings_again_is_a_duplicate():
    steps = [
        step("a", "甲局", 1, materials=[("身份证", A), ("营业执照", A)]),
        step("b", "乙局", 1, ["a"], [("身份证", A), ("许可证", P)]),
        step("c", "丙局", 1, ["b"], [("许可证", A), ("营业执照", S), ("身 份 证", S)]),
    ]
    result = analyse(steps)
    assert {(d.step, d.material, d.holder) for d in result.duplicates} == {("b", "身份证", "a"), ("c", "许可证", "b")}
    assert result.applicant_materials == 4
    assert result.shared_materials == 2


def test_a_wait_for_a_step_whose_output_is_not_used_could_go():
    # c waits for b but only needs what a produced: c could run beside b.
    steps = [
        step("a", "甲局", 2, materials=[("线索", P)]),
        step("b", "乙局", 10, ["a"], [("线索", S), ("调查报告", P)]),
        step("c", "丙局", 5, ["b"], [("线索", S), ("认定意见", P)]),
        step("d", "乙局", 3, ["c"], [("调查报告", S), ("认定意见", S)]),
    ]
    result = analyse(steps)
    assert result.duration == Decimal(20)
    [parallel] = result.parallelisable
    assert parallel.step == "c" and parallel.waits_for == ("b",)
    assert (parallel.start_now, parallel.start_possible) == (Decimal(12), Decimal(2))
    assert result.potential_duration == Decimal(15)


def test_nothing_to_parallelise_when_every_wait_carries_a_material():
    result = analyse(diamond())
    assert result.parallelisable == []
    assert result.potential_duration == result.duration


def test_a_circle_of_waits_is_refused():
    with pytest.raises(CycleError) as exc:
        analyse([step("a", "甲局", 1, ["c"]), step("b", "甲局", 1, ["a"]), step("c", "甲局", 1, ["b"])])
    assert "循环" in str(exc.value)


def test_empty_process():
    result = analyse([])
    assert result.duration == 0 and result.critical_path == [] and result.handoff_count == 0


def test_comparison_before_and_after():
    before = analyse([
        step("a", "甲局", 3, materials=[("申请书", A), ("受理单", P)]),
        step("b", "乙局", 10, ["a"], [("申请书", A), ("意见", P)]),
        step("c", "丙局", 5, ["b"], [("申请书", A)]),
    ])
    after = analyse([
        step("a", "甲局", 1, materials=[("申请书", A), ("受理单", P)]),
        step("b", "乙局", 5, ["a"], [("申请书", S), ("意见", P)]),
        step("c", "丙局", 5, ["a"], [("申请书", S)]),
    ])
    rows = {r.key: r for r in compare(before, after)}
    assert (rows["duration"].before, rows["duration"].after, rows["duration"].change) == (18, 6, -12)
    assert rows["duration"].improved is True
    assert rows["handoffs"].before == 2 and rows["handoffs"].after == 2 and rows["handoffs"].improved is None
    assert rows["applicant_materials"].change == -2 and rows["applicant_materials"].improved
    assert rows["shared_materials"].change == 2 and rows["shared_materials"].improved
    assert rows["duplicates"].before == 2 and rows["duplicates"].after == 0
    assert figures(after)["steps"] == 3
