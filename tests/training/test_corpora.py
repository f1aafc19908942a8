"""Corpus readers on small inline samples in each corpus's real format."""
from __future__ import annotations

import json

from kg.training import corpora

PD_LINE = ("19980101-01-001-006/m  通过/p  [中央/n  人民/n  广播/vn  电台/n]nt  、/w  [香港/ns  特别/a  行政区/n]ns  "
           "同胞/n  ，/w  国家/n  主席/n  江/nr  泽民/nr  访问/v  北京/ns  。/w  ")
MSRA = "中\tB-ORG\n共\tI-ORG\n中\tI-ORG\n央\tI-ORG\n致\tO\n\n江\tB-PER\n泽\tI-PER\n民\tI-PER\n\n"


def test_peoples_daily_words_keep_compound_parts_and_join_names(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_bytes((PD_LINE + "\r\n\r\n").encode("gbk"))
    (words,) = list(corpora.peoples_daily_words(path))
    assert words[:5] == ["通过", "中央", "人民", "广播", "电台"]
    assert "江泽民" in words and "江" not in words


def test_peoples_daily_entities_use_outer_compound_tags(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_bytes(PD_LINE.encode("gbk"))
    ((text, spans),) = list(corpora.peoples_daily_entities(path))
    found = [(text[s:e], label) for s, e, label in spans]
    assert found == [("中央人民广播电台", "ORG"), ("香港特别行政区", "LOC"), ("江泽民", "PER"), ("北京", "LOC")]


LIST_LINE = ("19980121-01-004-001/m  党中央/nt  关心/v  西藏/ns  ，/w  江/nr  泽民/nr  李/nr  鹏/nr  乔/nr  石/nr  "
             "欧阳/nr  修/nr  指示/v  ，/w  会见/v  桥本/nr  龙太郎/nr  。/w  ")


def test_a_list_of_people_printed_without_separators_stays_a_list(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_bytes(LIST_LINE.encode("gbk"))
    ((text, spans),) = list(corpora.peoples_daily_entities(path))
    people = [text[s:e] for s, e, label in spans if label == "PER"]
    assert people == ["江泽民", "李鹏", "乔石", "欧阳修", "桥本龙太郎"]
    (words,) = list(corpora.peoples_daily_words(path))
    assert words[4:8] == ["江泽民", "李鹏", "乔石", "欧阳修"]


def test_person_groups():
    assert corpora.person_groups(["李", "鹏", "乔", "石", "朱", "镕基"]) == [2, 2, 2]
    assert corpora.person_groups(["帕巴拉·格列朗杰", "王", "光英"]) == [1, 2]
    assert corpora.person_groups(["桥本", "龙太郎"]) == [2]
    assert corpora.person_groups(["克林顿"]) == [1]


def test_msra_bio(tmp_path):
    path = tmp_path / "msra"
    path.write_text(MSRA, encoding="utf-8")
    assert list(corpora.msra_bio(path)) == [("中共中央致", [(0, 4, "ORG")]), ("江泽民", [(0, 3, "PER")])]


def test_cluener_maps_types_and_inclusive_ends(tmp_path):
    path = tmp_path / "c.json"
    row = {"text": "浙商银行企业信贷部叶老桂博士", "label": {"name": {"叶老桂": [[9, 11]]}, "company": {"浙商银行": [[0, 3]]},
                                                  "position": {"博士": [[12, 13]]}}}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    ((text, spans),) = list(corpora.cluener(path))
    assert [(text[s:e], label) for s, e, label in spans] == [("浙商银行", "ORG"), ("叶老桂", "PER")]


def test_bio_to_spans_handles_label_change_without_b():
    assert corpora.bio_to_spans(["B-LOC", "I-LOC", "I-ORG", "O"]) == [(0, 2, "LOC"), (2, 3, "ORG")]


def test_predicate_verbs_are_plain_verbs_not_verbal_nouns(tmp_path):
    path = tmp_path / "199801.txt"
    lines = [f"19980101-01-001-{i:03d}/m  市里/s  成立/v  了/u  管理/v  委员会/n" for i in range(4)]
    lines += [f"19980101-01-002-{i:03d}/m  加强/vn  管理/vn  成立/v" for i in range(4)]
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    # 成立: 8 of 8 plain verb; 管理: 4 of 8 (verbal noun as often); 了 is one character
    assert corpora.peoples_daily_predicate_verbs(path, min_count=5) == ["成立"]


def test_clause_words_are_adverbs_and_mostly_verbs(tmp_path):
    path = tmp_path / "199801.txt"
    lines = [f"19980101-01-001-{i:03d}/m  法院/n  坚决/ad  支持/v  保护/v  工作/vn" for i in range(5)]
    lines += [f"19980101-01-002-{i:03d}/m  支持/vn  保护/vn  委员会/n" for i in range(2)]
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    # 坚决: 5 of 5 adverb; 支持 5 of 7 plain verb (over 2/3); 保护 likewise; 工作 a verbal noun
    assert corpora.peoples_daily_clause_words(path, min_count=5) == ["保护", "坚决", "支持"]
    assert corpora.peoples_daily_clause_words(path, min_count=5, verb_share=0.75) == ["坚决"]


HARMONISE_LINE = ("19980101-01-001-007/m  中/j  美/j  关系/n  ，/w  外交部/n  发言人/n  谈/v  十五大/j  和/c  "
                  "邓小平理论/n  ，/w  [中国/ns  人民/n  政治/n  协商/vn  会议/n]nz  在/p  [中共/j  中央/n]nt  。/w  ")


def test_people_daily_leaves_what_it_does_not_classify_unannotated(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_bytes(HARMONISE_LINE.encode("gbk"))
    lexicon = {"外交部": "ORG", "十五大": "ORG", "邓小平": "PER"}
    ((text, spans),) = list(corpora.peoples_daily_entities(path, entity_words=lexicon))
    found = [(text[s:e], label) for s, e, label in spans]
    missing = corpora.MISSING
    # nz compounds say nothing about entity-hood; 外交部/n and 十五大/j are MSRA entity words; a j
    # inside a tagged compound stays part of it; 中/j 美/j stay O (our pages' convention)
    assert found == [("外交部", missing), ("十五大", missing), ("邓小平", "PER"),
                     ("中国人民政治协商会议", missing), ("中共中央", "ORG")]
    ((_, every_j),) = list(corpora.peoples_daily_entities(path, abbreviations_unannotated=True))
    assert [(text[s:e], label) for s, e, label in every_j][:3] == [("中", missing), ("美", missing), ("十五大", missing)]
    ((_, plain),) = list(corpora.peoples_daily_entities(path))
    assert ("邓小平", "PER") not in [(text[s:e], label) for s, e, label in plain]
    assert (text.index("外交部"), text.index("外交部") + 3, missing) not in plain


def test_entity_lexicon_keeps_words_mostly_tagged():
    examples = [("两岸关系", [(0, 2, "LOC")]), ("两岸关系", [(0, 2, "LOC")]), ("河两岸", []),
                ("外交部说", [(0, 3, "ORG")]), ("外交部长", [(0, 3, "ORG")]), ("外交部", [(0, 3, "ORG")]),
                ("中美", [(0, 1, "LOC")])]
    # 两岸: tagged 2 of 3 times, below min_tagged=3; 外交部 3 of 3; one character never
    assert corpora.entity_lexicon(examples) == {"外交部": "ORG"}
    assert corpora.entity_lexicon(examples, min_tagged=2) == {"两岸": "LOC", "外交部": "ORG"}
    assert corpora.entity_lexicon(examples, min_tagged=2, min_share=0.7) == {"外交部": "ORG"}


def test_mark_unannotated_entities_longest_first_and_never_over_a_tag():
    examples = [("外交部长访问北京", [(6, 8, "LOC")])]
    lexicon = {"外交部": "ORG", "外交": "ORG", "北京": "LOC", "访问北": "LOC"}
    ((_, spans),) = list(corpora.mark_unannotated_entities(examples, lexicon))
    assert spans == [(0, 3, corpora.MISSING), (6, 8, "LOC")]


def test_non_person_endings_are_characters_that_end_places_and_organisations_but_no_person():
    examples = [("福山铁矿", [(0, 4, "ORG")])] * 3 + [("李山", [(0, 2, "PER")]), ("泰山", [(0, 2, "LOC")]) * 1] \
        + [("和林县", [(0, 3, "LOC")])] * 2 + [("公安局", [(0, 3, "ORG")])] * 2 + [("和林县", [(0, 3, "LOC")])]
    table = corpora.non_person_endings(examples, min_names=3)
    assert table == {"矿": ("ORG", 0, 3), "县": ("LOC", 3, 0)}  # 山 ends a person; 局 too few
