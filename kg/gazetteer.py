"""Reference data shipped in ``models/``: places, curated aliases, the title lexicon,
organisation-name endings, predicate verbs and the characters no person's name ends with.

All are plain UTF-8 TSV/text files so users can read and extend them; this module
only parses them.  Missing or malformed files raise :class:`~kg.errors.ModelError`.
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass, replace
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
    """A known place: official name, short forms, level, parent and (for regions) capital; a
    Chinese division also its code and its parent's code (None where the name is ambiguous)."""

    name: str
    short: tuple[str, ...]
    level: str
    parent: str | None = None
    capital: str | None = None
    code: str | None = None
    parent_code: str | None = None


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


PLACES = DATA / "places.tsv"
DIVISIONS = DATA / "divisions.tsv.gz"
TOWNSHIP_LEVEL = "township"
#: the national divisions :func:`places` holds, and so the NER's rules and segmenter see; townships
#: only link and nest (:func:`divisions`, :func:`resolve`)
NER_LEVELS = ("province", "prefecture", "county")
#: a national name shorter than this stays out of :func:`places` (城区, 郊区, 和县, 新县: ordinary text)
MIN_NATIONAL_NAME = 3

# The suffix rules of the divisions' short forms: ``kg train gazetteer`` gives the data its short
# forms with them, and the linker reads a place's short form in a text with them (大理 for 大理白族自治州).

#: the 55 minority nationalities, as autonomous areas name them (族 optional: 巴音郭楞蒙古自治州)
ETHNIC_GROUPS = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
#: endings a short form drops, by level, longest first within each
SHORT_FORM_SUFFIXES = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "prefecture": ("自治州", "地区", "市", "盟"),
    "county": ("自治旗", "自治县", "林区", "特区", "新区", "县", "区", "市", "旗"),
    "township": ("民族乡", "民族苏木", "街道", "苏木", "镇", "乡"),
}
#: a short form of this many divisions or more is a generic name, not a place's (城关, 城郊)
GENERIC_SHARE = 10


def strip_ethnic(stem: str) -> str:
    """``stem`` without the nationalities that end it (大理白族 → 大理, 黔东南苗族侗族 → 黔东南)."""
    while True:
        for group in sorted(ETHNIC_GROUPS, key=len, reverse=True):
            for ending in (group + "族", group):
                if stem.endswith(ending) and len(stem) > len(ending):
                    stem = stem[: -len(ending)]
                    break
            else:
                continue
            break
        else:
            return stem


def rule_short_form(name: str, level: str) -> str | None:
    """The short form the suffix rules give (深圳市 → 深圳, 大理白族自治州 → 大理), or None."""
    for suffix in SHORT_FORM_SUFFIXES.get(level, ()):
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith(("自治", "民族")) or suffix in ("乡", "苏木"):
                if stem in ETHNIC_GROUPS or stem.removesuffix("族") in ETHNIC_GROUPS:
                    return None  # 鄂伦春自治旗: 鄂伦春 is the people
                stem = strip_ethnic(stem) if len(strip_ethnic(stem)) >= 2 else stem  # 内蒙古
            return stem if len(stem) >= 2 else None
    return None


@lru_cache(maxsize=None)
def _hand_places(path: Path) -> dict[str, Place]:
    table: dict[str, Place] = {}
    for fields in _rows(path, min_fields=3):
        fields += [""] * (5 - len(fields))
        name, short, level, parent, capital = fields[:5]
        table[name] = Place(name, tuple(s for s in short.split("|") if s), level, parent or None, capital or None)
    return table


@lru_cache(maxsize=None)
def _division_rows(path: Path = DIVISIONS) -> dict[str, tuple[str, str, str, str]]:
    """code -> (name, short form, level, parent code), as ``kg train gazetteer`` wrote them."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows = [line.rstrip("\n").split("\t") for line in lines if not line.startswith("#")]
    except OSError as err:
        raise ModelError(f"{path}: cannot read the divisions ({err})") from err
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}


@lru_cache(maxsize=None)
def division(code: str) -> Place | None:
    """The division with this code; one ``places.tsv`` also lists keeps that file's short forms
    and capital."""
    rows = _division_rows()
    if code not in rows:
        return None
    name, short, level, parent_code = rows[code]
    parent = rows[parent_code][0] if parent_code in rows else None
    place = Place(name, (short,) if short else (), level, parent, None, code, parent_code or None)
    mine = _hand_places(PLACES).get(name)
    if mine is not None and mine.level == level and (level == PROVINCE_LEVEL or mine.parent == parent):
        place = replace(place, short=mine.short, capital=mine.capital)
    return place


def divisions() -> dict[str, Place]:
    """China's administrative divisions by code (``models/divisions.tsv.gz``, built by
    ``kg train gazetteer``): province, prefecture, county (and the bureau's county-level zones)
    and township, each with its parent's name and code.  Builds them all: :func:`division` is
    for one."""
    return {code: division(code) for code in _division_rows()}


@lru_cache(maxsize=None)
def _division_codes_by_name() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for code, (name, short, level, _) in _division_rows().items():
        table.setdefault(name, []).append(code)
        if short and short != name and level != TOWNSHIP_LEVEL:  # 大青山 the mountain is no 大青山乡
            table.setdefault(short, []).append(code)
    return {form: tuple(codes) for form, codes in table.items()}


def candidates(name: str) -> list[Place]:
    """Every place ``name`` may denote: divisions by official name or short form, or the
    known place of that name."""
    found = [division(code) for code in _division_codes_by_name().get(name, ())]
    if not found and (place := places().get(place_aliases().get(name, ""))) is not None:
        found = [place]
    return found


@lru_cache(maxsize=None)
def _short_form_owners() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Short form -> the codes of the provinces, prefectures and counties that the data or the suffix
    rules give it; and every division's official name, townships' too."""
    owners: dict[str, set[str]] = {}
    names = set()
    for code, (name, short, level, _) in _division_rows().items():
        names.add(name)
        if level in NER_LEVELS:  # the data's short form, and the one the rules give (兴安: 兴安盟 and 兴安县)
            for form in {short, rule_short_form(name, level)} - {"", None}:
                owners.setdefault(form, set()).add(code)
    return {form: tuple(sorted(codes)) for form, codes in owners.items()}, frozenset(names)


#: the levels whose short forms in the division data link alone (:func:`place_of_short_form`); a
#: county's is too often a region's, a river's or a street's name (科尔沁 the sandy land, not 科尔沁区)
SHORT_FORM_LEVELS = ("province", "prefecture")


def place_of_short_form(form: str) -> str | None:
    """The official name of the one province or prefecture whose short form in the division data is
    ``form`` (锡林郭勒 → 锡林郭勒盟, which ``places.tsv`` lists with 锡盟 alone); None for a form
    that the data or the suffix rules give several provinces, prefectures or counties (甘孜:
    甘孜藏族自治州 and 甘孜县; 兴安: 兴安盟 and 兴安县), a county's form (科尔沁), a form of none, or
    one that some division bears as its own name.  For linking a place mention: the data's short
    forms stay out of :func:`place_aliases`, which the NER and the segmenter see."""
    owners, names = _short_form_owners()
    codes = owners.get(form, ())
    if len(codes) != 1 or form in names:
        return None
    name, short, level, _ = _division_rows()[codes[0]]
    return name if short == form and level in SHORT_FORM_LEVELS else None


def ambiguous(name: str) -> list[Place]:
    """The divisions ``name`` may denote when it is more than one (朝阳区: Beijing's and
    Changchun's); empty otherwise."""
    found = candidates(name)
    return found if len(found) > 1 else []


def ancestors(place: Place) -> list[Place]:
    """The divisions that hold ``place``, nearest first."""
    chain = []
    code = place.parent_code
    while code and (parent := division(code)) is not None:
        chain.append(parent)
        code = parent.parent_code
    return chain


def is_part_of(lower: Place, upper: Place) -> bool:
    """Whether division ``lower`` lies in division ``upper``."""
    return upper.code is not None and any(a.code == upper.code for a in ancestors(lower))


def resolve(name: str, context_places=()) -> Place | None:
    """The place ``name`` denotes: the only candidate, or the only one that lies in or holds a
    place among ``context_places`` (names or :class:`Place`\\ s, the document's other places);
    None when the context does not settle it (朝阳区 alone, or 朝阳区 with both 北京 and 长春)."""
    found = candidates(name)
    if len(found) <= 1:
        return found[0] if found else None
    context = [p for c in context_places for p in ([c] if isinstance(c, Place) else candidates(c))
               if p.code is not None and (isinstance(c, Place) or c != name)]
    fitting = [p for p in found if any(is_part_of(p, c) or is_part_of(c, p) for c in context)]
    return fitting[0] if len(fitting) == 1 else None


@lru_cache(maxsize=None)
def places(path: Path = PLACES, national: bool = True) -> dict[str, Place]:
    """Known places by official name (``name<TAB>short forms|...<TAB>level<TAB>parent<TAB>capital``).
    The shipped table also holds the national divisions of :data:`NER_LEVELS`, the data winning
    (code, level, parent); a name several divisions bear (朝阳区) is one place with no code or parent."""
    table = dict(_hand_places(path))
    if not national or path.resolve() != PLACES.resolve():
        return table
    by_name: dict[str, list[Place]] = {}
    for code, (name, _, level, _) in _division_rows().items():
        if level in NER_LEVELS and len(name) >= MIN_NATIONAL_NAME:
            by_name.setdefault(name, []).append(division(code))
    for name, found in by_name.items():
        if len(found) == 1:
            table[name] = found[0]
        else:
            mine = table.get(name)
            table[name] = Place(name, mine.short if mine else (), found[0].level)
    return table


@lru_cache(maxsize=None)
def place_aliases(path: Path = PLACES) -> dict[str, str]:
    """Short form (and official name) -> official name, for every known place; a short form of
    several places with different names (朝阳: 朝阳市, 朝阳县) is the first written in
    ``places.tsv``, or none."""
    table: dict[str, str] = {}
    hand = _hand_places(path)
    owners: dict[str, set[str]] = {}
    for place in places(path).values():
        table[place.name] = place.name
        for short in place.short:
            owners.setdefault(short, set()).add(place.name)
    for place in hand.values():
        for short in place.short:
            table.setdefault(short, place.name)
    for short, names in owners.items():
        if len(names) == 1:
            table.setdefault(short, next(iter(names)))
    return table


def is_known_place(text: str) -> bool:
    """Whether ``text`` (two characters or more) is a known place's official name or short form,
    the data's two-character short forms left out (兴业, 山南: see :func:`place_names`)."""
    return len(text) > 1 and text in place_aliases() and (text in place_names() or text in _hand_aliases())


@lru_cache(maxsize=None)
def _hand_aliases() -> frozenset[str]:
    return frozenset(w for p in _hand_places(PLACES).values() for w in (p.name, *p.short))


@lru_cache(maxsize=None)
def place_names(path: Path = PLACES) -> frozenset[str]:
    """The names a text uses for a known place on its own: official names and their short forms
    of two characters or more (包头 for 包头市, 达茂旗 for 达尔罕茂明安联合旗, 长三角), not the
    country's descriptive aliases such as 我国 or 全国."""
    names = set()
    hand = _hand_places(path)
    for place in places(path).values():
        names.add(place.name)
        mine = hand[place.name].short if place.name in hand else ()
        # the data's two-character short forms are too often ordinary text (兴业, 大厂, 阴|山南|北): they only link
        names.update(s for s in place.short
                     if len(s) > 1 and (place.level != COUNTRY_LEVEL or place.name.startswith(s))
                     and (len(s) > 2 or place.code is None or s in mine))
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


def dictionary_words(path: Path = PLACES, national: bool = True) -> list[str]:
    """The gazetteer's names and short forms that the segmenter must keep whole
    (see :func:`_forced_on_segmenter`); ``national=False``: ``places.tsv``'s alone (the NER's
    lexicon, which the shipped model learned with)."""
    return [word for place in places(path, national).values() for word in (place.name, *place.short)
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


REGION_EPITHETS = DATA / "region_epithets.tsv"


@lru_cache(maxsize=None)
def region_epithets(path: Path = REGION_EPITHETS) -> dict[tuple[str, str], str]:
    """The descriptive names a region's press gives places (``models/region_epithets.tsv``:
    ``region<TAB>epithet<TAB>place``: 首府 is 呼和浩特 in 内蒙古, 鹿城 包头; 羊城 is 广州 in 广东):
    ``(region, epithet) -> place``, region and place by their official names.

    Raises:
        ModelError: a region or a place that is no known place.
    """
    table: dict[tuple[str, str], str] = {}
    aliases = place_aliases()
    for fields in _rows(path, min_fields=3):
        region, epithet, target = fields[:3]
        official = [aliases.get(region), aliases.get(target)]
        if None in official:
            unknown = region if official[0] is None else target
            raise ModelError(f"{path}: {unknown!r} is no known place (row {region} {epithet} {target})")
        table[(official[0], epithet)] = official[1]
    return table


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
