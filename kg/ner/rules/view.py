"""The view of one parsed paragraph that every rule reads, and the span helpers rules share.

A :class:`Paragraph` is built once per paragraph: the spaCy ``Doc`` (one token per character),
its text (spaCy builds ``Doc.text`` from a Token object per character on every call), the
segmenter's words (read from the tokenizer's B/M/E/S tags) and the annotation convention.
Rules never assign ``doc.ents``: they take the current spans and return new ones (sorted by
start, non-overlapping); :func:`kg.ner.rules.apply_rules` assigns them once at the end.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

__all__ = ["Paragraph", "drop_organisations", "replace_organisations", "segmenter_word_lengths", "settle"]

#: a ``TAG`` id -> its first letter (the B/M/E/S word position, or ``_`` of ``_SP``)
_TAG_POSITIONS: dict[int, str] = {0: ""}


def segmenter_word_lengths(sdoc) -> dict[int, int]:
    """Character offset where each segmenter word ends -> the word's length in characters,
    read from the tokenizer's B/M/E/S tags (as arrays: no Token objects)."""
    from spacy.attrs import IDX, LENGTH, TAG

    lengths: dict[int, int] = {}
    if not len(sdoc):
        return lengths
    positions, strings = _TAG_POSITIONS, sdoc.vocab.strings
    start = 0
    for tag, idx, length in sdoc.to_array([TAG, IDX, LENGTH]).tolist():
        where = positions.get(tag)
        if where is None:
            where = positions[tag] = strings[tag][:1]
        if where in ("B", "S"):
            start = idx
        if where in ("E", "S"):
            lengths[idx + length] = idx + length - start
    return lengths


class Paragraph:
    """One parsed paragraph as the rules read it.

    Attributes:
        doc: the spaCy ``Doc`` (character tokens); its ``ents`` are the model's spans until the
            runner assigns the rules' spans.
        text: the paragraph's text, read once.
        convention: the annotation convention to follow: ``""`` (kg's) or ``"msra"``.
        word_len: end offset of each segmenter word -> its length (read when first asked for).
        word_starts: start offset of each segmenter word.
    """

    def __init__(self, doc, text: str | None = None, convention: str = "") -> None:
        self.doc = doc
        self.text = doc.text if text is None else text
        self.convention = convention

    @cached_property
    def word_len(self) -> dict[int, int]:
        return segmenter_word_lengths(self.doc)

    @cached_property
    def word_starts(self) -> set[int]:
        return {end - length for end, length in self.word_len.items()}

    def span(self, start: int, end: int, label: str):
        """The span of characters ``start:end`` labelled ``label`` (``None`` off token bounds)."""
        return self.doc.char_span(start, end, label=label)


def settle(spans: list) -> list:
    """``spans`` without overlaps (the longer span stays; spaCy's ``filter_spans``), sorted by start."""
    from spacy.util import filter_spans

    return filter_spans(spans)


def drop_organisations(spans: list, unwanted: Callable) -> list:
    """``spans`` less the ORG spans for which ``unwanted(span)`` is true."""
    kept = [e for e in spans if not (e.label_ == "ORG" and unwanted(e))]
    return kept if len(kept) != len(spans) else spans


def replace_organisations(spans: list, replacement: Callable) -> list:
    """``replacement(span)`` in place of each ORG span for which it returns a span (``None``:
    keep it); where a grown span now overlaps another, the longer one stays."""
    result, changed = [], False
    for ent in spans:
        new = replacement(ent) if ent.label_ == "ORG" else None
        result.append(ent if new is None else new)
        changed |= new is not None
    return settle(result) if changed else spans
