"""Paragraphs with the spans a test gives them, and a rule's answer as (text, label) pairs."""
from __future__ import annotations

from itertools import pairwise

import spacy

from kg.ner.rules import Paragraph


def doc_with(text: str, ents: list[tuple[str, str]]):
    """A parsed paragraph (kg's tokenizer, no model) whose entities are ``ents``, each at the
    first occurrence of its text."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1"}}})
    doc = nlp(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    return doc


def pairs(spans) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in spans]


def ents(doc) -> list[tuple[str, str]]:
    return pairs(doc.ents)


def run(rule, text: str, spans: list[tuple[str, str]], convention: str = "", **kwargs) -> list[tuple[str, str]]:
    """What paragraph ``rule`` makes of ``spans`` in ``text``; the rule must return spans sorted
    by start and not overlapping, and leave ``doc.ents`` alone."""
    doc = doc_with(text, spans)
    before = ents(doc)
    found = rule(Paragraph(doc, convention=convention), list(doc.ents), **kwargs)
    assert ents(doc) == before, "a rule returns its spans; it never assigns doc.ents"
    assert all(a.end_char <= b.start_char for a, b in pairwise(found)), "sorted, not overlapping"
    return pairs(found)


def run_document(rule, paragraphs: list[tuple[str, list[tuple[str, str]]]]) -> list[list[tuple[str, str]]]:
    """What document ``rule`` makes of a document's paragraphs ``(text, spans)``."""
    docs = [doc_with(text, spans) for text, spans in paragraphs]
    found = rule([Paragraph(doc) for doc in docs], [list(doc.ents) for doc in docs])
    return [pairs(spans) for spans in found]
