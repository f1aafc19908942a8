"""Writing a ``kg build`` output directory to Neo4j, over Bolt or as ``neo4j-admin`` CSVs.

The graph in Neo4j::

    (:Entity:Person|:Organization|:Place {id, name, label, aliases, merged_by, mention_count, doc_count, [full_name]})
    (empty lists, e.g. no aliases, are not stored: the same graph as neo4j-admin import makes;
    a name over kg.schema.MAX_ID_BYTES is indexed as kg.schema.bounded_id(name), whole in full_name)
    (:Document {id, path, title, date, chars, sha256})
    (:Entity)-[:MENTIONED_IN {count, offsets}]->(:Document)          offsets = [start, end, start, end, ...]
    (:Person)-[:HOLDS_ROLE {title, docs, first_seen, last_seen, evidence_docs, evidence_starts, evidence_ends}]->(:Organization)
    (:Entity)-[:CO_OCCURS {weight, docs, doc_weights, npmi, first_seen, last_seen, years, year_weights,
                           evidence_*}]->(:Entity)   once per pair, lower id -> higher id
    (:Entity)-[:PART_OF {evidence_*}]->(:Entity)
    (:Entity)-[:LOCATED_IN {evidence_*}]->(:Entity)
    (:Person)-[:REPORTED {as, evidence_*}]->(:Document)      记者/通讯员/摄影/编辑: a byline or credit

Loading is idempotent and incremental.  Every node and relationship is MERGEd on a stable
key (``id``; relationship type + endpoints, + ``title`` for HOLDS_ROLE, ``as`` for REPORTED).  What a document
contributes to a relationship (its CO_OCCURS weight, its evidence spans) is stored per
document, so loading a directory again replaces those contributions instead of adding
them twice, and a second corpus adds its own documents' contributions to shared entities.
Before writing, the contributions of the documents being loaded are retracted from the
graph; relationships left with none are deleted at the end, so a re-processed document
that lost a relation loses it in Neo4j too.  ``mention_count``/``doc_count`` are
recomputed from the entity's MENTIONED_IN relationships (all corpora together).

``first_seen``/``last_seen`` (Cypher dates) and ``years``/``year_weights`` (parallel arrays,
as ``docs``/``doc_weights``: properties cannot be maps) are recomputed from ``docs`` and the
:Document nodes' dates whenever a relationship changes, so they span every corpus loaded.
``npmi`` is a number of one whole build (:func:`kg.relate.npmi`): it is the value of the
latest load that held the pair, and a pair another load only retracted keeps its old one.

Loads are all or nothing.  The folder is validated whole before the server is contacted
(:func:`kg.write.jsonl.read_output` with ``strict``: every file present, every line parsed,
every reference known, counts and ``manifest.json`` consistent), and the retract, merge and
sweep statements of one load run in ONE transaction (the driver's managed transaction, so a
transient error retries the whole load): a load that fails or is killed part-way is rolled
back by the server and leaves the graph exactly as it was.  Statements still send ``UNWIND``
batches of ``batch_size`` rows; the transaction state grows with the build (a few MB for the
seed build's ~1,000 relationships; a very large corpus may need a larger
``db.memory.transaction.max``, or loading in several folders).  Only the schema (constraints
and index, which cannot share a transaction with writes) is created before, on its own.

All values travel as query parameters (``UNWIND $rows AS row``); node labels and
relationship types come from fixed whitelists, never from the data.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError, Neo4jError
from kg.schema import MAX_ID_BYTES, RELATION_TYPES, RELATIONS, bounded_id
from kg.write.jsonl import ENTITY_LABELS, OutputRows, read_output  # ENTITY_LABELS: the node-label whitelist

log = logging.getLogger(__name__)

#: The schema, one statement each; cypher/schema.cypher holds the same statements.
SCHEMA_STATEMENTS: tuple[str, ...] = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)",
)

_PENDING = "kg_pending"  # marks relationships whose contributions were retracted during a load
#: Ids longer than this (UTF-8 bytes) are refused: Neo4j cannot index them (kg build keeps ids
#: under :data:`kg.schema.MAX_ID_BYTES`; only a folder written otherwise can hold one).
INDEX_KEY_LIMIT = 4000
#: Hosts a plaintext Bolt URI may name without a warning.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


# --------------------------------------------------------------------------------------
# Cypher builders: one statement each, all data in parameters.
# --------------------------------------------------------------------------------------

def _entity_label(label: str | None) -> str:
    if label is None:
        return ""
    if label not in ENTITY_LABELS.values():
        raise ValueError(f"not an entity label: {label!r}")
    return f":{label}"


def _relation_type(rel_type: str) -> str:
    if rel_type not in RELATION_TYPES:
        raise ValueError(f"not a relation type: {rel_type!r}")
    return rel_type


def merge_documents_query() -> str:
    """MERGE ``(:Document)`` nodes from ``$rows`` (id, path, title, date, chars, sha256)."""
    return (
        "UNWIND $rows AS row\n"
        "MERGE (d:Document {id: row.id})\n"
        "SET d.path = row.path, d.title = row.title, d.date = row.date, d.chars = row.chars, d.sha256 = row.sha256\n"
        "RETURN count(d) AS n"
    )


def merge_entities_query(label: str | None) -> str:
    """MERGE ``(:Entity:<label>)`` nodes from ``$rows``; ``label`` is one of :data:`ENTITY_LABELS`' values.

    Rows: id, name (at most :data:`kg.schema.MAX_ID_BYTES`: it is indexed), full_name (the
    name when it was longer, else null), label, aliases, merged_by, mention_count, doc_count.

    Aliases already stored (from another corpus) are kept after the row's own; ``merged_by`` (the
    linking rules that joined them) is the sorted union of the row's and the stored one.
    """
    extra = _entity_label(label)
    set_label = f"SET e{extra}\n" if extra else ""
    return (
        "UNWIND $rows AS row\n"
        "MERGE (e:Entity {id: row.id})\n"
        f"{set_label}"
        "WITH e, row, row.aliases + [a IN coalesce(e.aliases, []) WHERE NOT a IN row.aliases] AS aliases,\n"
        "     COLLECT { UNWIND row.merged_by + coalesce(e.merged_by, []) AS r RETURN DISTINCT r ORDER BY r } AS merged_by\n"
        f"SET e.name = row.name, e.full_name = row.full_name, e.label = row.label, e.aliases = {_or_null('aliases')},\n"
        f"    e.merged_by = {_or_null('merged_by')}, e.mention_count = row.mention_count, e.doc_count = row.doc_count\n"
        "RETURN count(e) AS n"
    )


def prune_mentions_query() -> str:
    """Delete MENTIONED_IN into each ``row.doc`` from entities not in ``row.entities``; returns their ids."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (d:Document {id: row.doc})<-[m:MENTIONED_IN]-(e:Entity)\n"
        "WHERE NOT e.id IN row.entities\n"
        "DELETE m\n"
        "RETURN collect(DISTINCT e.id) AS ids"
    )


def merge_mentions_query() -> str:
    """MERGE ``(:Entity)-[:MENTIONED_IN {count, offsets}]->(:Document)`` from ``$rows``.

    Rows: entity, doc, count, offsets (flat ``[start, end, start, end, ...]``).
    """
    return (
        "UNWIND $rows AS row\n"
        "MATCH (e:Entity {id: row.entity})\n"
        "MATCH (d:Document {id: row.doc})\n"
        "MERGE (e)-[m:MENTIONED_IN]->(d)\n"
        "SET m.count = row.count, m.offsets = row.offsets\n"
        "RETURN count(m) AS n"
    )


def update_entity_counts_query() -> str:
    """Recompute ``mention_count``/``doc_count`` of ``$rows`` entities from their MENTIONED_IN.

    An entity with no MENTIONED_IN keeps ``row.mention_count``/``row.doc_count``.
    """
    return (
        "UNWIND $rows AS row\n"
        "MATCH (e:Entity {id: row.id})\n"
        "OPTIONAL MATCH (e)-[m:MENTIONED_IN]->(:Document)\n"
        "WITH e, row, count(m) AS docs, sum(m.count) AS mentions\n"
        "SET e.mention_count = CASE WHEN docs > 0 THEN mentions ELSE row.mention_count END,\n"
        "    e.doc_count = CASE WHEN docs > 0 THEN docs ELSE row.doc_count END\n"
        "RETURN count(e) AS n"
    )


def _or_null(var: str) -> str:
    """``var`` (a list variable), or null when empty: empty lists are not stored, as with neo4j-admin import."""
    return f"CASE WHEN size({var}) = 0 THEN null ELSE {var} END"


def _keep(prop: str, drop: str) -> str:
    """Indexes of ``r.<prop>`` whose document is not in the list expression ``drop``."""
    return f"[i IN range(0, size(coalesce(r.{prop}, [])) - 1) WHERE NOT r.{prop}[i] IN {drop}]"


def _seen(rel_type: str) -> list[str]:
    """Cypher setting ``first_seen``/``last_seen`` (and for CO_OCCURS ``years``/``year_weights``)
    of ``r`` from ``r.docs`` and the dates of those :Document nodes; ends with ``WITH r``."""
    if rel_type not in _PER_DOCUMENT:
        return []
    lines = [
        "WITH r, [d IN coalesce(r.docs, []) | COLLECT { MATCH (x:Document {id: d}) RETURN x.date }[0]] AS dates",
        "WITH r, dates, [t IN dates WHERE t IS NOT NULL] AS dated",
        "WITH r, dates, dated, reduce(m = head(dated), t IN dated | CASE WHEN t < m THEN t ELSE m END) AS first_day,",
        "     reduce(m = head(dated), t IN dated | CASE WHEN t > m THEN t ELSE m END) AS last_day",
        "SET r.first_seen = first_day, r.last_seen = last_day",
    ]
    if rel_type == "CO_OCCURS":
        lines += [
            "WITH r, dates, CASE WHEN first_day IS NULL THEN [] ELSE",
            "     [y IN range(first_day.year, last_day.year) WHERE any(t IN dated WHERE t.year = y)] END AS years",
            "WITH r, years, [y IN years | reduce(s = 0, i IN range(0, size(dates) - 1) |",
            "     s + CASE WHEN dates[i].year = y THEN r.doc_weights[i] ELSE 0 END)] AS year_weights",
            f"SET r.years = {_or_null('years')}, r.year_weights = {_or_null('year_weights')}",
        ]
    return lines + ["WITH r"]


#: relationship types that keep the documents stating them in ``docs`` (and are dated from them)
_PER_DOCUMENT = ("CO_OCCURS", "HOLDS_ROLE")


def retract_relationships_query(rel_type: str) -> str:
    """Remove the contributions of documents ``$docs`` from up to ``$limit`` ``rel_type`` relationships.

    Touched relationships get a ``kg_pending`` mark that the merge query clears; returns
    how many were touched (call until 0).
    """
    t = _relation_type(rel_type)
    lines = [f"MATCH ()-[r:{t}]->()"]
    if t in _PER_DOCUMENT:
        lines += [
            f"WHERE r.{_PENDING} IS NULL",
            "  AND any(x IN coalesce(r.docs, []) + coalesce(r.evidence_docs, []) WHERE x IN $docs)",
            "WITH r LIMIT $limit",
            f"WITH r, {_keep('evidence_docs', '$docs')} AS keep, {_keep('docs', '$docs')} AS keep_d",
        ]
        if t == "CO_OCCURS":
            lines += [
                "WITH r, keep, [i IN keep_d | r.docs[i]] AS docs, [i IN keep_d | r.doc_weights[i]] AS doc_weights",
                f"SET r.docs = {_or_null('docs')}, r.doc_weights = {_or_null('doc_weights')},",
                "    r.weight = reduce(s = 0, w IN doc_weights | s + w)",
            ]
        else:
            lines += ["WITH r, keep, [i IN keep_d | r.docs[i]] AS docs", f"SET r.docs = {_or_null('docs')}"]
    else:
        lines += [
            f"WHERE r.{_PENDING} IS NULL AND any(x IN coalesce(r.evidence_docs, []) WHERE x IN $docs)",
            "WITH r LIMIT $limit",
            f"WITH r, {_keep('evidence_docs', '$docs')} AS keep",
        ]
    lines += [
        "WITH r, [i IN keep | r.evidence_docs[i]] AS ev_docs, [i IN keep | r.evidence_starts[i]] AS ev_starts,",
        "     [i IN keep | r.evidence_ends[i]] AS ev_ends",
        f"SET r.evidence_docs = {_or_null('ev_docs')}, r.evidence_starts = {_or_null('ev_starts')},",
        f"    r.evidence_ends = {_or_null('ev_ends')}, r.{_PENDING} = true",
        *_seen(t),
        "RETURN count(r) AS n",
    ]
    return "\n".join(lines)


def merge_relationships_query(rel_type: str) -> str:
    """MERGE ``rel_type`` relationships from ``$rows`` (source, target, [title], [docs],
    [doc_weights, npmi], evidence_*).

    The documents a row names (``row.replace``) replace their earlier contributions.
    """
    t = _relation_type(rel_type)
    spec = RELATIONS[t]
    key = f" {{`{spec.key}`: row.`{spec.key}`}}" if spec.key else ""
    lines = [
        "UNWIND $rows AS row",
        f"MATCH (a:{spec.source} {{id: row.source}})",
        f"MATCH (b:{spec.target} {{id: row.target}})",
        f"MERGE (a)-[r:{t}{key}]->(b)",
    ]
    # Contributions stay sorted by document (evidence by document, start, end) whatever the
    # load order; rows arrive sorted, so only a merge with kept entries needs the sort.
    if t == "CO_OCCURS":
        lines += [
            f"WITH r, row, {_keep('evidence_docs', 'row.replace')} AS keep, {_keep('docs', 'row.replace')} AS keep_w",
            "WITH r, row, keep, keep_w, [i IN keep_w | r.docs[i]] + row.docs AS d0,",
            "     [i IN keep_w | r.doc_weights[i]] + row.doc_weights AS w0",
            "CALL (keep_w, d0, w0) {",
            "  UNWIND CASE WHEN size(keep_w) = 0 THEN [] ELSE range(0, size(d0) - 1) END AS i",
            "  WITH d0[i] AS d, w0[i] AS w ORDER BY d",
            "  RETURN collect(d) AS d1, collect(w) AS w1",
            "}",
            "WITH r, row, keep, CASE WHEN size(keep_w) = 0 THEN d0 ELSE d1 END AS docs,",
            "     CASE WHEN size(keep_w) = 0 THEN w0 ELSE w1 END AS doc_weights",
            f"SET r.docs = {_or_null('docs')}, r.doc_weights = {_or_null('doc_weights')},",
            "    r.weight = reduce(s = 0, w IN doc_weights | s + w), r.npmi = row.npmi",
            "WITH r, row, keep",
        ]
    elif t == "HOLDS_ROLE":
        lines += [
            f"WITH r, row, {_keep('evidence_docs', 'row.replace')} AS keep, {_keep('docs', 'row.replace')} AS keep_d",
            "WITH r, row, keep, keep_d, [i IN keep_d | r.docs[i]] + row.docs AS d0",
            "CALL (keep_d, d0) {",
            "  UNWIND CASE WHEN size(keep_d) = 0 THEN [] ELSE range(0, size(d0) - 1) END AS i",
            "  WITH d0[i] AS d ORDER BY d",
            "  RETURN collect(d) AS d1",
            "}",
            "WITH r, row, keep, CASE WHEN size(keep_d) = 0 THEN d0 ELSE d1 END AS docs",
            f"SET r.docs = {_or_null('docs')}, r.title_normalised = row.title_normalised",
            "WITH r, row, keep",
        ]
    else:
        lines.append(f"WITH r, row, {_keep('evidence_docs', 'row.replace')} AS keep")
    lines += [
        "WITH r, keep, [i IN keep | r.evidence_docs[i]] + row.evidence_docs AS ed,",
        "     [i IN keep | r.evidence_starts[i]] + row.evidence_starts AS es,",
        "     [i IN keep | r.evidence_ends[i]] + row.evidence_ends AS ee",
        "CALL (keep, ed, es, ee) {",
        "  UNWIND CASE WHEN size(keep) = 0 THEN [] ELSE range(0, size(ed) - 1) END AS i",
        "  WITH ed[i] AS d, es[i] AS s, ee[i] AS e ORDER BY d, s, e",
        "  RETURN collect(d) AS ed1, collect(s) AS es1, collect(e) AS ee1",
        "}",
        "WITH r, CASE WHEN size(keep) = 0 THEN ed ELSE ed1 END AS ev_docs,",
        "     CASE WHEN size(keep) = 0 THEN es ELSE es1 END AS ev_starts,",
        "     CASE WHEN size(keep) = 0 THEN ee ELSE ee1 END AS ev_ends",
        f"SET r.evidence_docs = {_or_null('ev_docs')}, r.evidence_starts = {_or_null('ev_starts')},",
        f"    r.evidence_ends = {_or_null('ev_ends')}",
        f"REMOVE r.{_PENDING}",
        *_seen(t),
        "RETURN count(r) AS n",
    ]
    return "\n".join(lines)


def sweep_relationships_query(rel_type: str) -> str:
    """Finish a load: delete ``rel_type`` relationships left with no document, unmark the rest."""
    t = _relation_type(rel_type)
    empty = {"CO_OCCURS": "r.docs IS NULL", "HOLDS_ROLE": "r.docs IS NULL AND r.evidence_docs IS NULL"}.get(
        t, "r.evidence_docs IS NULL")
    return (
        f"MATCH ()-[r:{t}]->() WHERE r.{_PENDING} IS NOT NULL\n"
        f"WITH r, {empty} AS gone\n"
        f"FOREACH (_ IN CASE WHEN gone THEN [1] ELSE [] END | DELETE r)\n"
        f"FOREACH (_ IN CASE WHEN gone THEN [] ELSE [1] END | REMOVE r.{_PENDING})\n"
        "RETURN sum(CASE WHEN gone THEN 1 ELSE 0 END) AS n"
    )


# --------------------------------------------------------------------------------------
# Loading over Bolt.
# --------------------------------------------------------------------------------------

def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _run_single(tx, query: str, params: dict):
    record = tx.run(query, params).single()
    return record[0] if record is not None else None


class _Writer:
    """Runs statements batch by batch, all in the one transaction ``tx`` of the load."""

    def __init__(self, tx, batch_size: int) -> None:
        self.tx = tx
        self.batch_size = batch_size

    def value(self, query: str, **params):
        return _run_single(self.tx, query, params)

    def rows(self, query: str, rows: list[dict], **params) -> int:
        total = 0
        for batch in _batches(rows, self.batch_size):
            total += self.value(query, rows=batch, **params) or 0
        return total


def create_schema(session) -> None:
    """Create kg's constraints and index (:data:`SCHEMA_STATEMENTS`) if missing; ``session`` is a driver session."""
    for statement in SCHEMA_STATEMENTS:
        session.execute_write(lambda tx, s=statement: tx.run(s).consume())


def entity_rows_for_neo4j(rows: list[dict]) -> list[dict]:
    """Entity rows with ``name`` bounded for the name index and ``full_name`` set when it was cut."""
    out = []
    for row in rows:
        name = bounded_id(row["name"])
        out.append({**row, "name": name, "full_name": row["name"] if name != row["name"] else None})
    return out


def check_key_sizes(data: OutputRows) -> None:
    """Refuse ids Neo4j cannot index (before anything is written) rather than fail half-way."""
    ids = [("documents.jsonl", d["id"]) for d in data.documents]
    ids += [("entities.jsonl", e["id"]) for e in data.entity_rows()]
    for name, value in ids:
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > INDEX_KEY_LIMIT:
            raise InputError(f"{name}: id {value[:40]!r}... has {size} UTF-8 bytes, more than Neo4j can index "
                             f"({INDEX_KEY_LIMIT}); rebuild with this kg, which keeps ids under {MAX_ID_BYTES} bytes")


def write_rows(session, data: OutputRows, *, batch_size: int = 1000) -> dict[str, int]:
    """Write ``data`` through an open driver ``session`` in ONE write transaction; returns the rows
    written per kind.  Nothing is changed unless the whole load commits.

    Driver exceptions propagate; :func:`load_output` wraps them in :class:`kg.errors.Neo4jError`.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    create_schema(session)
    return session.execute_write(_write_all, data, batch_size)


def _write_all(tx, data: OutputRows, batch_size: int) -> dict[str, int]:
    """The whole load inside transaction ``tx`` (re-run from the start if the driver retries it)."""
    w = _Writer(tx, batch_size)
    counts: dict[str, int] = {}

    # 1. Retract what the documents of this load contributed before (no-op on a first load).
    by_doc: dict[str, list[str]] = defaultdict(list)
    for m in data.mentions:
        by_doc[m["doc"]].append(m["entity"])
    prune_rows = [{"doc": d["id"], "entities": sorted(set(by_doc.get(d["id"], ())))} for d in data.documents]
    touched: set[str] = set()
    for batch in _batches(prune_rows, w.batch_size):
        touched.update(w.value(prune_mentions_query(), rows=batch) or [])
    retracted = 0
    for rel_type in RELATION_TYPES:
        while n := w.value(retract_relationships_query(rel_type), docs=data.doc_ids, limit=w.batch_size):
            retracted += n
    if retracted or touched:
        log.info("retracted earlier contributions of %d documents from %d relationships, %d mention links",
                 len(data.doc_ids), retracted, len(touched))

    # 2. Nodes.
    counts["documents"] = w.rows(merge_documents_query(), data.documents)
    counts["entities"] = 0
    for label, rows in data.entities.items():
        counts["entities"] += w.rows(merge_entities_query(label), entity_rows_for_neo4j(rows))

    # 3. Mentions, then the counts they imply.
    counts["mentioned_in"] = w.rows(merge_mentions_query(), data.mentions)
    count_rows = list(data.entity_rows())
    loaded = {row["id"] for row in count_rows}
    count_rows += [{"id": i, "mention_count": 0, "doc_count": 0} for i in sorted(touched - loaded)]
    w.rows(update_entity_counts_query(), count_rows)

    # 4. Relationships between entities, then drop those no document supports any more.
    for rel_type in RELATION_TYPES:
        rows = data.relations.get(rel_type, [])
        written = w.rows(merge_relationships_query(rel_type), rows)
        if written != len(rows):  # cannot happen after read_output(strict=True); never commit less
            raise Neo4jError(f"{rel_type}: {len(rows) - written} of {len(rows)} rows matched no entity in Neo4j")
        counts[rel_type.lower()] = written
        deleted = w.value(sweep_relationships_query(rel_type)) or 0
        if deleted:
            log.info("%s: deleted %d relationships no loaded document supports any more", rel_type, deleted)
    return counts


def warn_if_plaintext(uri: str) -> bool:
    """Warn (and return True) when ``uri`` sends credentials and data unencrypted to another host."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme.lower() in ("bolt", "neo4j") and host and host.lower() not in LOCAL_HOSTS:
        secure = parts.scheme.lower() + "+s"
        log.warning("%s sends the password and the data unencrypted to %s; use %s://%s if the server has TLS "
                    "(%s+ssc:// for a self-signed certificate)", uri, host, secure, parts.netloc, parts.scheme.lower())
        return True
    return False


def _driver(uri: str, user: str, password: str | None):
    import neo4j

    auth = (user, password) if password is not None else None
    try:
        return neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=15.0, max_transaction_retry_time=15.0)
    except (ValueError, neo4j.exceptions.DriverError) as err:
        raise Neo4jError(f"bad Neo4j URI {uri!r}: {err}") from err


def load_output(out_dir: Path, uri: str, *, user: str = "neo4j", password: str | None = None,
                database: str | None = None, batch_size: int = 1000) -> dict[str, int]:
    """Load a ``kg build`` output directory into the Neo4j at ``uri``; returns rows written per kind.

    Idempotent: loading the same directory twice leaves the graph unchanged.  ``password``
    None connects without authentication (for servers with auth disabled).  Raises
    :class:`kg.errors.InputError` for a malformed, incomplete or inconsistent directory
    (nothing is written) and :class:`kg.errors.Neo4jError` (naming ``uri``) when the server
    is unreachable, refuses the credentials or a write fails; the load is one transaction,
    so a failed one changed nothing and can simply be run again.
    """
    import neo4j.exceptions as nx

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    data = read_output(Path(out_dir), strict=True)  # the whole folder, before anything is written
    check_key_sizes(data)
    warn_if_plaintext(uri)
    log.info("loading %s into %s: %d documents, %d entities, %d mention links, %d relations",
             out_dir, uri, len(data.documents), sum(len(r) for r in data.entities.values()),
             len(data.mentions), sum(len(r) for r in data.relations.values()))
    driver = _driver(uri, user, password)
    try:
        try:
            driver.verify_connectivity()
        except nx.AuthError as err:
            raise Neo4jError(f"Neo4j at {uri} refused the credentials of user {user!r}: {err.message or err}") from err
        except (nx.ServiceUnavailable, nx.DriverError, nx.Neo4jError, OSError) as err:
            raise Neo4jError(f"cannot reach Neo4j at {uri}: {err}") from err
        try:
            with driver.session(database=database) as session:
                counts = write_rows(session, data, batch_size=batch_size)
        except (nx.Neo4jError, nx.DriverError, OSError) as err:
            raise Neo4jError(f"loading {out_dir} into Neo4j at {uri} failed: {err}") from err
    finally:
        driver.close()
    log.info("loaded into %s: %s", uri, ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts
