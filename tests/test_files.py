"""kg.files: a folder is replaced whole or not at all, whatever stops the run and wherever."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import kg.files
from kg.files import DestinationError, StagedDirectory, signals_deferred

OLD = {"a.jsonl": "old a\n", "b.jsonl": "old b\n", "c.jsonl": "old c\n"}
NEW = {"a.jsonl": "new a\n", "b.jsonl": "new b\n", "c.jsonl": "new c\n"}


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}


def siblings(folder: Path) -> list[str]:
    """What kg left beside ``folder`` (staging and aside folders)."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def staged(dest: Path, files: dict[str, str]) -> StagedDirectory:
    output = StagedDirectory(dest)
    output.check()
    for name, text in files.items():
        (output.open() if output.path is None else output.path).joinpath(name).write_text(text, encoding="utf-8")
    return output


@pytest.fixture
def old(tmp_path) -> Path:
    dest = tmp_path / "out"
    dest.mkdir()
    for name, text in OLD.items():
        (dest / name).write_text(text, encoding="utf-8")
    return dest


def failing_rename(monkeypatch, *, fail: set[int]) -> list:
    """Make os.rename raise on the calls numbered in ``fail`` (1-based); returns the call log."""
    calls, real = [], os.rename

    def rename(src, dst, *args, **kwargs):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) in fail:
            raise OSError(f"simulated failure of rename #{len(calls)}")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    return calls


def test_commit_replaces_the_folder_whole_and_leaves_nothing_beside(old):
    output = staged(old, NEW)
    assert contents(old) == OLD  # nothing of the new run in place before the switch
    assert output.commit() == old
    assert contents(old) == NEW and siblings(old) == []


def test_a_failure_between_the_two_renames_keeps_the_complete_old_folder(old, monkeypatch):
    output = staged(old, NEW)
    calls = failing_rename(monkeypatch, fail={2})  # OUT moved aside, then staging -> OUT fails
    with pytest.raises(OSError, match="rename #2"):
        output.commit()
    output.abort()
    assert len(calls) == 3  # aside, into place (failed), back
    assert contents(old) == OLD and siblings(old) == []


def test_a_run_killed_between_the_renames_is_repaired_by_the_next(old, monkeypatch):
    output = staged(old, NEW)
    failing_rename(monkeypatch, fail={2, 3})  # the way back fails too: as if killed right after the first rename
    with pytest.raises(OSError):
        output.commit()
    monkeypatch.undo()
    assert not old.exists()  # never a mix: OUT is absent, the old folder whole beside it
    aside = [name for name in siblings(old) if ".kg-old-" in name]
    assert len(aside) == 1 and contents(old.parent / aside[0]) == OLD
    staged(old, {"x": "y"}).abort()  # the next run's check() puts the old folder back
    assert contents(old) == OLD and siblings(old) == []  # the killed run's staging folder is gone too


def test_staging_folders_of_dead_processes_are_removed_and_live_ones_kept(old):
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead, live = int(done.stdout), os.getppid()
    for pid in (dead, live):
        stale = old.parent / f".out.kg-staging-{pid}"
        stale.mkdir()
        (stale / "a.jsonl").write_text("half", encoding="utf-8")
    (old.parent / f".out.kg-old-{dead}").mkdir()  # OUT exists: an aside copy is garbage
    StagedDirectory(old).check()
    assert siblings(old) == [f".out.kg-staging-{live}"]
    assert contents(old) == OLD


def test_abort_removes_staging_and_the_parents_it_made(tmp_path):
    dest = tmp_path / "a" / "b" / "out"
    output = staged(dest, NEW)
    assert output.path.parent == tmp_path / "a" / "b"
    output.abort()
    assert list(tmp_path.iterdir()) == []


def test_check_names_what_is_wrong_with_the_destination(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "notes.txt").write_text("x", encoding="utf-8")
    cases = {
        tmp_path / "file": "not a folder",
        tmp_path / "file" / "out": "is a file",
        Path("/proc/kg-out"): "under /proc",
        Path("/sys/kg-out"): "under /sys",
        tmp_path / "theirs": "notes.txt",
    }
    for dest, message in cases.items():
        with pytest.raises(DestinationError, match=message):
            StagedDirectory(dest, owned=lambda name: name.endswith(".jsonl")).check()
    assert (tmp_path / "theirs" / "notes.txt").exists()


def test_a_full_disk_is_named_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.files, "MIN_FREE_BYTES", 1 << 62)
    with pytest.raises(DestinationError, match="full"):
        StagedDirectory(tmp_path / "out").check()


def test_open_failure_is_named_and_leaves_nothing(tmp_path, monkeypatch):
    real = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if ".kg-staging-" in self.name:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    output = StagedDirectory(tmp_path / "new" / "out")
    with pytest.raises(DestinationError, match="cannot write beside it"):
        output.open()
    assert list(tmp_path.iterdir()) == []


def test_signals_wait_until_the_switch_is_done():
    # Python's own Ctrl-C handler, whatever this run inherited: a test run started in the
    # background by a shell (`… &`) inherits SIGINT ignored, and an ignored signal raises nothing
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    done = []
    try:
        with pytest.raises(KeyboardInterrupt), signals_deferred():
            signal.raise_signal(signal.SIGINT)  # to this thread: os.kill(getpid()) may land on another one
            done.append("both renames")  # not cut short
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert done == ["both renames"]
