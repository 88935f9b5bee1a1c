"""What a process model tells: its duration along the critical path, the departments and hand-offs
between them, materials asked for again although another step already has them, and steps that
wait for others without needing anything from them (so they could run in parallel).

Pure functions over ``Step`` values, so they are tested on small hand-made processes and run on
prefetched model rows without further queries.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

APPLICANT, SHARING, PRODUCED = "applicant", "sharing", "produced"


class CycleError(ValueError):
    """The steps wait for each other in a circle, so the process has no order."""

    def __init__(self, names):
        self.names = names
        super().__init__(f"环节之间存在循环等待：{'、'.join(names)}")


@dataclass(frozen=True)
class Step:
    key: object
    name: str
    department: str  # the label shown; hand-offs compare ``department_key`` (defaults to the label)
    days: Decimal
    predecessors: tuple = ()
    materials: tuple = ()  # (name, source) with source applicant | sharing | produced
    unit: str = ""
    department_key: object = None

    @property
    def dept(self):
        return self.department if self.department_key is None else self.department_key


@dataclass(frozen=True)
class Duplicate:
    step: object
    material: str
    holder: object  # the earlier step that already has it


@dataclass(frozen=True)
class Parallel:
    step: object
    waits_for: tuple  # steps it waits for without needing anything they produce
    start_now: Decimal
    start_possible: Decimal


@dataclass
class Analysis:
    steps: list  # in processing order
    start: dict = field(default_factory=dict)
    finish: dict = field(default_factory=dict)
    duration: Decimal = Decimal(0)
    critical_path: list = field(default_factory=list)
    departments: list = field(default_factory=list)
    handoffs: list = field(default_factory=list)  # (from, to) pairs across departments
    applicant_materials: int = 0  # submissions by the applicant, counted per step
    shared_materials: int = 0
    duplicates: list = field(default_factory=list)
    parallelisable: list = field(default_factory=list)
    potential_duration: Decimal = Decimal(0)

    @property
    def by_key(self):
        return {s.key: s for s in self.steps}

    @property
    def handoff_count(self):
        return len(self.handoffs)

    @property
    def department_count(self):
        return len(self.departments)

    @property
    def critical_edges(self):
        path = self.critical_path
        return set(zip(path, path[1:]))


def normal(name):
    """Material names compared after folding width and case and dropping spaces and book-title marks."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "《》〈〉<>\"'“”")


def order(steps):
    """Steps in an order where every step comes after the steps it waits for (stable otherwise)."""
    keys = {s.key for s in steps}
    waiting = {s.key: {p for p in s.predecessors if p in keys and p != s.key} for s in steps}
    done, result, pending = set(), [], list(steps)
    while pending:
        ready = [s for s in pending if waiting[s.key] <= done]
        if not ready:
            raise CycleError([s.name for s in pending])
        for s in ready:
            done.add(s.key)
            result.append(s)
        pending = [s for s in pending if s.key not in done]
    return result


def _schedule(ordered, preds):
    start, finish = {}, {}
    for s in ordered:
        start[s.key] = max((finish[p] for p in preds[s.key]), default=Decimal(0))
        finish[s.key] = start[s.key] + Decimal(s.days)
    return start, finish


def _ancestors(ordered, preds):
    result = {}
    for s in ordered:
        acc = set()
        for p in preds[s.key]:
            acc.add(p)
            acc |= result[p]
        result[s.key] = acc
    return result


def analyse(steps):
    """Analyse a process given as ``Step`` values; raises ``CycleError`` if steps wait in a circle."""
    ordered = order(steps)
    keys = {s.key for s in ordered}
    preds = {s.key: tuple(p for p in s.predecessors if p in keys and p != s.key) for s in ordered}
    start, finish = _schedule(ordered, preds)
    # Processing order: by start, ties in dependency order, so "earlier" is well defined.
    position = {s.key: i for i, s in enumerate(ordered)}
    ordered.sort(key=lambda s: (start[s.key], position[s.key]))
    result = Analysis(steps=ordered, start=start, finish=finish)
    result.duration = max(finish.values(), default=Decimal(0))
    result.critical_path = _critical_path(ordered, preds, start, finish)
    by_key = {s.key: s for s in ordered}
    departments = {}
    for s in ordered:
        departments.setdefault(s.dept, s.department)
    result.departments = list(departments.values())
    result.handoffs = [(p, s.key) for s in ordered for p in preds[s.key] if by_key[p].dept != s.dept]
    result.applicant_materials = sum(1 for s in ordered for _, src in _unique(s.materials) if src == APPLICANT)
    result.shared_materials = sum(1 for s in ordered for _, src in _unique(s.materials) if src == SHARING)
    result.duplicates = _duplicates(ordered)
    result.parallelisable, result.potential_duration = _parallelisable(ordered, preds, start)
    return result


def _unique(materials):
    seen, result = set(), []
    for name, source in materials:
        if normal(name) not in seen:
            seen.add(normal(name))
            result.append((name, source))
    return result


def _critical_path(ordered, preds, start, finish):
    if not ordered:
        return []
    last = max(ordered, key=lambda s: finish[s.key])  # max keeps the first of equals: earliest in order
    path = [last.key]
    while preds[path[-1]]:
        current = path[-1]
        path.append(next(p for p in preds[current] if finish[p] == start[current]))
    return path[::-1]


def _duplicates(ordered):
    holder = {}
    found = []
    for s in ordered:
        for name, source in _unique(s.materials):
            key = normal(name)
            if source == APPLICANT and key in holder:
                found.append(Duplicate(s.key, name, holder[key]))
        for name, _ in s.materials:
            holder.setdefault(normal(name), s.key)
    return found


def _parallelisable(ordered, preds, start):
    """A step needs a step before it only if that step produces a material it uses; every other
    wait could go, letting it start as soon as its real inputs exist."""
    ancestors = _ancestors(ordered, preds)
    produces = {s.key: {normal(n) for n, src in s.materials if src == PRODUCED} for s in ordered}
    needed = {}
    for s in ordered:
        uses = {normal(n) for n, src in s.materials if src != PRODUCED}
        needed[s.key] = tuple(a for a in (x.key for x in ordered) if a in ancestors[s.key] and produces[a] & uses)
    needed_ancestors = _ancestors(ordered, needed)
    possible, _ = _schedule(ordered, needed)
    found = []
    for s in ordered:
        waits = [x.key for x in ordered if x.key in ancestors[s.key] - needed_ancestors[s.key]]
        if waits and possible[s.key] < start[s.key]:
            found.append(Parallel(s.key, tuple(waits), start[s.key], possible[s.key]))
    potential = max((possible[s.key] + Decimal(s.days) for s in ordered), default=Decimal(0))
    return found, potential


COMPARISON = (
    ("duration", "办理总时限（关键路径，工作日）"),
    ("steps", "环节数"),
    ("departments", "涉及部门数"),
    ("handoffs", "部门间交接次数"),
    ("applicant_materials", "申请人提交材料（份次）"),
    ("shared_materials", "数据共享获取材料（份次）"),
    ("duplicates", "重复索要的材料（项）"),
    ("parallelisable", "可并行而未并行的环节"),
)
# For these a higher number after the redesign is the better outcome.
HIGHER_IS_BETTER = {"shared_materials"}


def figures(analysis):
    return {
        "duration": analysis.duration,
        "steps": len(analysis.steps),
        "departments": analysis.department_count,
        "handoffs": analysis.handoff_count,
        "applicant_materials": analysis.applicant_materials,
        "shared_materials": analysis.shared_materials,
        "duplicates": len(analysis.duplicates),
        "parallelisable": len(analysis.parallelisable),
    }


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    before: object
    after: object

    @property
    def change(self):
        return self.after - self.before

    @property
    def improved(self):
        if self.change == 0:
            return None
        return (self.change > 0) == (self.key in HIGHER_IS_BETTER)


def compare(before, after):
    """Before and after a redesign, figure by figure."""
    b, a = figures(before), figures(after)
    return [ComparisonRow(key, label, b[key], a[key]) for key, label in COMPARISON]
