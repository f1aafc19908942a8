"""Pytest plugin: a real Neo4j server for the tests, a driver on it, and a wiped database.

* ``neo4j_uri`` (session): ``$NEO4J_URI`` when set; otherwise ``scripts/neo4j-dev start`` runs
  a throwaway Neo4j 5 on two free ports once per session and stops it at the end.
* ``neo4j_auth`` (session): ``{"user": ..., "password": ...}`` from ``$NEO4J_USER`` (neo4j)
  and ``$NEO4J_PASSWORD`` (kg-dev-password, the dev server's default).
* ``neo4j_driver`` (session): a connected ``neo4j.GraphDatabase.driver``.
* ``clean_db`` (function): empties the database (nodes, relationships, constraints and
  indexes, except kg's own schema) and returns the driver; ``empty_db`` drops kg's schema too.

A server that cannot be started or reached FAILS the tests that need it, with what to do.
"""
from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "neo4j-dev"
DEFAULT_PASSWORD = "kg-dev-password"
HOW_TO_PROVIDE = (
    "The Neo4j tests need a real server. Either install Java 17+ and Maven so that "
    "`scripts/neo4j-dev start` can fetch and run Neo4j 5 (try it by hand), or point the tests at "
    "a running Neo4j 5 with NEO4J_URI=bolt://HOST:PORT plus NEO4J_USER / NEO4J_PASSWORD "
    "(e.g. `docker compose up -d neo4j`; see docs/neo4j.md)."
)


def pytest_configure(config) -> None:
    """Register the marker of tests that load the real pipeline's build of seeds/."""
    config.addinivalue_line("markers", "seed_build: loads the real pipeline's build of seeds/ (needs kg.cli)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dev_server_env(bolt_port: int, http_port: int, password: str) -> dict[str, str]:
    """Environment for ``scripts/neo4j-dev`` to run (or stop) an instance on these ports."""
    env = dict(os.environ)
    env.update(NEO4J_BOLT_PORT=str(bolt_port), NEO4J_HTTP_PORT=str(http_port), NEO4J_PASSWORD=password)
    # If pytest dies without its finalisers, the server stops itself.
    env["NEO4J_DEV_WATCH_PID"] = str(os.getpid())
    return env


def start_dev_server(env: dict[str, str], *extra: str) -> str:
    """Run ``scripts/neo4j-dev start`` with ``env``; return the Bolt URI or fail the test with help."""
    try:
        proc = subprocess.run([str(SCRIPT), "start", *extra], env=env, capture_output=True, text=True,
                              timeout=1200, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as err:
        pytest.fail(f"scripts/neo4j-dev start did not finish: {err}\n{HOW_TO_PROVIDE}", pytrace=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.splitlines()[-25:])
        pytest.fail(f"scripts/neo4j-dev start failed (exit {proc.returncode}):\n{tail}\n\n{HOW_TO_PROVIDE}",
                    pytrace=False)
    return proc.stdout.strip().splitlines()[-1]


def stop_dev_server(env: dict[str, str]) -> None:
    """Stop the instance ``env`` names (its data directory is deleted)."""
    subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=120,
                   stdin=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def neo4j_auth() -> dict[str, str]:
    """Credentials for the test server."""
    return {"user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", DEFAULT_PASSWORD)}


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_auth) -> Iterator[str]:
    """Bolt URI of a real Neo4j 5: ``$NEO4J_URI`` or a dev server started for this session."""
    given = os.environ.get("NEO4J_URI")
    if given:
        yield given
        return
    env = dev_server_env(free_port(), free_port(), neo4j_auth["password"])
    uri = start_dev_server(env)
    try:
        yield uri
    finally:
        stop_dev_server(env)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri, neo4j_auth):
    """A driver connected to ``neo4j_uri`` (fails with help when the server does not answer)."""
    import neo4j

    driver = neo4j.GraphDatabase.driver(neo4j_uri, auth=(neo4j_auth["user"], neo4j_auth["password"]))
    try:
        driver.verify_connectivity()
    except Exception as err:  # noqa: BLE001 - any failure here means "no usable server"
        driver.close()
        pytest.fail(f"cannot use Neo4j at {neo4j_uri}: {err}\n{HOW_TO_PROVIDE}", pytrace=False)
    yield driver
    driver.close()


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


#: kg's own constraints and index (kg.write.neo4j.SCHEMA_STATEMENTS): kept by ``clean_db`` because
#: dropping them makes the server re-plan every query (seconds per test on two cores).
KG_SCHEMA = frozenset({"entity_id", "document_id", "entity_name"})


def wipe(driver, *, schema: bool = False) -> None:
    """Delete every node and relationship and every constraint and index but the token lookups;
    kg's own schema (:data:`KG_SCHEMA`) too only when ``schema`` is true."""
    driver.execute_query("MATCH (n) DETACH DELETE n")
    keep = set() if schema else KG_SCHEMA
    for record in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
        if record["name"] not in keep:
            driver.execute_query(f"DROP CONSTRAINT {_quoted(record['name'])} IF EXISTS")
    for record in driver.execute_query("SHOW INDEXES YIELD name, type, owningConstraint "
                                       "WHERE type <> 'LOOKUP' AND owningConstraint IS NULL").records:
        if record["name"] not in keep:
            driver.execute_query(f"DROP INDEX {_quoted(record['name'])} IF EXISTS")


@pytest.fixture
def clean_db(neo4j_driver):
    """An empty database: no nodes, relationships, or constraints and indexes but kg's own; returns the driver."""
    wipe(neo4j_driver)
    return neo4j_driver


@pytest.fixture
def empty_db(neo4j_driver):
    """Like ``clean_db`` but without kg's schema too (slower: every query is planned afresh)."""
    wipe(neo4j_driver, schema=True)
    return neo4j_driver
