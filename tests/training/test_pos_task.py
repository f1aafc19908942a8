"""kg.training.experiments.pos_task: People's Daily's parts of speech as a training-only task for the NER's tok2vec."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.vocab import Vocab

from kg.training.corpora import peoples_daily_char_pos, peoples_daily_entities
from kg.errors import CorpusError
from kg.training.experiments.pos_task import POS_KEY, load_pos_tags, remove_auxiliary, write_pos_tags
from kg.training.corpus import read_examples

PD_LINES = [
    "19980101-01-001-001/m  [中国/ns 人民/n 广播/vn 电台/n]nt  记者/n  江/nr  泽民/nr  支持/v  改革/vn  。/w",
    "19980101-01-001-002/m  包头/ns  发展/v  。/w",
]


@pytest.fixture
def people_daily(tmp_path):
    path = tmp_path / "199801.txt"
    path.write_bytes("\r\n".join(PD_LINES).encode("gbk"))
    return path


def test_char_pos_tags_each_character_with_its_words_tag(people_daily):
    (text, tags), (text2, tags2) = list(peoples_daily_char_pos(people_daily))
    assert text == "中国人民广播电台记者江泽民支持改革。"
    assert len(tags) == len(text)
    assert tags[:4] == ["B-ns", "I-ns", "B-n", "I-n"]  # words inside a compound keep their tags
    assert tags[10:13] == ["B-nr", "I-nr", "I-nr"]  # a person's surname and given name are one word
    assert tags[13:15] == ["B-v", "I-v"]
    assert (text2, tags2) == ("包头发展。", ["B-ns", "I-ns", "B-v", "I-v", "B-w"])
    # the same text the NER examples of the corpus have, so the tags find their documents
    assert [t for t, _ in peoples_daily_entities(people_daily)] == [text, text2]


def _docbin(path, texts):
    vocab = Vocab()
    bin_ = DocBin()
    for text in texts:
        bin_.add(Doc(vocab, words=list(text), spaces=[False] * len(text)))
    bin_.to_disk(path)
    return path


def test_tags_file_matches_people_dailys_documents_only(tmp_path, people_daily):
    docbin = _docbin(tmp_path / "train.spacy", ["包头发展。", "张三在包头市工作。", "中国人民广播电台记者江泽民支持改革。"])
    out = tmp_path / "pos.npz"
    assert write_pos_tags(docbin, people_daily, out) == (3, 2)
    tags, offsets, names = load_pos_tags(out)
    assert offsets.tolist() == [0, 5, 14, 32]
    assert [names[i] for i in tags[:5]] == ["B-ns", "I-ns", "B-v", "I-v", "B-w"]
    assert (tags[5:14] == -1).all()  # not a People's Daily paragraph: no tags
    examples = list(read_examples(docbin, Vocab(), pos=out))
    assert POS_KEY not in examples[1].reference.user_data
    carried_names, ids = examples[2].reference.user_data[POS_KEY]
    assert carried_names == names and [names[i] for i in ids[13:15]] == ["B-v", "I-v"]


def test_a_tags_file_of_another_docbin_is_refused(tmp_path, people_daily):
    out = tmp_path / "pos.npz"
    write_pos_tags(_docbin(tmp_path / "a.spacy", ["包头发展。", "包头发展。"]), people_daily, out)
    other = _docbin(tmp_path / "b.spacy", ["包头发展。"])
    with pytest.raises(CorpusError, match="pos.npz: it has 2 documents"):
        list(read_examples(other, Vocab(), pos=out))
    with pytest.raises(CorpusError, match="not a tags file"):
        load_pos_tags(tmp_path / "b.spacy")


def _pipeline(weight: float):
    nlp = spacy.blank("zh")  # one token per character
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 16, "upstream": "*"}
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 16, "depth": 1,
        "embed_size": 100, "window_size": 1, "maxout_pieces": 2, "subword_features": False}})
    nlp.add_pipe("kg_entity_tagger", name="ner", config={"model": {
        "@architectures": "spacy.Tagger.v2", "normalize": False, "tok2vec": listener}})
    nlp.add_pipe("kg_pos_auxiliary", name="pos", config={"weight": weight, "model": {
        "@architectures": "spacy.Tagger.v2", "normalize": True, "tok2vec": listener}})
    return nlp


def _examples(nlp):
    names = ("B-ns", "B-v", "I-ns", "I-v")
    out = []
    for text, ents, tags in [("包头发展", [(0, 2, "LOC")], [0, 2, 1, 3]), ("张三在", [(0, 2, "PER")], None)]:
        eg = Example.from_dict(nlp.make_doc(text), {"entities": [(s, e, lab) for s, e, lab in ents]})
        if tags is not None:
            eg.reference.user_data[POS_KEY] = (names, numpy.array(tags, dtype=numpy.int16))
        out.append(eg)
    return out


def test_the_auxiliary_gradient_reaches_the_shared_tok2vec_and_predicts_nothing():
    weights = []
    for weight in (0.0, 0.0, 1.0):
        spacy.util.fix_random_seed(0)
        nlp = _pipeline(weight)
        examples = _examples(nlp)
        optimizer = nlp.initialize(lambda: examples)
        assert nlp.get_pipe("pos").labels == ("B-ns", "B-v", "I-ns", "I-v")
        losses = {}
        for _ in range(3):
            nlp.update(examples, sgd=optimizer, losses=losses)
        assert (losses["pos"] > 0) == (weight > 0)
        weights.append(nlp.get_pipe("tok2vec").model.to_bytes())
        doc = nlp("包头发展")
        assert not doc.has_annotation("TAG")  # the auxiliary sets nothing
        assert remove_auxiliary(nlp) == ["pos"] and nlp.pipe_names == ["tok2vec", "ner"]
        nlp("包头发展")  # the NER still runs on its own
    assert weights[0] == weights[1]  # the runs are deterministic, so the difference is the task's
    assert weights[1] != weights[2]


def test_the_loss_is_cross_entropy_on_tagged_tokens_only():
    nlp = _pipeline(0.5)
    examples = _examples(nlp)
    nlp.initialize(lambda: examples)
    pos = nlp.get_pipe("pos")
    probs = [numpy.full((4, 4), 0.25, dtype="f"), numpy.full((3, 4), 0.25, dtype="f")]
    loss, grads = pos.get_loss(examples, probs)
    assert loss == pytest.approx(0.5 * 4 * numpy.log(4))
    expected = numpy.full((4, 4), 0.25)
    expected[numpy.arange(4), [0, 2, 1, 3]] -= 1
    numpy.testing.assert_allclose(grads[0], 0.5 * expected, rtol=1e-6)
    assert not numpy.asarray(grads[1]).any()  # no tags: no gradient


def test_strip_auxiliary_rewrites_a_saved_pipeline_without_the_task(tmp_path):
    from kg.training.experiments.pos_task import strip_auxiliary

    spacy.util.fix_random_seed(0)
    nlp = _pipeline(1.0)
    examples = _examples(nlp)
    nlp.initialize(lambda: examples)
    nlp.to_disk(tmp_path / "model")
    assert strip_auxiliary(tmp_path / "model") == ["pos"]
    assert not (tmp_path / "model" / "pos").exists()
    reloaded = spacy.load(tmp_path / "model")
    assert reloaded.pipe_names == ["tok2vec", "ner"]
    assert [e.text for e in reloaded("包头发展").ents] == [e.text for e in nlp("包头发展").ents]
    assert strip_auxiliary(tmp_path / "model") == []  # nothing left to strip: unchanged


def test_the_experiment_config_builds_the_shipped_recipe_plus_the_task():
    from spacy import util

    from kg.training.train import CONFIGS, distill_weight

    config = util.load_config(CONFIGS / "ner-pos.cfg", overrides={"paths.train": "train.spacy", "paths.dev": "dev.spacy"})
    nlp = util.load_model_from_config(config, auto_fill=True)
    assert nlp.pipe_names == ["tok2vec", "ner", "pos"]
    assert nlp.get_pipe("pos").weight == 0.5
    assert distill_weight(CONFIGS / "ner-pos.cfg") == distill_weight(CONFIGS / "ner.cfg")
    shipped = util.load_config(CONFIGS / "ner.cfg", interpolate=False)
    experiment = util.load_config(CONFIGS / "ner-pos.cfg", interpolate=False)
    assert experiment["components"]["tok2vec"] == shipped["components"]["tok2vec"]
    assert experiment["training"] == shipped["training"]
