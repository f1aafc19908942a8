"""Rules about things that are not entities: events, products and minerals named after a place
(呼和浩特马拉松赛, 阿拉善英雄会, 青城App), and short names the sentence reads as a verb or an
adjective (全面|联通: to connect fully)."""
from __future__ import annotations

from kg.gazetteer import adverbs, org_suffixes, place_names
from kg.naming import ASSEMBLY_BODIES, MODAL_VERBS, THING_HEADS, fold

from .view import Paragraph, settle

__all__ = ["drop_short_names_read_as_words", "trim_things_to_places"]

#: words ending in 展 that are verbs, not exhibitions (发展, 开展), and a league (联赛)
_VERBS_ENDING_IN_THING_HEADS = ("发展", "开展", "进展", "拓展", "扩展", "施展", "联赛")


def _names_a_thing(name: str) -> bool:
    """Whether ``name`` ends like an event, a product or a mineral (:data:`THING_HEADS`), not like
    a body (:data:`ASSEMBLY_BODIES`, ``models/org_suffixes.txt``)."""
    folded = fold(name)
    if not folded.endswith(THING_HEADS) or folded.endswith(_VERBS_ENDING_IN_THING_HEADS):
        return False
    return not (folded.endswith("会") and folded.endswith(ASSEMBLY_BODIES + org_suffixes()))


def trim_things_to_places(paragraph: Paragraph, spans: list) -> list:
    """An "organisation" or "place" of two words or more whose name ends like an event, a product
    or a mineral (鄂尔多斯国际那达慕, 阿拉善英雄会, 爱青城App, 白云鄂博矿床) is a thing, not an entity: the
    known place it opens with stays, as LOC (鄂尔多斯); without one the span goes.  A span of one
    segmenter word (马赛, 凡尔赛: places) is left alone."""
    lengths, starts = paragraph.word_len, paragraph.word_starts
    names, changed, result = place_names(), False, []
    for ent in spans:
        one_word = lengths.get(ent.end_char) == len(ent.text)
        if ent.label_ not in ("ORG", "LOC") or one_word or not _names_a_thing(ent.text):
            result.append(ent)
            continue
        changed = True
        place = next((k for k in range(len(ent.text) - 1, 1, -1)
                      if ent.text[:k] in names and ent.start_char + k in lengths), 0)
        if place and ent.start_char in starts:
            span = paragraph.span(ent.start_char, ent.start_char + place, "LOC")
            if span is not None:
                result.append(span)
    return settle(result) if changed else spans


def drop_short_names_read_as_words(paragraph: Paragraph, spans: list) -> list:
    """A two-character "organisation" of one word, not ending like one (``models/org_suffixes.txt``:
    局, 会), right after an adverb (``models/adverbs.txt``: 全面, 已, 不) or a
    modal verb (要, 能) is a verb or an adjective, not the organisation whose short name it spells
    (快速路网全面|联通: "fully connected"; 要|联通数据)."""
    text, lengths = paragraph.text, paragraph.word_len
    words_before, suffixes = set(adverbs()) | set(MODAL_VERBS), org_suffixes()

    def read_as_word(ent) -> bool:
        if ent.label_ != "ORG" or len(ent.text) != 2 or lengths.get(ent.end_char) != 2 \
                or ent.text.endswith(suffixes):
            return False
        before = lengths.get(ent.start_char)
        return before is not None and text[ent.start_char - before:ent.start_char] in words_before

    kept = [e for e in spans if not read_as_word(e)]
    return kept if len(kept) != len(spans) else spans
