"""kg.write.neo4j against a real Neo4j 5 server (see tests/neo4j_server.py): schema, idempotent and
incremental loads, injection safety, errors, the neo4j-admin CSVs (imported for real) and
every query under cypher/, checked against a Python reading of the same output directory.

Most tests use TINY, a hand-made output directory; the ``seed_build`` tests load the real
pipeline's build of seeds/ and need kg.cli.
"""
from __future__ import annotations

import csv
import json
import os
import re
import socket
import subprocess
from collections import Counter, defaultdict, deque
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from kg.errors import InputError, Neo4jError
from kg.schema import RELATIONS
from kg.write.neo4j import (
    ENTITY_LABELS,
    RELATION_TYPES,
    SCHEMA_STATEMENTS,
    create_schema,
    load_output,
    read_output,
)
from kg.write.neo4j_admin import export_admin_csv
from tests.neo4j_server import dev_server_env, free_port, start_dev_server, stop_dev_server

REPO = Path(__file__).resolve().parents[2]
CYPHER = REPO / "cypher"
QUERY_FILES = sorted(p for p in CYPHER.glob("*.cypher") if p.name != "schema.cypher")

D1 = "seeds/000_40da871ae59ea618.txt"
D2 = "seeds/001_e86e4ea87c2784a2.txt"
D3 = "other/002_news.txt"
ZHAO, ZHANG = "PER:段志强", "PER:张韶春"
BAOGANG, RENDA = "ORG:包钢集团", "ORG:内蒙古自治区人大常委会"
BAOTOU, NMG = "LOC:包头市", "LOC:内蒙古自治区"
EVIL = "'}) DETACH DELETE n //"


def _doc(doc_id, title, date, chars):
    return {"id": doc_id, "path": doc_id, "title": title, "date": date, "chars": chars, "sha256": "0" * 64}


def _ent(eid, aliases, mentions, docs, merged_by=()):
    label, name = eid.split(":", 1)
    return {"id": eid, "name": name, "label": label, "aliases": aliases, "merged_by": list(merged_by),
            "mention_count": mentions, "doc_count": docs}


def _m(doc, start, end, text, entity):
    return {"doc": doc, "start": start, "end": end, "text": text, "label": entity[:3], "entity": entity, "sentence": 0}


def _rel(rtype, source, target, properties=None, evidence=()):
    return {"type": rtype, "source": source, "target": target, "properties": properties or {},
            "evidence": [{"doc": d, "start": s, "end": e} for d, s, e in evidence]}


def _co(a, b, doc_weights, evidence=(), npmi=None):
    props = {"weight": sum(doc_weights.values()), "doc_weights": doc_weights}
    if npmi is not None:
        props["npmi"] = npmi
    return _rel("CO_OCCURS", a, b, props, evidence)


TINY = {
    "documents.jsonl": [_doc(D1, "包钢集团召开会议", "2025-12-27", 120), _doc(D2, "自治区人大常委会宣讲", None, 80)],
    "entities.jsonl": [
        _ent(NMG, ["内蒙古"], 1, 1, ["gazetteer"]), _ent(BAOTOU, ["包头"], 1, 1, ["gazetteer"]),
        _ent(RENDA, ["自治区人大常委会"], 2, 2, ["home_region"]), _ent(BAOGANG, ["包钢"], 3, 2, ["alias_file"]),
        _ent(ZHANG, [], 1, 1), _ent(ZHAO, [], 3, 2),
    ],
    "mentions.jsonl": [
        _m(D1, 0, 4, "包钢集团", BAOGANG), _m(D1, 10, 13, "段志强", ZHAO), _m(D1, 30, 32, "包钢", BAOGANG),
        _m(D1, 50, 53, "段志强", ZHAO), _m(D1, 60, 71, "内蒙古自治区人大常委会", RENDA),
        _m(D1, 80, 83, "包头市", BAOTOU), _m(D1, 90, 96, "内蒙古自治区", NMG),
        _m(D2, 0, 8, "自治区人大常委会", RENDA), _m(D2, 5, 8, "段志强", ZHAO),
        _m(D2, 20, 23, "张韶春", ZHANG), _m(D2, 40, 42, "包钢", BAOGANG),
    ],
    "relations.jsonl": [
        _rel("HOLDS_ROLE", ZHANG, RENDA, {"title": "党组书记"}, [(D2, 20, 23)]),
        _rel("HOLDS_ROLE", ZHANG, RENDA, {"title": "副主任"}, [(D2, 20, 23)]),
        _rel("HOLDS_ROLE", ZHAO, RENDA, {"title": "副主任"}, [(D1, 50, 53), (D2, 5, 8)]),
        _co(BAOTOU, BAOGANG, {D1: 1}, [(D1, 0, 4)]),
        _co(BAOGANG, ZHAO, {D1: 2, D2: 1}, [(D1, 0, 4), (D2, 40, 42)], npmi=0.25),
        _co(RENDA, ZHANG, {D2: 1}),
        _co(RENDA, ZHAO, {D1: 1, D2: 1}, npmi=0.5),
        _co(ZHANG, ZHAO, {D2: 1}, [(D2, 5, 8)]),
        _rel("PART_OF", BAOTOU, NMG, {}, [(D1, 80, 83)]),
        _rel("LOCATED_IN", BAOGANG, BAOTOU, {}, [(D1, 0, 4)]),
        _rel("LOCATED_IN", RENDA, NMG),
        _rel("REPORTED", ZHANG, D2, {"as": "记者"}, [(D2, 18, 26)]),  # credits link a person and a page
        _rel("REPORTED", ZHANG, D2, {"as": "摄影"}, [(D2, 60, 66)]),
        _rel("DATELINE", D1, BAOTOU, {}, [(D1, 76, 86)]),
    ],
}

# A second corpus: one new document; 包钢集团 and 段志强 are shared with TINY.
WANG = "PER:王皓"
TINY2 = {
    "documents.jsonl": [_doc(D3, "包钢新闻", "2026-01-05", 60)],
    "entities.jsonl": [_ent(BAOGANG, ["包钢", "包钢(集团)公司"], 2, 1, ["abbreviation", "alias_file"]),
                       _ent(WANG, [], 1, 1), _ent(ZHAO, [], 1, 1)],
    "mentions.jsonl": [_m(D3, 0, 2, "包钢", BAOGANG), _m(D3, 5, 13, "包钢(集团)公司", BAOGANG),
                       _m(D3, 20, 23, "段志强", ZHAO), _m(D3, 30, 32, "王皓", WANG)],
    "relations.jsonl": [_co(BAOGANG, ZHAO, {D3: 4}, [(D3, 0, 2)], npmi=0.75), _co(BAOGANG, WANG, {D3: 1}),
                        _co(WANG, ZHAO, {D3: 1})],
}


def write_output(root: Path, files: dict) -> Path:
    """Write ``files`` (name -> list of JSON objects) as a kg output directory."""
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (root / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return root


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write_output(tmp_path / "tiny", TINY)


@pytest.fixture
def tiny2(tmp_path) -> Path:
    return write_output(tmp_path / "tiny2", TINY2)


def load(out_dir: Path, uri: str, auth: dict, **kwargs) -> dict[str, int]:
    return load_output(out_dir, uri, user=auth["user"], password=auth["password"], **kwargs)


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def snapshot(driver) -> tuple[list, list]:
    """Every node (labels, properties) and relationship (type, endpoint ids, properties), sorted."""
    nodes = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props").records
    dump = lambda d: json.dumps({k: _plain(v) for k, v in d.items()}, ensure_ascii=False, sort_keys=True)  # noqa: E731
    return (sorted((sorted(r["labels"]), dump(r["props"])) for r in nodes),
            sorted((r["type"], r["a"], r["b"], dump(r["props"])) for r in rels))


def count(driver, query: str, **params) -> int:
    return driver.execute_query(query, params).records[0][0]


def rel_counts(driver) -> Counter:
    records = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n").records
    return Counter({r["t"]: r["n"] for r in records})


def co_occurs(driver, a: str, b: str) -> dict:
    records = driver.execute_query(
        "MATCH (:Entity {id: $a})-[c:CO_OCCURS]->(:Entity {id: $b}) RETURN properties(c) AS p", a=a, b=b).records
    assert len(records) == 1, f"expected one CO_OCCURS {a} -> {b}, got {len(records)}"
    return records[0]["p"]


# ---------------------------------------------------------------------------------------
# A Python reading of an output directory: the oracle for counts and query results.
# ---------------------------------------------------------------------------------------

class Expect:
    """What Neo4j should hold for one or more output directories, computed without Neo4j."""

    def __init__(self, *dirs: Path) -> None:
        self.entities: dict[str, dict] = {}
        self.documents: dict[str, dict] = {}
        self.mentions: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self.rels: dict[tuple, dict] = {}
        for d in dirs:
            for e in _read(d / "entities.jsonl"):
                have = self.entities.get(e["id"])
                aliases = list(dict.fromkeys(e["aliases"]))
                merged_by = set(e.get("merged_by", []))
                if have:
                    aliases += [a for a in have["aliases"] if a not in aliases]
                    merged_by |= set(have["merged_by"])
                self.entities[e["id"]] = {**e, "aliases": aliases, "merged_by": sorted(merged_by)}
            for doc in _read(d / "documents.jsonl"):
                self.documents[doc["id"]] = doc
            for m in _read(d / "mentions.jsonl"):
                self.mentions[(m["entity"], m["doc"])].append((m["start"], m["end"]))
            grouped: dict[tuple, dict] = {}
            for r in _read(d / "relations.jsonl"):
                s, t = r["source"], r["target"]
                if r["type"] == "CO_OCCURS":
                    s, t = min(s, t), max(s, t)
                spec = RELATIONS[r["type"]]
                key = (r["type"], s, t, r["properties"].get(spec.key) if spec.key else None)
                g = grouped.setdefault(key, {"doc_weights": Counter(), "evidence": [], "docs": set()})
                g["doc_weights"].update(r["properties"].get("doc_weights", {}))
                g["npmi"] = r["properties"].get("npmi")
                g["title_normalised"] = r["properties"].get("title_normalised", r["properties"].get("title"))
                g["docs"].update(r["properties"].get("docs", []), (ev["doc"] for ev in r["evidence"]))
                g["evidence"] += [(ev["doc"], ev["start"], ev["end"]) for ev in r["evidence"]]
            for key, g in grouped.items():  # a document's new contribution replaces its old one
                have = self.rels.setdefault(key, {"doc_weights": {}, "evidence": [], "docs": set()})
                replace = set(g["doc_weights"]) | g["docs"]
                have["npmi"] = g["npmi"]  # the latest load's
                have["title_normalised"] = g["title_normalised"]
                have["docs"] = {x for x in have["docs"] if x not in replace} | g["docs"]
                have["doc_weights"] = {k: v for k, v in have["doc_weights"].items() if k not in replace}
                have["doc_weights"].update(g["doc_weights"])
                have["evidence"] = sorted([ev for ev in have["evidence"] if ev[0] not in replace] + g["evidence"])
        for spans in self.mentions.values():
            spans.sort()
        per_entity = defaultdict(list)
        for (entity, _doc_id), spans in self.mentions.items():
            per_entity[entity].append(len(spans))
        for eid, counts in per_entity.items():
            self.entities[eid]["mention_count"] = sum(counts)
            self.entities[eid]["doc_count"] = len(counts)

    def match(self, name: str, label: str | None = None) -> list[dict]:
        """Entities whose name or alias is ``name`` (as the queries match)."""
        return [e for e in self.entities.values()
                if (name == e["name"] or name in e["aliases"]) and (label is None or e["label"] == label)]

    def of_type(self, rtype: str) -> list[tuple]:
        return [k for k in self.rels if k[0] == rtype]

    def neighbours(self) -> dict[str, set[str]]:
        adj = defaultdict(set)
        for rtype, s, t, _title in self.rels:
            if RELATIONS[rtype].source != "Entity" or RELATIONS[rtype].target != "Entity":
                continue
            adj[s].add(t)
            adj[t].add(s)
        return adj

    # One method per cypher/ file: the rows the query must return, in order.
    def people_by_degree(self, limit):
        degree = Counter()
        for rtype, s, t, _title in self.rels:
            if RELATIONS[rtype].source != "Entity" or RELATIONS[rtype].target != "Entity":
                continue  # REPORTED and DATELINE link a document, not another entity
            degree[s] += 1
            degree[t] += 1
        people = [(e["id"], e["name"], degree[e["id"]]) for e in self.entities.values() if e["label"] == "PER"]
        return [list(p) for p in sorted(people, key=lambda p: (-p[2], p[0]))[:limit]]

    def person_roles(self, name):
        rows = []
        for p in self.match(name, "PER"):
            for _t, s, t, title in self.of_type("HOLDS_ROLE"):
                if s == p["id"]:
                    rel = self.rels[("HOLDS_ROLE", s, t, title)]
                    rows.append([s, p["name"], title, rel["title_normalised"], t, self.entities[t]["name"],
                                 len(rel["evidence"])])
        return sorted(rows, key=lambda r: (r[0], r[4], r[2]))

    def organization_roles(self, name):
        rows = []
        for o in self.match(name, "ORG"):
            for _t, s, t, title in self.of_type("HOLDS_ROLE"):
                if t == o["id"]:
                    rows.append([o["name"], s, self.entities[s]["name"], title,
                                 self.rels[("HOLDS_ROLE", s, t, title)]["title_normalised"]])
        return sorted(rows, key=lambda r: (r[1], r[3]))

    def top_cooccurring(self, name, limit):
        rows = []
        for e in self.match(name):
            for _t, s, t, _title in self.of_type("CO_OCCURS"):
                if e["id"] in (s, t):
                    other = t if s == e["id"] else s
                    rel = self.rels[("CO_OCCURS", s, t, None)]
                    rows.append([e["id"], other, self.entities[other]["name"], self.entities[other]["label"],
                                 rel["npmi"], sum(rel["doc_weights"].values()), len(rel["doc_weights"])])
        return sorted(rows, key=lambda r: (r[4] is None, -(r[4] or 0), -r[5], r[1]))[:limit]

    def seen(self, key) -> tuple[str | None, str | None]:
        """first_seen, last_seen of a relationship: its documents' dates."""
        docs = self.rels[key]["docs"] if key[0] == "HOLDS_ROLE" else self.rels[key]["doc_weights"]
        days = sorted(self.documents[d]["date"] for d in docs if self.documents[d]["date"])
        return (days[0], days[-1]) if days else (None, None)

    def roles_in_year(self, year):
        rows = []
        for key in self.of_type("HOLDS_ROLE"):
            _t, s, t, title = key
            first, last = self.seen(key)
            if first and int(first[:4]) <= year <= int(last[:4]):
                rows.append([t, self.entities[t]["name"], title, s, self.entities[s]["name"], first, last])
        return sorted(rows, key=lambda r: (r[0], r[2], r[3]))

    def organizations_in_place(self, place):
        part_of = defaultdict(set)
        for _t, s, t, _title in self.of_type("PART_OF"):
            part_of[s].add(t)

        def up(start, max_hops, label):
            seen, frontier = {start}, {start}
            for _ in range(max_hops):
                frontier = {t for f in frontier for t in part_of[f] if self.entities[t]["label"] == label} - seen
                seen |= frontier
            return seen

        targets = {p["id"] for p in self.match(place, "LOC")}
        rows = {}
        for o in (e for e in self.entities.values() if e["label"] == "ORG"):
            at_places = set()
            for unit in up(o["id"], 3, "ORG"):
                for _t, s, t, _title in self.of_type("LOCATED_IN"):
                    if s == unit and self.entities[t]["label"] == "LOC" and up(t, 5, "LOC") & targets:
                        at_places.add(self.entities[t]["name"])
            if at_places:
                rows[o["id"]] = [o["id"], o["name"], sorted(at_places)]
        return [rows[k] for k in sorted(rows)]

    def distance(self, a_ids, b_ids, max_hops=6):
        adj, best = self.neighbours(), None
        for a in a_ids:
            seen, queue = {a: 0}, deque([a])
            while queue:
                x = queue.popleft()
                if seen[x] >= max_hops:
                    continue
                for y in adj[x]:
                    if y not in seen:
                        seen[y] = seen[x] + 1
                        queue.append(y)
            for b in b_ids:
                if b != a and b in seen and (best is None or seen[b] < best):
                    best = seen[b]
        return best

    def entity_evidence(self, name):
        rows = []
        for e in self.match(name):
            for (eid, doc_id), spans in self.mentions.items():
                if eid == e["id"]:
                    rows.append([eid, doc_id, self.documents[doc_id]["title"], self.documents[doc_id]["date"],
                                 len(spans), [x for span in spans for x in span]])
        return sorted(rows, key=lambda r: (-r[4], r[1], r[0]))

    def entity_aliases(self, name):
        return sorted([[e["id"], e["name"], e["label"], e["aliases"] or None] for e in self.match(name)],
                      key=lambda r: r[0])

    def entity_merges(self, rule):
        return sorted([[e["id"], e["name"], e["label"], e["aliases"] or None, e["merged_by"]]
                       for e in self.entities.values() if rule in e["merged_by"]], key=lambda r: r[0])

    def document_entities(self, doc):
        rows = [[eid, self.entities[eid]["name"], self.entities[eid]["label"], len(spans)]
                for (eid, doc_id), spans in self.mentions.items() if doc_id == doc]
        return sorted(rows, key=lambda r: (-r[3], r[0]))


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def query_text(path: Path) -> str:
    """The statement in a cypher/ file, without its trailing semicolon."""
    return path.read_text(encoding="utf-8").strip().rstrip(";")


def query_example(path: Path) -> dict:
    """The parameters of the ``// Example: {...}`` header line."""
    found = re.search(r"^// Example: (\{.*\})$", path.read_text(encoding="utf-8"), re.M)
    assert found, f"{path.name}: no '// Example: {{...}}' header line"
    return json.loads(found.group(1))


def run_query(driver, path: Path, params: dict) -> list[list]:
    records = driver.execute_query(query_text(path), params).records
    return [[_plain(v) for v in r.values()] for r in records]


def check_query(driver, expect: Expect, path: Path, params: dict) -> list[list]:
    """Run a cypher/ file and assert it returns exactly what the oracle computes."""
    got = run_query(driver, path, params)
    name = path.stem
    if name == "shortest_path":
        want = expect.distance([e["id"] for e in expect.match(params["from"])],
                               [e["id"] for e in expect.match(params["to"])])
        if want is None:
            assert got == [], f"shortest_path {params}: expected no path, got {got}"
            return got
        assert len(got) == 1, f"shortest_path {params}: expected one path, got {got}"
        names, ids, types, hops = got[0]
        assert hops == want == len(types) == len(ids) - 1
        assert ids[0] in {e["id"] for e in expect.match(params["from"])}
        assert ids[-1] in {e["id"] for e in expect.match(params["to"])}
        for x, y, t in zip(ids[:-1], ids[1:], types, strict=True):  # every hop is a real relationship
            assert any(k[0] == t and {k[1], k[2]} == {x, y} for k in expect.rels), (x, t, y)
        assert names == [expect.entities[i]["name"] for i in ids]
        return got
    oracle = getattr(expect, name, None)
    assert oracle is not None, f"cypher/{path.name} has no oracle in tests/write/test_neo4j.py::Expect; add one"
    want = oracle(**params)
    assert got == want, f"{path.name} {params}:\n got  {got}\n want {want}"
    return got


# ---------------------------------------------------------------------------------------
# Loading.
# ---------------------------------------------------------------------------------------

def test_schema_is_created_and_matches_schema_file(empty_db, neo4j_uri, neo4j_auth, tiny):
    clean_db = empty_db
    assert count(clean_db, "SHOW CONSTRAINTS YIELD name RETURN count(*)") == 0
    load(tiny, neo4j_uri, neo4j_auth)
    constraints = {(r["type"], tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in clean_db.execute_query(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties").records}
    assert ("UNIQUENESS", ("Entity",), ("id",)) in constraints
    assert ("UNIQUENESS", ("Document",), ("id",)) in constraints
    indexes = {(tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in clean_db.execute_query(
        "SHOW INDEXES YIELD type, labelsOrTypes, properties WHERE type = 'RANGE'").records}
    assert (("Entity",), ("name",)) in indexes
    # cypher/schema.cypher holds exactly the statements the loader runs.
    text = (CYPHER / "schema.cypher").read_text(encoding="utf-8")
    statements = [s.strip() for s in re.sub(r"^//.*$", "", text, flags=re.M).split(";") if s.strip()]
    assert statements == list(SCHEMA_STATEMENTS)
    # The unique constraint is enforced.
    with pytest.raises(Exception, match="already exists"):
        clean_db.execute_query("CREATE (:Entity {id: $id})", id=ZHAO)


def test_counts_and_values_equal_the_files(clean_db, neo4j_uri, neo4j_auth, tiny):
    counts = load(tiny, neo4j_uri, neo4j_auth)
    expect = Expect(tiny)
    n_rel = Counter(k[0] for k in expect.rels)
    assert counts == {"documents": 2, "entities": 6, "mentioned_in": len(expect.mentions),
                      **{t.lower(): n_rel[t] for t in RELATION_TYPES}}
    assert count(clean_db, "MATCH (d:Document) RETURN count(d)") == len(TINY["documents.jsonl"])
    assert count(clean_db, "MATCH (e:Entity) RETURN count(e)") == len(TINY["entities.jsonl"])
    for label, neo_label in ENTITY_LABELS.items():
        want = sum(e["label"] == label for e in TINY["entities.jsonl"])
        assert count(clean_db, f"MATCH (e:Entity:{neo_label}) RETURN count(e)") == want
    assert rel_counts(clean_db) == Counter({"MENTIONED_IN": 9, "HOLDS_ROLE": 3, "CO_OCCURS": 5,
                                            "PART_OF": 1, "LOCATED_IN": 2, "REPORTED": 2, "DATELINE": 1})
    assert dict(rel_counts(clean_db)) == {"MENTIONED_IN": len(expect.mentions), **n_rel}
    # CO_OCCURS once per unordered pair, from the lower id to the higher.
    assert count(clean_db, "MATCH (a)-[:CO_OCCURS]->(b) WHERE a.id >= b.id RETURN count(*)") == 0
    assert count(clean_db, "MATCH (a)-[:CO_OCCURS]->(b)-[:CO_OCCURS]->(a) RETURN count(*)") == 0

    for e in TINY["entities.jsonl"]:
        rec = clean_db.execute_query("MATCH (e:Entity {id: $id}) RETURN properties(e) AS p, labels(e) AS l",
                                     id=e["id"]).records[0]
        assert rec["p"] == {k: v for k, v in e.items() if v != []}  # empty lists are not stored
        assert sorted(rec["l"]) == sorted(["Entity", ENTITY_LABELS[e["label"]]])
    doc = clean_db.execute_query("MATCH (d:Document {id: $id}) RETURN d", id=D1).records[0]["d"]
    assert (doc["title"], doc["date"].iso_format(), doc["chars"]) == ("包钢集团召开会议", "2025-12-27", 120)
    assert clean_db.execute_query("MATCH (d:Document {id: $id}) RETURN d.date AS x", id=D2).records[0]["x"] is None

    mention = clean_db.execute_query("MATCH (:Entity {id: $e})-[m:MENTIONED_IN]->(:Document {id: $d}) RETURN m",
                                     e=BAOGANG, d=D1).records[0]["m"]
    assert (mention["count"], mention["offsets"]) == (2, [0, 4, 30, 32])
    role = clean_db.execute_query("MATCH (:Entity {id: $p})-[r:HOLDS_ROLE]->(:Entity {id: $o}) RETURN r",
                                  p=ZHAO, o=RENDA).records[0]["r"]
    assert {k: _plain(v) for k, v in role.items()} == {
        "title": "副主任", "title_normalised": "副主任", "docs": [D1, D2], "first_seen": "2025-12-27",
        "last_seen": "2025-12-27", "evidence_docs": [D1, D2], "evidence_starts": [50, 5], "evidence_ends": [53, 8]}
    assert {k: _plain(v) for k, v in co_occurs(clean_db, BAOGANG, ZHAO).items()} == {
        "weight": 3, "docs": [D1, D2], "doc_weights": [2, 1], "npmi": 0.25,
        "first_seen": "2025-12-27", "last_seen": "2025-12-27", "years": [2025], "year_weights": [2],
        "evidence_docs": [D1, D2], "evidence_starts": [0, 40], "evidence_ends": [4, 42]}
    undated = co_occurs(clean_db, RENDA, ZHANG)  # D2 has no date
    assert "npmi" not in undated and not {"first_seen", "last_seen", "years", "year_weights"} & set(undated)


def test_loading_twice_changes_nothing(clean_db, neo4j_uri, neo4j_auth, tiny):
    first_counts = load(tiny, neo4j_uri, neo4j_auth, batch_size=2)  # several batches per statement
    first = snapshot(clean_db)
    second_counts = load(tiny, neo4j_uri, neo4j_auth)
    assert second_counts == first_counts
    assert snapshot(clean_db) == first
    assert len(first[0]) == 8 and len(first[1]) == 23


def test_second_corpus_merges_onto_shared_entities(clean_db, neo4j_uri, neo4j_auth, tiny, tiny2):
    load(tiny, neo4j_uri, neo4j_auth)
    load(tiny2, neo4j_uri, neo4j_auth)
    assert count(clean_db, "MATCH (e:Entity) RETURN count(e)") == 7  # 6 + 王皓; 包钢集团 and 段志强 shared
    assert count(clean_db, "MATCH (d:Document) RETURN count(d)") == 3
    assert count(clean_db, "MATCH (e:Entity {id: $id}) RETURN count(e)", id=BAOGANG) == 1
    baogang = clean_db.execute_query("MATCH (e:Entity {id: $id}) RETURN e", id=BAOGANG).records[0]["e"]
    assert baogang["aliases"] == ["包钢", "包钢(集团)公司"]
    assert baogang["merged_by"] == ["abbreviation", "alias_file"]  # the rules of both builds, sorted
    assert (baogang["mention_count"], baogang["doc_count"]) == (5, 3)  # over both corpora
    co = co_occurs(clean_db, BAOGANG, ZHAO)
    assert (co["weight"], co["docs"], co["doc_weights"]) == (7, [D3, D1, D2], [4, 2, 1])  # sorted by doc id
    # dates span both corpora; npmi is the latest load's
    assert (co["first_seen"].iso_format(), co["last_seen"].iso_format()) == ("2025-12-27", "2026-01-05")
    assert (co["years"], co["year_weights"], co["npmi"]) == ([2025, 2026], [2, 4], 0.75)
    assert count(clean_db, "MATCH (:Entity {id: $id})-[m:MENTIONED_IN]->() RETURN count(m)", id=ZHAO) == 3
    merged = snapshot(clean_db)
    expect = Expect(tiny, tiny2)
    assert dict(rel_counts(clean_db)) == {"MENTIONED_IN": len(expect.mentions),
                                          **Counter(k[0] for k in expect.rels)}

    # Reloading either corpus, in any order, never doubles a weight or an evidence span.
    load(tiny2, neo4j_uri, neo4j_auth)
    assert co_occurs(clean_db, BAOGANG, ZHAO)["weight"] == 7
    load(tiny, neo4j_uri, neo4j_auth)
    load(tiny2, neo4j_uri, neo4j_auth)
    assert snapshot(clean_db) == merged


def test_reloading_a_changed_document_replaces_its_contribution(clean_db, neo4j_uri, neo4j_auth, tiny, tmp_path):
    load(tiny, neo4j_uri, neo4j_auth)
    changed = json.loads(json.dumps(TINY))
    # D1 now says 包钢集团 with 段志强 once, 包头市 is gone from D1 (and so from the graph).
    changed["mentions.jsonl"] = [m for m in changed["mentions.jsonl"] if m["entity"] not in (BAOTOU,)]
    changed["entities.jsonl"] = [e for e in changed["entities.jsonl"] if e["id"] != BAOTOU]
    changed["relations.jsonl"] = [r for r in changed["relations.jsonl"] if BAOTOU not in (r["source"], r["target"])]
    changed["documents.jsonl"][0]["date"] = "2024-03-01"  # D1 redated
    for r in changed["relations.jsonl"]:
        if r["type"] == "HOLDS_ROLE" and r["source"] == ZHAO:
            r["evidence"] = [ev for ev in r["evidence"] if ev["doc"] == D2]
    for r in changed["relations.jsonl"]:
        if (r["type"], r["source"], r["target"]) == ("CO_OCCURS", BAOGANG, ZHAO):
            r["properties"] = {"weight": 2, "doc_weights": {D1: 1, D2: 1}}
            r["evidence"] = [{"doc": D2, "start": 40, "end": 42}]
    out = write_output(tmp_path / "changed", changed)
    load(out, neo4j_uri, neo4j_auth)
    co = co_occurs(clean_db, BAOGANG, ZHAO)
    assert (co["weight"], co["doc_weights"], co["evidence_docs"]) == (2, [1, 1], [D2])
    assert (co["first_seen"].iso_format(), co["years"], co["year_weights"]) == ("2024-03-01", [2024], [1])
    # 段志强's role is stated in D2 only now: undated, no first_seen/last_seen left
    role = clean_db.execute_query("MATCH (:Entity {id: $p})-[r:HOLDS_ROLE]->() RETURN properties(r) AS p",
                                  p=ZHAO).records[0]["p"]
    assert role["docs"] == [D2] and "first_seen" not in role and "last_seen" not in role
    assert count(clean_db, "MATCH (:Entity {id: $id})-[r]-(:Entity) RETURN count(r)", id=BAOTOU) == 0
    assert count(clean_db, "MATCH (:Entity {id: $id})-[r:MENTIONED_IN]->() RETURN count(r)", id=BAOTOU) == 0
    assert clean_db.execute_query("MATCH (e:Entity {id: $id}) RETURN e.mention_count AS n",
                                  id=BAOTOU).records[0]["n"] == 0
    assert count(clean_db, "MATCH ()-[r]->() WHERE r.kg_pending IS NOT NULL RETURN count(r)") == 0
    # and the changed build is now itself stable
    before = snapshot(clean_db)
    load(out, neo4j_uri, neo4j_auth)
    assert snapshot(clean_db) == before


def test_hostile_names_are_stored_as_text(clean_db, neo4j_uri, neo4j_auth, tmp_path):
    files = json.loads(json.dumps(TINY))
    evil_id = "PER:" + EVIL
    files["entities.jsonl"].append(_ent(evil_id, ["`) MATCH (x) DETACH DELETE x //", '"; DROP'], 1, 1))
    files["mentions.jsonl"].append(_m(D1, 100, 110, EVIL, evil_id))
    files["relations.jsonl"].append(_rel("HOLDS_ROLE", evil_id, BAOGANG, {"title": "'}]->() DELETE r //"}))
    files["relations.jsonl"].append(_co(evil_id, ZHAO, {D1: 1}))
    load(write_output(tmp_path / "evil", files), neo4j_uri, neo4j_auth)
    assert count(clean_db, "MATCH (e:Entity) RETURN count(e)") == 7
    assert count(clean_db, "MATCH (d:Document) RETURN count(d)") == 2
    rec = clean_db.execute_query("MATCH (e:Person {name: $n}) RETURN e.id AS id, e.aliases AS a", n=EVIL).records
    assert [(r["id"], r["a"]) for r in rec] == [(evil_id, ["`) MATCH (x) DETACH DELETE x //", '"; DROP'])]
    assert count(clean_db, "MATCH ()-[r:HOLDS_ROLE {title: $t}]->() RETURN count(r)", t="'}]->() DELETE r //") == 1
    assert rel_counts(clean_db)["HOLDS_ROLE"] == 4


def test_unreachable_server_raises_neo4j_error_naming_the_uri(tiny):
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(Neo4jError, match=re.escape(uri)) as info:
        load_output(tiny, uri, password="whatever")
    assert info.value.__cause__ is not None


def test_wrong_password_raises_neo4j_error(neo4j_driver, neo4j_uri, neo4j_auth, tiny):
    with pytest.raises(Neo4jError, match=re.escape(neo4j_uri) + ".*credentials"):
        load_output(tiny, neo4j_uri, user=neo4j_auth["user"], password=neo4j_auth["password"] + "-wrong")


def test_bad_uri_and_bad_input_are_clear(tmp_path, tiny):
    with pytest.raises(Neo4jError, match="ftp://nowhere"):
        load_output(tiny, "ftp://nowhere", password="x")
    with pytest.raises(InputError, match="not a directory"):
        load_output(tmp_path / "missing", "bolt://127.0.0.1:1")
    broken = write_output(tmp_path / "broken", TINY)
    with (broken / "relations.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    with pytest.raises(InputError, match=r"relations\.jsonl:15"):
        read_output(broken)
    with pytest.raises(ValueError):
        load_output(tiny, "bolt://127.0.0.1:1", batch_size=0)


# ---------------------------------------------------------------------------------------
# neo4j-admin CSVs.
# ---------------------------------------------------------------------------------------

def test_admin_csv_structure(tiny, tmp_path):
    dest = tmp_path / "csv"
    files = export_admin_csv(tiny, dest)
    names = [p.name for p in files]
    assert names == ["nodes_documents.csv", "nodes_entities.csv", "rels_mentioned_in.csv", "rels_holds_role.csv",
                     "rels_co_occurs.csv", "rels_part_of.csv", "rels_located_in.csv", "rels_reported.csv",
                     "rels_dateline.csv"]
    assert sorted(p.name for p in dest.iterdir()) == sorted(names)  # no temporary files left
    table = {p.stem: list(csv.reader(p.open(encoding="utf-8"))) for p in files}
    assert table["nodes_entities"][0] == ["id:ID(Entity)", "name", "label", "aliases:string[]", "merged_by:string[]",
                                          "mention_count:int", "doc_count:int", ":LABEL", "full_name"]
    assert ["ORG:包钢集团", "包钢集团", "ORG", "包钢", "alias_file", "3", "2", "Entity;Organization", ""] in table["nodes_entities"]
    assert [ZHAO, "段志强", "PER", "", "", "3", "2", "Entity;Person", ""] in table["nodes_entities"]
    assert table["rels_co_occurs"][0][:6] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "weight:int",
                                              "docs:string[]", "doc_weights:int[]"]
    assert table["rels_co_occurs"][0][6:11] == ["npmi:double", "first_seen:date", "last_seen:date", "years:int[]",
                                                "year_weights:int[]"]
    co_row = [BAOGANG, ZHAO, "CO_OCCURS", "3", f"{D1};{D2}", "2;1", "0.25", "2025-12-27", "2025-12-27", "2025", "2",
              f"{D1};{D2}", "0;40", "4;42"]
    assert co_row in table["rels_co_occurs"]
    assert [RENDA, ZHANG, "CO_OCCURS", "1", D2, "1", "", "", "", "", "", "", "", ""] in table["rels_co_occurs"]
    assert table["rels_holds_role"][0][3:8] == ["title", "title_normalised", "docs:string[]", "first_seen:date",
                                                "last_seen:date"]
    assert [ZHAO, RENDA, "HOLDS_ROLE", "副主任", "副主任", f"{D1};{D2}", "2025-12-27", "2025-12-27", f"{D1};{D2}", "50;5",
            "53;8"] in table["rels_holds_role"]
    assert [BAOGANG, D1, "MENTIONED_IN", "2", "0;4;30;32"] in table["rels_mentioned_in"]
    assert table["nodes_documents"][2][3] == ""  # null date
    assert table["rels_reported"][0][:4] == [":START_ID(Entity)", ":END_ID(Document)", ":TYPE", "as"]
    assert [ZHANG, D2, "REPORTED", "摄影", D2, "60", "66"] in table["rels_reported"]
    assert table["rels_dateline"][1] == [D1, BAOTOU, "DATELINE", D1, "76", "86"]
    assert len(table["rels_holds_role"]) == 1 + 3 and len(table["rels_mentioned_in"]) == 1 + 9
    files = json.loads(json.dumps(TINY))
    files["entities.jsonl"][0]["aliases"] = ["a;b"]
    with pytest.raises(InputError, match="array delimiter"):
        export_admin_csv(write_output(tmp_path / "semi", files), tmp_path / "csv2")


def test_admin_import_builds_the_same_graph_as_the_loader(clean_db, neo4j_uri, neo4j_auth, tmp_path):
    """Import the CSVs with the real neo4j-admin into a second server; compare with a Bolt load."""
    files = json.loads(json.dumps(TINY))
    files["entities.jsonl"].append(_ent('PER:引号"和,逗号', ["别名 一"], 0, 0))  # quotes and commas survive CSV
    out = write_output(tmp_path / "tiny", files)
    load(out, neo4j_uri, neo4j_auth)
    via_bolt = snapshot(clean_db)

    export_admin_csv(out, tmp_path / "csv")
    env = dev_server_env(free_port(), free_port(), neo4j_auth["password"])
    uri = start_dev_server(env, "--import", str(tmp_path / "csv"))
    try:
        with GraphDatabase.driver(uri, auth=(neo4j_auth["user"], neo4j_auth["password"])) as driver:
            with driver.session() as session:
                create_schema(session)
            imported = snapshot(driver)
            for got, want in zip(imported, via_bolt, strict=True):
                assert got == want, (f"only imported: {[x for x in got if x not in want]}\n"
                                     f"only loaded: {[x for x in want if x not in got]}")
            assert count(driver, "SHOW CONSTRAINTS YIELD name RETURN count(*)") == 2
    finally:
        stop_dev_server(env)


# ---------------------------------------------------------------------------------------
# The queries under cypher/.
# ---------------------------------------------------------------------------------------

def test_every_query_file_has_a_header_and_parameters():
    assert len(QUERY_FILES) >= 8
    for path in QUERY_FILES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("// "), f"{path.name}: no header comment"
        params = query_example(path)
        for name in params:
            assert f"${name}" in text and f"//   ${name}" in text, f"{path.name}: ${name} not documented/used"
        assert not re.search(r"'[^']*'", re.sub(r"^//.*$", "", text, flags=re.M)), f"{path.name}: literal in query"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_examples_on_tiny(clean_db, neo4j_uri, neo4j_auth, tiny, path):
    load(tiny, neo4j_uri, neo4j_auth)
    # the documented Examples name entities of the seed build (test_seed_build_queries runs them
    # there); the tiny build has 包钢 where the seed build has 北方稀土 and 包头
    params = {"entity_aliases": {"name": "包钢"}, "entity_evidence": {"name": "包钢"}}.get(path.stem, query_example(path))
    rows = check_query(clean_db, Expect(tiny), path, params)
    assert rows, f"{path.name}: {params} returns nothing on the tiny build"
    literal = {  # a few results spelled out, so the oracle itself is checked too
        "entity_aliases": [[BAOGANG, "包钢集团", "ORG", ["包钢"]]],
        "entity_merges": [[NMG, "内蒙古自治区", "LOC", ["内蒙古"], ["gazetteer"]],
                          [BAOTOU, "包头市", "LOC", ["包头"], ["gazetteer"]]],
        "person_roles": [[ZHAO, "段志强", "副主任", "副主任", RENDA, "内蒙古自治区人大常委会", 2]],
        "organization_roles": [["内蒙古自治区人大常委会", ZHANG, "张韶春", "党组书记", "党组书记"],
                               ["内蒙古自治区人大常委会", ZHANG, "张韶春", "副主任", "副主任"],
                               ["内蒙古自治区人大常委会", ZHAO, "段志强", "副主任", "副主任"]],
        "top_cooccurring": [[RENDA, ZHAO, "段志强", "PER", 0.5, 2, 2], [RENDA, ZHANG, "张韶春", "PER", None, 1, 1]],
        "roles_in_year": [[RENDA, "内蒙古自治区人大常委会", "副主任", ZHAO, "段志强", "2025-12-27", "2025-12-27"]],
        "organizations_in_place": [[RENDA, "内蒙古自治区人大常委会", ["内蒙古自治区"]],
                                   [BAOGANG, "包钢集团", ["包头市"]]],
        "entity_evidence": [[BAOGANG, D1, "包钢集团召开会议", "2025-12-27", 2, [0, 4, 30, 32]],
                            [BAOGANG, D2, "自治区人大常委会宣讲", None, 1, [40, 42]]],
        "people_by_degree": [[ZHANG, "张韶春", 4], [ZHAO, "段志强", 4]],  # a tie: by id
        "document_entities": [[BAOGANG, "包钢集团", "ORG", 2], [ZHAO, "段志强", "PER", 2],
                              [NMG, "内蒙古自治区", "LOC", 1], [BAOTOU, "包头市", "LOC", 1],
                              [RENDA, "内蒙古自治区人大常委会", "ORG", 1]],
    }
    if path.stem == "shortest_path":
        assert rows[0][3] == 3 and rows[0][0][0] == "张韶春" and rows[0][0][-1] == "包头市"
    else:
        assert rows == literal[path.stem]


# ---------------------------------------------------------------------------------------
# The real pipeline's build of seeds/.
# ---------------------------------------------------------------------------------------

def seed_params(name: str, expect: Expect) -> dict:
    """Parameters for a query that make it return something on this build (when anything can)."""
    def best(items, score):
        items = sorted(items, key=lambda x: (-score(x), x["id"]))
        return items[0] if items and score(items[0]) > 0 else None

    ents = list(expect.entities.values())
    by_label = lambda lab: [e for e in ents if e["label"] == lab]  # noqa: E731
    degree = Counter(x for k in expect.rels for x in k[1:3])
    if name == "people_by_degree":
        return {"limit": 10}
    if name == "person_roles":
        e = best(by_label("PER"), lambda e: sum(k[1] == e["id"] for k in expect.of_type("HOLDS_ROLE")))
    elif name == "organization_roles":
        e = best(by_label("ORG"), lambda e: sum(k[2] == e["id"] for k in expect.of_type("HOLDS_ROLE")))
    elif name == "top_cooccurring":
        e = best(ents, lambda e: sum(e["id"] in k[1:3] for k in expect.of_type("CO_OCCURS")))
        return {"name": (e or ents[0])["name"], "limit": 10}
    elif name == "organizations_in_place":
        e = best(by_label("LOC"), lambda e: len(expect.organizations_in_place(e["name"])))
        return {"place": (e or ents[0])["name"]}
    elif name == "shortest_path":
        a = best(ents, lambda e: degree[e["id"]]) or ents[0]
        far = [e for e in ents if (expect.distance([a["id"]], [e["id"]]) or 0) >= 2]
        b = max(far, key=lambda e: (expect.distance([a["id"]], [e["id"]]), e["id"])) if far else ents[-1]
        return {"from": a["name"], "to": b["name"]}
    elif name == "entity_evidence":
        e = best(ents, lambda e: e["mention_count"])
    elif name == "entity_aliases":
        e = best(ents, lambda e: len(e["aliases"]))
        return {"name": e["aliases"][0] if e else ents[0]["name"]}
    elif name == "document_entities":
        return {"doc": sorted(expect.documents)[0]}
    elif name == "entity_merges":
        rules = Counter(r for e in ents for r in e["merged_by"])
        return {"rule": min(rules, key=lambda r: (-rules[r], r)) if rules else "gazetteer"}
    elif name == "roles_in_year":
        days = sorted(d["date"] for d in expect.documents.values() if d["date"])
        return {"year": int(days[0][:4]) if days else 2024}
    else:
        raise AssertionError(f"no seed parameters for cypher/{name}.cypher; add them to seed_params")
    return {"name": (e or ents[0])["name"]}


@pytest.fixture(scope="module")
def seed_loaded(seed_build, neo4j_driver, neo4j_uri, neo4j_auth):
    """The seed build loaded into a wiped database (once for the seed tests); returns its counts."""
    from tests.neo4j_server import wipe

    wipe(neo4j_driver)
    return load(seed_build, neo4j_uri, neo4j_auth)


@pytest.mark.seed_build
def test_seed_build_counts_equal_the_files(seed_loaded, seed_build, neo4j_driver, neo4j_uri, neo4j_auth):
    entities = _read(seed_build / "entities.jsonl")
    relations = _read(seed_build / "relations.jsonl")
    expect = Expect(seed_build)
    assert entities and relations
    assert count(neo4j_driver, "MATCH (e:Entity) RETURN count(e)") == len(entities) == seed_loaded["entities"]
    assert count(neo4j_driver, "MATCH (d:Document) RETURN count(d)") == len(_read(seed_build / "documents.jsonl"))
    assert dict(rel_counts(neo4j_driver)) == {"MENTIONED_IN": len(expect.mentions),
                                              **Counter(r["type"] for r in relations)}
    assert count(neo4j_driver, "MATCH (a)-[:CO_OCCURS]->(b) WHERE a.id >= b.id RETURN count(*)") == 0
    got = {r["id"]: (r["mc"], r["dc"], r["a"], r["m"]) for r in neo4j_driver.execute_query(
        "MATCH (e:Entity) RETURN e.id AS id, e.mention_count AS mc, e.doc_count AS dc, e.aliases AS a, "
        "e.merged_by AS m").records}
    assert got == {e["id"]: (e["mention_count"], e["doc_count"], e["aliases"] or None, e["merged_by"] or None)
                   for e in entities}
    weights = {(r["a"], r["b"]): r["w"] for r in neo4j_driver.execute_query(
        "MATCH (a)-[c:CO_OCCURS]->(b) RETURN a.id AS a, b.id AS b, c.weight AS w").records}
    assert weights == {(r["source"], r["target"]): r["properties"]["weight"]
                       for r in relations if r["type"] == "CO_OCCURS"}
    before = snapshot(neo4j_driver)
    load(seed_build, neo4j_uri, neo4j_auth)
    assert snapshot(neo4j_driver) == before


@pytest.mark.seed_build
@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_seed_build_queries(seed_loaded, seed_build, neo4j_driver, path):
    expect = Expect(seed_build)
    params = seed_params(path.stem, expect)
    rows = check_query(neo4j_driver, expect, path, params)
    if path.stem in {"people_by_degree", "entity_evidence", "entity_aliases", "entity_merges", "document_entities",
                     "top_cooccurring"}:
        assert rows, f"{path.name} {params}: nothing on the seed build"
    if path.stem == "top_cooccurring":  # the documented example works on the seed build, npmi first
        rows = check_query(neo4j_driver, expect, path, query_example(path))
        assert rows and rows[0][4] is not None, rows
    # every file's documented Example returns rows on the seed build (what a new user pastes first);
    # roles_in_year needs dated documents, which seeds/ built without --year has not: the tiny build
    # above runs its Example
    if path.stem != "roles_in_year":
        rows = check_query(neo4j_driver, expect, path, query_example(path))
        assert rows, f"{path.name}: its documented Example {query_example(path)} returns nothing on the seed build"


# ---------------------------------------------------------------------------------------
# scripts/neo4j-dev itself (the start/stop path is exercised by every test above).
# ---------------------------------------------------------------------------------------

def test_dev_script_status_and_busy_port():
    script = str(REPO / "scripts" / "neo4j-dev")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = dict(os.environ, NEO4J_BOLT_PORT=str(port), NEO4J_HTTP_PORT=str(free_port()))
        status = subprocess.run([script, "status"], env=env, capture_output=True, text=True)
        assert (status.returncode, status.stdout.strip()) == (3, f"not running (Bolt port {port})")
        start = subprocess.run([script, "start"], env=env, capture_output=True, text=True, timeout=120)
        assert start.returncode == 1 and f"port {port} is already in use" in start.stderr
        short = subprocess.run([script, "start"], env={**env, "NEO4J_PASSWORD": "short"}, capture_output=True,
                               text=True, timeout=120)
        assert short.returncode == 1 and "at least 8 characters" in short.stderr
    usage = subprocess.run([script], capture_output=True, text=True)
    assert usage.returncode == 2 and "start" in usage.stderr


@pytest.mark.seed_build
def test_no_reporter_is_among_the_ten_people_by_degree(seed_loaded, seed_build, neo4j_driver):
    reporters = {r["source"] for r in _read(seed_build / "relations.jsonl") if r["type"] == "REPORTED"}
    assert len(reporters) > 30
    rows = check_query(neo4j_driver, Expect(seed_build), CYPHER / "people_by_degree.cypher", {"limit": 10})
    assert len(rows) == 10 and not {r[0] for r in rows} & reporters
    reported = neo4j_driver.execute_query(
        "MATCH (p:Person)-[r:REPORTED]->(d:Document) RETURN count(r) AS n, count(DISTINCT d) AS docs").records[0]
    assert (reported["n"], reported["docs"]) == (40, 5)
