"""Entity linking: group mentions that denote the same real-world entity.

Rules, in the order they apply (each documented in docs/linking.md):

1. **Normalisation** – NFKC folds full/half-width forms and brackets (（包头） = (包头)),
   layout whitespace is removed.
2. **Curated and user aliases** – exact alias -> canonical (``models/aliases.tsv``, ``--aliases``).
3. **Home region** – ``自治区X`` = ``内蒙古自治区X``; 自治区/我区/全区 tagged as places = the region;
   首府 = its capital.  The region is given (``--home-region``, for every document) or each
   document's own: the province its places lie in most (:func:`document_regions`), so an archive
   mixing papers from several provinces links each page to its own; a page naming no province
   gets none.
4. **Places** – short forms join the official name with suffix (包头 = 包头市) through the
   gazetteer or when the suffixed form occurs; different places sharing a stem stay apart.
5. **Organisation abbreviations** – by evidence in the corpus: a corporate suffix
   (包钢 = 包钢集团, but 包钢股份 stays apart), an in-order character abbreviation with the same
   first and last character (工信厅 = 工业和信息化厅), and a parenthesised alias right after
   a name (海军军医大学第一附属医院(长海医院)).  A name that is a prefix of a longer one plus
   more than a corporate suffix is a sub-unit and never merges (自治区党委 vs 自治区党委宣传部).
6. **People** – one entity per name across documents.

Entity ids are ``LABEL:canonical name``: readable in Neo4j and stable across runs.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from kg import gazetteer
from kg.naming import company_short_forms
from kg.schema import Entity, LinkedMention, Mention, bounded_id

log = logging.getLogger(__name__)

# Trailing parts that do not change which organisation is meant: 包钢 = 包钢集团.
# 股份/股份有限公司 are deliberately absent: 包钢股份 is a listed subsidiary, not 包钢集团.
CORPORATE_SUFFIXES = ("集团有限公司", "集团有限责任公司", "集团公司", "集团", "有限责任公司", "有限公司", "公司")
PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "市", "省", "盟", "县", "旗", "区", "州", "镇", "乡")
HOME_REGION_PREFIX = "自治区"
HOME_REGION_PRONOUNS = ("自治区", "我区", "全区", "区内", "我省", "全省", "省内")
CAPITAL_ALIASES = ("首府",)
_SPACE = re.compile(r"\s+")
_PAREN_ALIAS = re.compile(r"^\s*[（(]\s*$")


def normalise(text: str) -> str:
    """Fold a surface form for comparison: NFKC (width, brackets) and no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, x: tuple[str, str]) -> tuple[str, str]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@lru_cache(maxsize=None)
def province_of(text: str) -> str | None:
    """The province-level region a place name lies in (包头 -> 内蒙古自治区, 内蒙古 -> itself), or None
    (a place abroad, a region, a name several divisions share)."""
    name = gazetteer.place_aliases().get(normalise(text))
    place = gazetteer.places().get(name) if name else None
    if place is None:
        return None
    if place.level == gazetteer.PROVINCE_LEVEL:
        return place.name
    return next((a.name for a in gazetteer.ancestors(place) if a.level == gazetteer.PROVINCE_LEVEL), None)


def document_regions(mentions: Iterable[Mention]) -> dict[str, str | None]:
    """Each document's home region: the province its places lie in most (its dateline's 包头, its
    呼和浩特市 and 清水河县 all count for 内蒙古自治区); None for a document whose places name no
    province, or two equally (it then gets no home-region linking: 自治区 stays 自治区)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        counts[m.doc]  # every document has an entry
        if m.label == "LOC" and (province := province_of(m.text)):
            counts[m.doc][province] += 1
    regions: dict[str, str | None] = {}
    for doc, found in counts.items():
        ranked = found.most_common(2)
        regions[doc] = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    return regions


def _strip_corporate_suffix(name: str) -> str:
    for suffix in CORPORATE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def is_abbreviation(short: str, long: str) -> bool:
    """True when organisation name ``short`` abbreviates ``long`` (both normalised).

    * ``long`` = ``short`` + a corporate suffix (包钢 / 包钢集团);
    * ``short`` drops characters of ``long`` in order, keeping its first and last character
      (工信厅 / 工业和信息化厅), and is not a plain prefix of it (a prefix plus more is a
      sub-unit: 自治区党委 / 自治区党委宣传部);
    * ``short`` is one of the company's short forms, :func:`kg.naming.company_short_forms` (合生生物 /
      天津合生生物科技有限公司, 金宇保灵 / 金宇保灵生物药品有限公司).
    """
    if len(short) < 2 or len(short) >= len(long):
        return False
    if short in company_short_forms(long):
        return True
    if long.startswith(short):
        return _strip_corporate_suffix(long) == short
    core_long = _strip_corporate_suffix(long)
    core_short = _strip_corporate_suffix(short)
    return (
        len(core_short) >= 2
        and core_short[0] == core_long[0]
        and core_short[-1] == core_long[-1]
        and _is_subsequence(core_short, core_long)
        and not core_long.startswith(core_short)
    )


def _all_places(text: str) -> bool:
    """Whether ``text`` is one or more known place names written together (乌海, 内蒙古自治区包头市)."""
    if not text:
        return False
    aliases = gazetteer.place_aliases()
    ends = {0}
    for end in range(1, len(text) + 1):
        if any(start in ends and text[start:end] in aliases for start in range(max(0, end - 12), end)):
            ends.add(end)
    return len(text) in ends


class _LongForms:
    """The names that :func:`is_abbreviation` could accept as long forms of a short one, found by
    key instead of by trying every name (which made linking quadratic in the organisations):
    each name under its company short forms, its core without a corporate suffix, and the first
    and last character of that core.  :meth:`of` keeps ``names``' order."""

    def __init__(self, names: Sequence[str]) -> None:
        self.order = {name: i for i, name in enumerate(names)}
        self.by_key: dict[tuple, list[str]] = defaultdict(list)
        for name in names:
            core = _strip_corporate_suffix(name)
            keys = {("short", form) for form in company_short_forms(name)} | {("core", core)}
            if core:
                keys.add(("ends", core[0], core[-1]))
            for key in keys:
                self.by_key[key].append(name)

    def of(self, short: str) -> list[str]:
        core = _strip_corporate_suffix(short)
        keys = [("short", short), ("core", short)] + ([("ends", core[0], core[-1])] if core else [])
        found = {name for key in keys for name in self.by_key.get(key, ())}
        return sorted(found, key=self.order.__getitem__)


class Linker:
    """Links mentions to entities.

    Args:
        home_region: official name of the home region (e.g. 内蒙古自治区); ``None`` infers it.
        alias_files: user alias tables (``alias<TAB>canonical[<TAB>label]``).
        aliases: more ``(alias, canonical, label)`` rows, read before ``alias_files`` (the
            canonical names of ``--names`` files, :meth:`kg.names.UserNames.aliases`).
    """

    def __init__(self, *, home_region: str | None = None, alias_files: Sequence[Path] = (),
                 aliases: Iterable[tuple[str, str, str | None]] = ()) -> None:
        self.given_region = home_region
        self.home_region = home_region
        self.home_region_inferred = False
        self.regions: dict[str, str | None] = {}
        self.aliases: dict[tuple[str, str | None], str] = {}
        rows = [*gazetteer.curated_aliases(), *aliases]
        for path in alias_files:
            rows += gazetteer.read_alias_file(path)
        for alias, canonical, label in rows:
            self.aliases[(normalise(alias), label)] = normalise(canonical)

    # -- the rules, each mapping a normalised surface form to a better key --------------

    def _alias(self, key: str, label: str) -> str:
        return self.aliases.get((key, label)) or self.aliases.get((key, None)) or key

    def _home(self, key: str, label: str, region: str | None) -> str:
        if not region:
            return key
        if label == "LOC" and key in HOME_REGION_PRONOUNS:
            return region
        if label == "LOC" and key in CAPITAL_ALIASES:
            capital = gazetteer.places().get(region)
            return capital.capital if capital and capital.capital else key
        short = next((s for s in gazetteer.places().get(region, gazetteer.Place(region, (), "")).short if len(s) > 1), None)
        if label in ("ORG", "LOC") and key.startswith(HOME_REGION_PREFIX) and len(key) > len(HOME_REGION_PREFIX):
            return region + key[len(HOME_REGION_PREFIX):]
        # 内蒙古工信厅 -> 内蒙古自治区工信厅, only for organisations of the region itself
        if label == "ORG" and short and key.startswith(short) and not key.startswith(region):
            rest = key[len(short):]
            if rest and rest[0] not in "自" and _looks_like_government_unit(rest):
                return region + rest
        return key

    @staticmethod
    def _gazetteer_label(mention: Mention) -> Mention:
        """A mention whose whole text is a known place (鄂尔多斯, 巴彦淖尔市) is a place, whatever
        label the model gave it: the gazetteer is more reliable than the model on these names."""
        if mention.label != "LOC" and gazetteer.is_known_place(normalise(mention.text)):
            return replace(mention, label="LOC")
        return mention

    def _place(self, key: str) -> str:
        return gazetteer.place_aliases().get(key, key)

    def canonical_key(self, text: str, label: str, region: str | None = None) -> str:
        """The key a surface form links by before corpus evidence (aliases, ``region``: the home
        region of its document, places)."""
        key = normalise(text)
        key = self._alias(key, label)
        key = self._home(key, label, region)
        if label == "LOC":
            key = self._place(key)
        return self._alias(key, label)

    # -- linking a corpus -------------------------------------------------------------------

    def link(self, mentions: Sequence[Mention], texts: dict[str, str] | None = None) -> tuple[list[LinkedMention], dict[str, Entity]]:
        """Link every mention of a corpus; returns linked mentions (input order) and entities by id.

        Args:
            mentions: all mentions of the corpus.
            texts: cleaned text per document id, used for the parenthesised-alias rule.
        """
        mentions = [self._gazetteer_label(m) for m in mentions]
        if self.given_region is None:  # each document's own, from its places; the summary names the commonest
            regions = document_regions(mentions)
            self.regions = regions
            common = Counter(r for r in regions.values() if r).most_common(1)
            self.home_region = common[0][0] if common else None
            self.home_region_inferred = self.home_region is not None
        else:
            self.regions = defaultdict(lambda: self.given_region)
        keys = [(m.label, self.canonical_key(m.text, m.label, self.regions[m.doc])) for m in mentions]
        uf = _UnionFind()
        for k in keys:
            uf.find(k)

        by_label: dict[str, set[str]] = defaultdict(set)
        for label, key in keys:
            by_label[label].add(key)

        # places: 包头 -> 包头市 when the suffixed form occurs (and is the only such form)
        locs = by_label.get("LOC", set())
        for key in sorted(locs):
            longer = [key + s for s in PLACE_SUFFIXES if key + s in locs]
            if len(longer) == 1 and len(key) >= 2:
                uf.union(("LOC", key), ("LOC", longer[0]))

        # organisations: abbreviations with exactly one candidate long form
        orgs = sorted(by_label.get("ORG", set()), key=lambda k: (len(k), k))
        protected = set(self.aliases.values())  # names the alias tables know as complete names
        long_forms = _LongForms(orgs)
        for short in orgs:
            if short in protected:
                continue  # 内蒙古大学 is not an abbreviation of 内蒙古师范大学
            candidates = [long for long in long_forms.of(short) if is_abbreviation(short, long)]
            roots = {uf.find(("ORG", c)) for c in candidates}
            if len(roots) == 1:
                uf.union(("ORG", short), ("ORG", candidates[0]))

        # parenthesised alias: 海军军医大学第一附属医院(长海医院)
        if texts:
            by_doc: dict[str, list[int]] = defaultdict(list)
            for i, m in enumerate(mentions):
                by_doc[m.doc].append(i)
            for doc_id, idx in by_doc.items():
                text = texts.get(doc_id, "")
                ordered = sorted(idx, key=lambda i: mentions[i].start)
                for a, b in zip(ordered, ordered[1:]):
                    ma, mb = mentions[a], mentions[b]
                    if ma.label == mb.label == "ORG" and _PAREN_ALIAS.match(text[ma.end:mb.start]) \
                            and text[mb.end:mb.end + 1] in ")）":
                        uf.union(keys[a], keys[b])

        # an organisation written with and without the places that open its name, in one document
        # (乌海巴音赛街道党工委 / 巴音赛街道党工委): one entity, when that is the only longer form there
        doc_orgs: dict[str, set[str]] = defaultdict(set)
        for m, (label, key) in zip(mentions, keys):
            if label == "ORG":
                doc_orgs[m.doc].add(key)
        for orgs_here in doc_orgs.values():
            for short in sorted(orgs_here):
                longer = [long for long in orgs_here if long != short and long.endswith(short) and len(short) >= 3
                          and _all_places(long[: -len(short)])]
                if len(longer) == 1:
                    uf.union(("ORG", short), ("ORG", longer[0]))

        # canonical name of each group: the official/longest form
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, k in enumerate(keys):
            groups[uf.find(k)].append(i)
        entities: dict[str, Entity] = {}
        linked: list[LinkedMention | None] = [None] * len(mentions)
        for members in groups.values():
            label = keys[members[0]][0]
            member_keys = {keys[i][1] for i in members}
            name = self._display_name(member_keys, [mentions[i].text for i in members])
            entity_id = bounded_id(f"{label}:{name}")  # the full name stays in ``name``
            surface = Counter(mentions[i].text for i in members)
            aliases = sorted((s for s in surface if s != name), key=lambda s: (-surface[s], s))
            expanded = sorted(k for k in member_keys if k != name and k not in aliases)
            entity = Entity(
                id=entity_id,
                name=name,
                label=label,
                aliases=aliases + [k for k in expanded if k not in aliases],
                mention_count=len(members),
                doc_count=len({mentions[i].doc for i in members}),
            )
            entities[entity_id] = entity
            for i in members:
                linked[i] = LinkedMention(mentions[i], entity_id)
        return [lm for lm in linked if lm is not None], dict(sorted(entities.items()))

    def _display_name(self, keys: set[str], surfaces: list[str]) -> str:
        """The canonical name: the longest key (official form), preferring one written in the text."""
        written = {normalise(s): s for s in surfaces}
        best = max(keys, key=lambda k: (len(k), k in written, k))
        return written.get(best, best)


_GOVERNMENT_HEADS = ("厅", "局", "委", "委员会", "办", "办公室", "政府", "党委", "人大", "政协", "法院", "检察院", "纪委", "监委")


def _looks_like_government_unit(rest: str) -> bool:
    """Whether ``rest`` (after 内蒙古) names a regional government body (工信厅, 党委, 人大常委会)."""
    return any(rest.endswith(h) for h in _GOVERNMENT_HEADS) and len(rest) <= 12
