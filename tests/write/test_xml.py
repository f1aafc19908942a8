"""kg.write.xml: GraphML and GEXF that validate, keep their types, round-trip and never change by themselves."""
from __future__ import annotations

import io
import os
import shutil
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

import kg.write.xml
from kg.errors import InputError
from kg.files import AtomicWriter
from kg.write.jsonl import load_graph
from kg.write.xml import (
    entity_id_from_graphml,
    gexf_bytes,
    graph_for_graphml,
    node_colour,
    graphml_bytes,
    graphml_node_id,
    write_gexf,
)

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini-build"
XSD = DATA / "xsd"
G_NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
X_NS = {"x": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
PARSERS = {"string": str, "int": int, "long": int, "double": float, "float": float,
           "boolean": {"true": True, "false": False}.__getitem__}


@pytest.fixture(scope="module")
def graphml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / "graphml.xsd")))


@pytest.fixture(scope="module")
def gexf_schema(tmp_path_factory) -> etree.XMLSchema:
    """GEXF 1.2draft with color/position/size/thickness in the viz namespace (see data/xsd/README.md)."""
    folder = tmp_path_factory.mktemp("gexf-xsd")
    gexf = (XSD / "gexf.xsd").read_text(encoding="utf-8")
    viz = (XSD / "viz.xsd").read_text(encoding="utf-8")
    for name in ("color", "position", "size", "thickness"):
        declaration = f'<xs:element name="{name}" type="viz:{name}-content"/>'
        assert declaration in gexf
        gexf = gexf.replace(declaration, "").replace(f'ref="ns1:{name}"', f'ref="viz:{name}"')
        viz = viz.replace("</xs:schema>", f"  {declaration}\n</xs:schema>")
    (folder / "gexf.xsd").write_text(gexf, encoding="utf-8")
    (folder / "viz.xsd").write_text(viz, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "gexf.xsd")))


@pytest.fixture()
def graph() -> nx.MultiDiGraph:
    return load_graph(MINI)


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    assert schema.validate(root), str(schema.error_log)
    return root


# ----------------------------------------------------------------------------------- GraphML

def test_graphml_is_valid_against_the_schema(graph, graphml_schema):
    assert_valid(graphml_schema, graphml_bytes(graph))


def test_the_schema_check_can_fail(graph, graphml_schema):
    # the same file with two edges sharing an id, or a data value under an undeclared key, is rejected
    text = graphml_bytes(graph).decode("utf-8")
    assert not graphml_schema.validate(etree.fromstring(text.replace('id="e1"', 'id="e0"').encode()))
    assert not graphml_schema.validate(etree.fromstring(text.replace('key="e_title"', 'key="nope"').encode()))


def test_graphml_keys_are_declared_once_typed_and_values_parse_as_their_type(graph):
    root = etree.fromstring(graphml_bytes(graph))
    keys = root.findall("g:key", G_NS)
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids))
    declared = Counter((k.get("for"), k.get("attr.name")) for k in keys)
    assert all(n == 1 for n in declared.values()), declared
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert types == {
        ("node", "label"): "string", ("node", "name"): "string", ("node", "type"): "string",
        ("node", "aliases"): "string", ("node", "merged_by"): "string", ("node", "mention_count"): "int",
        ("node", "doc_count"): "int", ("node", "path"): "string",  # a document's (documents are nodes: REPORTED ends there)
        ("edge", "type"): "string", ("edge", "label"): "string", ("edge", "title"): "string",
        ("edge", "weight"): "double", ("edge", "directed"): "boolean", ("edge", "evidence_count"): "int",
        ("edge", "npmi"): "double",
    }
    by_id = {k.get("id"): (k.get("for"), k.get("attr.type")) for k in keys}
    checked = 0
    for element in root.iter("{%s}node" % G_NS["g"], "{%s}edge" % G_NS["g"]):
        domain = etree.QName(element).localname
        for data in element.findall("g:data", G_NS):
            key_for, attr_type = by_id[data.get("key")]
            assert key_for == domain
            PARSERS[attr_type](data.text)  # raises if the text is not of the declared type
            checked += 1
    assert checked > 100


def test_graphml_round_trips_through_networkx_with_types(graph):
    back = nx.read_graphml(io.BytesIO(graphml_bytes(graph)))
    assert isinstance(back, nx.MultiDiGraph)
    assert [entity_id_from_graphml(n) for n in back.nodes] == list(graph.nodes)
    for node_id, data in back.nodes(data=True):
        original = graph.nodes[entity_id_from_graphml(node_id)]
        if data["type"] == "DOC":
            assert data["label"] == original["label"] and data["path"] == original["path"]
            continue
        assert f"{data['type']}:{data['name']}" == entity_id_from_graphml(node_id)
        assert data["label"] == original["name"] and data["type"] == original["type"]
        for name in ("aliases", "merged_by"):
            if original[name]:
                assert data[name].split("|") == original[name]
            else:
                assert name not in data  # an empty string is left out
        assert type(data["mention_count"]) is int and data["mention_count"] == original["mention_count"]
        assert type(data["doc_count"]) is int and data["doc_count"] == original["doc_count"]

    def summary(g, decode=lambda n: n):
        rows = []
        for u, v, d in g.edges(data=True):
            evidence = d["evidence_count"] if "evidence_count" in d else len(d["evidence"])
            rows.append((decode(u), decode(v), d["type"], d.get("title", ""), d["weight"], d["directed"], evidence))
        return rows

    assert summary(back, entity_id_from_graphml) == summary(graph)
    for _, _, d in back.edges(data=True):
        assert type(d["weight"]) is float and type(d["directed"]) is bool and type(d["evidence_count"]) is int
        assert d["label"] == (d.get("title") or d["type"])


def test_graphml_stores_cooccurrence_once_per_pair_and_roles_directed(graph):
    back = nx.read_graphml(io.BytesIO(graphml_bytes(graph)))
    pairs = Counter()
    for u, v, d in back.edges(data=True):
        if d["type"] == "CO_OCCURS":
            pairs[frozenset((u, v))] += 1
            assert d["directed"] is False and entity_id_from_graphml(u) < entity_id_from_graphml(v)
        else:
            assert d["directed"] is True
    assert pairs and set(pairs.values()) == {1}
    roles = back.get_edge_data("PER:张韶春", "ORG:内蒙古自治区人大常委会")
    assert sorted(d["title"] for d in roles.values()) == ["党组书记", "副主任"]
    # the other way there is only their co-occurrence (stored from the lower id, "ORG:" < "PER:")
    reverse = back.get_edge_data("ORG:内蒙古自治区人大常委会", "PER:张韶春")
    assert [d["type"] for d in reverse.values()] == ["CO_OCCURS"]


@pytest.mark.parametrize(("entity_id", "node_id"), [
    ("ORG:包钢集团", "ORG:包钢集团"),
    ("ORG:合生远景(内蒙古)生物科技有限公司", "ORG:合生远景_x0028_内蒙古_x0029_生物科技有限公司"),
    ("ORG:金龙稀土新材料（包头）有限公司", "ORG:金龙稀土新材料_xFF08_包头_xFF09_有限公司"),
    ("PER:John Smith", "PER:John_x0020_Smith"),
    ("PER:阿卜杜勒·拉希德", "PER:阿卜杜勒·拉希德"),
    ("ORG:《人民日报》", "ORG:_x300A_人民日报_x300B_"),
    ("ORG:a_x0041_b", "ORG:a_x005F_x0041_b"),  # a literal escape-lookalike is escaped itself
    ("PER:𠀋", "PER:_x0002000B_"),
])
def test_graphml_node_ids_are_name_tokens_and_reversible(entity_id, node_id):
    assert graphml_node_id(entity_id) == node_id
    assert entity_id_from_graphml(node_id) == entity_id


def test_awkward_names_still_give_valid_graphml(graphml_schema):
    graph = nx.MultiDiGraph()
    names = ["John Smith", "《人民日报》", "a_x0041_b", "𠀋", "tab\there", "<&\">"]
    for name in names:
        graph.add_node(f"PER:{name}", label=name, name=name, type="PER", aliases=[f"{name}?", "x|y"],
                       mention_count=1, doc_count=1)
    graph.add_edge("PER:John Smith", "PER:《人民日报》", key="CO_OCCURS:", type="CO_OCCURS", weight=2.0, title="",
                   directed=False, evidence=[{"doc": "d", "start": 0, "end": 1}])
    data = graphml_bytes(graph)
    assert_valid(graphml_schema, data)
    back = nx.read_graphml(io.BytesIO(data))
    assert [entity_id_from_graphml(n) for n in back.nodes] == list(graph.nodes)
    assert [d["name"] for _, d in back.nodes(data=True)] == names
    (_, _, edge), = back.edges(data=True)
    assert edge["evidence_count"] == 1 and "title" not in edge  # empty strings are left out


def test_graph_for_graphml_keeps_order_and_flattens(graph):
    flat = graph_for_graphml(graph)
    assert [entity_id_from_graphml(n) for n in flat.nodes] == list(graph.nodes)
    assert [k for _, _, k in flat.edges(keys=True)] == [f"e{i}" for i in range(graph.number_of_edges())]
    assert flat.nodes["ORG:包钢集团"]["aliases"] == "包钢" and flat.nodes["ORG:包钢集团"]["merged_by"] == "alias_file"
    assert all("evidence" not in d and isinstance(d["evidence_count"], int) for _, _, d in flat.edges(data=True))


def test_graphml_is_deterministic(graph):
    again = load_graph(MINI)
    assert graphml_bytes(graph) == graphml_bytes(again)
    # attribute order in memory does not matter, graph order does
    shuffled = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        shuffled.add_node(node, **dict(reversed(list(data.items()))))
    for u, v, k, data in graph.edges(keys=True, data=True):
        shuffled.add_edge(u, v, key=k, **dict(reversed(list(data.items()))))
    assert graphml_bytes(shuffled) == graphml_bytes(graph)


def test_graphml_of_the_seed_build(seed_build, graphml_schema):
    data = (seed_build / "graph.graphml").read_bytes()
    assert_valid(graphml_schema, data)
    graph = load_graph(seed_build)
    # what the build wrote is what its JSONL files give again
    assert data == graphml_bytes(graph)
    back = nx.read_graphml(io.BytesIO(data))
    assert [entity_id_from_graphml(n) for n in back.nodes] == list(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    assert all(type(d["mention_count"]) is int for _, d in back.nodes(data=True) if d["type"] != "DOC")
    assert sum(d["type"] == "DOC" for _, d in back.nodes(data=True)) == 5  # one node per page


# -------------------------------------------------------------------------------------- GEXF

def test_gexf_is_valid_and_coloured_by_type_and_sized_by_degree(graph, gexf_schema, tmp_path):
    dest = write_gexf(load_graph(MINI), tmp_path / "graph.gexf")
    assert dest == tmp_path / "graph.gexf"
    root = assert_valid(gexf_schema, dest.read_bytes())
    degree = dict(graph.degree())
    sizes = {}
    for node in root.iterfind(".//x:node", X_NS):
        entity = node.get("id")
        assert node.get("label") == graph.nodes[entity]["name"]
        values = {a.get("for"): a.get("value") for a in node.iterfind(".//x:attvalue", X_NS)}
        assert values["type"] == graph.nodes[entity]["type"] and int(values["degree"]) == degree[entity]
        colour = node.find("viz:color", X_NS)
        assert tuple(int(colour.get(c)) for c in "rgb") == node_colour(graph.nodes[entity]["type"])
        sizes[entity] = float(node.find("viz:size", X_NS).get("value"))
        assert node.find("viz:position", X_NS) is not None
    assert len(sizes) == graph.number_of_nodes()
    for a in sizes:
        for b in sizes:
            if degree[a] > degree[b]:
                assert sizes[a] > sizes[b]


def test_gexf_edges_are_mixed_cooccurrence_undirected(graph, tmp_path):
    root = etree.fromstring(write_gexf(load_graph(MINI), tmp_path / "g.gexf", mixed=True).read_bytes())
    edges = root.findall(".//x:edge", X_NS)
    assert len(edges) == graph.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)
    kinds = Counter()
    for edge in edges:
        relation = {a.get("for"): a.get("value") for a in edge.iterfind(".//x:attvalue", X_NS)}["relation"]
        kinds[relation, edge.get("type")] += 1
        if relation == "HOLDS_ROLE":
            assert edge.get("label") in ("党组书记", "副主任", "董事长", "党委书记")
    assert set(kinds) == {("CO_OCCURS", "undirected"), ("HOLDS_ROLE", "directed"), ("PART_OF", "directed"),
                          ("LOCATED_IN", "directed")}


def test_gexf_of_the_seed_build(seed_build, gexf_schema, tmp_path):
    dest = write_gexf(load_graph(seed_build), tmp_path / "seed.gexf")
    root = assert_valid(gexf_schema, dest.read_bytes())
    assert len(root.findall(".//x:node", X_NS)) == load_graph(seed_build).number_of_nodes()


def test_gexf_without_mixed_edges_reads_back_in_networkx(graph, gexf_schema):
    data = gexf_bytes(graph, mixed=False)
    assert_valid(gexf_schema, data)
    assert b'type="undirected"' not in data
    back = nx.read_gexf(io.BytesIO(data))
    assert list(back.nodes) == list(graph.nodes)
    assert back.nodes["ORG:包钢集团"]["viz"]["color"] == {"r": 78, "g": 121, "b": 167, "a": 1.0}
    assert back.nodes["ORG:包钢集团"]["aliases"] == "包钢"
    assert back.nodes["ORG:包钢集团"]["merged_by"] == "alias_file"
    assert [(u, v, d["relation"], d["weight"]) for u, v, d in back.edges(data=True)] == \
        [(u, v, d["type"], d["weight"]) for u, v, d in graph.edges(data=True)]
    with pytest.raises(nx.NetworkXError):  # networkx cannot read a mixed graph; Gephi can
        nx.read_gexf(io.BytesIO(gexf_bytes(graph, mixed=True)))


def test_gexf_is_deterministic(tmp_path):
    first = write_gexf(load_graph(MINI), tmp_path / "a.gexf").read_bytes()
    second = write_gexf(load_graph(MINI), tmp_path / "b.gexf").read_bytes()
    assert first == second
    assert b"lastmodifieddate" not in first  # no date: the same build gives the same file any day


def test_gexf_layout_is_left_to_gephi_for_big_graphs(graph, monkeypatch):
    monkeypatch.setattr(kg.write.xml, "LAYOUT_MAX_NODES", 5)
    data = gexf_bytes(graph)
    assert b"<viz:position" not in data and b"<viz:size" in data


def test_write_gexf_leaves_no_temporary_files_and_a_readable_file(tmp_path):
    dest = write_gexf(load_graph(MINI), tmp_path / "graph.gexf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.gexf"]
    umask = os.umask(0)
    os.umask(umask)
    assert dest.stat().st_mode & 0o777 == 0o666 & ~umask


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    dest = tmp_path / "graph.gexf"
    dest.write_text("old", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kg.write.xml, "gexf_bytes", broken)
    with pytest.raises(RuntimeError):
        write_gexf(load_graph(MINI), dest)
    assert dest.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.gexf"]


def test_atomic_writer_commits_all_or_nothing(tmp_path):
    writer = AtomicWriter(tmp_path / "out")
    writer.write_jsonl("a.jsonl", [{"名": "包钢"}])
    writer.write_bytes("b.bin", b"\x00")
    assert not (tmp_path / "out" / "a.jsonl").exists()  # nothing in place before commit
    assert len(list((tmp_path / "out").iterdir())) == 2
    assert writer.commit() == [tmp_path / "out" / "a.jsonl", tmp_path / "out" / "b.bin"]
    assert (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8") == '{"名":"包钢"}\n'

    writer = AtomicWriter(tmp_path / "out")
    writer.write_jsonl("a.jsonl", [{"x": 1}])
    with pytest.raises(OSError, match="disk full"):
        with writer.open("c.jsonl") as handle:
            handle.write("half")
            raise OSError("disk full")
    writer.abort()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.jsonl", "b.bin"]
    assert (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8") == '{"名":"包钢"}\n'


def test_cli_export_gexf(tmp_path):
    from kg.cli import main

    assert main(["export", str(MINI), "--format", "gexf", "--dest", str(tmp_path / "x.gexf")]) == 0
    assert '<node id="ORG:包钢集团" label="包钢集团">'.encode() in (tmp_path / "x.gexf").read_bytes()


# ------------------------------------------------------------------ exports check their input, write whole

def damaged_build(tmp_path: Path, name: str, how: str) -> Path:
    """A copy of the mini build with ``name`` missing, truncated mid-line or replaced by garbage."""
    out = tmp_path / "build"
    shutil.copytree(MINI, out)
    path = out / name
    data = path.read_bytes()
    if how == "missing":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(data[: data.index(b"\n") + 1 + len(data.split(b"\n")[1]) // 2])
    else:
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR garbage")
    return out


EXPORTS = {
    "gexf": lambda out, dest: ["export", str(out), "--format", "gexf", "--dest", str(dest / "graph.gexf")],
    "neo4j-admin": lambda out, dest: ["export", str(out), "--format", "neo4j-admin", "--dest", str(dest / "csv")],
}


@pytest.mark.parametrize("how", ["missing", "truncated", "garbage"])
@pytest.mark.parametrize("name", ["entities.jsonl", "relations.jsonl"])
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_export_of_a_damaged_build_names_the_file(export, name, how, tmp_path, capsys):
    from kg.cli import main

    out = damaged_build(tmp_path, name, how)
    dest = tmp_path / "dest"
    assert main(EXPORTS[export](out, dest)) == 2
    err = capsys.readouterr().err
    assert f"kg: error: {out / name}" in err and "Traceback" not in err
    assert not dest.exists()


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_export_refuses_relations_naming_unknown_entities(export, tmp_path, capsys):
    from kg.cli import main

    out = tmp_path / "build"
    shutil.copytree(MINI, out)
    with (out / "relations.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"type":"CO_OCCURS","source":"ORG:包钢集团","target":"PER:无名氏","properties":{"weight":1,'
                     '"doc_weights":{"d1":1}},"evidence":[]}\n')
    rc = main(EXPORTS[export](out, tmp_path / "dest"))
    if export == "gexf":  # a graph: an edge to an unknown node would invent an untyped one
        assert rc == 2 and "PER:无名氏" in capsys.readouterr().err
    else:  # kg load's rule: the relation is skipped, with a warning
        assert rc == 0 and "PER:无名氏" not in (tmp_path / "dest" / "csv" / "rels_co_occurs.csv").read_text("utf-8")


def test_neo4j_admin_csvs_are_written_as_a_set(tmp_path, monkeypatch):
    import csv

    from kg.write.neo4j_admin import export_admin_csv

    dest = tmp_path / "csv"
    old = {p.name: p.read_bytes() for p in export_admin_csv(MINI, dest)}
    assert len(old) == 9  # documents, entities, mentions, and one file per relation type
    real, calls = csv.writer, []

    def seventh_fails(handle, *args, **kwargs):  # one csv.writer per file
        calls.append(handle)
        if len(calls) == 7:
            raise OSError(28, "No space left on device")
        return real(handle, *args, **kwargs)

    monkeypatch.setattr(csv, "writer", seventh_fails)
    (MINI_COPY := tmp_path / "build").mkdir()
    for p in MINI.iterdir():
        (MINI_COPY / p.name).write_bytes(p.read_bytes().replace("包钢集团".encode(), "包钢（集团）".encode()))
    for target in (dest, tmp_path / "fresh"):
        calls.clear()
        with pytest.raises(InputError, match=f"{target}: cannot write .No space left on device.; left as it was"):
            export_admin_csv(MINI_COPY, target)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "csv"]  # no staging folder, nothing new
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == old  # the old complete set


def test_neo4j_admin_export_keeps_a_folder_with_other_files(tmp_path, capsys):
    from kg.cli import main

    dest = tmp_path / "import"
    dest.mkdir()
    (dest / "README").write_text("mine", encoding="utf-8")
    assert main(["export", str(MINI), "--format", "neo4j-admin", "--dest", str(dest)]) == 2
    assert "README" in capsys.readouterr().err
    assert [p.name for p in dest.iterdir()] == ["README"]


# ------------------------------------------------------------------ time and association on the edges

DATED_ARCHIVE = [
    {"id": "a2023", "date": "2023-04-10", "title": "调研",
     "text": "内蒙古自治区人大常委会副主任段志强在呼和浩特市调研。段志强与呼和浩特市干部座谈。"},
    {"id": "b2024", "date": "2024-09-02", "title": "考察",
     "text": "内蒙古自治区人大常委会副主任段志强在呼和浩特市考察。段志强听取呼和浩特市工作汇报。"},
    {"id": "c2024", "date": "2024-11-20", "title": "会议",
     "text": "内蒙古自治区人大常委会副主任段志强出席会议并讲话。"},
]


@pytest.fixture(scope="module")
def dated_build(tmp_path_factory) -> Path:
    """The model's build of a small JSONL archive whose documents carry dates."""
    import json

    from kg.cli import main

    root = tmp_path_factory.mktemp("dated")
    archive = root / "archive.jsonl"
    archive.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DATED_ARCHIVE), encoding="utf-8")
    assert main(["build", str(archive), "--out", str(root / "out"), "-q"]) == 0
    return root / "out"


def test_dated_documents_date_every_role_and_cooccurrence(dated_build):
    graph = load_graph(dated_build)
    dated = [(u, v, d) for u, v, d in graph.edges(data=True) if d["type"] in ("HOLDS_ROLE", "CO_OCCURS")]
    assert {d["type"] for *_, d in dated} == {"HOLDS_ROLE", "CO_OCCURS"}
    for u, v, d in dated:
        assert d["first_seen"] <= d["last_seen"], (u, v, d)
    role = graph.get_edge_data("PER:段志强", "ORG:内蒙古自治区人大常委会")["HOLDS_ROLE:副主任"]
    assert (role["first_seen"], role["last_seen"]) == ("2023-04-10", "2024-11-20")
    pair = graph.get_edge_data("LOC:呼和浩特市", "PER:段志强")["CO_OCCURS:"]
    assert (pair["first_seen"], pair["last_seen"]) == ("2023-04-10", "2024-09-02")
    assert pair["year_weights"] == {"2023": 2, "2024": 2} and pair["weight"] == 4 and "npmi" in pair


def test_gexf_of_dated_documents_is_dynamic_and_reads_back_in_networkx(dated_build, gexf_schema, tmp_path):
    from kg.cli import main

    assert main(["export", str(dated_build), "--format", "gexf", "--dest", str(tmp_path / "g.gexf")]) == 0
    root = assert_valid(gexf_schema, (tmp_path / "g.gexf").read_bytes())
    assert (root.find("x:graph", X_NS).get("mode"), root.find("x:graph", X_NS).get("timeformat")) == ("dynamic", "date")
    back = nx.read_gexf(io.BytesIO(gexf_bytes(load_graph(dated_build), mixed=False)))
    assert back.graph["mode"] == "dynamic"
    spells = {(u, v, d["relation"]): d.get("spells") for u, v, d in back.edges(data=True)}
    assert spells["LOC:呼和浩特市", "PER:段志强", "CO_OCCURS"] == [("2023-01-01", "2023-12-31"), ("2024-01-01", "2024-12-31")]
    assert spells["PER:段志强", "ORG:内蒙古自治区人大常委会", "HOLDS_ROLE"] == [("2023-04-10", "2024-11-20")]
    assert all(s for (_, _, relation), s in spells.items() if relation in ("HOLDS_ROLE", "CO_OCCURS"))


def test_gexf_without_dates_stays_static_and_reads_back(graph, seed_build):
    for g in (graph, load_graph(seed_build)):
        data = gexf_bytes(g, mixed=False)
        assert b'mode="static"' in data and b"<spells>" not in data and b"timeformat" not in data
        back = nx.read_gexf(io.BytesIO(data))
        assert back.graph["mode"] == "static" and back.number_of_edges() == g.number_of_edges()


def test_gexf_weighted_by_npmi_keeps_the_scored_pairs_only(graph, gexf_schema, tmp_path):
    from kg.cli import main

    assert main(["export", str(MINI), "--format", "gexf", "--weight", "npmi", "--dest", str(tmp_path / "n.gexf")]) == 0
    assert_valid(gexf_schema, (tmp_path / "n.gexf").read_bytes())
    back = nx.read_gexf(io.BytesIO(gexf_bytes(graph, mixed=False, weight="npmi")))
    cooc = {(u, v): d for u, v, d in back.edges(data=True) if d["relation"] == "CO_OCCURS"}
    want = {(u, v): d for u, v, d in graph.edges(data=True) if d["type"] == "CO_OCCURS" and (d.get("npmi") or 0) > 0}
    assert set(cooc) == set(want) and want
    for pair, d in cooc.items():
        assert (d["weight"], d["count"]) == (want[pair]["npmi"], want[pair]["weight"])
    others = [d["weight"] for *_, d in back.edges(data=True) if d["relation"] != "CO_OCCURS"]
    assert others and set(others) == {1.0}
    with pytest.raises(ValueError, match="weight"):
        gexf_bytes(graph, weight="pmi")


def test_the_fast_path_of_graphml_ids_agrees_with_the_character_rule_on_every_bmp_character():
    from kg.write.xml import _PLAIN_ID, _is_name_token_char

    assert not [c for c in map(chr, range(0x20, 0xD800)) if c != "_" and bool(_PLAIN_ID.fullmatch(c)) != _is_name_token_char(c)]
    assert not _PLAIN_ID.fullmatch("ORG:a_x0028_b")  # an underscore always takes the careful path


@pytest.mark.parametrize("value", ["包头市", "ORG:合生远景", "a&b", "<x>", 'say "hi"', "it's", "tab\there", "line\nbreak",
                                   "cr\rhere", "bad\x01char", "", "both \"'"])
def test_plain_values_skip_escaping_and_give_what_the_escaper_gives(value):
    from xml.sax.saxutils import escape, quoteattr

    from kg.write.xml import _XML_ILLEGAL, _xml_attr, _xml_text

    clean = _XML_ILLEGAL.sub("", value)
    assert _xml_attr(value) == quoteattr(clean, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    assert _xml_text(value) == escape(clean).replace("\r", "&#13;")
