"""The output folder of ``kg build``: its contract, written AND read here.

``kg build`` writes five files (:data:`OUTPUT_FILES`); every reader (``kg load``, ``kg export``,
``kg plot``, :func:`kg.load_graph`) reads them through this module, which names the file and
line of anything malformed.

=================== =============================================================================
file                one JSON object per line
=================== =============================================================================
documents.jsonl     ``id``, ``path``, ``title``, ``date``, ``datelines`` (``{agency, place, start, end, month, day}``), ``chars``, ``sha256``;
                    ``text`` for a page whose text was extracted (a web page's article): what offsets index
mentions.jsonl      ``doc``, ``start``, ``end`` (raw-file offsets), ``text``, ``label``, ``entity``, ``sentence``
entities.jsonl      ``id``, ``name``, ``label``, ``aliases``, ``merged_by`` (the linking rules that joined the
                    aliases, sorted; docs/linking.md), ``mention_count``, ``doc_count``
relations.jsonl     ``type``, ``source``, ``target``, ``properties``, ``evidence`` (``{doc, start, end}``)
graph.graphml       the graph, for Gephi (:mod:`kg.write.xml`)
manifest.json       written last: ``kg_version``, ``files`` {name: ``rows``, ``bytes``, ``sha256``}
store.sqlite        not an output: the NER's findings per document, for the next build (:mod:`kg.ner.store`)
=================== =============================================================================

The folder is replaced whole (:func:`write_outputs`): a run that stops leaves the previous build.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import networkx as nx

from kg import __version__
from kg.errors import InputError
from kg.files import StagedDirectory, dumps
from kg.graph import GraphStream, add_document, add_relation
from kg.schema import ENTITY_TYPES, RELATION_TYPES, RELATIONS, BuildResult, Document
from kg.write.xml import write_graphml

__all__ = ["MANIFEST", "OUTPUT_FILES", "OutputRows", "ROW_FILES", "check_manifest", "check_output", "load_graph",
           "manifest", "read_jsonl", "read_output",
           "write_outputs"]

log = logging.getLogger(__name__)

OUTPUT_FILES = ("documents.jsonl", "mentions.jsonl", "entities.jsonl", "relations.jsonl", "graph.graphml")
#: written last into the build: kg version, and rows, bytes and SHA-256 of each output file
MANIFEST = "manifest.json"
#: exports ``kg export`` writes into the output folder by default; a new build drops them with the old one
EXPORTS = ("graph.gexf", "neo4j-admin")
#: what the NER found in each document, kept for the next build into the folder (:mod:`kg.ner.store`)
STORE_FILE = "store.sqlite"
#: The row files every strict reader needs.
ROW_FILES = ("documents.jsonl", "entities.jsonl", "mentions.jsonl", "relations.jsonl")
#: Entity label in the output files -> extra Neo4j node label
ENTITY_LABELS: dict[str, str] = {label: t.neo4j for label, t in ENTITY_TYPES.items()}


# ------------------------------------------------------------------------------ writing

def _kg_entry(name: str) -> bool:
    """Whether ``name`` in an output folder is kg's: an output, the manifest, an export of the
    build in its default place, the NER's store (:mod:`kg.ner.store`), or one of their temporary names."""
    known = (*OUTPUT_FILES, MANIFEST, *EXPORTS, STORE_FILE)
    return name in known or any(name.startswith(f".{k}.") for k in known)


def check_output(out_dir: str | Path) -> StagedDirectory:
    """The output folder ``out_dir``, checked before any work: not a file, not under /proc or /sys,
    on a writable disk with room, holding nothing but kg's files (a build replaces it whole).

    Raises:
        InputError: naming the folder and the problem.
    """
    output = StagedDirectory(out_dir, owned=_kg_entry)
    output.check()
    return output


def _write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(dumps(row) + "\n")


def manifest(folder: Path) -> dict:
    """``{"kg_version", "files": {name: {"rows", "bytes", "sha256"}}}`` of the outputs in ``folder``
    (``rows``: lines of the file, one record each in the JSONL files)."""
    files = {}
    for name in OUTPUT_FILES:
        rows, size, sha = _file_digest(folder / name)
        files[name] = {"rows": rows, "bytes": size, "sha256": sha}
    return {"kg_version": __version__, "files": files}


def _file_digest(path: Path) -> tuple[int, int, str]:
    """(lines, bytes, sha256 hex) of ``path``, read a MiB at a time: what :func:`manifest` records
    and :func:`check_manifest` compares."""
    digest, rows, size = hashlib.sha256(), 0, 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            rows += chunk.count(b"\n")
            size += len(chunk)
    return rows, size, digest.hexdigest()


def write_outputs(result: BuildResult, out: Path | StagedDirectory) -> list[Path]:
    """Write the five output files, then ``manifest.json``, into a staging folder beside the output
    folder and put it in the output folder's place whole (:class:`kg.files.StagedDirectory`).

    ``out`` is a folder, or :func:`check_output`'s answer (opened or not).  Raises
    :class:`~kg.errors.InputError` when the folder cannot take the build; it is then untouched.
    """
    output = out if isinstance(out, StagedDirectory) else check_output(out)
    docs = {d.id: d for d in result.documents}

    def raw(doc: str, start: int, end: int) -> dict:  # the one place cleaned offsets become raw ones
        start, end = docs[doc].to_raw(start, end)
        return {"doc": doc, "start": start, "end": end}

    def datelines(d: Document) -> list[dict]:
        return [{"agency": line.agency, "place": line.place, **dict(zip(("start", "end"), d.to_raw(line.start, line.end))),
                 "month": line.month, "day": line.day} for line in d.datelines]

    try:
        folder = output.path or output.open()
        _write_jsonl(folder / "documents.jsonl", (
            {"id": d.id, "path": d.path, "title": d.title, "date": d.date, "datelines": datelines(d),
             "chars": len(d.raw), "sha256": d.sha256, **({"text": d.raw} if d.extracted else {})}
            for d in result.documents
        ))
        _write_jsonl(folder / "mentions.jsonl", (
            {**raw(lm.mention.doc, lm.mention.start, lm.mention.end), "text": lm.mention.text,
             "label": lm.mention.label, "entity": lm.entity, "sentence": lm.mention.sentence}
            for lm in result.linked
        ))
        _write_jsonl(folder / "entities.jsonl", (
            {"id": e.id, "name": e.name, "label": e.label, "aliases": e.aliases, "merged_by": e.merged_by,
             "mention_count": e.mention_count, "doc_count": e.doc_count}
            for e in result.entities.values()
        ))
        _write_jsonl(folder / "relations.jsonl", (
            {"type": r.type, "source": r.source, "target": r.target, "properties": r.properties,
             "evidence": [raw(ev.doc, ev.start, ev.end) for ev in r.evidence]}
            for r in result.relations
        ))
        with (folder / "graph.graphml").open("wb") as handle:
            write_graphml(GraphStream(result.entities.values(), result.relations, result.documents), handle)
        (folder / MANIFEST).write_text(json.dumps(manifest(folder), ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")  # last: its presence says the rest is whole
    except OSError as err:  # a full disk, a quota: the output folder is untouched
        output.abort()
        raise output.failed(err) from err
    except BaseException:
        output.abort()
        raise
    dropped = [name for name in EXPORTS if os.path.lexists(output.dest / name)]
    try:
        output.commit()
    except BaseException:
        output.abort()
        raise
    for name in dropped:
        log.warning("%s: an export of the previous build, removed with it (run kg export again)", output.given / name)
    return [output.given / name for name in (*OUTPUT_FILES, MANIFEST)]


# ------------------------------------------------------------------------------ reading

@dataclass
class OutputRows:
    """An output directory as parameter rows, validated and normalised, ready to write."""

    documents: list[dict] = field(default_factory=list)
    entities: dict[str | None, list[dict]] = field(default_factory=dict)  # Neo4j label (None: unknown) -> rows
    mentions: list[dict] = field(default_factory=list)  # one per (entity, doc)
    relations: dict[str, list[dict]] = field(default_factory=dict)  # type -> rows
    doc_ids: list[str] = field(default_factory=list)  # every document this load speaks for

    def entity_rows(self) -> Iterator[dict]:
        """Every entity row, whatever its label."""
        for rows in self.entities.values():
            yield from rows


def read_jsonl(path: Path, *, required: bool = True) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for each non-blank line of ``path``.

    Raises:
        InputError: naming the file (and line) when it is missing (``required``), unreadable,
            not JSON or not one object a line.
    """
    path = Path(path)
    if not path.is_file():
        if required:
            raise InputError(f"{path}: missing (is {path.parent} a `kg build` output directory?)")
        log.warning("%s: missing; loading nothing from it", path)
        return
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    raise InputError(f"{path}:{number}: not JSON: {err}") from err
                if not isinstance(obj, dict):
                    raise InputError(f"{path}:{number}: expected a JSON object")
                yield number, obj
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read: {err}") from err


def _field(obj: dict, key: str, kind: type | tuple, where: str, *, optional: bool = False):
    value = obj.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InputError(f"{where}: field {key!r} missing or not {getattr(kind, '__name__', kind)}: {value!r}")
    return value


def _strings(obj: dict, key: str, where: str) -> list[str]:
    """An optional list-of-strings field (``aliases``, ``merged_by``); [] when absent or null."""
    value = _field(obj, key, list, where, optional=True) or []
    if not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key} must be strings")
    return value


def _parse_date(value, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        log.warning("%s: date %r is not YYYY-MM-DD; stored as null", where, value)
        return None


class _Checker:
    """Problems a lenient reader logs and goes on after; a strict one (``kg load``) refuses the folder."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict

    def __call__(self, message: str, then: str) -> None:
        if self.strict:
            raise InputError(f"{message}; refusing to load an incomplete or inconsistent build folder")
        log.warning("%s; %s", message, then)


def check_manifest(out_dir: Path) -> dict | None:
    """Check every file ``manifest.json`` lists against its rows, bytes and sha256; None without one.

    Raises:
        InputError: naming the file and what differs (a missing file, a truncated or edited one,
            an unreadable manifest).
    """
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: unreadable manifest: {err}") from err
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        raise InputError(f"{path}: expected an object with \"files\": {{name: {{rows, bytes, sha256}}}}")
    for name, want in sorted(files.items()):
        if not isinstance(want, dict) or Path(name).name != name or name in ("", ".", ".."):
            raise InputError(f"{path}: bad entry for {name!r}")
        target = Path(out_dir) / name
        if not target.is_file():
            raise InputError(f"{target}: missing, but {MANIFEST} lists it")
        try:
            rows, size, sha = _file_digest(target)
        except OSError as err:
            raise InputError(f"{target}: cannot read: {err}") from err
        if "bytes" in want and want["bytes"] != size:
            raise InputError(f"{target}: {size} bytes, but {MANIFEST} says {want['bytes']} (truncated or changed)")
        if "rows" in want and name.endswith(".jsonl") and want["rows"] != rows:
            raise InputError(f"{target}: {rows} rows, but {MANIFEST} says {want['rows']} (truncated or changed)")
        if "sha256" in want and str(want["sha256"]).lower() != sha:
            raise InputError(f"{target}: sha256 {sha} differs from {MANIFEST}'s {want['sha256']} (changed)")
    return manifest


def _evidence(obj: dict, where: str, known_docs: set[str], check: _Checker) -> tuple[list[str], list[int], list[int]]:
    docs, starts, ends = [], [], []
    for ev in obj.get("evidence") or []:
        if not isinstance(ev, dict):
            raise InputError(f"{where}: evidence items must be objects")
        doc = _field(ev, "doc", str, where)
        if doc not in known_docs:
            check(f"{where}: evidence names a document not in documents.jsonl: {doc!r}", "kept")
        docs.append(doc)
        starts.append(_field(ev, "start", int, where))
        ends.append(_field(ev, "end", int, where))
    return docs, starts, ends


def read_output(out_dir: Path, *, strict: bool = False) -> OutputRows:
    """Read and validate a ``kg build`` output directory (documents, entities, mentions, relations).

    Raises :class:`kg.errors.InputError` naming the file and line of anything malformed.
    Lenient (the default, for exports): mentions and relations that name an unknown entity or
    document are dropped with a warning.  ``strict`` (``kg load``, whose input replaces what
    Neo4j holds): the whole folder must be complete and consistent or nothing is returned:
    the four row files present, their ``manifest.json`` entries (when there is a manifest)
    matching, every mention's entity and document and every relation's ends and evidence
    documents known, entity counts equal to the mentions, CO_OCCURS weights equal to their
    sums, no duplicates.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError(f"{out}: not a directory")
    check = _Checker(strict)
    if strict:
        for name in ROW_FILES:
            if not (out / name).is_file():
                raise InputError(f"{out / name}: missing (is {out} a complete `kg build` output directory?)")
        check_manifest(out)
    rows = OutputRows()

    doc_ids: set[str] = set()
    for number, obj in read_jsonl(out / "documents.jsonl", required=True):
        where = f"{out / 'documents.jsonl'}:{number}"
        doc_id = _field(obj, "id", str, where)
        if doc_id in doc_ids:
            check(f"{where}: duplicate document {doc_id!r}", "the later line wins")
            rows.documents = [d for d in rows.documents if d["id"] != doc_id]
        doc_ids.add(doc_id)
        text = _field(obj, "text", str, where, optional=True)  # an extracted page's text: not loaded, checked
        if text is not None and obj.get("chars") != len(text):
            check(f"{where}: 'text' holds {len(text)} characters, 'chars' says {obj.get('chars')!r}", "kept")
        rows.documents.append({
            "id": doc_id,
            "path": _field(obj, "path", str, where, optional=True),
            "title": _field(obj, "title", str, where, optional=True),
            "date": _parse_date(obj.get("date"), where),
            "chars": _field(obj, "chars", int, where, optional=True),
            "sha256": _field(obj, "sha256", str, where, optional=True),
        })

    entity_ids: dict[str, dict] = {}
    for number, obj in read_jsonl(out / "entities.jsonl", required=True):
        where = f"{out / 'entities.jsonl'}:{number}"
        label = _field(obj, "label", str, where)
        aliases = _strings(obj, "aliases", where)
        row = {
            "id": _field(obj, "id", str, where),
            "name": _field(obj, "name", str, where),
            "label": label,
            "aliases": list(dict.fromkeys(aliases)),
            "merged_by": sorted(set(_strings(obj, "merged_by", where))),
            "mention_count": _field(obj, "mention_count", int, where, optional=True) or 0,
            "doc_count": _field(obj, "doc_count", int, where, optional=True) or 0,
        }
        if row["id"] in entity_ids:
            raise InputError(f"{where}: duplicate entity id {row['id']!r}")
        neo_label = ENTITY_LABELS.get(label)
        if neo_label is None:
            log.warning("%s: unknown entity label %r; stored as a plain :Entity", where, label)
        entity_ids[row["id"]] = row
        rows.entities.setdefault(neo_label, []).append(row)

    per_pair: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    dropped = 0
    for number, obj in read_jsonl(out / "mentions.jsonl", required=False):
        where = f"{out / 'mentions.jsonl'}:{number}"
        entity, doc = _field(obj, "entity", str, where), _field(obj, "doc", str, where)
        start, end = _field(obj, "start", int, where), _field(obj, "end", int, where)
        if entity not in entity_ids or doc not in doc_ids:
            if strict:
                missing = (f"entity not in entities.jsonl: {entity!r}" if entity not in entity_ids
                           else f"document not in documents.jsonl: {doc!r}")
                check(f"{where}: mention names an {missing}", "skipped")
            dropped += 1
            continue
        per_pair[(entity, doc)].append((start, end))
    if dropped:
        log.warning("%s: %d mentions name an unknown entity or document; skipped", out / "mentions.jsonl", dropped)
    if strict:
        _check_entity_counts(out, entity_ids, per_pair)
    for (entity, doc), spans in sorted(per_pair.items()):
        spans.sort()
        rows.mentions.append({
            "entity": entity, "doc": doc, "count": len(spans),
            "offsets": [x for span in spans for x in span],
        })

    rels: dict[str, dict[tuple, dict]] = {t: {} for t in RELATION_TYPES}
    evidence_docs: set[str] = set()
    for number, obj in read_jsonl(out / "relations.jsonl", required=False):
        where = f"{out / 'relations.jsonl'}:{number}"
        rel_type = _field(obj, "type", str, where)
        if rel_type not in rels:
            check(f"{where}: unknown relation type {rel_type!r}", "skipped")
            continue
        source, target = _field(obj, "source", str, where), _field(obj, "target", str, where)
        spec = RELATIONS[rel_type]
        known = {"Entity": entity_ids, "Document": doc_ids}
        unknown = {kind: [x for k, x in ((spec.source, source), (spec.target, target)) if k == kind and x not in ids]
                   for kind, ids in known.items()}
        if any(unknown.values()):
            what = "an entity not in entities.jsonl" if unknown["Entity"] else "a document not in documents.jsonl"
            names = ", ".join(repr(x) for x in dict.fromkeys(unknown["Entity"] or unknown["Document"]))
            check(f"{where}: {rel_type} names {what}: {names}", "skipped")
            continue
        props = obj.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"{where}: properties must be an object")
        ev_docs, ev_starts, ev_ends = _evidence(obj, where, doc_ids, check)
        row: dict = {"source": source, "target": target}
        if rel_type == "CO_OCCURS":
            if source == target:
                check(f"{where}: CO_OCCURS of {source} with itself", "skipped")
                continue
            if source > target:
                row = {"source": target, "target": source}
            weights = props.get("doc_weights")
            if not isinstance(weights, dict) or not all(
                    isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in weights.items()):
                raise InputError(f"{where}: CO_OCCURS needs properties.doc_weights {{doc id: int}}")
            if "weight" in props and props["weight"] != sum(weights.values()):
                check(f"{where}: weight {props['weight']!r} != sum(doc_weights) {sum(weights.values())}",
                      "using the sum")
            for d in weights:
                if d not in doc_ids:
                    check(f"{where}: doc_weights names a document not in documents.jsonl: {d!r}", "kept")
            row["doc_weights_map"] = dict(weights)
            row["npmi"] = _field(props, "npmi", (int, float), where, optional=True)
        elif rel_type == "HOLDS_ROLE":
            row["title"] = _field(props, "title", str, where)
            # older builds have none: the title as written is its own key
            row["title_normalised"] = _field(props, "title_normalised", str, where, optional=True) or row["title"]
            docs = _field(props, "docs", list, where, optional=True) or []  # older builds: the evidence's
            if not all(isinstance(d, str) for d in docs):
                raise InputError(f"{where}: HOLDS_ROLE properties.docs must be document ids")
            for d in docs:
                if d not in doc_ids:
                    check(f"{where}: docs names a document not in documents.jsonl: {d!r}", "kept")
            row["docs_set"] = set(docs)
        elif spec.key:
            row[spec.key] = _field(props, spec.key, str, where)
        key = (row["source"], row["target"], row.get(spec.key) if spec.key else None)
        if key in rels[rel_type]:
            have = rels[rel_type][key]
            check(f"{where}: {rel_type} {key[0]} -> {key[1]} listed twice", "merged")
            if rel_type == "CO_OCCURS":
                for d, w in row["doc_weights_map"].items():
                    have["doc_weights_map"][d] = have["doc_weights_map"].get(d, 0) + w
            elif rel_type == "HOLDS_ROLE":
                have["docs_set"] |= row["docs_set"]
        else:
            have = rels[rel_type][key] = {**row, "evidence_docs": [], "evidence_starts": [], "evidence_ends": []}
        have["evidence_docs"] += ev_docs
        have["evidence_starts"] += ev_starts
        have["evidence_ends"] += ev_ends
        evidence_docs.update(ev_docs)

    for rel_type, by_key in rels.items():
        out_rows = []
        for row in by_key.values():
            evidence = sorted(zip(row["evidence_docs"], row["evidence_starts"], row["evidence_ends"], strict=True))
            row["evidence_docs"] = [e[0] for e in evidence]
            row["evidence_starts"] = [e[1] for e in evidence]
            row["evidence_ends"] = [e[2] for e in evidence]
            replace = set(row["evidence_docs"])
            if rel_type == "CO_OCCURS":
                weights = row.pop("doc_weights_map")
                row["docs"] = sorted(weights)
                row["doc_weights"] = [weights[d] for d in row["docs"]]
                row["weight"] = sum(row["doc_weights"])
                replace.update(row["docs"])
                evidence_docs.update(row["docs"])
            elif rel_type == "HOLDS_ROLE":
                row["docs"] = sorted(row.pop("docs_set") | replace)
                replace.update(row["docs"])
                evidence_docs.update(row["docs"])
            row["replace"] = sorted(replace)
            out_rows.append(row)
        rows.relations[rel_type] = out_rows

    rows.doc_ids = sorted(doc_ids | evidence_docs)
    return rows


def _check_entity_counts(out: Path, entities: dict[str, dict],
                         per_pair: dict[tuple[str, str], list[tuple[int, int]]]) -> None:
    """Each entity's mention_count/doc_count must be what mentions.jsonl holds (a cut file shows here)."""
    mentions: dict[str, int] = defaultdict(int)
    docs: dict[str, int] = defaultdict(int)
    for (entity, _doc), spans in per_pair.items():
        mentions[entity] += len(spans)
        docs[entity] += 1
    for eid, row in entities.items():
        if (row["mention_count"], row["doc_count"]) != (mentions[eid], docs[eid]):
            raise InputError(
                f"{out / 'entities.jsonl'}: entity {eid!r} has mention_count {row['mention_count']}, doc_count "
                f"{row['doc_count']}, but {out / 'mentions.jsonl'} holds {mentions[eid]} mentions in {docs[eid]} "
                "documents; refusing to load an incomplete or inconsistent build folder")


def load_graph(out_dir: str | Path) -> nx.MultiDiGraph:
    """Load a ``kg build`` output directory as a MultiDiGraph (from its JSONL files).

    Node ``aliases`` and ``merged_by`` come back as lists; edges carry ``type``, ``weight``, ``title``,
    ``directed``, ``evidence`` (a list of ``{doc, start, end}``) and, when the relation has
    them, ``npmi``, ``first_seen``, ``last_seen`` and ``year_weights``.

    Raises:
        InputError: naming the file and line of a missing file or a malformed row.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError(f"{out}: not a directory (a `kg build` output folder was expected)")
    graph = nx.MultiDiGraph()
    for number, e in read_jsonl(out / "entities.jsonl"):
        where = f"{out / 'entities.jsonl'}:{number}"
        name = _field(e, "name", str, where)
        graph.add_node(_field(e, "id", str, where), label=name, name=name, type=_field(e, "label", str, where),
                       aliases=_strings(e, "aliases", where), merged_by=_strings(e, "merged_by", where),
                       mention_count=_field(e, "mention_count", int, where, optional=True) or 0,
                       doc_count=_field(e, "doc_count", int, where, optional=True) or 0)
    for number, d in read_jsonl(out / "documents.jsonl"):
        where = f"{out / 'documents.jsonl'}:{number}"
        add_document(graph, _field(d, "id", str, where), title=_field(d, "title", str, where, optional=True),
                     path=_field(d, "path", str, where, optional=True) or "",
                     date=_field(d, "date", str, where, optional=True))
    for number, r in read_jsonl(out / "relations.jsonl"):
        where = f"{out / 'relations.jsonl'}:{number}"
        rel_type, source, target = (_field(r, key, str, where) for key in ("type", "source", "target"))
        props = r.get("properties", {})
        if not isinstance(props, dict):
            raise InputError(f"{where}: properties must be an object")
        try:
            add_relation(graph, rel_type, source, target, props, evidence=r.get("evidence", []))
        except ValueError as err:
            raise InputError(f"{where}: {err} (not in entities.jsonl / documents.jsonl)") from err
    return graph
