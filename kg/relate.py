"""Relations between entities: roles, co-occurrence and place hierarchy, with evidence offsets.

* ``HOLDS_ROLE`` (person -> organisation, ``title``): Chinese news writes a role as
  organisation + title(s) + name (自治区人大常委会党组书记、副主任张韶春; 鄂尔多斯海关副关长陶增波),
  or reference + name + title (该院张俊昌教授).  Titles come from ``models/titles.txt``;
  该院/该公司/该局-style references resolve to the latest matching organisation before them.
  No role without a named organisation, and bylines (记者 王皓) have no title in the lexicon.
* ``CO_OCCURS`` (undirected, stored once per pair with source < target): weight = distinct
  sentences (or paragraphs) holding both, duplicate printings counted once; ``npmi`` ranks
  the pairs (:func:`npmi`); ``year_weights`` splits the weight by the documents' years.
* ``HOLDS_ROLE`` and ``CO_OCCURS`` carry ``first_seen``/``last_seen``: the first and last date of
  the documents stating them (absent when none is dated).
* ``PART_OF`` (place -> place) for adjacent administrative units (呼和浩特市清水河县) and
  ``LOCATED_IN`` (organisation -> place) when an organisation's name carries a place.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from itertools import combinations

from kg import gazetteer
from kg.link import normalise
from kg.schema import CO_OCCURS, HOLDS_ROLE, LOCATED_IN, PART_OF, RELATION_TYPES, Document, Entity, Evidence, LinkedMention, Relation


# 该院 -> organisation names ending like this
REFERENCES = {
    "该院": ("院",),
    "该医院": ("医院",),
    "该校": ("学", "学院", "学校", "大学"),
    "该公司": ("公司", "集团", "厂"),
    "公司": ("公司",),
    "该集团": ("集团", "公司"),
    "该局": ("局",),
    "该厅": ("厅",),
    "该委": ("委", "委员会"),
    "该所": ("所",),
    "该中心": ("中心",),
    "该厂": ("厂",),
    "该行": ("行",),
    "该站": ("站",),
    "该馆": ("馆",),
    "该协会": ("协会", "会"),
}
_HIGHER_PLACE = ("自治区", "省", "市", "盟", "自治州")
_LOWER_PLACE = ("市", "县", "旗", "区", "镇", "乡", "苏木", "嘎查", "村")
_JOINERS = "、和及与"
#: bodies that read as part of a title when a title follows (党组书记): 人大常委会党组 + 书记
TITLE_PREFIXES = ("党组",)
#: pairs co-occurring in fewer windows get no ``npmi``: on one or two sightings it is noise
MIN_COUNT = 2
_PLACE_SUFFIXES = ("市", "省", "县", "区", "旗", "盟", "州", "镇", "乡", "自治区", "自治州", "自治县", "自治旗")


class _TitleMatcher:
    """Parses the text between an organisation and a name into titles (and a sub-unit)."""

    def __init__(self) -> None:
        self.titles = gazetteer.titles()
        alternatives = "|".join(re.escape(t) for t in self.titles)
        self.chain = re.compile(rf"^(?P<unit>[^，,。；;：:、\s“”\"《》（）()]{{0,12}}?)(?P<titles>(?:{alternatives})(?:[、和](?:{alternatives}))*)$")
        self.post = re.compile(rf"^(?:{alternatives})")

    def parse(self, between: str) -> list[str] | None:
        """Titles stated by ``between`` (e.g. 党组书记、副主任 -> [党组书记, 副主任]), or None."""
        m = self.chain.match(between)
        if not m:
            return None
        unit = m.group("unit")
        titles = re.split(r"[、和]", m.group("titles"))
        # a sub-unit between organisation and title belongs to the title (技术研发部经理)
        if unit:
            if not re.search(r"(部|处|科|室|办|中心|所|组|队|车间|分公司|站)$", unit):
                return None
            titles = [unit + titles[0]] + titles[1:]
        return titles

    def title_after(self, text: str) -> str | None:
        """A title directly after a name (张俊昌教授)."""
        m = self.post.match(text)
        return m.group(0) if m else None


@lru_cache(maxsize=1)
def _title_matcher() -> _TitleMatcher:
    """The matcher compiles one regular expression over the whole title lexicon: build it once."""
    return _TitleMatcher()


def _resolve_reference(ref: str, before: Sequence[LinkedMention], entities: dict[str, Entity], *,
                       window: int = 12) -> str | None:
    """The organisation 该院/该公司 refers to: among the matching organisations named in the last
    ``window`` sentences, the one named most often (the article's subject), then the latest.
    (该院杨晓光教授团队与海军军医大学第一附属医院合作 — a later 该院 still means the hospital
    the article is about, not the partner named last.)  An alias right after a name, in brackets
    (海军军医大学第一附属医院(长海医院)), is the same naming and does not count again."""
    heads = REFERENCES[ref]
    if not before:
        return None
    last_sentence = before[-1].mention.sentence
    counts: dict[str, list[int]] = {}
    for position, lm in enumerate(before):
        if lm.mention.label != "ORG" or lm.mention.sentence < last_sentence - window:
            continue
        entity = entities[lm.entity]
        if normalise(entity.name).endswith(heads) or any(normalise(a).endswith(heads) for a in entity.aliases):
            seen = counts.setdefault(lm.entity, [0, 0, -2])
            seen[0] += lm.mention.start - seen[2] > 1  # not a bracketed alias of the name just before
            seen[1] = position
            seen[2] = lm.mention.end
    if not counts:
        return None
    return max(counts, key=lambda e: (counts[e][0], counts[e][1]))


def find_roles(doc: Document, linked: Sequence[LinkedMention], entities: dict[str, Entity]) -> list[Relation]:
    """HOLDS_ROLE relations stated in one document (``linked``: its mentions in text order)."""
    matcher = _title_matcher()
    text = doc.text
    relations: list[Relation] = []
    ordered = sorted(linked, key=lambda lm: lm.mention.start)
    refs = sorted(REFERENCES, key=len, reverse=True)
    by_name = {(normalise(e.name), e.label): e.id for e in entities.values()}

    def add(person: LinkedMention, org: str, title: str, start: int) -> None:
        relations.append(Relation(HOLDS_ROLE, person.entity, org, {"title": title}, [Evidence(doc.id, start, person.mention.end)]))

    for i, lm in enumerate(ordered):
        m = lm.mention
        if m.label != "PER":
            continue
        sentence = doc.sentences[m.sentence]
        # 1. ORG + titles + PER (and PER、PER after the same titles)
        j = i - 1
        while j >= 0 and ordered[j].mention.label == "PER" and _joined(text, ordered[j].mention.end, ordered[j + 1].mention.start):
            j -= 1
        head = ordered[j + 1].mention
        found = False
        if j >= 0 and ordered[j].mention.label == "ORG" and ordered[j].mention.start >= sentence.start:
            org = ordered[j]
            titles = matcher.parse(text[org.mention.end:head.start])
            if titles:
                target, unit, start = org.entity, "", org.mention.start
                # 人大常委会党组 + 书记: 党组书记 is the title, the organisation is 人大常委会
                parent_name = normalise(entities[org.entity].name)
                if parent_name.endswith(TITLE_PREFIXES):
                    prefix = next(p for p in TITLE_PREFIXES if parent_name.endswith(p))
                    parent = by_name.get((parent_name[: -len(prefix)], "ORG"))
                    if parent:
                        target, unit = parent, prefix
                # 该公司技术研发部经理: the ORG found is a sub-unit of the organisation referred to
                ref = next((r for r in refs if r != "公司" and text[:org.mention.start].endswith(r)), None)
                if ref:
                    parent = _resolve_reference(ref, ordered[:j], entities)
                    if parent:
                        target, unit, start = parent, org.mention.text, org.mention.start - len(ref)
                for title in titles:
                    add(lm, target, unit + title if unit and title == titles[0] else title, start)
                found = True
        # 2. reference (该院/该公司) + titles + PER, or reference + PER + title (该院张俊昌教授)
        if not found:
            window = text[max(sentence.start, head.start - 20):head.start]
            for ref in refs:
                pos = window.rfind(ref)
                if pos < 0:
                    continue
                between = window[pos + len(ref):]
                if ref == "公司" and pos > 0 and window[pos - 1] not in "，,。；;：:“”\"":
                    continue  # bare 公司 only as a reference at a clause start
                titles = matcher.parse(between) if between else None
                post = None
                if not between or between in ("", "的"):
                    post = matcher.title_after(text[m.end:m.end + 8])
                if titles or post:
                    before = [x for x in ordered[:i] if x.mention.end <= head.start - len(between) - len(ref)]
                    org = _resolve_reference(ref, before, entities)
                    if org:
                        for title in titles or [post]:
                            add(lm, org, title, head.start - len(between) - len(ref))
                        found = True
                break
        # 3. 该院张俊昌教授与夏龙教授: a later person in the same chain
        if not found and i > 0:
            prev = ordered[i - 1]
            glue = text[prev.mention.end:m.start]
            post = matcher.title_after(text[m.end:m.end + 8])
            if prev.mention.label == "PER" and post:
                prev_title = matcher.title_after(glue)
                if prev_title and glue[len(prev_title):] in tuple(_JOINERS):
                    for rel in relations:
                        if rel.source == prev.entity and rel.properties["title"] == prev_title:
                            add(lm, rel.target, post, prev.mention.start)
                            break
    return relations


def _joined(text: str, end: int, start: int) -> bool:
    return text[end:start] in tuple(_JOINERS)


def find_cooccurrences(
    docs: Sequence[Document], linked_by_doc: dict[str, list[LinkedMention]], *, window: str = "sentence",
    max_evidence: int = 5, min_count: int = MIN_COUNT,
) -> list[Relation]:
    """CO_OCCURS relations: one per unordered entity pair, weight = distinct windows holding both.

    Sentences printed twice (``Sentence.duplicate_of``) add evidence but no weight; with
    ``window="paragraph"`` a paragraph counts once unless all its sentences are duplicates.
    The evidence kept is the first ``max_evidence`` spans in (doc, start, end) order and
    ``doc_weights`` is sorted by document, whatever the order of ``docs``.  Pairs with a weight
    of at least ``min_count`` get ``npmi`` (see :func:`npmi`); dated documents give
    ``first_seen``/``last_seen`` and ``year_weights`` (:func:`add_dates`).
    """
    if window not in ("sentence", "paragraph"):
        raise ValueError(f"window must be 'sentence' or 'paragraph', not {window!r}")
    pairs: dict[tuple[str, str], Relation] = {}
    windows = 0  # counted windows (not duplicates) holding at least one entity
    windows_of: Counter[str] = Counter()  # entity -> counted windows holding it
    for doc in docs:
        groups: dict[int, set[str]] = defaultdict(set)
        spans: dict[int, tuple[int, int]] = {}
        duplicate: dict[int, bool] = {}
        for lm in linked_by_doc.get(doc.id, []):
            s = doc.sentences[lm.mention.sentence]
            unit = s.index if window == "sentence" else s.paragraph
            groups[unit].add(lm.entity)
        for s in doc.sentences:
            unit = s.index if window == "sentence" else s.paragraph
            lo, hi = spans.get(unit, (s.start, s.end))
            spans[unit] = (min(lo, s.start), max(hi, s.end))
            duplicate[unit] = duplicate.get(unit, True) and s.duplicate_of is not None
        for unit, ids in groups.items():
            if not duplicate[unit]:
                windows += 1
                windows_of.update(ids)
            for a, b in combinations(sorted(ids), 2):
                rel = pairs.setdefault((a, b), Relation(CO_OCCURS, a, b, {"weight": 0, "doc_weights": {}}))
                if not duplicate[unit]:
                    rel.properties["weight"] += 1
                    rel.properties["doc_weights"][doc.id] = rel.properties["doc_weights"].get(doc.id, 0) + 1
                start, end = spans[unit]
                _keep_first(rel.evidence, [Evidence(doc.id, start, end)], max_evidence)
    dates = {doc.id: doc.date for doc in docs}
    found = []
    for (a, b), rel in pairs.items():
        props = rel.properties
        if props["weight"] == 0:
            continue
        props["doc_weights"] = dict(sorted(props["doc_weights"].items()))
        if props["weight"] >= min_count:
            props["npmi"] = npmi(props["weight"], windows_of[a], windows_of[b], windows)
        add_dates(props, dates)
        found.append(rel)
    return found


def npmi(both: int, count_a: int, count_b: int, windows: int) -> float:
    """Normalised pointwise mutual information of two entities, rounded to 4 decimals.

    ``log(p(a,b) / (p(a) p(b))) / -log p(a,b)`` with p = windows holding them / ``windows``
    (the counted windows holding any entity): 1 when they only appear together, 0 when
    together as often as chance would have it, below 0 when less.  Unlike the raw weight it
    does not put the most-mentioned entities (the home region, the capital) at every top.
    """
    p_ab = both / windows
    if p_ab >= 1.0:
        return 1.0
    value = math.log(p_ab / ((count_a / windows) * (count_b / windows))) / -math.log(p_ab)
    return round(value, 4) + 0.0  # + 0.0: no -0.0 in the output


def iso_day(value) -> str | None:
    """``value`` as YYYY-MM-DD when it is a date (as kg's readers take one), else None."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return None


def add_dates(props: dict, dates: Mapping[str, str | None], docs: Sequence[str] | None = None) -> None:
    """Set ``first_seen``/``last_seen`` (and, with ``doc_weights``, ``year_weights``) in ``props``
    from the dates of the documents stating the relation (``docs``, or the keys of
    ``doc_weights``); nothing when none of them is dated."""
    weights = props.get("doc_weights")
    days = {d: iso_day(dates.get(d)) for d in (docs if docs is not None else weights)}
    dated = sorted(day for day in days.values() if day)
    if not dated:
        return
    props["first_seen"], props["last_seen"] = dated[0], dated[-1]
    if weights is not None:
        years: Counter[str] = Counter()
        for d, w in weights.items():
            if days.get(d):
                years[days[d][:4]] += w
        props["year_weights"] = dict(sorted(years.items()))


def _evidence_key(ev: Evidence) -> tuple[str, int, int]:
    return (ev.doc, ev.start, ev.end)


def _keep_first(have: list[Evidence], more: Sequence[Evidence], limit: int) -> None:
    """Add ``more`` to ``have`` (no repeats), keeping the first ``limit`` in (doc, start, end) order:
    which spans a relation keeps must not depend on the order the pages were given in."""
    for ev in more:
        if ev not in have:
            have.append(ev)
    have.sort(key=_evidence_key)
    del have[max(0, limit):]


def find_place_hierarchy(doc: Document, linked: Sequence[LinkedMention], entities: dict[str, Entity]) -> list[Relation]:
    """PART_OF for adjacent administrative units written together (呼和浩特市清水河县)."""
    relations = []
    ordered = sorted(linked, key=lambda lm: lm.mention.start)
    for a, b in zip(ordered, ordered[1:]):
        if a.mention.label == b.mention.label == "LOC" and a.mention.end == b.mention.start and a.entity != b.entity:
            upper, lower = normalise(entities[a.entity].name), normalise(entities[b.entity].name)
            if upper.endswith(_HIGHER_PLACE) and lower.endswith(_LOWER_PLACE):
                relations.append(Relation(PART_OF, b.entity, a.entity, {}, [Evidence(doc.id, a.mention.start, b.mention.end)]))
    return relations


def find_locations(entities: dict[str, Entity], linked: Sequence[LinkedMention]) -> list[Relation]:
    """LOCATED_IN for organisations whose name starts with, or brackets, a known place."""
    place_names: dict[str, str] = {}
    for entity in entities.values():
        if entity.label == "LOC":
            for form in [entity.name, *entity.aliases]:
                form = normalise(form)
                if len(form) >= 2:
                    place_names.setdefault(form, entity.id)
    first_mention: dict[str, LinkedMention] = {}  # first in (doc, start, end) order, not input order
    for lm in linked:
        have = first_mention.get(lm.entity)
        key = (lm.mention.doc, lm.mention.start, lm.mention.end)
        if have is None or key < (have.mention.doc, have.mention.start, have.mention.end):
            first_mention[lm.entity] = lm
    relations = []
    forms = sorted(place_names, key=len, reverse=True)
    for entity in entities.values():
        if entity.label != "ORG":
            continue
        name = normalise(entity.name)
        target = None
        bracket = re.search(r"\(([^()]{2,8})\)", name)
        if bracket and bracket.group(1) in place_names:
            target = place_names[bracket.group(1)]
        else:
            # the rest after the place must be more than a place suffix (巴彦淖尔 + 市 is the place itself)
            target = next((place_names[f] for f in forms if name.startswith(f) and len(name) > len(f)
                           and name[len(f):] not in _PLACE_SUFFIXES), None)
        if target:
            lm = first_mention.get(entity.id)
            evidence = [Evidence(lm.mention.doc, lm.mention.start, lm.mention.end)] if lm else []
            relations.append(Relation(LOCATED_IN, entity.id, target, {}, evidence))
    return relations


def merge_relations(relations: Sequence[Relation], *, max_evidence: int = 5,
                    dates: Mapping[str, str | None] | None = None) -> list[Relation]:
    """Fold relations with the same (type, source, target, title), pooling evidence (the first
    ``max_evidence`` spans in (doc, start, end) order); stable order.

    A HOLDS_ROLE also gets ``docs`` (every document stating it, sorted, beyond the evidence
    kept) and, from ``dates`` (document id -> date), ``first_seen``/``last_seen``."""
    merged: dict[tuple, Relation] = {}
    role_docs: dict[tuple, set[str]] = defaultdict(set)
    for rel in relations:
        if rel.type == CO_OCCURS:
            merged[rel.key] = rel
            continue
        if rel.key not in merged:
            merged[rel.key] = Relation(rel.type, rel.source, rel.target, dict(rel.properties), [])
        if rel.type == HOLDS_ROLE:
            role_docs[rel.key].update(ev.doc for ev in rel.evidence)
        _keep_first(merged[rel.key].evidence, rel.evidence, max_evidence)
    for key, docs in role_docs.items():
        props = merged[key].properties
        props["docs"] = sorted(docs)
        add_dates(props, dates or {}, props["docs"])
    return sorted(merged.values(), key=lambda r: (RELATION_TYPES.index(r.type), r.source, r.target, str(r.properties.get("title", ""))))
