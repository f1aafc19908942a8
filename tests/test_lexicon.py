"""The NER's word lexicon: built from a jieba-format dictionary, matched against text, and
carried by the tokenizer as each character's MORPH."""
from __future__ import annotations

import pytest
import spacy

import kg.zh_tokenizer  # noqa: F401
from kg.lexicon import Lexicon, build_entries, write_lexicon
from kg.training_corpus import predicted_doc
from kg.zh_tokenizer import reverse_doc

JIEBA = "呼和浩特 120 ns\n呼和浩特市 30 ns\n段志强 3 nr\n人大常委会 40 nt\n人大 200 j\n常委 50 n\n的 9000 uj\n美 300 ns\n"


@pytest.fixture()
def lexicon_file(tmp_path):
    jieba_dict = tmp_path / "dict.txt"
    jieba_dict.write_text(JIEBA, encoding="utf-8")
    places = tmp_path / "places.tsv"
    places.write_text("name\tshort\tlevel\tparent\tcapital\n包头市\t包头\tcity\t内蒙古自治区\t\n", encoding="utf-8")
    return write_lexicon(build_entries(jieba_dict, places), tmp_path / "lexicon.tsv")


def test_build_reduces_tags_to_classes_and_adds_places(lexicon_file):
    entries = dict(line.split("\t") for line in lexicon_file.read_text(encoding="utf-8").splitlines())
    assert entries["呼和浩特"] == "LOC"
    assert entries["段志强"] == "PER"
    assert entries["人大常委会"] == "ORG"
    assert entries["人大"] == "ABBR"
    assert entries["常委"] == "W"
    assert entries["美"] == "LOC"  # a one-character word keeps an entity class
    assert "的" not in entries  # and nothing else
    assert entries["包头市"] == "LOC" and entries["包头"] == "LOC"


def test_matches_every_word_including_overlaps(lexicon_file):
    lexicon = Lexicon.read(lexicon_file)
    found = {(s, e, c) for s, e, c in lexicon.matches("呼和浩特市人大常委会")}
    assert found == {(0, 4, "LOC"), (0, 5, "LOC"), (5, 7, "ABBR"), (5, 10, "ORG"), (7, 9, "W")}


def test_features_say_which_words_begin_continue_and_end_at_each_character(lexicon_file):
    lexicon = Lexicon.read(lexicon_file)
    assert lexicon.features("段志强的美") == ["B=PER", "M=PER", "E=PER", "", "S=LOC"]
    feats = lexicon.features("呼和浩特市")
    assert feats[0] == "B=LOC" and feats[3] == "E=LOC|M=LOC" and feats[4] == "E=LOC"


def test_bad_lexicon_line_names_the_file(tmp_path):
    bad = tmp_path / "lexicon.tsv"
    bad.write_text("呼和浩特 LOC\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lexicon\.tsv:1"):
        Lexicon.read(bad)
    with pytest.raises(FileNotFoundError, match="kg train lexicon"):
        Lexicon.read(tmp_path / "missing.tsv")


def test_tokenizer_carries_the_lexicon_as_morph_through_reversal_and_training_copies(lexicon_file):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1",
                                                          "lexicon": str(lexicon_file)}}})
    doc = nlp("段志强在呼和浩特市")
    assert [str(t.morph) for t in doc][:3] == ["B=PER", "M=PER", "E=PER"]
    assert str(doc[3].morph) == ""
    rev = reverse_doc(doc)
    assert [str(t.morph) for t in rev] == [str(t.morph) for t in reversed(doc)]
    copy = predicted_doc(rev)
    assert [(t.norm_, t.tag_, t.lemma_, str(t.morph)) for t in copy] == \
        [(t.norm_, t.tag_, t.lemma_, str(t.morph)) for t in rev]
    # the setting survives serialisation
    assert nlp.tokenizer.from_bytes(nlp.tokenizer.to_bytes()).lexicon == str(lexicon_file)


def test_without_a_lexicon_morph_is_empty():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1"}}})
    assert all(str(t.morph) == "" for t in nlp("段志强在呼和浩特市"))
