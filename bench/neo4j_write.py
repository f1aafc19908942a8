"""Benchmark (not a test): kg's Neo4j writer against a raw ``UNWIND $rows CREATE`` baseline.

Builds a synthetic kg output directory (default: 20,000 entities, 2,000 documents and
about 150,000 relationships, 100,000 of them CO_OCCURS), then on the same server and in
the same process:

1. ``kg.write.neo4j.load_output`` into an empty database (MERGE, per-document contributions,
   retraction and sweep steps);
(after a small warm-up run of both writers that plans every statement)
2. the same load again (the idempotent re-run: every row MERGEs onto an existing one);
3. a baseline: the same nodes and relationships, same properties and batch size,
   written with plain ``UNWIND $rows AS row CREATE ...`` in managed transactions.

It prints rows/s for each and the ratio writer/baseline.

    python bench/neo4j_write.py                       # starts scripts/neo4j-dev on free ports
    python bench/neo4j_write.py --uri bolt://127.0.0.1:7687 --password kg-dev-password

The database at --uri is WIPED.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import neo4j  # noqa: E402

from kg.write.neo4j import ENTITY_LABELS, RELATION_TYPES, create_schema, load_output, read_output  # noqa: E402

log = logging.getLogger("bench.neo4j_write")


def synthesise(out: Path, *, entities: int, documents: int, co_occurs: int, seed: int = 7) -> None:
    """Write a synthetic kg output directory with the given sizes."""
    rng = random.Random(seed)
    labels = ["PER"] * 5 + ["ORG"] * 3 + ["LOC"] * 2
    ents = [f"{labels[i % 10]}:实体{i:06d}" for i in range(entities)]
    docs = [f"synthetic/{i:05d}.txt" for i in range(documents)]
    by_label = {lab: [e for e in ents if e.startswith(lab)] for lab in ENTITY_LABELS}
    mentions: dict[tuple[str, str], int] = {}
    rows_m = []
    for doc in docs:
        for entity in rng.sample(ents, 20):
            start = rng.randrange(0, 5000)
            rows_m.append({"doc": doc, "start": start, "end": start + 3, "text": entity[4:], "label": entity[:3],
                           "entity": entity, "sentence": 0})
            mentions[(entity, doc)] = mentions.get((entity, doc), 0) + 1
    per_entity: dict[str, list[int]] = {}
    for (entity, _doc), n in mentions.items():
        per_entity.setdefault(entity, []).append(n)

    def evidence(k):
        return [{"doc": rng.choice(docs), "start": (s := rng.randrange(5000)), "end": s + 3} for _ in range(k)]

    rels = []
    pairs = set()
    while len(pairs) < co_occurs:
        a, b = rng.sample(ents, 2)
        pairs.add((min(a, b), max(a, b)))
    for a, b in sorted(pairs):
        weights = {d: rng.randint(1, 3) for d in rng.sample(docs, rng.randint(1, 3))}
        rels.append({"type": "CO_OCCURS", "source": a, "target": b,
                     "properties": {"weight": sum(weights.values()), "doc_weights": weights}, "evidence": evidence(2)})
    for _ in range(entities // 4):
        rels.append({"type": "HOLDS_ROLE", "source": rng.choice(by_label["PER"]), "target": rng.choice(by_label["ORG"]),
                     "properties": {"title": rng.choice(["主任", "副主任", "书记", "董事长", "经理"])},
                     "evidence": evidence(1)})
    for _ in range(entities // 20):
        rels.append({"type": "PART_OF", "source": rng.choice(by_label["LOC"]), "target": rng.choice(by_label["LOC"]),
                     "properties": {}, "evidence": evidence(1)})
    for _ in range(entities // 10):
        rels.append({"type": "LOCATED_IN", "source": rng.choice(by_label["ORG"]), "target": rng.choice(by_label["LOC"]),
                     "properties": {}, "evidence": evidence(1)})

    def dump(name, rows):
        with (out / name).open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    out.mkdir(parents=True, exist_ok=True)
    dump("documents.jsonl", ({"id": d, "path": d, "title": f"标题{d}", "date": "2025-12-27", "chars": 5000,
                              "sha256": "0" * 64} for d in docs))
    dump("entities.jsonl", ({"id": e, "name": e[4:], "label": e[:3], "aliases": [e[4:] + "别名"],
                             "mention_count": sum(per_entity.get(e, [])), "doc_count": len(per_entity.get(e, []))}
                            for e in ents))
    dump("mentions.jsonl", rows_m)
    dump("relations.jsonl", rels)


# The baseline: one plain CREATE per statement, the same properties the writer stores.
BASELINE_NODES = {
    "Document": "UNWIND $rows AS row CREATE (d:Document) SET d = row RETURN count(*)",
    **{label: f"UNWIND $rows AS row CREATE (e:Entity:{label}) SET e = row RETURN count(*)"
       for label in ENTITY_LABELS.values()},
}
BASELINE_MENTIONS = ("UNWIND $rows AS row MATCH (e:Entity {id: row.entity}) MATCH (d:Document {id: row.doc}) "
                     "CREATE (e)-[:MENTIONED_IN {count: row.count, offsets: row.offsets}]->(d) RETURN count(*)")


def baseline_rel(rel_type: str) -> str:
    props = "evidence_docs: row.evidence_docs, evidence_starts: row.evidence_starts, evidence_ends: row.evidence_ends"
    if rel_type == "HOLDS_ROLE":
        props += ", title: row.title"
    if rel_type == "CO_OCCURS":
        props += ", weight: row.weight, docs: row.docs, doc_weights: row.doc_weights"
    return (f"UNWIND $rows AS row MATCH (a:Entity {{id: row.source}}) MATCH (b:Entity {{id: row.target}}) "
            f"CREATE (a)-[:{rel_type} {{{props}}}]->(b) RETURN count(*)")


def run_baseline(driver, out: Path, batch_size: int) -> int:
    """Write ``out`` with plain CREATEs; returns rows written."""
    data = read_output(out)
    written = 0

    def write(query, rows):
        nonlocal written
        with driver.session() as session:
            for i in range(0, len(rows), batch_size):
                batch = rows[i:i + batch_size]
                written += session.execute_write(lambda tx, b=batch: tx.run(query, rows=b).single()[0])

    write(BASELINE_NODES["Document"], data.documents)
    for label, rows in data.entities.items():
        write(BASELINE_NODES[label], rows)
    write(BASELINE_MENTIONS, data.mentions)
    for rel_type in RELATION_TYPES:
        write(baseline_rel(rel_type), data.relations[rel_type])
    return written


def wipe(driver) -> None:
    """Empty the database in chunks (keeps the schema)."""
    while driver.execute_query("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*)").records[0][0]:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", default=os.environ.get("NEO4J_URI"), help="server to use (WIPED); default: start one")
    parser.add_argument("--user", default=os.environ.get("NEO4J_USER", "neo4j"))
    parser.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD", "kg-dev-password"))
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--co-occurs", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    env = None
    if not args.uri:
        env = dict(os.environ, NEO4J_BOLT_PORT=str(free_port()), NEO4J_HTTP_PORT=str(free_port()),
                   NEO4J_PASSWORD=args.password, NEO4J_DEV_WATCH_PID=str(os.getpid()))
        started = subprocess.run([str(REPO / "scripts" / "neo4j-dev"), "start"], env=env, capture_output=True,
                                 text=True)
        if started.returncode:
            print(started.stderr, file=sys.stderr)
            return 1
        args.uri = started.stdout.strip().splitlines()[-1]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "synthetic"
            t = time.perf_counter()
            synthesise(out, entities=args.entities, documents=args.documents, co_occurs=args.co_occurs)
            data = read_output(out)
            n_nodes = len(data.documents) + sum(len(r) for r in data.entities.values())
            n_rels = len(data.mentions) + sum(len(r) for r in data.relations.values())
            print(f"synthetic graph: {n_nodes} nodes, {n_rels} relationships "
                  f"({len(data.relations['CO_OCCURS'])} CO_OCCURS) in {time.perf_counter() - t:.1f}s")
            rows = n_nodes + n_rels

            with neo4j.GraphDatabase.driver(args.uri, auth=(args.user, args.password)) as driver:
                wipe(driver)
                with driver.session() as session:
                    create_schema(session)  # both runs get the same indexes
                kw = dict(user=args.user, password=args.password, batch_size=args.batch_size)
                # Warm-up: plan every statement and let the JIT compile, for both writers.
                warm = Path(tmp) / "warm-up"
                synthesise(warm, entities=2000, documents=100, co_occurs=3000, seed=1)
                load_output(warm, args.uri, **kw)
                load_output(warm, args.uri, **kw)
                wipe(driver)
                run_baseline(driver, warm, args.batch_size)
                wipe(driver)
                t = time.perf_counter()
                counts = load_output(out, args.uri, **kw)
                kg_s = time.perf_counter() - t
                assert sum(counts.values()) == rows, counts
                t = time.perf_counter()
                load_output(out, args.uri, **kw)
                reload_s = time.perf_counter() - t

                wipe(driver)
                t = time.perf_counter()
                written = run_baseline(driver, out, args.batch_size)
                base_s = time.perf_counter() - t
                assert written == rows, (written, rows)

            print(f"server: {args.uri}, batch size {args.batch_size}, {rows} rows (nodes + relationships)")
            print(f"kg writer (empty db):      {kg_s:7.1f} s  {rows / kg_s:9.0f} rows/s")
            print(f"kg writer (re-run, merge): {reload_s:7.1f} s  {rows / reload_s:9.0f} rows/s")
            print(f"baseline UNWIND CREATE:    {base_s:7.1f} s  {rows / base_s:9.0f} rows/s")
            print(f"ratio kg/baseline: {base_s / kg_s:.2f} (first load), {base_s / reload_s:.2f} (re-run)")
    finally:
        if env is not None:
            subprocess.run([str(REPO / "scripts" / "neo4j-dev"), "stop"], env=env, capture_output=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
