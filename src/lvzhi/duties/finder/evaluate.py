"""Accuracy helpers for labelled finder questions (TSV with columns id, code, kind, text)."""

from __future__ import annotations

import csv
from pathlib import Path


def load_questions(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r for r in rows if (r.get("text") or "").strip() and (r.get("code") or "").strip()]


def evaluate(index, questions: list[dict], limit: int = 5) -> dict:
    """top-1 / top-3 accuracy and the misses (id, expected, got top-3, text)."""
    n = top1 = top3 = 0
    misses = []
    for q in questions:
        res = index.search(q["text"], limit=limit)
        codes = [r.department for r in res]
        n += 1
        if codes[:1] == [q["code"]]:
            top1 += 1
        if q["code"] in codes[:3]:
            top3 += 1
        if codes[:1] != [q["code"]]:
            misses.append((q.get("id"), q["code"], codes[:3], q["text"]))
    return {
        "n": n,
        "top1": top1 / n if n else 0.0,
        "top3": top3 / n if n else 0.0,
        "misses": misses,
    }
