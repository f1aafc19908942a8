"""kg.ner.encoders: the CNN + BiLSTM context encoder builds from a config, keeps the width, reads the
whole sentence, and survives a save and load; spaCy's CNN encoder predicts the same fused as
through thinc's layers."""
from __future__ import annotations

import numpy
import pytest

import kg.ner.encoders
import spacy

from tests.random_weights import randomise_parameters


def build(lstm_depth: int = 1):
    make = spacy.registry.architectures.get("kg.MaxoutWindowBiLSTMEncoder.v1")
    return make(width=16, window_size=1, maxout_pieces=2, depth=1, lstm_depth=lstm_depth)


def sentences(lengths=(7, 3, 12)):
    rng = numpy.random.default_rng(0)
    return [rng.standard_normal((n, 16)).astype("float32") for n in lengths]


def test_the_encoder_keeps_each_sentences_length_and_the_width():
    model = build()
    X = sentences()
    model.initialize(X=X)
    Y = model.predict(X)
    assert [y.shape for y in Y] == [(7, 16), (3, 16), (12, 16)]


def test_the_lstm_carries_context_past_the_cnn_window():
    """The first character's output changes when the last one does: the CNN alone (window 1,
    depth 1) sees one character either side."""
    X = sentences((12,))
    changed = [X[0].copy()]
    changed[0][-1] += 5.0
    for lstm_depth, reaches in ((1, True), (0, False)):
        model = build(lstm_depth)
        model.initialize(X=X)
        first, again = model.predict(X)[0][0], model.predict(changed)[0][0]
        assert (not numpy.allclose(first, again)) == reaches


def test_the_encoder_predicts_the_same_after_a_save_and_load():
    model = build()
    X = sentences()
    model.initialize(X=X)
    copy = build().from_bytes(model.to_bytes())
    for a, b in zip(model.predict(X), copy.predict(X)):
        assert numpy.allclose(a, b)


def _random_cnn(width: int, window_size: int, maxout_pieces: int, depth: int):
    """spaCy's own ``MaxoutWindowEncoder.v2`` with every parameter random (biases and the layer
    norms' scales too, so that every parameter is read)."""
    from spacy.ml.models.tok2vec import MaxoutWindowEncoder

    model = MaxoutWindowEncoder(width=width, window_size=window_size, maxout_pieces=maxout_pieces, depth=depth)
    X = [numpy.zeros((5, width), dtype="float32")]
    model.initialize(X=X)
    randomise_parameters(model, 3)
    return model


@pytest.mark.parametrize("width, window_size, maxout_pieces, depth", [(16, 1, 2, 1), (8, 2, 3, 4), (12, 1, 1, 2)])
def test_the_fused_encoder_computes_what_the_layers_compute(monkeypatch, width, window_size, maxout_pieces, depth):
    model = _random_cnn(width, window_size, maxout_pieces, depth)
    assert kg.ner.encoders.fuse_window_encoders(model) == 1
    assert kg.ner.encoders.fuse_window_encoders(model) == 1  # a second call wraps nothing twice
    rng = numpy.random.default_rng(0)
    X = [rng.standard_normal((n, width)).astype("float32") for n in (7, 0, 1, 12)]
    monkeypatch.setattr(kg.ner.encoders, "FUSE_PREDICTION", False)
    layered = model.predict(X)
    monkeypatch.setattr(kg.ner.encoders, "FUSE_PREDICTION", True)
    fused = model.predict(X)
    assert [y.shape for y in fused] == [y.shape for y in layered] == [(7, width), (0, width), (1, width), (12, width)]
    for a, b in zip(fused, layered):
        numpy.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
    assert numpy.abs(numpy.concatenate(fused)).sum() > 0
    # the neighbours count: a document's own output depends on its characters' order
    assert not numpy.allclose(model.predict([X[0][::-1]])[0][::-1], fused[0])


def test_training_runs_through_the_layers_and_the_fused_pass_cannot_backpropagate():
    model = _random_cnn(8, 1, 2, 2)
    kg.ner.encoders.fuse_window_encoders(model)
    X = sentences((4, 6))
    X = [x[:, :8].copy() for x in X]
    output, backprop = model.begin_update(X)
    backprop([numpy.ones_like(y) for y in output])
    assert any(node.has_grad(name) and numpy.abs(node.get_grad(name)).sum() > 0
               for node in model.walk() for name in node.param_names)
    _, fused_backprop = model._func(model, X, False)
    with pytest.raises(ValueError, match="predicts only"):
        fused_backprop(None)


def test_only_spacys_cnn_encoder_is_fused():
    """The BiLSTM encoder's CNN is fused, its LSTM is not; a model without the CNN is untouched."""
    model = build()
    model.initialize(X=sentences())
    assert kg.ner.encoders.fuse_window_encoders(model) == 1
    from thinc.api import Relu, with_array

    other = with_array(Relu(4, 4))
    other.initialize(X=[numpy.zeros((3, 4), dtype="float32")])
    assert kg.ner.encoders.fuse_window_encoders(other) == 0


def test_the_shipped_model_finds_the_same_entities_fused_or_layered(monkeypatch, seed_dir):
    from kg.ner import load_pipeline, tokenized
    from kg.pipeline import read_documents

    nlp = load_pipeline()
    assert kg.ner.encoders.fuse_window_encoders(nlp.get_pipe("tok2vec").model) == 1
    docs, _ = read_documents([seed_dir], show_progress=False)
    texts = [d.text[p.start:p.end] for d in docs for p in d.paragraphs]

    def entities():
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                for doc in nlp.pipe(tokenized(nlp, texts), batch_size=64)]

    fused = entities()
    monkeypatch.setattr(kg.ner.encoders, "FUSE_PREDICTION", False)
    assert entities() == fused
    assert sum(map(len, fused)) > 500
