"""A test helper: give every parameter of a thinc model random values."""
from __future__ import annotations

import numpy


def randomise_parameters(model, seed: int) -> None:
    """Set every parameter of ``model`` (biases and layer-norm scales too, so that a computation
    that skips one shows) to standard normal values drawn with ``seed``."""
    rng = numpy.random.default_rng(seed)
    for node in model.walk():
        for name in node.param_names:
            if node.has_param(name):
                node.set_param(name, rng.normal(size=node.get_param(name).shape).astype("float32"))
