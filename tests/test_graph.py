"""kg.graph: loading a build, the co-occurrence view, and the invariants every build keeps."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest

import kg
import kg.graph
from kg.write.jsonl import load_graph
from kg.link import RULES
from kg.schema import Entity, Evidence, Relation

MINI = Path(__file__).resolve().parent / "data" / "mini-build"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def check_invariants(graph: nx.MultiDiGraph, out_dir: Path) -> None:
    """What every build must satisfy (shared by the hand-made build and the seed build)."""
    entities = read_jsonl(out_dir / "entities.jsonl")
    relations = read_jsonl(out_dir / "relations.jsonl")
    documents = read_jsonl(out_dir / "documents.jsonl")
    assert kg.graph.entity_nodes(graph) == [e["id"] for e in entities]
    assert list(graph.nodes) == [e["id"] for e in entities] + sorted(kg.graph.document_node(d["id"]) for d in documents)
    assert graph.number_of_edges() == len(relations)
    assert nx.number_of_selfloops(graph) == 0
    pairs = Counter()
    for u, v, data in graph.edges(data=True):
        types = (graph.nodes[u]["type"], graph.nodes[v]["type"])
        if data["type"] == "CO_OCCURS":
            assert u < v, f"CO_OCCURS {u} -> {v} not stored from the lower id"
            assert data["directed"] is False
            pairs[frozenset((u, v))] += 1
        else:
            assert data["directed"] is True
        if data["type"] == "HOLDS_ROLE":
            assert types in (("PER", "ORG"), ("PER", "LOC")) and data["title"]  # LOC: a post named by its place
        elif data["type"] == "PART_OF":
            assert types == ("LOC", "LOC")
        elif data["type"] == "LOCATED_IN":
            assert types == ("ORG", "LOC")
        elif data["type"] == "REPORTED":
            assert types == ("PER", "DOC") and data["title"] in ("记者", "通讯员", "摄影", "编辑")
        elif data["type"] == "DATELINE":
            assert types == ("DOC", "LOC")
        assert isinstance(data["weight"], float) and data["weight"] > 0
    duplicated = [sorted(p) for p, n in pairs.items() if n > 1]
    assert not duplicated, f"CO_OCCURS stored more than once: {duplicated}"
    for node in kg.graph.entity_nodes(graph):
        data = graph.nodes[node]
        assert isinstance(data["aliases"], list) and data["name"] not in data["aliases"]
        # the rules that joined the aliases: sorted, known, and there exactly when there are aliases
        assert data["merged_by"] == sorted(set(data["merged_by"])) and set(data["merged_by"]) <= set(RULES)
        assert bool(data["merged_by"]) == bool(data["aliases"]), node
        assert data["label"] == data["name"]
        assert 1 <= data["doc_count"] <= data["mention_count"]


def test_load_graph_reads_nodes_and_edges_with_attributes():
    graph = load_graph(MINI)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == 13 + 3 and graph.number_of_edges() == 29  # 13 entities, 3 documents
    assert len(kg.graph.entity_nodes(graph)) == 13
    assert graph.nodes["DOC:pages/a.txt"] == {"label": "自治区人大常委会调研组到包头市调研", "name": "自治区人大常委会调研组到包头市调研",
                                             "type": "DOC", "path": "pages/a.txt", "date": ""}
    assert graph.nodes["ORG:包钢集团"] == {"label": "包钢集团", "name": "包钢集团", "type": "ORG", "aliases": ["包钢"],
                                         "merged_by": ["alias_file"], "mention_count": 4, "doc_count": 2}
    roles = graph.get_edge_data("PER:张韶春", "ORG:内蒙古自治区人大常委会")
    assert sorted(roles) == ["HOLDS_ROLE:党组书记", "HOLDS_ROLE:副主任"]
    assert roles["HOLDS_ROLE:副主任"]["title"] == "副主任"
    assert roles["HOLDS_ROLE:副主任"]["evidence"] == [{"doc": "pages/a.txt", "start": 33, "end": 52}]


def test_a_build_written_before_merged_by_loads_with_none(tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(MINI, old)
    rows = [json.loads(line) for line in (old / "entities.jsonl").read_text(encoding="utf-8").splitlines()]
    (old / "entities.jsonl").write_text("".join(json.dumps({k: v for k, v in r.items() if k != "merged_by"},
                                                           ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert load_graph(old).nodes["ORG:包钢集团"]["merged_by"] == []


def test_evidence_of_the_hand_made_build_points_at_its_pages():
    # keeps the fixture honest: offsets index the raw pages
    pages = Path(__file__).resolve().parent / "data"
    for mention in read_jsonl(MINI / "mentions.jsonl"):
        raw = (pages / "mini-pages" / Path(mention["doc"]).name).read_text(encoding="utf-8")
        assert raw[mention["start"]:mention["end"]] == mention["text"]
    for rel in read_jsonl(MINI / "relations.jsonl"):
        if rel["type"] == "HOLDS_ROLE":
            ev = rel["evidence"][0]
            raw = (pages / "mini-pages" / Path(ev["doc"]).name).read_text(encoding="utf-8")
            assert raw[ev["start"]:ev["end"]].endswith(rel["source"].split(":", 1)[1])


def test_package_level_load_graph_is_the_same_graph():
    a, b = kg.load_graph(MINI), load_graph(str(MINI))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_import_kg_and_load_graph_never_import_spacy():
    code = (
        "import sys, kg\n"
        "assert 'networkx' not in sys.modules, 'import kg loads networkx'\n"
        f"G = kg.load_graph({str(MINI)!r})\n"
        "assert 'spacy' not in sys.modules, 'kg.load_graph loads spaCy'\n"
        "print(len(kg.graph.entity_nodes(G)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "13"


def test_cooccurrence_graph_is_undirected_weighted_and_keeps_every_entity():
    graph = load_graph(MINI)
    co = kg.graph.cooccurrence_graph(graph)
    assert type(co) is nx.Graph
    assert set(co.nodes) == set(kg.graph.entity_nodes(graph))  # every entity, no document
    assert co.nodes["ORG:包钢集团"]["aliases"] == ["包钢"]
    expected = {frozenset((r["source"], r["target"])): float(r["properties"]["weight"])
                for r in read_jsonl(MINI / "relations.jsonl") if r["type"] == "CO_OCCURS"}
    assert {frozenset((u, v)): d["weight"] for u, v, d in co.edges(data=True)} == expected
    # symmetric: either direction finds the pair
    assert co["PER:张韶春"]["LOC:包头市"] == co["LOC:包头市"]["PER:张韶春"]
    assert co["LOC:包头市"]["ORG:内蒙古自治区人大常委会"]["weight"] == 2.0
    assert co.degree("PER:李娜") == 0  # an entity mentioned alone stays in the graph
    # roles and place relations are not co-occurrence
    assert not co.has_edge("LOC:清水河县", "LOC:内蒙古自治区")


def test_invariants_of_the_hand_made_build():
    check_invariants(load_graph(MINI), MINI)


def test_invariants_of_the_seed_build(seed_build):
    graph = load_graph(seed_build)
    assert graph.number_of_nodes() > 20
    check_invariants(graph, seed_build)


def _documents(out_dir: Path) -> list[SimpleNamespace]:
    """What build_graph reads of a Document: id, title, path, date."""
    return [SimpleNamespace(id=d["id"], title=d["title"], path=d["path"], date=d["date"])
            for d in read_jsonl(out_dir / "documents.jsonl")]


def _entities_and_relations(out_dir: Path) -> tuple[list[Entity], list[Relation]]:
    entities = [Entity(id=e["id"], name=e["name"], label=e["label"], aliases=e["aliases"],
                       mention_count=e["mention_count"], doc_count=e["doc_count"], merged_by=e.get("merged_by", []))
                for e in read_jsonl(out_dir / "entities.jsonl")]
    relations = [Relation(r["type"], r["source"], r["target"], r["properties"], [Evidence(**ev) for ev in r["evidence"]])
                 for r in read_jsonl(out_dir / "relations.jsonl")]
    return entities, relations


def test_build_graph_and_load_graph_agree():
    entities, relations = _entities_and_relations(MINI)
    built, loaded = kg.graph.build_graph(entities, relations, _documents(MINI)), load_graph(MINI)
    assert list(built.nodes(data=True)) == list(loaded.nodes(data=True))
    pairs = zip(built.edges(keys=True, data=True), loaded.edges(keys=True, data=True), strict=True)
    for (u1, v1, k1, d1), (u2, v2, k2, d2) in pairs:
        assert (u1, v1, k1) == (u2, v2, k2)
        assert d1["evidence_count"] == len(d2["evidence"])
        assert {k: v for k, v in d1.items() if k != "evidence_count"} == {k: v for k, v in d2.items() if k != "evidence"}


def test_build_graph_refuses_a_reversed_cooccurrence_and_unknown_entities():
    entities, _ = _entities_and_relations(MINI)
    with pytest.raises(ValueError, match="source < target"):
        kg.graph.build_graph(entities, [Relation("CO_OCCURS", "PER:段志强", "LOC:包头市", {"weight": 1})])
    with pytest.raises(ValueError, match="unknown node"):
        kg.graph.build_graph(entities, [Relation("HOLDS_ROLE", "PER:无名氏", "ORG:包钢集团", {"title": "董事长"})])


def test_build_graph_and_load_graph_write_the_same_graphml():
    # what `kg build` writes (from build_graph) equals what its JSONL files give again
    from kg.write.xml import graphml_bytes

    entities, relations = _entities_and_relations(MINI)
    assert graphml_bytes(kg.graph.build_graph(entities, relations, _documents(MINI))) == graphml_bytes(load_graph(MINI))


def test_the_graph_stream_is_the_built_graph_node_for_node_and_edge_for_edge(seed_build):
    # what `kg build` writes (GraphStream, never a second copy of the graph) is build_graph's graph
    from kg.write.xml import graphml_bytes

    entities, relations = _entities_and_relations(MINI)
    documents = _documents(MINI)
    built, stream = kg.graph.build_graph(entities, relations, documents), kg.graph.GraphStream(entities, relations, documents)
    assert list(stream.nodes(data=True)) == list(built.nodes(data=True))
    assert list(stream.edges(data=True)) == list(built.edges(data=True))
    assert (stream.number_of_nodes(), stream.number_of_edges()) == (built.number_of_nodes(), built.number_of_edges())
    assert graphml_bytes(stream) == graphml_bytes(built)
    seed = load_graph(seed_build)
    assert (seed_build / "graph.graphml").read_bytes() == graphml_bytes(seed)


def test_the_graph_stream_refuses_what_build_graph_refuses():
    entities, _ = _entities_and_relations(MINI)
    for rel, match in ((Relation("CO_OCCURS", "PER:段志强", "LOC:包头市", {"weight": 1}), "source < target"),
                       (Relation("HOLDS_ROLE", "PER:无名氏", "ORG:包钢集团", {"title": "董事长"}), "unknown node")):
        with pytest.raises(ValueError, match=match):
            list(kg.graph.GraphStream(entities, [rel]).edges())
