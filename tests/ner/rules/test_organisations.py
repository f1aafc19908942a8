"""kg.ner.rules.organisations and kg.ner.rules.extension: organisations tagged, completed, cut, dropped,
and places and organisations extended into the names they open."""
from __future__ import annotations

import pytest

from kg.ner.rules import Paragraph, run_paragraph_rules
from kg.ner.rules.extension import (
    add_region_prefixes,
    extend_place_to_organisation,
    join_organisation_unit,
    join_place_to_organisation_name,
    merge_adjacent_organisations,
    reach_back_over_brackets,
    relabel_known_name,
    relabel_organisation_shaped_place,
    trim_span_edges,
)
from kg.ner.rules.organisations import (
    complete_bracketed_names,
    complete_brandless_companies,
    cut_run_on_organisations,
    drop_concepts,
    drop_references,
    join_conjoined_units,
    tag_known_organisations,
    tag_organisations_before_titles,
)

from .helpers import doc_with, pairs, run

HOSPITAL = "呼和浩特市第一医院近期取得突破。"
CHIEF = "包头市公安局局长张三说。"
STATION = "鄂尔多斯西街垃圾转运站的张俊林说。"
BUREAU = "记者从内蒙古自治区公安厅交通管理局获悉。"
WOLONG = "在卧龙电驱（包头）永磁电机有限公司生产车间。"


def extend(text: str, spans: list[tuple[str, str]], convention: str = "") -> list[tuple[str, str]]:
    return run(extend_place_to_organisation, text, spans, convention)


def paragraph_of(text: str, spans: list[tuple[str, str]], convention: str = ""):
    doc = doc_with(text, spans)
    return Paragraph(doc, convention=convention), list(doc.ents)


# --------------------------------------------------------------------------- extend_place_to_organisation


def test_place_followed_by_an_organisation_name_becomes_one_org():
    assert extend(HOSPITAL, [("呼和浩特市", "LOC")]) == [("呼和浩特市第一医院", "ORG")]


def test_extension_ends_at_a_word_boundary_not_inside_a_title():
    assert extend(CHIEF, [("包头市", "LOC"), ("张三", "PER")]) == [("包头市公安局", "ORG"), ("张三", "PER")]


def test_place_like_facilities_stay_places():
    assert extend(STATION, [("鄂尔多斯西街垃圾转运站", "LOC"), ("张俊林", "PER")])[0] == ("鄂尔多斯西街垃圾转运站", "LOC")


def test_loc_span_ending_like_an_organisation_is_relabelled():
    assert extend(BUREAU, [("内蒙古自治区公安厅交通管理局", "LOC")]) == [("内蒙古自治区公安厅交通管理局", "ORG")]


def test_known_place_tagged_as_a_person_is_a_place_and_can_head_an_organisation():
    assert extend("鄂尔多斯海关副关长陶增波表示。", [("鄂尔多斯", "PER"), ("陶增波", "PER")]) == \
        [("鄂尔多斯海关", "ORG"), ("陶增波", "PER")]


def test_region_word_heads_an_organisation():
    assert extend("近日，自治区人大常委会党组书记张韶春表示。", [("张韶春", "PER")]) == \
        [("自治区人大常委会", "ORG"), ("张韶春", "PER")]


def test_bracketed_place_inside_a_company_name():
    assert extend(WOLONG, [("卧龙电驱", "LOC"), ("包头", "LOC")]) == [("卧龙电驱（包头）永磁电机有限公司", "ORG")]


def test_adjacent_organisations_are_one_span():
    assert extend("北京友谊医院内蒙古医院开工建设。", [("北京友谊医院", "ORG"), ("内蒙古医院", "ORG")]) == \
        [("北京友谊医院内蒙古医院", "ORG")]


def test_region_word_alone_adds_nothing():
    assert extend("为自治区制定实施规划作出贡献。", []) == []


def test_one_character_suffix_must_close_an_organisation_word():
    # 部 closes 干部 (a two-character word): no organisation 自治区党委带领全区各族干部
    assert ("自治区党委带领全区各族干部", "ORG") not in extend("自治区党委带领全区各族干部群众真抓实干。", [])


def test_extension_does_not_swallow_the_next_place():
    spans = [("张韶春", "PER"), ("呼和浩特市", "LOC"), ("清水河县", "LOC")]
    assert extend("张韶春为呼和浩特市清水河县有关干部宣讲。", spans) == spans


def test_punctuation_is_trimmed_from_span_edges():
    assert extend("阜丰生物攻克难题，", [("阜丰生物攻克难题，", "ORG")]) == [("阜丰生物攻克难题", "ORG")]


def test_place_in_brackets_inside_a_company_name_the_model_missed():
    assert extend("记者在金龙稀土新材料（包头）有限公司看到，企业扩产。", [("包头", "LOC")]) == \
        [("金龙稀土新材料（包头）有限公司", "ORG")]


def test_company_found_in_pieces_around_a_bracket_is_one_span():
    assert extend(WOLONG, [("卧龙电驱", "LOC"), ("永磁电机有限公司", "ORG")]) == [("卧龙电驱（包头）永磁电机有限公司", "ORG")]
    assert extend("记者在金龙稀土新材料（包头）有限公司看到。", [("包头）有限公司", "ORG")]) == \
        [("金龙稀土新材料（包头）有限公司", "ORG")]


def test_an_organisations_own_unit_after_its_name_joins_it():
    assert extend("观众在内蒙古师范大学生物标本馆参观。", [("内蒙古师范大学", "ORG")]) == [("内蒙古师范大学生物标本馆", "ORG")]
    # not across a conjunction, a verb phrase or a non-Chinese joiner
    assert extend("推广“管委会+公司”改革。", [("管委会", "ORG")]) == [("管委会", "ORG")]
    assert extend("包钢集团和北方稀土公司签约。", [("包钢集团", "ORG")])[0] == ("包钢集团", "ORG")
    # nor across an adverb or a verb: the text after the name is a clause (MSRA dev)
    for text in ("南县人大常委会坚决支持法院依法执行。", "南县人大常委会支持法院执行工作。"):
        assert extend(text, [("南县人大常委会", "ORG")]) == [("南县人大常委会", "ORG")]


def test_organisation_does_not_end_with_a_conjunction():
    assert extend("主动接受人大法律监督和政协民主监督。", [("人大法律监督和", "ORG")]) == [("人大法律监督", "ORG")]


def test_bracketed_place_a_word_before_the_organisation_joins_the_name():
    found = extend(WOLONG, [("卧龙电", "LOC"), ("包头", "LOC"), ("电机有限公司", "ORG")])
    assert ("卧龙电驱（包头）永磁电机有限公司", "ORG") in found


def test_a_byline_bracket_does_not_join_a_later_organisation():
    found = extend("本报讯（记者王皓）近日包头市公安局发布通告。", [("王皓", "PER"), ("包头市公安局", "ORG")])
    assert ("包头市公安局", "ORG") in found


def test_known_organisation_tagged_as_a_place_is_an_organisation():
    assert extend("东盟各国外长在吉隆坡会晤。", [("东盟", "LOC"), ("吉隆坡", "LOC")]) == [("东盟", "ORG"), ("吉隆坡", "LOC")]


def test_foreign_country_tagged_as_a_person_is_a_place():
    assert extend("马拉维总统会见了中国代表团。", [("马拉维", "PER")])[0] == ("马拉维", "LOC")


def test_an_extension_stops_before_a_predicate_verb_and_its_object():
    assert extend("巴彦淖尔市成立农推官工作室。", [("巴彦淖尔市", "LOC")]) == [("巴彦淖尔市", "LOC")]


def test_a_verb_word_right_before_the_organisation_word_is_part_of_the_name():
    assert ("内蒙古创新中心", "ORG") in extend("京津冀国家技术创新中心内蒙古创新中心成功推动项目落地。", [("内蒙古", "LOC")])


def test_an_extension_does_not_run_across_a_count():
    assert extend("日前，内蒙古新增两家新质生产力工匠学院。", [("内蒙古", "LOC")]) == [("内蒙古", "LOC")]
    assert extend(HOSPITAL, [("呼和浩特市", "LOC")]) == [("呼和浩特市第一医院", "ORG")]


def test_a_place_right_before_a_companys_full_name_is_part_of_it():
    assert extend("内蒙古奥普赛生物科技有限公司研发了新产品。", [("内蒙古", "LOC"), ("奥普赛生物科技有限公司", "ORG")]) == \
        [("内蒙古奥普赛生物科技有限公司", "ORG")]


def test_a_place_right_before_a_brand_stays_a_place():
    spans = [("兴安盟", "LOC"), ("金风", "ORG")]
    assert extend("兴安盟金风200万千瓦风电项目开工。", spans) == spans


def test_a_brand_read_as_a_person_before_a_bracketed_place_joins_the_company():
    assert extend(WOLONG, [("卧龙电驱", "PER"), ("包头）永磁电机有限公司", "ORG")]) == [("卧龙电驱（包头）永磁电机有限公司", "ORG")]
    # a numbered list of people, not a bracketed place
    assert ("奥其尔巴特", "PER") in extend("（２）奥其尔巴特（３）贡布扎布参赛。", [("奥其尔巴特", "PER"), ("贡布扎布", "ORG")])


@pytest.mark.parametrize("text, place", [
    ("廊坊是城乡结合部，民俗传统浓郁。", "廊坊"),  # 是: a clause, not a name
    ("盘锦市改革了中小学考试制度。", "盘锦市"),  # 了
    ("喀布尔城西有个孤儿院。", "喀布尔"),  # 有 as a word of its own (有限公司 is one word)
    ("这是中国第一部关于火花的专著。", "中国"),  # 部 after a number is a classifier
    ("作者在苏联解体前所写的见闻。", "苏联"),  # 所 on its own is a particle
])
def test_an_extension_does_not_turn_a_clause_into_an_organisation(text, place):
    assert extend(text, [(place, "LOC")]) == [(place, "LOC")]


def test_a_company_name_still_runs_through_its_legal_form():
    assert extend("包头市宏达稀土有限公司发布公告。", [("包头市", "LOC")]) == [("包头市宏达稀土有限公司", "ORG")]


def test_a_bracketed_note_does_not_join_the_organisation_after_it():
    spans = [("新华社", "ORG"), ("北京", "LOC")]
    assert extend("产生积极深远影响（附图片１张）新华社北京１１月９日电", spans) == spans
    spans = [("新华社", "ORG"), ("北京", "LOC"), ("王黎", "PER"), ("中宣部", "ORG")]
    assert extend("为农民服务新华社北京１月３日电（记者王黎）中宣部在日前召开座谈会。", spans) == spans


@pytest.mark.parametrize("name", ["“幸福工程”组委会", "《星报》编辑部"])
def test_a_name_keeps_the_quotes_it_opens_and_closes(name):
    assert extend(f"他找到了{name}，要求曝光。", [(name, "ORG")]) == [(name, "ORG")]


def test_in_msras_convention_places_are_not_made_organisations():
    text, spans = "中国政府代表团参观了毕加索博物馆。", [("中国", "LOC"), ("毕加索博物馆", "LOC")]
    assert extend(text, spans, "msra") == spans
    assert extend(text, spans) == [("中国政府", "ORG"), ("毕加索博物馆", "ORG")]


# ---- its parts, one by one


def test_region_prefixes_stand_alone_as_places():
    paragraph, spans = paragraph_of("近日，自治区人大常委会党组书记张韶春表示。", [("张韶春", "PER")])
    assert pairs(add_region_prefixes(paragraph, spans)) == [("张韶春", "PER"), ("自治区", "LOC")]
    for text in ("内蒙古自治区教育考试院发布通知。", "加大国家和自治区级制造业创新中心建设。"):  # inside a word; an adjective
        paragraph, spans = paragraph_of(text, [])
        assert add_region_prefixes(paragraph, spans) == []


def test_rule_1_a_known_name_takes_its_label():
    paragraph, (union, city) = paragraph_of("东盟各国外长在吉隆坡会晤。", [("东盟", "LOC"), ("吉隆坡", "LOC")])
    assert pairs([relabel_known_name(paragraph, union)]) == [("东盟", "ORG")]
    assert relabel_known_name(paragraph, city) is city
    paragraph, (country,) = paragraph_of("马拉维总统会见了中国代表团。", [("马拉维", "PER")])
    assert pairs([relabel_known_name(paragraph, country)]) == [("马拉维", "LOC")]


def test_rule_2_a_place_ending_like_an_organisation_is_one():
    paragraph, (bureau,) = paragraph_of(BUREAU, [("内蒙古自治区公安厅交通管理局", "LOC")])
    assert pairs([relabel_organisation_shaped_place(paragraph, bureau)]) == [("内蒙古自治区公安厅交通管理局", "ORG")]
    paragraph, (bureau,) = paragraph_of(BUREAU, [("内蒙古自治区公安厅交通管理局", "LOC")], "msra")
    assert relabel_organisation_shaped_place(paragraph, bureau) is None
    paragraph, (station, _) = paragraph_of(STATION, [("鄂尔多斯西街垃圾转运站", "LOC"), ("张俊林", "PER")])
    assert relabel_organisation_shaped_place(paragraph, station) is None


def test_rule_3_a_place_followed_by_an_organisation_name_is_one():
    paragraph, (city,) = paragraph_of(HOSPITAL, [("呼和浩特市", "LOC")])
    assert pairs([join_place_to_organisation_name(paragraph, city, [], [0])]) == [("呼和浩特市第一医院", "ORG")]
    paragraph, (city, person) = paragraph_of(CHIEF, [("包头市", "LOC"), ("张三", "PER")])
    assert pairs([join_place_to_organisation_name(paragraph, city, [], [0, person.start_char])]) == [("包头市公安局", "ORG")]
    # a place in brackets reaches back to the name's start
    paragraph, (place,) = paragraph_of("记者在金龙稀土新材料（包头）有限公司看到。", [("包头", "LOC")])
    assert pairs([join_place_to_organisation_name(paragraph, place, [], [])]) == [("金龙稀土新材料（包头）有限公司", "ORG")]
    paragraph, (city,) = paragraph_of("巴彦淖尔市成立农推官工作室。", [("巴彦淖尔市", "LOC")])
    assert join_place_to_organisation_name(paragraph, city, [], [0]) is city


def test_rule_4_adjacent_organisations_merge():
    paragraph, (a, b) = paragraph_of("北京友谊医院内蒙古医院开工建设。", [("北京友谊医院", "ORG"), ("内蒙古医院", "ORG")])
    assert pairs([merge_adjacent_organisations(paragraph, b, [a])]) == [("北京友谊医院内蒙古医院", "ORG")]
    assert merge_adjacent_organisations(paragraph, a, []) is None
    # a place joins an organisation's full name, not a brand; not in MSRA's convention
    paragraph, (place, company) = paragraph_of("内蒙古奥普赛生物科技有限公司研发了新产品。",
                                               [("内蒙古", "LOC"), ("奥普赛生物科技有限公司", "ORG")])
    assert pairs([merge_adjacent_organisations(paragraph, company, [place])]) == [("内蒙古奥普赛生物科技有限公司", "ORG")]
    paragraph.convention = "msra"
    assert merge_adjacent_organisations(paragraph, company, [place]) is None
    paragraph, (place, brand) = paragraph_of("兴安盟金风200万千瓦风电项目开工。", [("兴安盟", "LOC"), ("金风", "ORG")])
    assert merge_adjacent_organisations(paragraph, brand, [place]) is None


def test_rule_5_an_organisations_own_unit_joins_it():
    paragraph, (university,) = paragraph_of("观众在内蒙古师范大学生物标本馆参观。", [("内蒙古师范大学", "ORG")])
    assert pairs([join_organisation_unit(paragraph, university, [])]) == [("内蒙古师范大学生物标本馆", "ORG")]
    paragraph, (committee,) = paragraph_of("南县人大常委会坚决支持法院依法执行。", [("南县人大常委会", "ORG")])
    assert join_organisation_unit(paragraph, committee, []) is committee


def test_an_organisation_found_in_pieces_reaches_back_over_the_bracket():
    paragraph, spans = paragraph_of(WOLONG, [("卧龙电驱", "PER"), ("包头）永磁电机有限公司", "ORG")])
    result = list(spans)
    assert reach_back_over_brackets(paragraph, result, spans)
    assert pairs(result) == [("卧龙电驱", "PER"), ("卧龙电驱（包头）永磁电机有限公司", "ORG")]
    # a byline in the brackets: a person of the model's spans
    paragraph, spans = paragraph_of("电（记者王黎）中宣部召开座谈会。", [("王黎", "PER"), ("中宣部", "ORG")])
    result = list(spans)
    assert not reach_back_over_brackets(paragraph, result, spans) and result == spans


def test_span_edges_lose_punctuation_and_a_lone_region_word():
    paragraph, spans = paragraph_of("主动接受人大法律监督和政协民主监督，为自治区。",
                                    [("人大法律监督和", "ORG"), ("自治区", "LOC")])
    trimmed, changed = trim_span_edges(paragraph, spans, spans[:1])
    assert changed and pairs(trimmed) == [("人大法律监督", "ORG")]
    paragraph, spans = paragraph_of("他找到了“幸福工程”组委会，要求曝光。", [("“幸福工程”组委会", "ORG")])
    assert trim_span_edges(paragraph, spans, spans) == (spans, False)


# --------------------------------------------------------------------------- the other rules


def test_known_organisations_the_model_missed_are_tagged():
    # curated names of three characters or more, at word boundaries (中央 is too short to look for)
    assert run(tag_known_organisations, "出一批行业标杆：北方稀土、安泰北方获评，新华社报道，中央空调。", []) == \
        [("北方稀土", "ORG"), ("新华社", "ORG")]
    name = [("中国北方稀土集团高技术股份有限公司", "ORG")]
    assert run(tag_known_organisations, name[0][0], name) == name  # inside an entity: left alone


def test_items_of_a_list_of_companies_are_organisations():
    assert run(run_paragraph_rules, "成为示范标杆，天和磁材、金蒙汇磁等5家企业跻身先进。", [("金蒙", "LOC")]) == \
        [("天和磁材", "ORG"), ("金蒙汇磁", "ORG")]


def test_a_list_item_with_words_before_it_is_left_to_the_model():
    assert run(run_paragraph_rules, "公司已成功助力安泰北方、英思特、北方磁材等企业打造数字化车间。", []) == \
        [("英思特", "ORG"), ("北方磁材", "ORG")]


def test_a_list_ends_at_a_word_of_its_own_and_its_items_hold_no_conjunction():
    # 等 inside 高等院校 ends no list; an item joined by 及 is two things, not one name
    assert run(run_paragraph_rules, "来自１１个省、市、自治区及有关科研机构、高等院校。", [], "msra") == []
    found = run(run_paragraph_rules, "天和磁材、金蒙汇磁及英思特等企业跻身先进。", [])
    assert ("天和磁材", "ORG") in found and not any("及" in text for text, _ in found)


def test_a_list_of_other_things_is_not_touched():
    assert run(run_paragraph_rules, "聚焦稀土新材料、有色金属材料、现代煤化工等优势领域。", []) == []


def test_a_reference_to_an_organisation_named_before_is_not_a_name():
    assert run(drop_references, "该公司技术研发部经理李智翔说。", [("公司技术研发部", "ORG"), ("李智翔", "PER")]) == \
        [("李智翔", "PER")]
    # 其 is "its": 常委会 is the standing committee of the body just named
    spans = [("全国人大", "ORG"), ("常委会", "ORG")]
    assert run(drop_references, "全国人大及其常委会一直重视。", spans) == spans
    # the model's span holds the demonstrative itself
    assert run(drop_references, "该公司技术研发部经理李智翔说。", [("该公司技术研发部", "ORG"), ("李智翔", "PER")]) == \
        [("李智翔", "PER")]


@pytest.mark.parametrize("convention, kept", [("", []), ("msra", [("管委会", "ORG")])])
def test_a_generic_organisation_word_alone_is_no_name_in_kgs_convention(convention, kept):
    assert run(drop_references, "推广“管委会+公司”改革。", [("管委会", "ORG")], convention) == kept


def test_an_organisation_in_brackets_cut_short_is_the_whole_bracketed_name():
    assert run(complete_bracketed_names, "与海军军医大学第一附属医院(长海医院)合作。",
               [("海军军医大学第一附属医院", "ORG"), ("海医院", "ORG")]) == \
        [("海军军医大学第一附属医院", "ORG"), ("长海医院", "ORG")]
    # a byline: the person is not the whole bracket
    assert run(complete_bracketed_names, "北京电（记者罗玉文）近日。", [("罗玉文", "PER")]) == [("罗玉文", "PER")]


def test_a_community_that_is_an_idea_is_not_an_organisation():
    assert run(drop_concepts, "铸牢中华民族共同体意识，构建中非命运共同体，欧洲共同体成员国。",
               [("中华民族共同体", "ORG"), ("中非命运共同体", "ORG"), ("欧洲共同体", "ORG")]) == [("欧洲共同体", "ORG")]


def test_an_organisation_ends_before_a_title():
    assert run(cut_run_on_organisations, "内蒙古森工集团总经理恩和特布沁说。", [("内蒙古森工集团总经理恩", "ORG")]) == \
        [("内蒙古森工集团", "ORG")]
    # 党组书记 is the title
    assert run(cut_run_on_organisations, "自治区人大常委会党组书记张韶春。", [("自治区人大常委会党组", "ORG"), ("张韶春", "PER")]) == \
        [("自治区人大常委会", "ORG"), ("张韶春", "PER")]
    # 书记处 is a body: 中共中央 does not end like an organisation
    assert run(cut_run_on_organisations, "中共中央书记处书记。", [("中共中央书记处", "ORG")]) == [("中共中央书记处", "ORG")]


@pytest.mark.parametrize(("text", "spans", "expected"), [
    # the model's span lost the brand: it grows back over it
    ("当前，金名信息技术股份有限公司联合单创科技。", [("信息技术股份有限公司", "ORG")], [("金名信息技术股份有限公司", "ORG")]),
    # a brand between a place and the trade words: taken, up to the place
    ("包头市金名信息技术有限公司", [("包头市", "LOC"), ("信息技术有限公司", "ORG")],
     [("包头市", "LOC"), ("金名信息技术有限公司", "ORG")]),
    # a company with its brand is left alone
    ("当前，金名信息技术股份有限公司联合单创科技。", [("金名信息技术股份有限公司", "ORG")], [("金名信息技术股份有限公司", "ORG")]),
])
def test_a_company_found_without_its_brand_grows_back_over_it(text, spans, expected):
    assert run(complete_brandless_companies, text, spans) == expected


@pytest.mark.parametrize(("text", "found"), [
    ("为此成立了信息技术有限公司。", "信息技术有限公司"),  # a one-character word: no brand before it
    ("他们成立信息技术有限公司。", "信息技术有限公司"),  # a predicate verb is not a brand
    ("包头市信息技术有限公司", "信息技术有限公司"),  # another entity right before it: left as found
    ("，科技有限公司", "科技有限公司"),  # punctuation
])
def test_a_brandless_company_does_not_grow_over_what_is_not_a_brand(text, found):
    spans = [("包头市", "LOC"), (found, "ORG")] if "包头市" in text else [(found, "ORG")]
    assert (found, "ORG") in run(complete_brandless_companies, text, spans)


def test_a_unit_named_with_与_after_its_parent_body_is_one_organisation():
    assert run(join_conjoined_units, "由中国科学院地质与地球物理研究所牵头。",
               [("中国科学院", "ORG"), ("地球物理研究所", "ORG")]) == [("中国科学院地质与地球物理研究所", "ORG")]
    assert run(join_conjoined_units, "华中科技大学能源与动力工程学院召开会议。",
               [("华中科技大学", "ORG"), ("动力工程学院", "ORG")]) == [("华中科技大学能源与动力工程学院", "ORG")]
    # two bodies joined by 和 stay two; so does a unit after a long clause
    assert run(join_conjoined_units, "北京大学和清华大学合作。", [("北京大学", "ORG"), ("清华大学", "ORG")]) == [
        ("北京大学", "ORG"), ("清华大学", "ORG")]
    assert run(join_conjoined_units, "北京大学与地球物理研究所合作。", [("北京大学", "ORG"), ("地球物理研究所", "ORG")]) == [
        ("北京大学", "ORG"), ("地球物理研究所", "ORG")]


@pytest.mark.parametrize(("text", "spans", "expected"), [
    # a name the model missed, between a clause's start and a title before a person
    ("据了解，恒远银行副行长陈明昨天说。", [("陈明", "PER")], [("恒远银行", "ORG"), ("陈明", "PER")]),
    # back to a former-word (原) or a conjunction, not over them
    ("张三和原市教育考试中心主任李伟出席。", [("张三", "PER"), ("李伟", "PER")],
     [("张三", "PER"), ("市教育考试中心", "ORG"), ("李伟", "PER")]),
    # a title fused with its body's last character; a place right before the name joins it
    ("国防部长李伟出席。", [("李伟", "PER")], [("国防部", "ORG"), ("李伟", "PER")]),
    ("德国外交部长施密特表示。", [("德国", "LOC"), ("施密特", "PER")], [("德国外交部", "ORG"), ("施密特", "PER")]),
    # after a verb of appointment, the words up to the title
    ("去年，孙涛担任了市公安局长、党委书记。", [("孙涛", "PER")], [("孙涛", "PER"), ("市公安局", "ORG")]),
    # an apposition after the person, its words up to the title that ends it
    ("李娜，恒远银行副行长，昨天说。", [("李娜", "PER")], [("李娜", "PER"), ("恒远银行", "ORG")]),
    ("李娜（恒远银行副行长）说。", [("李娜", "PER")], [("李娜", "PER"), ("恒远银行", "ORG")]),
    # a list of people joined by 和 before the name; a tenure word (新任) before it
    ("王明和恒远银行行长陈刚出席。", [("王明", "PER"), ("陈刚", "PER")],
     [("王明", "PER"), ("恒远银行", "ORG"), ("陈刚", "PER")]),
    ("新任恒远银行行长陈刚说。", [("陈刚", "PER")], [("恒远银行", "ORG"), ("陈刚", "PER")]),
    # a span the model read as a place, before a post only a company has, is the company
    ("据悉，绿野农场的创始人周平说。", [("绿野农场", "LOC"), ("周平", "PER")], [("绿野农场", "ORG"), ("周平", "PER")]),
    # a quoted name before a company's post; an armed service named alone before its commander
    ("“绿野”总经理周平说。", [("周平", "PER")], [("绿野", "ORG"), ("周平", "PER")]),
    ("副总参谋长王明、海军副司令员李强出席。", [("王明", "PER"), ("李强", "PER")],
     [("王明", "PER"), ("海军", "ORG"), ("李强", "PER")]),
])
def test_an_organisation_the_model_missed_before_a_title_is_tagged(text, spans, expected):
    assert run(tag_organisations_before_titles, text, spans) == expected


@pytest.mark.parametrize(("text", "spans"), [
    ("该银行副行长陈明说。", [("陈明", "PER")]),  # a reference to a bank named before
    ("这家公司总经理陈明说。", [("陈明", "PER")]),
    ("张三和生产部经理李伟说。", [("张三", "PER"), ("李伟", "PER")]),  # a department of the company named before
    ("华泰证券营销管理部经理王明说。", [("华泰证券", "ORG"), ("王明", "PER")]),  # a department, after its company
    ("德国副总理兼外交部长施密特说。", [("德国", "LOC"), ("施密特", "PER")]),  # the second post's ministry is Germany's
    ("他说，工程公司经理王明到场。", [("王明", "PER")]),  # a company of trade words alone: no name
    ("华泰证券董事长王明说。", [("华泰证券", "ORG"), ("王明", "PER")]),  # found already
    ("1998年3月任公司总经理。", []),  # a bare kind of body
    ("马耳他外交和旅游部长韦拉说。", [("马耳他", "LOC"), ("韦拉", "PER")]),  # 和 inside the ministry's name
    ("南财政部长米洛说。", [("米洛", "PER")]),  # a country's one-character short form (南斯拉夫)
    ("第四届茅盾文学奖评奖委员会主任张三说。", [("茅盾", "PER"), ("张三", "PER")]),  # the name runs into a person
    ("北京市委常委、宣传部长张三说。", [("北京市委", "ORG"), ("张三", "PER")]),  # the chain's department
    ("北京市副市长张三说。", [("北京市", "LOC"), ("张三", "PER")]),  # a place's post: the place stays a place
    ("华为北京总经理张三说。", [("北京", "LOC"), ("张三", "PER")]),  # a known place before a company post
    ("他是“十佳”校长张三。", [("张三", "PER")]),  # a quoted word before a school's post: no company
    ("李娜，恒远银行副行长说。", [("李娜", "PER")]),  # no title ends the apposition
])
def test_no_organisation_is_made_of_what_is_not_a_name(text, spans):
    assert run(tag_organisations_before_titles, text, spans) == [(t, label) for t, label in spans]
