"""Rules about organisations: known and listed ones tagged, names completed (a brand, a
bracket), cut (before a title) or dropped (a reference, an idea).  The extension of places and
organisations into longer names is :mod:`kg.ner.rules.extension`."""
from __future__ import annotations

import re
from functools import lru_cache

from kg import titles as title_words
from kg.gazetteer import clause_words, known_organisations, org_suffixes, predicate_verbs, titles
from kg.naming import BRANDLESS_TRADE_WORDS, DEMONSTRATIVES, LEGAL_FORMS

from .shapes import EDGE, NUMBER, STOP, clause_around, place_like
from .view import Paragraph, drop_organisations, replace_organisations, settle

__all__ = [
    "complete_bracketed_names",
    "complete_brandless_companies",
    "cut_run_on_organisations",
    "drop_concepts",
    "drop_references",
    "tag_known_organisations",
    "tag_listed_organisations",
    "tag_organisation_names",
    "tag_organisations_before_titles",
]


@lru_cache(maxsize=1)
def _known_organisation_pattern() -> re.Pattern | None:
    names = sorted((name for name in known_organisations() if len(name) >= 3), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


def tag_known_organisations(paragraph: Paragraph, spans: list) -> list:
    """A known organisation (``models/aliases.tsv``, names of three characters or more: 北方稀土,
    新华社) that the model left untagged is ORG, where it starts and ends at segmenter word
    boundaries and overlaps no entity: the curated organisations as a dictionary the model
    cannot miss, as :func:`kg.ner.rules.places.tag_known_places` does for places."""
    pattern = _known_organisation_pattern()
    if pattern is None:
        return spans
    return tag_organisation_names(paragraph, spans, pattern)


def tag_organisation_names(paragraph: Paragraph, spans: list, pattern: re.Pattern,
                           misread: tuple[str, ...] = ()) -> list:
    """Every match of ``pattern`` (organisation names) in the paragraph's text that starts and
    ends at segmenter word boundaries and overlaps no span, or is exactly a span labelled one of
    ``misread``, becomes ORG."""
    matches = [m.span() for m in pattern.finditer(paragraph.text)]
    if not matches:  # most paragraphs: no need to read their words
        return spans
    lengths, starts = paragraph.word_len, paragraph.word_starts
    relabelled = {(e.start_char, e.end_char) for e in spans if e.label_ in misread}
    taken = [(e.start_char, e.end_char) for e in spans]
    added, replaced = [], set()
    for start, end in matches:
        if (start, end) not in relabelled and (
                start not in starts or end not in lengths or any(s < end and start < e for s, e in taken)):
            continue
        span = paragraph.span(start, end, "ORG")
        if span is not None:
            added.append(span)
            replaced.add((start, end))
    if not added:
        return spans
    kept = [e for e in spans if (e.start_char, e.end_char) not in replaced]
    return settle(sorted([*kept, *added], key=lambda e: e.start_char))


# "…、…、…等5家企业": a list that the text itself says is a list of organisations
_LISTED_AS_ORGS = re.compile(rf"等{NUMBER}?(?:家|个|所)?"
                             r"(?:重点|龙头|骨干|优势|头部|链主)?(?:企业|公司|单位|机构|集团|医院|高校|院校|银行)")


def tag_listed_organisations(paragraph: Paragraph, spans: list, *, max_chars: int = 12) -> list:
    """Items of a 、-list that ends in 等…企业/公司/单位/机构/医院/高校 (等5家企业) are ORG.

    The text names what the items are.  Each item between 、 marks (and the first one when it
    opens its clause) becomes one ORG span; a model span inside an item is replaced by it.  An
    item longer than ``max_chars``, or a first item with words before it in its clause (助力安泰北方:
    where the name starts is unknown), or one holding 及 or 与 (two items), is left to the
    model; 等 must be a word of its own (not 高等院校).
    """
    text = paragraph.text
    added = []
    for m in _LISTED_AS_ORGS.finditer(text):
        word_len = paragraph.word_len
        if word_len.get(m.start() + 1) != 1:
            continue  # 等 inside a word is no list's end: 高等院校
        clause_start, _ = clause_around(text, m.start(), m.start())
        items = text[clause_start:m.start()].split("、")
        if len(items) < 2:
            continue
        pos = clause_start
        for index, item in enumerate(items):
            start, end = pos, pos + len(item)
            pos = end + 1
            opens_clause = index == 0  # the clause starts with the list itself only if no other word
            if not 2 <= len(item) <= max_chars or (opens_clause and _starts_mid_clause(spans, start, end, word_len)):
                continue
            if any(text[i] in "及与" and word_len.get(i + 1) == 1 for i in range(start, end)):
                continue  # two items joined by 及/与: 自治区及有关科研机构 (和 is in names: 天和磁材)
            span = paragraph.span(start, end, "ORG")
            if span is not None:
                added.append(span)
    if not added:
        return spans
    keep = [e for e in spans if not any(a.start_char <= e.start_char and e.end_char <= a.end_char for a in added)]
    return settle([*added, *keep])


def _starts_mid_clause(spans: list, start: int, end: int, word_len: dict[int, int]) -> bool:
    """Whether a first list item (from its clause's start) has words before the name: true unless
    a span covers exactly the whole item, or the item is a single segmenter word."""
    if any(e.start_char == start and e.end_char == end for e in spans):
        return False
    return word_len.get(end) != end - start and end - start > 4


_BRANDLESS = re.compile("(?:{})*(?:{})".format("|".join(BRANDLESS_TRADE_WORDS), "|".join(LEGAL_FORMS)))
_WORD_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


def complete_brandless_companies(paragraph: Paragraph, spans: list, *, max_chars: int = 4) -> list:
    """A "company" made of trade words and a legal form alone (信息技术股份有限公司) has lost its
    brand, the name that tells it from every other company: the model read the unfamiliar
    brand (金名) as text.  The span grows back over the words right before it, up to
    ``max_chars`` characters, stopping at punctuation, another entity, a one-character word
    (了, 在, 的) or a predicate verb (成立); a demonstrative before it (该, 本) leaves it to
    :func:`drop_references`."""
    text, lengths = paragraph.text, paragraph.word_len
    verbs = predicate_verbs()
    result, changed = list(spans), False
    taken = {i for e in result for i in range(e.start_char, e.end_char)}
    for k, ent in enumerate(result):
        if ent.label_ != "ORG" or not _BRANDLESS.fullmatch(re.sub(r"\s", "", ent.text)):
            continue
        start = ent.start_char
        while start in lengths and lengths[start] > 1 and ent.start_char - (start - lengths[start]) <= max_chars:
            word = text[start - lengths[start]:start]
            if not _WORD_CHARS.fullmatch(word) or word in verbs or (start - 1) in taken:
                break
            start -= lengths[start]
        if start < ent.start_char and (start == 0 or text[start - 1] not in DEMONSTRATIVES):
            grown = paragraph.span(start, ent.end_char, "ORG")
            if grown is not None:
                result[k], changed = grown, True
    return settle(sorted(result, key=lambda e: e.start_char)) if changed else spans


def complete_bracketed_names(paragraph: Paragraph, spans: list) -> list:
    """An organisation the model found inside brackets but a character or two short of the
    opening one ((长|海医院), an alias printed after a full name) is the whole bracketed name:
    brackets delimit a name, so a span ending at the closing bracket starts right after the
    opening one (at most 10 characters between them, no stop character, not 简称 …)."""
    text = paragraph.text

    def grown(ent):  # organisations only: a person in brackets has words before it (（记者罗玉文）)
        if text[ent.end_char:ent.end_char + 1] not in ("）", ")"):
            return None
        open_at = max(text.rfind("（", 0, ent.start_char), text.rfind("(", 0, ent.start_char))
        inside = text[open_at + 1:ent.start_char]
        if 0 <= open_at and 0 < len(inside) <= 2 and ent.end_char - open_at <= 11 \
                and not STOP.search(inside) and not inside.startswith("简"):
            return paragraph.span(open_at + 1, ent.end_char, ent.label_)
        return None

    return replace_organisations(spans, grown)


def drop_references(paragraph: Paragraph, spans: list) -> list:
    """An "organisation" that opens with a generic organisation word right after a demonstrative
    (该|公司技术研发部, 本|院), or with the demonstrative itself (该公司技术研发部), is a reference
    to one named before, not a name: the span is dropped, and kg.relate resolves the reference
    (该公司 → the company the article is about).  In kg's convention so is a generic
    organisation word alone (管委会 in “管委会+公司”改革): a kind of body, not one body (MSRA
    tags some: its 政府 and 人大常委会 are the ones the sentence is about)."""
    text, suffixes, convention = paragraph.text, org_suffixes(), paragraph.convention

    def reference(e) -> bool:
        if e.text in suffixes:  # but 其常委会 is "its standing committee": one body, named before
            return convention != "msra" and not (e.start_char > 0 and text[e.start_char - 1] == "其")
        if e.text[0] in DEMONSTRATIVES:
            return e.text[1:].startswith(suffixes)
        return e.start_char > 0 and text[e.start_char - 1] in DEMONSTRATIVES and e.text.startswith(suffixes)

    return drop_organisations(spans, reference)


#: what a 共同体 ("community") is when it is an idea, not a body: 人类命运共同体, 中华民族共同体
#: (a slogan on nearly every page of a regional paper), 人与自然生命共同体; 欧洲共同体 is a body
_CONCEPT_COMMUNITIES = tuple(w + "共同体" for w in ("命运", "民族", "生命", "利益", "责任", "发展", "安全", "健康", "未来"))


def drop_concepts(paragraph: Paragraph, spans: list) -> list:
    """An "organisation" naming a political idea of community (…命运共同体, 中华民族共同体) is
    not a body with members and offices; the right-to-left model reads the head 共同体 as one."""
    return drop_organisations(spans, lambda e: e.text.endswith(_CONCEPT_COMMUNITIES))


def cut_run_on_organisations(paragraph: Paragraph, spans: list) -> list:
    """An organisation span that runs on into a title (内蒙古森工集团|总经理恩和特布沁) ends where
    the name ends: before a segmenter word that opens with a title (``models/titles.txt``; the
    segmenter may glue the title to the name after it, 总经理恩), when the text before it already
    ends like an organisation (``models/org_suffixes.txt``; 中共中央书记处 stays whole).  The
    rule "adjacent organisations merge" joins a title the model tags as a second organisation."""
    text, word_starts = paragraph.text, paragraph.word_starts
    title_words, suffixes = titles(), org_suffixes()

    def cut(ent):
        for k in range(ent.start_char + 2, ent.end_char):
            if k in word_starts and text[ent.start_char:k].endswith(suffixes) \
                    and any(text.startswith(title, k) for title in title_words):
                span = paragraph.span(ent.start_char, k, "ORG")
                if span is not None:
                    return span
        return None

    return replace_organisations(spans, cut)


#: a body whose sub-unit's name joins two fields with 与/和/及 (中国科学院 + 地质与地球物理研究所)
_PARENT_BODY = ("科学院", "社会科学院", "工程院", "大学", "学院", "研究院")
_JOINED_UNIT = ("研究所", "研究院", "学院", "学系", "系", "实验室", "研究中心", "学部")
_JOINED_FIELD = re.compile(r"^[\u4e00-\u9fff]{1,6}[与和及]$")


def join_conjoined_units(paragraph: Paragraph, spans: list) -> list:
    """A unit named with 与/和/及 right after its parent body is one organisation: the model reads
    中国科学院 | 地质与 | 地球物理研究所 as two, but 地质与地球物理研究所 is one institute of the
    academy (as 中国科学院数学与系统科学研究院 is, read whole).  Only a field of at most six
    characters before the 与, between a parent body and a research or teaching unit: 北京大学和清华大学
    stay two."""
    text = paragraph.text
    ordered = sorted(spans, key=lambda e: e.start_char)
    out, skip = [], set()
    for a, b in zip(ordered, ordered[1:]):
        if id(a) in skip:
            continue
        if a.label_ == b.label_ == "ORG" and a.text.endswith(_PARENT_BODY) and b.text.endswith(_JOINED_UNIT) \
                and _JOINED_FIELD.match(text[a.end_char:b.start_char]):
            joined = paragraph.span(a.start_char, b.end_char, "ORG")
            if joined is not None:
                out.append(joined)
                skip.update((id(a), id(b)))
    return sorted(out + [e for e in ordered if id(e) not in skip], key=lambda e: e.start_char)


#: words a name never holds, so the walk back from a title over an organisation's name stops
#: before them: function words, the former/acting words before a post's organisation
#: (原|市教育招生考试中心副主任), and the words of reporting (记者, 图为, 据)
_BEFORE_NAME = frozenset("""的 了 在 是 跟 对 向 把 被 将 从 为 由 于 给 让 等 也 都 就 还 又 据 经
原 前 时任 现任 曾任 曾 任 即 系 并 而 但 或 及其 以及 作为 至 到 赴 来自 其中 包括 由于 因为 如 像 例如 比如
记者 通讯员 图为 图 本报 本台 报道 讯 电 日电 消息 昨天 今天 明天 昨日 今日 近日 日前 目前 当时 此前 随后 同时
新任 前任 首任 继任 以前 以后 之前 之后 此后 曾经 已经 正在 当年""".split())
#: what joins a second post to a first (副总理兼外交部长): the second's body is the first's country's
_SECOND_POST = frozenset(("兼", "兼任"))
#: words joining two names: a list when a name ends right before them, else a name's own (外交和合作部)
_JOINING = frozenset("和 与 及 同 暨".split())
#: one-character short forms of countries (南 = 南斯拉夫, 美, 俄): 南|财政部长 is a country's ministry
_COUNTRY_CHARACTERS = "中美俄英法德日韩朝越老柬泰缅印巴孟尼斯阿伊以叙约黎沙埃利苏南澳新加墨古智秘委哥乌白波捷匈罗保希土葡西荷比瑞挪丹芬冰意"
#: what makes the words after it a reference to an organisation named before (该|公司, 这家|银行), not a name
_REFERENCE_WORDS = frozenset("该 本 此 这 那 其 每 各 某 这家 那家 该家 一家 各家 每家 两家 多家 这个 那个 我 我们 他们 贵".split())
#: a post fused with its organisation's last character (外交部长 = 外交部 + 部长, 公安局长): the
#: organisation words that a 长 after them makes a title of
_FUSED_HEADS = "部局厅署司"
#: verbs that give a person the post that follows (李长水担任了|市公安局长): the words after one
#: up to a title are its organisation
_APPOINTING = re.compile(r"(?:现任|担任|出任|兼任|升任|调任|改任|当选为|当选|被任命为|任命为|就任)了?")
#: one-character administrative words that may stand alone before an organisation word
#: (市|公安局: the city's bureau); any other name needs two characters before its ending
_LEVEL_CHARACTERS = "省市县区州盟旗镇乡"
#: the endings of a company's or an office's department (生产部, 业务处): after two characters
#: alone, a department of a body named before, whose name the title keeps (README rule 2)
_DEPARTMENT_ENDINGS = ("部", "处", "科", "室", "组", "队", "站", "所", "办", "中心", "办公室")
#: posts only a company or an institution has, never a place (董事长, 总裁, 创始人, 总监): a span
#: tagged LOC right before one and its holder is an organisation (凤凰农场的创始人, 宜家中国公关总监)
_COMPANY_POSTS = ("董事长", "董事", "总经理", "经理", "总裁", "总监", "创始人", "创办人", "合伙人", "首席执行官",
                  "执行官", "CEO", "ceo")
#: the armed services, named alone before their commanders (空军司令员, 海军副政委): China's when
#: no country is written, as the news writes them
_MILITARY_SERVICES = ("火箭军", "二炮", "空军", "海军", "陆军", "武警")
_MILITARY_POSTS = ("司令员", "司令", "政委", "政治委员", "参谋长")
#: what may stand before an armed service named alone: the clause's start, a list's mark
_LIST_MARKS = "、，,：:；;（("
#: a number or a count (3, 两, 十二, 5名): never in an organisation's name before a title
_NUMBER_WORD = re.compile(rf"{NUMBER}[家所个座批项名位条支届次年月日号]?|.*[0-9０-９].*")
#: how far back (characters) a clause before a title is read
_TITLE_CLAUSE = 40


def tag_organisations_before_titles(paragraph: Paragraph, spans: list, *, max_chars: int = 16) -> list:
    """An organisation the model missed, written right before a post and the person holding it
    (台新银行 + 信用卡处资深副总经理 + 邱丰凯; 澳众院 + 第二副议长 + 哈里·詹金斯), or after a verb of
    appointment (李长水担任了 + 市公安局 + 长), or in an apposition after the person (李娜，恒远银行
    副行长，), is ORG: the title (:mod:`kg.titles`) says a body
    stands before it.  The name is the segmenter words back from the title up to the clause's
    start, an earlier person or organisation, a function word (原, 与, 的), a predicate verb
    (``models/predicate_verbs.txt``) or a number, at most ``max_chars`` characters, taking in a
    place right before it (美国 + 国防部); it must end like an organisation
    (``models/org_suffixes.txt``) with at least two characters before that ending (or a level
    word: 市公安局).  A demonstrative before it (该公司, 这家银行) makes it a reference, left alone.
    A title fused with its body's last character (外交部长, 公安局长) leaves that character to the
    organisation.  Nothing is found where a span already stands right before the title."""
    if paragraph.convention == "msra":
        return spans
    text = paragraph.text
    people = [e for e in spans if e.label_ == "PER"]
    verbs = list(_APPOINTING.finditer(text))
    if not people and not verbs:
        return spans
    ends = {e.end_char: e for e in spans}
    added, relabelled = [], []

    def name_before(end: int, floor: int, fused: bool, *, from_floor: bool = False):
        """The organisation ending at ``end`` (walked back no further than ``floor``; ``from_floor``:
        starting right there), added when found."""
        span = _name_before(paragraph, spans, end, floor, max_chars, fused)
        if span is None or (from_floor and span.start_char != floor) \
                or any(a.start_char < span.end_char and span.start_char < a.end_char for a in added):
            return
        if fused and text[span.start_char - 1:span.start_char] == "、" and _after_a_post(spans, span.start_char - 1):
            return  # 北京市委常委、宣传部长: the chain's organisation's department, a title the role finder reads
        added.append(span)

    for person in people:
        p = person.start_char
        clause = p
        while clause > 0 and p - clause < _TITLE_CLAUSE and not EDGE.match(text[clause - 1]):
            clause -= 1
        title = title_words.title_at_end(text[clause:p]) if clause < p else None
        if not title:
            continue
        s = p - len(title)
        place = ends.get(s) or (ends.get(s - 1) if text[s - 1:s] == "的" else None)
        if place is not None and place.label_ == "LOC" and title.endswith(_COMPANY_POSTS) \
                and not place_like(place.text) and place not in relabelled:
            relabelled.append(place)  # 宜家中国 + 公关总监: a place has no director; the span is a company's
            continue
        quoted = _quoted_before(text, s)
        if quoted is not None and title.endswith(_COMPANY_POSTS) and not any(
                e.start_char < s and quoted[0] < e.end_char for e in spans):
            span = paragraph.span(*quoted, "ORG")  # “连天红”董事长: the quoted name is the company's
            if span is not None:
                added.append(span)
            continue
        if title.endswith(_MILITARY_POSTS) and text[:s].endswith(_MILITARY_SERVICES) and s not in ends:
            service = next(w for w in _MILITARY_SERVICES if text[:s].endswith(w))
            if s - len(service) >= clause and (s - len(service) == clause or s - len(service) in ends
                                               or text[s - len(service) - 1] in _LIST_MARKS):
                span = paragraph.span(s - len(service), s, "ORG")  # 、空军司令员: the armed service
                if span is not None:
                    added.append(span)
                continue
        end = _organisation_end(text, s, title)
        if end > clause and s not in ends:  # ORG/LOC TITLE PERSON: the role finder reads it
            name_before(end, clause, end > s)
    def organisation_before_title(v: int, title: tuple[int, int]) -> None:
        """Tag the organisation between ``v`` and the first title after it (``title``, offsets from ``v``)."""
        s = v + title[0]
        if s - v < 2 or any(v <= e.start_char < s for e in spans) or (s in ends):
            return
        end = _organisation_end(text, s, text[s:v + title[1]])
        name_before(end, v, end > s, from_floor=True)

    for person in people:  # 李娜，恒远银行副行长，: the apposition's words up to its titles
        v = person.end_char + 1
        if text[v - 1:v] not in ("，", ",", "（", "("):
            continue
        stop = EDGE.search(text, v)
        close = stop.start() if stop else len(text)
        found = [t for t in title_words.find_titles(text[v:close + 4]) if t[1] <= close - v]  # read with what follows
        if not found or v + found[-1][1] != close or (text[v - 1] in "（(" and text[close:close + 1] not in "）)"):
            continue
        organisation_before_title(v, found[0])
    for verb in verbs:
        v = verb.end()
        stop = EDGE.search(text, v)
        found = title_words.find_titles(text[v:stop.start() if stop else len(text)])
        if found:
            organisation_before_title(v, found[0])
    for place in relabelled:
        span = paragraph.span(place.start_char, place.end_char, "ORG")
        if span is not None:
            added.append(span)
    if not added:
        return spans
    covered = [e for e in spans if any(a.start_char <= e.start_char and e.end_char <= a.end_char for a in added)]
    return settle(sorted([*added, *(e for e in spans if e not in covered)], key=lambda e: e.start_char))


def _quoted_before(text: str, s: int) -> tuple[int, int] | None:
    """The span of a short name in quotes right before ``s`` (“连天红”), or None."""
    if text[s - 1:s] not in ("”", "\""):
        return None
    opening = max(text.rfind("“", max(0, s - 12), s - 1), text.rfind("\"", max(0, s - 12), s - 1))
    if opening < 0 or not 2 <= s - 1 - opening - 1 <= 10 or not _WORD_CHARS.fullmatch(text[opening + 1:s - 1]):
        return None
    return opening + 1, s - 1


def _after_a_post(spans: list, at: int) -> bool:
    """Whether the entity last before ``at`` is an organisation or a place, not a person: the
    words before ``at`` are a post of the chain (北京市委常委、), not a list of people (…熊光楷、)."""
    before = [e for e in spans if e.end_char <= at]
    return bool(before) and before[-1].label_ != "PER"


def _organisation_end(text: str, s: int, title: str) -> int:
    """Where the organisation before the title at ``s`` ends: at ``s``, or one character into
    a title fused with the organisation's last character (公安局长: 公安局 + 局长)."""
    if len(title) < 2 or title[-1] != "长" or title[-2] not in _FUSED_HEADS:
        return s
    if len(title) == 2:
        return s + 1 if text[s - 1:s] != title[0] else s  # 外交部部长: not fused
    head = title[:-2]  # the tagger read the whole 国防部长 as a title: 国防部 + 部长, not 副部长
    if head[-1] == title[-2] or title_words.RANK_PREFIX.search(head) or head[-1] in "正代":
        return s
    return s + len(title) - 1


def _name_before(paragraph: Paragraph, spans: list, end: int, floor: int, max_chars: int, fused: bool = False):
    """The ORG span of the name ending at ``end`` (see :func:`tag_organisations_before_titles`), or
    None; ``fused``: the title after it took the name's last character (外交部长)."""
    text, starts = paragraph.text, paragraph.word_starts
    suffixes, verbs, clause = org_suffixes(), predicate_verbs(), clause_words()
    taken = {i: e for e in spans for i in range(e.start_char, e.end_char)}
    if end - 1 in taken or not (fused or end in paragraph.word_len):
        return None  # 社会事务办|公室主任: the title read inside a word (办公室) is no title
    pos = end
    while pos > floor:
        start = max(max((s for s in starts if s < pos), default=floor), floor)
        word = text[start:pos]
        if pos - 1 in taken:
            ent = taken[pos - 1]
            if ent.label_ == "LOC" and ent.end_char == pos and ent.start_char >= floor and end - ent.start_char <= max_chars:
                pos = ent.start_char  # 美国 + 国防部
                break
            # a person or an organisation right against the name: the name runs into it (第四届茅盾|文学奖
            # 评奖委员会) or is its department (中信地产 + 营销管理部经理, a title the role finder reads)
            return None
        if any(i in taken for i in range(start, pos)) or not _WORD_CHARS.fullmatch(word):
            break
        if word in _REFERENCE_WORDS or (len(word) == 1 and word in DEMONSTRATIVES) or word in _SECOND_POST:
            return None  # 该|公司: a reference; 德国副总理兼|外交部长: the ministry of the country before
        if word in _JOINING:  # 李树清和|原市教育招生考试中心: a list after a name; 外交和|合作部: inside one
            if start - 1 in taken:
                break
            return None
        if word in _BEFORE_NAME or word in verbs or word in clause or _NUMBER_WORD.fullmatch(word) \
                or word[-1] in "年月日时":
            break
        pos = start
        if end - pos > max_chars:
            return None
    if pos < end and (pos + 1 in starts or pos + 1 == end) and text[pos] not in _LEVEL_CHARACTERS:
        # 遇|外交部, 住|总|开发公司: where a name opening with a one-character word starts is unknown,
        # unless a known organisation ends it; 南|财政部 (Yugoslavia's): a country's short form
        known = next((pos + k for k in range(1, end - pos - 1) if text[pos + k:end] in known_organisations()), None)
        if known is None or text[pos] in _COUNTRY_CHARACTERS:
            return None
        pos = known
    if text[pos] in "原前" and pos + 2 in starts and text[pos + 1] in _LEVEL_CHARACTERS:
        pos += 1  # 原市|教育招生考试中心: the segmenter glued the former-word to the level word
    name = text[pos:end]
    suffix = next((s for s in sorted(suffixes, key=len, reverse=True) if name.endswith(s)), None)
    if suffix is None or name in suffixes:
        return None
    stem = name[: -len(suffix)]
    if len(stem) < 2 and not (stem and stem in _LEVEL_CHARACTERS):
        return None
    if _BRANDLESS.fullmatch(name) or (not fused and len(stem) == 2 and (
            suffix in _DEPARTMENT_ENDINGS or _one_common_word(paragraph, pos, pos + 2))):
        return None  # 工程公司, 生产部负责人, 伙同|公司副经理: a kind of body or a clause, not a name
    clause = floor
    while clause > 0 and not EDGE.match(text[clause - 1]):
        clause -= 1
    if suffix in _DEPARTMENT_ENDINGS and any(e.label_ == "ORG" and clause <= e.start_char < pos for e in spans):
        return None  # 中国嘉德四季|瓷器工艺品部经理, 被国航任命为飞行总队…: a department of the organisation its clause names
    return paragraph.span(pos, end, "ORG")


def _one_common_word(paragraph: Paragraph, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` reads as a dictionary word of the tokenizer's lexicon (its
    first character begins a common word, its last ends one: 生产, 伙同; not the brand 台新)."""
    doc = paragraph.doc
    first, last = doc.char_span(start, start + 1), doc.char_span(end - 1, end)
    if first is None or last is None:
        return False
    return "W" in first[0].morph.get("B") and "W" in last[0].morph.get("E")
