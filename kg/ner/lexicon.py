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

A second lexicon, of *names*, holds every entity the training sentences annotate, with its
labels (:func:`names_entries`): the gazetteer a reader builds from what they have read.  Its
matches go into the same ``MORPH`` under keys of their own (``NB=ORG|NE=ORG``) and are embedded
apart (``NAMES`` in ``kg.MultiHashEmbed.v1``).  A model trained with every training name in
its lexicon would learn that a name is always there; ``kg train ner`` therefore gives each
fifth of the training sentences the names of the other four fifths (:func:`name_folds`), so the
model learns how far the names of text it has not read can be trusted.  The model keeps its
names lexicon in its tokenizer folder (``tokenizer/names.tsv``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy

from kg.errors import ModelError
from kg.files import write_text
from kg.ner.segmenter import HASH_BASE
from kg.ner.segmenter import HashTable

#: jieba part-of-speech tags and the lexicon class each becomes (any other tag: ``W``, a word)
CLASSES = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG", "nz": "NZ", "j": "ABBR"}
#: classes a one-character word keeps (a single character is otherwise no news)
SINGLE_CLASSES = frozenset({"PER", "LOC", "ORG"})
#: every class, and its bit in a lexicon table value
CLASS_BITS = {name: 1 << i for i, name in enumerate(sorted({*CLASSES.values(), "W"}))}
#: a table value's bit for a proper prefix of a longer word (matching goes on past it)
PREFIX = 1 << len(CLASS_BITS)
#: the B/M/E/S positions, each shifting the class bits to its own field
POSITIONS = ("B", "M", "E", "S")
_WIDTH = len(CLASS_BITS)
_B, _M, _E, _S = (i * _WIDTH for i in range(len(POSITIONS)))
_CLASSES = (1 << _WIDTH) - 1
#: the labels a names lexicon holds, and the prefix of its keys in ``MORPH``
NAME_CLASSES = frozenset({"PER", "LOC", "ORG"})
NAMES_KEY = "N"
#: folds of the training sentences, each matched against the names of the others
NAME_FOLDS = 5
#: the longest name matched (organisation names run long: 中国人民政治协商会议全国委员会)
NAME_MAX_LENGTH = 32
#: a name stays in the lexicon when annotated in at least this share of its occurrences
NAME_MIN_SHARE = 0.5


def write_lexicon(entries: dict[str, str], out: Path) -> Path:
    """``entries`` as ``word<TAB>classes`` lines, written whole or not at all."""
    return write_text(out, "".join(f"{w}\t{c}\n" for w, c in entries.items()))


class Lexicon:
    """A loaded lexicon, matched against texts with :meth:`features`."""

    def __init__(self, entries: dict[str, str], max_length: int = 16) -> None:
        self.max_length = max_length
        table: dict[str, int] = {}
        for word, classes in entries.items():
            if len(word) > max_length:
                continue
            for klass in classes.split(","):
                table[word] = table.get(word, 0) | CLASS_BITS[klass]
            for end in range(2, len(word)):
                table[word[:end]] = table.get(word[:end], 0) | PREFIX
        self.table = table

    @classmethod
    def read(cls, path: Path, max_length: int = 16) -> "Lexicon":
        if not path.exists():
            raise ModelError(f"{path}: lexicon not found; build it with `kg train lexicon`")
        entries = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            word, sep, classes = line.partition("\t")
            if not sep or not classes or not set(classes.split(",")) <= CLASS_BITS.keys():
                raise ModelError(f"{path}:{number}: expected 'word<TAB>classes' (of {', '.join(CLASS_BITS)}), "
                                 f"got {line!r}; rebuild it with `kg train lexicon`")
            entries[word] = classes
        return cls(entries, max_length)

    def _spans(self, text: str):
        """``(start, end, class bits)`` of every lexicon word in ``text``."""
        table, n, longest = self.table, len(text), self.max_length
        for start in range(n):
            value = table.get(text[start], 0) & _CLASSES
            if value:
                yield start, start + 1, value
            for end in range(start + 2, min(n, start + longest) + 1):
                value = table.get(text[start:end])
                if value is None:
                    break
                if value & _CLASSES:
                    yield start, end, value & _CLASSES
                if not value & PREFIX:
                    break

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Every lexicon word in ``text`` (already folded) as ``(start, end, classes)``."""
        return [(start, end, _class_names(bits)) for start, end, bits in self._spans(text)]

    def features(self, text: str, key_prefix: str = "") -> list[str]:
        """For each character of ``text`` (folded, one character per character), the classes of
        the lexicon words that begin, continue or end there, or that it is alone, as a
        morphological-features string (``B=LOC,W|E=PER``; ``""`` where no word matches); each
        position key is prefixed with ``key_prefix`` (``NB=ORG`` for the names lexicon)."""
        return [feature_string(f, key_prefix) for f in self.fields(text)]

    def fields(self, text: str) -> list[int]:
        """Each character's B/M/E/S class fields (:func:`feature_string` writes one as a string), matched
        in Python: faster for one short text than :meth:`fields_many`, which a batch needs."""
        fields = [0] * len(text)
        for start, end, bits in self._spans(text):
            if end - start == 1:
                fields[start] |= bits << _S
                continue
            fields[start] |= bits << _B
            fields[end - 1] |= bits << _E
            for i in range(start + 1, end - 1):
                fields[i] |= bits << _M
        return fields

    def fields_many(self, texts: list[str]) -> list[numpy.ndarray]:
        """:meth:`fields` of each text, found for all ``texts`` at once with numpy.  Every window
        of two characters is hashed (64-bit polynomial hash of its code points) and looked up;
        a window grows by a character only while it is a proper prefix of a longer word, as
        :meth:`_spans` walks it."""
        table = self._hash_table()
        codes = [numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32) for text in texts]
        lengths = numpy.array([len(c) for c in codes], dtype=numpy.int64)
        if not lengths.sum():
            return [numpy.zeros(0, dtype=numpy.int64) for _ in texts]
        single = numpy.concatenate(codes).astype(numpy.uint64) + numpy.uint64(1)
        seg_end = numpy.repeat(numpy.cumsum(lengths), lengths)  # where each character's text ends
        found = table.get(single)
        fields = numpy.where(found >= 0, found & _CLASSES, 0) << _S
        starts = numpy.flatnonzero(numpy.arange(len(single)) + 2 <= seg_end)
        hashes = single[starts]
        length = 2
        while len(starts) and length <= self.max_length:
            hashes = hashes * HASH_BASE + single[starts + length - 1]
            found = table.get(hashes)
            classes = numpy.where(found >= 0, found & _CLASSES, 0)
            matched = classes > 0
            at, bits = starts[matched], classes[matched]
            fields[at] |= bits << _B
            fields[at + length - 1] |= bits << _E
            for inside in range(1, length - 1):  # one match a start: no index repeats
                fields[at + inside] |= bits << _M
            grows = (found >= 0) & (found & PREFIX > 0) & (starts + length + 1 <= seg_end[starts])
            starts, hashes = starts[grows], hashes[grows]
            length += 1
        return numpy.split(fields, numpy.cumsum(lengths)[:-1])

    def _hash_table(self):
        """The table as a :class:`kg.ner.segmenter.HashTable` keyed by each word's hash, built once."""
        if getattr(self, "_hashed", None) is None:
            words = list(self.table)
            self._hashed = HashTable(word_hashes(words), numpy.array([self.table[w] for w in words]), missing=-1)
        return self._hashed

    def entries(self) -> dict[str, str]:
        """The words and their classes, as :meth:`read` took them."""
        return {word: _class_names(bits & _CLASSES) for word, bits in self.table.items() if bits & _CLASSES}


def word_hashes(words: list[str]) -> numpy.ndarray:
    """The 64-bit polynomial hash of each word's code points (``h = h * HASH_BASE + cp + 1``,
    as :meth:`Lexicon.fields_many` hashes a text's windows), computed a word length at a time."""
    hashes = numpy.zeros(len(words), dtype=numpy.uint64)
    by_length: dict[int, list[int]] = {}
    for i, word in enumerate(words):
        by_length.setdefault(len(word), []).append(i)
    for length, index in by_length.items():
        codes = numpy.frombuffer("".join(words[i] for i in index).encode("utf-32-le"), dtype=numpy.uint32)
        codes = codes.reshape(len(index), length).astype(numpy.uint64) + numpy.uint64(1)
        h = numpy.zeros(len(index), dtype=numpy.uint64)
        for column in range(length):
            h = h * HASH_BASE + codes[:, column]
        hashes[index] = h
    return hashes


@lru_cache(maxsize=4)
def load_lexicon(path: Path) -> Lexicon:
    """:meth:`Lexicon.read`, once a process for each file."""
    return Lexicon.read(path)


def _class_names(bits: int) -> str:
    return ",".join(name for name, bit in CLASS_BITS.items() if bits & bit)


@lru_cache(maxsize=100_000)
def feature_string(fields: int, key_prefix: str = "") -> str:
    """One character's B/M/E/S class fields as ``B=LOC,W|E=PER`` (positions in alphabetical
    order, as spaCy's morphology writes them), each key after ``key_prefix``."""
    parts = []
    for position, shift in sorted(zip(POSITIONS, (_B, _M, _E, _S))):
        bits = (fields >> shift) & _CLASSES
        if bits:
            parts.append(f"{key_prefix}{position}={_class_names(bits)}")
    return "|".join(parts)
