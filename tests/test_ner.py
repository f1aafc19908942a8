"""NER: model loading, raw offsets of mentions, and the place -> organisation extension."""
from __future__ import annotations

import subprocess
import sys

import pytest
import spacy

from kg.errors import ModelError
from kg.ingest import RawPage, repair
from kg.ner import Recognizer, resolve_model_path
from kg.ner.rules_old import (
    company_short_form,
    company_short_forms,
    complete_brandless_companies,
    complete_bracketed_names,
    cut_run_on_organisations,
    drop_concepts,
    drop_references,
    extend_place_to_organisation,
    postprocess_entities,
    relabel_misshapen_people,
    segmenter_word_lengths,
    tag_company_short_forms,
    trim_people_adverbs,
    drop_people_listed_among_things,
    tag_known_organisations,
    tag_known_places,
)

HOSPITAL = "呼和浩特市第一医院近期取得突破。"
CHIEF = "包头市公安局局长张三说。"
STATION = "鄂尔多斯西街垃圾转运站的张俊林说。"
BUREAU = "记者从内蒙古自治区公安厅交通管理局获悉。"
BROKEN = "作为核心服务商，金名信息技术股份有限公\n\n司已成功助力多家企业。"


def doc_with(text: str, ents: list[tuple[str, str]]):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1"}}})
    doc = nlp(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    return doc


def ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_place_followed_by_an_organisation_name_becomes_one_org():
    doc = doc_with(HOSPITAL, [("呼和浩特市", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("呼和浩特市第一医院", "ORG")]


def test_extension_ends_at_a_word_boundary_not_inside_a_title():
    doc = doc_with(CHIEF, [("包头市", "LOC"), ("张三", "PER")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("包头市公安局", "ORG"), ("张三", "PER")]


def test_place_like_facilities_stay_places():
    doc = doc_with(STATION, [("鄂尔多斯西街垃圾转运站", "LOC"), ("张俊林", "PER")])
    extend_place_to_organisation(doc)
    assert ents(doc)[0] == ("鄂尔多斯西街垃圾转运站", "LOC")


def test_loc_span_ending_like_an_organisation_is_relabelled():
    doc = doc_with(BUREAU, [("内蒙古自治区公安厅交通管理局", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("内蒙古自治区公安厅交通管理局", "ORG")]


def test_known_place_tagged_as_a_person_is_a_place_and_can_head_an_organisation():
    doc = doc_with("鄂尔多斯海关副关长陶增波表示。", [("鄂尔多斯", "PER"), ("陶增波", "PER")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("鄂尔多斯海关", "ORG"), ("陶增波", "PER")]


def test_missing_model_names_the_command_that_builds_it(tmp_path):
    with pytest.raises(ModelError, match="kg train ner"):
        resolve_model_path(tmp_path / "none")


def test_mentions_carry_raw_offsets_across_a_layout_break():
    doc = repair(RawPage("p", "p", BROKEN))
    mentions = Recognizer()(doc)
    for m in mentions:
        start, end = doc.to_raw(m.start, m.end)
        assert "".join(doc.raw[start:end].split()) == m.text
        assert doc.text[m.start:m.end] == m.text


def test_recognizer_without_rules_gives_the_models_own_spans():
    texts = [HOSPITAL, BUREAU, "他指出，清水河县要深入学习。", "在卧龙电驱（包头）永磁电机有限公司生产车间。",
             "北方稀土、安泰北方、单创科技等5家企业参加。", "内蒙古自治区人大常委会党组书记张韶春说。"]
    raw, ruled = Recognizer(rules=False), Recognizer()
    differ = 0
    for text in texts:
        doc = repair(RawPage("p", "p", text))
        sdoc = raw.nlp(doc.text)
        assert [(m.text, m.label) for m in raw(doc)] == ents(sdoc)
        postprocess_entities(sdoc)
        with_rules = [(m.text, m.label) for m in ruled(doc)]
        assert with_rules == ents(sdoc)
        differ += with_rules != [(m.text, m.label) for m in raw(doc)]
    assert differ  # the rules change what the model said somewhere, or this test proves nothing


def test_documents_flow_through_one_pipe_and_come_back_in_order_whatever_the_processes():
    pages = ["", HOSPITAL + "\n\n" + CHIEF, "", "", BROKEN, STATION + "\n" + BUREAU, ""]
    docs = [repair(RawPage(f"p{i}", f"p{i}", text)) for i, text in enumerate(pages)]
    assert not docs[0].paragraphs and len(docs[1].paragraphs) == 2  # empty pages too get their (empty) list
    one = list(Recognizer(batch_size=2).pipe(docs))  # batches cross document boundaries
    assert [[m.doc for m in found] for found in one] == [[d.id] * len(found) for d, found in zip(docs, one)]
    assert [bool(found) for found in one] == [bool(text) for text in pages]
    assert [[(m.text, m.label) for m in found] for found in one[1:2]] == [[
        ("呼和浩特市第一医院", "ORG"), ("包头市公安局", "ORG"), ("张三", "PER")]]
    assert [m for d in docs for m in Recognizer()(d)] == [m for found in one for m in found]
    assert list(Recognizer(batch_size=2, n_process=2).pipe(docs)) == one


SPAWNED = """
import multiprocessing, sys
from kg.ingest import RawPage, repair
from kg.ner import Recognizer
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")  # macOS and Windows start workers this way
    docs = [repair(RawPage(f"p{i}", f"p{i}", text)) for i, text in enumerate(sys.argv[1:])]
    found = [[(m.start, m.end, m.label) for m in ms] for ms in Recognizer(batch_size=1, n_process=2).pipe(docs)]
    alone = [[(m.start, m.end, m.label) for m in ms] for ms in Recognizer().pipe(docs)]
    print(found == alone and any(found), found)
"""


def test_worker_processes_started_by_spawn_give_the_same_mentions(tmp_path):
    """``--jobs`` on macOS and Windows: workers are fresh interpreters that rebuild the pipeline
    (its tokenizer, rules and right-to-left component) from what spaCy pickles."""
    script = tmp_path / "spawned.py"
    script.write_text(SPAWNED, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), HOSPITAL, CHIEF, STATION + "\n" + BUREAU],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("True"), result.stdout


def test_recognizer_refuses_no_processes():
    with pytest.raises(ValueError, match="n_process"):
        Recognizer(n_process=0)


def test_region_word_heads_an_organisation():
    doc = doc_with("近日，自治区人大常委会党组书记张韶春表示。", [("张韶春", "PER")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("自治区人大常委会", "ORG"), ("张韶春", "PER")]


def test_bracketed_place_inside_a_company_name():
    doc = doc_with("在卧龙电驱（包头）永磁电机有限公司生产车间。", [("卧龙电驱", "LOC"), ("包头", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("卧龙电驱（包头）永磁电机有限公司", "ORG")]


def test_adjacent_organisations_are_one_span():
    doc = doc_with("北京友谊医院内蒙古医院开工建设。", [("北京友谊医院", "ORG"), ("内蒙古医院", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("北京友谊医院内蒙古医院", "ORG")]


def test_region_word_alone_adds_nothing():
    doc = doc_with("为自治区制定实施规划作出贡献。", [])
    extend_place_to_organisation(doc)
    assert ents(doc) == []


def test_split_weight_files_load_to_the_same_model(tmp_path):
    import shutil

    import numpy as np

    from kg.ner import load_pipeline, split_large_files

    joined = tmp_path / "joined"
    load_pipeline().to_disk(joined)  # whole float32 files, whatever the shipped storage
    split = tmp_path / "split"
    shutil.copytree(joined, split)
    assert split_large_files(split, part_size=1_000_000)
    assert all(p.stat().st_size <= 1_000_000 for p in split.rglob("model.part-*"))
    a, b = load_pipeline(joined), load_pipeline(split)
    assert np.array_equal(a(HOSPITAL).tensor, b(HOSPITAL).tensor)


def test_compacted_model_predicts_the_same_at_half_the_size(tmp_path):
    import numpy as np

    from kg.ner import compact_model, load_pipeline

    full = load_pipeline()
    compact = tmp_path / "compact"
    full.to_disk(compact)  # plain float32 spaCy files, whatever the shipped storage

    def weights_size():  # the components' weights (a float16 vectors table stays as it is)
        return sum(f.stat().st_size for name in ("tok2vec", "ner") for f in (compact / name).rglob("*") if f.is_file())

    before = weights_size()
    assert set(compact_model(compact)) == {"tok2vec", "ner"}
    assert weights_size() < before * 0.6
    if full.vocab.vectors.shape[0]:  # the static vectors table is stored in float16
        assert np.load(compact / "vocab" / "vectors").dtype == np.float16
    stored = sorted(p.name for p in (compact / "ner").iterdir())
    assert "cfg" in stored and "model.f16.part-000" in stored and "model" not in stored
    small = load_pipeline(compact)
    params = [n.get_param(p) for _, c in small.pipeline if hasattr(c, "model")
              for n in c.model.walk() for p in n.param_names if n.has_param(p)]
    assert params and all(p.dtype == np.float32 for p in params)  # computed in float32 again
    for text in (HOSPITAL, CHIEF, BUREAU, "鄂尔多斯市委书记、市长在达拉特旗调研。"):
        a, b = full(text), small(text)
        assert [(e.start_char, e.end_char, e.label_) for e in a.ents] == [(e.start_char, e.end_char, e.label_) for e in b.ents]
        width = full.get_pipe("tok2vec").model.get_dim("nO")  # the network's width (configs/ner.cfg)
        assert a.tensor.shape == (len(a), width) and np.allclose(a.tensor, b.tensor, atol=0.05)


def test_one_character_suffix_must_close_an_organisation_word():
    # 部 closes 干部 (a two-character word): no organisation 自治区党委带领全区各族干部
    doc = doc_with("自治区党委带领全区各族干部群众真抓实干。", [])
    extend_place_to_organisation(doc)
    assert ("自治区党委带领全区各族干部", "ORG") not in ents(doc)


def test_extension_does_not_swallow_the_next_place():
    doc = doc_with("张韶春为呼和浩特市清水河县有关干部宣讲。", [("张韶春", "PER"), ("呼和浩特市", "LOC"), ("清水河县", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("张韶春", "PER"), ("呼和浩特市", "LOC"), ("清水河县", "LOC")]


def test_punctuation_is_trimmed_from_span_edges():
    doc = doc_with("阜丰生物攻克难题，", [("阜丰生物攻克难题，", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("阜丰生物攻克难题", "ORG")]


def test_place_in_brackets_inside_a_company_name_the_model_missed():
    doc = doc_with("记者在金龙稀土新材料（包头）有限公司看到，企业扩产。", [("包头", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("金龙稀土新材料（包头）有限公司", "ORG")]


def test_company_found_in_pieces_around_a_bracket_is_one_span():
    doc = doc_with("在卧龙电驱（包头）永磁电机有限公司生产车间。", [("卧龙电驱", "LOC"), ("永磁电机有限公司", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("卧龙电驱（包头）永磁电机有限公司", "ORG")]
    doc = doc_with("记者在金龙稀土新材料（包头）有限公司看到。", [("包头）有限公司", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("金龙稀土新材料（包头）有限公司", "ORG")]


def test_known_place_words_the_model_missed_are_tagged():
    doc = doc_with("记者从内蒙古自治区获悉，包头市和我国其他城市。", [])
    tag_known_places(doc)
    # official names and prefix short forms; descriptive aliases (我国) are not names
    assert ents(doc) == [("内蒙古自治区", "LOC"), ("包头市", "LOC")]


def test_known_place_inside_a_predicted_entity_is_left_alone():
    doc = doc_with("包头市第一医院开诊。", [("包头市第一医院", "ORG")])
    tag_known_places(doc)
    assert ents(doc) == [("包头市第一医院", "ORG")]


def test_known_place_cut_short_by_the_model_grows_to_the_whole_name():
    doc = doc_with("他指出，清水河县要深入学习。", [("清水河", "LOC")])
    tag_known_places(doc)
    assert ents(doc) == [("清水河县", "LOC")]


def test_a_name_opening_inside_a_known_place_word_opens_with_the_place():
    doc = doc_with("大力发展绿算全产业链，和林格尔数据中心绿电使用占比高。", [("林格尔数据中心", "ORG")])
    tag_known_places(doc)
    assert ents(doc) == [("和林格尔数据中心", "ORG")]


def test_a_place_span_joining_known_places_with_dashes_is_each_place():
    doc = doc_with("加快建设呼包鄂乌—京津冀—长三角时延圈。", [("包鄂乌—京津冀—长三角", "LOC")])
    tag_known_places(doc)
    assert ents(doc) == [("包鄂乌", "LOC"), ("京津冀", "LOC"), ("长三角", "LOC")]
    # a name with a dash that joins no two known places is the model's call
    doc = doc_with("他到了沃吕维—圣—皮埃尔区。", [("沃吕维—圣—皮埃尔区", "LOC")])
    tag_known_places(doc)
    assert ents(doc) == [("沃吕维—圣—皮埃尔区", "LOC")]


def test_known_organisations_the_model_missed_are_tagged():
    doc = doc_with("出一批行业标杆：北方稀土、安泰北方获评，新华社报道，中央空调。", [])
    tag_known_organisations(doc)
    # curated names of three characters or more, at word boundaries (中央 is too short to look for)
    assert ents(doc) == [("北方稀土", "ORG"), ("新华社", "ORG")]
    doc = doc_with("中国北方稀土集团高技术股份有限公司", [("中国北方稀土集团高技术股份有限公司", "ORG")])
    tag_known_organisations(doc)
    assert ents(doc) == [("中国北方稀土集团高技术股份有限公司", "ORG")]  # inside an entity: left alone


def test_non_prefix_short_forms_of_banners_and_regions_are_names():
    doc = doc_with("达茂旗积极融入长三角发展。", [])
    tag_known_places(doc)
    assert ents(doc) == [("达茂旗", "LOC"), ("长三角", "LOC")]


def test_place_span_stopping_inside_a_word_is_cut_back_to_the_known_name():
    doc = doc_with("巴彦淖尔现代农业产业园开园。", [("巴彦淖尔现代农", "LOC")])
    tag_known_places(doc)
    assert ents(doc)[0] == ("巴彦淖尔", "LOC")
    # ending at a word boundary, a longer place is the model's call (an airport, a street)
    doc = doc_with("打通包头大街等断头路。", [("包头大街", "LOC")])
    tag_known_places(doc)
    assert ents(doc) == [("包头大街", "LOC")]
    # a feature of the place is part of its name, whatever the segmenter joined it to (湖|是 -> 湖是)
    doc = doc_with("集雄奇与秀美于一身的马拉维湖是大自然的瑰宝。", [("马拉维湖", "LOC")])
    assert segmenter_word_lengths(doc).get(doc.text.index("湖") + 2) == 2  # the segmenter's 湖是
    tag_known_places(doc)
    assert ents(doc) == [("马拉维湖", "LOC")]


def test_an_organisations_own_unit_after_its_name_joins_it():
    doc = doc_with("观众在内蒙古师范大学生物标本馆参观。", [("内蒙古师范大学", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("内蒙古师范大学生物标本馆", "ORG")]
    # not across a conjunction, a verb phrase or a non-Chinese joiner
    doc = doc_with("推广“管委会+公司”改革。", [("管委会", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("管委会", "ORG")]
    doc = doc_with("包钢集团和北方稀土公司签约。", [("包钢集团", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc)[0] == ("包钢集团", "ORG")
    # nor across an adverb or a verb: the text after the name is a clause (MSRA dev)
    for text in ("南县人大常委会坚决支持法院依法执行。", "南县人大常委会支持法院执行工作。"):
        doc = doc_with(text, [("南县人大常委会", "ORG")])
        extend_place_to_organisation(doc)
        assert ents(doc) == [("南县人大常委会", "ORG")]


def test_city_nicknames_are_aliases_not_names_tagged_on_sight():
    doc = doc_with("爱青城App累计注册用户。", [])
    tag_known_places(doc)
    assert ents(doc) == []


def test_home_region_prefix_inside_a_longer_place_word_is_not_split_off():
    doc = doc_with("内蒙古自治区教育考试院发布通知。", [])
    postprocess_entities(doc)
    assert ents(doc) == [("内蒙古自治区教育考试院", "ORG")]


def test_segmenter_word_lengths_read_from_tags():
    doc = doc_with("内蒙古自治区的包头市", [])
    lengths = segmenter_word_lengths(doc)
    assert lengths[6] == 6 and lengths[7] == 1 and lengths[10] == 3


def test_region_level_adjective_is_not_the_home_region():
    doc = doc_with("加大国家和自治区级制造业创新中心建设。", [])
    postprocess_entities(doc)
    assert not any(text.startswith("自治区") for text, _ in ents(doc))


def test_organisation_does_not_end_with_a_conjunction():
    doc = doc_with("主动接受人大法律监督和政协民主监督。", [("人大法律监督和", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("人大法律监督", "ORG")]


def test_bracketed_place_a_word_before_the_organisation_joins_the_name():
    text = "在卧龙电驱（包头）永磁电机有限公司生产车间。"
    doc = doc_with(text, [("卧龙电", "LOC"), ("包头", "LOC"), ("电机有限公司", "ORG")])
    extend_place_to_organisation(doc)
    assert ("卧龙电驱（包头）永磁电机有限公司", "ORG") in ents(doc)


def test_a_byline_bracket_does_not_join_a_later_organisation():
    text = "本报讯（记者王皓）近日包头市公安局发布通告。"
    doc = doc_with(text, [("王皓", "PER"), ("包头市公安局", "ORG")])
    extend_place_to_organisation(doc)
    assert ("包头市公安局", "ORG") in ents(doc)


def test_items_of_a_list_of_companies_are_organisations():
    doc = doc_with("成为示范标杆，天和磁材、金蒙汇磁等5家企业跻身先进。", [("金蒙", "LOC")])
    postprocess_entities(doc)
    assert ents(doc) == [("天和磁材", "ORG"), ("金蒙汇磁", "ORG")]


def test_a_list_item_with_words_before_it_is_left_to_the_model():
    doc = doc_with("公司已成功助力安泰北方、英思特、北方磁材等企业打造数字化车间。", [])
    postprocess_entities(doc)
    assert ents(doc) == [("英思特", "ORG"), ("北方磁材", "ORG")]


def test_a_list_ends_at_a_word_of_its_own_and_its_items_hold_no_conjunction():
    # 等 inside 高等院校 ends no list; an item joined by 及 is two things, not one name
    doc = doc_with("来自１１个省、市、自治区及有关科研机构、高等院校。", [])
    postprocess_entities(doc, "msra")
    assert ents(doc) == []
    doc = doc_with("天和磁材、金蒙汇磁及英思特等企业跻身先进。", [])
    postprocess_entities(doc)
    assert ("天和磁材", "ORG") in ents(doc) and not any("及" in text for text, _ in ents(doc))


def test_a_list_of_other_things_is_not_touched():
    doc = doc_with("聚焦稀土新材料、有色金属材料、现代煤化工等优势领域。", [])
    postprocess_entities(doc)
    assert ents(doc) == []


def test_people_shaped_like_places_or_organisations_are_relabelled():
    doc = doc_with("克什克腾旗教育局局长孙晓飞说。", [("克什克腾旗教育局", "PER"), ("孙晓飞", "PER")])
    postprocess_entities(doc)
    assert ents(doc) == [("克什克腾旗教育局", "ORG"), ("孙晓飞", "PER")]
    doc = doc_with("如今，克什克腾旗还在推进。", [("克什克腾旗", "PER")])
    postprocess_entities(doc)
    assert ents(doc) == [("克什克腾旗", "LOC")]


def test_person_cut_off_before_a_banner_ending_becomes_the_banner():
    doc = doc_with("同时,克什克腾旗还持续建设。", [("克什克", "PER")])
    postprocess_entities(doc)
    assert ents(doc) == [("克什克腾旗", "LOC")]


def test_loaded_pipeline_multiplies_through_numpy_blas():
    from kg.ner import load_pipeline

    nlp = load_pipeline()
    ops = {type(node.ops).__name__ + str(getattr(node.ops, "use_blis", None))
           for _, component in nlp.pipeline if hasattr(component, "model") for node in component.model.walk()}
    assert ops == {"NumpyOpsFalse"}


def test_known_organisation_tagged_as_a_place_is_an_organisation():
    doc = doc_with("东盟各国外长在吉隆坡会晤。", [("东盟", "LOC"), ("吉隆坡", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("东盟", "ORG"), ("吉隆坡", "LOC")]


def test_foreign_country_tagged_as_a_person_is_a_place():
    doc = doc_with("马拉维总统会见了中国代表团。", [("马拉维", "PER")])
    extend_place_to_organisation(doc)
    assert ents(doc)[0] == ("马拉维", "LOC")


def test_an_extension_stops_before_a_predicate_verb_and_its_object():
    doc = doc_with("巴彦淖尔市成立农推官工作室。", [("巴彦淖尔市", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("巴彦淖尔市", "LOC")]


def test_a_verb_word_right_before_the_organisation_word_is_part_of_the_name():
    doc = doc_with("京津冀国家技术创新中心内蒙古创新中心成功推动项目落地。", [("内蒙古", "LOC")])
    extend_place_to_organisation(doc)
    assert ("内蒙古创新中心", "ORG") in ents(doc)


def test_an_extension_does_not_run_across_a_count():
    doc = doc_with("日前，内蒙古新增两家新质生产力工匠学院。", [("内蒙古", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("内蒙古", "LOC")]
    doc = doc_with("呼和浩特市第一医院近期取得突破。", [("呼和浩特市", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("呼和浩特市第一医院", "ORG")]


def test_a_person_span_holding_a_space_is_two_people():
    doc = doc_with("本报讯 (记者 冯雪玉 孙柳)近日", [("冯雪玉 孙柳", "PER")])
    relabel_misshapen_people(doc)
    assert ents(doc) == [("冯雪玉", "PER"), ("孙柳", "PER")]


def test_a_person_span_opening_with_a_known_place_is_the_place():
    doc = doc_with("这是发展场景：乌兰察布市南瓜子畅销60余国。", [("乌兰察布市南", "PER")])
    relabel_misshapen_people(doc)
    assert ents(doc) == [("乌兰察布市", "LOC")]


def test_a_person_span_that_opens_a_known_places_name_is_the_region():
    doc = doc_with("在科尔沁和浑善达克沙地歼灭战区，科尔沁牛肉畅销，王科尔说。",
                   [("科尔沁", "PER"), ("浑善达克", "LOC"), ("王科尔", "PER")])
    relabel_misshapen_people(doc)
    # 科尔沁 opens 科尔沁区 and 科尔沁左翼中旗; 王科尔 opens no place
    assert ents(doc) == [("科尔沁", "LOC"), ("浑善达克", "LOC"), ("王科尔", "PER")]


def test_a_place_right_before_a_companys_full_name_is_part_of_it():
    doc = doc_with("内蒙古奥普赛生物科技有限公司研发了新产品。", [("内蒙古", "LOC"), ("奥普赛生物科技有限公司", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("内蒙古奥普赛生物科技有限公司", "ORG")]


def test_a_place_right_before_a_brand_stays_a_place():
    doc = doc_with("兴安盟金风200万千瓦风电项目开工。", [("兴安盟", "LOC"), ("金风", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("兴安盟", "LOC"), ("金风", "ORG")]


def test_a_right_to_left_model_loads_with_the_component_that_turns_it_back(tmp_path):
    from kg.ner import load_pipeline

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1", "reverse": True}}})
    nlp.to_disk(tmp_path / "rtl")
    loaded = load_pipeline(tmp_path / "rtl")
    assert loaded.pipe_names == ["kg_unreverse"]
    assert loaded("包头市的企业").text == "包头市的企业"
    assert load_pipeline().pipe_names == ["tok2vec", "ner"]  # the shipped model reads left to right


def test_a_reference_to_an_organisation_named_before_is_not_a_name():
    doc = doc_with("该公司技术研发部经理李智翔说。", [("公司技术研发部", "ORG"), ("李智翔", "PER")])
    drop_references(doc)
    assert ents(doc) == [("李智翔", "PER")]
    doc = doc_with("全国人大及其常委会一直重视。", [("全国人大", "ORG"), ("常委会", "ORG")])
    drop_references(doc)  # 其 is "its": 常委会 is the standing committee of the body just named
    assert ents(doc) == [("全国人大", "ORG"), ("常委会", "ORG")]
    doc = doc_with("该公司技术研发部经理李智翔说。", [("该公司技术研发部", "ORG"), ("李智翔", "PER")])
    drop_references(doc)  # the model's span holds the demonstrative itself
    assert ents(doc) == [("李智翔", "PER")]


@pytest.mark.parametrize("convention, kept", [("", []), ("msra", [("管委会", "ORG")])])
def test_a_generic_organisation_word_alone_is_no_name_in_kgs_convention(convention, kept):
    doc = doc_with("推广“管委会+公司”改革。", [("管委会", "ORG")])
    drop_references(doc, convention=convention)
    assert ents(doc) == kept


def test_an_organisation_in_brackets_cut_short_is_the_whole_bracketed_name():
    doc = doc_with("与海军军医大学第一附属医院(长海医院)合作。", [("海军军医大学第一附属医院", "ORG"), ("海医院", "ORG")])
    complete_bracketed_names(doc)
    assert ents(doc) == [("海军军医大学第一附属医院", "ORG"), ("长海医院", "ORG")]
    doc = doc_with("北京电（记者罗玉文）近日。", [("罗玉文", "PER")])
    complete_bracketed_names(doc)  # a byline: the person is not the whole bracket
    assert ents(doc) == [("罗玉文", "PER")]


def test_a_brand_read_as_a_person_before_a_bracketed_place_joins_the_company():
    doc = doc_with("在卧龙电驱（包头）永磁电机有限公司生产车间。", [("卧龙电驱", "PER"), ("包头）永磁电机有限公司", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("卧龙电驱（包头）永磁电机有限公司", "ORG")]
    doc = doc_with("（２）奥其尔巴特（３）贡布扎布参赛。", [("奥其尔巴特", "PER"), ("贡布扎布", "ORG")])
    extend_place_to_organisation(doc)  # a numbered list of people, not a bracketed place
    assert ("奥其尔巴特", "PER") in ents(doc)


def test_right_to_left_model_hands_back_entities_and_vectors_in_text_order():
    import numpy as np

    from kg.ner import load_pipeline

    nlp = load_pipeline()  # the shipped tok2vec, reading right to left; a ruler stands in for its NER
    nlp.tokenizer.reverse = True
    nlp.remove_pipe("ner")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": [{"TEXT": c} for c in reversed("呼和浩特市第一医院")]}])
    nlp.add_pipe("kg_unreverse")
    reversed_doc = ruler(nlp.get_pipe("tok2vec")(nlp.make_doc(HOSPITAL)))
    assert reversed_doc.text == HOSPITAL[::-1] and reversed_doc.ents
    doc = nlp(HOSPITAL)
    n = len(HOSPITAL)
    assert doc.text == HOSPITAL
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
        sorted((n - e.end_char, n - e.start_char, e.label_) for e in reversed_doc.ents) == [(0, 9, "ORG")]
    assert np.allclose(doc.tensor, reversed_doc.tensor[::-1])


def test_a_community_that_is_an_idea_is_not_an_organisation():
    doc = doc_with("铸牢中华民族共同体意识，构建中非命运共同体，欧洲共同体成员国。",
                   [("中华民族共同体", "ORG"), ("中非命运共同体", "ORG"), ("欧洲共同体", "ORG")])
    drop_concepts(doc)
    assert ents(doc) == [("欧洲共同体", "ORG")]


def test_an_organisation_ends_before_a_title():
    doc = doc_with("内蒙古森工集团总经理恩和特布沁说。", [("内蒙古森工集团总经理恩", "ORG")])
    cut_run_on_organisations(doc)
    assert ents(doc) == [("内蒙古森工集团", "ORG")]
    doc = doc_with("自治区人大常委会党组书记张韶春。", [("自治区人大常委会党组", "ORG"), ("张韶春", "PER")])
    cut_run_on_organisations(doc)  # 党组书记 is the title
    assert ents(doc) == [("自治区人大常委会", "ORG"), ("张韶春", "PER")]
    doc = doc_with("中共中央书记处书记。", [("中共中央书记处", "ORG")])
    cut_run_on_organisations(doc)  # 书记处 is a body: 中共中央 does not end like an organisation
    assert ents(doc) == [("中共中央书记处", "ORG")]


@pytest.mark.parametrize("text, place", [
    ("廊坊是城乡结合部，民俗传统浓郁。", "廊坊"),  # 是: a clause, not a name
    ("盘锦市改革了中小学考试制度。", "盘锦市"),  # 了
    ("喀布尔城西有个孤儿院。", "喀布尔"),  # 有 as a word of its own (有限公司 is one word)
    ("这是中国第一部关于火花的专著。", "中国"),  # 部 after a number is a classifier
    ("作者在苏联解体前所写的见闻。", "苏联"),  # 所 on its own is a particle
])
def test_an_extension_does_not_turn_a_clause_into_an_organisation(text, place):
    doc = doc_with(text, [(place, "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [(place, "LOC")]


def test_a_company_name_still_runs_through_its_legal_form():
    doc = doc_with("包头市宏达稀土有限公司发布公告。", [("包头市", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("包头市宏达稀土有限公司", "ORG")]


def test_a_bracketed_note_does_not_join_the_organisation_after_it():
    text = "产生积极深远影响（附图片１张）新华社北京１１月９日电"
    doc = doc_with(text, [("新华社", "ORG"), ("北京", "LOC")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("新华社", "ORG"), ("北京", "LOC")]
    text = "为农民服务新华社北京１月３日电（记者王黎）中宣部在日前召开座谈会。"
    doc = doc_with(text, [("新华社", "ORG"), ("北京", "LOC"), ("王黎", "PER"), ("中宣部", "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [("新华社", "ORG"), ("北京", "LOC"), ("王黎", "PER"), ("中宣部", "ORG")]


@pytest.mark.parametrize("name", ["“幸福工程”组委会", "《星报》编辑部"])
def test_a_name_keeps_the_quotes_it_opens_and_closes(name):
    doc = doc_with(f"他找到了{name}，要求曝光。", [(name, "ORG")])
    extend_place_to_organisation(doc)
    assert ents(doc) == [(name, "ORG")]


def test_in_msras_convention_places_and_facilities_are_not_made_organisations():
    for convention, expected in (("", [("中国政府", "ORG"), ("毕加索博物馆", "ORG")]),
                                 ("msra", [("中国", "LOC"), ("毕加索博物馆", "LOC")])):
        doc = doc_with("中国政府代表团参观了毕加索博物馆。", [("中国", "LOC"), ("毕加索博物馆", "LOC")])
        postprocess_entities(doc, convention)
        assert ents(doc) == expected, convention


@pytest.mark.parametrize(("name", "short"), [
    ("天津合生生物科技有限公司", "合生生物"),  # place, trade word, legal form
    ("才匠智能（内蒙古）科技有限公司", "才匠智能"),  # a bracketed place
    ("内蒙古鑫环硅能科技有限公司", "鑫环硅能"),
    ("金山热电公司", "金山热电"),
    ("包钢集团", None),  # no legal form: kg.link's suffix rule links 包钢 already
    ("内蒙古公司", None),  # nothing left but the place
    ("通辽一牧业公司", None),  # a count, not a name
    ("中国人民银行", None),
])
def test_a_companys_short_form_drops_its_place_trade_word_and_legal_form(name, short):
    assert company_short_form(name) == short


def test_a_company_named_in_full_is_found_again_by_its_short_form_later_in_the_document():
    first = doc_with("天津合生生物科技有限公司董事长刘斌介绍。", [("天津合生生物科技有限公司", "ORG"), ("刘斌", "PER")])
    later = doc_with("合生生物母乳低聚糖研发项目开工，合生生物的员工说。", [])
    elsewhere = doc_with("合生生物学是一门学科。", [])  # not at a word boundary: left alone
    tag_company_short_forms([first, later, elsewhere])
    assert ents(later) == [("合生生物", "ORG"), ("合生生物", "ORG")]
    assert ents(first) == [("天津合生生物科技有限公司", "ORG"), ("刘斌", "PER")]
    assert segmenter_word_lengths(elsewhere).get(4) != 4 and ents(elsewhere) == []


@pytest.mark.parametrize(("name", "forms"), [
    ("金宇保灵生物药品有限公司", ("金宇保灵生物药品", "金宇保灵")),  # the brand drops every trade word
    ("天津合生生物科技有限公司", ("合生生物",)),  # a two-character brand (合生) is too short to look for
    ("包头天和磁材科技股份有限公司", ("天和磁材",)),
    ("中国人民银行", ()),
])
def test_a_companys_short_forms_include_its_brand(name, forms):
    assert company_short_forms(name) == forms


def test_a_brand_the_model_read_as_a_person_is_the_company_named_in_full():
    first = doc_with("金宇保灵生物药品有限公司研发实验室内。", [("金宇保灵生物药品有限公司", "ORG")])
    later = doc_with("金宇保灵总经理赵丽霞说。", [("金宇保灵", "PER"), ("赵丽霞", "PER")])
    cut = doc_with("金宇保灵总经理说。", [("金宇保", "PER")])
    tag_company_short_forms([first, later, cut])
    assert ents(later) == [("金宇保灵", "ORG"), ("赵丽霞", "PER")]  # exactly the brand's span: the company
    assert ents(cut) == [("金宇保", "PER")]  # a span cut inside it is left as the model read it


def test_a_person_read_with_the_adverb_after_the_name_is_the_person_the_document_names():
    first = doc_with("语文教师苏都正伏案打磨教学设计。", [("苏都正", "PER")])
    later = doc_with("“提高学生学习的积极性。”苏都说。", [("苏都", "PER")])
    name = doc_with("王建正说，王建都同意。", [("王建正", "PER"), ("王建都", "PER")])  # no 王建 found: names
    trim_people_adverbs([first, later])
    trim_people_adverbs([name])
    assert ents(first) == [("苏都", "PER")] and ents(later) == [("苏都", "PER")]
    assert ents(name) == [("王建正", "PER"), ("王建都", "PER")]
    alone = doc_with("苏都正伏案打磨教学设计。", [("苏都正", "PER")])
    trim_people_adverbs([alone])  # the shorter name only counts in the same document
    assert ents(alone) == [("苏都正", "PER")]


def test_short_forms_do_not_cross_documents():
    docs = [repair(RawPage(f"p{i}", f"p{i}", text)) for i, text in enumerate(
        ["天津合生生物科技有限公司董事长刘斌介绍。\n\n合生生物母乳低聚糖研发项目开工。", "合生生物母乳低聚糖研发项目开工。"])]
    full, other = Recognizer().pipe(docs)
    assert ("合生生物", "ORG") in [(m.text, m.label) for m in full]
    assert "合生生物" not in [m.text for m in other if m.label == "ORG"]


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
    doc = doc_with(text, spans)
    complete_brandless_companies(doc)
    assert ents(doc) == expected


@pytest.mark.parametrize(("text", "found"), [
    ("为此成立了信息技术有限公司。", "信息技术有限公司"),  # a one-character word: no brand before it
    ("他们成立信息技术有限公司。", "信息技术有限公司"),  # a predicate verb is not a brand
    ("包头市信息技术有限公司", "信息技术有限公司"),  # another entity right before it: left as found
    ("，科技有限公司", "科技有限公司"),  # punctuation
])
def test_a_brandless_company_does_not_grow_over_what_is_not_a_brand(text, found):
    spans = [("包头市", "LOC"), (found, "ORG")] if "包头市" in text else [(found, "ORG")]
    doc = doc_with(text, spans)
    complete_brandless_companies(doc)
    assert (found, "ORG") in ents(doc)


def test_a_person_span_ending_in_a_character_no_person_ends_with_takes_that_characters_label():
    doc = doc_with("福元铌矿位于白云鄂博。", [("福元铌矿", "PER")])  # a mine read as a person
    relabel_misshapen_people(doc)
    assert ents(doc) == [("福元铌矿", "ORG")]
    doc = doc_with("李长江说。", [("李长江", "PER")])  # 江 ends people's names too
    relabel_misshapen_people(doc)
    assert ents(doc) == [("李长江", "PER")]


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
    doc = doc_with(text, spans)
    drop_people_listed_among_things(doc)
    assert ents(doc) == expected
