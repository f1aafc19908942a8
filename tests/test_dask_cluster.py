"""End to end: a Dask cluster started by hand, as on several machines (docs/scale.md): `dask
scheduler` and two `dask worker` processes, then `kg build --engine dask --scheduler ADDRESS`,
whose outputs must be the local build's byte for byte."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.cli import main
from kg.write.jsonl import OUTPUT_FILES

pytest.importorskip("dask.distributed")


def _dask(*args: str, log: Path) -> subprocess.Popen:
    exe = shutil.which("dask") or str(Path(sys.executable).with_name("dask"))
    return subprocess.Popen([exe, *args], stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})


def test_a_scheduler_and_workers_started_by_hand_build_what_the_local_engine_builds(seed_build, seed_dir, tmp_path):
    info = tmp_path / "scheduler.json"
    processes = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(info), log=tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert info.exists(), (tmp_path / "scheduler.log").read_text()
        address = json.loads(info.read_text())["address"]
        for n in range(2):
            processes.append(_dask("worker", address, "--nthreads", "1", "--no-dashboard", "--name", f"w{n}",
                                   log=tmp_path / f"worker{n}.log"))
        out = tmp_path / "out"
        assert main(["build", str(seed_dir), "--out", str(out), "-q", "--engine", "dask", "--scheduler", address]) == 0
        for name in OUTPUT_FILES:
            assert (out / name).read_bytes() == (seed_build / name).read_bytes(), name
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_an_unreachable_scheduler_is_a_clear_error(seed_dir, tmp_path, capsys):
    rc = main(["build", str(seed_dir), "--out", str(tmp_path / "o"), "-q", "--engine", "dask",
               "--scheduler", "tcp://127.0.0.1:9"])
    assert rc == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_scheduler_without_workers_is_a_clear_error_not_a_hang(tmp_path):
    from kg.errors import ModelError
    from kg.ner.distributed import DaskRecognizer
    from kg.ner.load import DEFAULT_MODEL

    info = tmp_path / "scheduler.json"
    scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info),
                      log=tmp_path / "scheduler.log")
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        with pytest.raises(ModelError, match="has no worker after 2 s"):
            DaskRecognizer(DEFAULT_MODEL, scheduler=address, wait_for_workers=2)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=20)
