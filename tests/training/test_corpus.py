"""The featured-DocBin reader: examples rebuilt from stored tokenizer features match what the
tokenizer produces, and gold entities stay on the reference side only."""
from __future__ import annotations

import json

import pytest
import spacy

from kg.training.corpora import MISSING
from kg.training.train import featured_tokenizer, write_docbin
from kg.training.corpus import featured_corpus

EXAMPLES = [
    ("国家发改委主任在包头市调研。", [(0, 5, "ORG"), (8, 11, "LOC")]),
    ("记者３月采访了段志强。", [(7, 10, "PER")]),
]


def test_featured_docbin_round_trip(tmp_path):
    nlp = featured_tokenizer()
    stats = write_docbin(nlp, EXAMPLES, tmp_path / "train.spacy")
    assert stats == {"entities": 3, "misaligned": 0, "missing": 0, "docs": 2}
    read = featured_corpus(tmp_path / "train.spacy")
    examples = list(read(spacy.blank("zh")))
    assert len(examples) == 2
    for example, (text, spans) in zip(examples, EXAMPLES):
        fresh = nlp(text)
        assert example.predicted.text == text
        assert [(t.norm_, t.tag_, t.lemma_) for t in example.predicted] == [(t.norm_, t.tag_, t.lemma_) for t in fresh]
        assert list(example.predicted.ents) == []
        assert [(e.start_char, e.end_char, e.label_) for e in example.reference.ents] == spans


def test_reader_limit(tmp_path):
    write_docbin(featured_tokenizer(), EXAMPLES, tmp_path / "train.spacy")
    assert len(list(featured_corpus(tmp_path / "train.spacy", limit=1)(spacy.blank("zh")))) == 1


def test_config_names_the_reader():
    from spacy.util import load_config

    from kg.training.train import CONFIGS

    config = load_config(CONFIGS / "ner.cfg")
    assert config["corpora"]["train"]["@readers"] == "kg.featured_corpus.v1"
    assert "LEMMA" in config["components"]["tok2vec"]["model"]["embed"]["attrs"]


def test_missing_spans_are_neither_entity_nor_outside(tmp_path):
    examples = [("中美关系和外交部", [(0, 1, MISSING), (1, 2, MISSING), (5, 8, "ORG")])]
    stats = write_docbin(featured_tokenizer(), examples, tmp_path / "train.spacy")
    assert stats == {"entities": 1, "misaligned": 0, "missing": 2, "docs": 1}
    (example,) = featured_corpus(tmp_path / "train.spacy")(spacy.blank("zh"))
    iob = [t.ent_iob_ for t in example.reference]
    assert iob == ["", "", "O", "O", "O", "B", "I", "I"]


def test_reversed_examples_match_the_reversing_tokenizer(tmp_path):
    examples = [("中美关系和外交部", [(0, 1, MISSING), (1, 2, MISSING), (5, 8, "ORG")]), *EXAMPLES]
    nlp = featured_tokenizer()
    write_docbin(nlp, examples, tmp_path / "train.spacy")
    reversing = featured_tokenizer()
    reversing.tokenizer.reverse = True
    read = featured_corpus(tmp_path / "train.spacy", reverse=True)
    for example, (text, _) in zip(read(spacy.blank("zh")), examples):
        fresh = reversing(text)
        assert example.predicted.text == text[::-1] == fresh.text
        assert [(t.norm_, t.tag_, t.lemma_) for t in example.predicted] == [(t.norm_, t.tag_, t.lemma_) for t in fresh]
    (first, *_) = read(spacy.blank("zh"))
    # entities and unannotated tokens reversed with the text: 部交外 is the ORG, 美 and 中 stay missing
    assert [t.ent_iob_ for t in first.reference] == ["B", "I", "I", "O", "O", "O", "", ""]
    assert [(e.text, e.label_) for e in first.reference.ents] == [("部交外", "ORG")]


def test_each_example_can_carry_its_sources_convention(tmp_path):
    nlp = featured_tokenizer()
    nlp.tokenizer.conventions = ("msra",)
    write_docbin(nlp, EXAMPLES, tmp_path / "train.spacy", conventions=["msra", ""])
    first, second = featured_corpus(tmp_path / "train.spacy")(spacy.blank("zh"))
    assert all(t.tag_.endswith("|msra") for t in first.predicted)
    assert not any("|" in t.tag_ for t in second.predicted)
    assert nlp.tokenizer.convention == ""  # as it was before


def test_training_documents_are_left_to_right_whatever_the_pipeline_reads(tmp_path):
    from kg.training.train import NER_CONFIG

    nlp = featured_tokenizer(config=NER_CONFIG)  # the shipped config reads right to left
    write_docbin(nlp, EXAMPLES, tmp_path / "train.spacy")
    for example, (text, spans) in zip(featured_corpus(tmp_path / "train.spacy")(spacy.blank("zh")), EXAMPLES):
        assert example.reference.text == text
        assert [(e.text, e.label_) for e in example.reference.ents] == [(text[s:e], label) for s, e, label in spans]


def _bio(text: str, spans: list[tuple[int, int, str]]) -> str:
    tags = ["O"] * len(text)
    for start, end, label in spans:
        tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    return "".join(f"{c}\t{t}\n" for c, t in zip(text, tags)) + "\n"


def test_name_lists_are_added_to_training_in_their_sentences_convention(tmp_path, monkeypatch):
    from kg.training import train

    sentences = [("江泽民、李鹏等出席会议。", [(0, 3, "PER"), (4, 6, "PER")]),
                 ("记者张三在包头市采访。", [(2, 4, "PER"), (5, 8, "LOC")]),
                 ("朱镕基说，要抓好落实。", [(0, 3, "PER")]),
                 ("国家发改委在北京召开会议。", [(0, 5, "ORG"), (6, 8, "LOC")])]  # the dev sentence
    (tmp_path / "corpora" / "msra_ner").mkdir(parents=True)
    (tmp_path / "corpora" / "msra_ner" / "msra_train_bio").write_text("".join(_bio(*s) for s in sentences), encoding="utf-8")
    (tmp_path / "corpora" / "cluener2020").mkdir()
    cluener = json.dumps({"text": "王五和赵六在呼和浩特市会面。", "label": {"name": {"王五": [[0, 1]], "赵六": [[3, 4]]}}},
                         ensure_ascii=False)
    for name in ("train.json", "dev.json"):
        (tmp_path / "corpora" / "cluener2020" / name).write_text(cluener + "\n", encoding="utf-8")
    monkeypatch.setattr(train, "NAME_LIST_EXAMPLES", 10)
    train_file, dev_file = train.prepare_ner_data(tmp_path / "corpora", tmp_path / "work", config=train.NER_CONFIG,
                                                  sources=("msra", "cluener", "namelists"), dev_size=1, harmonise=())
    docs = list(featured_corpus(train_file)(spacy.blank("zh")))
    real = {text for text, _ in sentences} | {"王五和赵六在呼和浩特市会面。"}
    lists = [ex for ex in docs if ex.reference.text not in real]
    assert len(docs) == 3 + 2 + 10 and len(lists) == 10  # each source's share: 6 in MSRA's, 4 in CLUENER's
    for ex in lists:
        assert len([e for e in ex.reference.ents if e.label_ == "PER"]) >= 2
        # a list keeps its sentence's convention: MSRA's marked, CLUENER's kg's own
        assert ex.predicted[0].tag_.endswith("|msra") == ("呼和浩特市会面" not in ex.reference.text)
    assert all("发改委" not in ex.reference.text for ex in lists)  # nothing made from the dev sentence
    assert [ex.reference.text for ex in featured_corpus(dev_file)(spacy.blank("zh"))] == [sentences[-1][0]]


def test_cluener_dev_can_be_held_out_to_choose_the_checkpoint_in_kgs_convention(tmp_path):
    from kg.training import train

    sentences = [("记者张三在包头市采访。", [(2, 4, "PER"), (5, 8, "LOC")]),
                 ("国家发改委在北京召开会议。", [(0, 5, "ORG"), (6, 8, "LOC")])]  # the MSRA dev sentence
    (tmp_path / "corpora" / "msra_ner").mkdir(parents=True)
    (tmp_path / "corpora" / "msra_ner" / "msra_train_bio").write_text("".join(_bio(*s) for s in sentences), encoding="utf-8")
    (tmp_path / "corpora" / "cluener2020").mkdir()
    (tmp_path / "corpora" / "cluener2020" / "train.json").write_text(json.dumps(
        {"text": "王五在呼和浩特市工作。", "label": {"name": {"王五": [[0, 1]]}}}, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "corpora" / "cluener2020" / "dev.json").write_text(json.dumps(
        {"text": "赵六去了包钢集团。", "label": {"name": {"赵六": [[0, 1]]}, "company": {"包钢集团": [[4, 7]]}}},
        ensure_ascii=False) + "\n", encoding="utf-8")
    train_file, dev_file = train.prepare_ner_data(tmp_path / "corpora", tmp_path / "work", config=train.NER_CONFIG,
                                                  sources=("msra", "cluener"), dev_size=1, harmonise=(),
                                                  dev_sources=("msra", "cluener"))
    trained = [ex.reference.text for ex in featured_corpus(train_file)(spacy.blank("zh"))]
    assert sorted(trained) == sorted(["记者张三在包头市采访。", "王五在呼和浩特市工作。"])  # CLUENER dev is not trained on
    dev = {ex.reference.text: ex for ex in featured_corpus(dev_file)(spacy.blank("zh"))}
    assert set(dev) == {"国家发改委在北京召开会议。", "赵六去了包钢集团。"}
    assert dev["国家发改委在北京召开会议。"].predicted[0].tag_.endswith("|msra")  # MSRA's in its convention
    assert not dev["赵六去了包钢集团。"].predicted[0].tag_.endswith("|msra")  # CLUENER's in kg's own
    assert [(e.text, e.label_) for e in dev["赵六去了包钢集团。"].reference.ents] == [("赵六", "PER"), ("包钢集团", "ORG")]
    with pytest.raises(ValueError, match="dev sources"):
        train.prepare_ner_data(tmp_path / "corpora", tmp_path / "work2", config=train.NER_CONFIG,
                               sources=("msra",), dev_sources=("cluener",))


def test_training_sentences_read_the_names_of_the_other_folds_and_dev_reads_them_all(tmp_path):
    from kg.ner import lexicon
    from kg.training import train

    config = train.CONFIGS / "ner-names.cfg"
    assert train.embeds_names(config) and not train.embeds_names(train.NER_CONFIG)
    people = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一", "冯二"]
    sentences = [(f"记者{name}在包头市采访。", [(2, 4, "PER"), (5, 8, "LOC")]) for name in people]
    sentences.append(("国家发改委在北京召开会议。", [(0, 5, "ORG"), (6, 8, "LOC")]))  # the dev sentence
    (tmp_path / "corpora" / "msra_ner").mkdir(parents=True)
    (tmp_path / "corpora" / "msra_ner" / "msra_train_bio").write_text("".join(_bio(*s) for s in sentences),
                                                                       encoding="utf-8")
    train_file, dev_file = train.prepare_ner_data(tmp_path / "corpora", tmp_path / "work", config=config,
                                                  sources=("msra",), dev_size=1, harmonise=())
    names = lexicon.Lexicon.read(tmp_path / "work" / train.NAMES_TSV).entries()
    assert names == {**{name: "PER" for name in people}, "包头市": "LOC"}  # the training sentences' names only
    for ex in featured_corpus(train_file)(spacy.blank("zh")):
        person = ex.reference.text[2:4]
        assert "NB=" not in str(ex.predicted[2].morph)  # its own name is not in its fold's lexicon...
        assert "NB=LOC" in str(ex.predicted[5].morph)  # ...包头市, printed in every fold, is
    dev = next(iter(featured_corpus(dev_file)(spacy.blank("zh"))))
    assert not any("NB" in str(t.morph) for t in dev.predicted)  # 发改委, 北京: no training name
    assert person in names
