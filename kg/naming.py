"""Chinese naming knowledge as data plus tiny functions, shared by every stage."""
from __future__ import annotations

import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """The feature form of a word or character: NFKC (full-width digits and letters become
    ASCII, as 2020s pages print them) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    return fold(ch)


@lru_cache(maxsize=262144)
def fold_word(word: str) -> str:
    return fold(word)
