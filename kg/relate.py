"""Relations between entities: roles, co-occurrence and place hierarchy, with evidence offsets.

* ``HOLDS_ROLE`` (person -> organisation, ``title``, ``title_normalised``): :mod:`kg.roles`.
* ``CO_OCCURS`` (undirected, stored once per pair with source < target): weight = distinct
  sentences (or paragraphs) holding both, duplicate printings counted once; ``npmi`` ranks
  the pairs (:func:`npmi`); ``year_weights`` splits the weight by the documents' years.
* ``HOLDS_ROLE`` and ``CO_OCCURS`` carry ``first_seen``/``last_seen``: the first and last date of
  the documents stating them (absent when none is dated).
* ``REPORTED`` (person -> document, ``as``: 记者/通讯员/摄影/编辑) for each name a page credits
  (:mod:`kg.credits`); the mentions inside a credit take no part in co-occurrence.
* ``DATELINE`` (document -> place) for the place a dateline names (本报包头12月24日电).
* ``PART_OF`` (place -> place) for adjacent administrative units (呼和浩特市清水河县) and
  ``LOCATED_IN`` (organisation -> place) when an organisation's name carries a place.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import combinations

from kg import gazetteer
from kg.link import normalise
from kg.credits import in_credit
from kg.schema import (
    CO_OCCURS, DATELINE, HOLDS_ROLE, LOCATED_IN, PART_OF, RELATION_TYPES, REPORTED, Document, Entity, Evidence, LinkedMention,
    Relation,
)


#: pairs co-occurring in fewer windows get no ``npmi``: on one or two sightings it is noise
MIN_COUNT = 2
#: a window naming more different entities is a list (delegates, award winners, a roll call), not
#: a statement about them: it takes no part in co-occurrence.  News sentences name a handful (the
#: seed pages at most 8); People's Daily 1998-01 has 49 sentences over 30, up to 431, which gave
#: three quarters of all its pair sightings and most of a build's relations, time and memory
MAX_WINDOW_ENTITIES = 30
_PLACE_SUFFIXES = ("市", "省", "县", "区", "旗", "盟", "州", "镇", "乡", "自治区", "自治州", "自治县", "自治旗")


def find_reported(doc: Document, linked: Sequence[LinkedMention]) -> list[Relation]:
    """REPORTED relations of one document: each person its credits name (记者 王皓 -> the page)."""
    people = {(lm.mention.start, lm.mention.end): lm.entity for lm in linked if lm.mention.label == "PER"}
    relations = []
    for credit in doc.credits:
        person = people.get((credit.start, credit.end))
        if person:
            relations.append(Relation(REPORTED, person, doc.id, {"as": credit.role},
                                      [Evidence(doc.id, credit.block_start, credit.block_end)]))
    return relations


def find_dateline_places(doc: Document, linked: Sequence[LinkedMention]) -> list[Relation]:
    """DATELINE relations of one document: the page -> each place its datelines name (本报包头12月24日电)."""
    places = {(lm.mention.start, lm.mention.end): lm.entity for lm in linked if lm.mention.label == "LOC"}
    relations = []
    for dateline in doc.datelines:
        place = places.get((dateline.place_start, dateline.place_end)) if dateline.place else None
        if place:
            relations.append(Relation(DATELINE, doc.id, place, {}, [Evidence(doc.id, dateline.start, dateline.end)]))
    return relations


def content_mentions(doc: Document, linked: Sequence[LinkedMention]) -> list[LinkedMention]:
    """The mentions of ``doc`` that are news, not credits: those outside its bylines and photo credits."""
    if not doc.credits:
        return list(linked)
    return [lm for lm in linked if not in_credit(doc, lm.mention.start, lm.mention.end)]


def find_cooccurrences(
    docs: Sequence[Document], linked_by_doc: dict[str, list[LinkedMention]], *, window: str = "sentence",
    max_evidence: int = 5, min_count: int = MIN_COUNT, max_entities: int | None = MAX_WINDOW_ENTITIES,
) -> list[Relation]:
    """CO_OCCURS relations: one per unordered entity pair, weight = distinct windows holding both.

    A window naming more than ``max_entities`` different entities (a list; ``None`` or 0: no
    limit, :data:`MAX_WINDOW_ENTITIES`) is left out, as if it held none.

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
            if max_entities and len(ids) > max_entities:
                continue
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
    """PART_OF between two places of a document the division data nests, the child's parent
    code the other's code (深圳市 in 广东省), adjacent or not; each place resolved against the
    document's other places (朝阳区 with 北京: Beijing's), an unresolved one left out.  The
    evidence is the two mentions nearest each other, from the first's start to the second's end."""
    mentions: dict[str, list] = defaultdict(list)
    for lm in linked:
        if lm.mention.label == "LOC" and entities[lm.entity].label == "LOC":
            mentions[lm.entity].append(lm.mention)
    names = {entity: normalise(entities[entity].name) for entity in mentions}
    resolved = {entity: gazetteer.resolve(name, [n for other, n in names.items() if other != entity])
                for entity, name in names.items()}
    by_code = {place.code: entity for entity, place in resolved.items() if place is not None and place.code}
    relations = []
    for lower, place in resolved.items():
        upper = by_code.get(place.parent_code) if place is not None and place.parent_code else None
        if upper is None or upper == lower:
            continue
        a, b = min(((m, n) for m in mentions[upper] for n in mentions[lower]),
                   key=lambda pair: (abs(pair[0].start - pair[1].start), pair[0].start))
        first, second = sorted((a, b), key=lambda m: m.start)
        relations.append(Relation(PART_OF, lower, upper, {}, [Evidence(doc.id, first.start, second.end)]))
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
    for entity in entities.values():
        if entity.label != "ORG":
            continue
        name = normalise(entity.name)
        target = None
        bracket = re.search(r"\(([^()]{2,8})\)", name)
        if bracket and bracket.group(1) in place_names:
            target = place_names[bracket.group(1)]
        else:
            # the longest place the name starts with, looked up by the name's own prefixes (not by
            # every place: that made this quadratic); the rest must be more than a place suffix
            # (巴彦淖尔 + 市 is the place itself)
            target = next((place_names[name[:k]] for k in range(len(name) - 1, 1, -1)
                           if name[:k] in place_names and name[k:] not in _PLACE_SUFFIXES), None)
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
    return sorted(merged.values(), key=lambda r: (RELATION_TYPES.index(r.type), r.source, r.target, str(r.key[3] or "")))
