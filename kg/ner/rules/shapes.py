"""What names look like in Chinese text: the characters a name never runs across, brackets,
counts, organisation endings that close a segmenter word, and where a name's clause starts.
Shared by the rules of :mod:`kg.ner.rules`."""
from __future__ import annotations

import re

from kg.gazetteer import clause_words, is_known_place, predicate_verbs
from kg.naming import COUNTY_AND_ABOVE_SUFFIXES

# what an organisation name never runs across; brackets are allowed (金龙稀土新材料（包头）有限公司)
STOP = re.compile(r"[\s，。、；：！？“”‘’《》〈〉「」,.;:!?与和及同等在的]")
#: what never ends an organisation's name: a conjunction left over from a list (…监督和)
CONJUNCTIONS = "和与及同"
EDGE = re.compile(r"[\s，。、；：！？“”‘’《》〈〉「」,.;:!?（）()]")
#: opening marks and their closing ones
PAIRS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "「": "」", "（": "）", "(": ")"}

_DIGITS, _NUMBER_CHARS = "0-9０-９", "一二三四五六七八九十两几多数"
#: a number, in digits or in characters (5, ５, 两, 十二, 几, 多)
NUMBER = rf"(?:[{_DIGITS}]+|[{_NUMBER_CHARS}]+)"
#: one character of such a number
NUMERAL = re.compile(rf"[{_DIGITS}{_NUMBER_CHARS}]")
#: one-character words that make a clause of what follows a place, never part of a name:
#: 廊坊|是|城乡结合部, 盘锦市改革|了|中小学, 城西|有|个孤儿院 (有限公司 is one word)
_CLAUSE_WORDS = "了是有把被将"
#: a count of things (两家, 7所, 首座): a clause, never inside a name (第一医院 is, hence 第)
_COUNTED = re.compile(rf"(?<!第)(?:{NUMBER}|首)[家所个座批项名位条支]")
#: what bounds a clause of a 、-list
LIST_BOUNDARY = re.compile(r"[\s，。；：！？“”‘’《》〈〉「」,.;:!?（）()]")


def names_organisation(text: str, suffixes: tuple[str, ...]) -> bool:
    """A span "labelled LOC" that ends like an organisation (公安厅交通管理局, 内蒙古大学) is one.
    One-character endings other than 局/厅/署/办/院 are too ambiguous on their own (转运站, 派出所)."""
    if not text.endswith(suffixes):  # most spans: one C call instead of a loop over the suffixes
        return False
    return any(text.endswith(s) and len(text) > len(s) and (len(s) > 1 or s in "局厅署办院") for s in suffixes)


def closes_bracket(name: str) -> bool:
    """Whether ``name`` ends with a bracket or quote it opened (合生远景(内蒙古) keeps its closing
    bracket, “幸福工程” its closing quote)."""
    if name[-1] in "）)":
        return name.count("（") + name.count("(") >= name.count("）") + name.count(")")
    return any(name[-1] == close and opening in name[:-1] for opening, close in PAIRS.items())


def closes_organisation(text: str, end: int, word_len: dict[int, int], suffixes: tuple[str, ...]) -> bool:
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
            return length == 1 and suffix != "所" and not NUMERAL.match(text[end - 2:end - 1])
    return False


def balanced(name: str) -> bool:
    return name.count("（") + name.count("(") == name.count("）") + name.count(")")


def name_start(text: str, bracket: int, before: list, max_chars: int) -> int:
    """Where a name that reaches a bracket at ``bracket`` begins: after the last stop character
    or earlier entity (a person, a place), at most ``max_chars`` back."""
    floor = max([bracket - max_chars, 0] + [e.end_char for e in before if e.end_char <= bracket and e.label_ != "ORG"])
    start = bracket
    while start > floor and not STOP.match(text[start - 1]):
        start -= 1
    return start


def predicate_end(text: str, start: int, word_len: dict[int, int]) -> int | None:
    """End of the segmenter word at ``start`` if it is a predicate verb (成立, 选派: see
    ``models/predicate_verbs.txt``), else ``None``."""
    verbs = predicate_verbs()
    for end in range(start + 2, min(start + 5, len(text)) + 1):
        if word_len.get(end) == end - start and text[start:end] in verbs:
            return end
    return None


def clause_start(text: str, start: int, limit: int, word_len: dict[int, int]) -> int:
    """Start of the first segmenter word in ``text[start:limit]`` that makes a clause (an
    adverb or a verb, ``models/clause_words.txt``: 坚决, 支持), else ``limit``."""
    words = clause_words()
    for end in range(start + 2, limit + 1):
        length = word_len.get(end)
        if length and length >= 2 and end - length >= start and text[end - length:end] in words:
            return end - length
    return limit


def organisation_end(text: str, name_start: int, start: int, limit: int, word_len: dict[int, int],
                     suffixes: tuple[str, ...]) -> int | None:
    """End of the longest organisation name ``text[name_start:end]`` with ``start < end <= limit``
    (brackets balanced, no stop character after ``start``).

    A name does not run across a count (内蒙古 + 新增两家…学院), and a predicate verb right after
    ``start`` may only be followed by the organisation word itself (内蒙古 + 创新 + 中心 is a name;
    巴彦淖尔市 + 成立 + 农推官工作室 and 克什克腾旗 + 选派 + 原民族语言授课学校 are clauses)."""
    stop = STOP.search(text, start, limit)
    limit = stop.start() if stop else limit
    counted = _COUNTED.search(text, start, limit)
    limit = counted.start() if counted else limit
    limit = next((i for i in range(start, limit) if text[i] in _CLAUSE_WORDS and word_len.get(i + 1) == 1), limit)
    verb_end = predicate_end(text, start, word_len)
    for end in range(limit, start, -1):
        if verb_end is not None and end > verb_end and word_len.get(end) != end - verb_end:
            continue
        if closes_organisation(text, end, word_len, suffixes) and balanced(text[name_start:end]):
            return end
    return None


def place_like(text: str) -> bool:
    """A known place, or a name ending like an administrative unit (…市, …旗)."""
    return is_known_place(text) or (1 < len(text) <= 8 and text.endswith(COUNTY_AND_ABOVE_SUFFIXES))


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the clause of ``text`` holding ``text[start:end]``: from after the last
    :data:`LIST_BOUNDARY` before ``start`` to the first one at or after ``end``."""
    while start > 0 and not LIST_BOUNDARY.match(text[start - 1]):
        start -= 1
    while end < len(text) and not LIST_BOUNDARY.match(text[end]):
        end += 1
    return start, end
