"""Static vectors from raw text: keyed exactly as the tokenizer keys the NER's tokens."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.vectors import Vectors

from kg.ner.embedding import KEY_SALTS, KeyedStaticVectors
from kg.training.vectors import train_vectors, word_keys
from kg.ner.tokenizer import PkusegCharTokenizer
from tests.random_weights import randomise_parameters

TEXTS = ["包头市人民政府召开常务会议。", "鄂尔多斯市人民政府召开常务会议。", "呼和浩特市人民政府发布通知。",
         "包钢集团董事长会见客人。", "ＡＢＣ公司在包头市设厂。"]


@pytest.fixture(scope="module")
def tokenizer():
    return PkusegCharTokenizer(spacy.blank("zh").vocab)


@pytest.mark.parametrize("attr", ["LEMMA", "NORM"])
def test_keys_are_the_strings_the_tokenizer_puts_on_each_character(tokenizer, attr):
    for text in TEXTS:
        keys = word_keys(tokenizer.words(text), attr)
        doc = tokenizer(text)
        if attr == "LEMMA":  # one bigram per character, full-width letters folded
            assert keys == [t.lemma_ for t in doc]
        else:  # one key per word: the NORM its characters carry
            words = [t.norm_ for t in doc if t.tag_[0] in "BS"]
            assert keys == words
    assert word_keys(tokenizer.words("ＡＢ"), "LEMMA") == ["ab", "b</s>"]


def test_train_vectors_writes_a_table_keyed_on_the_attribute(tmp_path, tokenizer):
    out = tmp_path / "vectors"
    texts = TEXTS * 20
    train_vectors(tmp_path, out, attr="LEMMA", dim=8, min_count=2, max_rows=10, epochs=1, texts=texts)
    nlp = spacy.load(out)
    vectors = nlp.vocab.vectors
    assert vectors.shape == (10, 8)
    # the most frequent bigrams are kept: 人民 and 政府 are in 3 of the 5 texts
    assert nlp.vocab.strings["人民"] in vectors and nlp.vocab.strings["政府"] in vectors
    # a re-run replaces the table, leaving no partial folder behind
    train_vectors(tmp_path, out, attr="LEMMA", dim=8, min_count=2, max_rows=5, epochs=1, texts=texts)
    assert spacy.load(out).vocab.vectors.shape == (5, 8)
    assert [p.name for p in tmp_path.iterdir()] == ["vectors"]


def test_one_table_holds_bigrams_and_words_spelled_alike(tmp_path, tokenizer):
    out = tmp_path / "vectors"
    train_vectors(tmp_path, out, attr="LEMMA,NORM", dim=8, min_count=2, max_rows=10, epochs=1, texts=TEXTS * 20)
    vectors = spacy.load(out).vocab.vectors
    assert vectors.shape == (20, 8)
    key = spacy.blank("zh").vocab.strings["召开"]
    assert "召开" in tokenizer.words(TEXTS[0])  # a word, and the bigram at 召
    bigram, word = vectors.find(key=key), vectors.find(key=key ^ KEY_SALTS["NORM"])
    assert bigram >= 0 and word >= 0 and bigram != word


def test_unknown_key_attribute_is_refused(tmp_path):
    with pytest.raises(ValueError, match="attr must be one of"):
        train_vectors(tmp_path, tmp_path / "v", attr="ORTH", texts=TEXTS)


def featured_nlp():
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1"}}})


def test_keyed_vectors_are_looked_up_by_their_attribute_not_by_orth():
    nlp = featured_nlp()
    # a table holding the bigram 包头 and the character 包: only the bigram key may be found
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=numpy.ones((2, 4), dtype="float32"),
                                keys=["包头", "包"])
    doc = nlp("包头市")
    layer = KeyedStaticVectors(3, key_attr="LEMMA")
    layer.initialize(X=[doc])
    out = layer.predict([doc]).data
    assert out.shape == (3, 3)
    assert numpy.abs(out[0]).sum() > 0  # 包 carries LEMMA 包头
    assert not out[1:].any()  # 头市, 市</s>: not in the table


def test_pipeline_with_keyed_vectors_predicts_the_same_after_a_reload(tmp_path):
    config = {"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1"}}}
    nlp = spacy.blank("zh", config=config)
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=numpy.random.default_rng(0).random((3, 4), dtype="float32"),
                                keys=["包头", "头市", "人民"])
    embed = {"@architectures": "kg.MultiHashEmbed.v1", "width": 8, "attrs": ["ORTH", "LEMMA"], "rows": [50, 50],
             "vectors_attr": "LEMMA"}
    encode = {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 8, "depth": 1, "window_size": 1,
              "maxout_pieces": 2}
    nlp.add_pipe("tok2vec", config={"model": {"@architectures": "spacy.Tok2Vec.v2", "embed": embed, "encode": encode}})
    nlp.initialize()
    before = nlp("包头市人民").tensor
    nlp.to_disk(tmp_path / "p")
    reloaded = spacy.load(tmp_path / "p")
    assert numpy.allclose(reloaded("包头市人民").tensor, before)
    # the vectors matter: without them the same weights give another tensor
    reloaded.vocab.vectors = Vectors(strings=reloaded.vocab.strings, shape=(0, 4))
    assert not numpy.allclose(reloaded("包头市人民").tensor, before)


def _embedding(attrs, rows, vectors_attr):
    """A small initialised ``kg.MultiHashEmbed.v1`` and the pipeline whose docs it reads."""
    nlp = featured_nlp()
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=numpy.random.default_rng(0).random((3, 4), dtype="float32"),
                                keys=["包头", "头市", "人民"])
    make = spacy.registry.architectures.get("kg.MultiHashEmbed.v1")
    layer = make(width=8, attrs=attrs, rows=rows, vectors_attr=vectors_attr)
    docs = [nlp(text) for text in ("包头市人民政府", "", "人民", "呼和浩特市的人民")]
    layer.initialize(X=docs)
    randomise_parameters(layer, 1)
    return layer, docs


@pytest.mark.parametrize("attrs, rows, vectors_attr", [
    (["ORTH", "NORM", "LEMMA", "SHAPE"], [50, 50, 50, 10], "LEMMA,NORM"),
    (["ORTH", "LEMMA"], [50, 50], None),
    (["ORTH", "MORPH", "NAMES"], [50, 20, 20], "LEMMA"),
])
def test_folded_prediction_computes_what_the_layers_compute(monkeypatch, attrs, rows, vectors_attr):
    import kg.ner.embedding

    layer, docs = _embedding(attrs, rows, vectors_attr)
    monkeypatch.setattr(kg.ner.embedding, "FOLD_PREDICTION", False)
    layered = layer.predict(docs)
    monkeypatch.setattr(kg.ner.embedding, "FOLD_PREDICTION", True)
    folded = layer.predict(docs)
    assert [len(x) for x in folded] == [len(doc) for doc in docs] == [len(x) for x in layered]
    for a, b in zip(folded, layered):
        numpy.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    assert numpy.abs(numpy.concatenate(folded)).sum() > 0
    # an unknown character gets its own rows: the fold does not reuse another batch's values
    other = layer.predict([featured_nlp()("鄂尔多斯")])[0]
    assert other.shape == (4, 8)


def test_training_runs_through_the_layers_and_the_folded_pass_cannot_backpropagate(monkeypatch):
    import kg.ner.embedding

    layer, docs = _embedding(["ORTH", "LEMMA"], [50, 50], "LEMMA")
    output, backprop = layer.begin_update(docs)  # is_train: thinc's layers, with their gradients
    backprop([numpy.ones_like(x) for x in output])
    assert any(node.has_grad(name) and numpy.abs(node.get_grad(name)).sum() > 0
               for node in layer.walk() for name in node.param_names)
    _, folded_backprop = kg.ner.embedding._folded_or_layered(lambda *a: None, layer, docs, False)
    with pytest.raises(ValueError, match="predicts only"):
        folded_backprop(None)


def test_the_shipped_model_finds_the_same_entities_folded_or_layered(monkeypatch, seed_dir):
    import kg.ner.embedding
    from kg.ner import load_pipeline, tokenized
    from kg.pipeline import read_documents

    nlp = load_pipeline()
    docs, _ = read_documents([seed_dir], show_progress=False)
    texts = [d.text[p.start:p.end] for d in docs for p in d.paragraphs]

    def entities():
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                for doc in nlp.pipe(tokenized(nlp, texts), batch_size=64)]

    folded = entities()
    monkeypatch.setattr(kg.ner.embedding, "FOLD_PREDICTION", False)
    assert entities() == folded
    assert sum(map(len, folded)) > 500


def test_vector_rows_finds_what_vectors_find():
    from spacy.vectors import Vectors

    from kg.ner.embedding import vector_rows

    table = Vectors(shape=(3, 2))
    for key, row in ((5, 0), (17, 2), (2**63 + 9, 1)):
        table.add(key, row=row)
    keys = numpy.array([0, 2, 5, 6, 17, 2**63 + 9, 2**64 - 1], dtype="uint64")
    assert vector_rows(table, keys).tolist() == table.find(keys=keys).tolist() == [-1, -1, 0, -1, 2, 1, -1]
    assert vector_rows(Vectors(shape=(0, 2)), keys).tolist() == [-1] * len(keys)
