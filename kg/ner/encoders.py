"""Context encoders for the NER's tok2vec, registered with spaCy's architecture registry, and
spaCy's CNN encoder fused for prediction (:func:`fused_window_encoder`).

``kg.MaxoutWindowBiLSTMEncoder.v1`` is spaCy's CNN (``spacy.MaxoutWindowEncoder.v2``) followed
by a residual bidirectional LSTM over each paragraph's characters.  The CNN sees a fixed
window (``window_size * depth`` characters either side); the LSTM carries context across the
whole sentence, which long organisation names (中国人民银行北京分行营业管理部) and the cues far
from a name (the verb after a list of people) need.  The LSTM is thinc's own, run by numpy: no
PyTorch, nothing new to install.
"""
from __future__ import annotations

import numpy
import spacy
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from thinc.api import LSTM, Model, chain, residual, with_padded
from thinc.types import Floats1d, Floats2d


@spacy.registry.architectures("kg.MaxoutWindowBiLSTMEncoder.v1")
def maxout_window_bilstm_encoder(width: int, window_size: int, maxout_pieces: int, depth: int,
                                 lstm_depth: int = 1) -> Model[list[Floats2d], list[Floats2d]]:
    """``depth`` maxout CNN layers of ``width`` (as spaCy's), then ``lstm_depth`` bidirectional
    LSTM layers whose two directions together are ``width`` wide, added to the CNN's output."""
    cnn = MaxoutWindowEncoder(width=width, window_size=window_size, maxout_pieces=maxout_pieces, depth=depth)
    if lstm_depth < 1:
        return cnn
    model = chain(cnn, residual(with_padded(LSTM(width, width, bi=True, depth=lstm_depth))))
    model.set_dim("nO", width)
    return model


#: whether spaCy's maxout window encoders predict through :func:`fused_window_encoder`
#: (``bench/ner_speed.py`` switches it off to measure thinc's layers against it)
FUSE_PREDICTION = True


def fuse_window_encoders(model: Model) -> int:
    """Make every ``spacy.MaxoutWindowEncoder.v2`` in ``model`` predict through
    :func:`fused_window_encoder` (training still runs through thinc's layers); returns how many
    it found.  Called by :func:`kg.ner.load.load_pipeline`; safe to call twice."""
    found = 0
    for node in model.walk():
        if node.name.startswith("with_array(residual(expand_window") and _window_blocks(node) is not None:
            if not getattr(node._func, "kg_fused", False):
                node._func = _fused_or_layered(node._func)
            found += 1
    return found


def _fused_or_layered(layered):
    def forward(model: Model, X, is_train: bool):
        if is_train or not FUSE_PREDICTION or not isinstance(X, list) or not X:
            return layered(model, X, is_train)
        return fused_window_encoder(model, X), _no_backprop

    forward.kg_fused = True
    return forward


def _no_backprop(d_output):
    raise ValueError("fused_window_encoder predicts only; train through the layers (is_train=True)")


def _window_blocks(encoder: Model) -> list[tuple[Model, Model, Model | None]] | None:
    """The ``(expand_window, maxout, layernorm or None)`` of each residual block of a maxout
    window encoder (``with_array(residual(expand_window >> maxout [>> layernorm] [>> dropout])
    >> …)``), in order; ``None`` when ``encoder`` is built some other way."""
    if len(encoder.layers) != 1:
        return None
    inner = encoder.layers[0]
    residuals = inner.layers if inner.name.startswith("residual(") and ">>residual(" in inner.name else [inner]
    blocks = []
    for block in residuals:
        if not block.name.startswith("residual(") or len(block.layers) != 1:
            return None
        leaves = [node for node in block.walk(order="dfs_pre") if not node.layers]
        names = [node.name for node in leaves if node.name != "dropout"]  # dropout: nothing when predicting
        if names not in (["expand_window", "maxout"], ["expand_window", "maxout", "layernorm"]):
            return None
        parts = dict(zip(names, leaves))
        blocks.append((parts["expand_window"], parts["maxout"], parts.get("layernorm")))
    return blocks


def fused_window_encoder(encoder: Model, Xs: list[Floats2d]) -> list[Floats2d]:
    """What a ``spacy.MaxoutWindowEncoder.v2`` computes for ``Xs`` (one array per document), in
    fewer and larger numpy steps.

    thinc runs each residual block as separate layers (window, matrix product, bias, maxout,
    layer norm, residual sum), each allocating its output.  Here the documents are joined with
    the encoder's own zero padding between them (as thinc's ``with_array`` joins them, so the
    result is the same function of the same parameters, equal up to float rounding, tested), and
    each block is one window + one matrix product whose maxout pieces come out as column blocks,
    an in-place ``maximum``, an in-place layer norm and the residual sum.  Parameters are read at
    every call, so it is never stale.  About 1.3× faster than the layers on the seed pages
    (``bench/ner_speed.py``)."""
    ops = encoder.ops
    pad = encoder.attrs.get("pad", 0)
    X = ops.flatten(Xs, pad=pad)
    for window, maxout, layernorm in _window_blocks(encoder):
        n_out, pieces = maxout.get_dim("nO"), maxout.get_dim("nP")
        W, b = piece_major(maxout)
        Y = ops.gemm(ops.seq2col(X, window.attrs["window_size"]), W, trans2=True)
        Y += b
        best = maxout_and_norm(Y, n_out, pieces, layernorm)
        best += X
        X = best
    return ops.unflatten(X, ops.asarray1i([len(x) for x in Xs]), pad=pad)


def piece_major(maxout: Model) -> tuple[Floats2d, Floats1d]:
    """A thinc ``Maxout`` layer's weights ``(nO * nP, nI)`` and bias, their rows reordered so
    that the product's columns hold each piece as one block (column ``p * nO + o`` instead of
    thinc's ``o * nP + p``), for :func:`maxout_and_norm`."""
    n_out, pieces, n_in = maxout.get_dim("nO"), maxout.get_dim("nP"), maxout.get_dim("nI")
    W = maxout.get_param("W").reshape(n_out, pieces, n_in).transpose(1, 0, 2).reshape(pieces * n_out, n_in)
    return numpy.ascontiguousarray(W), numpy.ascontiguousarray(maxout.get_param("b").reshape(n_out, pieces).T.reshape(-1))


def maxout_and_norm(Y: Floats2d, n_out: int, pieces: int, layernorm: Model | None) -> Floats2d:
    """The maxout of ``Y`` (pieces as column blocks, :func:`piece_major`), then thinc's layer
    norm when there is one: ``(x - mean) / sqrt(var + 1e-8) * G + b``, in place where it can."""
    best = Y[:, :n_out]
    for piece in range(1, pieces):
        numpy.maximum(best, Y[:, piece * n_out:(piece + 1) * n_out], out=best)
    best = numpy.ascontiguousarray(best)
    if layernorm is not None:
        best -= best.mean(axis=1, keepdims=True)
        variance = numpy.einsum("ij,ij->i", best, best) / n_out
        best *= (1.0 / numpy.sqrt(variance + 1e-08))[:, None]
        best *= layernorm.get_param("G")
        best += layernorm.get_param("b")
    return best
