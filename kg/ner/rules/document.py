"""Document-level rules: what one paragraph of a document says about the names in the others.
Each takes the document's paragraphs and their spans, and returns the new spans of each."""
from __future__ import annotations

import re

from kg.naming import PERSON_ADVERB_ENDINGS, company_short_forms

from .organisations import tag_organisation_names
from .view import Paragraph

__all__ = ["tag_company_short_forms", "trim_people_adverbs"]


def tag_company_short_forms(paragraphs: list[Paragraph], spans_per_paragraph: list[list]) -> list[list]:
    """A company a document names in full is then called by a short form (天津合生生物科技有限公司,
    then 合生生物; 金宇保灵生物药品有限公司, then 金宇保灵): every occurrence of a short form
    (:func:`kg.naming.company_short_forms`) of a company found in one of the document's
    ``paragraphs`` is an organisation, where it starts and ends at segmenter word boundaries and
    overlaps no entity but a person or place of exactly its span (the model read the brand as a
    name: 金宇保灵 as a person).

    Spreading every name found to its other occurrences was tried (models/README.md): on the
    seed pages it spread the model's errors (现代煤化工, a company read as a person) as often
    as it found names."""
    short_forms = {short for spans in spans_per_paragraph for ent in spans if ent.label_ == "ORG"
                   for short in company_short_forms(ent.text)}
    if not short_forms:
        return spans_per_paragraph
    pattern = re.compile("|".join(re.escape(n) for n in sorted(short_forms, key=len, reverse=True)))
    return [tag_organisation_names(paragraph, spans, pattern, misread=("PER", "LOC"))
            for paragraph, spans in zip(paragraphs, spans_per_paragraph)]


def trim_people_adverbs(paragraphs: list[Paragraph], spans_per_paragraph: list[list]) -> list[list]:
    """A person a document names as X is X wherever the model read X + a one-character adverb
    (:data:`kg.naming.PERSON_ADVERB_ENDINGS`) as a person: 苏都正伏案打磨 ("苏都 was just then
    polishing") gave the person 苏都正, and 苏都说 later in the page the person 苏都.  Only with
    the shorter name found as a person in the same document, and of two characters or more:
    王建正 alone is a name."""
    from spacy.tokens import Span

    people = {ent.text for spans in spans_per_paragraph for ent in spans if ent.label_ == "PER"}
    result = []
    for paragraph, spans in zip(paragraphs, spans_per_paragraph):
        sdoc = paragraph.doc
        trimmed = [Span(sdoc, ent.start, ent.end - 1, label="PER")
                   if ent.label_ == "PER" and len(ent.text) >= 3 and ent.text[-1] in PERSON_ADVERB_ENDINGS
                   and sdoc[ent.end - 1].text == ent.text[-1] and ent.text[:-1] in people else ent
                   for ent in spans]
        result.append(trimmed if trimmed != spans else spans)
    return result
