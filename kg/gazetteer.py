"""Reference data shipped in ``models/``: places, curated aliases, the title lexicon,
organisation-name endings, predicate verbs and the characters no person's name ends with.

All are plain UTF-8 TSV/text files so users can read and extend them; this module
only parses them.  Missing or malformed files raise :class:`~kg.errors.ModelError`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError, ModelError
from kg.resources import MODELS

#: the shipped reference files: ``models/`` of the checkout, or the installed wheel's copy
DATA = MODELS

PROVINCE_LEVEL = "province"
COUNTRY_LEVEL = "country"


@dataclass(frozen=True)
class Place:
    """A known place: official name, short forms, level, parent and (for regions) capital."""

    name: str
    short: tuple[str, ...]
    level: str
    parent: str | None = None
    capital: str | None = None


def _rows(path: Path, *, min_fields: int) -> list[list[str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise ModelError(f"{path}: cannot read reference data ({err.strerror})") from err
    rows = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) < min_fields:
            raise ModelError(f"{path}:{lineno}: expected {min_fields} tab-separated fields, got {line!r}")
        rows.append(fields)
    return rows


@lru_cache(maxsize=None)
def places(path: Path = DATA / "places.tsv") -> dict[str, Place]:
    """Known places by official name (``name<TAB>short forms|...<TAB>level<TAB>parent<TAB>capital``)."""
    table: dict[str, Place] = {}
    for fields in _rows(path, min_fields=3):
        fields += [""] * (5 - len(fields))
        name, short, level, parent, capital = fields[:5]
        table[name] = Place(name, tuple(s for s in short.split("|") if s), level, parent or None, capital or None)
    return table


@lru_cache(maxsize=None)
def place_aliases(path: Path = DATA / "places.tsv") -> dict[str, str]:
    """Short form (and official name) -> official name, for every known place."""
    table: dict[str, str] = {}
    for place in places(path).values():
        table[place.name] = place.name
        for short in place.short:
            table.setdefault(short, place.name)
    return table


def is_known_place(text: str) -> bool:
    """Whether ``text`` (two characters or more) is a known place's official name or short form."""
    return len(text) > 1 and text in place_aliases()


@lru_cache(maxsize=None)
def place_names(path: Path = DATA / "places.tsv") -> frozenset[str]:
    """The names a text uses for a known place on its own: official names and their short forms
    of two characters or more (包头 for 包头市, 达茂旗 for 达尔罕茂明安联合旗, 长三角), not the
    country's descriptive aliases such as 我国 or 全国."""
    names = set()
    for place in places(path).values():
        names.add(place.name)
        names.update(s for s in place.short
                     if len(s) > 1 and (place.level != COUNTRY_LEVEL or place.name.startswith(s)))
    return frozenset(names)


COUNTY_LEVEL = "county"
REGION_LEVEL = "region"
#: the country the news is from: its names stay dictionary words (中国, 我国)
HOME_COUNTRY = "中国"


def _forced_on_segmenter(place: Place, word: str) -> bool:
    """Whether a name is a segmenter dictionary word.  Two-character names of counties, of
    foreign countries and of world regions are too often a piece of ordinary text (林西 in
    东林西铁, 加纳 in 增加纳税, 中亚 in 集中亚洲): the CRF decides those."""
    if len(word) >= 3:
        return True
    if place.level == COUNTY_LEVEL:
        return False
    return not (place.level in (COUNTRY_LEVEL, REGION_LEVEL) and place.name != HOME_COUNTRY)


def dictionary_words(path: Path = DATA / "places.tsv") -> list[str]:
    """The gazetteer's names and short forms that the segmenter must keep whole
    (see :func:`_forced_on_segmenter`)."""
    return [word for place in places(path).values() for word in (place.name, *place.short)
            if _forced_on_segmenter(place, word)]


def read_alias_file(path: Path) -> list[tuple[str, str, str | None]]:
    """Read an alias table: ``alias<TAB>canonical[<TAB>label]`` per line, ``#`` comments.

    Raises:
        InputError: for a user's file that is missing or malformed (names file and line).
    """
    try:
        rows = _rows(path, min_fields=2)
    except ModelError as err:
        raise InputError(str(err)) from err
    return [(r[0], r[1], (r[2] or None) if len(r) > 2 else None) for r in rows]


@lru_cache(maxsize=None)
def curated_aliases(path: Path = DATA / "aliases.tsv") -> tuple[tuple[str, str, str | None], ...]:
    """The curated alias table shipped with kg."""
    return tuple(read_alias_file(path))


@lru_cache(maxsize=None)
def known_organisations(path: Path = DATA / "aliases.tsv") -> frozenset[str]:
    """Names of the curated organisations, short forms and full names (东盟, 东南亚国家联盟)."""
    return frozenset(name for alias, canonical, label in curated_aliases(path) if label == "ORG"
                     for name in (alias, canonical))


@lru_cache(maxsize=None)
def titles(path: Path = DATA / "titles.txt") -> tuple[str, ...]:
    """The title lexicon (one title a line), longest first so matching prefers 总经理助理 to 经理."""
    words = {fields[0] for fields in _rows(path, min_fields=1)}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=None)
def predicate_verbs(path: Path = DATA / "predicate_verbs.txt") -> frozenset[str]:
    """Verbs that start a clause's predicate (``models/predicate_verbs.txt``: 成立, 选派, 新增 …),
    learned from People's Daily by ``kg train verbs``."""
    return frozenset(fields[0] for fields in _rows(path, min_fields=1))


@lru_cache(maxsize=None)
def clause_words(path: Path = DATA / "clause_words.txt") -> frozenset[str]:
    """Adverbs and verbs that make a clause (``models/clause_words.txt``: 坚决, 支持 …), learned
    from People's Daily by ``kg train verbs``; no organisation's unit holds one."""
    return frozenset(fields[0] for fields in _rows(path, min_fields=1))


@lru_cache(maxsize=None)
def adverbs(path: Path = DATA / "adverbs.txt") -> frozenset[str]:
    """Adverbs (``models/adverbs.txt``: 不, 已, 全面 …), learned from People's Daily by
    ``kg train verbs``; a short name right after one is a verb or adjective."""
    return frozenset(fields[0] for fields in _rows(path, min_fields=1))


@lru_cache(maxsize=None)
def org_suffixes(path: Path = DATA / "org_suffixes.txt") -> tuple[str, ...]:
    """Organisation-name endings (``models/org_suffixes.txt``: 有限公司, 医院, 局 …), longest first."""
    words = {fields[0] for fields in _rows(path, min_fields=1)}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=None)
def non_person_endings(path: Path = DATA / "non_person_endings.tsv") -> dict[str, str]:
    """Characters no person's name ends with, and the label a name ending in one takes
    (``models/non_person_endings.tsv``: 矿 ORG, 县 LOC …), counted in the training corpora by
    ``kg train endings``."""
    table = {}
    for fields in _rows(path, min_fields=2):
        if len(fields[0]) != 1 or fields[1] not in ("LOC", "ORG"):
            raise ModelError(f"{path}: expected one character and LOC or ORG a row, got {fields[:2]}")
        table[fields[0]] = fields[1]
    return table
