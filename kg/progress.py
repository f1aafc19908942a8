"""The one progress-bar helper: tqdm on stderr, silent when not wanted or not a terminal-less CI."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None, disable: bool = False) -> Iterator[T]:
    """Wrap ``items`` in a progress bar on stderr (tqdm), or pass them through when disabled."""
    if disable:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=desc, unit=unit, total=total, leave=False, dynamic_ncols=True)
