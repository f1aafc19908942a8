"""Context encoders for the NER's tok2vec, registered with spaCy's architecture registry.

``kg.MaxoutWindowBiLSTMEncoder.v1`` is spaCy's CNN (``spacy.MaxoutWindowEncoder.v2``) followed
by a residual bidirectional LSTM over each paragraph's characters.  The CNN sees a fixed
window (``window_size * depth`` characters either side); the LSTM carries context across the
whole sentence, which long organisation names (中国人民银行北京分行营业管理部) and the cues far
from a name (the verb after a list of people) need.  The LSTM is thinc's own, run by numpy: no
PyTorch, nothing new to install.
"""
from __future__ import annotations

import spacy
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from thinc.api import LSTM, Model, chain, residual, with_padded
from thinc.types import Floats2d


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
