"""kg.credits: bylines, photo credits and editors' lines, on sentences written for the tests."""
from __future__ import annotations

import pytest

from kg.credits import find_credits, in_credit, provenance_mentions
from kg.ingest import repair
from kg.schema import Mention, RawPage


def credits_of(text: str) -> list[tuple[str, str]]:
    doc = repair(RawPage("t.txt", "t.txt", text))
    return [(c.name, c.role) for c in find_credits(doc) if c.certain]  # uncertain ones wait for the NER


@pytest.mark.parametrize("text, expected", [
    ("本报杭州5月3日电（记者 陈明 刘洋）近日，杭州市召开会议。", [("陈明", "记者"), ("刘洋", "记者")]),
    ("本报讯(记者 周立 通讯员 孙文)日前，广州市发布通知。", [("周立", "记者"), ("孙文", "通讯员")]),
    ("本报讯（实习记者 马骏）昨天下午，会议召开。", [("马骏", "记者")]),
    ("本报成都6月1日讯（记者 王芳 实习生 林可）成都市举办活动。", [("王芳", "记者"), ("林可", "记者")]),
    ("□本报记者 赵磊 通讯员 钱静", [("赵磊", "记者"), ("钱静", "通讯员")]),
    ("●本报记者 孔伟", [("孔伟", "记者")]),
    ("□本报记者 唐宁 吴刚 南方日报记者 邓华", [("唐宁", "记者"), ("吴刚", "记者"), ("邓华", "记者")]),
    ("本报记者 秦朗 摄", [("秦朗", "摄影")]),
    ("市民在广场上观看演出 黄河 摄", [("黄河", "摄影")]),
    ("工人在车间里忙碌（邹平 摄）", [("邹平", "摄影")]),
    ("责任编辑：郑洁", [("郑洁", "编辑")]),
    ("(海报设计:罗丹)", [("罗丹", "编辑")]),
    ("新华社记者 阿依古丽·买买提", [("阿依古丽·买买提", "记者")]),
    ("本报记者 王磊摄", [("王磊", "摄影")]),
    ("（记者王皓）全市召开会议。", [("王皓", "记者")]),
])
def test_the_shapes_of_chinese_bylines(text, expected):
    assert credits_of(text) == expected


@pytest.mark.parametrize("text", [
    "记者从市教育局获悉，今年招生计划已经公布。",      # 记者 as the subject of a sentence
    "记者了解到，该项目总投资12亿元。",
    "【记者手记】",
    "记者手记",
    "市长李明在会上讲话。",                            # a person in the news, no credit
    "他说：“我们要把工作做好。”（完）",
    "本报讯 近日，全市开展安全检查。",                  # a dateline without a credit
    "（设计单位 北京院）",                              # 设计 here is a word, not a credit
    "图片展 精彩纷呈",
])
def test_news_text_is_no_credit(text):
    assert credits_of(text) == []


def test_an_author_in_brackets_needs_the_ner_to_read_a_person():
    doc = repair(RawPage("t.txt", "t.txt", "全市经济稳中向好，发展势头强劲。（杨帆）\n\n（待续）"))
    assert [(c.name, c.certain) for c in doc.credits] == [("杨帆", False), ("待续", False)]
    start = doc.text.index("杨帆")
    person = Mention("t.txt", start, start + 2, "杨帆", "PER", doc.sentence_at(start).index)
    kept = provenance_mentions(doc, [person])
    assert kept == [person]
    assert [c.name for c in doc.credits] == ["杨帆"]  # （待续） is no author: the NER read no person there


def test_a_credited_name_becomes_a_person_mention_replacing_what_the_ner_read():
    doc = repair(RawPage("t.txt", "t.txt", "□本报记者 贾明村 摄\n\n包头市召开大会。"))
    start = doc.text.index("贾明村")
    wrong = Mention("t.txt", start, start + 3, "贾明村", "LOC", 0)
    mentions = provenance_mentions(doc, [wrong])
    assert [(m.text, m.label) for m in mentions] == [("贾明村", "PER")]
    news = doc.text.index("包头")
    assert in_credit(doc, start, start + 3) and not in_credit(doc, news, news + 3)


def test_a_dateline_place_becomes_a_place_mention():
    doc = repair(RawPage("t.txt", "t.txt", "本报包头12月24日电（记者 蔡明）包头市召开大会。"))
    mentions = provenance_mentions(doc, [])
    assert [(m.text, m.label) for m in mentions] == [("包头", "LOC"), ("蔡明", "PER")]
