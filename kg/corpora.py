"""Readers for the training and evaluation corpora in ``../shared/corpora``.

Each reader yields plain Python data (word lists or ``(text, spans)`` pairs) so that
training code never has to know a corpus's on-disk quirks (GBK, CRLF, bracketed
compounds, inclusive offsets).  Only :mod:`kg.train` and :mod:`kg.evaluate` use this.
"""
from __future__ import annotations

import json
import re
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


def peoples_daily_words(path: Path, *, join_names: bool = True) -> Iterator[list[str]]:
    """Yield the segmented words of each paragraph of ``199801.txt``.

    Bracketed compounds (``[中央/n 人民/n 广播/vn 电台/n]nt``) keep their inner words, as the
    PKU standard segments them.  With ``join_names`` a run of ``nr`` tokens (``江/nr 泽民/nr``) is
    one word, so a person's name is one token for the NER model downstream.
    """
    for tokens in _pd_lines(path):
        words: list[str] = []
        prev_nr = False
        for word, tag, _compound, _opens in tokens:
            if join_names and tag == "nr" and prev_nr:
                words[-1] += word
            else:
                words.append(word)
            prev_nr = tag == "nr"
        yield words


def peoples_daily_entities(path: Path) -> Iterator[Example]:
    """Yield People's Daily paragraphs as NER examples (nr -> PER, ns -> LOC, nt -> ORG).

    A bracketed compound counts once with its outer tag; consecutive ``nr`` tokens form one person.
    """
    for tokens in _pd_lines(path):
        text = ""
        spans: list[tuple[int, int, str]] = []
        compound_start: int | None = None
        prev_nr_start: int | None = None
        for word, tag, compound, opens in tokens:
            if opens:
                compound_start = len(text)
            start = len(text)
            text += word
            if compound_start is None:
                label = _PD_LABELS.get(tag)
                if tag == "nr" and prev_nr_start is not None:
                    spans[-1] = (prev_nr_start, len(text), "PER")
                elif label:
                    spans.append((start, len(text), label))
                prev_nr_start = (spans[-1][0] if tag == "nr" and spans else None)
            else:
                prev_nr_start = None
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
