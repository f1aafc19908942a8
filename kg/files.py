"""Writing a file whole or not at all: every writer of kg goes through here.

A file is written under a temporary name next to its target and renamed into place only when
complete (``os.replace`` is atomic on one file system), so an interrupted run never leaves half
a file; :class:`AtomicWriter` renames a set of files only once all are written.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

__all__ = ["AtomicWriter", "dumps", "replace_directory", "write_file", "write_text"]


def _file_mode() -> int:
    """Permission bits of a new file, as open() would give (mkstemp alone gives 0600)."""
    try:  # Linux tells the umask without changing it
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def dumps(obj) -> str:
    """One JSON line: UTF-8 characters kept, keys in given order, no trailing spaces."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class AtomicWriter:
    """Collects files in temporary names next to their targets and renames them on commit."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._pending: list[tuple[Path, Path]] = []

    def _mkstemp(self, name: str) -> tuple[int, str]:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
        try:
            os.fchmod(fd, _file_mode())
        except (AttributeError, OSError):  # pragma: no cover - platforms without fchmod
            pass
        return fd, tmp

    @contextmanager
    def open(self, name: str):
        """Open ``name`` for writing (text, UTF-8, ``\\n`` newlines) under a temporary name."""
        target = self.out_dir / name
        fd, tmp = self._mkstemp(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                yield handle
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._pending.append((Path(tmp), target))

    def write_jsonl(self, name: str, rows: Iterable[dict]) -> None:
        """Write ``rows`` as JSON Lines to ``name`` (pending until :meth:`commit`)."""
        with self.open(name) as handle:
            for row in rows:
                handle.write(dumps(row) + "\n")

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write ``data`` to ``name`` (pending until :meth:`commit`)."""
        target = self.out_dir / name
        fd, tmp = self._mkstemp(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
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


def replace_directory(staging: Path, dest: Path) -> Path:
    """Put the finished folder ``staging`` (written beside ``dest``) in ``dest``'s place, so a
    run that fails half-way leaves the last complete ``dest`` (a model, a vectors table)."""
    if dest.exists():
        shutil.rmtree(dest)
    staging.rename(dest)
    return dest


def write_file(dest: str | Path, data: bytes) -> Path:
    """Write one file atomically: a temporary name next to ``dest``, renamed when complete."""
    dest = Path(dest)
    writer = AtomicWriter(dest.parent)
    try:
        writer.write_bytes(dest.name, data)
    except BaseException:
        writer.abort()
        raise
    return writer.commit()[0]


def write_text(dest: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``dest`` atomically."""
    return write_file(dest, text.encode("utf-8"))
