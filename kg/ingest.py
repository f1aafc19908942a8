"""Reading news pages and repairing their layout, with offsets back into the raw text.

A :class:`Document` keeps the raw text exactly as decoded from the file and a cleaned
text for the NLP stages.  Every cleaned character remembers the raw index it came
from (``Document.raw_index``), so any span found in the cleaned text maps back to the
raw file (:meth:`Document.to_raw`).  Repairs done here:

* paragraphs broken mid-sentence or mid-word across blank lines are rejoined;
* page-jump markers (■上接第1版, （下转第3版）) are dropped from the NLP text;
* byline and photo-credit lines stay separate paragraphs that never join a neighbour, and a
  paragraph opening with a dateline (本报讯…) never joins the one above;
* Markdown heading marks (``## ``) that some archives add are dropped;
* a paragraph longer than :data:`MAX_PARAGRAPH_CHARS` (a page printed on one line) is cut
  into paragraphs of whole sentences;
* sentences printed twice (within a page or across pages) are flagged, so relation
  weights count them once while every copy keeps its mentions.
"""
from __future__ import annotations

import datetime
import errno
import hashlib
from array import array
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.article import extract_article
from kg.decode import decode_bytes
from kg.errors import InputError
from kg.credits import find_credits
from kg.datelines import DATELINE, dateline_date, find_datelines, page_date
from kg.schema import Document, Paragraph, RawPage, Sentence, bounded_id

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
#: every suffix a folder is searched for
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

# Sentence-final punctuation; a paragraph ending in one of these (optionally followed by
# closing quotes/brackets) is complete and is never joined to the next one.
_FINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)》】\"'"
_INTERNAL_PUNCT = re.compile(r"[，,、；;：:“‘（(]")
_SENTENCE_END = re.compile(rf"[{_FINAL}]+[{re.escape(_CLOSERS)}]*")

# ■上接第1版 / ■下转第3版 / （下转第3版） / (上接第2版)
_JUMP_MARKER = re.compile(r"[■□]?\s*[（(]?\s*[上下](?:接|转)第?\s*[0-9０-９一二三四五六七八九十]+\s*版\s*[）)]?")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
# □本报记者 刘向平 通讯员 贾婷婷 / ●本报记者 李娟 / 本报记者 王磊 摄 / (海报设计:庄圆) / （杨威）
_BYLINE = re.compile(
    r"^(?:[□●■◎]\s*)?(?:本报|新华社|北方新报)?(?:实习)?(?:记者|通讯员|摄影|摄|海报设计|设计|制图)"
    r"|\s摄\s*$|^[（(][^（）()]{0,20}[）)]$"
)
#: the longest paragraph the NER reads at once, in characters: a longer one (a page printed
#: without line breaks is one paragraph) is cut into paragraphs of whole sentences, and a
#: sentence longer than this (no 。！？；… in it) at a clause mark or space, else anywhere.  The
#: model and its rules read a few characters around each one; without a bound, a page printed
#: on one line made a single spaCy document of millions of characters.  News paragraphs run to
#: a few hundred characters (the seed pages' longest: 956).
MAX_PARAGRAPH_CHARS = 2000
#: where a sentence too long for :data:`MAX_PARAGRAPH_CHARS` is cut, by preference (after one)
_SOFT_BREAK = re.compile(r"[，,、：:\s]")
#: a photo caption's credit at its end: …作业 李志鹏 摄 / （李志鹏 摄） / （摄影：李志鹏）
_CAPTION = re.compile(r"[\s（(][\u4e00-\u9fff·]{2,5}\s*摄\s*[）)]?\s*$"
                      r"|[（(]\s*(?:摄影|图片|图|摄)\s*[：:/\s]\s*[^（）()]{1,30}[）)]\s*$")
#: a headline is at most this long, in characters
MAX_TITLE_CHARS = 60
#: how many paragraphs from the top of a page the headline is looked for in
_TITLE_WINDOW = 8


# --------------------------------------------------------------------------- reading

#: file kinds that are not read, by the test that recognises them
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
)


def _stat(path: Path) -> os.stat_result:
    """``stat`` a path, or raise an InputError saying what is wrong: missing, broken symlink, symlink loop."""
    try:
        return path.stat()
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(f"{path}: symlink loop") from err
        if err.errno == errno.ENOENT and path.is_symlink():
            raise InputError(f"{path}: broken symlink to {os.readlink(path)}") from err
        if err.errno == errno.ENOENT:
            raise InputError(f"{path}: no such file or directory") from err
        raise InputError(f"{path}: cannot read ({err.strerror})") from err


def _not_regular(mode: int) -> str | None:
    return next((kind for test, kind in _NOT_REGULAR if test(mode)), None)


def _read_regular(path: Path, max_size: int | None = None) -> bytes:
    """The bytes of a regular file; FIFOs, sockets and devices are refused before any ``open``,
    and a file larger than ``max_size`` bytes before it is read (:func:`check_size`).

    Raises:
        InputError: naming the path and what it is (a FIFO, a character device, a broken
            symlink, a symlink loop...), or why it cannot be read.
    """
    kind = _not_regular(_stat(path).st_mode)
    if kind is None:
        try:
            # O_NONBLOCK: should the path become a FIFO after the stat, opening it cannot hang
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror})") from err
        with os.fdopen(fd, "rb") as file:
            status = os.fstat(file.fileno())
            kind = _not_regular(status.st_mode)
            if kind is None:
                _refuse_if_too_large(path, status.st_size, max_size)
                try:
                    return file.read()
                except OSError as err:
                    raise InputError(f"{path}: cannot read ({err.strerror})") from err
    raise InputError(f"{path}: {kind}, not a regular file; only regular files are read")


@dataclass(frozen=True)
class InputFile:
    """A file to read, and the folder of the given path it was found under (its id's root)."""

    path: Path
    root: Path


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[InputFile]:
    """Expand the user's paths: files as given, directories recursively (:data:`INPUT_SUFFIXES`), sorted;
    each file with its root: the given directory, or a given file's own folder.

    In a directory, every entry with a page suffix that is not itself a directory is
    yielded, FIFOs and broken symlinks included, so that :func:`read_pages` reports them.

    Raises:
        InputError: when a given path does not exist, is a broken symlink or a symlink loop.
    """
    for given in paths:
        path = Path(given)
        if stat.S_ISDIR(_stat(path).st_mode):
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES and not p.is_dir())
            yield from (InputFile(p, path) for p in found)
        else:
            yield InputFile(path, path.parent)


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files :func:`iter_input_files` finds, without their roots."""
    return (f.path for f in iter_input_files(paths))


def document_id(file: InputFile, id_root: str | Path | None = None) -> str:
    """The id of the text page ``file``: its path relative to ``id_root``, by default the parent
    of its root, with ``/`` separators, so it does not depend on the working directory:
    ``seeds/``, ``/abs/seeds`` and ``.`` (in seeds) all give ``seeds/000_x.txt``.

    The root is resolved (``.``, ``..``, symlinks) to find its name; the part below it is kept
    as found.

    Raises:
        InputError: when the root is not under ``id_root``.
    """
    root = file.root.resolve()
    base = Path(id_root).resolve() if id_root is not None else root.parent
    try:
        root_part = root.relative_to(base)
    except ValueError:
        raise InputError(f"{file.path}: not under the id root {id_root} (--id-root); "
                         "every input must be inside it") from None
    return bounded_id((root_part / file.path.relative_to(file.root)).as_posix())


#: the largest input file ``kg build`` reads by default (``--max-file-size``): 100 MB
MAX_FILE_SIZE = 100 * 1024 * 1024


def format_size(size: int) -> str:
    """``size`` bytes as people read it: ``12.5 MB``, ``500 kB``, ``80 bytes`` (1 kB = 1024 bytes)."""
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def check_size(path: Path, max_size: int | None) -> None:
    """Refuse ``path`` when it is larger than ``max_size`` bytes (``None`` or 0: no limit),
    looking at its size only (the file is not read).

    Raises:
        InputError: naming the file, its size and the limit.
    """
    if max_size:
        _refuse_if_too_large(path, _stat(path).st_size, max_size)


def _refuse_if_too_large(path: Path, size: int, max_size: int | None) -> None:
    if max_size and size > max_size:
        raise InputError(f"{path}: {format_size(size)} ({size:,} bytes), over the limit of "
                         f"{format_size(max_size)} a file (raise it with --max-file-size; 0: no limit)")


def read_pages(path: Path, max_size: int | None = None, page_id: str | None = None,
               on_bad_line: Callable[[InputError], None] | None = None) -> Iterator[RawPage]:
    """Read one input file: a text page, a web page (.html/.htm: its article, :func:`kg.article.extract_article`)
    or a JSONL archive of ``{id, text, title?, date?, source?}``; one larger than ``max_size``
    bytes (:func:`check_size`) is refused before it is read.  A page's id is ``page_id``
    (:func:`document_id`), by default its path as given.

    An empty text page (or archive) is read with a warning.  A bad archive line is passed to
    ``on_bad_line`` and skipped, or without one raised.

    Raises:
        InputError: naming the file (and line, for JSONL) when it cannot be read.
    """
    data = _read_regular(path, max_size)
    text = decode_bytes(data, str(path))
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        article = extract_article(text, str(path))
        yield RawPage(id=page_id or bounded_id(str(path)), path=str(path), text=article.text,
                      title=article.title, date=article.date, extracted=True)
        return
    if not text.strip():
        log.warning("%s: %s, nothing in it to build from", path, "empty file" if not data else "blank file (only whitespace)")
    if suffix not in JSONL_SUFFIXES:
        yield RawPage(id=page_id or bounded_id(str(path)), path=str(path), text=text)
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield archive_page(line, f"{path}:{lineno}", str(path))
        except InputError as err:
            if on_bad_line is None:
                raise
            on_bad_line(err)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def archive_page(line: str, where: str, archive: str) -> RawPage:
    """The page of one JSONL archive line ``{id, text, title?, date?, source?}``; ``where``: ``file:line``.

    A ``title``, ``date`` or ``source`` that is not a string (or a date not ``YYYY-MM-DD``) is
    dropped with a warning; the page is still read.

    Raises:
        InputError: naming ``where`` and the reason: not JSON, not an object, no string ``text``,
            no ``id`` (a string or a number).
    """
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: invalid JSON at column {err.colno} ({err.msg})") from err
    if not isinstance(obj, dict):
        raise InputError(f"{where}: a JSON {_json_kind(obj)}, not an object {{id, text, ...}}")
    page_id, text = obj.get("id"), obj.get("text")
    if page_id is None or page_id == "":
        raise InputError(f"{where}: no 'id' (each line needs an 'id' and a string 'text')")
    if isinstance(page_id, bool) or not isinstance(page_id, (str, int, float)):
        raise InputError(f"{where}: 'id' is a JSON {_json_kind(page_id)}, not a string or a number")
    if not isinstance(text, str):
        what = "no 'text'" if text is None else f"'text' is a JSON {_json_kind(text)}, not a string"
        raise InputError(f"{where}: {what} (each line needs an 'id' and a string 'text')")
    fields: dict[str, str | None] = dict.fromkeys(("title", "date", "source"))
    for key in fields:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            log.warning("%s: %r is a JSON %s, not a string; ignored", where, key, _json_kind(value))
        elif key == "date" and value is not None and not _valid_date(value):
            log.warning("%s: date %r is not YYYY-MM-DD; ignored", where, value)
        else:
            fields[key] = value or None
    return RawPage(
        id=bounded_id(str(page_id)),  # a long id keeps a prefix + its hash (kg.schema.bounded_id)
        path=fields["source"] or archive,
        text=text,
        title=fields["title"],
        date=fields["date"],
    )


def _valid_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _json_kind(value: object) -> str:
    """What JSON calls the type of ``value``: string, number, boolean, array, object, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {str: "string", int: "number", float: "number", list: "array", dict: "object"}.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------- repair


@dataclass
class _Block:
    """A raw paragraph: its text pieces with their raw offsets (layout newlines removed)."""

    chars: list[str]
    index: list[int]
    heading: bool = False
    byline: bool = False

    @property
    def text(self) -> str:
        return "".join(self.chars)


def _raw_blocks(raw: str) -> list[_Block]:
    """Split raw text into paragraphs at blank lines; single newlines are layout and vanish."""
    blocks: list[_Block] = []
    for m in re.finditer(r"(?:[^\n]|\n(?![ \t\r\u3000]*\n))+", raw):
        chars: list[str] = []
        index: list[int] = []
        for offset, ch in enumerate(m.group(), m.start()):
            if ch in "\r\n":
                continue
            chars.append(ch)
            index.append(offset)
        # trim surrounding whitespace (incl. full-width spaces)
        while chars and chars[0].isspace():
            chars.pop(0), index.pop(0)
        while chars and chars[-1].isspace():
            chars.pop(), index.pop()
        if chars:
            blocks.append(_Block(chars, index))
    return blocks


def _strip_pattern(block: _Block, pattern: re.Pattern[str]) -> None:
    text = block.text
    keep = [True] * len(text)
    for m in pattern.finditer(text):
        for i in range(m.start(), m.end()):
            keep[i] = False
    if all(keep):
        return
    block.chars = [c for c, k in zip(block.chars, keep) if k]
    block.index = [i for i, k in zip(block.index, keep) if k]
    while block.chars and block.chars[-1].isspace():
        block.chars.pop(), block.index.pop()
    while block.chars and block.chars[0].isspace():
        block.chars.pop(0), block.index.pop(0)


def _is_complete(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and (stripped[-1] in _FINAL or (stripped != text and stripped[-1] in _FINAL))


def _continues(block: _Block, nxt: _Block) -> bool:
    """Decide whether ``nxt`` continues ``block`` (a paragraph broken by the page layout)."""
    if block.heading or block.byline or nxt.heading or nxt.byline or DATELINE.match(nxt.text):
        return False  # a dateline (本报讯…) opens a story: the line above is its headline, not its start
    text = block.text
    if _is_complete(text) or _CAPTION.search(text):  # a caption ends with its credit
        return False
    if nxt.text[0] in "，,、。；;：:）)”’》":
        return True
    # Titles are short and rarely carry internal punctuation; body text broken by the
    # layout is long or already holds a clause break.
    return len(text) >= 40 or (len(text) >= 10 and bool(_INTERNAL_PUNCT.search(text)))


def repair(page: RawPage, *, year: int | None = None) -> Document:
    """Turn a raw page into a :class:`Document` with repaired paragraphs and sentences, its
    headline (:func:`headline`) and datelines (:func:`find_datelines`).

    Its date: the archive's, else a full date written near the top of the page, else the month
    and day of its first dated dateline in ``year`` (none: no date, a year is never guessed).
    """
    raw = page.text
    blocks = _raw_blocks(raw)
    for block in blocks:
        if _HEADING_MARK.match(block.text):
            block.heading = True
            _strip_pattern(block, _HEADING_MARK)
        _strip_pattern(block, _JUMP_MARKER)
        if block.chars and _BYLINE.search(block.text) and len(block.text) <= 40:
            block.byline = True
    blocks = [b for b in blocks if b.chars]

    merged: list[_Block] = []
    for block in blocks:
        if merged and _continues(merged[-1], block):
            merged[-1].chars += block.chars
            merged[-1].index += block.index
        else:
            merged.append(block)

    text_parts: list[str] = []
    raw_index: list[int] = []
    blocks_at: list[tuple[int, int, bool]] = []
    position = 0
    for i, block in enumerate(merged):
        if i:
            text_parts.append("\n")
            raw_index.append(raw_index[-1] + 1)  # the separator maps just past the previous char
            position += 1
        start = position
        text_parts.append(block.text)
        raw_index.extend(block.index)
        position += len(block.chars)
        blocks_at.append((start, position, block.byline))
    text = "".join(text_parts)

    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for start, end, byline in blocks_at:
        spans = split_sentences(text, start, end)
        for piece_start, piece_end, piece in split_paragraph(spans, start, end):
            para = Paragraph(index=len(paragraphs), start=piece_start, end=piece_end, byline=byline)
            paragraphs.append(para)
            sentences += [Sentence(len(sentences) + k, para.index, a, b) for k, (a, b) in enumerate(piece)]

    datelines = find_datelines(text)
    document = Document(
        id=page.id,
        path=page.path,
        extracted=page.extracted,
        raw=raw,
        text=text,
        raw_index=array("I", raw_index),  # 4 bytes a character, not a list of int objects
        paragraphs=paragraphs,
        sentences=sentences,
        title=page.title or headline(merged),
        date=page.date or page_date(text[:300]) or dateline_date(datelines, year),
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        datelines=datelines,
    )
    document.credits = find_credits(document)
    return document


def split_sentences(text: str, start: int, end: int, limit: int = MAX_PARAGRAPH_CHARS) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` after sentence-final punctuation (closing quotes stay attached);
    a sentence longer than ``limit`` characters is cut into pieces of at most ``limit``
    (:func:`cut_long`)."""
    spans = []
    begin = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() > begin:
            spans += cut_long(text, begin, m.end(), limit)
            begin = m.end()
    if begin < end and text[begin:end].strip():
        spans += cut_long(text, begin, end, limit)
    return spans


def cut_long(text: str, start: int, end: int, limit: int = MAX_PARAGRAPH_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``limit`` characters, each cut after the last
    clause mark or whitespace (:data:`_SOFT_BREAK`) of its second half, else at ``limit``."""
    spans = []
    while end - start > limit:
        cut = start + limit
        for at in range(cut - 1, start + limit // 2 - 1, -1):
            if _SOFT_BREAK.match(text, at):
                cut = at + 1
                break
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans


def split_paragraph(sentences: list[tuple[int, int]], start: int, end: int,
                    limit: int = MAX_PARAGRAPH_CHARS) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The paragraph ``[start, end)`` of ``sentences`` (:func:`split_sentences`) as paragraphs
    of at most ``limit`` characters, ``(start, end, their sentences)``: its sentences grouped in
    text order, each group as long as ``limit`` allows.  They cover ``[start, end)`` end to end,
    so a paragraph no longer than ``limit`` stays whole."""
    pieces: list[tuple[int, int, list[tuple[int, int]]]] = []
    piece_start, group = start, []
    for a, b in sentences:
        if group and b - piece_start > limit:
            pieces.append((piece_start, a, group))
            piece_start, group = a, []
        group.append((a, b))
    pieces.append((piece_start, end, group))
    return pieces


# --------------------------------------------------------------------------- title and date


def _is_credit(block: _Block) -> bool:
    """A byline, photo credit or photo caption (…作业 李志鹏 摄): never a headline."""
    return block.byline or bool(_CAPTION.search(block.text))


def _is_body(text: str) -> bool:
    """Body text, which the headline precedes: a complete sentence or longer than a headline."""
    return _is_complete(text) or len(text) > MAX_TITLE_CHARS


def headline(blocks: list[_Block]) -> str | None:
    """The page's headline among the paragraphs above its body text: the first Markdown heading,
    else the first paragraph that is no credit or caption, no lead-in ending in a colon and
    at most :data:`MAX_TITLE_CHARS` long; None when the page opens with its body."""
    above: list[_Block] = []
    for block in blocks[:_TITLE_WINDOW]:
        if _is_credit(block):
            continue
        if _is_body(block.text):
            break
        above.append(block)
    headings = [b for b in above if b.heading]
    plain = [b for b in above if not b.text.endswith((":", "："))]
    chosen = (headings or plain or [None])[0]
    return chosen.text if chosen else None


# --------------------------------------------------------------------------- duplicates


def normalise_for_duplicates(text: str) -> str:
    """Fold width, punctuation and whitespace so two printings of one sentence compare equal."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\W_]+", "", folded)


class DuplicateTracker:
    """Flags sentences printed before (in this page or an earlier one of the same run).

    Only sentences of at least ``min_chars`` significant characters count, so that short
    formulaic sentences (会议还研究了其他事项。) are never folded.
    """

    def __init__(self, *, min_chars: int = 12) -> None:
        self.min_chars = min_chars
        self._seen: dict[str, tuple[str, int]] = {}

    def mark(self, doc: Document) -> Document:
        """Return ``doc`` with ``Sentence.duplicate_of`` set for repeated sentences."""
        marked = []
        for s in doc.sentences:
            key = normalise_for_duplicates(doc.text[s.start:s.end])
            first = None
            if len(key) >= self.min_chars:
                first = self._seen.setdefault(key, (doc.id, s.index))
                if first == (doc.id, s.index):
                    first = None
            marked.append(Sentence(s.index, s.paragraph, s.start, s.end, duplicate_of=first))
        doc.sentences = marked
        return doc
