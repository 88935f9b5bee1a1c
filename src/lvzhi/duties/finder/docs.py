"""Searchable documents for the finder and how to build them from org-file data.

A ``Doc`` is one retrievable piece of evidence credited to one department: a 三定 main duty, a
sentence group of a 职责分工 boundary clause (credited to the department the sentence names as its
subject), an internal unit's duties, a power item, or a duty point of a cross-department matter
(credited to its lead department). ``docs_from_org`` builds them from parsed ``lvzhi.org/1`` data;
the Django side builds the same ``Doc`` objects from the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import clean, split_clauses, split_sentences

KINDS = ("mandate_duty", "boundary_clause", "duty_point", "power_item", "unit_duty")


@dataclass
class Doc:
    department: str
    kind: str
    text: str
    ref: str
    lead: str | None = None
    support: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    # Low-weight context (matter and link names of a duty point, unit name, clause topic, ...).
    context: str = ""
    # Multiplier for this one document on top of its kind weight (e.g. boiler-plate duties).
    weight: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown doc kind {self.kind!r}; expected one of {KINDS}")


# ---------------------------------------------------------------------------------------------
# Department aliases: how 三定 texts refer to a department ("市市场监督管理局", "农业农村部门" …).
# ---------------------------------------------------------------------------------------------

_PAREN_RE = re.compile(r"[（(]([^（）()]*)[）)]")
_HANG_RE = re.compile(r"挂([^，,。；;、（）()]{2,20}?)牌子")
_ORG_SUFFIXES = (
    "管理委员会",
    "委员会",
    "办公室",
    "办事处",
    "人民政府",
    "服务中心",
    "中心",
    "局",
    "委",
    "办",
    "厅",
    "署",
)
_GENERIC_TAILS = ("部门", "主管部门", "行政主管部门", "管理部门", "机关")


def _region_prefixes(region: str) -> list[str]:
    region = clean(region)
    return [region] if region else []


def department_aliases(code: str, name: str, short_name: str | None, region: str = "", extra_texts=()) -> set[str]:
    """Names a department goes by in mandate and boundary texts (normalised)."""
    region = clean(region)
    level = region[-1:] if region and region[-1] in "省市县区州盟旗镇乡" else ""
    names = {clean(name)}
    for n in list(names):
        for inner in _PAREN_RE.findall(n):
            names.add(inner)
        names.add(_PAREN_RE.sub("", n))
    if short_name:
        names.add(clean(short_name))
    for t in extra_texts:  # "挂市能源局牌子"
        for hang in _HANG_RE.findall(clean(t)):
            names.add(hang)
    aliases: set[str] = set()
    for n in names:
        if not n:
            continue
        aliases.add(n)
        rest = n
        if region and n.startswith(region):
            rest = n[len(region) :]
            # a department of a sub-region ("示范市东城区…") keeps its own sub-region prefix
            if level:
                aliases.add(level + rest)
            aliases.add(rest)
        elif level and n.startswith(level):
            rest = n[1:]
            aliases.add(rest)
        core = rest
        for suf in _ORG_SUFFIXES:
            if core.endswith(suf) and len(core) - len(suf) >= 2:
                core = core[: -len(suf)]
                break
        if core != rest and len(core) >= 2:
            for tail in _GENERIC_TAILS:
                aliases.add(core + tail)
                if level:
                    aliases.add(level + core + tail)
    aliases.add(code)
    return {a for a in aliases if len(a) >= 2}


class AliasMatcher:
    """Longest-alias matching at a position (dictionary by first character). An alias stands for
    one department or, for a generic name ("镇人民政府"), for several."""

    def __init__(self, aliases: dict[str, str | tuple[str, ...]]):
        self.aliases = {a: (c,) if isinstance(c, str) else tuple(c) for a, c in aliases.items()}
        self.by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for alias, codes in self.aliases.items():
            self.by_first.setdefault(alias[0], []).append((alias, codes))
        for lst in self.by_first.values():
            lst.sort(key=lambda ac: -len(ac[0]))

    def extended(self, aliases: dict[str, str | tuple[str, ...]]) -> "AliasMatcher":
        """This matcher with some aliases added or standing for other departments."""
        return AliasMatcher({**self.aliases, **aliases})

    def match_at(self, text: str, pos: int) -> tuple[str, tuple[str, ...]] | None:
        for alias, codes in self.by_first.get(text[pos : pos + 1], ()):
            if text.startswith(alias, pos):
                return alias, codes
        return None

    def find_all(self, text: str) -> list[tuple[int, str, tuple[str, ...]]]:
        out = []
        i = 0
        while i < len(text):
            m = self.match_at(text, i)
            if m:
                out.append((i, m[0], m[1]))
                i += len(m[0])
            else:
                i += 1
        return out


# how 三定 texts name townships and streets in general ("由镇人民政府依法查处"): in a township's own
# text it is that township, elsewhere every township (or street) of the region
_TOWN_NAMES = ("乡镇人民政府", "镇人民政府", "乡人民政府", "乡镇政府", "镇政府")
_STREET_NAMES = ("街道办事处", "街道办")


_LEAD_INS = ("并由", "均由", "由", "并", "其中", "同时", "另外", "此外", "各")
_JOINERS = ("、", "和", "与", "及", "以及", "会同", "同")


def _subjects_at_start(clause: str, matcher: AliasMatcher) -> tuple[list[str], int]:
    """Departments named as the subject at the start of a clause, and where the predicate starts."""
    pos = 0
    for lead in _LEAD_INS:
        if clause.startswith(lead) and matcher.match_at(clause, len(lead)):
            pos = len(lead)
            break
    codes: list[str] = []
    while True:
        m = matcher.match_at(clause, pos)
        if not m:
            break
        codes.extend(c for c in m[1] if c not in codes)
        pos += len(m[0])
        # skip a parenthesised alternative name: 市城市管理局（市综合行政执法局）
        pm = re.match(r"[（(][^）)]*[）)]", clause[pos:])
        if pm:
            pos += pm.end()
        for j in _JOINERS:
            if clause.startswith(j, pos) and matcher.match_at(clause, pos + len(j)):
                pos += len(j)
                break
        else:
            break
    return codes, pos


# "由" or "归" naming the department that does what the clause describes: "…的查处由市公安局负责",
# "…和安全监管归市民政局"; not "由于", "理由", "自由", "经由", "归口"
_AGENT_RE = re.compile(r"(?<![理自经缘])(?:分别|统一|均|并)?由(?!于|此)|(?<![回返])归(?!口|属|集|还|档)")
# an agent that is not one of the departments ("由镇人民政府依法查处", "由供水企业统一管理", "由两部门
# 会商确定"): what the clause describes belongs to none of them
_OTHER_AGENT_RE = re.compile(
    r"(?<![理自经缘])由(?!于|此|其)[^，,；;。]{1,14}?(?:政府|部门|机关|机构|单位|企业|组织|办事处|委员会|局|中心)"
)


def _clause_agents(clause: str, matcher: AliasMatcher) -> tuple[list[str], bool, bool]:
    """Departments a clause credits, whether they are named as the passive agent at the start of
    the clause ("由市Z局查处…", so a lead-in before it goes with them), and whether the clause names
    an agent that is no department of the region."""
    subjects, _ = _subjects_at_start(clause, matcher)
    if subjects:
        return subjects, clause.startswith(_LEAD_INS[:3]), False
    for m in _AGENT_RE.finditer(clause):
        codes, _ = _subjects_at_start(clause[m.end():], matcher)
        if codes:
            return codes, m.start() == 0, False
    return [], False, bool(_OTHER_AGENT_RE.search(clause))


def attribute_boundary(text: str, matcher: AliasMatcher) -> list[tuple[str, str]]:
    """Split a 职责分工 clause into (department code, text) parts by the department it credits.

    "与市X局的有关职责分工。市X局负责A；B由市Y局负责，C归市Z局。对D的，由市W局查处。两部门要建立…"
    → [(X, "市X局负责A"), (Y, "B由市Y局负责"), (Z, "C归市Z局"), (W, "对D的，由市W局查处")]. A
    department is credited as the subject at the start of a clause or as the agent after 由/归
    anywhere in it; clauses before the first credited department of a sentence go with it, clauses
    after it stay with it until another one is named. What a sentence gives to an agent that is
    not a department of the region ("由镇人民政府查处") and sentences naming no department (joint
    mechanisms) are dropped.
    """
    text = clean(text)
    parts: dict[str, list[str]] = {}
    order: list[str] = []
    for sent in split_sentences(text):
        if sent.startswith("与") and sent.endswith("职责分工"):
            continue  # the "与市X局的有关职责分工" heading
        pending: list[str] = []  # clauses before the first department of the sentence
        current: list[str] = []  # the department named last
        tail: list[str] = []  # clauses after it
        for clause in split_clauses(sent):
            codes, leads, other = _clause_agents(clause, matcher)
            if not codes and not other:
                (tail if current else pending).append(clause)
                continue
            if current:
                # "…，对B的，由市Y局查处": the conditions just before a clause led by its agent
                # belong to that agent, not to the department named before
                moved: list[str] = []
                if leads or other:
                    while tail and tail[-1].endswith(("的", "时")):
                        moved.insert(0, tail.pop())
                for code in current:
                    parts[code].extend(tail)
                pending = moved
            if other:
                pending, current, tail = [], [], []
                continue
            for code in codes:
                if code not in parts:
                    parts[code] = []
                    order.append(code)
                parts[code].extend(pending)
                parts[code].append(clause)
            pending, current, tail = [], codes, []
        for code in current:
            parts[code].extend(tail)
    return [(code, "，".join(parts[code])) for code in order if parts[code]]


# ---------------------------------------------------------------------------------------------
# org-file → docs
# ---------------------------------------------------------------------------------------------

_BOILERPLATE_RE = re.compile(r"交办的其他(任务|工作|事项)")
_TRANSFORM_RE = re.compile(r"^(职能转变|有关职责分工|机构编制)")


def docs_from_org(data: dict) -> tuple[list[Doc], dict[str, str]]:
    """Build finder documents from parsed org-file data (``lvzhi.org/1``).

    Also reads an optional top-level ``power_items`` list (rows of the 权责清单 interchange format:
    ``code, department, type, name, sub_item, responsibilities``) when a caller merges one in.
    Returns ``(docs, departments)`` with ``departments`` mapping code → name.
    """
    region = ((data.get("region") or {}).get("name")) or ""
    departments: dict[str, str] = {}
    depts = data.get("departments") or []
    for dept in depts:
        code = str(dept["code"]).strip()
        departments[code] = str(dept.get("name") or code).strip()
    places = township_places(org_department_meta(data))
    # aliases; a name claimed by two departments is ambiguous and dropped
    claimed: dict[str, set[str]] = {}
    for dept in depts:
        code = str(dept["code"]).strip()
        sanding = dept.get("sanding") or {}
        for alias in department_aliases(
            code, dept.get("name") or code, dept.get("short_name"), region, sanding.get("duties") or ()
        ) | ({places[code]} if code in places else set()):
            claimed.setdefault(alias, set()).add(code)
    aliases: dict[str, str | tuple[str, ...]] = {a: next(iter(c)) for a, c in claimed.items() if len(c) == 1}
    towns = tuple(c for c, place in places.items() if place.endswith(("镇", "乡")))
    streets = tuple(c for c, place in places.items() if place.endswith("街道"))
    for names, group in ((_TOWN_NAMES, towns), (_STREET_NAMES, streets)):
        if group:
            aliases.update({n: group for n in names if n not in aliases})
    matcher = AliasMatcher(aliases)

    docs: list[Doc] = []
    for dept in depts:
        code = str(dept["code"]).strip()
        sanding = dept.get("sanding") or {}
        for i, duty in enumerate(sanding.get("duties") or [], 1):
            text = clean(duty)
            if not text or _BOILERPLATE_RE.search(text) and len(text) < 40:
                continue
            weight = 0.5 if _TRANSFORM_RE.match(text) else 1.0
            docs.append(Doc(code, "mandate_duty", text, f"三定第{i}项", weight=weight))
        boundaries = sanding.get("boundaries") or []
        own = matcher
        if code in places and boundaries:  # its own text calls it 镇人民政府 / 街道办事处
            own = matcher.extended({n: code for n in _TOWN_NAMES + _STREET_NAMES})
        for b in boundaries:
            topic = clean(b.get("topic"))
            named = [str(c).strip() for c in (b.get("with") or [])]
            ref = f"职责分工：{topic}" if topic else "职责分工"
            parts = attribute_boundary(b.get("text") or "", own)
            if not parts:  # nothing attributable: keep the clause with its owner
                parts = [(code, clean(b.get("text")))]
            involved = [code, *named]
            for who, part in parts:
                if who not in departments:
                    continue
                others = [c for c in dict.fromkeys(involved) if c != who]
                docs.append(
                    Doc(who, "boundary_clause", part, ref, others=others, context=topic)
                )
        for unit in sanding.get("units") or []:
            uname = clean(unit.get("name"))
            text = clean(unit.get("duties"))
            if not text:
                continue
            docs.append(Doc(code, "unit_duty", text, f"内设机构：{uname}", context=uname))
    for item in data.get("power_items") or []:
        code = str(item.get("department") or "").strip()
        if code not in departments:
            continue
        ptype = clean(item.get("type"))
        name = clean(item.get("name"))
        sub = clean(item.get("sub_item"))
        text = name + (f"（{sub}）" if sub else "")
        if not text:
            continue
        docs.append(
            Doc(code, "power_item", text, f"{ptype or '权责事项'}：{name}", context=clean(item.get("responsibilities"))[:200])
        )
    for matter in data.get("matters") or []:
        mname = clean(matter.get("name"))
        for link in matter.get("links") or []:
            lname = clean(link.get("name"))
            for point in link.get("points") or []:
                lead = str(point.get("lead") or "").strip()
                if lead not in departments:
                    continue
                support = [str(c).strip() for c in point.get("support") or [] if str(c).strip() in departments]
                docs.append(
                    Doc(
                        lead,
                        "duty_point",
                        clean(point.get("text")),
                        f"{mname}·{lname}" if lname else mname,
                        lead=lead,
                        support=support,
                        context=f"{mname} {lname}",
                    )
                )
    return docs, departments


def org_department_meta(data: dict) -> dict[str, dict]:
    """code → {"kind", "parent", "name"} from org-file data (for level priors and place names)."""
    out = {}
    for dept in data.get("departments") or []:
        out[str(dept["code"]).strip()] = {
            "kind": dept.get("kind"),
            "parent": dept.get("parent"),
            "name": clean(dept.get("name")),
        }
    return out


# the place a township or street government is named after: "青禾市禾西县禾西镇人民政府" → 禾西镇,
# "示范市东城区东关街道办事处" → 东关街道
_PLACE_RE = re.compile(r"(?:^|[省市县区州盟旗])([^省市县区州盟旗]{1,6}?(?:镇|乡|街道))(?:人民政府|办事处)?$")


# villages and communities a township's or street's own texts enumerate: "指导东园、矿机、桦林4个社区
# 居民委员会建设", "青山、柳沟、大桦树5个村民委员会", "辖柳沟村、后岭村、石门村"
_LOCALITY_LIST_RE = re.compile(
    r"((?:[\u4e00-\u9fff]{2,6}、)+[\u4e00-\u9fff]{2,6})(?:等)?[0-9一二三四五六七八九十两]+个(社区|村)")
_LOCALITY_NAMED_RE = re.compile(r"((?:[\u4e00-\u9fff]{2,6}?(?:社区|村)、)+[\u4e00-\u9fff]{2,6}?(?:社区|村))(?![\u4e00-\u9fff])")
_NAME_STEM_RE = re.compile(r"^(.{2,4}?)(?:镇|乡|街道)$")


def township_localities(place: str, texts) -> set[str]:
    """Villages and communities of the township or street named ``place`` ("青山镇"): those its
    texts enumerate, and the village and community that share its name (青山村, 青山社区). A
    question naming one of them is about that township. The first name of an enumeration may carry
    the verb before it ("指导东园"), so each of its tails of two characters or more is kept; the
    wrong ones are never asked about."""
    out: set[str] = set()
    stem = _NAME_STEM_RE.match(place or "")
    if stem:
        out.update({stem.group(1) + "村", stem.group(1) + "社区"})
    for text in texts:
        for found in _LOCALITY_LIST_RE.finditer(text):
            names = found.group(1).split("、")
            suffix = found.group(2)
            for i, name in enumerate(names):
                tails = [name[k:] for k in range(len(name) - 1)] if i == 0 else [name]
                out.update(tail + suffix for tail in tails if len(tail) <= 4)
        for found in _LOCALITY_NAMED_RE.finditer(text):
            names = found.group(1).split("、")
            for i, name in enumerate(names):
                base = name[:-2] if name.endswith("社区") else name[:-1]
                suffix = name[len(base):]
                tails = [base[k:] for k in range(len(base) - 1)] if i == 0 else [base]
                out.update(tail + suffix for tail in tails if 2 <= len(tail) <= 4)
    return {name for name in out if name not in _NOT_LOCALITIES}


# words of the form "…村" or "…社区" that name a kind of place, not one place
_NOT_LOCALITIES = {"城中村", "行政村", "自然村", "贫困村", "示范村", "中心村", "城乡社区", "城市社区", "农村社区",
                   "安置社区", "平安村", "美丽乡村", "各村", "各社区", "所辖村", "所辖社区", "居民社区"}


def township_places(meta: dict[str, dict]) -> dict[str, str]:
    """code → the place name of each township and street (from ``org_department_meta``)."""
    out = {}
    for code, m in meta.items():
        if m.get("kind") == "township":
            found = _PLACE_RE.search(m.get("name") or "")
            if found:
                out[code] = found.group(1)
    return out
