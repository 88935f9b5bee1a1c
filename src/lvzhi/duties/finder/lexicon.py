"""Colloquial → official term lexicon (``kind: finder_lexicon``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .text import normalize

DEFAULT_LEXICON = Path(__file__).resolve().parents[2] / "libraries" / "finder_lexicon.yaml"


@dataclass
class LexEntry:
    say: list[str]
    means: list[str]
    # < 1 for words that mostly set the scene of a matter rather than name it (places, people:
    # "公园", "河里", "医院", "开发商"): their expansion weighs less than that of an act or problem
    weight: float = 1.0


@dataclass
class Lexicon:
    entries: list[LexEntry] = field(default_factory=list)
    version: str = ""

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Lexicon":
        import yaml

        path = Path(path) if path else DEFAULT_LEXICON
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        if data.get("kind") not in (None, "finder_lexicon"):
            raise ValueError(f"{path}: kind must be finder_lexicon, got {data.get('kind')!r}")
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: dict) -> "Lexicon":
        entries = []
        for i, e in enumerate(data.get("entries") or [], 1):
            say = [normalize(s) for s in (e.get("say") or []) if normalize(s)]
            means = [normalize(m) for m in (e.get("means") or []) if normalize(m)]
            if say and means:
                entries.append(LexEntry(say, means, float(e.get("weight", 1.0))))
        return cls(entries, str(data.get("version") or ""))

    @classmethod
    def empty(cls) -> "Lexicon":
        return cls([], "")

    def __len__(self) -> int:
        return len(self.entries)
