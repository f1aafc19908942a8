"""The article of a saved news web page (.html/.htm), read with trafilatura.

Menus, footers, sidebars and comments are left out; each block of the article (headline,
paragraph, table row) becomes a paragraph of the page text, separated by a blank line, which
is what :func:`kg.ingest.repair` reads as a paragraph break.  The title and date trafilatura
finds in the page's metadata come with it; the date only from markup and metadata (no guess
from a copyright line), so the same file always gives the same date.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from kg.errors import InputError

__all__ = ["Article", "MIN_ARTICLE_CHARS", "extract_article"]

#: an extraction with fewer non-space characters than this is no article (a menu, a lone link)
MIN_ARTICLE_CHARS = 10
#: htmldate's bounds: fixed, so a build does not depend on the day it runs
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "min_date": "1990-01-01", "max_date": "2099-12-31"}


@dataclass(frozen=True)
class Article:
    """The text of a page's article, paragraphs separated by blank lines, and its metadata."""

    text: str
    title: str | None = None
    date: str | None = None


@functools.cache
def _trafilatura():
    """trafilatura, imported on first use (a fifth of a second), its own log quiet: kg names the problem."""
    import trafilatura
    from trafilatura.settings import use_config

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(2 ** 40))  # kg's --max-file-size is the limit
    return trafilatura, config


def extract_article(html: str, source: str) -> Article:
    """The article of the web page ``html`` (decoded text), in precision mode, without comments.

    Raises:
        InputError: naming ``source`` when the page holds no article text.
    """
    if not html.strip():
        raise InputError(f"{source}: empty HTML page, no article text")
    trafilatura, config = _trafilatura()
    try:
        found = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, favor_precision=True,
            date_extraction_params=dict(_DATE_PARAMS), config=config,
        )
    except Exception as err:  # trafilatura raises little, but a parser may; the file is then bad, not kg
        raise InputError(f"{source}: HTML page trafilatura cannot read ({type(err).__name__}: {err})") from err
    lines = [line.strip() for line in (found.text or "").splitlines()] if found is not None else []
    text = "\n\n".join(line for line in lines if line)
    if sum(not ch.isspace() for ch in text) < MIN_ARTICLE_CHARS:
        shown = f": only {text.replace(chr(10) * 2, ' ')!r}" if text else ""
        raise InputError(f"{source}: no article text found in the HTML page{shown} "
                         "(a menu, a list of links or a page of scripts?)")
    return Article(text, title=(found.title or "").strip() or None, date=found.date or None)
