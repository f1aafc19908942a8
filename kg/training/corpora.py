"""Readers for the training and evaluation corpora in ``../shared/corpora``.

Each reader yields plain Python data (word lists or ``(text, spans)`` pairs) so that
training code never has to know a corpus's on-disk quirks (GBK, CRLF, bracketed
compounds, inclusive offsets).  Only :mod:`kg.training.train` and :mod:`kg.training.evaluate` use this.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kg.errors import CorpusError

#: ``(text, [(start, end, label), ...])`` with end-exclusive character offsets.
Example = tuple[str, list[tuple[int, int, str]]]
#: the label of a span whose annotation is unknown: training treats it as neither entity nor O
MISSING = "?"
#: what follows a person's name in a doctrine named after them (邓小平理论, 毛泽东思想, 马克思主义)
_DOCTRINE_WORDS = ("理论", "思想", "主义")

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


def require(path: Path) -> Path:
    """``path``, or a :class:`CorpusError` naming it when the corpus file is not there."""
    if not path.exists():
        raise CorpusError(f"{path}: corpus file not found (set --corpora to the folder holding the corpora)")
    return path


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


def peoples_daily_char_pos(path: Path) -> Iterator[tuple[str, list[str]]]:
    """Yield each paragraph of ``199801.txt`` as its text and, for every character, the part
    of speech of the word it is in, prefixed by ``B-`` on the word's first character and
    ``I-`` on the others (``市场/n`` -> ``B-n``, ``I-n``).  A person's ``nr`` tokens are one
    word (:func:`person_groups`); the words inside a bracketed compound keep their own tags.
    The text is the one :func:`peoples_daily_entities` yields for the paragraph."""
    for tokens in map(_join_people, _pd_lines(path)):
        text, tags = [], []
        for word, tag, *_ in tokens:
            text.append(word)
            tags.extend([f"B-{tag}"] + [f"I-{tag}"] * (len(word) - 1))
        yield "".join(text), tags


def _word_tags(path: Path) -> dict[str, Counter]:
    """Each word of ``199801.txt`` -> how often each part of speech tags it."""
    tags: dict[str, Counter] = {}
    for tokens in _pd_lines(path):
        for word, tag, *_ in tokens:
            tags.setdefault(word, Counter())[tag] += 1
    return tags


def peoples_daily_predicate_verbs(path: Path, *, min_count: int = 5, min_share: float = 0.85) -> list[str]:
    """Words of two characters or more that ``199801.txt`` tags as plain verbs (``v``) in at
    least ``min_share`` of their ``min_count`` or more occurrences: predicates such as 成立,
    选派, 推动.  Verbs that are as often verbal nouns (``vn``: 管理, 发展, 建设) are left out,
    since organisation names are full of those (市场监督管理局, 发展和改革委员会)."""
    return sorted(word for word, seen in _word_tags(path).items()
                  if len(word) >= 2 and seen.total() >= min_count and seen["v"] >= min_share * seen.total())


def peoples_daily_clause_words(path: Path, *, min_count: int = 5, verb_share: float = 2 / 3,
                               adverb_share: float = 0.5) -> list[str]:
    """Words of two characters or more that make a clause, not a name: ``199801.txt`` tags them
    as adverbs (``d``, ``ad``: 坚决, 积极) in at least ``adverb_share``, or as plain verbs (``v``:
    支持, 召开) in at least ``verb_share``, of their ``min_count`` or more occurrences.  Looser than
    :func:`peoples_daily_predicate_verbs`; an organisation's unit written after its name holds
    none (南县人大常委会 + 坚决支持法院 is a clause)."""
    return sorted(word for word, seen in _word_tags(path).items()
                  if len(word) >= 2 and seen.total() >= min_count
                  and (seen["d"] + seen["ad"] >= adverb_share * seen.total() or seen["v"] >= verb_share * seen.total()))


def peoples_daily_adverbs(path: Path, *, min_count: int = 5, adverb_share: float = 0.5) -> list[str]:
    """Words, one character or more, that ``199801.txt`` tags as adverbs (``d``, ``ad``: 不, 已,
    全面) in at least ``adverb_share`` of their ``min_count`` or more occurrences: a word after
    one is read as a verb or adjective (全面|联通), not a name."""
    return sorted(word for word, seen in _word_tags(path).items()
                  if seen.total() >= min_count and seen["d"] + seen["ad"] >= adverb_share * seen.total())


def peoples_daily_entities(path: Path, *, entity_words: Mapping[str, str] | None = None,
                           abbreviations_unannotated: bool = False) -> Iterator[Example]:
    """Yield People's Daily paragraphs as NER examples (nr -> PER, ns -> LOC, nt -> ORG).

    A bracketed compound counts once with its outer tag; a person's ``nr`` tokens (surname + given
    name) form one PER, and a list of people printed without separators is one PER each
    (:func:`person_groups`).

    Where People's Daily's tags say nothing about entity-hood, the span is :data:`MISSING` rather
    than O, so this corpus does not teach "not an entity" where MSRA teaches an entity:

    * ``nz`` compounds ([中国/ns 人民/n 政治/n 协商/vn 会议/n]nz);
    * words of ``entity_words`` (see :func:`entity_lexicon`) tagged as common words or
      abbreviations (外交部/n, 十五大/j, 欧盟/j);
    * with ``abbreviations_unannotated``, every abbreviation (``j``) outside a tagged compound,
      one-character country names included (中/j 美/j, which MSRA tags and our pages' gold does not).

    A doctrine named after a person (邓小平理论/n, one word here) tags the person, when
    ``entity_words`` knows the name as a PER.
    """
    known = entity_words or {}
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
            if compound_start is None:
                if label:
                    spans.append((start, len(text), label))
                elif word in known or (abbreviations_unannotated and tag == "j"):
                    spans.append((start, len(text), MISSING))
                else:
                    name = _doctrine_person(word, known)
                    if name:
                        spans.append((start, start + len(name), "PER"))
            if compound is not None and compound_start is not None:
                label = _PD_LABELS.get(compound) or (MISSING if compound == "nz" else None)
                if label:
                    spans.append((compound_start, len(text), label))
                compound_start = None
        yield text, spans


def _doctrine_person(word: str, known: Mapping[str, str]) -> str | None:
    """The person a doctrine word is named after (邓小平理论 -> 邓小平), if ``known`` says PER."""
    for ending in _DOCTRINE_WORDS:
        if word.endswith(ending):
            name = word[: -len(ending)]
            return name if len(name) >= 2 and known.get(name) == "PER" else None
    return None


def entity_lexicon(examples: Iterable[Example], *, min_tagged: int = 3, min_share: float = 0.5) -> dict[str, str]:
    """Strings of two or more characters that ``examples`` tag as an entity at least
    ``min_tagged`` times and in at least ``min_share`` of the places they occur, with their
    most frequent label: what the reference annotation (MSRA) consistently calls an entity
    (十五大 ORG, 外交部 ORG, 邓小平 PER)."""
    examples = list(examples)
    tagged: dict[str, Counter] = {}
    for text, spans in examples:
        for start, end, label in spans:
            if end - start >= 2:
                tagged.setdefault(text[start:end], Counter())[label] += 1
    corpus = "\n".join(text for text, _ in examples)
    lexicon = {}
    for word, labels in tagged.items():
        total = labels.total()
        if total >= min_tagged and total >= min_share * corpus.count(word):
            lexicon[word] = labels.most_common(1)[0][0]
    return lexicon


def non_person_endings(examples: Iterable[Example], *, min_names: int = 30) -> dict[str, tuple[str, int, int]]:
    """Characters that end at least ``min_names`` places and organisations in ``examples`` and
    not one person, with the label they end most often and how many places and organisations
    they end: 矿 (ORG; 43 organisations, a place, no person in MSRA, People's Daily and
    CLUENER), 县 (LOC), 队 (ORG).  Characters common in given names (山, 江, 林, 海) end
    people too, so they are never here."""
    ends: dict[str, Counter] = {}
    for text, spans in examples:
        for _, end, label in spans:
            ends.setdefault(text[end - 1], Counter())[label] += 1
    table = {}
    for char, labels in ends.items():
        places, organisations = labels["LOC"], labels["ORG"]
        if not labels["PER"] and places + organisations >= min_names:
            table[char] = ("ORG" if organisations > places else "LOC", places, organisations)
    return table


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


#: one CLUENER2020 ``dev.json`` sentence in this many is held out of training (eval/README.md)
CLUENER_HELDOUT_EVERY = 5
#: the parts of CLUENER2020 ``dev.json`` ``kg evaluate --cluener-part`` scores
CLUENER_PARTS = ("heldout", "rest", "all")


def cluener_heldout(text: str) -> bool:
    """Whether a CLUENER2020 dev sentence is in the held-out part: ``sha1(text)`` (UTF-8) read as an
    integer is a multiple of :data:`CLUENER_HELDOUT_EVERY`.  Training never reads these sentences."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % CLUENER_HELDOUT_EVERY == 0


def cluener_part(examples: Iterable[Example], part: str) -> list[Example]:
    """The examples of a CLUENER2020 dev part: ``heldout`` (:func:`cluener_heldout`), ``rest``
    (the others, which training reads) or ``all``."""
    if part not in CLUENER_PARTS:
        raise CorpusError(f"unknown CLUENER part {part!r} (one of {', '.join(CLUENER_PARTS)})")
    return [ex for ex in examples if part == "all" or cluener_heldout(ex[0]) == (part == "heldout")]


def cluener_training(corpora_dir: Path, name: str) -> list[Example]:
    """A CLUENER2020 file's examples as training reads them: every sentence whose text is in the
    held-out part of ``dev.json`` (:func:`cluener_heldout`) left out, from ``train.json`` too."""
    heldout = {text for text, _ in cluener(require(corpora_dir / "cluener2020" / "dev.json")) if cluener_heldout(text)}
    return [ex for ex in cluener(require(corpora_dir / "cluener2020" / name)) if ex[0] not in heldout]


def mark_unannotated_entities(examples: Iterable[Example], entity_words: Mapping[str, str]) -> Iterator[Example]:
    """``examples`` with each untagged occurrence of an ``entity_words`` word made :data:`MISSING`
    (longest match first, never overlapping a tagged span): for corpora that annotate only some
    mentions (CLUENER2020 leaves many countries and agencies untagged)."""
    longest = max(map(len, entity_words), default=0)
    for text, spans in examples:
        taken = bytearray(len(text))
        for start, end, _ in spans:
            taken[start:end] = b"\x01" * (end - start)
        added = []
        i = 0
        while i < len(text):
            for size in range(min(longest, len(text) - i), 1, -1):
                if text[i:i + size] in entity_words and not any(taken[i:i + size]):
                    added.append((i, i + size, MISSING))
                    i += size - 1
                    break
            i += 1
        yield text, sorted(spans + added)


def sighan_gold(path: Path) -> Iterator[list[str]]:
    """Yield the gold words of each line of a SIGHAN 2005 ``*_test_gold.utf8`` file."""
    with path.open(encoding="utf-8", newline=None) as handle:
        for line in handle:
            words = line.split()
            if words:
                yield words
