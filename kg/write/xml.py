"""GraphML and GEXF of a build (``kg build`` puts ``graph.graphml`` in the output folder, which
:func:`kg.write.jsonl.write_outputs` replaces whole; :func:`write_gexf` writes one file atomically).

GraphML (``graph.graphml``, written by every build) is for Gephi, yEd, Cytoscape and
:func:`networkx.read_graphml`:

* every attribute is declared once as a typed ``<key>`` (``attr.type`` ``string``, ``int``,
  ``long``, ``double`` or ``boolean``).  Node keys are named after the attribute (``label``,
  ``name``, ``type``, ``aliases``, ``merged_by``, ``mention_count``, ``doc_count``); edge keys carry an ``e_``
  prefix (``e_type``, ``e_label``, ``e_title``, ``e_weight``, ``e_directed``,
  ``e_evidence_count``, ``e_npmi``, ``e_first_seen``, ``e_last_seen``) because nodes and edges share one key-id namespace.  Readers go by
  ``attr.name``, so in Gephi and networkx the attributes are called ``type``, ``weight``...
* ``label`` is the entity name, which Gephi shows; ``aliases`` and ``merged_by`` (the linking
  rules that joined the aliases, docs/linking.md) are joined with ``|``; an empty string is left out (GraphML has no empty value that every reader keeps).
* node ids are the entity ids (``ORG:包钢集团``).  GraphML ids must be XML name tokens, so
  a character that is not one everywhere (ASCII brackets, spaces, CJK punctuation such as
  （）《》) is written as ``_xHHHH_`` (the .NET ``XmlConvert`` convention; ``_`` before ``x``
  is itself escaped): ``ORG:合生远景_x0028_内蒙古_x0029_生物科技有限公司``.
  :func:`entity_id_from_graphml` reverses it, and ``type + ":" + name`` always gives the id.
* edge ids are ``e0``, ``e1``... in graph order (GraphML wants them unique in the graph).
* the graph is directed (``edgedefault="directed"``).  CO_OCCURS is symmetric and appears
  ONCE per pair (from the lower id to the higher) with ``directed=false`` as a data value.
  GraphML could mark single edges ``directed="false"``, but :func:`networkx.read_graphml`
  rejects such mixed graphs, so that is left to GEXF.

GEXF (``kg export DIR --format gexf``) is Gephi's own format: the same attributes plus
colours by entity type, sizes by degree and, for graphs of up to :data:`LAYOUT_MAX_NODES`
nodes, a starting layout; with ``--mixed`` CO_OCCURS edges are real undirected edges there
(a mixed graph, which networkx cannot read; by default every edge is directed, as in GraphML).
When documents carry dates the GEXF is dynamic (``timeformat="date"``): a dated CO_OCCURS
edge lives in the years of its ``year_weights`` (one spell a year), a dated role from its
``first_seen`` to its ``last_seen``, so Gephi's timeline plays the archive year by year;
undated edges and all nodes are always there.

The same graph always gives byte-identical files.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO
import logging
import math
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from kg.files import write_file
from kg.graph import DOCUMENT_TYPE, GraphStream
from kg.schema import CO_OCCURS, ENTITY_TYPES, RELATIONS
from kg import __version__

log = logging.getLogger(__name__)

ALIAS_SEPARATOR = "|"

#: Node colours (RGB) by entity type, shared by GEXF and :mod:`kg.write.plot`.
TYPE_COLOURS = {label: t.colour for label, t in ENTITY_TYPES.items()}
#: Colour of a document's node (the end of REPORTED edges).
DOCUMENT_COLOUR = (121, 112, 110)
#: Colour of a node whose type is none of the above.
OTHER_COLOUR = (148, 148, 148)
#: Edge colours (RGB) by relation type.
RELATION_COLOURS = {name: r.colour for name, r in RELATIONS.items()}
#: GEXF gets a precomputed spring layout only up to this many nodes (above it, use Gephi's).
LAYOUT_MAX_NODES = 500
#: what a GEXF edge's ``weight`` can be: ``count`` (the co-occurrence weight) or ``npmi``
GEXF_WEIGHTS = ("count", "npmi")

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
GEXF_VIZ_NS = "http://www.gexf.net/1.2draft/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Known attributes and their declared types, in file order; others are typed from their values.
GRAPHML_NODE_KEYS = (("label", "string"), ("name", "string"), ("type", "string"), ("aliases", "string"),
                     ("merged_by", "string"), ("mention_count", "int"), ("doc_count", "int"), ("path", "string"), ("date", "string"))
GRAPHML_EDGE_KEYS = (("type", "string"), ("label", "string"), ("title", "string"), ("weight", "double"),
                     ("directed", "boolean"), ("evidence_count", "int"), ("npmi", "double"),
                     ("first_seen", "string"), ("last_seen", "string"))
GEXF_NODE_ATTRS = (("name", "string"), ("type", "string"), ("aliases", "string"), ("merged_by", "string"),
                   ("mention_count", "integer"), ("doc_count", "integer"), ("degree", "integer"))
GEXF_EDGE_ATTRS = (("relation", "string"), ("title", "string"), ("directed", "boolean"),
                   ("evidence_count", "integer"), ("npmi", "double"), ("count", "integer"),
                   ("first_seen", "string"), ("last_seen", "string"))


# --------------------------------------------------------------------------------------- XML

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: what makes a value need more than quotes around it (most names and numbers need nothing)
_NOT_PLAIN = re.compile("[&<>\"'\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPED_CHAR = re.compile(r"_x([0-9A-F]{4}|[0-9A-F]{8})_")


def _xml_text(value: str) -> str:
    """Escape element text; characters XML 1.0 cannot carry are dropped, ``\\r`` is kept."""
    if not _NOT_PLAIN.search(value):
        return value
    return escape(_XML_ILLEGAL.sub("", value)).replace("\r", "&#13;")


def _xml_attr(value: str) -> str:
    """A quoted XML attribute value (tabs and newlines kept as character references)."""
    if not _NOT_PLAIN.search(value):
        return f'"{value}"'
    return quoteattr(_XML_ILLEGAL.sub("", value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


#: an id made of name-token characters only (:func:`_is_name_token_char`) and no ``_``: written as it is
_PLAIN_ID = re.compile("[A-Za-z0-9.:\\-\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u4e00-\u9fa5\u3007\u3021-\u3029"
                       "\u3041-\u3094\u30a1-\u30fa\uac00-\ud7a3]*")


def _is_name_token_char(char: str) -> bool:
    """Whether ``char`` may stand in an XML name token under every edition of XML 1.0.

    Conservative on purpose: libxml2 (lxml's validator) follows the 4th edition, whose name
    characters exclude CJK punctuation and fullwidth forms.
    """
    cp = ord(char)
    return (
        char.isascii() and (char.isalnum() or char in "._-:")
        or cp == 0xB7
        or 0xC0 <= cp <= 0xFF and cp not in (0xD7, 0xF7)
        or 0x4E00 <= cp <= 0x9FA5          # CJK unified ideographs
        or cp == 0x3007 or 0x3021 <= cp <= 0x3029
        or 0x3041 <= cp <= 0x3094 or 0x30A1 <= cp <= 0x30FA  # kana
        or 0xAC00 <= cp <= 0xD7A3          # hangul
    )


def graphml_node_id(entity_id: str) -> str:
    """The GraphML id of an entity: the entity id, with non-name characters as ``_xHHHH_``.

    >>> graphml_node_id("ORG:合生远景(内蒙古)生物科技有限公司")
    'ORG:合生远景_x0028_内蒙古_x0029_生物科技有限公司'
    """
    if _PLAIN_ID.fullmatch(entity_id):  # nearly every id: nothing to escape
        return entity_id
    out = []
    for i, char in enumerate(entity_id):
        escape_underscore = char == "_" and _ESCAPED_CHAR.match(entity_id, i) is not None
        if _is_name_token_char(char) and not escape_underscore:
            out.append(char)
        else:
            cp = ord(char)
            out.append(f"_x{cp:04X}_" if cp <= 0xFFFF else f"_x{cp:08X}_")
    return "".join(out)


def entity_id_from_graphml(node_id: str) -> str:
    """Reverse :func:`graphml_node_id`: the entity id of a GraphML node id."""
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), node_id)


def _flat_value(value):
    """A GraphML/GEXF-storable value: lists joined with ``|``; None for what cannot be stored."""
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            return ALIAS_SEPARATOR.join(value)
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    return None


class _Kind:
    """What the values of one attribute have been so far (for :func:`_declare`), in O(1) memory."""

    __slots__ = ("boolean", "integer", "numeric", "big")

    def __init__(self) -> None:
        self.boolean = self.integer = self.numeric = True
        self.big = False

    def see(self, value) -> None:
        is_bool = isinstance(value, bool)
        self.boolean &= is_bool
        self.integer &= isinstance(value, int) and not is_bool
        self.numeric &= isinstance(value, (int, float)) and not is_bool
        if self.integer and abs(value) >= 2**31:
            self.big = True

    def declared(self, *, integer: str, long: str) -> str:
        if self.boolean:
            return "boolean"
        if self.integer:
            return long if self.big else integer
        return "double" if self.numeric else "string"


def _format_value(value, declared: str) -> str:
    """The text of a value of type ``declared`` (GraphML/GEXF/XSD lexical forms)."""
    if declared == "boolean":
        return "true" if value else "false"
    if declared in ("double", "float"):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "INF" if number > 0 else "-INF"
        return repr(number)
    if declared in ("int", "long", "integer"):
        return str(int(value))
    return str(value)


def _declare(items: Iterable[dict], known: tuple[tuple[str, str], ...], *, integer: str, long: str) -> list[tuple[str, str]]:
    """(name, type) of every attribute used by ``items``: known ones first, then the rest by name."""
    seen: dict[str, _Kind] = {}
    for data in items:
        for name, value in data.items():
            if value is not None and value != "":
                kind = seen.get(name)
                if kind is None:
                    kind = seen[name] = _Kind()
                kind.see(value)
    declared = [(name, kind) for name, kind in known if name in seen]
    known_names = {name for name, _ in known}
    declared += [(name, seen[name].declared(integer=integer, long=long))
                 for name in sorted(seen) if name not in known_names]
    return declared


def _unique_ids(names: list[str], prefix: str, taken: set[str]) -> list[str]:
    """Key ids for attribute ``names``: prefix + name as a name token, unique in ``taken``."""
    ids = []
    for name in names:
        base = prefix + graphml_node_id(name)
        key_id, n = base, 2
        while key_id in taken:
            key_id, n = f"{base}_{n}", n + 1
        taken.add(key_id)
        ids.append(key_id)
    return ids


# ----------------------------------------------------------------------------------- GraphML

def _graphml_nodes(graph: nx.MultiDiGraph | GraphStream) -> Iterator[tuple[str, dict]]:
    """(GraphML id, flat attributes) of each node, in graph order (see :func:`graph_for_graphml`)."""
    for node, data in graph.nodes(data=True):
        attrs = {}
        for name, value in data.items():
            flat_value = _flat_value(value)
            if flat_value is not None:
                attrs[name] = flat_value
            else:
                log.debug("GraphML: node attribute %r of %s is not storable; left out", name, node)
        yield graphml_node_id(str(node)), attrs


def _graphml_edges(graph: nx.MultiDiGraph | GraphStream) -> Iterator[tuple[str, str, str, dict]]:
    """(source id, target id, edge id, flat attributes) of each edge, in graph order."""
    for index, (u, v, data) in enumerate(graph.edges(data=True)):
        attrs = {}
        for name, value in data.items():
            if name == "evidence":
                continue
            flat_value = _flat_value(value)
            if flat_value is not None:
                attrs[name] = flat_value
        if "evidence_count" not in attrs and isinstance(data.get("evidence"), list):
            attrs["evidence_count"] = len(data["evidence"])
        attrs.setdefault("label", data.get("title") or data.get("type", ""))
        yield graphml_node_id(str(u)), graphml_node_id(str(v)), f"e{index}", attrs


def graph_for_graphml(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with GraphML-safe ids and attributes, in the same node and edge order.

    Node ids become :func:`graphml_node_id` of the entity id; lists (``aliases``) are joined
    with ``|``; edges get unique keys ``e0``, ``e1``..., an ``evidence_count`` (from
    ``evidence`` when the graph came from :func:`kg.write.jsonl.load_graph`) and a ``label`` (the
    title of a role, else the relation type); ``evidence`` lists and values of other
    non-scalar types are dropped.  (:func:`write_graphml` writes the same without making the copy.)
    """
    flat = nx.MultiDiGraph()
    for node, attrs in _graphml_nodes(graph):
        flat.add_node(node, **attrs)
    for u, v, key, attrs in _graphml_edges(graph):
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The graph as GraphML bytes (:func:`write_graphml` into memory)."""
    out = io.BytesIO()
    write_graphml(graph, out)
    return out.getvalue()


def write_graphml(graph: nx.MultiDiGraph | GraphStream, handle: BinaryIO) -> None:
    """Write the graph as GraphML (UTF-8; deterministic: nodes and edges in graph order) to the
    binary ``handle``, streaming: two passes over the graph (one to declare the attributes'
    types, one to write), never a copy of it or the whole text in memory.

    See the module docstring for the layout; :func:`networkx.read_graphml` reads it back as a
    MultiDiGraph with the same attribute types.
    """
    node_keys = _declare((d for _, d in _graphml_nodes(graph)), GRAPHML_NODE_KEYS, integer="int", long="long")
    edge_keys = _declare((d for *_, d in _graphml_edges(graph)), GRAPHML_EDGE_KEYS, integer="int", long="long")
    taken: set[str] = set()
    node_names, edge_names = [n for n, _ in node_keys], [n for n, _ in edge_keys]
    node_ids = dict(zip(node_names, _unique_ids(node_names, "", taken), strict=True))
    edge_ids = dict(zip(edge_names, _unique_ids(edge_names, "e_", taken), strict=True))
    node_types, edge_types = dict(node_keys), dict(edge_keys)

    out = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=False)
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" '
      f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n')
    for domain, keys, key_ids in (("node", node_keys, node_ids), ("edge", edge_keys, edge_ids)):
        for name, kind in keys:
            w(f'  <key id={_xml_attr(key_ids[name])} for="{domain}" attr.name={_xml_attr(name)} attr.type="{kind}"/>\n')
    w(f'  <graph id="G" edgedefault="directed" parse.nodes="{graph.number_of_nodes()}" '
      f'parse.edges="{graph.number_of_edges()}" parse.order="nodesfirst" parse.nodeids="free" parse.edgeids="free">\n')

    def data_lines(indent: str, data: dict, key_ids: dict, types: dict) -> None:
        for name, key_id in key_ids.items():
            value = data.get(name)
            if value is None or value == "":
                continue
            w(f'{indent}<data key={_xml_attr(key_id)}>{_xml_text(_format_value(value, types[name]))}</data>\n')

    for node, data in _graphml_nodes(graph):
        w(f"    <node id={_xml_attr(node)}>\n")
        data_lines("      ", data, node_ids, node_types)
        w("    </node>\n")
    for u, v, key, data in _graphml_edges(graph):
        w(f"    <edge id={_xml_attr(key)} source={_xml_attr(u)} target={_xml_attr(v)}>\n")
        data_lines("      ", data, edge_ids, edge_types)
        w("    </edge>\n")
    w("  </graph>\n</graphml>\n")
    out.flush()
    out.detach()  # the caller's handle stays open


# -------------------------------------------------------------------------------------- GEXF

def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def node_colour(entity_type: str) -> tuple[int, int, int]:
    """RGB colour of an entity type (PER red, ORG blue, LOC green, a document brown-grey, anything else grey)."""
    return DOCUMENT_COLOUR if entity_type == DOCUMENT_TYPE else TYPE_COLOURS.get(entity_type, OTHER_COLOUR)


def node_colour_hex(entity_type: str) -> str:
    """:func:`node_colour` as ``#rrggbb`` (for matplotlib)."""
    return _hex(node_colour(entity_type))


def relation_colour_hex(relation: str) -> str:
    """The colour of a relation type as ``#rrggbb``."""
    return _hex(RELATION_COLOURS.get(relation, OTHER_COLOUR))


def _layout(graph: nx.MultiDiGraph) -> dict:
    """A deterministic spring layout (seeded) of the undirected simple view, in ±1000 units."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = math.log1p(float(data.get("weight", 1.0)))
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return nx.spring_layout(simple, seed=42, weight="weight", scale=1000.0)


def gexf_graph(graph: nx.MultiDiGraph, *, layout: bool | None = None) -> nx.MultiDiGraph:
    """A copy of ``graph`` with networkx-style ``viz`` attributes and a ``degree`` per node.

    Nodes are coloured by type (:data:`TYPE_COLOURS`) and sized by degree (all relations,
    10 to 50); edges are coloured by relation type.  ``layout`` (default: when the graph has
    at most :data:`LAYOUT_MAX_NODES` nodes) adds a seeded spring-layout ``position``.  The
    result can also be given to :func:`networkx.write_gexf`.
    """
    copy = nx.MultiDiGraph()
    degrees = dict(graph.degree())
    top = max(degrees.values(), default=0) or 1
    if layout is None:
        layout = graph.number_of_nodes() <= LAYOUT_MAX_NODES
    positions = _layout(graph) if layout and graph.number_of_nodes() else {}
    for node, data in graph.nodes(data=True):
        r, g, b = node_colour(data.get("type", ""))
        viz = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
               "size": round(10.0 + 40.0 * math.sqrt(degrees[node] / top), 2)}
        if node in positions:
            x, y = positions[node]
            viz["position"] = {"x": round(float(x), 2), "y": round(float(y), 2), "z": 0.0}
        copy.add_node(node, **data, degree=degrees[node], viz=viz)
    for u, v, key, data in graph.edges(keys=True, data=True):
        r, g, b = RELATION_COLOURS.get(data.get("type", ""), OTHER_COLOUR)
        copy.add_edge(u, v, key=key, **data, viz={"color": {"r": r, "g": g, "b": b, "a": 1.0}})
    return copy


def _spells(data: dict) -> list[tuple[str, str]]:
    """The (start, end) dates an edge lives in a dynamic GEXF: a spell per year of its
    ``year_weights``, else ``first_seen`` to ``last_seen``; none when undated."""
    if data.get("year_weights"):
        return [(f"{year}-01-01", f"{year}-12-31") for year in sorted(data["year_weights"])]
    if data.get("first_seen"):
        return [(data["first_seen"], data.get("last_seen") or data["first_seen"])]
    return []


def _npmi_weighted(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose CO_OCCURS edges weigh their ``npmi`` (the count kept as ``count``); pairs with
    no npmi (seen together fewer than :data:`kg.relate.MIN_COUNT` times) or none above 0 are
    left out: Gephi's layouts want positive weights."""
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(graph.nodes(data=True))
    dropped = 0
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data.get("type") == CO_OCCURS:
            if not (data.get("npmi") or 0) > 0:
                dropped += 1
                continue
            data = {**data, "weight": float(data["npmi"]), "count": int(data.get("weight", 1))}
        copy.add_edge(u, v, key=key, **data)
    log.info("GEXF weighted by npmi: left out %d CO_OCCURS pairs with no npmi above 0", dropped)
    return copy


def gexf_bytes(graph: nx.MultiDiGraph, *, mixed: bool = False, layout: bool | None = None,
               weight: str = "count") -> bytes:
    """Serialise the graph as GEXF 1.2 for Gephi (UTF-8, deterministic).

    Node ids are the entity ids and labels their names; node attributes ``name``, ``type``,
    ``aliases`` and ``merged_by`` (``|``-joined), ``mention_count``, ``doc_count``, ``degree``.  Edges have a
    native ``weight`` and ``label`` (a role's title, else the relation type) and attributes
    ``relation`` (HOLDS_ROLE, CO_OCCURS... -- GEXF reserves ``type`` for the direction),
    ``title``, ``directed`` and ``evidence_count``; ids are ``e0``, ``e1``...

    Every edge is directed by default (CO_OCCURS once per pair with ``directed=false``), which
    Gephi and :func:`networkx.read_gexf` both read; with ``mixed`` CO_OCCURS edges are written
    ``type="undirected"`` in a directed graph, which Gephi imports as a mixed graph and
    networkx refuses (``kg export --mixed``).

    ``weight="npmi"`` weighs CO_OCCURS edges by their npmi instead of their count
    (:func:`_npmi_weighted`).  Dated edges make the file dynamic (see the module docstring).
    """
    if weight not in GEXF_WEIGHTS:
        raise ValueError(f"weight must be one of {GEXF_WEIGHTS}, not {weight!r}")
    if weight == "npmi":
        graph = _npmi_weighted(graph)
    viz_graph = gexf_graph(graph, layout=layout)
    node_items, edge_items = [], []
    for node, data in viz_graph.nodes(data=True):
        attrs = {k: _flat_value(v) for k, v in data.items() if k not in ("label", "viz")}
        node_items.append((node, data, {k: v for k, v in attrs.items() if v is not None}))
    for index, (u, v, data) in enumerate(viz_graph.edges(data=True)):
        attrs = {k: _flat_value(val) for k, val in data.items() if k not in ("type", "weight", "label", "viz", "evidence")}
        attrs["relation"] = data.get("type", "")
        if "evidence_count" not in attrs and isinstance(data.get("evidence"), list):
            attrs["evidence_count"] = len(data["evidence"])
        edge_items.append((f"e{index}", u, v, data, {k: val for k, val in attrs.items() if val is not None}))
    node_attrs = _declare([a for _, _, a in node_items], GEXF_NODE_ATTRS, integer="integer", long="long")
    edge_attrs = _declare([a for *_, a in edge_items], GEXF_EDGE_ATTRS, integer="integer", long="long")
    node_types, edge_types = dict(node_attrs), dict(edge_attrs)

    out = io.StringIO()
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{GEXF_VIZ_NS}" xmlns:xsi="{XSI_NS}" '
      f'xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.2">\n')
    w(f"  <meta>\n    <creator>kg {_xml_text(__version__)}</creator>\n"
      "    <description>entities (PER/ORG/LOC) and their relations; CO_OCCURS "
      f"{'undirected' if mixed else 'stored once per pair, from the lower id to the higher'}</description>\n"
      "  </meta>\n")
    dynamic = any(_spells(data) for *_, data in edge_items)
    mode = 'mode="dynamic" timeformat="date"' if dynamic else 'mode="static"'
    w(f'  <graph defaultedgetype="directed" {mode}>\n')
    for cls, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        w(f'    <attributes class="{cls}" mode="static">\n')
        for name, kind in attrs:
            w(f"      <attribute id={_xml_attr(name)} title={_xml_attr(name)} type=\"{kind}\"/>\n")
        w("    </attributes>\n")

    def attvalues(indent: str, attrs: dict, types: dict) -> None:
        present = [(name, attrs[name]) for name in types if attrs.get(name) not in (None, "")]
        if not present:
            return
        w(f"{indent}<attvalues>\n")
        for name, value in present:
            w(f"{indent}  <attvalue for={_xml_attr(name)} value={_xml_attr(_format_value(value, types[name]))}/>\n")
        w(f"{indent}</attvalues>\n")

    def colour(indent: str, viz: dict) -> None:
        c = viz["color"]
        w(f'{indent}<viz:color r="{c["r"]}" g="{c["g"]}" b="{c["b"]}" a="{_format_value(c["a"], "double")}"/>\n')

    w(f'    <nodes count="{len(node_items)}">\n')
    for node, data, attrs in node_items:
        w(f"      <node id={_xml_attr(str(node))} label={_xml_attr(str(data.get('label', node)))}>\n")
        attvalues("        ", attrs, node_types)
        viz = data["viz"]
        colour("        ", viz)
        w(f'        <viz:size value="{_format_value(viz["size"], "double")}"/>\n')
        if "position" in viz:
            p = viz["position"]
            w(f'        <viz:position x="{_format_value(p["x"], "double")}" y="{_format_value(p["y"], "double")}" '
              f'z="{_format_value(p["z"], "double")}"/>\n')
        w("      </node>\n")
    w("    </nodes>\n")
    w(f'    <edges count="{len(edge_items)}">\n')
    for edge_id, u, v, data, attrs in edge_items:
        direction = "directed" if data.get("directed", True) or not mixed else "undirected"
        label = data.get("title") or data.get("type", "")
        w(f"      <edge id=\"{edge_id}\" source={_xml_attr(str(u))} target={_xml_attr(str(v))} "
          f"type=\"{direction}\" label={_xml_attr(label)} weight=\"{_format_value(data.get('weight', 1.0), 'double')}\">\n")
        attvalues("        ", attrs, edge_types)
        if spells := _spells(data):
            w("        <spells>\n")
            for start, end in spells:
                w(f"          <spell start={_xml_attr(start)} end={_xml_attr(end)}/>\n")
            w("        </spells>\n")
        colour("        ", data["viz"])
        w("      </edge>\n")
    w("    </edges>\n  </graph>\n</gexf>\n")
    return out.getvalue().encode("utf-8")


def write_gexf(graph: nx.MultiDiGraph, dest: Path, *, mixed: bool = False, weight: str = "count") -> Path:
    """Write ``graph`` (a build, :func:`kg.write.jsonl.load_graph`) as GEXF to ``dest``
    (atomically) and return ``dest``; see :func:`gexf_bytes` for the content, ``mixed`` and ``weight``.
    """
    data = gexf_bytes(graph, mixed=mixed, weight=weight)
    written = write_file(dest, data)
    log.info("wrote %s (%d nodes, %d edges)", written, graph.number_of_nodes(), graph.number_of_edges())
    return written
