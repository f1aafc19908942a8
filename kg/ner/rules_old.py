"""kg's entity rules (being rewritten as span-returning functions in kg.ner.rules)."""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from kg.gazetteer import (
    clause_words,
    is_known_place,
    known_organisations,
    non_person_endings,
    org_suffixes,
    place_names,
    predicate_verbs,
    titles,
)

log = logging.getLogger(__name__)


# what an organisation name never runs across; brackets are allowed (金龙稀土新材料（包头）有限公司)
_STOP = re.compile(r"[\s，。、；：！？“”‘’《》〈〉「」,.;:!?与和及同等在的]")
#: what never ends an organisation's name: a conjunction left over from a list (…监督和)
_CONJUNCTIONS = "和与及同"
_EDGE = re.compile(r"[\s，。、；：！？“”‘’《》〈〉「」,.;:!?（）()]")
#: opening marks and their closing ones
_PAIRS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "「": "」", "（": "）", "(": ")"}
#: words that stand for the home region at the start of an organisation name (自治区党委)
REGION_PREFIXES = ("自治区",)


def _names_organisation(text: str, suffixes: tuple[str, ...]) -> bool:
    """A span "labelled LOC" that ends like an organisation (公安厅交通管理局, 内蒙古大学) is one.
    One-character endings other than 局/厅/署/办/院 are too ambiguous on their own (转运站, 派出所)."""
    if not text.endswith(suffixes):  # most spans: one C call instead of a loop over the suffixes
        return False
    return any(text.endswith(s) and len(text) > len(s) and (len(s) > 1 or s in "局厅署办院") for s in suffixes)


def _closes_bracket(name: str) -> bool:
    """Whether ``name`` ends with a bracket or quote it opened (合生远景(内蒙古) keeps its closing
    bracket, “幸福工程” its closing quote)."""
    if name[-1] in "）)":
        return name.count("（") + name.count("(") >= name.count("）") + name.count(")")
    return any(name[-1] == close and opening in name[:-1] for opening, close in _PAIRS.items())


def _closes_organisation(text: str, end: int, word_len: dict[int, int], suffixes: tuple[str, ...]) -> bool:
    """Whether ``text[:end]`` ends with an organisation suffix that closes a segmenter word.

    A one-character suffix must close a word of three or more characters, or be a word of its
    own: 宣传部 and 气象局 end organisations, 干部, 团队 and 场所 do not."""
    length = word_len.get(end)
    if length is None or not text.endswith(suffixes, 0, end):
        return False
    for suffix in suffixes:
        if text.endswith(suffix, 0, end):
            if len(suffix) > 1 or length >= 3:
                return True
            # a one-character word of its own ends a name (公安|局), except 所 (所写: a particle)
            # and a classifier after a number (第一部, 两所)
            return length == 1 and suffix != "所" and not _NUMERAL.match(text[end - 2:end - 1])
    return False


def _balanced(name: str) -> bool:
    return name.count("（") + name.count("(") == name.count("）") + name.count(")")


def _name_start(text: str, bracket: int, before: list, max_chars: int) -> int:
    """Where a name that reaches a bracket at ``bracket`` begins: after the last stop character
    or earlier entity (a person, a place), at most ``max_chars`` back."""
    floor = max([bracket - max_chars, 0] + [e.end_char for e in before if e.end_char <= bracket and e.label_ != "ORG"])
    start = bracket
    while start > floor and not _STOP.match(text[start - 1]):
        start -= 1
    return start


_DIGITS, _NUMBER_CHARS = "0-9０-９", "一二三四五六七八九十两几多数"
#: a number, in digits or in characters (5, ５, 两, 十二, 几, 多)
_NUMBER = rf"(?:[{_DIGITS}]+|[{_NUMBER_CHARS}]+)"
#: one character of such a number
_NUMERAL = re.compile(rf"[{_DIGITS}{_NUMBER_CHARS}]")
#: one-character words that make a clause of what follows a place, never part of a name:
#: 廊坊|是|城乡结合部, 盘锦市改革|了|中小学, 城西|有|个孤儿院 (有限公司 is one word)
_CLAUSE_WORDS = "了是有把被将"
#: a count of things (两家, 7所, 首座): a clause, never inside a name (第一医院 is, hence 第)
_COUNTED = re.compile(rf"(?<!第)(?:{_NUMBER}|首)[家所个座批项名位条支]")


def _predicate_end(text: str, start: int, word_len: dict[int, int]) -> int | None:
    """End of the segmenter word at ``start`` if it is a predicate verb (成立, 选派: see
    ``models/predicate_verbs.txt``), else ``None``."""
    verbs = predicate_verbs()
    for end in range(start + 2, min(start + 5, len(text)) + 1):
        if word_len.get(end) == end - start and text[start:end] in verbs:
            return end
    return None


def _clause_start(text: str, start: int, limit: int, word_len: dict[int, int]) -> int:
    """Start of the first segmenter word in ``text[start:limit]`` that makes a clause (an
    adverb or a verb, ``models/clause_words.txt``: 坚决, 支持), else ``limit``."""
    words = clause_words()
    for end in range(start + 2, limit + 1):
        length = word_len.get(end)
        if length and length >= 2 and end - length >= start and text[end - length:end] in words:
            return end - length
    return limit


def _organisation_end(text: str, name_start: int, start: int, limit: int, word_len: dict[int, int],
                      suffixes: tuple[str, ...]) -> int | None:
    """End of the longest organisation name ``text[name_start:end]`` with ``start < end <= limit``
    (brackets balanced, no stop character after ``start``).

    A name does not run across a count (内蒙古 + 新增两家…学院), and a predicate verb right after
    ``start`` may only be followed by the organisation word itself (内蒙古 + 创新 + 中心 is a name;
    巴彦淖尔市 + 成立 + 农推官工作室 and 克什克腾旗 + 选派 + 原民族语言授课学校 are clauses)."""
    stop = _STOP.search(text, start, limit)
    limit = stop.start() if stop else limit
    counted = _COUNTED.search(text, start, limit)
    limit = counted.start() if counted else limit
    limit = next((i for i in range(start, limit) if text[i] in _CLAUSE_WORDS and word_len.get(i + 1) == 1), limit)
    verb_end = _predicate_end(text, start, word_len)
    for end in range(limit, start, -1):
        if verb_end is not None and end > verb_end and word_len.get(end) != end - verb_end:
            continue
        if _closes_organisation(text, end, word_len, suffixes) and _balanced(text[name_start:end]):
            return end
    return None


#: endings of administrative units down to county level (旗 and 盟 are Inner Mongolia's banners
#: and leagues), and with the township level below them
COUNTY_AND_ABOVE_SUFFIXES = ("省", "市", "县", "区", "旗", "盟", "州")
ADMIN_SUFFIXES = (*COUNTY_AND_ABOVE_SUFFIXES, "镇", "乡", "苏木", "嘎查")


def _place_like(text: str) -> bool:
    """A known place, or a name ending like an administrative unit (…市, …旗)."""
    return is_known_place(text) or (1 < len(text) <= 8 and text.endswith(COUNTY_AND_ABOVE_SUFFIXES))


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


def postprocess_entities(sdoc, convention: str = "") -> None:
    """kg's entity rules over a parsed paragraph, in order: :func:`tag_known_places`,
    :func:`tag_known_organisations`, :func:`relabel_misshapen_people`,
    :func:`drop_people_listed_among_things`, :func:`extend_place_to_organisation`,
    :func:`tag_listed_organisations`, :func:`complete_bracketed_names`,
    :func:`drop_references`, :func:`drop_concepts`, then :func:`cut_run_on_organisations`.  Every
    prediction (and every score) goes through this."""
    # the tokens never change, only the entities: the words and the text are read once (spaCy
    # builds Doc.text from a Token object per character on every call)
    word_len, text = segmenter_word_lengths(sdoc), sdoc.text
    tag_known_places(sdoc, word_len=word_len, text=text)
    tag_known_organisations(sdoc, word_len=word_len, text=text)
    relabel_misshapen_people(sdoc, word_len=word_len, text=text)
    drop_people_listed_among_things(sdoc, text=text)
    extend_place_to_organisation(sdoc, word_len=word_len, convention=convention, text=text)
    tag_listed_organisations(sdoc, word_len=word_len, text=text)
    complete_brandless_companies(sdoc, word_len=word_len, text=text)
    complete_bracketed_names(sdoc, text=text)
    drop_references(sdoc, text=text, convention=convention)
    drop_concepts(sdoc)
    cut_run_on_organisations(sdoc, word_len=word_len, text=text)


def complete_bracketed_names(sdoc, *, text: str | None = None) -> None:
    """An organisation the model found inside brackets but a character or two short of the
    opening one ((长|海医院), an alias printed after a full name) is the whole bracketed name:
    brackets delimit a name, so a span ending at the closing bracket starts right after the
    opening one (at most 10 characters between them, no stop character, not 简称 …)."""
    text = sdoc.text if text is None else text

    def grown(ent):  # organisations only: a person in brackets has words before it (（记者罗玉文）)
        if text[ent.end_char:ent.end_char + 1] not in ("）", ")"):
            return None
        open_at = max(text.rfind("（", 0, ent.start_char), text.rfind("(", 0, ent.start_char))
        inside = text[open_at + 1:ent.start_char]
        if 0 <= open_at and 0 < len(inside) <= 2 and ent.end_char - open_at <= 11 \
                and not _STOP.search(inside) and not inside.startswith("简"):
            return sdoc.char_span(open_at + 1, ent.end_char, label=ent.label_)
        return None

    _replace_organisations(sdoc, grown)


#: what makes the noun after it a reference to an organisation named before (该公司, 本院, 此局)
_DEMONSTRATIVES = "该本此这"


#: a company's legal form, then the words of its trade that its short name drops
#: (天津合生生物科技有限公司 -> 合生生物)
LEGAL_FORMS = ("集团股份有限公司", "股份有限公司", "集团有限公司", "有限责任公司", "有限公司", "公司")
TRADE_WORDS = ("信息技术", "科技", "技术", "实业", "控股", "股份")
_BRACKETED = re.compile(r"[（(][^（）()]{1,8}[）)]")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]+")
_NUMERALS = set("0123456789一二三四五六七八九十百千万两第")


#: words of a trade that sit between a company's brand and its legal form (金名|信息技术|股份有限公司)
BRANDLESS_TRADE_WORDS = ("信息技术", "科技", "技术", "实业", "控股", "股份", "投资", "发展", "能源", "电子", "网络",
                         "数据", "智能", "新材料", "材料", "生物", "化工", "集团", "贸易", "环保", "电力", "工程",
                         "建设", "服务", "管理", "咨询", "文化", "传媒", "制造", "装备", "产业")
_BRANDLESS = re.compile("(?:{})*(?:{})".format("|".join(BRANDLESS_TRADE_WORDS), "|".join(LEGAL_FORMS)))
_WORD_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


def complete_brandless_companies(sdoc, *, word_len: dict[int, int] | None = None, text: str | None = None,
                                 max_chars: int = 4) -> None:
    """A "company" made of trade words and a legal form alone (信息技术股份有限公司) has lost its
    brand, the name that tells it from every other company: the model read the unfamiliar
    brand (金名) as text.  The span grows back over the words right before it, up to
    ``max_chars`` characters, stopping at punctuation, another entity, a one-character word
    (了, 在, 的) or a predicate verb (成立); a demonstrative before it (该, 本) leaves it to
    :func:`drop_references`."""
    from spacy.util import filter_spans

    text = sdoc.text if text is None else text
    lengths = segmenter_word_lengths(sdoc) if word_len is None else word_len
    verbs = predicate_verbs()
    spans, changed = list(sdoc.ents), False
    taken = {i for e in spans for i in range(e.start_char, e.end_char)}
    for k, ent in enumerate(spans):
        if ent.label_ != "ORG" or not _BRANDLESS.fullmatch(re.sub(r"\s", "", ent.text)):
            continue
        start = ent.start_char
        while start in lengths and lengths[start] > 1 and ent.start_char - (start - lengths[start]) <= max_chars:
            word = text[start - lengths[start]:start]
            if not _WORD_CHARS.fullmatch(word) or word in verbs or (start - 1) in taken:
                break
            start -= lengths[start]
        if start < ent.start_char and (start == 0 or text[start - 1] not in _DEMONSTRATIVES):
            grown = sdoc.char_span(start, ent.end_char, label="ORG")
            if grown is not None:
                spans[k], changed = grown, True
    if changed:
        sdoc.ents = filter_spans(sorted(spans, key=lambda e: e.start_char))


def drop_references(sdoc, *, text: str | None = None, convention: str = "") -> None:
    """An "organisation" that opens with a generic organisation word right after a demonstrative
    (该|公司技术研发部, 本|院), or with the demonstrative itself (该公司技术研发部), is a reference
    to one named before, not a name: the span is dropped, and kg.relate resolves the reference
    (该公司 → the company the article is about).  In kg's convention so is a generic
    organisation word alone (管委会 in “管委会+公司”改革): a kind of body, not one body (MSRA
    tags some: its 政府 and 人大常委会 are the ones the sentence is about)."""
    text, suffixes = sdoc.text if text is None else text, org_suffixes()
    def reference(e) -> bool:
        if e.text in suffixes:  # but 其常委会 is "its standing committee": one body, named before
            return convention != "msra" and not (e.start_char > 0 and text[e.start_char - 1] == "其")
        if e.text[0] in _DEMONSTRATIVES:
            return e.text[1:].startswith(suffixes)
        return e.start_char > 0 and text[e.start_char - 1] in _DEMONSTRATIVES and e.text.startswith(suffixes)

    _drop_organisations(sdoc, reference)


#: what a 共同体 ("community") is when it is an idea, not a body: 人类命运共同体, 中华民族共同体
#: (a slogan on nearly every page of a regional paper), 人与自然生命共同体; 欧洲共同体 is a body
_CONCEPT_COMMUNITIES = tuple(w + "共同体" for w in ("命运", "民族", "生命", "利益", "责任", "发展", "安全", "健康", "未来"))


def drop_concepts(sdoc) -> None:
    """An "organisation" naming a political idea of community (…命运共同体, 中华民族共同体) is
    not a body with members and offices; the right-to-left model reads the head 共同体 as one."""
    _drop_organisations(sdoc, lambda e: e.text.endswith(_CONCEPT_COMMUNITIES))


def _drop_organisations(sdoc, unwanted) -> None:
    """Remove the ORG spans for which ``unwanted(span)`` is true."""
    kept = [e for e in sdoc.ents if not (e.label_ == "ORG" and unwanted(e))]
    if len(kept) != len(sdoc.ents):
        sdoc.ents = kept


def _replace_organisations(sdoc, replacement) -> None:
    """Put ``replacement(span)`` in place of each ORG span for which it returns a span (``None``:
    keep it); where a grown span now overlaps another, the longer one stays."""
    spans, changed = [], False
    for ent in sdoc.ents:
        new = replacement(ent) if ent.label_ == "ORG" else None
        spans.append(ent if new is None else new)
        changed |= new is not None
    if changed:
        from spacy.util import filter_spans

        sdoc.ents = filter_spans(spans)


def cut_run_on_organisations(sdoc, *, word_len: dict[int, int] | None = None, text: str | None = None) -> None:
    """An organisation span that runs on into a title (内蒙古森工集团|总经理恩和特布沁) ends where
    the name ends: before a segmenter word that opens with a title (``models/titles.txt``; the
    segmenter may glue the title to the name after it, 总经理恩), when the text before it already
    ends like an organisation (``models/org_suffixes.txt``; 中共中央书记处 stays whole).  The
    rule "adjacent organisations merge" joins a title the model tags as a second organisation."""
    text = sdoc.text if text is None else text
    lengths = segmenter_word_lengths(sdoc) if word_len is None else word_len
    word_starts = {end - length for end, length in lengths.items()}
    title_words, suffixes = titles(), org_suffixes()

    def cut(ent):
        for k in range(ent.start_char + 2, ent.end_char):
            if k in word_starts and text[ent.start_char:k].endswith(suffixes) \
                    and any(text.startswith(title, k) for title in title_words):
                span = sdoc.char_span(ent.start_char, k, label="ORG")
                if span is not None:
                    return span
        return None

    _replace_organisations(sdoc, cut)


def relabel_misshapen_people(sdoc, *, word_len: dict[int, int] | None = None, text: str | None = None) -> None:
    """A "person" shaped like a place or an organisation is one: a PER span ending in an
    administrative unit (克什克腾旗) is LOC, one ending in an organisation word (…教育局) is ORG,
    a PER span followed at once by a short segmenter word ending in 旗/县/盟 (克什克 + 腾旗,
    a transliterated banner name cut by the segmenter) is LOC over both, one that opens with a
    known place word is that place (乌兰察布市 + 南|瓜子), one holding a space is the names
    on either side (记者 冯雪玉 孙柳), one that opens a known place's name (科尔沁 of 科尔沁区,
    :func:`place_stems`) is the region it names, and one ending in a character that ends no person in the
    training corpora (``models/non_person_endings.tsv``: the mine 福元铌矿) takes the label
    names ending in it have."""
    text = sdoc.text if text is None else text
    lengths = segmenter_word_lengths(sdoc) if word_len is None else word_len
    next_word = {end - length: end for end, length in lengths.items()}
    suffixes, endings = org_suffixes(), non_person_endings()
    spans, changed = [], False
    for ent in sdoc.ents:
        span = ent
        if ent.label_ == "PER" and any(ch.isspace() for ch in ent.text):
            # two bylined names read as one (记者 冯雪玉 孙柳): a name never holds a space
            parts = (sdoc.char_span(m.start(), m.end(), label="PER")
                     for m in _WORD.finditer(text, ent.start_char, ent.end_char) if len(m.group()) >= 2)
            spans += [part for part in parts if part is not None]
            changed = True
            continue
        place = _leading_place(text, ent, lengths) if ent.label_ == "PER" else None
        if place is not None:
            # a place read into a name (乌兰察布市 + 南瓜子 read as the person 乌兰察布市南)
            span = sdoc.char_span(ent.start_char, ent.start_char + len(place), label="LOC")
        elif ent.label_ == "PER" and "·" not in ent.text and len(ent.text) >= 3:
            name = ent.text
            if _names_organisation(name, suffixes) and len(name) >= 4:
                span = sdoc.char_span(ent.start_char, ent.end_char, label="ORG")
            elif name.endswith(ADMIN_SUFFIXES):
                span = sdoc.char_span(ent.start_char, ent.end_char, label="LOC")
            else:
                end = next_word.get(ent.end_char)
                if end and end - ent.end_char <= 2 and text[end - 1] in "旗县盟":
                    span = sdoc.char_span(ent.start_char, end, label="LOC")
        if span is None:
            span = ent
        if span is ent and ent.label_ == "PER" and len(ent.text) >= 3 and ent.text in place_stems():
            # the opening of a known place's name (科尔沁 of 科尔沁区): the region it names
            span = sdoc.char_span(ent.start_char, ent.end_char, label="LOC")
        if span is ent and ent.label_ == "PER" and ent.text[-1] in endings:
            span = sdoc.char_span(ent.start_char, ent.end_char, label=endings[ent.text[-1]])
        changed = changed or span is not ent
        spans.append(span)
    if changed:
        from spacy.util import filter_spans

        sdoc.ents = filter_spans(spans)


_WORD = re.compile(r"\S+")


@lru_cache(maxsize=1)
def place_stems() -> frozenset[str]:
    """Every opening of three characters or more of a known place's name, the name itself left
    out (科尔沁 of 科尔沁区 and 科尔沁左翼中旗; 乌兰察 of 乌兰察布): no person is named that."""
    return frozenset(name[:i] for name in place_names() for i in range(3, len(name)))


def _leading_place(text: str, ent, word_len: dict[int, int]) -> str | None:
    """The known place (three characters or more, or ending in 市/县/旗 …) that opens ``ent``
    and ends a segmenter word before the span's end, if any."""
    for end in range(ent.end_char - 1, ent.start_char + 1, -1):
        name = text[ent.start_char:end]
        if word_len.get(end) == len(name) and is_known_place(name) and \
                (len(name) >= 3 or name.endswith(COUNTY_AND_ABOVE_SUFFIXES)):
            return name
    return None


# "…、…、…等5家企业": a list that the text itself says is a list of organisations
_LISTED_AS_ORGS = re.compile(rf"等{_NUMBER}?(?:家|个|所)?"
                             r"(?:重点|龙头|骨干|优势|头部|链主)?(?:企业|公司|单位|机构|集团|医院|高校|院校|银行)")
_LIST_BOUNDARY = re.compile(r"[\s，。；：！？“”‘’《》〈〉「」,.;:!?（）()]")


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the clause of ``text`` holding ``text[start:end]``: from after the last
    :data:`_LIST_BOUNDARY` before ``start`` to the first one at or after ``end``."""
    while start > 0 and not _LIST_BOUNDARY.match(text[start - 1]):
        start -= 1
    while end < len(text) and not _LIST_BOUNDARY.match(text[end]):
        end += 1
    return start, end


def tag_listed_organisations(sdoc, *, max_chars: int = 12, word_len: dict[int, int] | None = None,
                             text: str | None = None) -> None:
    """Items of a 、-list that ends in 等…企业/公司/单位/机构/医院/高校 (等5家企业) are ORG.

    The text names what the items are.  Each item between 、 marks (and the first one when it
    opens its clause) becomes one ORG span; a model span inside an item is replaced by it.  An
    item longer than ``max_chars``, or a first item with words before it in its clause (助力安泰北方:
    where the name starts is unknown), or one holding 及 or 与 (two items), is left to the
    model; 等 must be a word of its own (not 高等院校).
    """
    from spacy.util import filter_spans

    text = sdoc.text if text is None else text
    added = []
    for m in _LISTED_AS_ORGS.finditer(text):
        if word_len is None:
            word_len = segmenter_word_lengths(sdoc)
        if word_len.get(m.start() + 1) != 1:
            continue  # 等 inside a word is no list's end: 高等院校
        clause_start, _ = _clause_around(text, m.start(), m.start())
        items = text[clause_start:m.start()].split("、")
        if len(items) < 2:
            continue
        pos = clause_start
        for index, item in enumerate(items):
            start, end = pos, pos + len(item)
            pos = end + 1
            opens_clause = index == 0  # the clause starts with the list itself only if no other word
            if not 2 <= len(item) <= max_chars or (opens_clause and _starts_mid_clause(sdoc, start, end, word_len)):
                continue
            if any(text[i] in "及与" and word_len.get(i + 1) == 1 for i in range(start, end)):
                continue  # two items joined by 及/与: 自治区及有关科研机构 (和 is in names: 天和磁材)
            span = sdoc.char_span(start, end, label="ORG")
            if span is not None:
                added.append(span)
    if not added:
        return
    keep = [e for e in sdoc.ents if not any(a.start_char <= e.start_char and e.end_char <= a.end_char for a in added)]
    sdoc.ents = filter_spans([*added, *keep])


def drop_people_listed_among_things(sdoc, *, text: str | None = None) -> None:
    """A "person" that is one item of a 、-list whose other items (two or more) the model
    found no entity in is no person: the list is of things (高纯铝、高纯氧化铝、化成箔: 高纯铝,
    high-purity aluminium, read as a name).  People are listed with people, and the model finds
    the others."""
    text = sdoc.text if text is None else text
    if "、" not in text:
        return
    covered = {i for e in sdoc.ents for i in range(e.start_char, e.end_char)}
    keep, dropped = [], False
    for ent in sdoc.ents:
        if ent.label_ == "PER" and "、" in (text[ent.start_char - 1:ent.start_char], text[ent.end_char:ent.end_char + 1]):
            start, end = _clause_around(text, ent.start_char, ent.end_char)
            others, pos = [], start
            for item in text[start:end].split("、"):
                if item and not pos <= ent.start_char < pos + len(item):  # not the person's own item
                    others.append(range(pos, pos + len(item)))
                pos += len(item) + 1
            if len(others) >= 2 and not any(i in covered for item in others for i in item):
                dropped = True
                continue
        keep.append(ent)
    if dropped:
        sdoc.ents = keep


def _starts_mid_clause(sdoc, start: int, end: int, word_len: dict[int, int]) -> bool:
    """Whether a first list item (from its clause's start) has words before the name: true unless
    the model found one entity covering the whole item, or the item is a single segmenter word."""
    if any(e.start_char == start and e.end_char == end for e in sdoc.ents):
        return False
    return word_len.get(end) != end - start and end - start > 4


#: one character after a place's name that names a feature of it (马拉维湖, 泰山 is a word)
_GEOGRAPHIC_FEATURES = ("湖", "山", "河", "江", "海", "岛", "峰", "湾")


#: the parts of a name between dashes (武汉—北京)
_BETWEEN_DASHES, _DASH = re.compile("[^—－–-]+"), re.compile("[—－–-]")


def _split_dashed_places(sdoc, names: frozenset[str], text: str) -> tuple[list, bool]:
    """``sdoc``'s entities with each place span that joins two known places or more with dashes
    replaced by its parts of two characters or more; and whether any was."""
    spans, changed = [], False
    for ent in sdoc.ents:
        if ent.label_ != "LOC" or not _DASH.search(ent.text):  # nearly every entity: nothing to split
            spans.append(ent)
            continue
        parts = [(ent.start_char + m.start(), ent.start_char + m.end()) for m in _BETWEEN_DASHES.finditer(ent.text)]
        if len(parts) < 2 or sum(text[s:e] in names for s, e in parts) < 2:
            spans.append(ent)
            continue
        spans += [span for s, e in parts if e - s >= 2 for span in (sdoc.char_span(s, e, label="LOC"),) if span]
        changed = True
    return spans, changed


def tag_known_places(sdoc, *, word_len: dict[int, int] | None = None, text: str | None = None) -> None:
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
    from spacy.util import filter_spans

    names = place_names()
    text = sdoc.text if text is None else text
    spans, changed = _split_dashed_places(sdoc, names, text)
    lengths = segmenter_word_lengths(sdoc) if word_len is None else word_len
    for end, length in lengths.items():
        start = end - length
        if text[start:end] not in names:
            continue
        overlapping = [i for i, e in enumerate(spans) if e.start_char < end and start < e.end_char]
        span = sdoc.char_span(start, end, label="LOC")
        if span is None:
            continue
        if not overlapping:
            spans.append(span)
            changed = True
        elif len(overlapping) == 1 and start < (ent := spans[overlapping[0]]).start_char < end < ent.end_char:
            # a name that opens inside the place word and runs past it (和|林格尔数据中心) opens with the place
            grown = sdoc.char_span(start, ent.end_char, label=ent.label_)
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
        sdoc.ents = filter_spans(sorted(spans, key=lambda e: e.start_char))


@lru_cache(maxsize=1)
def _known_organisation_pattern() -> re.Pattern | None:
    names = sorted((name for name in known_organisations() if len(name) >= 3), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


def tag_known_organisations(sdoc, *, word_len: dict[int, int] | None = None, text: str | None = None) -> None:
    """A known organisation (``models/aliases.tsv``, names of three characters or more: 北方稀土,
    新华社) that the model left untagged is ORG, where it starts and ends at segmenter word
    boundaries and overlaps no entity: the curated organisations as a dictionary the model
    cannot miss, as :func:`tag_known_places` does for places."""
    pattern = _known_organisation_pattern()
    if pattern is not None:
        _tag_organisation_names(sdoc, pattern, sdoc.text if text is None else text, word_len)


def _tag_organisation_names(sdoc, pattern: re.Pattern, text: str, word_len: dict[int, int] | None,
                            misread: tuple[str, ...] = ()) -> None:
    """Every match of ``pattern`` (organisation names) in ``text``, ``sdoc``'s text, that starts
    and ends at segmenter word boundaries and overlaps no entity, or is exactly an entity
    labelled one of ``misread``, becomes ORG."""
    from spacy.util import filter_spans

    matches = [m.span() for m in pattern.finditer(text)]
    if not matches:  # most paragraphs: no need to read their words
        return
    lengths = segmenter_word_lengths(sdoc) if word_len is None else word_len
    starts = {end - length for end, length in lengths.items()}
    relabelled = {(e.start_char, e.end_char) for e in sdoc.ents if e.label_ in misread}
    taken = [(e.start_char, e.end_char) for e in sdoc.ents]
    added, replaced = [], set()
    for start, end in matches:
        if (start, end) not in relabelled and (
                start not in starts or end not in lengths or any(s < end and start < e for s, e in taken)):
            continue
        span = sdoc.char_span(start, end, label="ORG")
        if span is not None:
            added.append(span)
            replaced.add((start, end))
    if added:
        kept = [e for e in sdoc.ents if (e.start_char, e.end_char) not in replaced]
        sdoc.ents = filter_spans(sorted([*kept, *added], key=lambda e: e.start_char))


def extend_place_to_organisation(sdoc, *, max_chars: int = 18, max_unit_chars: int = 10,
                                 word_len: dict[int, int] | None = None, convention: str = "",
                                 text: str | None = None) -> None:
    """Correct the model's spans with general rules of Chinese naming, in place.

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
    never runs into a person.
    """
    from spacy.util import filter_spans

    text = sdoc.text if text is None else text
    suffixes = org_suffixes()
    organisations = known_organisations()
    kg_names = convention != "msra"  # rules 2-4 write kg's convention of what one name is
    # segmenter words ending at each character offset, with their length (from the B/M/E/S tags)
    if word_len is None:
        word_len = segmenter_word_lengths(sdoc)
    word_end = set(word_len)
    word_start = {end - length for end, length in word_len.items()}
    # an extension may cross an entity only inside brackets (卧龙电驱（包头）永磁电机有限公司)
    blocking = sorted(e.start_char for e in sdoc.ents if e.start_char == 0 or text[e.start_char - 1] not in "（(")
    covered = {i for e in sdoc.ents for i in range(e.start_char, e.end_char)}
    spans = list(sdoc.ents)
    for prefix in REGION_PREFIXES:
        for m in re.finditer(prefix, text):
            # the prefix must be a word of its own: 自治区 inside 内蒙古自治区 is not the home region
            # and 自治区级 (regional-level) is an adjective, not a body
            if m.start() not in covered and m.start() in word_start and m.end() in word_end \
                    and not text.startswith("级", m.end()):
                spans.append(sdoc.char_span(m.start(), m.end(), label="LOC"))
    changed = len(spans) != len(sdoc.ents)
    result = []
    for ent in sorted(spans, key=lambda e: e.start_char):
        span = ent
        if ent.label_ != "ORG" and ent.text in organisations:
            span = sdoc.char_span(ent.start_char, ent.end_char, label="ORG")
        elif ent.label_ != "LOC" and is_known_place(ent.text):
            span = sdoc.char_span(ent.start_char, ent.end_char, label="LOC")
        if span.label_ == "LOC" and kg_names and _names_organisation(span.text, suffixes) and \
                _closes_organisation(text, span.end_char, word_len, suffixes):
            span = sdoc.char_span(span.start_char, span.end_char, label="ORG")
        elif span.label_ == "LOC" and kg_names:
            start = span.start_char
            if 0 < start and text[start - 1] in "（(" and text[span.end_char:span.end_char + 1] in ("）", ")"):
                # 金龙稀土新材料（包头）有限公司: the place in brackets sits inside the name
                start = _name_start(text, start - 1, result, max_chars)
            limit = min([s for s in blocking if s >= span.end_char] + [len(text), span.end_char + max_chars])
            end = _organisation_end(text, start, span.end_char, limit, word_len, suffixes)
            extended = sdoc.char_span(start, end, label="ORG") if end else None
            if extended is not None:
                span = extended
                if result and result[-1].end_char > start:
                    result.pop()  # the part before the bracket the model found on its own
        elif span.label_ == "ORG" and _closes_organisation(text, span.end_char, word_len, suffixes) \
                and "\u4e00" <= text[span.end_char:span.end_char + 1] <= "\u9fff":
            # an organisation's own unit follows its name: 内蒙古师范大学 + 生物标本馆,
            # …市场监督管理局 + 经济技术开发区分局
            limit = min([s for s in blocking if s >= span.end_char] + [len(text), span.end_char + max_unit_chars])
            limit = _clause_start(text, span.end_char, limit, word_len)
            end = _organisation_end(text, span.start_char, span.end_char, limit, word_len, suffixes)
            extended = sdoc.char_span(span.start_char, end, label="ORG") if end else None
            if extended is not None:
                span = extended
        # rule 4: an organisation, or a place before a full name (not a brand), joins the ORG after it
        if result and span.label_ == "ORG" and result[-1].end_char == span.start_char and (
                result[-1].label_ == "ORG" or (kg_names and result[-1].label_ == "LOC"
                                               and _names_organisation(span.text, suffixes))):
            merged = sdoc.char_span(result[-1].start_char, span.end_char, label="ORG")
            if merged is not None:
                result[-1] = merged
                changed = True
                continue
        changed = changed or span is not ent
        result.append(span)
    # 卧龙电驱（包头）永磁电机有限公司 found as pieces: an organisation right after a closing
    # bracket (or with an unopened one) reaches back over the bracket to its name's start
    for i, span in enumerate(result):
        if span.label_ != "ORG":
            continue
        # the bracket may sit right before the span or a word or two before it (…（包头）永磁电机有限公司)
        gap = next((k for k in range(span.start_char - 1, max(span.start_char - 5, -1), -1)
                    if text[k] in "）)" or _STOP.match(text[k])), None)
        close = gap if gap is not None and text[gap] in "）)" else None
        if close is None and not _balanced(span.text) and span.text[0] not in "（(":
            close = next((k for k in range(span.start_char, span.end_char) if text[k] in "）)"), None)
        if close is None:
            continue
        open_at = max(text.rfind("（", 0, close), text.rfind("(", 0, close))
        if open_at < 0 or close - open_at > 9:
            continue
        bracketed_place = _place_like(text[open_at + 1:close])
        note = (_NUMERAL.search(text, open_at + 1, close) and not bracketed_place) or any(
            e.label_ == "PER" and open_at < e.start_char < close for e in sdoc.ents)
        if note:
            continue  # not part of a name: （附图片１张）, （记者王黎）
        if close < span.start_char - 1 and not bracketed_place:
            continue  # across a gap, only a bracketed place: （包头）
        # a "person" right against a bracketed place is the brand (卧龙电驱（包头）…)
        brand = bracketed_place
        people = [e for e in result if e.label_ == "PER" and open_at - max_chars < e.end_char <= open_at
                  and not (brand and e.end_char == open_at)]
        start = _name_start(text, open_at, people, max_chars)
        if start < open_at and _balanced(text[start:span.end_char]):
            grown = sdoc.char_span(start, span.end_char, label="ORG")
            if grown is not None:
                result[i], changed = grown, True
    model_starts = {e.start_char for e in sdoc.ents}
    region_only = [s for s in result if s.label_ == "LOC" and s.text in REGION_PREFIXES
                   and s.start_char not in model_starts]
    trimmed = []
    for span in result:
        if span in region_only:
            changed = True
            continue
        start, end = span.start_char, span.end_char
        while start < end and _EDGE.match(text[start]) and _PAIRS.get(text[start], "\0") not in text[start + 1:end]:
            start += 1  # an opening mark stays with its closing one inside the name: “幸福工程”组委会
        while end > start and (_EDGE.match(text[end - 1]) or (span.label_ == "ORG" and text[end - 1] in _CONJUNCTIONS)) \
                and not _closes_bracket(text[start:end]):
            end -= 1
        if (start, end) != (span.start_char, span.end_char):
            changed = True
            span = sdoc.char_span(start, end, label=span.label_) if end > start else None
        if span is not None:
            trimmed.append(span)
    if changed:
        sdoc.ents = filter_spans(trimmed)


@lru_cache(maxsize=1 << 16)  # kg.link asks again for every pair of organisations
def company_short_form(name: str) -> str | None:
    """The short name a page uses for a company after its full name, or None: the full name
    less its legal form, the trade words before it, any bracketed place, and a known place it
    opens with, again while it opens with one (天津合生生物科技有限公司 -> 合生生物; 卧龙电驱（包头）永磁电机
    有限公司 -> 卧龙电驱永磁电机).  At least three characters, not a place, not opening with a numeral."""
    core = _without_legal_form(name)
    if core is None:
        return None
    for word in TRADE_WORDS:
        if core.endswith(word):
            core = core[: -len(word)]
            break
    return _short_name(core)


def _without_legal_form(name: str) -> str | None:
    """A company's name less its legal form (:data:`LEGAL_FORMS`), or None without one."""
    return next((name[: -len(form)] for form in LEGAL_FORMS if name.endswith(form)), None)


def _short_name(core: str) -> str | None:
    """``core`` less any bracketed place and the known places it opens with, when what is left
    can be a company's short name (:func:`company_short_form`)."""
    core = _BRACKETED.sub("", core)
    names = place_names()
    while opening := max((i for i in range(2, min(len(core), 8) + 1) if core[:i] in names), default=0):
        core = core[opening:]  # 呼和浩特市 + 玉泉区 + …
    if len(core) < 3 or core in names or not _NAME_CHARS.fullmatch(core) or core[0] in _NUMERALS:
        return None
    return core


#: words of a trade that a company's brand drops with its legal form (金宇保灵|生物|药品|有限公司)
BRAND_TRADE_WORDS = (*BRANDLESS_TRADE_WORDS, "药品", "制药", "医药", "食品", "乳业", "牧业", "农业", "电气", "机械",
                     "汽车", "钢铁", "稀土", "矿业", "冶金", "物流", "商贸", "软件", "通信", "设备", "新能源")


@lru_cache(maxsize=1 << 16)
def company_short_forms(name: str) -> tuple[str, ...]:
    """Every short name a page may call the company ``name`` by after naming it in full: its
    :func:`company_short_form`, and its brand, the name less its legal form and every trade word
    before it (金宇保灵生物药品有限公司 -> 金宇保灵生物药品, 金宇保灵); each at least three characters."""
    forms = [form] if (form := company_short_form(name)) else []
    core = _without_legal_form(name)
    if core is None:
        return tuple(forms)
    while trade := next((word for word in BRAND_TRADE_WORDS if core.endswith(word) and len(core) > len(word)), None):
        core = core[: -len(trade)]
    brand = _short_name(core)
    if brand and brand not in forms:
        forms.append(brand)
    return tuple(forms)


def tag_company_short_forms(sdocs: list, texts: list[str] | None = None) -> None:
    """A company a document names in full is then called by a short form (天津合生生物科技有限公司,
    then 合生生物; 金宇保灵生物药品有限公司, then 金宇保灵): every occurrence of a short form
    (:func:`company_short_forms`) of a company found in one of the document's paragraphs
    ``sdocs`` is an organisation, where it starts and ends at segmenter word boundaries and
    overlaps no entity but a person or place of exactly its span (the model read the brand as a
    name: 金宇保灵 as a person).

    ``texts``: the paragraphs' texts when known (spaCy builds ``Doc.text`` from a Token object
    per character).

    Spreading every name found to its other occurrences was tried (models/README.md): on the
    seed pages it spread the model's errors (现代煤化工, a company read as a person) as often
    as it found names."""
    short_forms = {short for sdoc in sdocs for ent in sdoc.ents if ent.label_ == "ORG"
                   for short in company_short_forms(ent.text)}
    if not short_forms:
        return
    pattern = re.compile("|".join(re.escape(n) for n in sorted(short_forms, key=len, reverse=True)))
    for sdoc, text in zip(sdocs, texts or [None] * len(sdocs)):
        _tag_organisation_names(sdoc, pattern, sdoc.text if text is None else text, None, misread=("PER", "LOC"))


#: one-character adverbs that follow a subject (苏都正伏案: 苏都 "just then" bent over his desk)
#: and that the model can read as a name's last character
PERSON_ADVERB_ENDINGS = "正也在都就还又曾已将便却才亦均仍"


def trim_people_adverbs(sdocs: list) -> None:
    """A person a document names as X is X wherever the model read X + a one-character adverb
    (:data:`PERSON_ADVERB_ENDINGS`) as a person: 苏都正伏案打磨 ("苏都 was just then polishing")
    gave the person 苏都正, and 苏都说 later in the page the person 苏都.  Only with the shorter
    name found as a person in the same document (``sdocs``: its paragraphs), and of two
    characters or more: 王建正 alone is a name."""
    from spacy.tokens import Span

    people = {ent.text for sdoc in sdocs for ent in sdoc.ents if ent.label_ == "PER"}
    for sdoc in sdocs:
        ents = list(sdoc.ents)
        trimmed = [Span(sdoc, ent.start, ent.end - 1, label="PER")
                   if ent.label_ == "PER" and len(ent.text) >= 3 and ent.text[-1] in PERSON_ADVERB_ENDINGS
                   and sdoc[ent.end - 1].text == ent.text[-1] and ent.text[:-1] in people else ent
                   for ent in ents]
        if trimmed != ents:
            sdoc.ents = trimmed


