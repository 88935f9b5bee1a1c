"""Accuracy of the finder on labelled questions (TSV with columns id, code, kind, text).

``code`` is the department expected first; ``kind`` is free (the bundled sets use ``clear`` and
``boundary``) and accuracy is also reported per kind.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

COLUMNS = ("id", "code", "kind", "text")


def load_questions(path: str | Path) -> list[dict]:
    """Labelled questions of a TSV file; rows without text or code are skipped."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r for r in rows if (r.get("text") or "").strip() and (r.get("code") or "").strip()]


def parse_questions(text: str, departments) -> tuple[list[dict], list[str]]:
    """Questions of a TSV document and the problems found in it (in Chinese, with line numbers):
    missing columns, empty cells, department codes that are not loaded."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in ("code", "text") if c not in header]
    if missing:
        return [], [f"表头缺少列：{'、'.join(missing)}（应为制表符分隔的 {' '.join(COLUMNS)}）"]
    rows, errors = [], []
    for line, raw in enumerate(reader, 2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        if not row.get("text"):
            errors.append(f"第 {line} 行：text 为空")
        elif not row.get("code"):
            errors.append(f"第 {line} 行：code 为空")
        elif row["code"] not in departments:
            errors.append(f"第 {line} 行：部门编码 {row['code']} 不在已加载的部门中")
        else:
            rows.append({"id": row.get("id") or str(line), "code": row["code"], "kind": row.get("kind") or "",
                         "text": row["text"]})
    if not rows and not errors:
        errors.append("没有任何问题")
    return rows, errors


def evaluate(index, questions: list[dict], limit: int = 5) -> dict:
    """top-1 / top-3 accuracy overall and per kind, and the misses (id, expected, got top-3, text)."""
    n = top1 = top3 = 0
    kinds: dict[str, list[int]] = {}
    misses = []
    for q in questions:
        codes = [r.department for r in index.search(q["text"], limit=limit)]
        hit1 = codes[:1] == [q["code"]]
        hit3 = q["code"] in codes[:3]
        n += 1
        top1 += hit1
        top3 += hit3
        k = kinds.setdefault(q.get("kind") or "", [0, 0, 0])
        k[0] += 1
        k[1] += hit1
        k[2] += hit3
        if not hit1:
            misses.append((q.get("id"), q["code"], codes[:3], q["text"]))
    return {
        "n": n,
        "top1": top1 / n if n else 0.0,
        "top3": top3 / n if n else 0.0,
        "by_kind": {k: {"n": v[0], "top1": v[1] / v[0], "top3": v[2] / v[0]} for k, v in sorted(kinds.items()) if k},
        "misses": misses,
    }
