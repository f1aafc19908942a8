"""A page's bytes to text, or a clear refusal: the encodings Chinese news comes in.

Valid UTF-8 (with or without a BOM) is read as is and never reaches the detector; UTF-16/32 with
a BOM is text; other bytes go to ``charset_normalizer``, and GB18030 (simplified) or Big5
(traditional) is read when the detector says Chinese and the text is plausible (most non-ASCII
characters common CJK ones: GB18030 decodes almost any byte string, which is how garbage got
through); anything else (Shift-JIS, EUC-KR, binary) is refused naming what was found.  A damaged
UTF-8 file is reported at its first bad byte.
"""
from __future__ import annotations

import codecs
import contextlib
import functools
import unicodedata

from charset_normalizer import from_bytes

from kg.errors import InputError

__all__ = ["decode_bytes"]

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
