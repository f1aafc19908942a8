"""Readers for the training and evaluation corpora in ``../shared/corpora``.

Each reader yields plain Python data (word lists or ``(text, spans)`` pairs) so that
training code never has to know a corpus's on-disk quirks (GBK, CRLF, bracketed
compounds, inclusive offsets).  Only :mod:`kg.train` and :mod:`kg.evaluate` use this.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from kg.errors import CorpusError

#: ``(text, [(start, end, label), ...])`` with end-exclusive character offsets.
Example = tuple[str, list[tuple[int, int, str]]]

_PD_TOKEN = re.compile(r"^(\[)?(.+?)/([A-Za-z]+)(?:\](\w+))?$")
_PD_LABELS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}

CLUENER_LABELS = {
    "name": "PER",
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",
    "address": "LOC",
    "scene": "LOC",
}


def _pd_lines(path: Path) -> Iterator[list[tuple[str, str, str | None, bool]]]:
    """Yield each People's Daily paragraph as ``(word, tag, compound_tag, opens)`` tuples."""
    try:
        text = path.read_bytes().decode("gbk")
    except (OSError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: cannot read People's Daily corpus as GBK: {err}") from err
    for lineno, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        parts = line.split()
        if len(parts) < 2:
            continue
        tokens = []
        for part in parts[1:]:  # parts[0] is the line id 19980101-01-001-001/m
            m = _PD_TOKEN.match(part)
            if not m:
                raise CorpusError(f"{path}:{lineno}: malformed token {part!r}")
            tokens.append((m.group(2), m.group(3), m.group(4), bool(m.group(1))))
        yield tokens


#: two-character surnames (a People's Daily name is surname/nr + given name/nr: 欧阳/nr 修/nr)
COMPOUND_SURNAMES = frozenset("欧阳 司马 诸葛 上官 东方 皇甫 令狐 公孙 慕容 尉迟 端木 夏侯 长孙 宇文 司徒 "
                              "司空 澹台 公冶 轩辕 呼延 万俟 闻人 赫连 西门 南宫 独孤 申屠 钟离".split())


def person_groups(names: list[str]) -> list[int]:
    """How many tokens of a run of People's Daily ``nr`` tokens each person takes.

    The corpus writes a Chinese name as surname + given name (``江/nr 泽民/nr``) and prints
    lists of people with nothing between them (``李/nr 鹏/nr 乔/nr 石/nr``: 李鹏 and 乔石, not
    one person 李鹏乔石).  A one-character (or compound) surname takes the next token of at most
    two characters as its given name; any other token (a foreign name, 帕巴拉·格列朗杰) is a
    person on its own, except that two tokens alone, neither of one character, are one
    (a Japanese name: 桥本/nr 龙太郎/nr)."""
    if len(names) == 2 and min(map(len, names)) > 1 and names[0] not in COMPOUND_SURNAMES:
        return [2]
    groups, i = [], 0
    while i < len(names):
        surname = len(names[i]) == 1 or names[i] in COMPOUND_SURNAMES
        if surname and i + 1 < len(names) and len(names[i + 1]) <= 2:
            groups.append(2)
            i += 2
        else:
            groups.append(1)
            i += 1
    return groups


def _join_people(tokens: list[tuple[str, str, str | None, bool]]) -> list[tuple[str, str, str | None, bool]]:
    """The paragraph's tokens with each person's ``nr`` tokens joined into one (see :func:`person_groups`)."""
    out: list[tuple[str, str, str | None, bool]] = []
    i = 0
    while i < len(tokens):
        if tokens[i][1] != "nr" or tokens[i][3] or tokens[i][2] is not None:
            out.append(tokens[i])
            i += 1
            continue
        j = i
        # a run of plain nr tokens (not opening or closing a bracketed compound)
        while j < len(tokens) and tokens[j][1] == "nr" and not tokens[j][3] and tokens[j][2] is None:
            j += 1
        run = tokens[i:j]
        k = 0
        for size in person_groups([t[0] for t in run]):
            out.append(("".join(t[0] for t in run[k:k + size]), "nr", None, False))
            k += size
        i = j
    return out


def peoples_daily_words(path: Path, *, join_names: bool = True) -> Iterator[list[str]]:
    """Yield the segmented words of each paragraph of ``199801.txt``.

    Bracketed compounds (``[中央/n 人民/n 广播/vn 电台/n]nt``) keep their inner words, as the
    PKU standard segments them.  With ``join_names`` each person's ``nr`` tokens (``江/nr 泽民/nr``)
    are one word, so a person's name is one token for the NER model downstream; a list of people
    stays a list of names (:func:`person_groups`).
    """
    for tokens in _pd_lines(path):
        yield [word for word, *_ in (_join_people(tokens) if join_names else tokens)]


def peoples_daily_predicate_verbs(path: Path, *, min_count: int = 5, min_share: float = 0.85) -> list[str]:
    """Words of two characters or more that ``199801.txt`` tags as plain verbs (``v``) in at
    least ``min_share`` of their ``min_count`` or more occurrences: predicates such as 成立,
    选派, 推动.  Verbs that are as often verbal nouns (``vn``: 管理, 发展, 建设) are left out,
    since organisation names are full of those (市场监督管理局, 发展和改革委员会)."""
    tags: dict[str, Counter] = {}
    for tokens in _pd_lines(path):
        for word, tag, *_ in tokens:
            tags.setdefault(word, Counter())[tag] += 1
    return sorted(word for word, seen in tags.items()
                  if len(word) >= 2 and seen.total() >= min_count and seen["v"] >= min_share * seen.total())


def peoples_daily_entities(path: Path) -> Iterator[Example]:
    """Yield People's Daily paragraphs as NER examples (nr -> PER, ns -> LOC, nt -> ORG).

    A bracketed compound counts once with its outer tag; a person's ``nr`` tokens (surname + given
    name) form one PER, and a list of people printed without separators is one PER each
    (:func:`person_groups`).
    """
    for tokens in map(_join_people, _pd_lines(path)):
        text = ""
        spans: list[tuple[int, int, str]] = []
        compound_start: int | None = None
        for word, tag, compound, opens in tokens:
            if opens:
                compound_start = len(text)
            start = len(text)
            text += word
            label = _PD_LABELS.get(tag)
            if compound_start is None and label:
                spans.append((start, len(text), label))
            if compound is not None and compound_start is not None:
                label = _PD_LABELS.get(compound)
                if label:
                    spans.append((compound_start, len(text), label))
                compound_start = None
        yield text, spans


def msra_bio(path: Path) -> Iterator[Example]:
    """Yield sentences of the MSRA NER BIO files (one ``char<TAB>tag`` per line)."""
    chars: list[str] = []
    tags: list[str] = []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise CorpusError(f"{path}: cannot open MSRA corpus: {err}") from err
    with handle:
        for lineno, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line:
                if chars:
                    yield "".join(chars), bio_to_spans(tags)
                chars, tags = [], []
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise CorpusError(f"{path}:{lineno}: expected 'char<TAB>tag', got {line!r}")
            chars.append(parts[0])
            tags.append(parts[1])
    if chars:
        yield "".join(chars), bio_to_spans(tags)


def bio_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Turn a BIO tag list into ``(start, end, label)`` spans."""
    spans: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if label is not None:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


def cluener(path: Path) -> Iterator[Example]:
    """Yield CLUENER2020 sentences with labels mapped to PER/ORG/LOC (other types dropped)."""
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise CorpusError(f"{path}:{lineno}: invalid JSON: {err}") from err
            spans = []
            for kind, entities in obj.get("label", {}).items():
                label = CLUENER_LABELS.get(kind)
                if not label:
                    continue
                for offsets in entities.values():
                    for start, end in offsets:
                        spans.append((start, end + 1, label))  # CLUENER ends are inclusive
            yield obj["text"], sorted(spans)


def sighan_gold(path: Path) -> Iterator[list[str]]:
    """Yield the gold words of each line of a SIGHAN 2005 ``*_test_gold.utf8`` file."""
    with path.open(encoding="utf-8", newline=None) as handle:
        for line in handle:
            words = line.split()
            if words:
                yield words
