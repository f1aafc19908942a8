"""Reading news pages and repairing their layout, with offsets back into the raw text.

A :class:`Document` keeps the raw text exactly as decoded from the file and a cleaned
text for the NLP stages.  Every cleaned character remembers the raw index it came
from (``Document.raw_index``), so any span found in the cleaned text maps back to the
raw file (:meth:`Document.to_raw`).  Repairs done here:

* paragraphs broken mid-sentence or mid-word across blank lines are rejoined;
* page-jump markers (■上接第1版, （下转第3版）) are dropped from the NLP text;
* byline and photo-credit lines stay separate paragraphs that never join a neighbour;
* Markdown heading marks (``## ``) that some archives add are dropped;
* sentences printed twice (within a page or across pages) are flagged, so relation
  weights count them once while every copy keeps its mentions.
"""
from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import hashlib
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from kg.errors import InputError
from kg.schema import Document, Paragraph, RawPage, Sentence, bounded_id

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)

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
_FULL_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


# --------------------------------------------------------------------------- reading

#: byte-order marks and the codec each declares (UTF-32 LE before UTF-16 LE: its BOM starts alike)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: the detector's Chinese verdicts and the codecs that read them (GB18030 is a superset of GBK and
#: GB2312; cp950, Microsoft's Big5, of plain Big5; Hong Kong's big5hkscs adds its own characters)
_GB = ("gb18030",)
_BIG5 = ("cp950", "big5hkscs")
_CHINESE = {"gb18030": _GB, "gbk": _GB, "gb2312": _GB, "big5": _BIG5, "cp950": _BIG5, "big5hkscs": ("big5hkscs", "cp950")}
_WIDE = ("utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be")
#: names users know, for the detector's codec names in messages
_NAMES = {
    "cp932": "Shift-JIS (cp932)", "shift_jis": "Shift-JIS", "shift_jis_2004": "Shift-JIS", "shift_jisx0213": "Shift-JIS",
    "euc_jp": "EUC-JP", "euc_jis_2004": "EUC-JP", "euc_jisx0213": "EUC-JP", "iso2022_jp": "ISO-2022-JP",
    "cp949": "EUC-KR (cp949)", "euc_kr": "EUC-KR", "johab": "Johab",
}
#: the least share of common CJK characters (of the non-ASCII ones) in text read from a Chinese legacy encoding
_MIN_COMMON_CJK = 0.9
#: the most invalid sequences a damaged UTF-8 file may hold (beyond it, it is some other encoding)
_UTF8_DAMAGE = 8
#: file kinds that are not read, by the test that recognises them
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
)


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a page: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else detected.

    Valid UTF-8 never reaches the detector.  Other bytes go to ``charset_normalizer``:
    GB18030 and Big5 are read when it says Chinese and the text is mostly common CJK
    characters; UTF-16/32 without a BOM when it names one and the bytes decode cleanly
    as text; anything else is refused.

    Raises:
        InputError: naming ``source`` and the problem: the byte offset of invalid UTF-8,
            the encoding detected for text that is not Chinese, binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], encoding, source, skipped=len(bom))
    if b"\x00" in data[:4096]:
        return _decode_wide(data, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if _is_damaged_utf8(data):
            raise InputError(f"{source}: invalid UTF-8 at byte {err.start} ({_reason(err)})") from err
    return _decode_legacy(data, source)


def _reason(err: UnicodeDecodeError) -> str:
    if err.reason == "unexpected end of data":
        return "incomplete character at the end of the file: truncated?"
    return err.reason


def _decode_strict(data: bytes, encoding: str, source: str, *, skipped: int = 0) -> str:
    """Decode with ``encoding``; an error names the byte offset in the file (``skipped`` bytes of BOM)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        name = encoding.upper().replace("_", "-")
        raise InputError(f"{source}: invalid {name} at byte {skipped + err.start} ({_reason(err)})") from err


def _is_damaged_utf8(data: bytes) -> bool:
    """Whether bytes that fail UTF-8 are still UTF-8 text with a few bad spots (truncated, a stray byte).

    Text in another multibyte encoding breaks UTF-8 at nearly every non-ASCII character;
    damaged UTF-8 has a few bad spots among many valid non-ASCII characters.
    """
    valid = bad = 0
    rest = data
    while rest:
        try:
            valid += _non_ascii(rest.decode("utf-8"))
            break
        except UnicodeDecodeError as err:
            valid += _non_ascii(rest[:err.start].decode("utf-8"))
            bad += 1
            if bad > _UTF8_DAMAGE:
                return False
            rest = rest[err.end:]
    return valid >= 10 * bad


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _detect(data: bytes) -> tuple[str | None, str]:
    """The detector's best encoding (a Python codec name, or None) and how to name it to a user."""
    match = from_bytes(data).best()
    if match is None:
        return None, "no text encoding detected"
    name = _NAMES.get(match.encoding, match.encoding)
    language = f", {match.language}" if match.language and match.language != "Unknown" else ""
    return match.encoding, f"detected {name}{language}"


def _decode_wide(data: bytes, source: str) -> str:
    """Bytes with NULs: UTF-16/32 without a BOM when the detector says so, else binary."""
    encoding, detected = _detect(data)
    text = _wide_text(data, encoding)
    if text is not None:
        return text
    hint = f"; {detected} without a byte-order mark? save it as UTF-8" if encoding in _WIDE else ""
    raise InputError(f"{source}: binary file (NUL bytes), not a text page{hint}")


def _wide_text(data: bytes, encoding: str | None) -> str | None:
    """``data`` read as the UTF-16/32 ``encoding`` the detector names, if it is that and reads as text."""
    if encoding not in _WIDE:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _controls(text) <= max(2, len(text) // 100) else None


def _decode_legacy(data: bytes, source: str) -> str:
    """Bytes that are not UTF-8: Chinese text in GB18030 or Big5, as the detector says, else refused.

    GB18030 decodes almost any byte string, so the text must also be mostly common CJK
    characters.  Short pages can fool the detector between the two, so the other family
    is tried when the detector's does not read as Chinese (in a fixed order: deterministic).
    """
    encoding, detected = _detect(data)
    text = _wide_text(data, encoding)
    if text is not None:
        return text
    if encoding not in _CHINESE:
        raise InputError(f"{source}: not Chinese text in UTF-8, GB18030 or Big5 ({detected}); save it as UTF-8")
    tried = _CHINESE[encoding] + tuple(c for c in _GB + _BIG5 if c not in _CHINESE[encoding])
    shares = []
    for codec in tried:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _common_cjk_share(text)
        if share >= _MIN_COMMON_CJK and _controls(text) <= max(2, len(text) // 100):
            return text
        shares.append(f"{share:.0%} as {codec}")
    found = f"common Chinese characters: {', '.join(shares)}" if shares else "invalid in both GB18030 and Big5"
    raise InputError(f"{source}: undecodable bytes ({detected}, yet not Chinese text: {found})")


def _controls(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f")


def _common_cjk_share(text: str) -> float:
    """The share of common CJK characters among the non-ASCII, non-space ones (1.0 when there are none)."""
    common = _common_cjk()
    chars = [ch for ch in text if not ch.isascii() and not ch.isspace()]
    return sum(ch in common for ch in chars) / len(chars) if chars else 1.0


@functools.cache
def _common_cjk() -> frozenset[str]:
    """GB2312's hanzi and punctuation (rows 1-3, 16-87) and Big5's (symbols, level-1 hanzi)."""
    chars: set[str] = set()
    rows = [*range(0xA1, 0xA4), *range(0xB0, 0xF8)]
    for lead in rows:
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for code in range(0xA140, 0xC67F):
        with contextlib.suppress(UnicodeDecodeError):
            chars.add(code.to_bytes(2, "big").decode("big5"))
    return frozenset(chars)


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


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file; FIFOs, sockets and devices are refused before any ``open``.

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
            kind = _not_regular(os.fstat(file.fileno()).st_mode)
            if kind is None:
                try:
                    return file.read()
                except OSError as err:
                    raise InputError(f"{path}: cannot read ({err.strerror})") from err
    raise InputError(f"{path}: {kind}, not a regular file; only regular files are read")


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand the user's paths: files as given, directories recursively (.txt/.md/.jsonl), sorted.

    In a directory, every entry with a page suffix that is not itself a directory is
    yielded, FIFOs and broken symlinks included, so that :func:`read_pages` reports them.

    Raises:
        InputError: when a given path does not exist, is a broken symlink or a symlink loop.
    """
    for given in paths:
        path = Path(given)
        if stat.S_ISDIR(_stat(path).st_mode):
            suffixes = TEXT_SUFFIXES + JSONL_SUFFIXES
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and not p.is_dir())
        else:
            yield path


def read_pages(path: Path) -> Iterator[RawPage]:
    """Read one input file: a text page, or a JSONL archive of ``{id, text, title?, date?, source?}``.

    An empty page (or archive) is read with a warning.

    Raises:
        InputError: naming the file (and line, for JSONL) when it cannot be read.
    """
    data = _read_regular(path)
    text = decode_bytes(data, str(path))
    if not text.strip():
        log.warning("%s: %s, nothing in it to build from", path, "empty file" if not data else "blank file (only whitespace)")
    if path.suffix.lower() not in JSONL_SUFFIXES:
        yield RawPage(id=bounded_id(str(path)), path=str(path), text=text)
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{path}:{lineno}: invalid JSON ({err.msg})") from err
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or "id" not in obj:
            raise InputError(f"{path}:{lineno}: each line needs an 'id' and a string 'text'")
        yield RawPage(
            id=bounded_id(str(obj["id"])),  # a long id keeps a prefix + its hash (kg.schema.bounded_id)
            path=str(obj.get("source") or path),
            text=obj["text"],
            title=obj.get("title"),
            date=obj.get("date"),
        )


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
    if block.heading or block.byline or nxt.heading or nxt.byline:
        return False
    text = block.text
    if _is_complete(text):
        return False
    if nxt.text[0] in "，,、。；;：:）)”’》":
        return True
    # Titles are short and rarely carry internal punctuation; body text broken by the
    # layout is long or already holds a clause break.
    return len(text) >= 40 or (len(text) >= 10 and bool(_INTERNAL_PUNCT.search(text)))


def repair(page: RawPage) -> Document:
    """Turn a raw page into a :class:`Document` with repaired paragraphs and sentences."""
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
    paragraphs: list[Paragraph] = []
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
        paragraphs.append(Paragraph(index=i, start=start, end=position, byline=block.byline))
    text = "".join(text_parts)

    sentences: list[Sentence] = []
    for para in paragraphs:
        for start, end in split_sentences(text, para.start, para.end):
            sentences.append(Sentence(index=len(sentences), paragraph=para.index, start=start, end=end))

    title = page.title or (text[paragraphs[0].start:paragraphs[0].end] if paragraphs else None)
    date = page.date or _page_date(text[:300])
    return Document(
        id=page.id,
        path=page.path,
        raw=raw,
        text=text,
        raw_index=raw_index,
        paragraphs=paragraphs,
        sentences=sentences,
        title=title,
        date=date,
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
    )


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` after sentence-final punctuation (closing quotes stay attached)."""
    spans = []
    begin = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() > begin:
            spans.append((begin, m.end()))
            begin = m.end()
    if begin < end and text[begin:end].strip():
        spans.append((begin, end))
    return spans


def _page_date(head: str) -> str | None:
    m = _FULL_DATE.search(head)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


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
