"""The hotline benchmark (bench/hotline_bench.py) runs end to end on a small file, on SQLite only,
and records its measurements, its targets and whether each was met."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]

pytestmark = pytest.mark.bench


def test_a_small_run_writes_the_results_with_targets_and_verdicts(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hotline_bench.py"), "--rows", "2000", "--skip-postgres",
         "--routing-tests", "100", "--out", str(tmp_path), "--data", str(tmp_path / "data")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    result = json.loads((tmp_path / "hotline.json").read_text())
    sqlite = result["sqlite"]
    assert sqlite["import"]["committed"] and sqlite["import"]["tickets"]["created"] == 2000
    assert sqlite["import"]["returns"]["created"] == result["data"]["returns"] > 0
    assert sqlite["reimport_utf8"]["tickets"]["unchanged"] == 2000
    assert sqlite["incremental"]["tickets"]["created"] == result["data"]["more_tickets"]
    assert sqlite["raw"]["tickets"] == 2000 and sqlite["import_vs_raw"] > 0
    assert sqlite["import"]["seconds"] == min(sqlite["import_runs_seconds"]) and len(sqlite["import_runs_seconds"]) == 2
    assert sqlite["import_export"]["rows_per_s"] > 0
    memory = sqlite["import"]
    assert memory["peak_memory_mb"] == max(memory["peak_rss_mb"], memory["peak_pss_mb"]) > 0
    assert memory["checking_process_peak_rss_mb"] > 0  # the CSV was checked in a process of its own
    assert any({"top1", "top3"} <= set(v) for v in sqlite["routing"].values() if isinstance(v, dict))
    assert result["targets"] == {"import_vs_raw_min": 0.5, "peak_rss_mb_max": 500, "analysis_s_max_postgresql": 2.0}
    assert set(result["met"]) == {"sqlite_import_vs_raw", "sqlite_peak_rss"}
    assert result["met"]["sqlite_import_vs_raw"] == (sqlite["import_vs_raw"] >= 0.5)
    assert not (ROOT / "var" / "bench" / "hotline" / "meta-2000.json").exists()
