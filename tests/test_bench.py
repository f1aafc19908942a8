"""The NER benchmarks still run against the code (they are not tests of speed: nothing here
times anything).  A benchmark nobody runs breaks silently: compare_models.py did, once."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_bench(*args: str) -> str:
    proc = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_compare_models_runs_and_reports_the_baseline_ratio():
    out = run_bench("bench/compare_models.py", "models/ner", "--min-chars", "3000", "--rounds", "1")
    assert "round 1  models/ner:" in out and "(1.00x the first)" in out


def test_ner_speed_runs_on_one_and_two_processes():
    out = run_bench("bench/ner_speed.py", "--min-chars", "3000", "--processes", "2", "--rounds", "1")
    assert "jieba" in out and "chars/s" in out and "fusing the CNN encoder" in out
    assert "whole `kg build` as a command" in out and "one BLAS thread against BLAS's own" in out


def test_scale_runs_and_reports_every_stage():
    import pytest

    corpora = REPO.parent / "shared" / "corpora"
    if not (corpora / "peoples_daily_1998" / "199801.txt").exists():
        pytest.skip(f"the corpora are not beside this checkout ({corpora})")
    out = run_bench("bench/scale.py", "--sizes", "5k,10k", "--incremental", "--dask")
    assert out.count("== ") == 2 and out.count("the first size") == 2
    assert out.count("identical to a fresh build") == 2 and out.count("identical to local") == 4
    for stage in ("reading", "entities", "linking", "relations", "writing", "jieba.posseg", "peak RSS"):
        assert stage in out
