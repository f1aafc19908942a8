"""kg's entity rules: functions that take the spans found so far and return new ones
(textacy ``extract`` style), in ONE ordered list, :data:`RULES`, run by ONE runner.

A paragraph rule is ``rule(paragraph, spans) -> spans``, over one :class:`Paragraph`; a document
rule is ``rule(paragraphs, spans_per_paragraph) -> spans_per_paragraph``, over a document's
paragraphs.  Spans are spaCy ``Span`` objects, sorted by start and not overlapping, as
``doc.ents`` gives them; no rule assigns ``doc.ents``.

:func:`apply_rules` runs every rule over one document's parsed paragraphs and assigns each
paragraph's ``doc.ents`` once.  ``kg build`` runs the two stages apart: the paragraph rules in
the spaCy pipeline (:func:`apply_paragraph_rules`, in the worker processes), the document rules
after it (:func:`apply_document_rules`); ``kg evaluate`` runs :func:`apply_rules` over each
sentence as a document of its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from .document import tag_company_short_forms, trim_people_adverbs
from .extension import extend_place_to_organisation
from .organisations import (
    complete_bracketed_names,
    complete_brandless_companies,
    cut_run_on_organisations,
    drop_concepts,
    drop_references,
    join_conjoined_units,
    tag_known_organisations,
    tag_listed_organisations,
    tag_organisations_before_titles,
)
from .people import drop_people_listed_among_things, relabel_misshapen_people
from .places import split_place_chains, tag_known_places
from .things import drop_short_names_read_as_words, trim_things_to_places
from .view import Paragraph, segmenter_word_lengths

__all__ = [
    "DOCUMENT",
    "PARAGRAPH",
    "RULES",
    "Paragraph",
    "Rule",
    "apply_document_rules",
    "apply_paragraph_rules",
    "apply_rules",
    "run_document_rules",
    "run_paragraph_rules",
    "segmenter_word_lengths",
]

PARAGRAPH, DOCUMENT = "paragraph", "document"


@dataclass(frozen=True)
class Rule:
    """One rule of :data:`RULES`: its name, its function and its scope (:data:`PARAGRAPH`: it
    reads one paragraph; :data:`DOCUMENT`: it reads all the paragraphs of a document)."""

    name: str
    func: Callable
    scope: str


#: every rule, in the order it runs: the paragraph rules, then the document rules
RULES: tuple[Rule, ...] = tuple(Rule(func.__name__, func, scope) for func, scope in (
    (tag_known_places, PARAGRAPH),
    (split_place_chains, PARAGRAPH),
    (tag_known_organisations, PARAGRAPH),
    (relabel_misshapen_people, PARAGRAPH),
    (drop_people_listed_among_things, PARAGRAPH),
    (extend_place_to_organisation, PARAGRAPH),
    (tag_listed_organisations, PARAGRAPH),
    (complete_brandless_companies, PARAGRAPH),
    (complete_bracketed_names, PARAGRAPH),
    (join_conjoined_units, PARAGRAPH),
    (drop_references, PARAGRAPH),
    (drop_concepts, PARAGRAPH),
    (trim_things_to_places, PARAGRAPH),
    (drop_short_names_read_as_words, PARAGRAPH),
    (cut_run_on_organisations, PARAGRAPH),
    (tag_organisations_before_titles, PARAGRAPH),
    (tag_company_short_forms, DOCUMENT),
    (trim_people_adverbs, DOCUMENT),
))
assert all(a.scope == PARAGRAPH or b.scope == DOCUMENT for a, b in pairwise(RULES)), \
    "the paragraph rules run first: the document rules see each paragraph's final spans"


def _rules(scope: str) -> list[Rule]:
    return [rule for rule in RULES if rule.scope == scope]


def run_paragraph_rules(paragraph: Paragraph, spans: list) -> list:
    """The spans every paragraph rule of :data:`RULES` makes of ``spans``, in order."""
    for rule in _rules(PARAGRAPH):
        spans = rule.func(paragraph, spans)
    return spans


def run_document_rules(paragraphs: list[Paragraph], spans_per_paragraph: list[list]) -> list[list]:
    """The spans every document rule of :data:`RULES` makes of a document's paragraphs' spans."""
    for rule in _rules(DOCUMENT):
        spans_per_paragraph = rule.func(paragraphs, spans_per_paragraph)
    return spans_per_paragraph


def _assign(paragraph: Paragraph, before: tuple, spans: list) -> None:
    if tuple(spans) != before:
        paragraph.doc.ents = spans


def apply_rules(docs: list, texts: list[str] | None = None, convention: str = "") -> None:
    """Run every rule of :data:`RULES` over one document's parsed paragraphs ``docs`` (spaCy
    ``Doc`` objects, their texts ``texts`` when known), following ``convention`` (``""``: kg's;
    ``"msra"``), and assign each paragraph's ``doc.ents`` once, at the end."""
    paragraphs = [Paragraph(doc, text, convention) for doc, text in zip(docs, texts or [None] * len(docs))]
    before = [tuple(doc.ents) for doc in docs]
    spans = [run_paragraph_rules(paragraph, list(ents)) for paragraph, ents in zip(paragraphs, before)]
    spans = run_document_rules(paragraphs, spans)
    for paragraph, ents, new in zip(paragraphs, before, spans):
        _assign(paragraph, ents, new)


def apply_paragraph_rules(doc, convention: str = "", text: str | None = None) -> None:
    """The paragraph stage of :func:`apply_rules` over one parsed paragraph ``doc``: every
    paragraph rule, then ``doc.ents`` assigned once (what the pipeline component
    ``kg_entity_rules`` runs, in spaCy's worker processes)."""
    before = tuple(doc.ents)
    paragraph = Paragraph(doc, text, convention)
    _assign(paragraph, before, run_paragraph_rules(paragraph, list(before)))


def apply_document_rules(docs: list, texts: list[str] | None = None, convention: str = "") -> None:
    """The document stage of :func:`apply_rules` over one document's paragraphs ``docs``, whose
    paragraph rules have run (:func:`apply_paragraph_rules`): every document rule, then each
    paragraph's ``doc.ents`` assigned once."""
    paragraphs = [Paragraph(doc, text, convention) for doc, text in zip(docs, texts or [None] * len(docs))]
    before = [tuple(doc.ents) for doc in docs]
    spans = run_document_rules(paragraphs, [list(ents) for ents in before])
    for paragraph, ents, new in zip(paragraphs, before, spans):
        _assign(paragraph, ents, new)
