"""kg.ner.rules.things: events, products and minerals are not entities; nor is a short name the
sentence reads as a verb."""
from __future__ import annotations

from kg.ner.rules.things import drop_short_names_read_as_words, trim_things_to_places

from .helpers import run


def trim(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return run(trim_things_to_places, text, spans)


def test_an_event_named_after_a_place_keeps_only_the_place():
    assert trim("鄂尔多斯国际那达慕开幕。", [("鄂尔多斯国际那达慕", "LOC")]) == [("鄂尔多斯", "LOC")]
    assert trim("今年举办乌海英雄会等活动。", [("乌海英雄会", "ORG")]) == [("乌海", "LOC")]
    assert trim("包头国际马拉松赛鸣枪开跑。", [("包头国际马拉松赛", "ORG")]) == [("包头", "LOC")]
    assert trim("赤峰草原音乐节吸引游客。", [("赤峰草原音乐节", "ORG")]) == [("赤峰", "LOC")]


def test_an_app_or_an_ore_body_without_a_place_goes():
    assert trim("市民下载爱青城App办事。", [("爱青城App", "ORG")]) == []
    assert trim("样品采自某地矿床的岩石。", [("某地矿床", "ORG")]) == []


def test_bodies_that_end_in_hui_stay():
    for name in ("包头市体育总会", "呼和浩特市工商联合会", "内蒙古自治区人民代表大会", "乌海市筹委会"):
        assert trim(f"{name}召开会议。", [(name, "ORG")]) == [(name, "ORG")]


def test_a_one_word_place_is_left_alone():
    assert trim("他去了马赛。", [("马赛", "LOC")]) == [("马赛", "LOC")]


def test_a_development_verb_is_no_exhibition():
    assert trim("赤峰市经济发展研究中心成立。", [("赤峰市经济发展研究中心", "ORG")]) == [("赤峰市经济发展研究中心", "ORG")]


def drop(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return run(drop_short_names_read_as_words, text, spans)


def test_a_short_name_after_an_adverb_or_a_modal_is_a_verb():
    assert drop("城区道路已全面联通。", [("联通", "ORG")]) == []
    assert drop("双方要联通数据。", [("联通", "ORG")]) == []


def test_a_short_name_as_subject_or_object_stays():
    assert drop("联通推出新套餐。", [("联通", "ORG")]) == [("联通", "ORG")]
    assert drop("他入职了联通。", [("联通", "ORG")]) == [("联通", "ORG")]
