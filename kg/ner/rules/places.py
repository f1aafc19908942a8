"""Rules about places: the gazetteer's places as a dictionary the model cannot miss."""
from __future__ import annotations

import re
from functools import lru_cache

from kg.gazetteer import Place, candidates, is_known_place, is_part_of, org_suffixes, place_names
from kg.naming import COUNTY_AND_ABOVE_SUFFIXES

from .view import Paragraph, settle

__all__ = ["place_chain", "place_stems", "split_place_chains", "tag_known_places"]

#: one character after a place's name that names a feature of it (马拉维湖, 泰山 is a word)
_GEOGRAPHIC_FEATURES = ("湖", "山", "河", "江", "海", "岛", "峰", "湾")

#: the parts of a name between dashes (武汉—北京)
_BETWEEN_DASHES, _DASH = re.compile("[^—－–-]+"), re.compile("[—－–-]")


def _split_dashed_places(paragraph: Paragraph, spans: list, names: frozenset[str]) -> tuple[list, bool]:
    """``spans`` with each place span that joins two known places or more with dashes replaced
    by its parts of two characters or more; and whether any was."""
    text, result, changed = paragraph.text, [], False
    for ent in spans:
        if ent.label_ != "LOC" or not _DASH.search(ent.text):  # nearly every entity: nothing to split
            result.append(ent)
            continue
        parts = [(ent.start_char + m.start(), ent.start_char + m.end()) for m in _BETWEEN_DASHES.finditer(ent.text)]
        if len(parts) < 2 or sum(text[s:e] in names for s, e in parts) < 2:
            result.append(ent)
            continue
        result += [span for s, e in parts if e - s >= 2 for span in (paragraph.span(s, e, "LOC"),) if span]
        changed = True
    return result, changed


def tag_known_places(paragraph: Paragraph, spans: list) -> list:
    """Make the model's places agree with the gazetteer (``models/places.tsv``) where a known
    place name is a whole segmenter word:

    - a known place the model left untagged is LOC (the gazetteer as a dictionary feature the
      model cannot miss);
    - a LOC or PER span inside the word grows to the whole name, a LOC (清水河 in 清水河县,
      the "person" 克什克 in 克什克腾旗);
    - a LOC span that starts with the word, runs on and stops inside a later word is cut back to
      the name (巴彦淖尔现代农|业), unless all it adds is a feature of the place (马拉维湖|是: the
      segmenter's 湖是); one that ends at a word boundary is the model's call (呼和浩特盛乐国际机场,
      包头大街);
    - a span that opens inside the word and runs past it opens with the name (和|林格尔数据中心).

    Other overlaps (an organisation or a person around the name) are left alone.  And a place
    span that joins two known places or more with dashes is each of its parts (呼包鄂乌—京津冀—长三角,
    a corridor: MSRA and CLUENER tag 武汉—北京 as two places, never one).
    """
    names = place_names()
    text = paragraph.text
    spans, changed = _split_dashed_places(paragraph, spans, names)
    lengths = paragraph.word_len
    for end, length in lengths.items():
        start = end - length
        if text[start:end] not in names:
            continue
        overlapping = [i for i, e in enumerate(spans) if e.start_char < end and start < e.end_char]
        span = paragraph.span(start, end, "LOC")
        if span is None:
            continue
        if not overlapping:
            spans.append(span)
            changed = True
        elif len(overlapping) == 1 and start < (ent := spans[overlapping[0]]).start_char < end < ent.end_char:
            # a name that opens inside the place word and runs past it (和|林格尔数据中心) opens with the place
            grown = paragraph.span(start, ent.end_char, ent.label_)
            if grown is not None:
                spans[overlapping[0]] = grown
                changed = True
        elif len(overlapping) == 1 and spans[overlapping[0]].label_ in ("LOC", "PER"):
            ent = spans[overlapping[0]]
            inside = start <= ent.start_char and ent.end_char <= end and len(ent) < len(span)
            # the model's span runs on past the name and stops inside a word (巴彦淖尔 + 现代农|业)
            runs_on = ent.label_ == "LOC" and ent.start_char == start and ent.end_char > end \
                and ent.end_char not in lengths and text[end:ent.end_char] not in _GEOGRAPHIC_FEATURES
            if inside or runs_on:
                spans[overlapping[0]] = span
                changed = True
    if changed:
        return settle(sorted(spans, key=lambda e: e.start_char))
    return spans


@lru_cache(maxsize=1)
def place_stems() -> frozenset[str]:
    """Every opening of three characters or more of a known place's name, the name itself left
    out (科尔沁 of 科尔沁区 and 科尔沁左翼中旗; 乌兰察 of 乌兰察布): no person is named that."""
    return frozenset(name[:i] for name in place_names() for i in range(3, len(name)))


def leading_place(text: str, ent, word_len: dict[int, int]) -> str | None:
    """The known place (three characters or more, or ending in 市/县/旗 …) that opens ``ent``
    and ends a segmenter word before the span's end, if any."""
    for end in range(ent.end_char - 1, ent.start_char + 1, -1):
        name = text[ent.start_char:end]
        if word_len.get(end) == len(name) and is_known_place(name) and \
                (len(name) >= 3 or name.endswith(COUNTY_AND_ABOVE_SUFFIXES)):
            return name
    return None


def place_chain(text: str) -> list[str]:
    """The divisions, by official name, a name opens with when each lies in the one before
    (广东省深圳市南山区科技园 → 广东省, 深圳市, 南山区); fewer than two: no chain."""
    chain: list[str] = []
    holders: list[Place] = []
    start = 0
    while start < len(text):
        for end in range(len(text), start + 1, -1):
            found = [p for p in candidates(text[start:end]) if p.code and p.name == text[start:end]
                     and (not holders or any(is_part_of(p, h) for h in holders))]
            if found:
                chain.append(text[start:end])
                holders, start = found, end
                break
        else:
            break
    return chain if len(chain) >= 2 else []


def split_place_chains(paragraph: Paragraph, spans: list) -> list:
    """A place span that opens with a chain of divisions (:func:`place_chain`: 北京市海淀区,
    广东省深圳市南山区) is each division, and what follows, two characters or more, one more
    place; so is an "organisation" of such a chain and a name no organisation's ending closes
    (广东省深圳市南山区科技园).  Organisations (四川省成都市武侯区人民法院) stay whole."""
    result, changed = [], False
    for ent in spans:
        chain = place_chain(ent.text) if ent.label_ in ("LOC", "ORG") else []
        if chain and ent.label_ == "ORG" and ent.text.endswith(org_suffixes()):
            chain = []
        pieces, start = [], ent.start_char
        for name in chain:
            pieces.append(paragraph.span(start, start + len(name), "LOC"))
            start += len(name)
        if chain and ent.end_char - start >= 2:
            pieces.append(paragraph.span(start, ent.end_char, "LOC"))
        if not chain or None in pieces:  # off the tokens' bounds: the model's span stays
            result.append(ent)
            continue
        result += pieces
        changed = True
    return settle(result) if changed else spans
