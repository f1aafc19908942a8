"""Shared fixtures: the seed pages, one build of them per session, and the real Neo4j server."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("tests.neo4j_server",)

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The five seed pages shipped with the repo."""
    return SEEDS


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """Run ``kg build seeds/ --out DIR`` once per session and return DIR."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("seed-build")
    rc = main(["build", str(SEEDS), "--out", str(out), "--quiet"])
    assert rc == 0
    return out
