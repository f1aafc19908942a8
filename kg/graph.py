"""The in-memory graph every writer reads: a :class:`networkx.MultiDiGraph` of entities.

Nodes are entity ids with attributes ``label`` (the display name, which Gephi shows),
``name``, ``type`` (PER/ORG/LOC), ``aliases`` (a list in memory; ``|``-joined in GraphML),
``mention_count`` and ``doc_count``.

Edges carry ``type`` (HOLDS_ROLE, CO_OCCURS, PART_OF, LOCATED_IN), ``weight``, ``title``
and ``directed``, and when the relation has them (:data:`EDGE_EXTRAS`) ``npmi``,
``first_seen``, ``last_seen`` and ``year_weights`` (a dict, which GraphML leaves out).  CO_OCCURS is symmetric but stored ONCE per unordered pair (from the
lower id to the higher) with ``directed=False``; :func:`cooccurrence_graph` gives it as an
undirected :class:`networkx.Graph`.  Roles and hierarchy edges are directed.
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg.schema import CO_OCCURS, Entity, Relation

NODE_ATTRS = ("label", "name", "type", "aliases", "mention_count", "doc_count")
#: relation properties copied onto edges when present (see :mod:`kg.relate`)
EDGE_EXTRAS = ("npmi", "first_seen", "last_seen", "year_weights")


def edge_extras(properties: dict) -> dict:
    """The :data:`EDGE_EXTRAS` among a relation's ``properties``."""
    return {name: properties[name] for name in EDGE_EXTRAS if properties.get(name) is not None}


def build_graph(entities: Iterable[Entity], relations: Iterable[Relation]) -> nx.MultiDiGraph:
    """Build the graph from linked entities and relations (deterministic node and edge order)."""
    graph = nx.MultiDiGraph()
    for entity in sorted(entities, key=lambda e: e.id):
        graph.add_node(
            entity.id,
            label=entity.name,
            name=entity.name,
            type=entity.label,
            aliases=list(entity.aliases),
            mention_count=entity.mention_count,
            doc_count=entity.doc_count,
        )
    for rel in relations:
        if rel.source not in graph or rel.target not in graph:
            raise ValueError(f"relation {rel.type} {rel.source} -> {rel.target} names an unknown entity")
        if rel.type == CO_OCCURS and rel.source > rel.target:
            raise ValueError(f"CO_OCCURS must be stored once with source < target: {rel.source}, {rel.target}")
        graph.add_edge(
            rel.source,
            rel.target,
            key=f"{rel.type}:{rel.properties.get('title', '')}",
            type=rel.type,
            weight=float(rel.properties.get("weight", 1)),
            title=rel.properties.get("title", ""),
            directed=rel.type != CO_OCCURS,
            evidence_count=len(rel.evidence),
            **edge_extras(rel.properties),
        )
    return graph


def cooccurrence_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The CO_OCCURS edges as an undirected weighted :class:`networkx.Graph` (all entity nodes),
    with ``weight`` (the count) and ``npmi`` (None below :data:`kg.relate.MIN_COUNT`)."""
    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if data.get("type") == CO_OCCURS:
            undirected.add_edge(u, v, weight=data.get("weight", 1.0), npmi=data.get("npmi"))
    return undirected
