"""Bylines and credits: who reported, photographed or edited a page — provenance, not content.

Chinese newspapers credit their people in a few fixed shapes, all found here in the cleaned text:

* a bracket after the dateline: 本报12月27日讯（记者 王皓 薛来）, (记者 蔡冬梅 通讯员 张天顺),
  (实习记者 杜拉罕), (记者 鲍庆胜 实习生 李想);
* a byline paragraph: □本报记者 刘向平 通讯员 贾婷婷, ●本报记者 李娟,
  □本报记者 周秀芳 许晓岚 北方新报记者 查卿;
* a photo credit ending a caption or a paragraph of its own: 工人在生产线上作业 李志鹏 摄,
  本报记者 王磊 摄, （张三 摄）;
* an editor's line: 责任编辑：李四, 编辑 王五, 美编：赵六;
* an author in brackets closing a paragraph: ……工作。（杨威）

Each credited name becomes a :class:`~kg.schema.Credit` with its role (记者, 通讯员, 摄影, 编辑).
:func:`provenance_mentions` makes each name a PER mention (and each dateline's place a LOC one); the pipeline gives the person a REPORTED edge to the document,
and keeps every mention inside a credit out of co-occurrence (a reporter does not "appear with"
the people of the article).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.schema import Credit, Document, Mention, overlay

#: the words that introduce a credited person, and the role each gives (longest first in the pattern)
ROLE_WORDS: dict[str, str] = {
    "记者": "记者", "本报记者": "记者", "实习记者": "记者", "见习记者": "记者", "特约记者": "记者",
    "首席记者": "记者", "驻站记者": "记者", "全媒体记者": "记者", "融媒体记者": "记者",
    "新华社记者": "记者", "中新社记者": "记者", "摄影记者": "摄影", "本报摄影记者": "摄影",
    "通讯员": "通讯员", "本报通讯员": "通讯员", "特约通讯员": "通讯员", "实习生": "记者",
    "摄影": "摄影", "摄": "摄影", "图": "摄影", "图片": "摄影",
    "责任编辑": "编辑", "编辑": "编辑", "美编": "编辑", "校对": "编辑", "统筹": "编辑",
    "设计": "编辑", "海报设计": "编辑", "制图": "编辑", "版式设计": "编辑",
}
#: a newspaper or agency before 记者/通讯员 (北方新报记者, 人民日报记者): up to 8 characters ending in 报/社/台/网
_OUTLET = r"(?:[\u4e00-\u9fff]{1,8}?(?:报|社|台|网))?"
#: roles that are also common words (设计单位, 图片展): a credit needs ：or a space after them
WEAK_ROLES = ("摄影", "设计", "海报设计", "版式设计", "制图", "统筹", "校对", "美编", "编辑", "图片")
_STRONG = sorted((re.escape(w) for w in ROLE_WORDS if w not in WEAK_ROLES + ("摄", "图")), key=len, reverse=True)
_WEAK = sorted((re.escape(w) for w in WEAK_ROLES), key=len, reverse=True)
_ROLE = "(?:" + "|".join(_STRONG) + "|(?:" + "|".join(_WEAK) + r")(?=[：:\s]))"
#: a person's name as bylines print it: 2-4 Han characters, or a transliterated name with ·
NAME = r"[\u4e00-\u9fff]{2,4}(?:[·•][\u4e00-\u9fff]{1,6})*"
_SEP = r"[ \u3000\t、，,]+"
#: role + names, repeated: 记者 蔡冬梅 通讯员 张天顺 (the role may be followed by ： or a space)
_GROUP = rf"{_OUTLET}{_ROLE}[：:]?\s*{NAME}(?:{_SEP}{NAME})*"
_GROUPS = rf"{_GROUP}(?:{_SEP}?{_GROUP})*"
_MARK = r"[□●■◎▲△◆◇○★☆]?\s*"
_OPEN, _CLOSE = "[（(]", "[）)]"

#: （记者 王皓 薛来） anywhere: the whole bracket is credits
_BRACKET = re.compile(rf"{_OPEN}\s*(?P<body>{_GROUPS})\s*(?:摄)?\s*{_CLOSE}")
#: a paragraph that is only credits, perhaps ending in 摄 (本报记者 王磊 摄)
_BYLINE = re.compile(rf"^{_MARK}(?P<body>{_GROUPS})(?P<photo>\s*摄)?\s*$")
#: NAME [NAME…] 摄 closing a caption: 工人在生产线上作业 李志鹏 摄 / （李志鹏 摄）
_PHOTO = re.compile(rf"(?:^|[\s　]|(?P<open>{_OPEN}))(?P<body>{NAME}(?:{_SEP}{NAME})*)\s*摄\s*(?(open){_CLOSE})\s*$")
#: （杨威） closing a paragraph of text, or a paragraph of its own: the author (kept only where the
#: NER reads a person there: （待续） and （内蒙古） are not authors)
_AUTHOR = re.compile(rf"(?:^|(?<=[。！？!?”\"]))\s*{_OPEN}(?P<body>{NAME}(?:{_SEP}{NAME})*){_CLOSE}\s*$")
#: words a name slot must not swallow (记者手记, 记者了解到 are not bylines)
NOT_NAMES = frozenset({"手记", "观察", "调查", "了解", "获悉", "看到", "发现", "采访", "来到", "走进", "注意",
                       "从中", "日前", "近日", "连线", "视频", "报道", "综合", "编辑", "整理"})

_ROLE_IN = re.compile(rf"{_OUTLET}(?P<role>{_ROLE})[：:]?\s*")
_NAME_IN = re.compile(NAME)


def find_credits(doc: Document) -> list[Credit]:
    """Every credited name in ``doc``, in text order (cleaned offsets)."""
    credits: list[Credit] = []
    for para in doc.paragraphs:
        credits += _paragraph_credits(doc.text, para.start, para.end)
    return credits


def _paragraph_credits(text: str, start: int, end: int) -> list[Credit]:
    line = text[start:end]
    whole = _BYLINE.match(line)
    if whole and len(line) <= 80:
        photo = bool(whole.group("photo"))
        return list(_names(line, whole.start("body"), whole.end("body"), start, start, start + len(line.rstrip()),
                           photo=photo))
    found: list[Credit] = []
    for m in _BRACKET.finditer(line):
        photo = "摄" in line[m.end("body"):m.end()]
        found += _names(line, m.start("body"), m.end("body"), start, start + m.start(), start + m.end(), photo=photo)
    tail = _PHOTO.search(line)
    if tail and not any(c.block_start <= start + tail.start("body") < c.block_end for c in found):
        block_start = start + (tail.start("open") if tail.group("open") else tail.start("body"))
        found += _names_only(line, tail.start("body"), tail.end("body"), start, block_start, start + tail.end(), "摄影")
    author = _AUTHOR.search(line)
    if author and not any(c.block_start <= start + author.start("body") < c.block_end for c in found):
        found += _names_only(line, author.start("body"), author.end("body"), start, start + author.start(),
                             start + author.end(), "记者", certain=False)
    return sorted(found, key=lambda c: c.start)


def _names(line: str, lo: int, hi: int, offset: int, block_start: int, block_end: int, *,
           photo: bool) -> Iterator[Credit]:
    """The names of ``line[lo:hi]``, a run of role + names groups, each with its role."""
    position = lo
    role = None
    while position < hi:
        m = _ROLE_IN.match(line, position, hi)
        if m:
            role = ROLE_WORDS[m.group("role")]
            position = m.end()
            continue
        n = _NAME_IN.match(line, position, hi)
        if n is None:
            position += 1
            continue
        name, end = n.group(0), n.end()
        taken = name.endswith("摄") and len(name) > 2  # 本报记者 王磊摄
        if taken:
            name, end = name[:-1], end - 1
        if role is not None and name not in NOT_NAMES:
            yield Credit(offset + n.start(), offset + end, name, "摄影" if (photo or taken) and role == "记者" else role,
                         block_start, block_end)
        position = n.end()


def _names_only(line: str, lo: int, hi: int, offset: int, block_start: int, block_end: int,
                role: str, *, certain: bool = True) -> list[Credit]:
    return [Credit(offset + n.start(), offset + n.end(), n.group(0), role, block_start, block_end, certain)
            for n in _NAME_IN.finditer(line, lo, hi) if n.group(0) not in NOT_NAMES]


def provenance_mentions(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with each credited name of ``doc`` read as a person and each dateline's place
    (本报包头12月24日电) as a place.

    A name a certain credit gives (记者 王皓) becomes a PER mention, replacing what the NER
    read across it; an uncertain one (（杨威） closing a paragraph) stays only where the NER
    reads a person, and is dropped from ``doc.credits`` otherwise.
    """
    kept: list[Credit] = []
    added: list[Mention] = []
    have = {(m.start, m.end, m.label) for m in mentions}

    def add(start: int, end: int, text: str, label: str) -> None:
        if (start, end, label) not in have:
            added.append(Mention(doc.id, start, end, text, label, doc.sentence_at(start).index))

    for credit in doc.credits:
        if credit.certain:
            kept.append(credit)
            add(credit.start, credit.end, credit.name, "PER")
        elif (credit.start, credit.end, "PER") in have:
            kept.append(credit)
    doc.credits = kept
    for dateline in doc.datelines:
        if dateline.place:
            add(dateline.place_start, dateline.place_end, dateline.place, "LOC")
    return overlay(mentions, added)


def in_credit(doc: Document, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``doc``'s credits (a byline, a photo credit)."""
    return any(c.block_start <= start and end <= c.block_end for c in doc.credits)
