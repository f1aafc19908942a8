"""Training-data augmentation: mention replacement with the name shapes of modern regional news.

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

This module writes extra training examples by *mention replacement* (Dai & Adel, COLING 2020):
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

from kg.corpora import Example
from kg.gazetteer import place_names
from kg.ner import COUNTY_AND_ABOVE_SUFFIXES

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
#: name end like ``kg.ner.COUNTY_AND_ABOVE_SUFFIXES``
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
