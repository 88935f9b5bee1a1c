"""Layout of a process as a swimlane diagram: one lane per department, one column per stage (the
longest chain of steps before it), arrows for waits; the template draws it as SVG."""

from dataclasses import dataclass

LABEL_W, BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 150, 150, 58, 46, 14, 12
LINE_CHARS = 9


@dataclass
class Box:
    key: object
    lines: list
    days: object
    unit: str
    x: int
    y: int
    critical: bool
    flagged: bool

    @property
    def text_x(self):
        return self.x + BOX_W // 2

    @property
    def label_rows(self):
        """(baseline y, text) of the name's lines; one line sits lower to stay centred."""
        top = self.y + (20 if len(self.lines) == 2 else 27)
        return [(top + 16 * i, line) for i, line in enumerate(self.lines)]

    @property
    def days_y(self):
        return self.y + BOX_H - 8


@dataclass
class Edge:
    path: str
    critical: bool
    handoff: bool


@dataclass
class Lane:
    label: str
    y: int
    height: int

    @property
    def label_y(self):
        return self.y + self.height // 2


@dataclass
class Diagram:
    width: int
    height: int
    lanes: list
    boxes: list
    edges: list
    box_w: int = BOX_W
    box_h: int = BOX_H
    label_w: int = LABEL_W


def _lines(name):
    if len(name) <= LINE_CHARS:
        return [name]
    second = name[LINE_CHARS:]
    if len(second) > LINE_CHARS:
        second = second[: LINE_CHARS - 1] + "…"
    return [name[:LINE_CHARS], second]


def layout(analysis):
    """Positions of lanes, boxes and arrows for ``analysis`` (from ``analysis.process.analyse``)."""
    steps = analysis.steps
    by_key = {s.key: s for s in steps}
    column = {}
    for s in steps:  # processing order puts every step after the steps it waits for
        column[s.key] = max((column[p] + 1 for p in s.predecessors if p in column), default=0)
    lanes_order = []
    for s in steps:
        if s.dept not in lanes_order:
            lanes_order.append(s.dept)
    slots = {}  # (lane, column) -> steps stacked there
    for s in steps:
        slots.setdefault((s.dept, column[s.key]), []).append(s.key)
    critical = set(analysis.critical_path)
    critical_edges = analysis.critical_edges
    flagged = {d.step for d in analysis.duplicates} | {p.step for p in analysis.parallelisable}
    lanes, boxes, position = [], [], {}
    y = 0
    for dept in lanes_order:
        depth = max(len(keys) for (d, _), keys in slots.items() if d == dept)
        height = depth * (BOX_H + GAP_Y) - GAP_Y + 2 * PAD
        label = next(s.department for s in steps if s.dept == dept)
        lanes.append(Lane(label, y, height))
        for (d, col), keys in slots.items():
            if d != dept:
                continue
            for row, key in enumerate(keys):
                s = by_key[key]
                bx, by = LABEL_W + PAD + col * (BOX_W + GAP_X), y + PAD + row * (BOX_H + GAP_Y)
                position[key] = (bx, by)
                boxes.append(Box(key, _lines(s.name), s.days, s.unit, bx, by, key in critical, key in flagged))
        y += height
    edges = []
    for s in steps:
        for p in s.predecessors:
            if p not in position:
                continue
            (x1, y1), (x2, y2) = position[p], position[s.key]
            x1, y1, y2 = x1 + BOX_W, y1 + BOX_H // 2, y2 + BOX_H // 2
            bend = GAP_X // 2
            path = f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2 - 4},{y2}"
            edges.append(Edge(path, (p, s.key) in critical_edges, by_key[p].dept != s.dept))
    columns = max(column.values(), default=0) + 1
    width = LABEL_W + 2 * PAD + columns * (BOX_W + GAP_X) - GAP_X
    return Diagram(width, max(y, BOX_H), lanes, boxes, edges)
