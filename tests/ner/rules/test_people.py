"""kg.ner.rules.people: "people" the model found that are places, organisations or things."""
from __future__ import annotations

import pytest

from kg.ner.rules import run_paragraph_rules
from kg.ner.rules.people import drop_people_listed_among_things, relabel_misshapen_people

from .helpers import run


def test_people_shaped_like_places_or_organisations_are_relabelled():
    # through every paragraph rule: alone, relabel_misshapen_people reads 克什克腾旗 as the place
    # opening the span; extend_place_to_organisation joins it to the bureau after it
    assert run(run_paragraph_rules, "克什克腾旗教育局局长孙晓飞说。", [("克什克腾旗教育局", "PER"), ("孙晓飞", "PER")]) == \
        [("克什克腾旗教育局", "ORG"), ("孙晓飞", "PER")]
    assert run(run_paragraph_rules, "如今，克什克腾旗还在推进。", [("克什克腾旗", "PER")]) == [("克什克腾旗", "LOC")]


def test_person_cut_off_before_a_banner_ending_becomes_the_banner():
    assert run(run_paragraph_rules, "同时,克什克腾旗还持续建设。", [("克什克", "PER")]) == [("克什克腾旗", "LOC")]


def test_a_person_span_holding_a_space_is_two_people():
    assert run(relabel_misshapen_people, "本报讯 (记者 冯雪玉 孙柳)近日", [("冯雪玉 孙柳", "PER")]) == \
        [("冯雪玉", "PER"), ("孙柳", "PER")]


def test_a_person_span_opening_with_a_known_place_is_the_place():
    assert run(relabel_misshapen_people, "这是发展场景：乌兰察布市南瓜子畅销60余国。", [("乌兰察布市南", "PER")]) == \
        [("乌兰察布市", "LOC")]


def test_a_person_span_that_opens_a_known_places_name_is_the_region():
    found = run(relabel_misshapen_people, "在科尔沁和浑善达克沙地歼灭战区，科尔沁牛肉畅销，王科尔说。",
                [("科尔沁", "PER"), ("浑善达克", "LOC"), ("王科尔", "PER")])
    # 科尔沁 opens 科尔沁区 and 科尔沁左翼中旗; 王科尔 opens no place
    assert found == [("科尔沁", "LOC"), ("浑善达克", "LOC"), ("王科尔", "PER")]


def test_a_person_span_ending_in_a_character_no_person_ends_with_takes_that_characters_label():
    # a mine read as a person
    assert run(relabel_misshapen_people, "福元铌矿位于白云鄂博。", [("福元铌矿", "PER")]) == [("福元铌矿", "ORG")]
    # 江 ends people's names too
    assert run(relabel_misshapen_people, "李长江说。", [("李长江", "PER")]) == [("李长江", "PER")]


@pytest.mark.parametrize(("text", "spans", "expected"), [
    # a list of products: the "person" among them is a product
    ("产品包括高纯铝、高纯氧化铝、化成箔、板带箔。", [("高纯铝", "PER")], []),
    ("律，包括普通法、衡平法、条例、附属立法。", [("衡平法", "PER")], []),
    # people listed with people, or with a name the model found: kept
    ("出席的有王芳、李强、张伟。", [("王芳", "PER"), ("李强", "PER"), ("张伟", "PER")],
     [("王芳", "PER"), ("李强", "PER"), ("张伟", "PER")]),
    ("王芳、包头市、书记处、文联出席。", [("王芳", "PER"), ("包头市", "LOC")], [("王芳", "PER"), ("包头市", "LOC")]),
    # one other item is too little to tell (a name the model missed)
    ("王芳、刘大山出席。", [("王芳", "PER")], [("王芳", "PER")]),
    ("记者王芳报道。", [("王芳", "PER")], [("王芳", "PER")]),  # no list
])
def test_a_person_listed_among_things_is_no_person(text, spans, expected):
    assert run(drop_people_listed_among_things, text, spans) == expected
