"""kg.encoders: the CNN + BiLSTM context encoder builds from a config, keeps the width, reads the
whole sentence, and survives a save and load."""
from __future__ import annotations

import numpy
import spacy

import kg.encoders  # noqa: F401  (registers kg.MaxoutWindowBiLSTMEncoder.v1)


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
