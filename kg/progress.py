"""Progress of long work on stderr, stage by stage.

On a terminal each stage draws a tqdm bar (items/s, and an ETA when its total is known) and leaves
its last state as the stage's line.  Elsewhere (a CI log, a file, a pipe) a bar would fill the log
with redrawn lines, so a stage writes one line when it ends, and one a minute while it lasts
(with its ETA).  ``KG_PROGRESS`` overrides the choice: ``bars``, ``lines`` or ``off``; ``kg -q``
(``show=False``) silences both.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: seconds between two lines of a stage that lasts, where no bar is drawn
LINE_INTERVAL = 60.0

STYLES = ("bars", "lines", "off")


def progress_style(show: bool = True) -> str:
    """``off`` when not ``show``; else ``$KG_PROGRESS``, or ``bars`` on a terminal and ``lines``
    elsewhere."""
    if not show:
        return "off"
    chosen = os.environ.get("KG_PROGRESS", "").strip().lower()
    if chosen in STYLES:
        return chosen
    return "bars" if sys.stderr.isatty() else "lines"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}" if minutes >= 60 else f"{minutes}:{seconds:02d}"


class Stage:
    """One stage of long work, as a context: ``with Stage("entities", total=len(docs), unit="doc",
    show=...) as stage: ... stage.update()``."""

    def __init__(self, name: str, *, total: int | None = None, unit: str = "doc", show: bool = True) -> None:
        self.name, self.total, self.unit = name, total, unit
        self.style = progress_style(show)
        self.done = 0
        self._bar = None

    def __enter__(self) -> Stage:
        self._start = self._last_line = time.perf_counter()
        if self.style == "bars":
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, desc=self.name, unit=self.unit, dynamic_ncols=True, file=sys.stderr)
        return self

    def update(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.style == "lines" and time.perf_counter() - self._last_line >= LINE_INTERVAL:
            self._line(finished=False)

    def wrap(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, counting each as done once the loop comes back for the next."""
        for item in items:
            yield item
            self.update()

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.style == "lines" and exc_type is None:
            self._line(finished=True)

    def _line(self, *, finished: bool) -> None:
        now = time.perf_counter()
        self._last_line = now
        seconds = now - self._start
        rate = self.done / seconds if seconds > 0 else 0.0
        count = f"{self.done:,}" if finished or self.total is None else f"{self.done:,}/{self.total:,}"
        line = f"kg: {self.name}: {count} {self.unit}s in {_duration(seconds)} ({rate:,.1f} {self.unit}s/s"
        if not finished and self.total and rate > 0:
            line += f", ETA {_duration((self.total - self.done) / rate)}"
        print(line + ")", file=sys.stderr, flush=True)


def progress(items: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None, disable: bool = False) -> Iterator[T]:
    """``items`` as one :class:`Stage` named ``desc`` (silent when ``disable``)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with Stage(desc, total=total, unit=unit, show=not disable) as stage:
        yield from stage.wrap(items)
