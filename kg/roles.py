"""HOLDS_ROLE: who holds which post where, in every common way Chinese news writes it.

A role needs a person, a title and a named organisation in one sentence (never across a
sentence end, never from a byline).  The shapes read, each with its tests in tests/test_roles.py:

* ``ORG TITLE PERSON`` and ``ORG的TITLE PERSON``; several titles (``ORG T1、T2 PERSON``,
  ``ORG T1兼T2 PERSON``); a sub-unit in the title (``ORG 营销中心重轨销售部经理 PERSON``); a title
  fused with its organisation (外交部长 = 外交部 + 部长); people sharing titles
  (``ORG T PERSON、PERSON``);
* chains: ``ORG1 T1、ORG2 T2 PERSON`` gives each title its own organisation;
* the person before the title: ``ORG PERSON TITLE`` (温州大学张永普教授);
* appositions: ``PERSON（ORG TITLE）``, ``PERSON，ORG TITLE，``, the caption ``PERSON ORG TITLE``;
* a bracketed alias or a quoted name before the title: ``ORG（WHO）TITLE PERSON``, ``“ORG”TITLE PERSON``;
* a body named after a sibling in a chain (中共中央政治局委员、书记处书记): 书记 of that body
  (中共中央书记处) where the build names it, else 书记处书记 of the parent (中共中央) where the
  build names that, else no role;
* titles that name their own body (国家主席, 外长) are no post of the organisation before them;
* verbs: ``PERSON（…）任/担任/出任/兼任/现任 ORG TITLE``, ``ORG TITLE由PERSON担任``;
* the organisation given earlier: ``在ORG，TITLE PERSON``; 该院/该公司 + TITLE + PERSON or
  该院 + PERSON + TITLE (the organisation the article is about, :func:`_resolve_reference`);
* government posts named by their place (广东省省长, 深圳市市长, 香港特别行政区行政长官): the role is
  held in the place's government when the build names it (广东省人民政府), else in the place itself;
* ranks and honours that are no post (特级教师, 全国劳动模范) pass in a chain but give no role.

Titles are recognised by :mod:`kg.titles` (learned from data; the lexicon ``models/titles.txt``
is its fallback).  ``properties.title`` is the title as written; ``title_normalised`` is its
grouping key (:func:`kg.titles.normalise_title`).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from kg import titles as title_words
from kg.credits import in_credit
from kg.gazetteer import curated_aliases
from kg.link import normalise
from kg.schema import HOLDS_ROLE, Document, Entity, Evidence, LinkedMention, Relation

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
#: bodies that read as part of a title when a title follows (党组书记): 人大常委会党组 + 书记
TITLE_PREFIXES = ("党组",)
#: what joins titles in a chain: 党组书记、副主任; 副董事长兼总经理
TITLE_JOINERS = "、兼和及并"
#: what joins people who share titles: 副主任段志强、丁绣峰
PEOPLE_JOINERS = "、和及与"
#: a sub-unit written between an organisation and a title (技术研发部 + 经理)
_UNIT_END = re.compile(r"(?:部|处|科|室|办|中心|所|组|队|车间|分公司|站|系|内科|外科|门诊|病区|项目部|事业部|办公室)$")
#: sub-units that are bodies with a head of their own (书记处, 行政处, 外事司), not departments (总编室, 市场部)
_BODIES = ("处", "司", "局", "厅", "委", "委员会", "院")
_PUNCT = set("，,。；;：:！!？?“”\"《》（）()\n")
#: posts named by their place: 省长 of 广东省 is held in 广东省人民政府 (行政长官 of 香港特别行政区 in
#: 香港特别行政区政府)
PLACE_POSTS = ("省长", "市长", "县长", "区长", "州长", "旗长", "盟长", "乡长", "镇长", "行政长官")
#: titles that name their own body (国家主席: the state's; 外长: a foreign ministry's): in a chain
#: after an organisation (中共中央总书记、国家主席; 国务院副总理兼外长) they are not its posts
SELF_NAMED_TITLES = frozenset(("国家主席", "国家副主席", "外长", "防长", "财长", "外相", "国家元首"))
#: verbs that give a person a post: 张三，男，…，现任北京大学校长
APPOINTING_VERBS = ("现任", "担任", "出任", "兼任", "升任", "调任", "改任", "当选为", "被任命为", "任命为", "任")
#: the furthest (characters) a person's appointing verb may stand after the name
_VERB_REACH = 60


def find_roles(doc: Document, linked: Sequence[LinkedMention], entities: dict[str, Entity],
               names: dict[tuple[str, str], str] | None = None) -> list[Relation]:
    """HOLDS_ROLE relations stated in one document (``linked``: its mentions).  ``names`` is
    :func:`name_index` of ``entities``: pass it when calling per document of a build, so the
    index is made once, not once a document."""
    return _RoleFinder(doc, linked, entities, names if names is not None else name_index(entities)).run()


def name_index(entities: dict[str, Entity]) -> dict[tuple[str, str], str]:
    """(normalised name, label) -> entity id, for the organisations and places roles point at."""
    return {(normalise(e.name), e.label): e.id for e in entities.values()}


class _RoleFinder:
    """The roles of one document, read around each person it names."""

    def __init__(self, doc: Document, linked: Sequence[LinkedMention], entities: dict[str, Entity],
                 by_name: dict[tuple[str, str], str]) -> None:
        self.doc, self.text, self.entities = doc, doc.text, entities
        self.ordered = sorted(linked, key=lambda lm: (lm.mention.start, lm.mention.end))
        self.by_name = by_name
        self.relations: list[Relation] = []
        self.seen: set[tuple[str, str, str]] = set()
        self.last_org: dict[str, str] = {}  # person -> the organisation of their latest role
        self.person_starts = [lm.mention.start for lm in self.ordered if lm.mention.label == "PER"]

    def run(self) -> list[Relation]:
        for i, lm in enumerate(self.ordered):
            m = lm.mention
            if m.label != "PER" or in_credit(self.doc, m.start, m.end):
                continue
            found = self._titles_before(i) or self._reference_before(i)
            found = self._person_then_title(i) or found
            found = self._apposition(i) or found
            found = self._appointed(i) or found
            if not found:
                self._shared_with_previous(i)
        return self.relations

    # ------------------------------------------------------------------ helpers

    def _add(self, person: LinkedMention, org: str, title: str, start: int, end: int) -> bool:
        """Record a role; False for an honour (全国劳动模范) or a person named by a surname alone (潘主任)."""
        if title_words.is_honour(title) or len(person.mention.text) < 2:
            return False
        if (person.entity, org, title) in self.seen:
            return True
        self.seen.add((person.entity, org, title))
        self.last_org[person.entity] = org
        props = {"title": title, "title_normalised": title_words.normalise_title(title)}
        evidence = Evidence(self.doc.id, min(start, person.mention.start), max(end, person.mention.end))
        self.relations.append(Relation(HOLDS_ROLE, person.entity, org, props, [evidence]))
        return True

    def _same_sentence(self, a: LinkedMention, b: LinkedMention) -> bool:
        return a.mention.sentence == b.mention.sentence

    def _mention(self, k: int) -> LinkedMention | None:
        return self.ordered[k] if 0 <= k < len(self.ordered) else None

    def parse_titles(self, between: str, org_text: str = "") -> list[str] | None:
        """The titles ``between`` states, whole: [的] T1 (、|兼 T2)…, each title perhaps after a
        sub-unit (党组书记、副主任 -> [党组书记, 副主任]; 营销中心重轨销售部经理 -> one title;
        after 外交部, 长 is 部长), or None."""
        between = between.removeprefix("的")
        if not between:
            return None
        fused = org_text[-1:] + "长"
        if org_text and between[0] == "长" and title_words.is_title(fused):  # 外交部长: 外交部 + 部长
            if len(between) == 1:
                return [fused]
            rest = self._chain(between[2:]) if between[1] in TITLE_JOINERS else None
            return [fused, *rest] if rest else None
        return self._chain(between)

    def _chain(self, text: str) -> list[str] | None:
        found, j = [], 0
        while j < len(text):
            title = self._title_with_unit(text, j)
            if not title:
                return None
            found.append(title)
            j += len(title)
            if j == len(text):
                return found
            if text[j] not in TITLE_JOINERS:
                return None
            j += 1
        return None

    @staticmethod
    def _title_with_unit(text: str, j: int) -> str | None:
        """The title starting at ``text[j]``, perhaps after a sub-unit (书记处 + 书记, 办公室 + 主任),
        or an honour (特级教师: it passes in the chain and gives no role)."""
        title = title_words.title_at_start(text[j:])
        if title:
            return title
        honour = next((text[j:j + n] for n in range(min(12, len(text) - j), 1, -1)
                       if not (set(text[j:j + n]) & (_PUNCT | set(TITLE_JOINERS)))
                       and title_words.is_honour(text[j:j + n])), None)
        if honour:
            return honour
        for cut in range(j + 1, min(len(text) - 1, j + 16) + 1):
            unit = text[j:cut]
            if _PUNCT & set(unit) or set(TITLE_JOINERS) & set(unit):
                return None
            if _UNIT_END.search(unit):
                title = title_words.title_at_start(text[cut:])
                if title:
                    return unit + title
        return None

    def _target(self, org: LinkedMention, title: str) -> tuple[str, str] | None:
        """The entity ``title`` after ``org`` belongs to, and a prefix for the title: the
        organisation; 人大常委会党组 + 书记 -> 人大常委会, 党组; a post named by its place
        (天津市委书记、市长; 广东省省长) -> the place's people's government when the build names
        it, else the place; None when the place is not known."""
        entity = self.entities[org.entity]
        name = normalise(entity.name)
        if title.lstrip("常务副") in PLACE_POSTS:
            place = self._place_of(org)
            if place is None:
                return None
            place_name = normalise(self.entities[place].name)
            government = self.by_name.get((place_name + "人民政府", "ORG")) or self.by_name.get((place_name + "政府", "ORG"))
            return government or place, ""
        if org.mention.label != "ORG":
            return None
        prefix = next((p for p in TITLE_PREFIXES if name.endswith(p)), "")
        if prefix:
            parent = self.by_name.get((name[: -len(prefix)], "ORG"))
            if parent:
                return parent, prefix
        return org.entity, ""

    def _sibling_body(self, org: LinkedMention, unit: str) -> tuple[str, bool] | None:
        """Where ``unit``, named after ``org`` in a chain (中共中央政治局委员、书记处书记), belongs: to
        the body its parent's name and it make, when the build names that (中共中央书记处: True), else
        to the parent whose body ``org`` is, when its name opens with one the build names (中共中央 +
        政治局: 中国共产党中央委员会, a curated alias read too: False); or None."""
        text = org.mention.text
        for n in range(len(text) - 2, 1, -1):
            if not text[n:].endswith(_BODIES):
                continue
            name = _curated_organisations().get(text[:n], text[:n])
            body = self.by_name.get((normalise(text[:n] + unit), "ORG")) or self.by_name.get((normalise(name + unit), "ORG"))
            if body is not None and body != org.entity:
                return body, True
            parent = self.by_name.get((normalise(name), "ORG"))
            if parent is not None and parent != org.entity:
                return parent, False
        return None

    def _place_of(self, org: LinkedMention) -> str | None:
        """The place a post-naming mention stands for: the place itself, or the longest place the
        build knows that an organisation's name starts with (天津市委 -> 天津市)."""
        if org.mention.label == "LOC":
            return org.entity
        if not org.mention.text.endswith("委"):  # only a party committee (天津市委) names its place's posts
            return None
        name = normalise(self.entities[org.entity].name)
        for n in range(len(name) - 1, 1, -1):
            place = self.by_name.get((name[:n], "LOC"))
            if place:
                return place
        return None

    def _roles_after(self, person: LinkedMention, org: LinkedMention, titles: list[str], end: int) -> bool:
        """Give ``person`` each title of a chain after ``org``; whether any was given."""
        given = False
        for k, title in enumerate(titles):
            title = _without_unit_of(org.mention.text, title)
            if title_words.normalise_title(title) in SELF_NAMED_TITLES:
                continue
            if k and _unit_prefix(title).endswith(_BODIES):
                # 中共中央政治局委员、书记处书记: a later title heading a body of its own is not the
                # organisation's; it is its parent's (中共中央 + 书记处书记) where the build names that
                unit = _unit_prefix(title)
                found = self._sibling_body(org, unit)
                if found is not None:
                    body, is_unit = found  # the unit itself (中共中央书记处 + 书记), else its parent + 书记处书记
                    given = self._add(person, body, title[len(unit):] if is_unit else title, org.mention.start, end) or given
                continue
            target = self._target(org, title)
            if target is not None:
                entity, prefix = target  # 人大常委会党组 + 书记、副主任: 党组书记 and 副主任
                given = self._add(person, entity, prefix + title if k == 0 else title, org.mention.start, end) or given
        return given

    def _chain_before(self, person: LinkedMention, k: int) -> None:
        """``ORG1 T1、ORG2 …``: walk back from the organisation at ``k`` over earlier org + titles + 、."""
        while True:
            anchor, earlier = self.ordered[k], self._mention(k - 1)
            if earlier is None or not self._same_sentence(earlier, anchor) or earlier.mention.label not in ("ORG", "LOC"):
                return
            gap = self.text[earlier.mention.end:anchor.mention.start]
            if len(gap) < 2 or gap[-1] not in "、，,":
                return
            titles = self.parse_titles(gap[:-1], earlier.mention.text)
            if not titles or not self._title_ends_at(anchor.mention.start - 1, titles[-1]) \
                    or not self._roles_after(person, earlier, titles, anchor.mention.start - 1):
                return
            k -= 1

    def _before_people(self, i: int) -> int:
        """The index of the mention before the list of people ending at ``i`` (副主任段志强、丁绣峰:
        the people after one title chain share it)."""
        j = i - 1
        while (j >= 0 and self.ordered[j].mention.label == "PER" and self._same_sentence(self.ordered[j], self.ordered[i])
               and self.text[self.ordered[j].mention.end:self.ordered[j + 1].mention.start] in tuple(PEOPLE_JOINERS)):
            j -= 1
        return j

    # ----------------------------------------------------------------- the shapes

    def _titles_before(self, i: int) -> bool:
        """ORG [的] TITLES PERSON (and PERSON、PERSON after them), 外交部长PERSON, 在ORG，TITLE PERSON,
        chains, and ``ORG T1 PERSON1、T2 PERSON2`` (the second person's titles in the same organisation)."""
        person = self.ordered[i]
        j = self._before_people(i)
        head = self.ordered[j + 1].mention
        org = self._mention(j)
        if org is None or not self._same_sentence(org, person):
            return False
        gap = self.text[org.mention.end:head.start]
        if org.mention.label == "PER":  # 全国政协主席邓小平、副主席兼秘书长刘澜涛
            earlier_org = self.last_org.get(org.entity)
            titles = self.parse_titles(gap[1:]) if gap[:1] == "、" and earlier_org else None
            if not titles:
                return False
            given = False
            for title in titles:
                title = _without_unit_of(self.entities[earlier_org].name, title)
                if not _unit_prefix(title).endswith(_BODIES):  # 中专处处长甲、行政处处长乙: 乙 heads another body
                    given = self._add(person, earlier_org, title, org.mention.start, head.start) or given
            return given
        if org.mention.label not in ("ORG", "LOC"):
            return False
        gap = _without_alias(gap)  # 伦敦金属交易所（LME）主席
        if gap[:1] in "）)”\"" and self.text[org.mention.start - 1:org.mention.start] in ("（", "(", "“", "\""):
            gap = gap[1:]  # 石油输出国组织（欧佩克）主席, “连天红”董事长: the name in brackets or quotes was the mention
        titles = self.parse_titles(gap, org.mention.text)
        if titles is None and gap[:1] in "，," and self.text[:org.mention.start].endswith("在"):
            titles = self.parse_titles(gap[1:])  # 在北京大学，校长张三
        if not titles or self._reference_prefix(org) or self._appointed_before(org):
            return False
        if not self._roles_after(person, org, titles, head.start):
            return False
        self._chain_before(person, j)
        return True

    def _appointed_before(self, org: LinkedMention) -> bool:
        """袁启彤当选福建省人大常委会主任贺国强…: the titles after 当选/担任 + ORG are the earlier person's."""
        before = self.text[max(0, org.mention.start - 4):org.mention.start].removesuffix("了")
        return before.endswith(APPOINTING_VERBS + ("当选",)) and not before.endswith(("主任", "责任"))

    def _reference_prefix(self, org: LinkedMention) -> str | None:
        """该公司 + 技术研发部 + 经理: the ORG found is a sub-unit of the organisation referred to."""
        before = self.text[:org.mention.start]
        return next((r for r in sorted(REFERENCES, key=len, reverse=True) if r != "公司" and before.endswith(r)), None)

    def _reference_before(self, i: int) -> bool:
        """该院/该公司 [sub-unit] TITLES PERSON, 该院PERSON TITLE (the organisation named before)."""
        person = self.ordered[i]
        m = person.mention
        sentence = self.doc.sentences[m.sentence]
        j = self._before_people(i)
        head = self.ordered[j + 1].mention
        # 该公司技术研发部经理李智翔: the NER read 技术研发部 as an ORG after the reference
        unit = self._mention(j)
        if unit is not None and unit.mention.label == "ORG" and self._same_sentence(unit, person):
            ref = self._reference_prefix(unit)
            titles = self.parse_titles(self.text[unit.mention.end:head.start]) if ref else None
            if ref and titles:
                parent = _resolve_reference(ref, self.ordered[:j], self.entities)
                if parent:
                    start = unit.mention.start - len(ref)
                    for k, title in enumerate(titles):
                        self._add(person, parent, unit.mention.text + title if k == 0 else title, start, head.start)
                    return True
        window = self.text[max(sentence.start, head.start - 20):head.start]
        for ref in sorted(REFERENCES, key=len, reverse=True):
            pos = window.rfind(ref)
            if pos < 0:
                continue
            between = window[pos + len(ref):]
            if ref == "公司" and pos > 0 and window[pos - 1] not in "，,。；;：:“”\"":
                continue  # bare 公司 only as a reference at a clause start
            titles = self.parse_titles(between) if between else None
            post = None
            if between in ("", "的"):
                post = title_words.title_at_start(self.text[m.end:m.end + 12])
            if titles or post:
                start = head.start - len(between) - len(ref)
                before = [x for x in self.ordered[:i] if x.mention.end <= start]
                org = _resolve_reference(ref, before, self.entities)
                if org:
                    for title in titles or [post]:
                        self._add(person, org, title, start, m.end + (len(post) if post else 0))
                    return True
            break
        return False

    def _person_then_title(self, i: int) -> bool:
        """ORG [的] PERSON TITLE: 温州大学张永普教授, 国家体育总局…中心常建平主任 (and the chain before)."""
        person = self.ordered[i]
        m = person.mention
        org = self._mention(i - 1)
        if org is None or org.mention.label != "ORG" or not self._same_sentence(org, person):
            return False
        if self.text[org.mention.end:m.start] not in ("", "的") or self._reference_prefix(org):
            return False
        title = title_words.title_at_start(self.text[m.end:m.end + 16])
        if not title:
            return False
        nxt = self._mention(i + 1)
        if nxt is not None and nxt.mention.start < m.end + len(title):
            return False
        if not self._roles_after(person, org, [title], m.end + len(title)):
            return False
        self._chain_before(person, i - 1)
        return True

    def _titles_until_pause(self, org: LinkedMention, *, upto_person: bool = False,
                            limit: int = 24) -> tuple[list[str], int] | None:
        """The titles right after ``org`` up to the next pause (，。；）…), and where they end.  A
        person's name inside them makes them that person's (…，北京市委书记李四), unless
        ``upto_person``: after 当选/担任 the titles end where the next name starts."""
        start = org.mention.end
        end = start
        while end < len(self.text) and end - start <= limit and self.text[end] not in _PUNCT:
            end += 1
        first = bisect_left(self.person_starts, start)
        people = [p for p in self.person_starts[first:first + 8] if p < end]
        if people and not upto_person:
            return None
        end = min(people, default=end)
        # the whole run of titles, else as many as end at a joiner (委员、…主任、省委副 cut by the limit)
        cuts = [end] + [k for k in range(end - 1, start, -1) if self.text[k] in "、兼"]
        for cut in cuts:
            titles = self.parse_titles(self.text[start:cut], org.mention.text)
            if titles and self._title_ends_at(cut, titles[-1]):
                return titles, cut
        return None

    def _title_ends_at(self, end: int, title: str) -> bool:
        """Whether a title read out of context (董事长说, cut out of 华夏证券董事长说。) still ends at
        ``end`` when the tagger reads the words around it too; a listed title always does."""
        if title_words.is_listed(title):
            return True
        lo = max(0, end - len(title) - 8)
        window = self.text[lo:end + 4]
        return any(e == end - lo for _, e in title_words.find_titles(window, honours=True))

    def _apposition(self, i: int) -> bool:
        """PERSON（ORG TITLE）, PERSON，ORG TITLE， (the titles end at a pause, before any other name),
        and the caption PERSON ORG TITLE (王明华泰证券董事长: the titles end the sentence or its clause)."""
        person = self.ordered[i]
        m = person.mention
        org = self._mention(i + 1)
        if org is None or org.mention.label not in ("ORG", "LOC") or not self._same_sentence(org, person):
            return False
        opener = self.text[m.end:org.mention.start]
        if opener not in ("（", "(", "，", ",", ""):
            return False
        after = self._titles_until_pause(org)
        if after is None:
            return False
        titles, end = after
        closer = self.text[end:end + 1]
        if opener in ("（", "(") and closer not in "）)":
            return False
        if not opener and closer and closer not in "，,。；;！!？?\n":
            return False
        return self._roles_after(person, org, titles, end)

    def _appointed(self, i: int) -> bool:
        """PERSON … 任/担任/现任 ORG TITLE (no other person between), and ORG TITLE由PERSON担任."""
        person = self.ordered[i]
        m = person.mention
        found = False
        if self.text[m.start - 1:m.start] == "由" and self.text[m.end:m.end + 2] in ("担任", "出任", "兼任"):
            org = self._mention(i - 1)
            if org is not None and org.mention.label == "ORG" and self._same_sentence(org, person):
                titles = self.parse_titles(self.text[org.mention.end:m.start - 1], org.mention.text)
                if titles:
                    found = self._roles_after(person, org, titles, m.end + 2)
        sentence = self.doc.sentences[m.sentence]
        for k in range(i + 1, len(self.ordered)):
            org = self.ordered[k]
            if org.mention.start > min(sentence.end, m.end + _VERB_REACH) or org.mention.label == "PER":
                break
            if org.mention.label not in ("ORG", "LOC"):  # a place: only its posts (当选福建省省长)
                continue
            before = self.text[m.end:org.mention.start].removesuffix("了")
            verb = next((v for v in APPOINTING_VERBS + ("当选",) if before.endswith(v)), None)
            if verb is None or (verb == "任" and before[-2:-1] in "责主信担现兼出升调改担"):
                continue
            after = self._titles_until_pause(org, upto_person=True)
            if after is not None:
                found = self._roles_after(person, org, after[0], after[1]) or found
        return found

    def _shared_with_previous(self, i: int) -> None:
        """该院张俊昌教授与夏龙教授: a later person in the same chain, with a title of their own."""
        if i == 0:
            return
        person, prev = self.ordered[i], self.ordered[i - 1]
        m = person.mention
        glue = self.text[prev.mention.end:m.start]
        # the cheap tests first: the title tagger is most of the role finder's time
        if (prev.mention.label != "PER" or len(glue) < 2 or glue[-1] not in PEOPLE_JOINERS
                or not any(rel.source == prev.entity for rel in self.relations)):
            return
        post = title_words.title_at_start(self.text[m.end:m.end + 12])
        if not post:
            return
        prev_title = title_words.title_at_start(glue)
        if prev_title and glue[len(prev_title):] in tuple(PEOPLE_JOINERS):
            for rel in list(self.relations):
                if rel.source == prev.entity and rel.properties["title"] == prev_title:
                    self._add(person, rel.target, post, prev.mention.start, m.end + len(post))
                    break


#: a short name in brackets right after an organisation's (世界卫生组织（WHO）, 石油输出国组织（欧佩克）)
_ALIAS = re.compile(r"^[（(][^（()）\s，,。；;：:、]{1,12}[）)]")


def _without_alias(gap: str) -> str:
    """``gap`` (between an organisation and a person) less a bracketed alias at its start."""
    return _ALIAS.sub("", gap, count=1)


@lru_cache(maxsize=1)
def _curated_organisations() -> dict[str, str]:
    """Curated short forms of organisations -> their full names (中共中央 -> 中国共产党中央委员会)."""
    return {alias: canonical for alias, canonical, label in curated_aliases() if label == "ORG"}


def _unit_prefix(title: str) -> str:
    """The sub-unit ``title`` starts with (书记处 of 书记处书记, 行政处 of 行政处处长), or ''."""
    for k in range(2, len(title) - 1):
        if _UNIT_END.search(title[:k]) and title_words.is_title(title[k:]):
            return title[:k]
    return ""


def _without_unit_of(org_text: str, title: str) -> str:
    """``title`` without a sub-unit the organisation's name already ends with (中专处 + 中专处副处长)."""
    for k in range(len(title) - 1, 1, -1):
        if org_text.endswith(title[:k]) and title_words.is_title(title[k:]):
            return title[k:]
    return title


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
