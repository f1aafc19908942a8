"""Titles (职务): what a post looks like.  A stand-in on the title lexicon until the learned
recogniser lands; the API is what kg.roles calls."""
from __future__ import annotations

from functools import lru_cache

from kg import gazetteer

#: ranks and honours that are no post (特级教师, 全国劳动模范): they give no role
HONOURS = ("劳动模范", "劳模", "特级教师", "一级演员", "二级演员", "三级演员", "道德模范", "先进工作者")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], int]:
    words = frozenset(gazetteer.titles()) | frozenset(HONOURS)
    return words, max(len(w) for w in words)


def title_at_start(text: str) -> str | None:
    """The longest title ``text`` starts with, or None."""
    words, longest = _lexicon()
    for n in range(min(longest, len(text)), 0, -1):
        if text[:n] in words:
            return text[:n]
    return None


def is_title(text: str) -> bool:
    return title_at_start(text) == text


def is_honour(title: str) -> bool:
    """Whether ``title`` is a rank or honour, not a post (全国劳动模范)."""
    return title.endswith(HONOURS)


def normalise_title(title: str) -> str:
    """The grouping key of a title as written (副 and 党组 kept)."""
    return title.strip()
