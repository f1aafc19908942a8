"""Every record that crosses a stage, and the label and relation tables every writer uses.

The flow: ingest makes :class:`RawPage` then :class:`Document` (raw text, cleaned text, the
map between them, :class:`Paragraph` s and :class:`Sentence` s); ner makes :class:`Mention` s;
link makes :class:`Entity` s and :class:`LinkedMention` s; relate makes :class:`Relation` s
with :class:`Evidence`; :class:`BuildResult` holds them all.  Stages work in cleaned-text
offsets; the JSONL writer (:mod:`kg.write.jsonl`) turns them into raw-file offsets once.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "BuildResult", "CO_OCCURS", "Credit", "DATELINE", "MAX_ID_BYTES", "Dateline", "Document", "ENTITY_TYPES", "Entity", "EntityType",
    "Evidence", "HOLDS_ROLE",
    "LABELS", "LOCATED_IN", "LinkedMention", "Mention", "overlay", "PART_OF", "Paragraph", "RELATIONS", "RELATION_TYPES",
    "REPORTED", "RawPage", "Relation", "RelationType", "Sentence", "bounded_id",
]


# ------------------------------------------------------------------------------ the tables

@dataclass(frozen=True)
class EntityType:
    """One entity label and what every writer calls and paints it."""

    label: str        #: in the output files: PER / ORG / LOC
    neo4j: str        #: the Neo4j node label beside ``Entity``
    chinese: str      #: the legend's name (kg plot)
    colour: tuple[int, int, int]  #: RGB, for GEXF and kg plot


@dataclass(frozen=True)
class RelationType:
    """One relation type: its name (also the Neo4j relationship type), Chinese name, colour, direction."""

    name: str
    chinese: str
    colour: tuple[int, int, int]
    directed: bool
    source: str = "Entity"     #: the node kind at the start: Entity or Document (the Neo4j label)
    target: str = "Entity"     #: the node kind at the end
    key: str | None = None     #: the property that tells parallel edges apart (HOLDS_ROLE's title)


#: the entity labels, in the order writers list them
ENTITY_TYPES: dict[str, EntityType] = {
    "PER": EntityType("PER", "Person", "人物", (225, 87, 89)),
    "ORG": EntityType("ORG", "Organization", "机构", (78, 121, 167)),
    "LOC": EntityType("LOC", "Place", "地点", (89, 161, 79)),
}
LABELS: tuple[str, ...] = tuple(ENTITY_TYPES)

HOLDS_ROLE = "HOLDS_ROLE"
CO_OCCURS = "CO_OCCURS"
PART_OF = "PART_OF"
LOCATED_IN = "LOCATED_IN"
REPORTED = "REPORTED"
DATELINE = "DATELINE"
#: the relation types, in load order; CO_OCCURS is symmetric and stored once per pair.  A
#: document id stands at the ends whose kind is ``Document`` (in JSONL; ``DOC:`` + id in the graph)
RELATIONS: dict[str, RelationType] = {
    HOLDS_ROLE: RelationType(HOLDS_ROLE, "任职", (242, 142, 43), True, key="title"),
    CO_OCCURS: RelationType(CO_OCCURS, "共现", (186, 176, 172), False),
    PART_OF: RelationType(PART_OF, "隶属", (118, 183, 178), True),
    LOCATED_IN: RelationType(LOCATED_IN, "位于", (176, 122, 161), True),
    #: a person a page credits (byline, photo credit, editor) -> the page; ``as``: 记者/通讯员/摄影/编辑
    REPORTED: RelationType(REPORTED, "报道", (156, 117, 95), True, target="Document", key="as"),
    #: a page -> the place its dateline names (本报包头12月24日电 -> 包头)
    DATELINE: RelationType(DATELINE, "电头", (237, 201, 72), True, source="Document"),
}
RELATION_TYPES: tuple[str, ...] = tuple(RELATIONS)


# ---------------------------------------------------------------------------- ids

#: The longest id (UTF-8 bytes) kept as it is.  Neo4j refuses to index a string key over ~8 KB
#: ("Property value is too large to index"), and ids are the keys of kg's unique constraints;
#: 512 bytes keeps a 170-character Chinese file path whole, stays 16 times under the limit
#: (room for a composite index of an id with other keys) and keeps the evidence arrays, which
#: repeat document ids, small.
MAX_ID_BYTES = 512


def bounded_id(value: str, limit: int = MAX_ID_BYTES) -> str:
    """``value`` itself when it has at most ``limit`` UTF-8 bytes, else its first bytes (whole
    characters) + ``#`` + the sha256 of all of it: stable, distinct for distinct values, ``limit`` bytes at most."""
    raw = value.encode("utf-8", "surrogatepass")
    if len(raw) <= limit:
        return value
    digest = hashlib.sha256(raw).hexdigest()
    prefix = raw[:max(0, limit - len(digest) - 1)].decode("utf-8", "ignore")
    return f"{prefix}#{digest}"


# ---------------------------------------------------------------------------- ingest

@dataclass(frozen=True)
class RawPage:
    """A page before repair: an id, where it came from, and its decoded text."""

    id: str
    path: str
    text: str
    title: str | None = None
    date: str | None = None
    #: the text was extracted from the file (a web page's article), not the file's own text
    extracted: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the cleaned text: ``[start, end)`` in cleaned offsets."""

    index: int
    paragraph: int
    start: int
    end: int
    #: index of the first earlier sentence (in this corpus run) with the same text, if any
    duplicate_of: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A repaired paragraph: ``[start, end)`` in cleaned offsets."""

    index: int
    start: int
    end: int
    byline: bool = False


@dataclass(frozen=True, slots=True)
class Credit:
    """A person a page credits (byline, photo credit, editor): ``[start, end)`` is the name,
    ``[block_start, block_end)`` the whole credit (（记者 王皓 薛来）), in cleaned offsets;
    ``role`` is 记者, 通讯员, 摄影 or 编辑 (:mod:`kg.credits`)."""

    start: int
    end: int
    name: str
    role: str
    block_start: int
    block_end: int
    #: False where only the NER can confirm the name (an author in brackets: （杨威）)
    certain: bool = True


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline opening a story (本报包头12月24日电): its span, the place's span (empty for
    本报讯), the month and day it gives (None when it gives none), in cleaned offsets."""

    start: int
    end: int
    place: str
    place_start: int
    place_end: int
    month: int | None
    day: int | None
    agency: str = ""  #: 本报, 新华社, 中新社…


@dataclass
class Document:
    """One page: raw text, cleaned text and the map between them.

    ``raw_index[i]`` is the index in ``raw`` of cleaned character ``i`` (an ``array("I")`` from
    :func:`kg.ingest.repair`: an archive's worth of Python ints would be some 36 bytes a character).
    """

    id: str
    path: str
    raw: str
    text: str
    raw_index: Sequence[int]
    paragraphs: list[Paragraph]
    sentences: list[Sentence] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    sha256: str = ""
    #: the datelines opening its stories (本报包头12月24日电), in text order
    datelines: list[Dateline] = field(default_factory=list)
    #: the people the page credits (:func:`kg.credits.find_credits`), in text order
    credits: list[Credit] = field(default_factory=list)
    #: ``raw`` was extracted from the file (a web page's article): the output stores it
    extracted: bool = False

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span ``[start, end)`` to the raw span covering it."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"{self.id}: span {start}:{end} outside cleaned text of {len(self.text)} chars")
        return self.raw_index[start], self.raw_index[end - 1] + 1

    def sentence_at(self, position: int) -> Sentence:
        """Return the sentence containing cleaned offset ``position``."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if position < s.start:
                hi = mid - 1
            elif position >= s.end:
                lo = mid + 1
            else:
                return s
        raise ValueError(f"{self.id}: offset {position} is in no sentence")


# ------------------------------------------------------------------------------- ner

@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: ``start``/``end`` index the document's cleaned text (end exclusive),
    as every stage does; ``text`` is the mention as read (layout breaks removed).  The JSONL
    writer turns the offsets into raw-file ones (:meth:`Document.to_raw`)."""

    doc: str
    start: int
    end: int
    text: str
    label: str
    sentence: int


def overlay(mentions: list[Mention], added: list[Mention]) -> list[Mention]:
    """``mentions`` with ``added`` laid over them: a mention overlapping an added one gives way;
    in text order.  (Credited names and the names users add replace what the NER read there.)"""
    if not added:
        return mentions
    kept = [m for m in mentions if not any(m.start < a.end and a.start < m.end for a in added)]
    return sorted(kept + added, key=lambda m: (m.start, m.end))


# ------------------------------------------------------------------------------ link

@dataclass(frozen=True, slots=True)
class LinkedMention:
    """A mention with the id of the entity it denotes."""

    mention: Mention
    entity: str


@dataclass(slots=True)
class Entity:
    """A real-world entity: canonical name, label, every surface form seen, and the rules that linked them."""

    id: str
    name: str
    label: str
    aliases: list[str] = field(default_factory=list)
    mention_count: int = 0
    doc_count: int = 0
    #: the linking rules that joined its forms, sorted (``gazetteer``, ``abbreviation``, … ; see
    #: docs/linking.md and :data:`kg.link.RULES`); empty for an entity written one way
    merged_by: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- relate

@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a relation is stated: a document and a span of its cleaned text (raw-file offsets
    in the output files)."""

    doc: str
    start: int
    end: int


@dataclass(slots=True)
class Relation:
    """A typed edge between two entity ids, with properties and evidence."""

    type: str
    source: str
    target: str
    properties: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        """What makes two relations one: type, ends, and the type's key property (a role's title)."""
        spec = RELATIONS.get(self.type)
        return (self.type, self.source, self.target, self.properties.get(spec.key) if spec and spec.key else None)


# ----------------------------------------------------------------------------- build

@dataclass
class BuildResult:
    """What a build produced, plus the input problems it skipped."""

    documents: list[Document]
    linked: list[LinkedMention]
    entities: dict[str, Entity]
    relations: list[Relation]
    errors: list[str] = field(default_factory=list)
    home_region: str | None = None
    home_region_inferred: bool = False
    files: list[Path] = field(default_factory=list)
    #: documents whose NER findings came from the output folder's store (:mod:`kg.ner.store`)
    reused: int = 0
    #: makes :attr:`graph` (:func:`kg.graph.build_graph` of the above) the first time it is asked for
    make_graph: Callable[[], nx.MultiDiGraph] | None = field(default=None, repr=False)
    _graph: nx.MultiDiGraph | None = field(default=None, init=False, repr=False)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The graph of the build (a :class:`networkx.MultiDiGraph`, :mod:`kg.graph`), made when
        first asked for: the writers stream it from the records instead
        (:class:`kg.graph.GraphStream`), so an archive's build need not hold it twice."""
        if self._graph is None:
            if self.make_graph is None:
                raise ValueError("this BuildResult has no graph")
            self._graph = self.make_graph()
        return self._graph
