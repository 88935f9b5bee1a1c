"""Colloquial → official term lexicon (library ``kind: finder_lexicon``).

File format (YAML)::

    kind: finder_lexicon
    version: "2026.3"
    title: 群众用语与规范职责用语对照词库
    domains:
      - name: 劳动就业
        terms: [劳动保障监察, 劳动关系]      # the domain's own official words (optional)
        cross_sector: true                  # a function exercised in every sector (optional)
        entries:
          - say: [老板不发工资, 讨薪]        # what citizens say
            means: [拖欠劳动报酬, 工资支付]  # what the 三定 and the lists call it
          - say: [工厂门口]
            means: [工业企业]
            weight: 0.5                     # names a place or party, not the matter

A flat top-level ``entries:`` list (no domains) is also accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .text import normalize

DEFAULT_LEXICON = Path(__file__).resolve().parents[2] / "libraries" / "finder_lexicon.yaml"


class LexiconError(ValueError):
    """A lexicon document that cannot be used; the message names the domain and entry."""


@dataclass
class LexEntry:
    say: list[str]
    means: list[str]
    # < 1 for words that mostly set the scene of a matter rather than name it (places, people:
    # "公园", "河里", "医院", "开发商"): their expansion weighs less than that of an act or problem
    weight: float = 1.0
    domain: str = ""


@dataclass
class Lexicon:
    entries: list[LexEntry] = field(default_factory=list)
    version: str = ""
    title: str = ""
    # domain name → its official words, added with a small weight whenever an entry of the
    # domain matches (so a question is pulled towards the field even where a city's texts do not
    # use the entry's own official words)
    domains: dict[str, list[str]] = field(default_factory=dict)
    # domains that are functions exercised across sectors (public order, fire and work safety,
    # tax, audit, prices, labour rights, occupational health …): when a question names such a
    # function and also a sector or place ("网吧里有人赌博", "KTV的灭火器过期"), it asks about the
    # function, and the sector's entries count as the scene
    cross_sector: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Lexicon":
        import yaml

        path = Path(path) if path else DEFAULT_LEXICON
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        if not isinstance(data, dict):
            raise LexiconError(f"{path.name}：不是词库文件（应为 YAML 映射）")
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: dict) -> "Lexicon":
        """Parse a lexicon document; raise LexiconError (in Chinese) naming what is wrong."""
        if data.get("kind") not in (None, "finder_lexicon"):
            raise LexiconError(f"kind 应为 finder_lexicon，实为 {data.get('kind')!r}")
        lex = cls([], str(data.get("version") or ""), str(data.get("title") or ""))
        groups = data.get("domains")
        if groups is None:
            groups = []
        if not isinstance(groups, list):
            raise LexiconError("domains 应为列表")
        if data.get("entries") is not None:
            groups = [*groups, {"name": "", "entries": data["entries"]}]
        names = set()
        for gi, group in enumerate(groups, 1):
            if not isinstance(group, dict):
                raise LexiconError(f"第 {gi} 个领域应为映射（name、terms、entries）")
            name = str(group.get("name") or "").strip()
            where = f"领域“{name}”" if name else f"第 {gi} 个领域"
            if name:
                if name in names:
                    raise LexiconError(f"{where}重复")
                names.add(name)
            terms = _strings(group.get("terms"), f"{where}的 terms")
            if name and terms:
                lex.domains[name] = terms
            flag = group.get("cross_sector", False)
            if not isinstance(flag, bool):
                raise LexiconError(f"{where}的 cross_sector 应为 true 或 false")
            if name and flag:
                lex.cross_sector.add(name)
            entries = group.get("entries") or []
            if not isinstance(entries, list):
                raise LexiconError(f"{where}的 entries 应为列表")
            for i, e in enumerate(entries, 1):
                at = f"{where}第 {i} 条"
                if not isinstance(e, dict):
                    raise LexiconError(f"{at}应为映射（say、means）")
                say = _strings(e.get("say"), f"{at}的 say")
                means = _strings(e.get("means"), f"{at}的 means")
                if not say or not means:
                    raise LexiconError(f"{at}：say 和 means 都不能为空")
                try:
                    weight = float(e.get("weight", 1.0))
                except (TypeError, ValueError):
                    raise LexiconError(f"{at}：weight 应为 0 到 1 之间的数") from None
                if not 0 < weight <= 1:
                    raise LexiconError(f"{at}：weight 应为 0 到 1 之间的数")
                lex.entries.append(LexEntry(say, means, weight, name))
        return lex

    @classmethod
    def empty(cls) -> "Lexicon":
        return cls([], "")

    def __len__(self) -> int:
        return len(self.entries)


def _strings(value, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list):
        raise LexiconError(f"{where}应为列表")
    out = []
    for v in value:
        if not isinstance(v, (str, int)):
            raise LexiconError(f"{where}中的 {v!r} 不是文字")
        s = normalize(str(v))
        if s:
            out.append(s)
    return out
