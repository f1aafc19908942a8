"""Names users add (``kg build --names FILE``): tagged wherever they occur at a word boundary.

A names file is UTF-8 TSV, one name a line: ``name<TAB>PER|ORG|LOC[<TAB>canonical name]``;
``#`` starts a comment line, blank lines are skipped.  Like spaCy's ``EntityRuler`` with phrase
patterns and ``overwrite_ents=True``, run after the NER and before the linker
(:func:`user_name_mentions`):

* a name matches as written, only where it starts and ends at a word boundary of kg's segmenter
  (user name 京大 does not match in 北京大学, segmented 北京|大学);
* among user names the longest match wins, then the earliest;
* a match replaces every NER mention it covers or crosses, unless an NER mention strictly
  contains it (user name 华为 inside 华为技术有限公司 found by the NER stays part of it);
* the canonical name goes to the linker as an alias (:meth:`UserNames.aliases`), as ``--aliases``
  rows do: mentions of the name link to the canonical entity.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.schema import LABELS, Document, Mention, overlay

#: what a names file's line looks like, for error messages
NAMES_LINE = "name<TAB>PER|ORG|LOC[<TAB>canonical name]"


@dataclass(frozen=True)
class UserName:
    """One line of a names file: the name, its label, its canonical name (or ``None``) and where it was read."""

    name: str
    label: str
    canonical: str | None
    where: str


def read_names_file(path: Path) -> list[UserName]:
    """The names of one names file, in file order (identical repeats kept).

    Raises:
        InputError: the file is unreadable or not UTF-8, or a line is malformed (``file:line: problem``).
    """
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise InputError(f"{path}: cannot read the names file ({err.strerror})") from err
    except UnicodeDecodeError as err:
        line = Path(path).read_bytes()[:err.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (a names file is UTF-8 TSV: {NAMES_LINE})") from err
    names = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{lineno}"
        fields = [f.strip() for f in line.split("\t")]
        if not fields[0]:
            raise InputError(f"{where}: empty name (expected {NAMES_LINE})")
        if len(fields) < 2 or not fields[1]:
            spaced = " (columns are separated by tabs, not spaces)" if len(fields) < 2 and " " in line.strip() else ""
            raise InputError(f"{where}: missing the label column{spaced} (expected {NAMES_LINE})")
        if len(fields) > 3:
            raise InputError(f"{where}: {len(fields)} columns, at most 3 (expected {NAMES_LINE})")
        label = fields[1].upper()
        if label not in LABELS:
            raise InputError(f"{where}: unknown label {fields[1]!r} (expected one of {', '.join(LABELS)})")
        canonical = fields[2] if len(fields) > 2 and fields[2] and fields[2] != fields[0] else None
        names.append(UserName(fields[0], label, canonical, where))
    return names


class UserNames:
    """The names of some names files, and the matcher that finds them in text.

    Raises:
        InputError: a file's problem (:func:`read_names_file`), or a name given twice with a different
            label or canonical name (naming both places).
    """

    def __init__(self, paths: Sequence[Path] = ()) -> None:
        self.names: dict[str, UserName] = {}
        for path in paths:
            for entry in read_names_file(path):
                seen = self.names.get(entry.name)
                if seen is None:
                    self.names[entry.name] = entry
                elif seen.label != entry.label:
                    raise InputError(f"{entry.where}: {entry.name!r} is {entry.label} here but {seen.label} at "
                                     f"{seen.where} (one label a name)")
                elif seen.canonical != entry.canonical:
                    raise InputError(f"{entry.where}: {entry.name!r} has canonical name {entry.canonical or '(none)'} "
                                     f"here but {seen.canonical or '(none)'} at {seen.where}")
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)
        #: at each position, the longest name starting there (the shorter ones are its prefixes)
        self.pattern = re.compile(f"(?=({_trie_pattern(self.names)}))") if self.names else None

    def __bool__(self) -> bool:
        return bool(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def aliases(self) -> list[tuple[str, str, str | None]]:
        """``(name, canonical, label)`` for each name with a canonical name: rows of an alias table
        (:class:`kg.link.Linker`'s ``aliases``)."""
        return [(n.name, n.canonical, n.label) for n in self.names.values() if n.canonical]

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """Every ``(start, end)`` of ``text`` holding a name, overlapping ones included."""
        if self.pattern is None:
            return []
        found = []
        for m in self.pattern.finditer(text):
            start, longest = m.start(), len(m.group(1))
            found += [(start, start + n) for n in self.lengths if n <= longest and text[start:start + n] in self.names]
        return found


def _trie_pattern(names: Sequence[str]) -> str:
    """A regular expression matching any of ``names``, longest first, built as a trie (one
    branch a first character) so that ``re`` does not try thousands of alternatives everywhere."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a name ends here; a longer one may go on (greedy: tried first)
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return pattern(trie)


def word_boundaries(words: Sequence[str], text: str) -> set[int]:
    """The offsets of ``text`` where a word of ``words`` (read in order, whitespace between) starts or ends."""
    bounds = {0, len(text)}
    at = 0
    for word in words:
        at = text.index(word, at)
        bounds.add(at)
        at += len(word)
        bounds.add(at)
    return bounds


def user_name_mentions(doc: Document, mentions: list[Mention], names: UserNames,
                       words: Callable[[list[str]], list[list[str]]]) -> list[Mention]:
    """``mentions`` of ``doc`` with ``names`` tagged where they occur at a word boundary (see the module).

    ``words`` gives the segmenter's words of paragraph texts (:meth:`kg.ner.Recognizer.words`);
    it runs only on the paragraphs where a name occurs.
    """
    if not names:
        return mentions
    found: list[tuple[int, int, tuple[int, int]]] = []  # (paragraph index, its start, span in the paragraph)
    for index, para in enumerate(doc.paragraphs):
        found += [(index, para.start, span) for span in names.candidates(doc.text[para.start:para.end])]
    if not found:
        return mentions
    paragraphs = sorted({index for index, _, _ in found})
    texts = [doc.text[doc.paragraphs[i].start:doc.paragraphs[i].end] for i in paragraphs]
    bounds = dict(zip(paragraphs, (word_boundaries(w, t) for w, t in zip(words(texts), texts))))
    spans = [(offset + s, offset + e) for index, offset, (s, e) in found if s in bounds[index] and e in bounds[index]]
    taken: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):  # longest, then earliest
        inside_ner = any(m.start <= start and end <= m.end and m.end - m.start > end - start for m in mentions)
        if not inside_ner and not any(start < e and s < end for s, e in taken):
            taken.append((start, end))
    if not taken:
        return mentions
    return overlay(mentions, [Mention(doc.id, start, end, doc.text[start:end], names.names[doc.text[start:end]].label,
                                      doc.sentence_at(start).index) for start, end in taken])
