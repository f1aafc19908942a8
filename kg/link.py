"""Entity linking: group mentions that denote the same real-world entity.

Rules, in the order they apply (each documented in docs/linking.md, with the name
:attr:`kg.schema.Entity.merged_by` gives it in brackets):

1. **Normalisation** (``normalisation``) – NFKC folds full/half-width forms and brackets
   (（包头） = (包头)), layout whitespace is removed.
2. **Curated and user aliases** (``alias_file``) – exact alias -> canonical (``models/aliases.tsv``,
   ``--aliases``, ``--names``).
3. **Home region** (``home_region``) – ``自治区X`` = ``内蒙古自治区X``; 自治区/我区/全区 tagged as places
   = the region.  **Region epithets** (``region_epithet``): the descriptive names the region's press
   gives places, tagged as places (``models/region_epithets.tsv``: 首府 = 呼和浩特 in 内蒙古, 羊城 =
   广州 in 广东).  The region is given (``--home-region``, for every document) or each
   document's own: the province its places lie in most (:func:`document_regions`), so an archive
   mixing papers from several provinces links each page to its own; a page naming no province
   gets none.
4. **Places** – a short form the gazetteer knows is its place's official name (``gazetteer``: 包头 =
   包头市, 锡林郭勒 = 锡林郭勒盟); a short form joins the one place of the corpus whose name it is
   less a suffix the division data knows (``place_suffix``: 大理 = 大理白族自治州, 华北 = 华北地区);
   different places sharing a stem stay apart.
5. **Organisation abbreviations** – by evidence in the corpus: a corporate suffix
   (``corporate_suffix``: 包钢 = 包钢集团, but 包钢股份 stays apart), a company's short form
   (``company_short_form``: 合生生物 = 天津合生生物科技有限公司), an in-order character abbreviation
   with the same first and last character (``abbreviation``: 工信厅 = 工业和信息化厅), and a
   parenthesised alias right after a name (``paren_alias``: 海军军医大学第一附属医院(长海医院)).  A
   name that is a prefix of a longer one plus more than a corporate suffix is a sub-unit and never
   merges (自治区党委 vs 自治区党委宣传部).
6. **Leading places** (``leading_places``) – an organisation written with and without the places
   that open its name, in one document (乌海巴音赛街道党工委 = 巴音赛街道党工委).
7. **Near spelling** (``near_spelling``) – a place name the gazetteer does not know, one character
   off a known place of the same document (呼和浩市: a character lost at a line break), joins it
   when nothing else does and it is the only such place.
8. **People** – one entity per name across documents.

Entity ids are ``LABEL:canonical name``: readable in Neo4j and stable across runs.  Each entity
records the rules that joined its forms (:attr:`kg.schema.Entity.merged_by`).
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
#: the names :attr:`kg.schema.Entity.merged_by` gives the rules (docs/linking.md)
RULES = ("abbreviation", "alias_file", "company_short_form", "corporate_suffix", "gazetteer", "home_region",
         "leading_places", "near_spelling", "normalisation", "paren_alias", "place_suffix", "region_epithet")
#: a place name this long or longer may be read one character off (:func:`one_character_off`)
NEAR_SPELLING_MIN = 4
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

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> bool:
        """Join the groups of ``a`` and ``b``; whether they were two."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
        return ra != rb


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
    province, or two equally (it then gets no home-region linking: 自治区 stays 自治区).  A region's
    epithet counts for none (鹿城 is 包头 in Inner Mongolia's pages, though 温州's 鹿城区 lies in 浙江)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    epithets = {epithet for _, epithet in gazetteer.region_epithets()}
    for m in mentions:
        counts[m.doc]  # every document has an entry
        if m.label == "LOC" and normalise(m.text) not in epithets and (province := province_of(m.text)):
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


def abbreviation_rule(short: str, long: str) -> str | None:
    """How organisation name ``short`` abbreviates ``long`` (both normalised), as
    :attr:`kg.schema.Entity.merged_by` names it, or None when it does not:

    * ``company_short_form``: ``short`` is one of the company's short forms,
      :func:`kg.naming.company_short_forms` (合生生物 / 天津合生生物科技有限公司, 金宇保灵 /
      金宇保灵生物药品有限公司);
    * ``corporate_suffix``: ``long`` = ``short`` + a corporate suffix (包钢 / 包钢集团);
    * ``abbreviation``: ``short`` drops characters of ``long`` in order, keeping its first and last
      character (工信厅 / 工业和信息化厅), and is not a plain prefix of it (a prefix plus more is a
      sub-unit: 自治区党委 / 自治区党委宣传部).
    """
    if len(short) < 2 or len(short) >= len(long):
        return None
    if short in company_short_forms(long):
        return "company_short_form"
    if long.startswith(short):
        return "corporate_suffix" if _strip_corporate_suffix(long) == short else None
    core_long = _strip_corporate_suffix(long)
    core_short = _strip_corporate_suffix(short)
    if (len(core_short) >= 2 and core_short[0] == core_long[0] and core_short[-1] == core_long[-1]
            and _is_subsequence(core_short, core_long) and not core_long.startswith(core_short)):
        return "abbreviation"
    return None


def is_abbreviation(short: str, long: str) -> bool:
    """True when organisation name ``short`` abbreviates ``long`` (both normalised): :func:`abbreviation_rule`."""
    return abbreviation_rule(short, long) is not None


#: a place name ending so is no short form of a longer one (赤峰市 of 赤峰市区, the city's urban area)
_NOT_SHORT = ("市", "县", "区", "旗", "盟", "省")


def place_stems(name: str) -> set[str]:
    """The short forms of place name ``name`` by the suffixes the division data knows, two characters
    or more: 包头 for 包头市, 华北 for 华北地区, 锡林郭勒 for 锡林郭勒盟, 大理 (and 大理白族) for
    大理白族自治州 (:func:`kg.gazetteer.rule_short_form`, every level's); never a known place's
    official name or a name ending like one (赤峰市 is no short form of 赤峰市区)."""
    stems = {name[: -len(s)] for s in PLACE_SUFFIXES if name.endswith(s)}
    stems |= {gazetteer.rule_short_form(name, level) for level in gazetteer.SHORT_FORM_SUFFIXES}
    known = gazetteer.places()
    return {s for s in stems if s and len(s) >= 2 and s != name and not s.endswith(_NOT_SHORT) and s not in known}


def one_character_off(odd: str, known: str) -> bool:
    """Whether ``odd`` is ``known`` with one character lost (not its first), one extra inside it or
    one changed inside it (呼和浩 / 呼和浩特, 呼和和浩特, 呼和洁特): what a line break does to a
    name.  ``known`` has :data:`NEAR_SPELLING_MIN` characters or more, and neither end of a name
    changes or grows (包头路 is no 包头市, 赤峰市区 no 赤峰市, 西乌旗 no 东乌旗)."""
    if len(known) < NEAR_SPELLING_MIN:
        return False
    if len(odd) == len(known):
        diff = [i for i, (a, b) in enumerate(zip(odd, known)) if a != b]
        return len(diff) == 1 and 0 < diff[0] < len(odd) - 1
    if len(odd) == len(known) - 1:
        return any(known[:i] + known[i + 1:] == odd for i in range(1, len(known)))
    if len(odd) == len(known) + 1:
        return any(odd[:i] + odd[i + 1:] == known for i in range(1, len(odd) - 1))
    return False


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

    def _home(self, key: str, label: str, region: str | None) -> tuple[str, str | None]:
        """The key by the home region, and the rule that gave it (None: none did)."""
        if not region:
            return key, None
        if label == "LOC" and key in HOME_REGION_PRONOUNS:
            return region, "home_region"
        if label == "LOC" and (place := gazetteer.region_epithets().get(
                (gazetteer.place_aliases().get(region, region), key))):
            return place, "region_epithet"
        short = next((s for s in gazetteer.places().get(region, gazetteer.Place(region, (), "")).short if len(s) > 1), None)
        if label in ("ORG", "LOC") and key.startswith(HOME_REGION_PREFIX) and len(key) > len(HOME_REGION_PREFIX):
            return region + key[len(HOME_REGION_PREFIX):], "home_region"
        # 内蒙古工信厅 -> 内蒙古自治区工信厅, only for organisations of the region itself
        if label == "ORG" and short and key.startswith(short) and not key.startswith(region):
            rest = key[len(short):]
            if rest and rest[0] not in "自" and _looks_like_government_unit(rest):
                return region + rest, "home_region"
        return key, None

    @staticmethod
    def _gazetteer_label(mention: Mention) -> Mention:
        """A mention whose whole text is a known place (鄂尔多斯, 巴彦淖尔市) is a place, whatever
        label the model gave it: the gazetteer is more reliable than the model on these names."""
        if mention.label != "LOC" and gazetteer.is_known_place(normalise(mention.text)):
            return replace(mention, label="LOC")
        return mention

    def _place(self, key: str) -> str:
        return gazetteer.place_aliases().get(key) or gazetteer.place_of_short_form(key) or key

    def canonical_key(self, text: str, label: str, region: str | None = None) -> str:
        """The key a surface form links by before corpus evidence (aliases, ``region``: the home
        region of its document, places)."""
        return self.keyed(text, label, region)[0]

    def keyed(self, text: str, label: str, region: str | None = None) -> tuple[str, tuple[str, ...]]:
        """:meth:`canonical_key` and the rules that changed the form on the way (``alias_file``,
        ``home_region``, ``region_epithet``, ``gazetteer``)."""
        key = normalise(text)
        rules: list[str] = []

        def step(new: str, rule: str | None) -> None:
            nonlocal key
            if new != key and rule:
                rules.append(rule)
                key = new

        step(self._alias(key, label), "alias_file")
        step(*self._home(key, label, region))
        if label == "LOC":
            step(self._place(key), "gazetteer")
        step(self._alias(key, label), "alias_file")
        return key, tuple(rules)

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
        keyed = [self.keyed(m.text, m.label, self.regions[m.doc]) for m in mentions]
        keys = [(m.label, key) for m, (key, _) in zip(mentions, keyed)]
        uf = _UnionFind()
        for k in keys:
            uf.find(k)
        joins: list[tuple[tuple[str, str], str]] = []  # (a key of the group, the rule that joined two groups)

        def join(a: tuple[str, str], b: tuple[str, str], rule: str) -> None:
            if uf.union(a, b):
                joins.append((a, rule))

        by_label: dict[str, set[str]] = defaultdict(set)
        for label, key in keys:
            by_label[label].add(key)

        # places: 包头 -> 包头市, 大理 -> 大理白族自治州 when the suffixed form occurs (and is the only such form)
        locs = by_label.get("LOC", set())
        longer_of: dict[str, set[str]] = defaultdict(set)
        for long in locs:
            for stem in place_stems(long):
                if stem in locs:
                    longer_of[stem].add(long)
        for key in sorted(longer_of):
            if len(longer_of[key]) == 1:
                join(("LOC", key), ("LOC", next(iter(longer_of[key]))), "place_suffix")

        # organisations: abbreviations with exactly one candidate long form
        orgs = sorted(by_label.get("ORG", set()), key=lambda k: (len(k), k))
        protected = set(self.aliases.values())  # names the alias tables know as complete names
        long_forms = _LongForms(orgs)
        for short in orgs:
            if short in protected:
                continue  # 内蒙古大学 is not an abbreviation of 内蒙古师范大学
            candidates = [(long, rule) for long in long_forms.of(short) if (rule := abbreviation_rule(short, long))]
            roots = {uf.find(("ORG", c)) for c, _ in candidates}
            if len(roots) == 1:
                join(("ORG", short), ("ORG", candidates[0][0]), candidates[0][1])

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
                        join(keys[a], keys[b], "paren_alias")

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
                    join(("ORG", short), ("ORG", longer[0]), "leading_places")

        self._join_near_spellings(mentions, keys, uf, join, protected)

        # canonical name of each group: the official/longest form
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        rules: dict[tuple[str, str], set[str]] = defaultdict(set)
        for i, k in enumerate(keys):
            groups[uf.find(k)].append(i)
            rules[uf.find(k)].update(keyed[i][1])
        for k, rule in joins:
            rules[uf.find(k)].add(rule)
        entities: dict[str, Entity] = {}
        linked: list[LinkedMention | None] = [None] * len(mentions)
        for root, members in groups.items():
            label = keys[members[0]][0]
            member_keys = {keys[i][1] for i in members}
            name = self._display_name(member_keys, [mentions[i].text for i in members])
            entity_id = bounded_id(f"{label}:{name}")  # the full name stays in ``name``
            surface = Counter(mentions[i].text for i in members)
            aliases = sorted((s for s in surface if s != name), key=lambda s: (-surface[s], s))
            expanded = sorted(k for k in member_keys if k != name and k not in aliases)
            folded = Counter(normalise(s) for s in {name, *aliases, *expanded})
            if any(n > 1 for n in folded.values()):  # （包头） and (包头)
                rules[root].add("normalisation")
            entity = Entity(
                id=entity_id,
                name=name,
                label=label,
                aliases=aliases + [k for k in expanded if k not in aliases],
                mention_count=len(members),
                doc_count=len({mentions[i].doc for i in members}),
                merged_by=sorted(rules[root]) if aliases or expanded else [],
            )
            entities[entity_id] = entity
            for i in members:
                linked[i] = LinkedMention(mentions[i], entity_id)
        return [lm for lm in linked if lm is not None], dict(sorted(entities.items()))

    @staticmethod
    def _join_near_spellings(mentions: Sequence[Mention], keys: list[tuple[str, str]], uf: _UnionFind, join,
                             protected: set[str]) -> None:
        """A place name nothing else linked and the gazetteer does not know, one character off a known
        place of the same document (:func:`one_character_off`: 呼和浩市 beside 呼和浩特市), joins it
        when that is the only such place, in every document it is in."""
        groups = Counter(uf.find(k) for k in set(keys))
        known_places = gazetteer.places()
        aliases = gazetteer.place_aliases()
        known: dict[str, dict[str, str]] = defaultdict(dict)  # doc -> form -> the place's official name
        odd: dict[str, set[str]] = defaultdict(set)  # odd key -> its documents
        for m, (label, key) in zip(mentions, keys):
            if label != "LOC":
                continue
            surface = normalise(m.text)
            if key in known_places:
                known[m.doc][key] = key
                if surface in aliases:
                    known[m.doc][surface] = key
            elif surface not in aliases and key not in protected and groups[uf.find((label, key))] == 1:
                odd[key].add(m.doc)
        for key in sorted(odd):
            fits = [{place for form, place in known[doc].items() if one_character_off(key, form)} for doc in odd[key]]
            if all(len(f) == 1 for f in fits) and len(set.union(*fits)) == 1:
                join(("LOC", key), ("LOC", next(iter(fits[0]))), "near_spelling")

    def _display_name(self, keys: set[str], surfaces: list[str]) -> str:
        """The canonical name: the longest key (official form), preferring one written in the text."""
        written = {normalise(s): s for s in surfaces}
        best = max(keys, key=lambda k: (len(k), k in written, k))
        return written.get(best, best)


_GOVERNMENT_HEADS = ("厅", "局", "委", "委员会", "办", "办公室", "政府", "党委", "人大", "政协", "法院", "检察院", "纪委", "监委")


def _looks_like_government_unit(rest: str) -> bool:
    """Whether ``rest`` (after 内蒙古) names a regional government body (工信厅, 党委, 人大常委会)."""
    return any(rest.endswith(h) for h in _GOVERNMENT_HEADS) and len(rest) <= 12
