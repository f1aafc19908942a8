"""The seed build, byte for byte: ``kg build seeds/ --out DIR`` run from the checkout gives the
files whose digests are in ``tests/data/seed-build.sha256``.

A guard for changes that must not change the output (moving code, speeding it up). A change
that means to change the output (a new rule, a retrained model) updates the digests, from the
checkout's root, and says so in its commit:

    kg build seeds/ --out /tmp/seed-build -q
    (cd /tmp/seed-build && sha256sum documents.jsonl mentions.jsonl entities.jsonl relations.jsonl graph.graphml) \\
        > tests/data/seed-build.sha256
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from kg.cli import main

REPO = Path(__file__).resolve().parent.parent
DIGESTS = REPO / "tests" / "data" / "seed-build.sha256"


def test_the_seed_build_is_byte_identical_to_the_golden_digests(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # documents.jsonl records the path as read (seeds/…); ids do not depend on it
    assert main(["build", "seeds/", "--out", str(tmp_path), "-q"]) == 0
    expected = dict(reversed(line.split()) for line in DIGESTS.read_text(encoding="utf-8").splitlines())
    got = {name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in expected}
    assert got == expected
