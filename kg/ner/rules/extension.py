"""The extension of places and organisations into the organisation names they open: general
rules of Chinese naming, numbered 1 to 5 as the docstring of
:func:`extend_place_to_organisation` lists them.

The five numbered rules are steps of one left-to-right pass over the spans, not rules of their
own: a place in brackets reaches back over the organisations the earlier steps have already
joined (rule 3 reads rule 4's merges of the spans before it), and a place that rule 2 made an
organisation is not extended by rule 5 in the same pass.  Run one after the other over the
whole paragraph, they would find other names.
"""
from __future__ import annotations

import re

from kg.gazetteer import is_known_place, known_organisations, org_suffixes
from kg.naming import REGION_PREFIXES

from .shapes import (
    CONJUNCTIONS,
    EDGE,
    NUMERAL,
    PAIRS,
    STOP,
    balanced,
    clause_start,
    closes_bracket,
    closes_organisation,
    name_start,
    names_organisation,
    organisation_end,
    place_like,
)
from .view import Paragraph, settle

__all__ = [
    "add_region_prefixes",
    "extend_place_to_organisation",
    "join_organisation_unit",
    "join_place_to_organisation_name",
    "merge_adjacent_organisations",
    "reach_back_over_brackets",
    "relabel_known_name",
    "relabel_organisation_shaped_place",
    "trim_span_edges",
]


def extend_place_to_organisation(paragraph: Paragraph, spans: list, *, max_chars: int = 18,
                                 max_unit_chars: int = 10) -> list:
    """Correct the model's spans with general rules of Chinese naming.

    1. a span whose text is a known organisation (``models/aliases.tsv``) is ORG (东盟 tagged
       LOC), one whose text is a known place (``models/places.tsv``) is LOC (鄂尔多斯 tagged PER);
    2. a LOC span that ends like an organisation is ORG (内蒙古自治区公安厅交通管理局);
    3. a place followed by an organisation name is one ORG (呼和浩特市 + 第一医院), and so is
       自治区 + an organisation name (自治区人大常委会);
    4. adjacent organisation spans are one (北京友谊医院 + 内蒙古医院): the flat, outermost span;
       so is a place written right before an organisation's full name (内蒙古 +
       奥普赛生物科技有限公司; 兴安盟 + the brand 金风 stay apart);
    5. an organisation's own unit written right after its name joins it (内蒙古师范大学 + 生物标本馆):
       at most ``max_unit_chars``, starting with a Chinese character (not “管委会+公司”), and
       holding no adverb or verb (南县人大常委会 + 坚决支持法院 is a clause).

    An extension ends at the longest suffix from ``models/org_suffixes.txt`` that closes a
    segmenter word (so 局 in 局长 never ends one), stops at punctuation and conjunctions, and
    never runs into a person.  Before the rules, the home region word (自治区) standing alone
    is a place (:func:`add_region_prefixes`); after them, an organisation found in pieces around
    a bracket is one (:func:`reach_back_over_brackets`), and spans lose the punctuation at their
    edges (:func:`trim_span_edges`).
    """
    text = paragraph.text
    kg_names = paragraph.convention != "msra"  # rules 2-4 write kg's convention of what one name is
    # an extension may cross an entity only inside brackets (卧龙电驱（包头）永磁电机有限公司)
    blocking = sorted(e.start_char for e in spans if e.start_char == 0 or text[e.start_char - 1] not in "（(")
    candidates = add_region_prefixes(paragraph, spans)
    changed = len(candidates) != len(spans)
    result: list = []
    for ent in sorted(candidates, key=lambda e: e.start_char):
        span = relabel_known_name(paragraph, ent)  # rule 1
        organisation = relabel_organisation_shaped_place(paragraph, span)  # rule 2
        if organisation is not None:
            span = organisation
        elif span.label_ == "LOC" and kg_names:  # rule 3
            extended = join_place_to_organisation_name(paragraph, span, result, blocking, max_chars)
            if extended is not span:
                span = extended
                if result and result[-1].end_char > span.start_char:
                    result.pop()  # the part before the bracket the model found on its own
        elif span.label_ == "ORG":  # rule 5
            span = join_organisation_unit(paragraph, span, blocking, max_unit_chars)
        merged = merge_adjacent_organisations(paragraph, span, result)  # rule 4
        if merged is not None:
            result[-1] = merged
            changed = True
            continue
        changed = changed or span is not ent
        result.append(span)
    changed |= reach_back_over_brackets(paragraph, result, spans, max_chars)
    trimmed, trim_changed = trim_span_edges(paragraph, result, spans)
    return settle(trimmed) if changed or trim_changed else spans


def add_region_prefixes(paragraph: Paragraph, spans: list) -> list:
    """``spans`` and a LOC span for each home region word (:data:`kg.naming.REGION_PREFIXES`:
    自治区) that is a segmenter word of its own outside every span (自治区 + 人大常委会; not 自治区
    inside 内蒙古自治区, nor 自治区级, an adjective), unsorted."""
    text, word_len, word_starts = paragraph.text, paragraph.word_len, paragraph.word_starts
    covered = {i for e in spans for i in range(e.start_char, e.end_char)}
    result = list(spans)
    for prefix in REGION_PREFIXES:
        for m in re.finditer(prefix, text):
            if m.start() not in covered and m.start() in word_starts and m.end() in word_len \
                    and not text.startswith("级", m.end()):
                result.append(paragraph.span(m.start(), m.end(), "LOC"))
    return result


def relabel_known_name(paragraph: Paragraph, span):
    """Rule 1: a span whose text is a known organisation is ORG (东盟 tagged LOC), one whose
    text is a known place is LOC (鄂尔多斯 tagged PER).  Returns ``span`` when neither."""
    if span.label_ != "ORG" and span.text in known_organisations():
        return paragraph.span(span.start_char, span.end_char, "ORG")
    if span.label_ != "LOC" and is_known_place(span.text):
        return paragraph.span(span.start_char, span.end_char, "LOC")
    return span


def relabel_organisation_shaped_place(paragraph: Paragraph, span):
    """Rule 2, in kg's convention: a LOC span that ends like an organisation, with a suffix that
    closes a segmenter word, is ORG (内蒙古自治区公安厅交通管理局).  ``None`` otherwise."""
    suffixes = org_suffixes()
    if span.label_ == "LOC" and paragraph.convention != "msra" and names_organisation(span.text, suffixes) \
            and closes_organisation(paragraph.text, span.end_char, paragraph.word_len, suffixes):
        return paragraph.span(span.start_char, span.end_char, "ORG")
    return None


def join_place_to_organisation_name(paragraph: Paragraph, span, before: list, blocking: list[int],
                                    max_chars: int = 18):
    """Rule 3: a place followed by an organisation name is one ORG (呼和浩特市 + 第一医院; 自治区 +
    人大常委会); a place in brackets inside a name reaches back to the name's start (金龙稀土新材料
    （包头）有限公司), after the spans ``before`` it that are not organisations.  The name stops
    before the next span of ``blocking`` (start offsets), ``max_chars`` after the place at most.
    Returns ``span`` when no name follows."""
    text = paragraph.text
    start = span.start_char
    if 0 < start and text[start - 1] in "（(" and text[span.end_char:span.end_char + 1] in ("）", ")"):
        # 金龙稀土新材料（包头）有限公司: the place in brackets sits inside the name
        start = name_start(text, start - 1, before, max_chars)
    limit = min([s for s in blocking if s >= span.end_char] + [len(text), span.end_char + max_chars])
    end = organisation_end(text, start, span.end_char, limit, paragraph.word_len, org_suffixes())
    extended = paragraph.span(start, end, "ORG") if end else None
    return span if extended is None else extended


def merge_adjacent_organisations(paragraph: Paragraph, span, before: list):
    """Rule 4: an organisation right after an organisation is one with it (北京友谊医院 +
    内蒙古医院), and in kg's convention so is an organisation's full name right after a place
    (内蒙古 + 奥普赛生物科技有限公司; 兴安盟 + the brand 金风 stay apart).  Returns the span
    joining ``span`` to the last of ``before``, or ``None``."""
    if before and span.label_ == "ORG" and before[-1].end_char == span.start_char and (
            before[-1].label_ == "ORG" or (paragraph.convention != "msra" and before[-1].label_ == "LOC"
                                           and names_organisation(span.text, org_suffixes()))):
        return paragraph.span(before[-1].start_char, span.end_char, "ORG")
    return None


def join_organisation_unit(paragraph: Paragraph, span, blocking: list[int], max_unit_chars: int = 10):
    """Rule 5: an organisation's own unit written right after its name joins it (内蒙古师范大学 +
    生物标本馆, …市场监督管理局 + 经济技术开发区分局): at most ``max_unit_chars``, starting with a
    Chinese character (not “管委会+公司”), holding no adverb or verb (南县人大常委会 + 坚决支持法院
    is a clause), and stopping before the next span of ``blocking``.  Returns ``span`` when no
    unit follows."""
    text, word_len, suffixes = paragraph.text, paragraph.word_len, org_suffixes()
    if not (span.label_ == "ORG" and closes_organisation(text, span.end_char, word_len, suffixes)
            and "\u4e00" <= text[span.end_char:span.end_char + 1] <= "\u9fff"):
        return span
    limit = min([s for s in blocking if s >= span.end_char] + [len(text), span.end_char + max_unit_chars])
    limit = clause_start(text, span.end_char, limit, word_len)
    end = organisation_end(text, span.start_char, span.end_char, limit, word_len, suffixes)
    extended = paragraph.span(span.start_char, end, "ORG") if end else None
    return span if extended is None else extended


def reach_back_over_brackets(paragraph: Paragraph, result: list, model_spans: list, max_chars: int = 18) -> bool:
    """卧龙电驱（包头）永磁电机有限公司 found as pieces: an organisation of ``result`` right after a
    closing bracket (or with an unopened one) reaches back over the bracket to its name's start,
    in place; not over a note (（附图片１张）) or a byline (（记者王黎）: a person of
    ``model_spans``, the spans before the extension).  Whether any span grew."""
    text, changed = paragraph.text, False
    for i, span in enumerate(result):
        if span.label_ != "ORG":
            continue
        # the bracket may sit right before the span or a word or two before it (…（包头）永磁电机有限公司)
        gap = next((k for k in range(span.start_char - 1, max(span.start_char - 5, -1), -1)
                    if text[k] in "）)" or STOP.match(text[k])), None)
        close = gap if gap is not None and text[gap] in "）)" else None
        if close is None and not balanced(span.text) and span.text[0] not in "（(":
            close = next((k for k in range(span.start_char, span.end_char) if text[k] in "）)"), None)
        if close is None:
            continue
        open_at = max(text.rfind("（", 0, close), text.rfind("(", 0, close))
        if open_at < 0 or close - open_at > 9:
            continue
        bracketed_place = place_like(text[open_at + 1:close])
        note = (NUMERAL.search(text, open_at + 1, close) and not bracketed_place) or any(
            e.label_ == "PER" and open_at < e.start_char < close for e in model_spans)
        if note:
            continue  # not part of a name: （附图片１张）, （记者王黎）
        if close < span.start_char - 1 and not bracketed_place:
            continue  # across a gap, only a bracketed place: （包头）
        # a "person" right against a bracketed place is the brand (卧龙电驱（包头）…)
        brand = bracketed_place
        people = [e for e in result if e.label_ == "PER" and open_at - max_chars < e.end_char <= open_at
                  and not (brand and e.end_char == open_at)]
        start = name_start(text, open_at, people, max_chars)
        if start < open_at and balanced(text[start:span.end_char]):
            grown = paragraph.span(start, span.end_char, "ORG")
            if grown is not None:
                result[i], changed = grown, True
    return changed


#: an opening bracket and the letters of an alias after it, to a span's end (伦敦金属交易所（lme)
_OPEN_ALIAS = re.compile(r"[（(][A-Za-z][A-Za-z0-9&.\- ]{0,11}")


def trim_span_edges(paragraph: Paragraph, result: list, model_spans: list) -> tuple[list, bool]:
    """``result`` less a home region word left standing alone (自治区 that joined no name and was
    no span of ``model_spans``), its spans less the punctuation at their edges (an opening mark
    stays with its closing one: “幸福工程”组委会) and organisations less a conjunction at their end
    (…监督和); and whether anything changed."""
    text, changed = paragraph.text, False
    model_starts = {e.start_char for e in model_spans}
    region_only = [s for s in result if s.label_ == "LOC" and s.text in REGION_PREFIXES
                   and s.start_char not in model_starts]
    trimmed = []
    for span in result:
        if span in region_only:
            changed = True
            continue
        start, end = span.start_char, span.end_char
        while start < end and EDGE.match(text[start]) and PAIRS.get(text[start], "\0") not in text[start + 1:end]:
            start += 1  # an opening mark stays with its closing one inside the name: “幸福工程”组委会
        while end > start and (EDGE.match(text[end - 1]) or (span.label_ == "ORG" and text[end - 1] in CONJUNCTIONS)) \
                and not closes_bracket(text[start:end]):
            end -= 1
        if span.label_ == "ORG" and (alias := _OPEN_ALIAS.search(text, start, end)) and alias.end() == end \
                and text[end:end + 1] in ("）", ")"):
            end = alias.start()  # 伦敦金属交易所（lme）: the name ends before the bracketed letters of its alias
        if (start, end) != (span.start_char, span.end_char):
            changed = True
            span = paragraph.span(start, end, span.label_) if end > start else None
        if span is not None:
            trimmed.append(span)
    return trimmed, changed
