"""Swimlane layout: one lane per department, columns by stage, arrows for waits."""

from decimal import Decimal

from lvzhi.reform.analysis import swimlane
from lvzhi.reform.analysis.process import Step, analyse


def test_lanes_columns_and_arrows():
    steps = [
        Step("a", "受理申请材料并出具受理单", "甲局", Decimal(1)),
        Step("b", "审查", "乙局", Decimal(5), ("a",)),
        Step("c", "核查", "乙局", Decimal(2), ("a",)),
        Step("d", "决定", "甲局", Decimal(1), ("b", "c")),
    ]
    d = swimlane.layout(analyse(steps))
    assert [lane.label for lane in d.lanes] == ["甲局", "乙局"]
    boxes = {b.key: b for b in d.boxes}
    # b and c share a stage and a lane, so they stack; d comes one stage later.
    assert boxes["b"].x == boxes["c"].x and boxes["b"].y != boxes["c"].y
    assert boxes["d"].x > boxes["b"].x > boxes["a"].x
    assert d.lanes[1].height > d.lanes[0].height
    assert len(d.edges) == 4 and all(e.handoff for e in d.edges)
    assert sum(e.critical for e in d.edges) == 2
    assert boxes["a"].lines == ["受理申请材料并出具", "受理单"]
    assert d.width >= boxes["d"].x + swimlane.BOX_W
