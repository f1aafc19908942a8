"""kg.ner.rules.document: what one paragraph of a document says about the names in the others."""
from __future__ import annotations

from kg.ner.rules.document import tag_company_short_forms, trim_people_adverbs
from kg.ner.rules.view import segmenter_word_lengths

from .helpers import doc_with, run_document


def test_a_company_named_in_full_is_found_again_by_its_short_form_later_in_the_document():
    first, later, elsewhere = run_document(tag_company_short_forms, [
        ("天津合生生物科技有限公司董事长刘斌介绍。", [("天津合生生物科技有限公司", "ORG"), ("刘斌", "PER")]),
        ("合生生物母乳低聚糖研发项目开工，合生生物的员工说。", []),
        ("合生生物学是一门学科。", []),  # not at a word boundary: left alone
    ])
    assert later == [("合生生物", "ORG"), ("合生生物", "ORG")]
    assert first == [("天津合生生物科技有限公司", "ORG"), ("刘斌", "PER")]
    assert segmenter_word_lengths(doc_with("合生生物学是一门学科。", [])).get(4) != 4 and elsewhere == []


def test_a_brand_the_model_read_as_a_person_is_the_company_named_in_full():
    _, later, cut = run_document(tag_company_short_forms, [
        ("金宇保灵生物药品有限公司研发实验室内。", [("金宇保灵生物药品有限公司", "ORG")]),
        ("金宇保灵总经理赵丽霞说。", [("金宇保灵", "PER"), ("赵丽霞", "PER")]),
        ("金宇保灵总经理说。", [("金宇保", "PER")]),
    ])
    assert later == [("金宇保灵", "ORG"), ("赵丽霞", "PER")]  # exactly the brand's span: the company
    assert cut == [("金宇保", "PER")]  # a span cut inside it is left as the model read it


def test_a_person_read_with_the_adverb_after_the_name_is_the_person_the_document_names():
    first, later = run_document(trim_people_adverbs, [
        ("语文教师苏都正伏案打磨教学设计。", [("苏都正", "PER")]),
        ("“提高学生学习的积极性。”苏都说。", [("苏都", "PER")]),
    ])
    assert first == [("苏都", "PER")] and later == [("苏都", "PER")]
    # no 王建 found: names
    assert run_document(trim_people_adverbs, [("王建正说，王建都同意。", [("王建正", "PER"), ("王建都", "PER")])]) == \
        [[("王建正", "PER"), ("王建都", "PER")]]
    # the shorter name only counts in the same document
    assert run_document(trim_people_adverbs, [("苏都正伏案打磨教学设计。", [("苏都正", "PER")])]) == [[("苏都正", "PER")]]
