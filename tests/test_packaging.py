"""Packaging: the sdist and the wheel built from it carry the shipped models, and kg installed
from that wheel works offline, away from the checkout."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from kg import resources

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "seeds" / "000_40da871ae59ea618.txt"
#: runs ``kg`` with every way out to the network refused and counted (kg must never need it)
OFFLINE_KG = """
import socket, sys
tried = []
def refuse(*args, **kwargs):
    tried.append(repr(args)[:200])
    raise OSError("kg reached for the network")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.getaddrinfo = socket.create_connection = refuse
from kg.cli import main
status = main(sys.argv[1:])
print("network attempts:", len(tried), tried[:3], file=sys.stderr)
sys.exit(status if not tried else 3)
"""


def tracked_files(folder: str = ".") -> list[str]:
    """Files git tracks or would add (not ignored), under ``folder``."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", folder],
                            cwd=REPO, capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.split("\0") if name]


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    """The source distribution of this checkout's files as a commit would hold them (a build
    folder left in the checkout cannot add stale files), built by setuptools' PEP 517 backend."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("sdist")
    for name in tracked_files():
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    proc = subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta as b; "
                           "print(b.build_sdist(sys.argv[1]))", str(out)],
                          cwd=source, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out / proc.stdout.split()[-1]


@pytest.fixture(scope="module")
def wheel(sdist, tmp_path_factory) -> Path:
    """``pip wheel`` of the sdist, as ``pip install`` from a package index builds it; build
    dependencies come from the package index."""
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(sdist), "-w", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (built,) = out.glob("kg-*.whl")
    return built


def test_the_checkout_reads_its_own_models_folder():
    assert resources.MODELS == REPO / "models"


def test_the_sdist_carries_every_shipped_model_file(sdist):
    with tarfile.open(sdist) as archive:
        inside = {n.split("/models/", 1)[1] for n in archive.getnames()
                  if "/models/" in n and archive.getmember(n).isfile()}
    shipped = {name.removeprefix("models/") for name in tracked_files("models")}
    assert shipped and inside == shipped


def test_the_wheel_carries_every_shipped_model_file(wheel):
    inside = {n.removeprefix("kg/models/") for n in zipfile.ZipFile(wheel).namelist() if n.startswith("kg/models/")}
    shipped = {name.removeprefix("models/") for name in tracked_files("models")}
    assert shipped and inside == shipped


def test_kg_installed_from_the_wheel_builds_a_page_offline_away_from_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    env = dict(os.environ, PYTHONPATH=str(target), KG_MODEL="", OPENBLAS_NUM_THREADS="1")
    where = subprocess.run([sys.executable, "-c", "import kg.resources as r; print(r.__file__); print(r.MODELS)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert where == [str(target / "kg" / "resources.py"), str(target / "kg" / "models")]
    proc = subprocess.run([sys.executable, "-c", OFFLINE_KG, "build", str(PAGE), "--out", "out", "--quiet"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "network attempts: 0 " in proc.stderr
    mentions = [json.loads(line) for line in (tmp_path / "out" / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"PER", "ORG", "LOC"} <= {m["label"] for m in mentions}
