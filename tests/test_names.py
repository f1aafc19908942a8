"""kg.names and ``kg build --names``: names users add, on sentences and files written for the tests."""
from __future__ import annotations

import json

import pytest

from kg.cli import main
from kg.errors import InputError
from kg.ingest import repair
from kg.names import UserNames, read_names_file, user_name_mentions
from kg.schema import Mention, RawPage


def names_file(tmp_path, text: str, name: str = "names.tsv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def document(text: str):
    return repair(RawPage("t.txt", "t.txt", text))


def segmented_as(*words: str):
    """A ``words`` function that segments every paragraph with ``words`` (which must spell it)."""
    return lambda texts: [list(words) for _ in texts]


def spans(mentions) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in mentions]


# -- reading a names file ------------------------------------------------------------------

def test_a_names_file_reads_names_labels_and_canonical_names(tmp_path):
    path = names_file(tmp_path, "# my names\n\n华为\tORG\t华为技术有限公司\n可可托海\tloc\n  # indented comment\n张三\tPER\t\n")
    assert [(n.name, n.label, n.canonical) for n in read_names_file(path)] == [
        ("华为", "ORG", "华为技术有限公司"), ("可可托海", "LOC", None), ("张三", "PER", None)]
    assert UserNames([path]).aliases() == [("华为", "华为技术有限公司", "ORG")]


@pytest.mark.parametrize("text, line, problem", [
    ("华为\tCOMPANY\n", 1, "unknown label 'COMPANY'"),
    ("# comment\n华为\n", 2, "missing the label column"),
    ("华为 ORG\n", 1, "columns are separated by tabs"),
    ("华为\t\n", 1, "missing the label column"),
    ("\tORG\n", 1, "empty name"),
    ("华为\tORG\ta\tb\n", 1, "4 columns, at most 3"),
    ("华为\tORG\n\n华为\tLOC\n", 3, "'华为' is LOC here but ORG at"),
    ("华为\tORG\t华为技术有限公司\n华为\tORG\t华为公司\n", 2, "canonical name 华为公司 here but 华为技术有限公司"),
])
def test_a_bad_names_file_names_the_file_line_and_problem(tmp_path, text, line, problem):
    path = names_file(tmp_path, text)
    with pytest.raises(InputError) as err:
        UserNames([path])
    assert f"{path}:{line}: " in str(err.value) and problem in str(err.value)


def test_a_name_repeated_alike_is_one_name_and_a_clash_across_files_names_both(tmp_path):
    first = names_file(tmp_path, "华为\tORG\n华为\tORG\n", "a.tsv")
    assert len(UserNames([first])) == 1
    second = names_file(tmp_path, "华为\tPER\n", "b.tsv")
    with pytest.raises(InputError, match=f"{second}:1: .* at {first}:1"):
        UserNames([first, second])


def test_a_names_file_that_is_not_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_bytes("华为\tORG\n".encode("gb18030"))
    with pytest.raises(InputError, match=f"{path}:1: not UTF-8"):
        UserNames([path])


# -- matching, with a given segmentation ------------------------------------------------------

def test_a_name_is_tagged_at_word_boundaries_only(tmp_path):
    names = UserNames([names_file(tmp_path, "京大\tORG\n北京\tLOC\n")])
    doc = document("他在北京大学读书。")
    found = user_name_mentions(doc, [], names, segmented_as("他", "在", "北京", "大学", "读书", "。"))
    assert spans(found) == [("北京", "LOC")]  # 京大 would cut 北京 and 大学


def test_the_longest_user_name_wins_then_the_earliest(tmp_path):
    names = UserNames([names_file(tmp_path, "北京\tLOC\n北京大学\tORG\n大学医学部\tORG\n")])
    doc = document("北京大学医学部")
    found = user_name_mentions(doc, [], names, segmented_as("北京", "大学", "医学部"))
    assert spans(found) == [("北京", "LOC"), ("大学医学部", "ORG")]  # 大学医学部 first, over 北京大学 it crosses
    names = UserNames([names_file(tmp_path, "北京\tLOC\n北京大学\tORG\n北京大学医学部\tORG\n", "b.tsv")])
    assert spans(user_name_mentions(doc, [], names, segmented_as("北京", "大学", "医学部"))) == [("北京大学医学部", "ORG")]


def test_a_user_name_replaces_ner_spans_it_covers_or_crosses_but_not_one_containing_it(tmp_path):
    doc = document("呼和浩特白塔机场航班正常。")
    words = segmented_as("呼和浩特", "白塔", "机场", "航班", "正常", "。")
    airport = Mention(doc.id, 0, 8, "呼和浩特白塔机场", "LOC", 0)
    city = Mention(doc.id, 0, 4, "呼和浩特", "LOC", 0)
    inside = UserNames([names_file(tmp_path, "白塔机场\tORG\n", "inside.tsv")])
    assert user_name_mentions(doc, [airport], inside, words) == [airport]  # the NER's longer span stays
    covering = UserNames([names_file(tmp_path, "呼和浩特白塔机场\tORG\n", "covering.tsv")])
    assert spans(user_name_mentions(doc, [city], covering, words)) == [("呼和浩特白塔机场", "ORG")]
    same = UserNames([names_file(tmp_path, "呼和浩特白塔机场\tORG\n", "same.tsv")])
    assert spans(user_name_mentions(doc, [airport], same, words)) == [("呼和浩特白塔机场", "ORG")]  # the user's label
    crossing = UserNames([names_file(tmp_path, "白塔机场航班\tORG\n", "crossing.tsv")])
    assert spans(user_name_mentions(doc, [airport], crossing, words)) == [("白塔机场航班", "ORG")]


def test_without_a_match_the_mentions_are_the_same_list(tmp_path):
    names = UserNames([names_file(tmp_path, "华为\tORG\n")])
    doc = document("他在北京大学读书。")
    mentions = [Mention(doc.id, 2, 6, "北京大学", "ORG", 0)]
    assert user_name_mentions(doc, mentions, names, segmented_as("unused")) is mentions


def test_thousands_of_names_compile_and_match_longest_first(tmp_path):
    lines = [f"{a}{b}\tPER" for a in "王李张刘陈杨赵黄周吴" for b in "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞"]
    lines += [f"城{i}\tLOC" for i in range(5000)]
    names = UserNames([names_file(tmp_path, "\n".join(lines) + "\n")])
    assert len(names) == 5200
    doc = document("王伟到城1234视察。")
    found = user_name_mentions(doc, [], names, segmented_as("王伟", "到", "城", "12", "34", "视察", "。"))
    assert spans(found) == [("王伟", "PER"), ("城1234", "LOC")]


# -- the model's words and kg build --names ------------------------------------------------------

@pytest.fixture(scope="module")
def recognizer():
    from kg.ner import Recognizer

    return Recognizer()


@pytest.mark.parametrize("text, names, expected", [
    ("华为发布了新款手机。", "华为\tORG\n", [("华为", "ORG")]),  # the NER finds no organisation here
    ("他在北京大学读书。", "京大\tORG\n", [("北京大学", "ORG")]),  # 京大 would cut 北京|大学
    ("华为技术有限公司发布了新款手机。", "华为\tORG\n", [("华为技术有限公司", "ORG")]),  # the NER's longer name stays
    ("大家在可可托海过冬。", "可可托海\tLOC\n", [("可可托海", "LOC")]),
])
def test_names_over_the_recognizer(recognizer, tmp_path, text, names, expected):
    doc = document(text)
    found = user_name_mentions(doc, recognizer(doc), UserNames([names_file(tmp_path, names)]), recognizer.words)
    assert spans(found) == expected


def test_the_recognizer_reads_no_organisation_in_the_first_example(recognizer):
    doc = document("华为发布了新款手机。")
    assert not [m for m in recognizer(doc) if m.label == "ORG"]


def test_kg_build_names_links_a_name_to_its_canonical_name(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("华为技术有限公司在深圳成立。\n\n华为发布了新款手机。\n", encoding="utf-8")
    names = names_file(tmp_path, "# name\tlabel\tcanonical\n华为\tORG\t华为技术有限公司\n")
    out = tmp_path / "out"
    assert main(["build", str(pages), "--out", str(out), "-q", "--names", str(names)]) == 0
    mentions = [json.loads(line) for line in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {m["text"]: m["entity"] for m in mentions if m["label"] == "ORG"} == {
        "华为技术有限公司": "ORG:华为技术有限公司", "华为": "ORG:华为技术有限公司"}
    entities = {e["id"]: e for e in map(json.loads, (out / "entities.jsonl").read_text(encoding="utf-8").splitlines())}
    assert entities["ORG:华为技术有限公司"]["mention_count"] == 2


@pytest.mark.parametrize("text, line", [("华为\tFIRM\n", 1), ("# ok\n华为\tORG\n华为\tPER\n", 3), ("华为\n", 1)])
def test_kg_build_with_a_bad_names_file_exits_2_naming_file_and_line_before_any_work(tmp_path, capsys, text, line):
    names = names_file(tmp_path, text)
    out = tmp_path / "out"
    assert main(["build", "missing-folder/", "--out", str(out), "-q", "--names", str(names)]) == 2
    assert f"kg: error: {names}:{line}: " in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_names_file_exits_2(tmp_path, capsys):
    missing = tmp_path / "nope.tsv"
    assert main(["build", "seeds/", "--out", str(tmp_path / "out"), "-q", "--names", str(missing)]) == 2
    assert f"{missing}: cannot read the names file" in capsys.readouterr().err
