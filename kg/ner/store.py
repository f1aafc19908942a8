"""The per-document store: what the NER found in each document, kept on disk between builds.

The NER is the one per-document step that costs (some 90% of a build's time); everything after
it reads the whole corpus (linking, weights, association scores) and is redone each build.  So
``kg build --out DIR`` keeps, in ``DIR/store.sqlite``, the entity spans of every document it
read, keyed by the SHA-256 of the document's paragraph texts (:func:`paragraphs_key`), and
stamps the file with the digest of everything that decides those spans (:func:`ner_digest`:
the model, kg's shipped data, kg's own code, the rules switch).  The next build of a grown
archive runs the NER only on documents whose paragraphs it has not seen; a changed document
is a new key, a deleted one is dropped from the store, and a store of another model or
another kg is not read at all.  The outputs are the same as a fresh build's (tested).

Why SQLite: it is in Python's standard library (no new dependency), one file, transactional
(a killed build leaves the previous store whole, as it leaves the previous outputs), and a
keyed lookup of a few thousand documents is a few milliseconds; Parquet or Arrow files would
add pyarrow (some 40 MB) and make "look these keys up, add those" a rewrite of the file.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kg.resources import MODELS
from kg.schema import Document

#: the layout of the file; another is not read
SCHEMA_VERSION = 1

#: what the NER found in one document: for each paragraph, ``(start, end, label)`` with offsets
#: into the paragraph (what :func:`kg.ner.recognizer.entity_spans` gives)
Spans = list[list[tuple[int, int, str]]]

_KG_SOURCE = Path(__file__).resolve().parent.parent


def paragraphs_key(doc: Document) -> str:
    """The store's key of ``doc``: SHA-256 of its paragraph texts, each ended by U+001E.  The NER
    reads the paragraphs alone, so a document moved, renamed or given another id keeps its key,
    and any change to what the NER reads gives a new one."""
    digest = hashlib.sha256()
    for p in doc.paragraphs:
        digest.update(doc.text[p.start:p.end].encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def _tree_files(root: Path, suffixes: tuple[str, ...] | None = None, skip: Sequence[Path] = ()) -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and Path(folder, d) not in skip)
        files += [Path(folder, n) for n in sorted(names) if suffixes is None or n.endswith(suffixes)]
    return files


#: (model, rules) -> (the files' paths, sizes and times, their digest): hashed again only when one changed
_DIGESTS: dict[tuple[Path, bool], tuple[tuple, str]] = {}


def _digest_inputs(model: Path) -> list[tuple[str, Path]]:
    """(name in the digest, path) of every file :func:`ner_digest` reads, in a fixed order."""
    parts = [("model", model, _tree_files(model)),
             ("data", MODELS, _tree_files(MODELS, skip=[model]) if MODELS.is_dir() else []),
             ("code", _KG_SOURCE, _tree_files(_KG_SOURCE, (".py",), skip=[_KG_SOURCE / "training",
                                                                      _KG_SOURCE / "models"]))]
    return [(f"{name}/{path.relative_to(root).as_posix()}", path) for name, root, files in parts for path in files
            if not (name == "data" and path.name == "README.md")]


def ner_digest(model: str | Path, rules: bool) -> str:
    """SHA-256 of what decides the NER's spans: the files of the ``model`` folder, kg's shipped
    data (:data:`kg.resources.MODELS`: segmenter, lexicons, place lists the rules read), kg's own
    code but its training package, and ``rules``.  Any change makes a store unreadable rather
    than wrong.  Hashed once per process unless a file's size or time changes."""
    model = Path(model).resolve()
    inputs = _digest_inputs(model)
    signature = tuple((name, path.stat().st_size, path.stat().st_mtime_ns) for name, path in inputs)
    known = _DIGESTS.get((model, bool(rules)))
    if known is not None and known[0] == signature:
        return known[1]
    digest = hashlib.sha256(f"kg-ner-store {SCHEMA_VERSION} rules={bool(rules)}\n".encode())
    for name, path in inputs:
        digest.update(f"{name}\n".encode())
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    _DIGESTS[(model, bool(rules))] = (signature, digest.hexdigest())
    return digest.hexdigest()


class SpanStore:
    """The entity spans of documents by :func:`paragraphs_key`, in one SQLite file stamped with
    a :func:`ner_digest`.

    Opening a file stamped with another digest, or of another layout, or not SQLite at all,
    starts it empty (the build then runs the NER on everything and says why in the log).
    Writes go into one transaction that :meth:`close` commits: a build that stops keeps the
    file as it was.
    """

    def __init__(self, path: str | Path, digest: str) -> None:
        self.path = Path(path)
        self.digest = digest
        self.reset_reason: str | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as err:  # not a database, or a damaged one: start afresh
            self.reset_reason = f"unreadable ({err})"
            self.path.unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta and (meta.get("schema") != str(SCHEMA_VERSION) or meta.get("digest") != self.digest):
            self.reset_reason = ("made by another model, data or kg version" if meta.get("schema") == str(SCHEMA_VERSION)
                                 else "of another layout")
            db.execute("DROP TABLE IF EXISTS spans")
            db.execute("DELETE FROM meta")
            meta = {}
        db.execute("CREATE TABLE IF NOT EXISTS spans (key TEXT PRIMARY KEY, spans TEXT NOT NULL) WITHOUT ROWID")
        if not meta:
            db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", str(SCHEMA_VERSION)), ("digest", self.digest)])
        db.commit()
        return db

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM spans").fetchone()[0]

    def get_many(self, keys: Iterable[str]) -> dict[str, Spans]:
        """The stored spans of those of ``keys`` the store holds."""
        found: dict[str, Spans] = {}
        keys = list(dict.fromkeys(keys))
        for i in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            part = keys[i:i + 500]
            rows = self._db.execute(f"SELECT key, spans FROM spans WHERE key IN ({','.join('?' * len(part))})", part)
            found.update((key, _decode(text)) for key, text in rows)
        return found

    def put_many(self, items: Mapping[str, Spans] | Iterable[tuple[str, Spans]]) -> None:
        """Store the spans of documents (``key -> spans``); committed by :meth:`close`."""
        pairs = items.items() if isinstance(items, Mapping) else items
        self._db.executemany("INSERT OR REPLACE INTO spans VALUES (?, ?)",
                             ((key, json.dumps(spans, separators=(",", ":"), ensure_ascii=False)) for key, spans in pairs))

    def keep_only(self, keys: Iterable[str]) -> int:
        """Drop every document but ``keys`` (those of the archive just built); returns how many went."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (key TEXT PRIMARY KEY) WITHOUT ROWID")
        self._db.execute("DELETE FROM wanted")
        self._db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))
        gone = self._db.execute("DELETE FROM spans WHERE key NOT IN (SELECT key FROM wanted)").rowcount
        self._db.execute("DROP TABLE wanted")
        return gone

    def close(self, *, commit: bool = True) -> None:
        """Commit (unless ``commit`` is false) and close the file; a file that has become mostly
        free pages (an archive that shrank) is compacted."""
        if commit:
            self._db.commit()
            pages, free = (self._db.execute(f"PRAGMA {what}").fetchone()[0] for what in ("page_count", "freelist_count"))
            if free > 256 and free * 2 > pages:
                self._db.execute("VACUUM")
        else:
            self._db.rollback()
        self._db.close()


def _decode(text: str) -> Spans:
    return [[(start, end, label) for start, end, label in paragraph] for paragraph in json.loads(text)]
