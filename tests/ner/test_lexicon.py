"""The NER's word lexicon: built from a jieba-format dictionary, matched against text, and
carried by the tokenizer as each character's MORPH."""
from __future__ import annotations

import pytest

from kg.errors import ModelError
import spacy

from kg.ner.lexicon import NAME_MAX_LENGTH, Lexicon, write_lexicon
from kg.training.lexicon import build_entries, name_folds, names_entries
from kg.training.corpus import predicted_doc
from kg.ner.tokenizer import reverse_doc

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
    with pytest.raises(ModelError, match=r"lexicon\.tsv:1"):
        Lexicon.read(bad)
    with pytest.raises(ModelError, match="kg train lexicon"):
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


# -- the names lexicon: the training sentences' own entities ---------------------------------

NAMED = [
    ("国务院总理李鹏在北京会见中国人民银行行长", [(0, 3, "ORG"), (5, 7, "PER"), (8, 10, "LOC"), (12, 18, "ORG")]),
    ("李鹏说，中国人民银行要稳健", [(0, 2, "PER"), (4, 10, "ORG")]),
    ("北京的中国", [(0, 2, "LOC"), (3, 4, "LOC")]),  # one character: left out
]


def test_names_entries_hold_each_annotated_name_with_its_labels():
    entries = names_entries(NAMED + [("北京队赢了", [(0, 2, "ORG"), (2, 3, "MISSING")])])
    assert entries == {"中国人民银行": "ORG", "北京": "LOC,ORG", "国务院": "ORG", "李鹏": "PER"}


def test_name_folds_give_each_fold_the_names_of_the_others_only():
    examples = [(f"{name}来了", [(0, 2, "PER")]) for name in ("张三", "李四", "王五", "赵六", "钱七", "孙八")]
    folds = name_folds(examples, folds=3)
    for k, lexicon in enumerate(folds):
        own = {examples[i][0][:2] for i in range(len(examples)) if i % 3 == k}
        others = {examples[i][0][:2] for i in range(len(examples)) if i % 3 != k}
        assert set(lexicon.entries()) == others and not own & set(lexicon.entries())


def test_names_go_into_morph_under_their_own_keys_and_are_embedded_apart(lexicon_file):
    from spacy.strings import get_string_id

    from kg.ner.embedding import NamesFeatureExtractor

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1",
                                                          "lexicon": str(lexicon_file)}}})
    nlp.tokenizer.names = Lexicon(names_entries(NAMED), NAME_MAX_LENGTH)
    doc = nlp("段志强在中国人民银行")
    assert str(doc[0].morph) == "B=PER" and str(doc[4].morph) == "NB=ORG" and str(doc[9].morph) == "NE=ORG"
    features = NamesFeatureExtractor(["ORTH", "MORPH", "NAMES"]).predict([doc])[0]
    assert features[0, 1] == get_string_id("B=PER") and features[0, 2] == 0  # the word lexicon's part alone
    assert features[4, 1] == 0 and features[4, 2] == get_string_id("NB=ORG")  # the names lexicon's alone
    with pytest.raises(ValueError, match="MORPH"):
        NamesFeatureExtractor(["ORTH", "NAMES"])


def test_a_model_keeps_its_names_lexicon_in_its_tokenizer_folder(tmp_path):
    names = write_lexicon(names_entries(NAMED), tmp_path / "names.tsv")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1", "names": str(names)}}})
    before = [str(t.morph) for t in nlp("李鹏在中国人民银行")]
    nlp.to_disk(tmp_path / "model")
    names.unlink()  # the model no longer needs the training folder's file
    assert (tmp_path / "model" / "tokenizer" / "names.tsv").exists()
    loaded = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1"}}})
    loaded.tokenizer.from_disk(tmp_path / "model" / "tokenizer")
    assert [str(t.morph) for t in loaded("李鹏在中国人民银行")] == before
    assert before[0] == "NB=PER"
    copy = nlp.tokenizer.from_bytes(loaded.tokenizer.to_bytes())
    assert [str(t.morph) for t in copy("李鹏在中国人民银行")] == before
    (tmp_path / "model" / "tokenizer" / "names.tsv").unlink()
    with pytest.raises(ModelError, match="names.tsv"):
        loaded.tokenizer.from_disk(tmp_path / "model" / "tokenizer")


def test_a_name_mostly_printed_as_a_common_word_is_left_out_with_min_share():
    examples = [("民生银行简称民生。", [(6, 8, "ORG")]),
                ("保障和改善民生，办好民生实事。", []),
                ("包头市在内蒙古。", [(0, 3, "LOC"), (4, 7, "LOC")]),
                ("包头是座城市。", [(0, 2, "LOC")])]
    assert "民生" in names_entries(examples)
    kept = names_entries(examples, min_share=0.5)
    assert "民生" not in kept  # annotated once, printed three times
    # 包头 inside the annotated 包头市 is part of that name, not an occurrence of its own
    assert kept["包头"] == "LOC" and kept["包头市"] == "LOC"


def test_matching_a_batch_with_numpy_finds_what_matching_text_by_text_finds(lexicon_file):
    lexicon = Lexicon.read(lexicon_file)
    texts = ["呼和浩特市人大常委会", "段志强的美", "", "呼", "包头市\0呼和浩特", "人大常委", "𠀀呼和浩特市美"]
    batched = lexicon.fields_many(texts)
    assert [f.tolist() for f in batched] == [lexicon.fields(t) for t in texts]
    assert any(f.any() for f in batched)
    short = Lexicon(Lexicon.read(lexicon_file).entries(), max_length=4)  # 呼和浩特市 is past the longest word
    assert [f.tolist() for f in short.fields_many(texts)] == [short.fields(t) for t in texts]
    assert short.fields("呼和浩特市") != lexicon.fields("呼和浩特市")


def test_the_tokenizer_matches_its_lexicon_alike_in_batches_and_text_by_text(lexicon_file):
    from kg.ner.tokenizer import FEATURES

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1",
                                                          "lexicon": str(lexicon_file)}}})
    texts = ["呼和浩特市人大常委会段志强", "包头 市的美", "", "  呼和浩特\n"]
    batched = list(nlp.tokenizer.pipe(texts, batch_size=3))
    one_by_one = [nlp.tokenizer(t) for t in texts]
    assert [d.to_array(FEATURES).tolist() for d in batched] == [d.to_array(FEATURES).tolist() for d in one_by_one]
    assert [[t.morph for t in d] for d in batched] == [[t.morph for t in d] for d in one_by_one]
    assert str(batched[0][0].morph) == "B=LOC"
