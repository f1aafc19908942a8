"""Writing a file whole or not at all: every writer of kg goes through here.

A file is written under a temporary name next to its target and renamed into place only when
complete (``os.replace`` is atomic on one file system), so an interrupted run never leaves half
a file; :class:`AtomicWriter` renames a set of files only once all are written.  A folder that
must change as a whole (a build, a set of CSVs, a model) is written beside its place and switched
in by :class:`StagedDirectory` / :func:`replace_directory`.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from kg.errors import DestinationError

__all__ = ["AtomicWriter", "DestinationError", "StagedDirectory", "dumps", "replace_directory", "signals_deferred",
           "write_file", "write_text"]

log = logging.getLogger(__name__)


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


#: folders no output belongs in: their files are the kernel's, not a disk's
SYSTEM_ROOTS = (Path("/proc"), Path("/sys"))
#: a destination's file system needs this much room left to be worth starting a run
MIN_FREE_BYTES = 1 << 20
_STAGING, _ASIDE = ".kg-staging-", ".kg-old-"


@contextmanager
def signals_deferred():
    """SIGINT and SIGTERM wait until the block is done (then act as they would have)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    old = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            old[signum] = signal.signal(signum, lambda signum, frame: caught.append(signum))
        yield
    finally:
        for signum, handler in old.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def _switch(staging: Path, dest: Path) -> Path:
    """Put folder ``staging`` in ``dest``'s place: the old ``dest`` is renamed aside, ``staging`` renamed
    into place, and only then the old one deleted.  SIGINT/SIGTERM wait for the two renames; a
    SIGKILL between them leaves ``dest`` missing and the old folder aside, which
    :meth:`StagedDirectory.recover` puts back."""
    aside = None
    with signals_deferred():
        if dest.is_dir():
            aside = dest.parent / f".{dest.name}{_ASIDE}{os.getpid()}"
            if os.path.lexists(aside):
                shutil.rmtree(aside)
            os.chmod(staging, stat.S_IMODE(dest.stat().st_mode) | stat.S_IRWXU)
            os.rename(dest, aside)
        try:
            os.rename(staging, dest)
        except BaseException:
            if aside is not None:
                try:
                    os.rename(aside, dest)
                except OSError:  # StagedDirectory.recover puts it back on the next run
                    log.error("%s: missing; the previous folder is in %s", dest, aside)
            raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return dest


def _alive(pid: int) -> bool:
    if pid == os.getpid():  # ours from an earlier life (containers reuse pids): stale
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


class StagedDirectory:
    """A folder written in a staging folder beside ``dest`` and put in ``dest``'s place whole.

    :meth:`check` names what makes ``dest`` unusable before any work (a file, a system folder, a
    mount point, a read-only or full disk, entries ``owned`` does not claim); :meth:`open` makes
    the staging folder ``.NAME.kg-staging-PID``; :meth:`commit` switches it in (see
    :func:`_switch`); :meth:`abort` removes it.  Problems raise :class:`kg.errors.DestinationError` (naming the path).
    """

    def __init__(self, dest: str | Path, *, owned: Callable[[str], bool] | None = None) -> None:
        self.given = Path(dest)  # as the user named it, for messages and returned paths
        self.dest = Path(os.path.realpath(dest))
        self.owned = owned
        self.path: Path | None = None
        self._made: list[Path] = []

    def recover(self) -> None:
        """Undo what a killed run left beside ``dest``: put back an old folder moved aside (when
        ``dest`` is missing) and remove the staging and aside folders of dead processes."""
        parent = self.dest.parent
        try:
            entries = sorted(os.listdir(parent))
        except OSError:
            return
        for kind in (_ASIDE, _STAGING):
            prefix = f".{self.dest.name}{kind}"
            for entry in entries:
                pid = entry[len(prefix):]
                if not entry.startswith(prefix) or not pid.isdigit() or _alive(int(pid)):
                    continue
                path = parent / entry
                try:
                    if kind == _ASIDE and not os.path.lexists(self.dest):
                        os.rename(path, self.dest)
                        log.warning("%s: put back the previous folder, which an interrupted run had moved aside", self.dest)
                    else:
                        shutil.rmtree(path)
                        log.info("%s: removed, left by an interrupted run", path)
                except OSError as err:
                    log.warning("%s: left by an interrupted run, cannot be cleaned up: %s", path, err)

    def check(self) -> None:
        """Raise :class:`DestinationError` unless ``dest`` can be replaced; cleans up after killed runs first."""
        dest = self.dest
        for root in SYSTEM_ROOTS:
            if dest == root or root in dest.parents:
                raise DestinationError(f"{dest}: under {root}, which holds the kernel's files, not a disk's; choose a folder on a disk")
        if dest == Path(dest.anchor) or os.path.ismount(dest):
            raise DestinationError(f"{dest}: a mount point; kg replaces its output folder whole, so name a folder inside it")
        if dest == Path(os.path.realpath(os.curdir)):
            raise DestinationError(f"{dest}: the current directory; kg replaces its output folder whole, so name a folder inside it")
        self.recover()
        if os.path.lexists(dest) and not dest.is_dir():
            raise DestinationError(f"{dest}: exists and is not a folder")
        if dest.is_dir() and self.owned is not None:
            foreign = [name for name in sorted(os.listdir(dest)) if not self.owned(name)]
            if foreign:
                shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
                raise DestinationError(f"{dest}: holds {shown}, which kg did not write; kg replaces this folder whole, "
                           "so name a new or empty folder, or move them out")
        ancestor = dest.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise DestinationError(f"{dest}: cannot be made: {ancestor} is a file")
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise DestinationError(f"{dest}: cannot be written: {ancestor} is not writable")
        try:
            fs = os.statvfs(ancestor)
        except OSError:
            return
        free = (fs.f_bfree if os.geteuid() == 0 else fs.f_bavail) * fs.f_frsize
        if free < MIN_FREE_BYTES:
            raise DestinationError(f"{dest}: cannot be written: the file system of {ancestor} is full ({free} bytes free)")

    def open(self) -> Path:
        """Make the staging folder (and ``dest``'s missing parents) and try writing in it; returns it."""
        parent = self.dest.parent
        self._made = [p for p in (parent, *parent.parents) if not p.exists()]  # deepest first
        staging = parent / f".{self.dest.name}{_STAGING}{os.getpid()}"
        try:
            parent.mkdir(parents=True, exist_ok=True)
            if os.path.lexists(staging):
                shutil.rmtree(staging)
            staging.mkdir()
            self.path = staging
            probe = staging / ".probe"
            with probe.open("wb") as handle:
                handle.write(b"\0" * 4096)
                handle.flush()
                os.fsync(handle.fileno())
            probe.unlink()
        except OSError as err:
            self.abort()
            raise DestinationError(f"{self.dest}: cannot write beside it in {parent}: {err.strerror or err}") from err
        return staging

    def commit(self) -> Path:
        """Put the staging folder in ``dest``'s place (the old ``dest`` goes only once it is there)."""
        if self.path is None:
            raise RuntimeError("commit() before open()")
        _switch(self.path, self.dest)
        self.path, self._made = None, []
        return self.dest

    def failed(self, err: OSError) -> Exception:
        """The :class:`DestinationError` for a write into the staging folder that failed (``dest`` is untouched): call
        :meth:`abort` first."""
        return DestinationError(f"{self.given}: cannot write ({err.strerror or err}); left as it was")

    def abort(self) -> None:
        """Remove the staging folder and the parents :meth:`open` made; ``dest`` stays as it was."""
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
        for made in self._made:
            try:
                made.rmdir()
            except OSError:
                break
        self._made = []


def replace_directory(staging: Path, dest: Path) -> Path:
    """Put the finished folder ``staging`` (written beside ``dest``) in ``dest``'s place, so a
    run that fails half-way leaves the last complete ``dest`` (a model, a vectors table)."""
    return _switch(Path(staging), Path(dest))


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
