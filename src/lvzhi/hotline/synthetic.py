"""Deterministic synthetic 12345 tickets and returns for the demo city (demo data, tests, benchmark).

Citizen requests are built from templates per department, filled from place, shop and goods
vocabularies; request kind, timing, handling time, satisfaction and handler naming vary the way
real exports do. Subjects that sit between departments (油烟, 占道经营, 物业, 违建, 欠薪 …) are
returned often, sometimes twice, with the reasons departments give. The same seed gives the same
rows on every machine.
"""

import csv
import datetime as dt
import random
from dataclasses import dataclass

from .synthetic_text import ADDRESS_PARTS, REASONS, RESULTS, SLOTS, TEMPLATES, UNMATCHED_NAMES

KIND_WEIGHTS = {"投诉": 40, "求助": 22, "咨询": 20, "举报": 8, "建议": 6, "表扬": 2, "其他": 2}
SATISFACTION = (("满意", 68), ("基本满意", 16), ("不满意", 8), ("", 8))
TICKET_HEADER = ["工单编号", "受理时间", "诉求内容", "诉求类型", "诉求地址", "承办单位", "办结时间", "办理结果", "满意度"]
RETURN_HEADER = ["工单编号", "退单时间", "退单单位", "退单原因", "改派单位"]


@dataclass(frozen=True)
class Dept:
    code: str
    name: str
    short: str


def demo_departments():
    """The demo city's departments (from the bundled organisation file)."""
    import yaml

    from lvzhi.core.libraries import library_path

    data = yaml.safe_load(library_path("demo_city.yaml").read_text(encoding="utf-8"))
    return [Dept(d["code"], d["name"], d.get("short_name") or d["name"]) for d in data["departments"]]


@dataclass
class Generated:
    """One synthetic ticket: its §3 row, its return rows, and who finally handled it."""

    row: list
    returns: list
    handler: str  # code of the final handler (the routing label)


class Generator:
    def __init__(self, departments=None, seed=12345, start=dt.date(2025, 1, 1), days=365):
        self.departments = {d.code: d for d in (departments or demo_departments())}
        self.templates = [t for t in TEMPLATES if t[0] in self.departments]
        self.weights = [t[4] for t in self.templates]
        self.rnd = random.Random(seed)
        self.start = dt.datetime.combine(start, dt.time())
        self.days = days
        self.kinds = list(KIND_WEIGHTS)
        self.kind_weights = list(KIND_WEIGHTS.values())

    def _fill(self, text, address):
        rnd = self.rnd
        values = {k: rnd.choice(v) for k, v in SLOTS.items() if "{" + k + "}" in text}
        return text.format(addr=address, **values)

    def _address(self):
        rnd = self.rnd
        district, roads, estates = ADDRESS_PARTS
        if rnd.random() < 0.55:
            return f"{rnd.choice(district)}{rnd.choice(roads)}{rnd.randint(1, 399)}号"
        return f"{rnd.choice(district)}{rnd.choice(estates)}{rnd.randint(1, 30)}号楼"

    def _name(self, code):
        dept = self.departments[code]
        roll = self.rnd.random()
        if roll < 0.004:
            return self.rnd.choice(UNMATCHED_NAMES)
        return dept.name if roll < 0.72 else dept.short

    def tickets(self, count):
        """Yield ``count`` tickets in order of receipt, spread over ``days``."""
        rnd = self.rnd
        span = self.days * 86400
        codes = list(self.departments)
        for i in range(count):
            code, kind_hint, text, alternatives, _, disputed = rnd.choices(self.templates, self.weights)[0]
            at = self.start + dt.timedelta(seconds=int(span * (i + rnd.random()) / count))
            if at.hour < 7 and rnd.random() < 0.8:
                at += dt.timedelta(hours=8)
            number = ticket_no(at, i)
            address = self._address()
            content = self._fill(text, address)
            if "{addr}" not in text and rnd.random() < 0.5:
                content = f"{address}：{content}"
            kind = kind_hint or rnd.choices(self.kinds, self.kind_weights)[0]
            alternatives = [a for a in alternatives if a in self.departments]
            handler = code if not alternatives or rnd.random() < 0.9 else rnd.choice(alternatives)
            moment = at + dt.timedelta(minutes=rnd.randint(20, 240))
            returns = []
            if rnd.random() < (0.2 if disputed else 0.02):
                # Dispatched first to a department that sends it back, sometimes to a second one too.
                wrong = [c for c in alternatives + [code] if c != handler] or [c for c in codes if c != handler]
                hops = [rnd.choice(wrong)]
                others = [c for c in wrong if c not in hops]
                if others and rnd.random() < 0.25:
                    hops.append(rnd.choice(others))
                hops.append(handler)
                for who, target in zip(hops, hops[1:]):
                    moment += dt.timedelta(hours=rnd.randint(4, 60))
                    reason = rnd.choice(REASONS).format(to=self.departments[target].short)
                    returns.append([number, _fmt(moment), self._name(who), reason,
                                    self._name(target) if rnd.random() < 0.85 else ""])
            closed = ""
            if rnd.random() < 0.97:
                hours = rnd.expovariate(1 / (60 if kind in ("投诉", "举报") else 30)) + 2
                closed = _fmt(moment + dt.timedelta(hours=hours))
            satisfaction = rnd.choices([s for s, _ in SATISFACTION], [w for _, w in SATISFACTION])[0] if closed else ""
            result = rnd.choice(RESULTS) if closed else ""
            row = [number, _fmt(at), content, kind, address, self._name(handler), closed, result, satisfaction]
            yield Generated(row, returns, handler)


def ticket_no(at, i):
    return f"{at:%Y%m%d}{i:07d}"


def _fmt(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def write_csv(tickets_path, returns_path, count, *, encoding="utf-8", generator=None, labels=None):
    """Write ``count`` tickets and their returns as CSV; returns ``(tickets, returns)`` written.

    ``labels`` (a list) receives ``(received_at, content, handler code)`` per ticket when given.
    """
    generator = generator or Generator()
    returns_written = 0
    with open(tickets_path, "w", encoding=encoding, newline="") as tf, \
            open(returns_path, "w", encoding=encoding, newline="") as rf:
        tickets, back = csv.writer(tf), csv.writer(rf)
        tickets.writerow(TICKET_HEADER)
        back.writerow(RETURN_HEADER)
        for ticket in generator.tickets(count):
            tickets.writerow(ticket.row)
            if ticket.returns:
                back.writerows(ticket.returns)
                returns_written += len(ticket.returns)
            if labels is not None:
                labels.append((ticket.row[1], ticket.row[2], ticket.handler))
    return count, returns_written
