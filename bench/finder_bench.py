"""Benchmark of the 职责查找 finder engine.

Run:  .venv/bin/python bench/finder_bench.py            (from /work/main)

Measures, pinned to one CPU core (latency as wall clock and as the thread's CPU time):
* the one-off jieba dictionary load (reported, excluded from per-query time);
* index build time and query latency p50/p99 for the demo city and for a synthetic region of 300
  departments (generated deterministically by recombining the demo departments' texts under new
  codes and sub-region names, with the matters copied per sub-region);
* accuracy (top-1/top-3) on the sample questions and on the project's own questions (tuning half,
  held-out half);
* the same on two more independently written fictional cities with their blind-written questions:
  临河市 (tests/data/linhe_city.yaml, 240 questions) and 青禾市 (tests/data/qinghe_city.yaml, 300
  questions, written by someone who never saw the finder); both were looked at while tuning, see
  docs/finder.md for what was measured before that and for leave-one-city-out numbers;
* the rank-bm25 library (BM25Okapi over the same documents, jieba tokens, best document per
  department) as the reference: build time, p50/p99 and top-1/top-3 on the demo city.

Writes everything to var/bench/finder.json and prints it.
"""

from __future__ import annotations

import copy
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from lvzhi.duties.finder import (  # noqa: E402
    FinderIndex,
    Lexicon,
    docs_from_org,
    jieba_load_seconds,
    level_priors,
    org_department_meta,
    township_places,
)
from lvzhi.duties.finder.engine import _new_tokenizer  # noqa: E402
from lvzhi.duties.finder.evaluate import evaluate, load_questions  # noqa: E402
from lvzhi.duties.finder.text import STOP_WORDS, is_wordlike, normalize  # noqa: E402

DEMO = ROOT / "src/lvzhi/libraries/demo_city.yaml"
LEXICON = ROOT / "src/lvzhi/libraries/finder_lexicon.yaml"
QUESTIONS = ROOT / "src/lvzhi/duties/tests/finder_questions.tsv"
LINHE = ROOT / "src/lvzhi/duties/tests/data/linhe_city.yaml"
LINHE_QUESTIONS = ROOT / "src/lvzhi/duties/tests/data/linhe_questions.tsv"
QINGHE = ROOT / "src/lvzhi/duties/tests/data/qinghe_city.yaml"
QINGHE_QUESTIONS = ROOT / "src/lvzhi/duties/tests/data/qinghe_questions.tsv"
SAMPLE_CANDIDATES = [
    ROOT.parent / "shared/samples/finder-sample.tsv",
    Path("/work/shared/samples/finder-sample.tsv"),
]
OUT = ROOT / "var/bench/finder.json"


def pin_one_core():
    try:
        cpu = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


def pct(values, q):
    return round(float(np.percentile(np.asarray(values) * 1000.0, q)), 3)


# ---------------------------------------------------------------------------------------------
# synthetic region
# ---------------------------------------------------------------------------------------------

SUBREGIONS = ["东岳市", "西陵市", "南湖市", "北原市", "清河市", "青山市", "临江市", "云台市", "白石市", "金沙市"]


def synthetic_region(demo: dict, n_departments: int = 300, seed: int = 20260) -> tuple[dict, dict]:
    """A province-like region of ``n_departments`` built from the demo city's departments.

    Every sub-region gets a copy of the demo departments under new codes and names; each copy
    drops some duties/units and borrows a few duties and units from other departments of the
    same sub-region, so no two copies are identical. Matters are copied per sub-region with their
    lead/support codes remapped. Returns (org data, code → source demo code).
    """
    rng = random.Random(seed)
    src_region = demo["region"]["name"]
    base = [d for d in demo["departments"]]
    out_depts = []
    origin = {}
    matters = []
    k = 0
    for si, sub in enumerate(SUBREGIONS):
        if k >= n_departments:
            break
        codemap = {}
        batch = []
        for d in base:
            if k >= n_departments:
                break
            code = f"R{si:02d}-{d['code']}"
            codemap[d["code"]] = code
            origin[code] = d["code"]
            batch.append(d)
            k += 1
        pool_duties = [t for d in batch for t in ((d.get("sanding") or {}).get("duties") or [])]
        pool_units = [u for d in batch for u in ((d.get("sanding") or {}).get("units") or [])]

        def rename(text):
            """Region name swapped, and the clauses after the first reordered / thinned, so that
            the copies are not verbatim repeats of the demo text."""
            if text is None:
                return text
            text = str(text).replace(src_region, sub)
            out = []
            for sent in text.split("。"):
                parts = sent.split("，")
                head, rest = parts[:1], parts[1:]
                rng.shuffle(rest)
                rest = [c for c in rest if rng.random() > 0.15] or rest[:1]
                out.append("，".join(head + rest))
            return "。".join(out)

        for d in batch:
            nd = copy.deepcopy(d)
            nd["code"] = codemap[d["code"]]
            nd["name"] = rename(d["name"])
            if d.get("parent"):
                nd["parent"] = codemap.get(d["parent"])
            s = nd.get("sanding")
            if s:
                duties = [rename(t) for t in s.get("duties") or []]
                keep = [t for t in duties if rng.random() > 0.2] or duties[:1]
                for _ in range(rng.randint(1, 2)):
                    keep.insert(rng.randrange(len(keep) + 1), rename(rng.choice(pool_duties)))
                s["duties"] = keep
                units = [dict(u, duties=rename(u.get("duties"))) for u in s.get("units") or []]
                units = [u for u in units if rng.random() > 0.2]
                if pool_units:
                    bu = rng.choice(pool_units)
                    units.append(dict(bu, duties=rename(bu.get("duties"))))
                s["units"] = units
                bnds = []
                for b in s.get("boundaries") or []:
                    w = [codemap[c] for c in b.get("with") or [] if c in codemap]
                    if not w:
                        continue
                    bnds.append(dict(b, text=rename(b.get("text")), **{"with": w}))
                s["boundaries"] = bnds
            out_depts.append(nd)
        for m in demo.get("matters") or []:
            nm = {"code": f"R{si:02d}-{m['code']}", "name": m["name"], "links": []}
            for link in m.get("links") or []:
                pts = []
                for p in link.get("points") or []:
                    if p["lead"] not in codemap:
                        continue
                    pts.append(
                        {
                            "text": p["text"],
                            "lead": codemap[p["lead"]],
                            "support": [codemap[c] for c in p.get("support") or [] if c in codemap],
                        }
                    )
                nm["links"].append({"name": link["name"], "points": pts})
            matters.append(nm)
    data = {
        "format": "lvzhi.org/1",
        "region": {"name": "示范省", "level": "province"},
        "departments": out_depts,
        "matters": matters,
    }
    return data, origin


def variants(questions: list[str]) -> list[str]:
    """The questions as asked, plus operator-style rewrites (prefix, suffix, doubled)."""
    out = []
    for q in questions:
        out.append(q)
        out.append("您好，市民来电反映：" + q + "，请相关部门尽快核实处理。")
        out.append(q.replace("，", " ").replace("。", " "))
        out.append(q + "。" + q[: max(4, len(q) // 2)])
    return out


# ---------------------------------------------------------------------------------------------
# measurements
# ---------------------------------------------------------------------------------------------


def time_queries(fn, queries, repeat=1):
    """Single-shot latencies over all runs (wall clock, and CPU time of this thread, which leaves
    out the time other processes on a shared machine hold the core), and the per-query median over
    the runs (which filters out that interference too)."""
    for q in queries[:20]:  # warm-up
        fn(q)
    runs, cpu = [], []
    for _ in range(repeat):
        times = []
        for q in queries:
            c0 = time.thread_time()
            t0 = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - t0)
            cpu.append(time.thread_time() - c0)
        runs.append(times)
    flat = [t for r in runs for t in r]
    med = np.median(np.asarray(runs), axis=0)
    return {
        "queries": len(queries),
        "runs": repeat,
        "p50_ms": pct(flat, 50),
        "p99_ms": pct(flat, 99),
        "max_ms": pct(flat, 100),
        "cpu_p50_ms": pct(cpu, 50),
        "cpu_p99_ms": pct(cpu, 99),
        "per_query_median_p50_ms": pct(med, 50),
        "per_query_median_p99_ms": pct(med, 99),
    }


def accuracy(index, qs):
    r = evaluate(index, qs)
    return {"n": r["n"], "top1": round(r["top1"], 4), "top3": round(r["top3"], 4)}


class RankBM25Reference:
    """rank-bm25's BM25Okapi over the same documents, jieba tokens, best doc per department."""

    def __init__(self, docs, departments):
        from rank_bm25 import BM25Okapi

        self.tok = _new_tokenizer()
        t0 = time.perf_counter()
        self.docs = docs
        self.departments = departments
        corpus = [self.tokens(d.text) or ["∅"] for d in docs]
        self.bm25 = BM25Okapi(corpus)
        self.codes = list(departments)
        pos = {c: i for i, c in enumerate(self.codes)}
        self.doc_dept = np.array([pos[d.department] for d in docs])
        self.build_seconds = time.perf_counter() - t0

    def tokens(self, text):
        return [w for w in self.tok.lcut(normalize(text)) if w not in STOP_WORDS and is_wordlike(w)]

    def search(self, text, limit=5):
        scores = self.bm25.get_scores(self.tokens(text))
        best = np.full(len(self.codes), -np.inf)
        np.maximum.at(best, self.doc_dept, scores)
        order = np.argsort(-best)[:limit]
        return [_Hit(self.codes[i]) for i in order if best[i] > 0]


def build_index(data, lexicon):
    """The index of a city's org data, as the service builds it; and its build time."""
    docs, deps = docs_from_org(data)
    meta = org_department_meta(data)
    t0 = time.perf_counter()
    index = FinderIndex.build(docs, deps, lexicon, priors=level_priors(meta), places=township_places(meta))
    return index, time.perf_counter() - t0


def other_city(path, questions_path, lexicon):
    """Build time, latency and accuracy (all questions, boundary questions) on another city."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    index, build_s = build_index(data, lexicon)
    qs = load_questions(questions_path)
    out = {
        "departments": len(index.departments),
        "docs": len(index.docs),
        "build_s": round(build_s, 3),
        "latency": time_queries(index.search, variants([q["text"] for q in qs]), repeat=3),
        "accuracy": {
            "all": accuracy(index, qs),
            "boundary_kind": accuracy(index, [q for q in qs if q["kind"] == "boundary"]),
        },
    }
    try:
        out["rank_bm25_reference_accuracy"] = accuracy(RankBM25Reference(index.docs, index.departments), qs)
    except ImportError:
        pass
    return out


class _Hit:
    def __init__(self, department):
        self.department = department


def main():
    cpu = pin_one_core()
    t0 = time.perf_counter()
    demo = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    lexicon = Lexicon.load(LEXICON)
    sample_path = next((p for p in SAMPLE_CANDIDATES if p.exists()), None)
    sample = load_questions(sample_path) if sample_path else []
    own = load_questions(QUESTIONS)
    tune = [q for q in own if q["id"].startswith("q") and int(q["id"][1:]) % 2 == 1]
    held = [q for q in own if q["id"].startswith("q") and int(q["id"][1:]) % 2 == 0]
    fresh = [q for q in own if not q["id"].startswith("q")]
    texts = [q["text"] for q in sample + own]
    queries = variants(texts)

    # one-off jieba load (excluded from per-query and build times below)
    from lvzhi.duties.finder.engine import _base_freq

    _base_freq()
    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "pinned_cpu": cpu},
        "jieba_dictionary_load_s": round(jieba_load_seconds() or 0.0, 3),
        "lexicon": {"version": lexicon.version, "domains": len({e.domain for e in lexicon.entries}),
                    "cross_sector_domains": len(lexicon.cross_sector), "entries": len(lexicon)},
    }

    # ---- demo city
    index, build_s = build_index(demo, lexicon)
    deps = index.departments
    result["demo_city"] = {
        "departments": len(deps),
        "docs": len(index.docs),
        "terms": int(index.matrix.shape[0]),
        "nnz": int(index.matrix.nnz),
        "build_s": round(build_s, 3),
        "latency": time_queries(index.search, queries, repeat=3),
        "accuracy": {
            "sample": accuracy(index, sample),
            "own_tuning": accuracy(index, tune),
            "own_heldout": accuracy(index, held),
            **({"own_fresh": accuracy(index, fresh)} if fresh else {}),
            "own_boundary_kind": accuracy(index, [q for q in own if q["kind"] == "boundary"]),
        },
    }

    # ---- rank-bm25 reference on the demo city
    try:
        ref = RankBM25Reference(index.docs, deps)
        result["rank_bm25_reference_demo_city"] = {
            "build_s": round(ref.build_seconds, 3),
            "latency": time_queries(ref.search, queries, repeat=3),
            "accuracy": {
                "sample": accuracy(ref, sample),
                "own_tuning": accuracy(ref, tune),
                "own_heldout": accuracy(ref, held),
            },
        }
    except ImportError as exc:  # rank-bm25 is a bench extra
        result["rank_bm25_reference_demo_city"] = {"skipped": str(exc)}

    # ---- two more cities, written independently of the finder
    for key, path, qpath in (("linhe_city", LINHE, LINHE_QUESTIONS), ("qinghe_city", QINGHE, QINGHE_QUESTIONS)):
        if path.exists() and qpath.exists():
            result[key] = other_city(path, qpath, lexicon)

    # ---- synthetic region of 300 departments
    region, origin = synthetic_region(demo, 300)
    rindex, rbuild = build_index(region, lexicon)
    rdeps = rindex.departments
    # family accuracy: is the top department a copy of the labelled demo department?
    fam1 = fam3 = 0
    for q in sample + own:
        got = [origin[r.department] for r in rindex.search(q["text"])]
        fam1 += got[:1] == [q["code"]]
        fam3 += q["code"] in got[:3]
    n = len(sample + own) or 1
    result["synthetic_region_300"] = {
        "departments": len(rdeps),
        "docs": len(rindex.docs),
        "terms": int(rindex.matrix.shape[0]),
        "nnz": int(rindex.matrix.nnz),
        "build_s": round(rbuild, 3),
        "latency": time_queries(rindex.search, queries, repeat=3),
        "family_accuracy_all_questions": {"n": n, "top1": round(fam1 / n, 4), "top3": round(fam3 / n, 4)},
    }
    try:
        rref = RankBM25Reference(rindex.docs, rdeps)
        result["rank_bm25_reference_region_300"] = {
            "build_s": round(rref.build_seconds, 3),
            "latency": time_queries(rref.search, queries[::4], repeat=1),
        }
    except ImportError:
        pass
    result["total_run_s"] = round(time.perf_counter() - t0, 2)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
