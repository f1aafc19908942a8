"""The in-memory graph every writer reads: a :class:`networkx.MultiDiGraph` of entities.

Nodes are entity ids with attributes ``label`` (the display name, which Gephi shows),
``name``, ``type`` (PER/ORG/LOC), ``aliases`` and ``merged_by`` (the linking rules that joined
them, :attr:`kg.schema.Entity.merged_by`; lists in memory, ``|``-joined in GraphML),
``mention_count`` and ``doc_count``.

Each document is a node too, ``DOC:`` + its id, with ``type`` ``DOC``, ``label`` (its title),
``name``, ``path`` and ``date``: the end of the REPORTED edges that credit people for it.
:func:`entity_nodes` lists the entities alone.

Edges carry ``type`` (HOLDS_ROLE, CO_OCCURS, PART_OF, LOCATED_IN, REPORTED, DATELINE), ``weight``,
``title`` (a role's title; REPORTED's ``as``) and ``directed``, and when the relation has them
(:data:`EDGE_EXTRAS`) ``npmi``, ``first_seen``, ``last_seen`` and ``year_weights`` (a dict, which
GraphML leaves out).  CO_OCCURS is symmetric but stored ONCE per unordered pair (from the
lower id to the higher) with ``directed=False``; :func:`cooccurrence_graph` gives it as an
undirected :class:`networkx.Graph`.  Roles and hierarchy edges are directed.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import networkx as nx

from kg.schema import CO_OCCURS, LABELS, RELATIONS, Document, Entity, Relation

NODE_ATTRS = ("label", "name", "type", "aliases", "merged_by", "mention_count", "doc_count")
#: the ``type`` of a document's node
DOCUMENT_TYPE = "DOC"

#: relation properties copied onto edges when present (see :mod:`kg.relate`)
EDGE_EXTRAS = ("title_normalised", "npmi", "first_seen", "last_seen", "year_weights")


def edge_extras(properties: dict) -> dict:
    """The :data:`EDGE_EXTRAS` among a relation's ``properties``."""
    return {name: properties[name] for name in EDGE_EXTRAS if properties.get(name) is not None}


def document_node(doc_id: str) -> str:
    """The graph node of a document: ``DOC:`` + its id (entity ids start PER:/ORG:/LOC:, so they never clash)."""
    return f"{DOCUMENT_TYPE}:{doc_id}"


def document_attributes(doc_id: str, *, title: str | None, path: str, date: str | None) -> dict:
    """The node attributes of a document (its title is the label Gephi shows; its id when it has none)."""
    return {"label": title or doc_id, "name": title or "", "type": DOCUMENT_TYPE, "path": path, "date": date or ""}


def add_document(graph: nx.MultiDiGraph, doc_id: str, *, title: str | None, path: str, date: str | None) -> None:
    """Add a document's node (:func:`document_attributes`)."""
    graph.add_node(document_node(doc_id), **document_attributes(doc_id, title=title, path=path, date=date))


def relation_edge(rel_type: str, source: str, target: str, properties: dict, nodes, **extra) -> tuple[str, str, str, dict]:
    """(source node, target node, key, attributes) of one relation's edge (a document end as its
    ``DOC:`` node), checked against ``nodes`` (anything that answers ``in``).

    Raises:
        ValueError: an end is not in ``nodes``, or a CO_OCCURS is stored high -> low.
    """
    spec = RELATIONS.get(rel_type)
    if spec is not None:
        source = document_node(source) if spec.source == "Document" else source
        target = document_node(target) if spec.target == "Document" else target
    for end in (source, target):
        if end not in nodes:
            raise ValueError(f"relation {rel_type} {source} -> {target} names an unknown node: {end}")
    if rel_type == CO_OCCURS and source > target:
        raise ValueError(f"CO_OCCURS must be stored once with source < target: {source}, {target}")
    title = properties.get(spec.key, "") if spec is not None and spec.key else ""
    return source, target, f"{rel_type}:{title}", {
        "type": rel_type, "weight": float(properties.get("weight", 1)), "title": title,
        "directed": rel_type != CO_OCCURS, **extra, **edge_extras(properties)}


def add_relation(graph: nx.MultiDiGraph, rel_type: str, source: str, target: str, properties: dict, **extra) -> None:
    """Add one relation as an edge (:func:`relation_edge`).

    Raises:
        ValueError: an end is not a node of ``graph``, or a CO_OCCURS is stored high -> low.
    """
    source, target, key, attrs = relation_edge(rel_type, source, target, properties, graph, **extra)
    graph.add_edge(source, target, key=key, **attrs)


def entity_nodes(graph: nx.MultiDiGraph) -> list[str]:
    """The entity nodes of ``graph`` (PER/ORG/LOC), without the documents."""
    return [n for n, t in graph.nodes(data="type") if t in LABELS]


def entity_attributes(entity: Entity) -> dict:
    """The node attributes of an entity."""
    return {"label": entity.name, "name": entity.name, "type": entity.label, "aliases": list(entity.aliases),
            "merged_by": list(entity.merged_by), "mention_count": entity.mention_count, "doc_count": entity.doc_count}


def build_graph(entities: Iterable[Entity], relations: Iterable[Relation],
                documents: Iterable[Document] = ()) -> nx.MultiDiGraph:
    """Build the graph from linked entities, relations and the documents (deterministic order)."""
    graph = nx.MultiDiGraph()
    for entity in sorted(entities, key=lambda e: e.id):
        graph.add_node(entity.id, **entity_attributes(entity))
    for doc in sorted(documents, key=lambda d: d.id):
        add_document(graph, doc.id, title=doc.title, path=doc.path, date=doc.date)
    for rel in relations:
        add_relation(graph, rel.type, rel.source, rel.target, rel.properties, evidence_count=len(rel.evidence))
    return graph


class GraphStream:
    """The graph :func:`build_graph` makes, as the writers read it (``nodes(data=True)``,
    ``edges(data=True)``, ``number_of_nodes()``, ``number_of_edges()``, the same nodes and edges
    with the same attributes in the same order) but made on the fly from the build's records:
    an archive's graph is not held in memory a second time to be written.

    Raises:
        ValueError: (from :meth:`edges`) as :func:`add_relation` does.
    """

    def __init__(self, entities: Iterable[Entity], relations: Sequence[Relation],
                 documents: Iterable[Document] = ()) -> None:
        self.entities = sorted(entities, key=lambda e: e.id)
        self.documents = sorted(documents, key=lambda d: d.id)
        self.relations = relations

    def number_of_nodes(self) -> int:
        return len(self.entities) + len(self.documents)

    def number_of_edges(self) -> int:
        return len(self.relations)

    def nodes(self, data: bool = False) -> Iterator:
        for entity in self.entities:
            yield (entity.id, entity_attributes(entity)) if data else entity.id
        for doc in self.documents:
            node = document_node(doc.id)
            yield (node, document_attributes(doc.id, title=doc.title, path=doc.path, date=doc.date)) if data else node

    def edges(self, data: bool = False) -> Iterator:
        """The edges in a MultiDiGraph's order: by source node, then by the first edge to each
        target, then as added."""
        position = {node: i for i, node in enumerate(self.nodes())}
        ends, first = [], {}
        for i, rel in enumerate(self.relations):
            source, target, _, _ = relation_edge(rel.type, rel.source, rel.target, rel.properties, position)
            ends.append((source, target))
            first.setdefault((source, target), i)
        order = sorted(range(len(ends)), key=lambda i: (position[ends[i][0]], first[ends[i]], i))
        del first
        for i in order:
            if not data:
                yield ends[i]
                continue
            rel = self.relations[i]
            source, target, _, attrs = relation_edge(rel.type, rel.source, rel.target, rel.properties, position,
                                                     evidence_count=len(rel.evidence))
            yield source, target, attrs


def cooccurrence_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The CO_OCCURS edges as an undirected weighted :class:`networkx.Graph` (all entity nodes, no
    documents), with ``weight`` (the count) and ``npmi`` (None below :data:`kg.relate.MIN_COUNT`)."""
    undirected = nx.Graph()
    undirected.add_nodes_from((n, graph.nodes[n]) for n in entity_nodes(graph))
    for u, v, data in graph.edges(data=True):
        if data.get("type") == CO_OCCURS:
            undirected.add_edge(u, v, weight=data.get("weight", 1.0), npmi=data.get("npmi"))
    return undirected
