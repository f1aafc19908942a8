"""kg.ner.rules.places: the gazetteer's places against the model's spans."""
from __future__ import annotations

from kg.ner.rules import Paragraph
from kg.ner.rules.places import tag_known_places
from kg.ner.rules.view import segmenter_word_lengths

from .helpers import doc_with, pairs, run


def test_known_place_words_the_model_missed_are_tagged():
    # official names and prefix short forms; descriptive aliases (我国) are not names
    assert run(tag_known_places, "记者从内蒙古自治区获悉，包头市和我国其他城市。", []) == \
        [("内蒙古自治区", "LOC"), ("包头市", "LOC")]


def test_known_place_inside_a_predicted_entity_is_left_alone():
    assert run(tag_known_places, "包头市第一医院开诊。", [("包头市第一医院", "ORG")]) == [("包头市第一医院", "ORG")]


def test_known_place_cut_short_by_the_model_grows_to_the_whole_name():
    assert run(tag_known_places, "他指出，清水河县要深入学习。", [("清水河", "LOC")]) == [("清水河县", "LOC")]


def test_a_name_opening_inside_a_known_place_word_opens_with_the_place():
    assert run(tag_known_places, "大力发展绿算全产业链，和林格尔数据中心绿电使用占比高。", [("林格尔数据中心", "ORG")]) == \
        [("和林格尔数据中心", "ORG")]


def test_a_place_span_joining_known_places_with_dashes_is_each_place():
    assert run(tag_known_places, "加快建设呼包鄂乌—京津冀—长三角时延圈。", [("包鄂乌—京津冀—长三角", "LOC")]) == \
        [("包鄂乌", "LOC"), ("京津冀", "LOC"), ("长三角", "LOC")]
    # a name with a dash that joins no two known places is the model's call
    assert run(tag_known_places, "他到了沃吕维—圣—皮埃尔区。", [("沃吕维—圣—皮埃尔区", "LOC")]) == \
        [("沃吕维—圣—皮埃尔区", "LOC")]


def test_non_prefix_short_forms_of_banners_and_regions_are_names():
    assert run(tag_known_places, "达茂旗积极融入长三角发展。", []) == [("达茂旗", "LOC"), ("长三角", "LOC")]


def test_place_span_stopping_inside_a_word_is_cut_back_to_the_known_name():
    assert run(tag_known_places, "巴彦淖尔现代农业产业园开园。", [("巴彦淖尔现代农", "LOC")])[0] == ("巴彦淖尔", "LOC")
    # ending at a word boundary, a longer place is the model's call (an airport, a street)
    assert run(tag_known_places, "打通包头大街等断头路。", [("包头大街", "LOC")]) == [("包头大街", "LOC")]
    # a feature of the place is part of its name, whatever the segmenter joined it to (湖|是 -> 湖是)
    doc = doc_with("集雄奇与秀美于一身的马拉维湖是大自然的瑰宝。", [("马拉维湖", "LOC")])
    assert segmenter_word_lengths(doc).get(doc.text.index("湖") + 2) == 2  # the segmenter's 湖是
    assert pairs(tag_known_places(Paragraph(doc), list(doc.ents))) == [("马拉维湖", "LOC")]


def test_city_nicknames_are_aliases_not_names_tagged_on_sight():
    assert run(tag_known_places, "爱青城App累计注册用户。", []) == []


def test_a_place_span_of_nested_divisions_is_each_division():
    from kg.ner.rules.places import split_place_chains

    assert run(split_place_chains, "记者来到北京市海淀区。", [("北京市海淀区", "LOC")]) == [("北京市", "LOC"), ("海淀区", "LOC")]
    assert run(split_place_chains, "他在广东省深圳市南山区科技园工作。", [("广东省深圳市南山区科技园", "ORG")]) == \
        [("广东省", "LOC"), ("深圳市", "LOC"), ("南山区", "LOC"), ("科技园", "LOC")]
    assert run(split_place_chains, "内蒙古自治区呼和浩特市清水河县召开会议。", [("内蒙古自治区呼和浩特市清水河县", "LOC")]) == \
        [("内蒙古自治区", "LOC"), ("呼和浩特市", "LOC"), ("清水河县", "LOC")]


def test_an_organisation_opening_with_divisions_stays_one_and_unnested_places_stay_whole():
    from kg.ner.rules.places import place_chain, split_place_chains

    assert run(split_place_chains, "四川省成都市武侯区人民法院判决。", [("四川省成都市武侯区人民法院", "ORG")]) == \
        [("四川省成都市武侯区人民法院", "ORG")]
    assert place_chain("北京市深圳市") == []  # 深圳市 is not in 北京市
    assert place_chain("北京市朝阳区") == ["北京市", "朝阳区"]
