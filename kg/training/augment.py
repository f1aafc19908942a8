"""Training-data augmentation: mention replacement with the name shapes of modern regional news,
and lists of people run together (:func:`name_list_examples`, the shipped ``namelists`` source).

kg learns from 1998 People's Daily (MSRA, PD 1998-01) and from CLUENER2020.  2020s regional
pages are full of organisation names those corpora rarely print in that shape:

* nested agency names, a body followed by a place and a sub-unit
  (呼和浩特市 + 市场监督管理局 + 经济技术开发区 + 分局);
* companies named brand + industry + legal form, often with a place in brackets
  (金龙 + 稀土新材料 + （包头） + 有限公司).

Not composed: bare brand + industry short forms (天和 + 磁材).  Tried, they taught the model that
any word before an industry word starts a company (包头稀土新材料, 现代装备 as ORG): on the dev
gold pages, ORG precision was 0.59 after 5,000 steps, against 0.75 for the same recipe without
augmentation after 6,000 (models/README.md).

Both write extra training examples by *mention replacement* (Dai & Adel, COLING 2020).  For
organisations (the opt-in ``augment`` source, measured worse):
a real sentence keeps its context, and each organisation (sometimes place) mention is replaced
by a name composed from real parts found in the corpora: places from the gazetteer and the
corpora's LOC mentions, organisation names from their ORG mentions, brands cut from company
names, and the unit words of ``models/org_suffixes.txt``.  Nothing is taken from the seed pages
or the dev gold.  Deterministic for a given seed.
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterable

from kg.training.corpora import Example
from kg.gazetteer import place_names
from kg.naming import COUNTY_AND_ABOVE_SUFFIXES

#: industry words of company names (general vocabulary of the economy, not from any page)
INDUSTRIES = (
    "科技", "信息技术", "新材料", "新能源", "能源", "电力", "化工", "矿业", "钢铁", "铜业", "稀土",
    "磁材", "磁业", "生物", "制药", "医药", "乳业", "食品", "农牧业", "物流", "电子", "智能",
    "数字科技", "环保", "建设", "建筑", "投资", "实业", "装备", "光伏", "风电", "材料",
)
#: legal forms and group words that end a company's full name
LEGAL_FORMS = ("有限公司", "股份有限公司", "有限责任公司", "集团", "集团有限公司", "集团股份有限公司")
#: sub-units inside an agency or company (a bureau's branch, a station, a section)
UNITS = ("分局", "分公司", "管理所", "监督管理所", "派出所", "科", "处", "办公室", "中心", "支队", "大队", "服务站")
#: words that end a public body's name: the heads of nested agency names
BODY_ENDINGS = ("局", "厅", "委", "委员会", "院", "办", "中心", "所", "站")
#: endings of smaller places (what names a branch); administrative places that head an agency
#: name end like ``kg.naming.COUNTY_AND_ABOVE_SUFFIXES``
SMALL_ENDINGS = ("区", "路", "街", "镇", "乡", "旗", "县", "苏木", "开发区")
_COMPANY_TAIL = re.compile(r"(集团)?(股份)?(有限)?(责任)?(公司|集团)$")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


class NamePool:
    """Parts of names collected from training examples, and the composer of new names."""

    def __init__(self, examples: Iterable[Example], *, rng: random.Random) -> None:
        self.rng = rng
        places: set[str] = set(place_names())
        orgs: set[str] = set()
        small_places: set[str] = set()
        any_place: set[str] = set(places)
        for text, spans in examples:
            for start, end, label in spans:
                name = text[start:end]
                if not _CJK.match(name):
                    continue
                if label == "LOC" and 2 <= len(name) <= 6:
                    any_place.add(name)
                    if name.endswith(COUNTY_AND_ABOVE_SUFFIXES):
                        places.add(name)
                    if name.endswith(SMALL_ENDINGS):
                        small_places.add(name)
                elif label == "ORG" and 2 <= len(name) <= 14:
                    orgs.add(name)

        def starts_with_place(name: str) -> bool:
            return name[0] in "省市县区国中全" or any(name[:k] in any_place for k in range(2, min(len(name), 7)))

        # bodies without a place of their own (公安局, 市场监督管理局), to be put under one
        bodies = {o for o in orgs if 3 <= len(o) <= 8 and o.endswith(BODY_ENDINGS) and not starts_with_place(o)}
        brands = set()
        for name in orgs:
            stem = _COMPANY_TAIL.sub("", name)
            if stem != name and 2 <= len(stem) <= 4 and not starts_with_place(stem) \
                    and not any(w in stem for w in ("公司", "集团", "有限", "股份")):
                brands.add(stem)
        self.places = sorted(places)
        self.small_places = sorted(small_places) or self.places
        self.bodies = sorted(bodies)
        self.orgs = sorted(orgs)
        self.brands = sorted(brands)

    def organisation(self) -> str:
        """A new organisation name of one of the modern shapes (or a real one, unchanged).

        Shapes and their weights; a shape whose parts the pool lacks is skipped."""
        pick = self.rng.choice
        shapes = [
            (2, self.orgs, lambda: pick(self.orgs)),
            # place + body: 包头市 + 公安局
            (2, self.bodies, lambda: pick(self.places) + pick(self.bodies)),
            # place + body + smaller place + unit: …市场监督管理局 + 经济技术开发区 + 分局
            (1.5, self.bodies, lambda: pick(self.places) + pick(self.bodies) + pick(self.small_places) + pick(UNITS)),
            # body + unit: 工信局 + 科
            (1, self.bodies, lambda: pick(self.bodies) + pick(UNITS)),
            # brand + industry + legal form, sometimes with a bracketed place
            (1, self.brands, lambda: pick(self.brands) + pick(INDUSTRIES) + pick(LEGAL_FORMS)),
            (1, self.brands, lambda: pick(self.brands) + pick(INDUSTRIES) + "（" + pick(self.places) + "）" + pick(LEGAL_FORMS)),
        ]
        usable = [(weight, make) for weight, parts, make in shapes if parts and self.places]
        if not usable:
            raise ValueError("the name pool is empty: no ORG mentions in the pool examples")
        weights, makers = zip(*usable)
        return self.rng.choices(makers, weights=weights)[0]()

    def place(self) -> str:
        return self.rng.choice(self.places)


def replace_mentions(example: Example, pool: NamePool, *, loc_rate: float = 0.3) -> Example:
    """``example`` with every ORG mention (and a share ``loc_rate`` of LOC mentions) replaced
    by a composed name; spans are re-computed, other mentions kept."""
    text, spans = example
    out, new_spans, last = [], [], 0
    for start, end, label in sorted(spans):
        if start < last:  # overlapping source annotation: keep the first
            continue
        out.append(text[last:start])
        pos = sum(map(len, out))
        if label == "ORG":
            name = pool.organisation()
        elif label == "LOC" and pool.rng.random() < loc_rate:
            name = pool.place()
        else:
            name = text[start:end]
        out.append(name)
        new_spans.append((pos, pos + len(name), label))
        last = end
    out.append(text[last:])
    return "".join(out), new_spans


def augmented_examples(sources: list[Example], pool_examples: Iterable[Example], *, n: int,
                       seed: int = 0) -> list[Example]:
    """``n`` examples made from the sentences of ``sources`` that have an ORG mention, each
    with its mentions replaced (see :func:`replace_mentions`)."""
    rng = random.Random(seed)
    pool = NamePool(pool_examples, rng=rng)
    with_org = [ex for ex in sources if any(label == "ORG" for _, _, label in ex[1])]
    if not with_org:
        return []
    return [replace_mentions(rng.choice(with_org), pool) for _ in range(n)]


# --- lists of people printed without separators -------------------------------------------

#: a name in a list: 2-4 Chinese characters, or a transcribed name with its middle dot
_LIST_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff·]{1,10})$")
#: what follows a name in an official list now and then (how lists mark women)
LIST_NOTES = ("（女）",)
#: what may follow a person's name where a list could stand instead (not 马克思|主义, 邓小平|理论)
_AFTER_PERSON = set("、，。：；！？等和与及同在出说为）（ ")


def person_names(examples: Iterable[Example]) -> list[str]:
    """The distinct PER mentions of ``examples`` shaped like one person's name (sorted)."""
    return sorted({text[start:end] for text, spans in examples for start, end, label in spans
                   if label == "PER" and _LIST_NAME.match(text[start:end])})


def name_list(names: list[str], rng: random.Random, *, size: int) -> tuple[str, list[tuple[int, int]]]:
    """``size`` names run together the way lists of people reach us: mostly with nothing
    between them (a page's spaces or columns lost), sometimes with 、 or a space; now and then a
    name followed by （女）; in a third of the lists the names are grouped by surname, as lists
    ordered by stroke count are.  Returns the text and each name's span."""
    chosen = [rng.choice(names) for _ in range(size)]
    if rng.random() < 1 / 3:
        chosen.sort(key=lambda name: name[0])
    separator = rng.choices(("", "、", " "), weights=(6, 2, 2))[0]
    text, spans = "", []
    for i, name in enumerate(chosen):
        if i:
            text += separator
        spans.append((len(text), len(text) + len(name)))
        text += name
        if rng.random() < 0.08:
            text += rng.choice(LIST_NOTES)
    return text, spans


def name_list_examples(sources: list[Example], names: list[str], *, n: int, seed: int = 0) -> list[Example]:
    """``n`` examples teaching where one name ends and the next begins in a list of people.

    Each is a real sentence of ``sources`` with one of its PER mentions replaced by a list of
    2 to 60 names (most lists short) drawn from ``names`` (:func:`person_names`): the
    sentence keeps its context ("…等出席", "委员："), the list its exact spans.  MSRA's own text
    lost the spaces between listed names (江泽民李鹏乔石…), and so do pages whose columns are
    run together; a model that has seen few such lists reads 巴金钱学森 as one name."""
    rng = random.Random(seed)
    with_person = [ex for ex in sources if any(label == "PER" for _, _, label in ex[1])]
    if not names or not with_person:
        return []
    made: list[Example] = []
    for _ in range(20 * n):
        if len(made) == n:
            break
        text, spans = rng.choice(with_person)
        alone = [(s, e, label) for s, e, label in spans  # a mention no other span overlaps, ending a word
                 if label == "PER" and sum(s < e2 and s2 < e for s2, e2, _ in spans) == 1
                 and (e == len(text) or text[e] in _AFTER_PERSON)]
        if not alone:
            continue
        start, end, _ = rng.choice(alone)
        size = min(60, 2 + int(rng.expovariate(1 / 6)))
        listed, list_spans = name_list(names, rng, size=size)
        shift = len(listed) - (end - start)
        new_spans = [(s, e, label) for s, e, label in spans if e <= start]
        new_spans += [(start + s, start + e, "PER") for s, e in list_spans]
        new_spans += [(s + shift, e + shift, label) for s, e, label in spans if s >= end]
        made.append((text[:start] + listed + text[end:], sorted(new_spans)))
    return made
