"""A word lexicon the NER reads as features: every dictionary word each character is part of.

The segmenter gives each character one word, its best guess.  Lexicon-enhanced Chinese NER
(Lattice LSTM, SoftLexicon) adds every dictionary word that *could* cover the character, and
what kind of word it is: 呼和浩特 matched as a place ending at 特, 内蒙古自治区 as a place
beginning at 内, 乔致庸 as a person.  That is knowledge the annotated sentences never show the
model, and it reaches names the training text never printed.

The lexicon is jieba's dictionary (``dict.txt``, 349,046 words with part-of-speech tags, MIT
licence), its tags reduced to a few classes (:data:`CLASSES`), plus kg's gazetteer of places
(``models/places.tsv``).  ``kg train lexicon`` writes it to ``models/lexicon.tsv``; the
tokenizer (``lexicon = "lexicon.tsv"`` in ``[nlp.tokenizer]``) matches it against each text and
stores, for every character, which classes of word begin (``B``), continue (``M``) or end
(``E``) there, or are the character alone (``S``), as the token's ``MORPH``
(``B=LOC,W|E=PER``), one more hashed feature of ``kg.MultiHashEmbed.v1``.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

#: jieba part-of-speech tags and the lexicon class each becomes (any other tag: ``W``, a word)
CLASSES = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG", "nz": "NZ", "j": "ABBR"}
#: classes a one-character word keeps (a single character is otherwise no news)
SINGLE_CLASSES = frozenset({"PER", "LOC", "ORG"})
#: a lexicon table value: the word's classes; :data:`PREFIX` marks a proper prefix of a longer word
PREFIX = "+"


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
    from kg.zh_tokenizer import fold

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
        from kg.gazetteer import dictionary_words

        for word in dictionary_words(places):
            add(word, "LOC")
    return {word: ",".join(sorted(k)) for word, k in sorted(classes.items())}


def write_lexicon(entries: dict[str, str], out: Path) -> Path:
    """``entries`` as ``word<TAB>classes`` lines, written whole or not at all."""
    staging = out.with_name(out.name + ".partial")
    staging.write_text("".join(f"{w}\t{c}\n" for w, c in entries.items()), encoding="utf-8")
    staging.replace(out)
    return out


class Lexicon:
    """A loaded lexicon, matched against texts with :meth:`features`."""

    def __init__(self, entries: dict[str, str], max_length: int = 16) -> None:
        self.max_length = max_length
        table: dict[str, str] = {}
        for word, klass in entries.items():
            if len(word) > max_length:
                continue
            table[word] = klass + table.get(word, "")  # a prefix mark already set stays at the end
            for end in range(2, len(word)):
                prefix = word[:end]
                if not table.get(prefix, "").endswith(PREFIX):
                    table[prefix] = table.get(prefix, "") + PREFIX
        self.table = table
        self.size = len(entries)

    @classmethod
    def read(cls, path: Path) -> "Lexicon":
        if not path.exists():
            raise FileNotFoundError(f"{path}: lexicon not found; build it with `kg train lexicon`")
        entries = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            word, sep, klass = line.partition("\t")
            if not sep or not klass:
                raise ValueError(f"{path}:{number}: expected 'word<TAB>classes', got {line!r}")
            entries[word] = klass
        return cls(entries)

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Every lexicon word in ``text`` (already folded) as ``(start, end, classes)``."""
        table, found, n = self.table, [], len(text)
        for start in range(n):
            single = table.get(text[start])
            if single and single.rstrip(PREFIX):
                found.append((start, start + 1, single.rstrip(PREFIX)))
            for end in range(start + 2, min(n, start + self.max_length) + 1):
                value = table.get(text[start:end])
                if value is None:
                    break
                if value.rstrip(PREFIX):
                    found.append((start, end, value.rstrip(PREFIX)))
                if not value.endswith(PREFIX):
                    break
        return found

    def features(self, text: str) -> list[str]:
        """For each character of ``text`` (folded, one character per character), the classes of
        the lexicon words that begin, continue or end there, or that it is alone, as a
        morphological-features string (``B=LOC,W|E=PER``; ``""`` where no word matches)."""
        slots: list[dict[str, set[str]]] = [{} for _ in text]
        for start, end, klass in self.matches(text):
            classes = klass.split(",")
            if end - start == 1:
                slots[start].setdefault("S", set()).update(classes)
                continue
            slots[start].setdefault("B", set()).update(classes)
            slots[end - 1].setdefault("E", set()).update(classes)
            for i in range(start + 1, end - 1):
                slots[i].setdefault("M", set()).update(classes)
        return [_feats(tuple((p, tuple(sorted(c))) for p, c in sorted(slot.items()))) for slot in slots]


@lru_cache(maxsize=4)
def load_lexicon(path: Path) -> Lexicon:
    """:meth:`Lexicon.read`, once a process for each file."""
    return Lexicon.read(path)


@lru_cache(maxsize=100_000)
def _feats(slot: tuple) -> str:
    return "|".join(f"{position}={','.join(classes)}" for position, classes in slot)
