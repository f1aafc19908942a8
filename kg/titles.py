"""Titles (职务): a learned recogniser of title spans, and the grouping key of a title.

The recogniser is a character-level BIO tagger (averaged structured perceptron, Viterbi
decoding) that ``kg train titles`` learns from CLUENER2020 train's ``position`` spans and from
People's Daily's ``ORG title PERSON`` sequences (``models/title_tagger.tsv``, provenance in
``models/README.md``).  ``models/titles.txt`` stays as a fallback lexicon: a listed title the
tagger misses is still found.

Span convention (CLUENER's ``position``): a title is one span with its rank and modifier words
(二级巡视员, 常务副总经理, 首席经济学家) and with a sub-unit written against it
(心血管内科主任, 研究室主任); titles joined by 、/和/兼 are separate spans (党组书记、副主任).

Precision first: :func:`find_titles` drops, unless asked, honours and ranks that are not posts
(:func:`is_honour`: 特级教师, 全国劳动模范, 一级演员, 院士), generic words for people
(:func:`is_generic`: 学生, 同学, 网友, 嘉宾 …), plurals (老师们) and the 记者/通讯员 of a byline.
"""
from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import ModelError
from kg.gazetteer import org_suffixes, titles as lexicon_titles
from kg.resources import MODELS

#: the tagger ``kg train titles`` writes
TAGGER_PATH = MODELS / "title_tagger.tsv.gz"

#: tags of the BIO scheme, in the order of the weight columns
TAGS = ("O", "B", "I")
O, B, I = range(3)
#: a transition from a tag to I that is not a title's continuation is never decoded
_FORBIDDEN = ((O, I),)

BOUNDARY = "<S>", "</S>"


def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isspace():
        return "S"
    return "P"


def char_features(text: str, lexicon: frozenset[str], max_len: int) -> list[list[str]]:
    """The feature strings of every character of ``text`` (char n-grams in a window of ±2,
    character classes, and where the title lexicon's words begin, end or cover)."""
    chars = [BOUNDARY[0], BOUNDARY[0], *text, BOUNDARY[1], BOUNDARY[1]]
    n = len(text)
    begins: list[list[int]] = [[] for _ in range(n)]
    ends: list[list[int]] = [[] for _ in range(n)]
    inside = [0] * n
    for i in range(n):
        for length in range(2, min(max_len, n - i) + 1):
            if text[i:i + length] in lexicon:
                begins[i].append(length)
                ends[i + length - 1].append(length)
                for k in range(i + 1, i + length - 1):
                    inside[k] = max(inside[k], length)
    out = []
    for i in range(n):
        c = i + 2
        feats = [
            "b", f"u0={chars[c]}", f"u-1={chars[c - 1]}", f"u+1={chars[c + 1]}", f"u-2={chars[c - 2]}", f"u+2={chars[c + 2]}",
            f"b-1={chars[c - 1]}{chars[c]}", f"b+1={chars[c]}{chars[c + 1]}",
            f"b-2={chars[c - 2]}{chars[c - 1]}", f"b+2={chars[c + 1]}{chars[c + 2]}",
            f"t-1={chars[c - 2]}{chars[c - 1]}{chars[c]}", f"t0={chars[c - 1]}{chars[c]}{chars[c + 1]}",
            f"t+1={chars[c]}{chars[c + 1]}{chars[c + 2]}",
            f"k={_char_class(chars[c - 1][0])}{_char_class(chars[c][0])}{_char_class(chars[c + 1][0])}",
        ]
        feats += [f"LB{min(m, 5)}" for m in begins[i]]
        feats += [f"LE{min(m, 5)}" for m in ends[i]]
        if inside[i]:
            feats.append("LM")
        out.append(feats)
    return out


@dataclass
class TitleTagger:
    """Weights of the BIO tagger: feature -> (O, B, I) scores, and tag-to-tag transitions."""

    weights: dict[str, tuple[float, float, float]]
    transitions: list[list[float]]  # [previous tag or 3 for the start][tag]
    lexicon: frozenset[str]
    max_len: int

    def tag(self, text: str) -> list[int]:
        """The best tag sequence for ``text`` (Viterbi)."""
        if not text:
            return []
        feats = char_features(text, self.lexicon, self.max_len)
        scores = []
        for fs in feats:
            s = [0.0, 0.0, 0.0]
            for f in fs:
                w = self.weights.get(f)
                if w is not None:
                    s[0] += w[0]
                    s[1] += w[1]
                    s[2] += w[2]
            scores.append(s)
        return viterbi(scores, self.transitions)

    def spans(self, text: str) -> list[tuple[int, int]]:
        return tags_to_spans(self.tag(text))


def viterbi(scores: list[list[float]], transitions: list[list[float]]) -> list[int]:
    """The highest-scoring tag path; O -> I and start -> I are not allowed."""
    neg = float("-inf")
    best = [transitions[3][t] + scores[0][t] if t != I else neg for t in range(3)]
    back = []
    for s in scores[1:]:
        row, new = [], []
        for t in range(3):
            cands = [best[p] + transitions[p][t] if not (p == O and t == I) else neg for p in range(3)]
            p = max(range(3), key=cands.__getitem__)
            row.append(p)
            new.append(cands[p] + s[t])
        back.append(row)
        best = new
    t = max(range(3), key=best.__getitem__)
    path = [t]
    for row in reversed(back):
        t = row[t]
        path.append(t)
    return path[::-1]


def tags_to_spans(tags: list[int]) -> list[tuple[int, int]]:
    """``[start, end)`` spans of a BIO tag sequence."""
    spans, start = [], None
    for i, t in enumerate(tags):
        if t != I and start is not None:
            spans.append((start, i))
            start = None
        if t == B:
            start = i
    if start is not None:
        spans.append((start, len(tags)))
    return spans


def write_tagger(tagger: TitleTagger, path: Path, header: list[str]) -> None:
    """Write the tagger as gzipped TSV: comments, ``#lexicon``, ``#transition`` and weight rows."""
    lines = [f"# {h}" for h in header]
    lines.append(f"#max_len\t{tagger.max_len}")
    lines.append("#lexicon\t" + "|".join(sorted(tagger.lexicon)))
    for p, row in enumerate(tagger.transitions):
        lines.append(f"#transition\t{p}\t" + "\t".join(f"{w:.4g}" for w in row))
    for feat in sorted(tagger.weights):
        lines.append(feat.replace("\t", " ").replace("\n", " ") + "\t" + "\t".join(f"{w:.4g}" for w in tagger.weights[feat]))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(data)  # mtime 0: the same training gives the same bytes


def read_tagger(path: Path) -> TitleTagger:
    """Read a tagger :func:`write_tagger` wrote; :class:`ModelError` when missing or malformed."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            text = f.read()
    except OSError as err:
        raise ModelError(f"{path}: cannot read the title tagger ({err}); `kg train titles` writes it") from err
    weights: dict[str, tuple[float, float, float]] = {}
    transitions = [[0.0] * 3 for _ in range(4)]
    lexicon: frozenset[str] = frozenset()
    max_len = 8
    try:
        for line in text.split("\n"):
            if not line or line.startswith("# "):
                continue
            fields = line.split("\t")
            if fields[0] == "#max_len":
                max_len = int(fields[1])
            elif fields[0] == "#lexicon":
                lexicon = frozenset(w for w in fields[1].split("|") if w)
            elif fields[0] == "#transition":
                transitions[int(fields[1])] = [float(x) for x in fields[2:5]]
            else:
                weights[fields[0]] = (float(fields[1]), float(fields[2]), float(fields[3]))
    except (IndexError, ValueError) as err:
        raise ModelError(f"{path}: malformed title tagger ({err})") from err
    return TitleTagger(weights, transitions, lexicon, max_len)


@lru_cache(maxsize=None)
def tagger() -> TitleTagger:
    """The shipped tagger (loaded once)."""
    return read_tagger(TAGGER_PATH)


# --- what is a post, and what is not ------------------------------------------------------------

#: honours and professional ranks that are not posts (endings)
HONOUR_ENDINGS = ("劳动模范", "劳模", "模范", "院士", "标兵", "能手", "先进工作者", "先进个人", "英雄", "红旗手",
                  "获得者", "得主", "名誉会员")
#: rank prefixes that make an artist's or teacher's title an honour (一级演员, 特级教师)
HONOUR_RANKS = re.compile(r"^(国家)?(特级|[一二三四]级|国家级|省级|市级)(演员|教师|编剧|导演|作家|美术师|演奏员|"
                          r"指挥|作曲|舞美设计|播音员|记者|编辑|律师|运动员|厨师|技师)$")
#: words for people that name no post (the CLUENER annotators marked some as ``position``)
GENERIC = frozenset("""学生 同学 大学生 小学生 中学生 中小学生 留学生 研究生 网友 嘉宾 明星 市民 群众 观众 粉丝
球迷 读者 作者 笔者 投资者 消费者 玩家 职业玩家 股民 藏家 收藏者 游客 乘客 患者 家长 孩子 村民 居民 业主 考生
选手 领导 专家 人员 工作人员 官员 老板 主角 男主角 女主角 配角 工人 农民 员工 职工 用户 客户 买家 卖家
开发商 监管方 承办方 名家 大师 美女 帅哥 老人 妃子 皇帝 太子 女王 公主 王子""".split())
#: a byline's reporters: ``（记者 张三）``, ``本报记者``, ``新华社记者``
BYLINE_TITLES = frozenset(("记者", "通讯员", "实习生", "见习记者", "特约记者", "实习记者", "摄影记者", "首席记者",
                           "本报记者", "特派记者"))
_BYLINE_BEFORE = re.compile(r"(?:[（(【\[][^（()）【】\[\]，。]{0,20}|(?:^|\n)\s*(?:本报|本台)(?:驻\S{1,6})?)$")

_FORMER = re.compile(r"^(原|前|时任|现任|已故)")
_CONCURRENT = re.compile(r"^(兼任|兼)")
_PUNCT_EDGES = re.compile(r"^[\s（）()【】\[\]「」『』<>《》“”\"'、，,：:·.-]+|[\s（）()【】\[\]「」『』<>《》“”\"'、，,：:·.-]+$")


def is_honour(title: str) -> bool:
    """Whether ``title`` is an honour or a professional rank, not a post (全国劳动模范, 院士, 特级教师)."""
    t = normalise_title(title)
    return t.endswith(HONOUR_ENDINGS) or bool(HONOUR_RANKS.match(t))


def is_generic(title: str) -> bool:
    """Whether ``title`` is a generic word for people (学生, 网友, 专家), no post."""
    t = normalise_title(title)
    return t in GENERIC or (t.startswith("资深") and t[2:] in GENERIC)  # 资深专家: still no post


def is_former(title: str) -> bool:
    """Whether ``title`` is written as a former post (原局长, 前总经理, 时任市长)."""
    t = _PUNCT_EDGES.sub("", unicodedata.normalize("NFKC", title))
    return bool(re.match(r"^(原|前|时任|已故)", t)) and len(t) > 2


def normalise_title(title: str) -> str:
    """The grouping key of a title as written: NFKC (full-width letters and digits to ASCII),
    no spaces or enclosing punctuation, ASCII letters upper case (ceo -> CEO), and without the
    words of time and tenure: 原/前/时任/现任/已故 (former; see :func:`is_former`) and 兼/兼任
    (concurrent).  Rank and modifier words stay: 副, 党组, 常务, 执行, 首席, 代 (acting),
    二级, 正高级 (副局长 and 局长 are different keys; 正局长 -> 局长 only drops the 正 that
    merely says "not deputy")."""
    t = unicodedata.normalize("NFKC", title)
    t = re.sub(r"\s+", "", t)
    t = _PUNCT_EDGES.sub("", t)
    t = re.sub(r"[a-z]+", lambda m: m.group(0).upper(), t)
    while True:
        stripped = _CONCURRENT.sub("", _FORMER.sub("", t)) if len(t) > 2 else t
        if stripped == t or not stripped:
            break
        t = stripped
    if len(t) > 2 and t.startswith("正") and not re.match(r"^正(高级|[^级]{1,2}级)", t):
        t = t[1:]
    return t


# --- the recogniser -------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _fallback() -> tuple[str, ...]:
    return lexicon_titles()


@lru_cache(maxsize=None)
def _fallback_set() -> frozenset[str]:
    return frozenset(_fallback())


def _keep(text: str, start: int, end: int, *, honours: bool, generic: bool) -> bool:
    title = text[start:end]
    if not honours and is_honour(title):
        return False
    if not generic and is_generic(title):
        return False
    if end < len(text) and text[end] == "们":
        return False
    if normalise_title(title) in BYLINE_TITLES and _BYLINE_BEFORE.search(text[:start]):
        return False
    return bool(normalise_title(title))


# --- whole compound and ranked titles: what the tagger's span may grow by on its left ------------

#: rank and modifier words written before a title (closed classes of the civil service and of
#: professional ranks: 二级巡视员, 正高级工程师, 正处级调研员, 常务副总经理, 党组书记)
RANK_PREFIX = re.compile(
    r"(?:(?:国家)?[一二三四五六七八九十\d]{1,2}级|[正副]?(?:高级|中级|初级|特级)|[正副][国省部厅局司处科股县团师军营]级"
    r"|首席|资深|常务|执行|党组|党委|党工委|党支部|名誉|荣誉|代理|副)$")
#: a chief officer not in any list (首席技术官, 首席财务官, 首席风险官)
CHIEF_OFFICER = re.compile(r"首席[\u4e00-\u9fff]{1,4}?官")
#: a subject taught, written against a teacher's title (数学教师, 历史老师)
SUBJECT_TEACHER = re.compile(r"(?:语文|数学|英语|外语|物理|化学|生物|历史|地理|政治|思想品德|音乐|美术|体育|信息技术|科学)$")
TEACHER_HEADS = ("教师", "老师", "教员", "教练")
#: the titles a sector is written against (银行业分析师, 汽车行业研究员)
ANALYST_HEADS = ("分析师", "研究员")
#: the words that end a sub-unit written against a title (心血管内科主任, 人事科科长, 研究室主任)
UNIT_ENDINGS = ("内科", "外科", "科室", "教研室", "研究室", "办公室", "车间", "中心", "科", "室", "处", "部", "组", "系", "所")
#: titles that head a sub-unit (a unit is only joined to these)
UNIT_HEADS = re.compile(r"(?:副)?(?:主任|科长|处长|部长|组长|经理|总监|主管|所长|主任医师|医师|护士长|书记|负责人)$")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def _unit_start(text: str, s: int, boundary: int, org_end: int | None) -> int:
    """Where a sub-unit written against the title at ``s`` starts (``s`` when none): the unit
    ends in a unit word and starts right after an organisation (its name's ending, or
    ``org_end``, where the caller says one ends)."""
    for k in range(2, 7):
        a = s - k
        if a < boundary:
            break
        unit = text[a:s]
        if not _HAN.match(unit) or not unit.endswith(UNIT_ENDINGS) or unit in org_suffixes():
            continue
        if a == org_end or text[boundary:a].endswith(org_suffixes()):
            return a
    return s


def _grow(text: str, s: int, e: int, boundary: int, org_end: int | None) -> int:
    """The start of the whole title whose tail the tagger found at ``[s, e)``."""
    head = next((w for w in _fallback() if text.endswith(w, s, e) and len(w) < e - s), None)
    if head and RANK_PREFIX.search(text, boundary, e - len(head)):  # the tagger cut a rank word (组书记)
        s = min(s, _grow(text, e - len(head), e, boundary, org_end))
    while True:
        if s - 1 >= boundary and text[s - 1] in "正副" and re.match(r"[国省部厅局司处科股县团师军营高中初]级", text[s:s + 2]):
            s -= 1
        m = RANK_PREFIX.search(text, boundary, s)
        if not m or m.start() < boundary:
            break
        s = m.start()
    title = text[s:e]
    if title.endswith(TEACHER_HEADS) and (m := SUBJECT_TEACHER.search(text, boundary, s)):
        return m.start()
    if title.endswith(ANALYST_HEADS):
        return _sector_start(text, max(boundary, s - 6), s)
    if UNIT_HEADS.search(title) and not title.startswith(UNIT_ENDINGS[:6]):
        s = _unit_start(text, s, boundary, org_end)
    return s


def _sector_start(text: str, start: int, s: int) -> int:
    """Where the sector written before an analyst's title at ``s`` starts (银行业, 房地产行业: a
    sector word of :data:`_SECTORS` and 业 or 行业), or ``s``; never into the organisation before
    it (上海证券研究所 + 银行业分析师)."""
    for a in range(start, s - 1):
        sector = text[a:s]
        if sector.endswith("业") and (sector[:-1] in _SECTORS or (sector.endswith("行业") and sector[:-2] in _SECTORS)):
            return a
    return s


#: sectors analysts cover, as written before 业 or 行业 (银行业, 汽车行业)
_SECTORS = frozenset("""银行 证券 保险 基金 信托 地产 房地产 汽车 钢铁 有色 煤炭 石油 石化 化工 电力 能源 新能源 电子
通信 传媒 医药 医疗 食品 饮料 农 农林牧渔 零售 商贸 家电 机械 建筑 建材 交通 运输 航空 航运 港口 物流 旅游 酒店
餐饮 纺织 服装 造纸 军工 环保 公用 计算机 软件 互联网 半导体 金融 银行保险 消费 白酒 乳 养殖 水泥 玻璃""".split())


def _tagger_spans(text: str, org_end: int | None = None) -> list[tuple[int, int]]:
    spans = []
    for s, e in tagger().spans(text):
        while s < e and _PUNCT_EDGES.match(text[s]):  # the tagger's spans never start or end in punctuation
            s += 1
        while e > s and _PUNCT_EDGES.match(text[e - 1]):
            e -= 1
        if e > s:
            spans.append((s, e))
    for m in CHIEF_OFFICER.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in spans):
            spans.append(m.span())
    grown, last_end = [], 0
    for s, e in sorted(spans):
        s = max(_grow(text, s, e, last_end, org_end), last_end)
        grown.append((s, e))
        last_end = e
    return grown


def _find(text: str, start: int, end: int | None, org_end: int | None, *, honours: bool = False,
          generic: bool = False) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    return [(s, e) for s, e in _tagger_spans(text, org_end)
            if s >= start and e <= end and _keep(text, s, e, honours=honours, generic=generic)]


def find_titles(text: str, start: int = 0, end: int | None = None, *, honours: bool = False,
                generic: bool = False) -> list[tuple[int, int]]:
    """The title spans ``[s, e)`` inside ``text[start:end]`` (offsets into ``text``), found by the
    tagger reading the whole of ``text``.  A sub-unit written right at ``start`` > 0 joins the
    title (callers pass an organisation's end: ORG + 心血管内科主任).  Honours (``honours=True``
    keeps them), generic words for people (``generic=True``), plurals (老师们) and byline
    reporters are left out.  The lexicon is not used here (listed words inside other words,
    常委 in 常委会, cost precision); :func:`title_at_end` and :func:`title_at_start` fall back on it."""
    return _find(text, start, end, start or None, honours=honours, generic=generic)


def _listed(title: str) -> bool:
    return title in _fallback_set() and _keep(title, 0, len(title), honours=False, generic=False)


def is_listed(title: str) -> bool:
    """Whether ``title`` is a post of the fallback lexicon (``models/titles.txt``)."""
    return _listed(title)


def title_at_end(text: str) -> str | None:
    """The longest title ``text`` ends with, or None: ``text`` is what lies between an
    organisation and a person (``ORG TITLE PERSON``), so a sub-unit at its start joins the title.
    Falls back on the longest listed title (``models/titles.txt``) it ends with."""
    spans = [(s, e) for s, e in _find(text, 0, None, 0) if e == len(text)]
    if spans:
        return text[min(spans)[0]:]
    return next((w for w in _fallback() if text.endswith(w) and _listed(w)), None)


def title_at_start(text: str) -> str | None:
    """The longest title ``text`` starts with (``PERSON TITLE``), or None; falls back on the
    longest listed title (``models/titles.txt``) it starts with."""
    spans = [(s, e) for s, e in _find(text, 0, None, 0) if s == 0]
    if spans:
        found = text[:max(e for _, e in spans)]
        # read in a longer text, the tagger may stop short of a title that runs to a joiner
        # (副主任|委员兼秘书长): the words up to it, when they are one title read alone
        head = _UP_TO_JOINER.match(text).group(0)
        joined = text[len(head):len(head) + 1] in tuple("、兼和及并")
        return head if joined and len(head) > len(found) and is_title(head) else found
    return next((w for w in _fallback() if text.startswith(w) and _listed(w)), None)


#: a text's start up to a joiner of titles (副主任委员|兼秘书长) or a pause
_UP_TO_JOINER = re.compile(r"[^、兼和及并，,。；;：:！!？?（）()\s“”\"]{0,12}")


def is_title(s: str) -> bool:
    """Whether the whole of ``s`` is one title (a post: honours and generic words are not), by
    the tagger or in the lexicon."""
    return bool(s) and (_find(s, 0, None, 0) == [(0, len(s))] or _listed(s))
