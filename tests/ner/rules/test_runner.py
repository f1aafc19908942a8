"""kg.ner.rules: the one ordered list of rules, and the runner that applies it."""
from __future__ import annotations

from kg.ner.recognizer import _entity_rules
from kg.ner.rules import (
    DOCUMENT,
    PARAGRAPH,
    RULES,
    Paragraph,
    apply_document_rules,
    apply_paragraph_rules,
    apply_rules,
)
from kg.ner.rules.view import segmenter_word_lengths

from .helpers import doc_with, ents


def test_rules_run_in_one_order_paragraph_rules_first():
    assert [(rule.name, rule.scope) for rule in RULES] == [
        ("tag_known_places", PARAGRAPH),
        ("split_place_chains", PARAGRAPH),
        ("tag_known_organisations", PARAGRAPH),
        ("relabel_misshapen_people", PARAGRAPH),
        ("drop_people_listed_among_things", PARAGRAPH),
        ("extend_place_to_organisation", PARAGRAPH),
        ("tag_listed_organisations", PARAGRAPH),
        ("complete_brandless_companies", PARAGRAPH),
        ("complete_bracketed_names", PARAGRAPH),
        ("join_conjoined_units", PARAGRAPH),
        ("drop_references", PARAGRAPH),
        ("drop_concepts", PARAGRAPH),
        ("trim_things_to_places", PARAGRAPH),
        ("drop_short_names_read_as_words", PARAGRAPH),
        ("cut_run_on_organisations", PARAGRAPH),
        ("tag_organisations_before_titles", PARAGRAPH),
        ("tag_company_short_forms", DOCUMENT),
        ("trim_people_adverbs", DOCUMENT),
    ]


def document():
    return [doc_with("天津合生生物科技有限公司董事长刘斌介绍。", [("天津", "LOC"), ("合生生物科技有限公司", "ORG"), ("刘斌", "PER")]),
            doc_with("合生生物母乳低聚糖研发项目开工，苏都正伏案说。", [("苏都正", "PER")]),
            doc_with("苏都说。", [("苏都", "PER")])]


EXPECTED = [[("天津合生生物科技有限公司", "ORG"), ("刘斌", "PER")], [("合生生物", "ORG"), ("苏都", "PER")], [("苏都", "PER")]]


def test_apply_rules_runs_paragraph_then_document_rules_and_assigns_the_spans():
    docs = document()
    apply_rules(docs)
    assert [ents(doc) for doc in docs] == EXPECTED


def test_the_two_stages_give_what_apply_rules_gives():
    docs = document()
    for doc in docs:
        apply_paragraph_rules(doc)
    assert ents(docs[0]) == EXPECTED[0] and ents(docs[1]) == [("苏都正", "PER")]  # no document rule yet
    apply_document_rules(docs, [doc.text for doc in docs])
    assert [ents(doc) for doc in docs] == EXPECTED


def test_the_pipeline_component_runs_the_paragraph_rules():
    doc = doc_with("内蒙古自治区教育考试院发布通知。", [])
    _entity_rules(doc)
    assert ents(doc) == [("内蒙古自治区教育考试院", "ORG")]


def test_home_region_prefix_inside_a_longer_place_word_is_not_split_off():
    doc = doc_with("内蒙古自治区教育考试院发布通知。", [])
    apply_paragraph_rules(doc)
    assert ents(doc) == [("内蒙古自治区教育考试院", "ORG")]


def test_region_level_adjective_is_not_the_home_region():
    doc = doc_with("加大国家和自治区级制造业创新中心建设。", [])
    apply_paragraph_rules(doc)
    assert not any(text.startswith("自治区") for text, _ in ents(doc))


def test_in_msras_convention_places_and_facilities_are_not_made_organisations():
    for convention, expected in (("", [("中国政府", "ORG"), ("毕加索博物馆", "ORG")]),
                                 ("msra", [("中国", "LOC"), ("毕加索博物馆", "LOC")])):
        doc = doc_with("中国政府代表团参观了毕加索博物馆。", [("中国", "LOC"), ("毕加索博物馆", "LOC")])
        apply_rules([doc], convention=convention)
        assert ents(doc) == expected, convention


def test_segmenter_word_lengths_read_from_tags():
    doc = doc_with("内蒙古自治区的包头市", [])
    lengths = segmenter_word_lengths(doc)
    assert lengths[6] == 6 and lengths[7] == 1 and lengths[10] == 3
    paragraph = Paragraph(doc)
    assert paragraph.word_len == lengths and paragraph.word_starts == {0, 6, 7}
    assert paragraph.text == "内蒙古自治区的包头市" and paragraph.convention == ""
