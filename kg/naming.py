"""Chinese naming knowledge as data, and the tiny functions that read it: the endings of
administrative units, companies' legal forms and trade words, demonstratives, adverbs that
follow a name, the short forms a page calls a company by after naming it in full, and the
folding (NFKC, lower case) every feature and comparison of text goes through.

Used by the entity rules (:mod:`kg.ner.rules`), entity linking (:mod:`kg.link`) and training-data
augmentation (:mod:`kg.training.augment`).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.gazetteer import place_names

__all__ = [
    "ADMIN_SUFFIXES",
    "BRANDLESS_TRADE_WORDS",
    "ASSEMBLY_BODIES",
    "BRAND_TRADE_WORDS",
    "COUNTY_AND_ABOVE_SUFFIXES",
    "DEMONSTRATIVES",
    "LEGAL_FORMS",
    "MODAL_VERBS",
    "PERSON_ADVERB_ENDINGS",
    "REGION_PREFIXES",
    "THING_HEADS",
    "TRADE_WORDS",
    "company_short_form",
    "company_short_forms",
    "fold",
    "fold_char",
    "fold_word",
]

#: endings of administrative units down to county level (旗 and 盟 are Inner Mongolia's banners
#: and leagues), and with the township level below them
COUNTY_AND_ABOVE_SUFFIXES = ("省", "市", "县", "区", "旗", "盟", "州")
ADMIN_SUFFIXES = (*COUNTY_AND_ABOVE_SUFFIXES, "镇", "乡", "苏木", "嘎查")

#: words that stand for the home region at the start of an organisation name (自治区党委)
REGION_PREFIXES = ("自治区",)

#: what makes the noun after it a reference to an organisation named before (该公司, 本院, 此局)
DEMONSTRATIVES = "该本此这"

#: one-character adverbs that follow a subject (苏都正伏案: 苏都 "just then" bent over his desk)
#: and that the model can read as a name's last character
PERSON_ADVERB_ENDINGS = "正也在都就还又曾已将便却才亦均仍"

#: what ends the name of an event, a product or a mineral, never of a body or a place: a
#: festival (节), a competition (赛, 杯), an exhibition (展), Mongolia's games (那达慕), an app,
#: a brand, an ore body (矿床); a meeting (会) unless :data:`ASSEMBLY_BODIES` says it is a body.
#: A league (联赛) has members and offices (CLUENER tags it an organisation): not here
THING_HEADS = ("节", "赛", "杯", "展", "会", "那达慕", "马拉松", "嘉年华", "app", "小程序", "客户端", "品牌",
               "矿床", "矿物", "矿石", "矿体", "矿脉")

#: 会 words that name a body (委员会, 协会, 代表大会): those ending two or more organisations (nt) in
#: People's Daily 1998-01, and a 会 after a character that comes before the 会 of five or more
#: organisations in MSRA train and CLUENER2020 train (筹委会, 银监会; an event's
#: 大会 and 博会 are left out); any other 会 is an event (运动会, 博览会, 英雄会)
ASSEMBLY_BODIES = ("委员会", "协会", "常委会", "基金会", "议会", "联合会", "学会", "总会", "安理会", "特委会",
                   "奥委会", "红十字会", "理事会", "总工会", "国会", "研究会", "联谊会", "促进会", "代表大会",
                   "医学会", "证监会", "立法会", "组委会", "爱国会", "总商会", "居委会", "分会", "董事会", "商会",
                   "法学会", "执委会", "同学会", "贸促会", "互助会", "联委会", "公会", "联会", "人代会", "工会",
                   *(c + "会" for c in "员委协理议监学金事法合国工究商进总字促社分"))

#: modal verbs (People's Daily tags them v): a short name right after one is a verb (要|联通)
MODAL_VERBS = ("要", "能", "会", "可", "应", "须", "可以", "应该", "应当", "能够", "必须")

#: a company's legal form, then the words of its trade that its short name drops
#: (天津合生生物科技有限公司 -> 合生生物)
LEGAL_FORMS = ("集团股份有限公司", "股份有限公司", "集团有限公司", "有限责任公司", "有限公司", "公司")
TRADE_WORDS = ("信息技术", "科技", "技术", "实业", "控股", "股份")

#: words of a trade that sit between a company's brand and its legal form (金名|信息技术|股份有限公司)
BRANDLESS_TRADE_WORDS = ("信息技术", "科技", "技术", "实业", "控股", "股份", "投资", "发展", "能源", "电子", "网络",
                         "数据", "智能", "新材料", "材料", "生物", "化工", "集团", "贸易", "环保", "电力", "工程",
                         "建设", "服务", "管理", "咨询", "文化", "传媒", "制造", "装备", "产业")

#: words of a trade that a company's brand drops with its legal form (金宇保灵|生物|药品|有限公司)
BRAND_TRADE_WORDS = (*BRANDLESS_TRADE_WORDS, "药品", "制药", "医药", "食品", "乳业", "牧业", "农业", "电气", "机械",
                     "汽车", "钢铁", "稀土", "矿业", "冶金", "物流", "商贸", "软件", "通信", "设备", "新能源")

_BRACKETED = re.compile(r"[（(][^（）()]{1,8}[）)]")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]+")
_NUMERALS = set("0123456789一二三四五六七八九十百千万两第")


@lru_cache(maxsize=1 << 16)  # kg.link asks again for every pair of organisations
def company_short_form(name: str) -> str | None:
    """The short name a page uses for a company after its full name, or None: the full name
    less its legal form, the trade words before it, any bracketed place, and a known place it
    opens with, again while it opens with one (天津合生生物科技有限公司 -> 合生生物; 卧龙电驱（包头）永磁电机
    有限公司 -> 卧龙电驱永磁电机).  At least three characters, not a place, not opening with a numeral."""
    core = _without_legal_form(name)
    if core is None:
        return None
    for word in TRADE_WORDS:
        if core.endswith(word):
            core = core[: -len(word)]
            break
    return _short_name(core)


def _without_legal_form(name: str) -> str | None:
    """A company's name less its legal form (:data:`LEGAL_FORMS`), or None without one."""
    return next((name[: -len(form)] for form in LEGAL_FORMS if name.endswith(form)), None)


def _short_name(core: str) -> str | None:
    """``core`` less any bracketed place and the known places it opens with, when what is left
    can be a company's short name (:func:`company_short_form`)."""
    core = _BRACKETED.sub("", core)
    names = place_names()
    while opening := max((i for i in range(2, min(len(core), 8) + 1) if core[:i] in names), default=0):
        core = core[opening:]  # 呼和浩特市 + 玉泉区 + …
    if len(core) < 3 or core in names or not _NAME_CHARS.fullmatch(core) or core[0] in _NUMERALS:
        return None
    return core


@lru_cache(maxsize=1 << 16)
def company_short_forms(name: str) -> tuple[str, ...]:
    """Every short name a page may call the company ``name`` by after naming it in full: its
    :func:`company_short_form`, and its brand, the name less its legal form and every trade word
    before it (金宇保灵生物药品有限公司 -> 金宇保灵生物药品, 金宇保灵); each at least three characters."""
    forms = [form] if (form := company_short_form(name)) else []
    core = _without_legal_form(name)
    if core is None:
        return tuple(forms)
    while trade := next((word for word in BRAND_TRADE_WORDS if core.endswith(word) and len(core) > len(word)), None):
        core = core[: -len(trade)]
    brand = _short_name(core)
    if brand and brand not in forms:
        forms.append(brand)
    return tuple(forms)


def fold(text: str) -> str:
    """The feature form of a word or character: NFKC (full-width digits and letters become
    ASCII, as 2020s pages print them) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    return fold(ch)


@lru_cache(maxsize=262144)
def fold_word(word: str) -> str:
    return fold(word)
