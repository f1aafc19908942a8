"""Building the NER's word lexicons (:mod:`kg.ner.lexicon` reads them): the word lexicon from
jieba's dictionary and kg's places (``kg train lexicon`` → ``models/lexicon.tsv``), and the
names lexicon of the training sentences' entities, by folds (``configs/ner-names.cfg``)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.gazetteer import dictionary_words
from kg.naming import fold
from kg.ner.lexicon import CLASSES, NAME_CLASSES, NAME_FOLDS, NAME_MAX_LENGTH, NAME_MIN_SHARE, SINGLE_CLASSES, Lexicon


def jieba_entries(path: Path) -> Iterable[tuple[str, str]]:
    """``(word, class)`` from a jieba dictionary file (``word freq tag`` a line)."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            parts = line.split()
            if len(parts) < 3:
                if parts:
                    raise ValueError(f"{path}:{number}: expected 'word frequency tag', got {line.strip()!r}")
                continue
            yield parts[0], CLASSES.get(parts[2], "W")


def build_entries(jieba_dict: Path, places: Path | None = None) -> dict[str, str]:
    """The lexicon: folded word → its classes, comma-separated and sorted.  Words of one
    character keep only :data:`SINGLE_CLASSES`; places from kg's gazetteer are ``LOC``."""
    classes: dict[str, set[str]] = {}

    def add(word: str, klass: str) -> None:
        word = fold(word.strip())
        if not word or any(ch.isspace() for ch in word):
            return
        if len(word) == 1 and klass not in SINGLE_CLASSES:
            return
        classes.setdefault(word, set()).add(klass)

    for word, klass in jieba_entries(jieba_dict):
        add(word, klass)
    if places is not None:
        for word in dictionary_words(places, national=False):
            add(word, "LOC")
    return {word: ",".join(sorted(k)) for word, k in sorted(classes.items())}


def names_entries(examples: Iterable[tuple[str, list]], *, min_length: int = 2,
                  min_share: float = 0.0) -> dict[str, str]:
    """The names lexicon of annotated ``(text, spans)`` examples: each entity's folded text →
    the labels (``PER``/``LOC``/``ORG``) it was annotated with.  Spans of other labels (the
    corpora's *missing*) and names shorter than ``min_length`` are left out, and so, with
    ``min_share``, is a name annotated in less than that share of its occurrences in the
    examples' text (民生 is once a bank, mostly "people's livelihood").  A relative of
    :func:`kg.training.corpora.entity_lexicon`, which harmonises the training data and so keeps its own
    rule (one label, raw text, every occurrence counted); this one keeps every label, folds, and
    does not count a name inside a longer annotated one (:func:`occurrences`)."""
    examples = list(examples)
    classes: dict[str, set[str]] = {}
    annotated: dict[str, int] = {}
    for text, spans in examples:
        for start, end, label in spans:
            if label in NAME_CLASSES and end - start >= min_length:
                name = fold(text[start:end])
                if len(name) == end - start and not any(ch.isspace() for ch in name):
                    classes.setdefault(name, set()).add(label)
                    annotated[name] = annotated.get(name, 0) + 1
    if min_share:
        printed = occurrences(classes, examples)
        classes = {name: k for name, k in classes.items() if annotated[name] >= min_share * printed.get(name, 0)}
    return {name: ",".join(sorted(k)) for name, k in sorted(classes.items())}


def occurrences(names: Iterable[str], examples: Iterable[tuple[str, list]]) -> dict[str, int]:
    """How often each of ``names`` is printed in the examples' (folded) text, inside longer words
    too, but not inside a longer annotated entity (包头 in an annotated 包头市 is part of that
    name, not an occurrence of its own)."""
    lexicon = Lexicon({name: "PER" for name in names}, NAME_MAX_LENGTH)
    counts: dict[str, int] = {}
    for text, spans in examples:
        text = fold(text)
        entities = [(s, e) for s, e, label in spans if label in NAME_CLASSES]
        for start, end, _ in lexicon._spans(text):
            if any(s <= start and end <= e and e - s > end - start for s, e in entities):
                continue
            name = text[start:end]
            counts[name] = counts.get(name, 0) + 1
    return counts


def name_folds(examples: list, folds: int = NAME_FOLDS, *, min_share: float = NAME_MIN_SHARE) -> list["Lexicon"]:
    """One names lexicon per fold: fold ``k`` (the examples ``i`` with ``i % folds == k``) gets
    the names of every other fold (:func:`names_entries` of them), as a text the model has not
    read gets the names of the training text."""
    return [Lexicon(names_entries((ex for i, ex in enumerate(examples) if i % folds != k), min_share=min_share),
                    NAME_MAX_LENGTH)
            for k in range(folds)]
