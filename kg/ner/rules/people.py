"""Rules about people: "people" the model found that are places, organisations or things."""
from __future__ import annotations

import re

from kg.gazetteer import non_person_endings, org_suffixes
from kg.naming import ADMIN_SUFFIXES

from .places import leading_place, place_stems
from .shapes import clause_around, names_organisation
from .view import Paragraph, settle

__all__ = ["drop_people_listed_among_things", "relabel_misshapen_people"]

_WORD = re.compile(r"\S+")


def relabel_misshapen_people(paragraph: Paragraph, spans: list) -> list:
    """A "person" shaped like a place or an organisation is one: a PER span ending in an
    administrative unit (克什克腾旗) is LOC, one ending in an organisation word (…教育局) is ORG,
    a PER span followed at once by a short segmenter word ending in 旗/县/盟 (克什克 + 腾旗,
    a transliterated banner name cut by the segmenter) is LOC over both, one that opens with a
    known place word is that place (乌兰察布市 + 南|瓜子), one holding a space is the names
    on either side (记者 冯雪玉 孙柳), one that opens a known place's name (科尔沁 of 科尔沁区,
    :func:`kg.ner.rules.places.place_stems`) is the region it names, and one ending in a character
    that ends no person in the training corpora (``models/non_person_endings.tsv``: the mine
    福元铌矿) takes the label names ending in it have."""
    text, lengths = paragraph.text, paragraph.word_len
    next_word = {end - length: end for end, length in lengths.items()}
    suffixes, endings = org_suffixes(), non_person_endings()
    result, changed = [], False
    for ent in spans:
        span = ent
        if ent.label_ == "PER" and any(ch.isspace() for ch in ent.text):
            # two bylined names read as one (记者 冯雪玉 孙柳): a name never holds a space
            parts = (paragraph.span(m.start(), m.end(), "PER")
                     for m in _WORD.finditer(text, ent.start_char, ent.end_char) if len(m.group()) >= 2)
            result += [part for part in parts if part is not None]
            changed = True
            continue
        place = leading_place(text, ent, lengths) if ent.label_ == "PER" else None
        if place is not None:
            # a place read into a name (乌兰察布市 + 南瓜子 read as the person 乌兰察布市南)
            span = paragraph.span(ent.start_char, ent.start_char + len(place), "LOC")
        elif ent.label_ == "PER" and "·" not in ent.text and len(ent.text) >= 3:
            name = ent.text
            if names_organisation(name, suffixes) and len(name) >= 4:
                span = paragraph.span(ent.start_char, ent.end_char, "ORG")
            elif name.endswith(ADMIN_SUFFIXES):
                span = paragraph.span(ent.start_char, ent.end_char, "LOC")
            else:
                end = next_word.get(ent.end_char)
                if end and end - ent.end_char <= 2 and text[end - 1] in "旗县盟":
                    span = paragraph.span(ent.start_char, end, "LOC")
        if span is None:
            span = ent
        if span is ent and ent.label_ == "PER" and len(ent.text) >= 3 and ent.text in place_stems():
            # the opening of a known place's name (科尔沁 of 科尔沁区): the region it names
            span = paragraph.span(ent.start_char, ent.end_char, "LOC")
        if span is ent and ent.label_ == "PER" and ent.text[-1] in endings:
            span = paragraph.span(ent.start_char, ent.end_char, endings[ent.text[-1]])
        changed = changed or span is not ent
        result.append(span)
    return settle(result) if changed else spans


def drop_people_listed_among_things(paragraph: Paragraph, spans: list) -> list:
    """A "person" that is one item of a 、-list whose other items (two or more) the model
    found no entity in is no person: the list is of things (高纯铝、高纯氧化铝、化成箔: 高纯铝,
    high-purity aluminium, read as a name).  People are listed with people, and the model finds
    the others."""
    text = paragraph.text
    if "、" not in text:
        return spans
    covered = {i for e in spans for i in range(e.start_char, e.end_char)}
    keep, dropped = [], False
    for ent in spans:
        if ent.label_ == "PER" and "、" in (text[ent.start_char - 1:ent.start_char], text[ent.end_char:ent.end_char + 1]):
            start, end = clause_around(text, ent.start_char, ent.end_char)
            others, pos = [], start
            for item in text[start:end].split("、"):
                if item and not pos <= ent.start_char < pos + len(item):  # not the person's own item
                    others.append(range(pos, pos + len(item)))
                pos += len(item) + 1
            if len(others) >= 2 and not any(i in covered for item in others for i in item):
                dropped = True
                continue
        keep.append(ent)
    return keep if dropped else spans
