"""Writing a build to disk: JSONL files and GraphML, each atomically (temp file + rename).

A run writes every file to a temporary name first and renames them only once all are
written, so an interrupted run never leaves half a file and never mixes two runs.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

ALIAS_SEPARATOR = "|"


def dumps(obj) -> str:
    """One JSON line: UTF-8 characters kept, keys in given order, no trailing spaces."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class AtomicWriter:
    """Collects files in temporary names next to their targets and renames them on commit."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._pending: list[tuple[Path, Path]] = []

    @contextmanager
    def open(self, name: str):
        """Open ``name`` for writing (text, UTF-8, ``\\n`` newlines) under a temporary name."""
        target = self.out_dir / name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                yield handle
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._pending.append((Path(tmp), target))

    def write_jsonl(self, name: str, rows: Iterable[dict]) -> None:
        with self.open(name) as handle:
            for row in rows:
                handle.write(dumps(row) + "\n")

    def write_bytes(self, name: str, data: bytes) -> None:
        target = self.out_dir / name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        self._pending.append((Path(tmp), target))

    def commit(self) -> list[Path]:
        """Rename every pending file into place; returns the final paths."""
        done = []
        for tmp, target in self._pending:
            os.replace(tmp, target)
            done.append(target)
        self._pending.clear()
        return done

    def abort(self) -> None:
        """Remove pending temporary files (targets from earlier runs stay untouched)."""
        for tmp, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending.clear()


def graph_for_graphml(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with GraphML-safe attributes: lists joined with ``|``, one type per key."""
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = dict(data)
        attrs["aliases"] = ALIAS_SEPARATOR.join(attrs.get("aliases", []))
        flat.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: val for k, val in data.items() if k != "evidence"}
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """Serialise the graph as GraphML (deterministic: nodes and edges in graph order)."""
    buffer = io.BytesIO()
    nx.write_graphml(graph_for_graphml(graph), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()
