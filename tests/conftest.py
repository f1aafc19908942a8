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


#: fixtures that start or use the real Neo4j server: a test that asks for one is end to end
NEO4J_FIXTURES = {"neo4j_uri", "neo4j_driver", "neo4j_auth"}
#: test modules that are end to end as a whole (a wheel installed, the notebook run, Neo4j, the benchmarks run)
E2E_MODULES = {"test_neo4j.py", "test_notebook.py", "test_packaging.py", "test_bench.py", "test_dask_cluster.py"}


def pytest_collection_modifyitems(config, items):
    """Mark the end-to-end tests ``e2e``, so ``pytest -m "not e2e"`` runs the rest in minutes."""
    for item in items:
        if item.path.name in E2E_MODULES or NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
